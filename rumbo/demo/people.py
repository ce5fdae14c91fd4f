"""The structural rows of the demo company, written through the domain services: the
territory tree, the people who sign in, the reps' field profiles and who covers what since when.

A few territories changed hands during the history: their former rep left the company (user
and profile inactive) and the assignment history shows both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password

from rumbo.core.models import Organisation, Role, Team, User
from rumbo.demo import names
from rumbo.demo.geography import Geography, Region, Zone
from rumbo.geo.models import Distrito
from rumbo.team.models import Rep
from rumbo.team.services import create_rep, create_user
from rumbo.territories.models import AssignmentRole, Level, Territory
from rumbo.territories.services import assign, create_territory

ORGANISATION_NAME = "Distribuidora Andina S.A.C."
ORGANISATION_SLUG = "andina"
# The one password of every demo login; printed by `manage.py demo_logins`.
DEMO_PASSWORD = "rumbo2025"
EMAIL_DOMAIN = "andina.example"
TURNOVER = 0.2  # share of territories whose rep changed during the history (at least one)


@dataclass
class Plan:
    """Territories to create: zone index, name, code, and the accounts each holds."""

    zone: list[int]
    name: list[str]
    code: list[str]
    accounts: list[np.ndarray]


@dataclass
class Staff:
    admin: User
    marketing: User
    service: User
    managers_of: list[User]  # the regional manager of each territory
    territories: list[Territory]
    # Per territory: the rep before `switch_day` (or -1), the rep since then, the switch day.
    previous_rep: np.ndarray
    current_rep: np.ndarray
    switch_day: np.ndarray
    rep_users: list[User] = field(default_factory=list)


class _Usernames:
    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, person: names.Person) -> str:
        stem = names.ascii_slug(person.first[0] + person.last.split()[0])
        candidate, n = stem, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{stem}{n}"
        self.taken.add(candidate)
        return candidate


def _user(
    org: Organisation,
    usernames: _Usernames,
    person: names.Person,
    role: str,
    team: str = Team.SALES,
    manager: User | None = None,
    username: str | None = None,
    **fields: Any,
) -> User:
    login = username or usernames.make(person)
    usernames.taken.add(login)
    return create_user(
        organisation=org,
        username=login,
        role=role,
        team=team,
        manager=manager,
        first_name=person.first,
        last_name=person.last,
        email=f"{login}@{EMAIL_DOMAIN}",
        language="es",
        **fields,
    )


def create_tree(
    org: Organisation, zones: list[tuple[Region, Zone]], plan: Plan
) -> tuple[dict[str, Territory], list[Territory]]:
    """Perú → regions → zones → territories, through `create_territory`."""
    country = create_territory(organisation=org, name="Perú", code="PE", level=Level.COUNTRY)
    regions: dict[str, Territory] = {}
    zone_nodes: list[Territory] = []
    for region, zone in zones:
        if region.code not in regions:
            regions[region.code] = create_territory(
                organisation=org,
                name=region.name,
                code=region.code,
                level=Level.REGION,
                parent=country,
            )
        zone_nodes.append(
            create_territory(
                organisation=org,
                name=zone.name,
                code=zone.code,
                level=Level.ZONE,
                parent=regions[region.code],
            )
        )
    leaves = [
        create_territory(organisation=org, name=name, code=code, parent=zone_nodes[z])
        for z, name, code in zip(plan.zone, plan.name, plan.code, strict=True)
    ]
    return regions, leaves


def _rep_profile(
    rng: np.random.Generator, user: User, number: int, home: Distrito, active: bool
) -> Rep:
    start = dt.time(7, 30) if rng.random() < 0.3 else dt.time(8, 0)
    end = dt.time(start.hour + 8, start.minute + 30) if start.minute == 0 else dt.time(16, 0)
    return create_rep(
        user=user,
        code=f"V{number:03d}",
        home_distrito=home,
        phone=names.phone(rng),
        work_start=start,
        work_end=end,
        weekly_capacity_hours=Decimal(str(rng.choice([40.0, 44.0, 44.0, 44.0, 48.0]))),
        cost_per_hour=Decimal(f"{rng.uniform(20, 35):.2f}"),
        max_discount_pct=Decimal(str(rng.choice([5, 5, 8, 10]))),
        is_active=active,
    )


def _home(rng: np.random.Generator, geo: Geography, district_of_accounts: np.ndarray) -> Distrito:
    districts = np.unique(district_of_accounts)
    weights = geo.households[districts] / geo.households[districts].sum()
    return Distrito.objects.get(pk=geo.ubigeo[int(rng.choice(districts, p=weights))])


def _staff_territory(
    team: Staff,
    t: int,
    hire: Callable[[User], User],
    rng: np.random.Generator,
    home: Callable[[], Distrito],
    since: dt.date,
    switch: dt.date | None,
) -> None:
    """Cover territory t with a rep from `since`; with a `switch`, a former rep covered it
    until then and has left the company."""
    territory = team.territories[t]
    if switch is not None:
        former = hire(team.managers_of[t])
        _rep_profile(rng, former, len(team.rep_users) + 1, home(), active=False)
        assign(territory=territory, user=former, valid_from=since)
        team.rep_users.append(former)
        team.previous_rep[t], team.switch_day[t] = former.pk, switch.toordinal()
        since = switch
    rep = hire(team.managers_of[t])
    _rep_profile(rng, rep, len(team.rep_users) + 1, home(), active=True)
    assign(territory=territory, user=rep, valid_from=since)
    team.rep_users.append(rep)
    team.current_rep[t] = rep.pk


def create_people(
    org: Organisation,
    rng: np.random.Generator,
    geo: Geography,
    zones: list[tuple[Region, Zone]],
    plan: Plan,
    district: np.ndarray,
    first_day: dt.date,
    last_day: dt.date,
) -> Staff:
    """Users (admin, a manager per region, reps, two viewers), rep profiles, the tree and
    the assignment history; one password hash for everybody, computed once."""
    regions, leaves = create_tree(org, zones, plan)
    usernames = _Usernames()
    chief = names.Person("Carlos", "Mendoza Rivas", False)
    admin = _user(org, usernames, chief, Role.ADMIN, username="admin", is_staff=True)
    hired = first_day - dt.timedelta(days=400)
    managers = {}
    for code, node in regions.items():
        managers[code] = _user(org, usernames, names.person(rng), Role.MANAGER, manager=admin)
        assign(territory=node, user=managers[code], role=AssignmentRole.MANAGER, valid_from=hired)
    n = len(leaves)
    team = Staff(
        admin=admin,
        marketing=_user(org, usernames, names.person(rng), Role.VIEWER, team=Team.MARKETING),
        service=_user(org, usernames, names.person(rng), Role.VIEWER, team=Team.SERVICE),
        managers_of=[managers[zones[z][0].code] for z in plan.zone],
        territories=leaves,
        previous_rep=np.full(n, -1),
        current_rep=np.zeros(n, dtype=np.int64),
        switch_day=np.zeros(n, dtype=np.int64),
    )
    span = last_day.toordinal() - first_day.toordinal()

    def hire(boss: User) -> User:
        return _user(org, usernames, names.person(rng), Role.REP, manager=boss)

    leaving = set(rng.choice(n, size=max(1, round(TURNOVER * n)), replace=False).tolist())
    for t in range(n):
        since = hired + dt.timedelta(days=int(rng.integers(0, 300)))
        left = t in leaving
        switch = first_day + dt.timedelta(days=int(span * rng.uniform(0.15, 0.85)))
        home = partial(_home, rng, geo, district[plan.accounts[t]])
        _staff_territory(team, t, hire, rng, home, since, switch if left else None)
    former_ids = [int(u) for u in team.previous_rep if u >= 0]
    User.objects.filter(pk__in=former_ids).update(is_active=False)
    User.objects.filter(organisation=org).update(password=make_password(DEMO_PASSWORD))
    return team
