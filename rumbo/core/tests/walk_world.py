"""The world the scope walker walks in (test_scope_walk*.py): the cast plus one row of every
kind a URL may name, in both organisations, and the words each user must never read there.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.utils import timezone

from rumbo.core.models import Job, User
from rumbo.core.services import create_api_token
from rumbo.core.tests.walker import ANONYMOUS, AnyUser, in_scope
from rumbo.customers.models import Account, Contact
from rumbo.geo.models import Departamento, Distrito, Provincia
from rumbo.imports.models import MappingPreset
from rumbo.imports.services import create_batch
from rumbo.interactions.models import Interaction
from rumbo.orders.models import Order
from rumbo.targets.models import Measure, MonthlyDistribution, Target
from rumbo.territories.models import Level, Territory
from rumbo.testing import Cast, build_cast, make_order, make_territory


@dataclass
class World:
    cast: Cast
    users: dict[str, AnyUser] = field(default_factory=dict)
    leaks: dict[str, list[str]] = field(default_factory=dict)


def build_world() -> World:
    """The cast, plus one row of every kind a URL may name, in both organisations, with
    amounts and names distinctive enough to be searched for in any page."""
    cast = build_cast()
    cast.otto.is_staff = True  # both organisations' admins walk the Django admin
    cast.otto.save(update_fields=["is_staff"])
    t = cast.territories
    t["reserved"] = make_territory(cast.org, "ZRA", "Zona Reservada Andina", Level.ZONE, t["norte"])
    t["reserved_other"] = make_territory(cast.outsider, "ZRO", "Zona Reservada Otra", Level.ZONE)
    today = timezone.localdate()
    for i, (key, account) in enumerate(sorted(cast.accounts.items()), start=1):
        account.credit_limit = Decimal(f"{40000 + 1111 * i}.57")
        account.save(update_fields=["credit_limit"])
        Contact.objects.create(account=account, name=f"Contacto {account.trade_name}")
        Interaction.objects.create(
            organisation_id=account.organisation_id, account=account, kind="visit", team="sales"
        )
        product = account.organisation.products.get(sku="BEB-001")
        cast.orders[f"{key}_big"] = make_order(account, product, f"{5000 + 13 * i}.37", today)
    for i, territory in enumerate(t.values(), start=1):
        Target.objects.create(
            organisation_id=territory.organisation_id,
            territory=territory,
            month=today.replace(day=1),
            measure=Measure.AMOUNT,
            value=Decimal(f"{60000 + 1013 * i}.00"),
        )
    for org in (cast.org, cast.outsider):
        shares = ["8.25"] * 4 + ["8.35"] * 8
        MonthlyDistribution.objects.create(
            organisation=org, name=f"Distribución {org.slug}", percentages=shares
        )
    for user in cast.users().values():
        create_api_token(user=user, name=f"token {user.username}")
        Job.objects.create(organisation=user.organisation, user=user, kind="demo", label="walk")
    for user in (cast.admin, cast.maria, cast.otto):
        batch = create_batch(
            organisation=user.organisation,
            user=user,
            kind="accounts",
            file_name="walk.csv",
            content=b"codigo,razon_social\nW1,Cliente de prueba\n",
        )
        MappingPreset.objects.get_or_create(
            organisation=user.organisation,
            name="walk",
            defaults={"kind": batch.kind, "mapping": batch.mapping},
        )
    _activity_rows(cast)
    world = World(cast, users={**cast.users(), ANONYMOUS: AnonymousUser()})
    geo_names = _geo_names()
    world.leaks = {name: leak_words(user, geo_names) for name, user in world.users.items()}
    return world


def _activity_rows(cast: Cast) -> None:
    """Tickets, campaigns, contact policies, plans, prospects, appointments, coaching and
    training in both organisations, for alicia's, bruno's and olga's sides."""
    from rumbo.design.models import Scenario
    from rumbo.design.services import create_scenario
    from rumbo.interactions.models import Campaign, ContactPolicy, PlannedActivity, Ticket
    from rumbo.prospects.models import Appointment, Prospect
    from rumbo.quotas.services import create_plan
    from rumbo.review.models import Recommendation, Review
    from rumbo.team.models import CoachingNote, TrainingRecord
    from rumbo.visits.models import CheckIn

    today = timezone.localdate()
    t_other = cast.territories["other"]
    sides = [("alicia_1", cast.alicia, cast.maria), ("bruno_1", cast.bruno, cast.maria),
             ("other_1", cast.olga, cast.otto)]  # fmt: skip
    for n, (key, rep, boss) in enumerate(sides, start=1):
        account = cast.accounts[key]
        org_id = account.organisation_id
        Ticket.objects.create(organisation_id=org_id, account=account, number=n, topic="delivery",
                              subject=f"Reclamo {n}", opened_by=boss)  # fmt: skip
        PlannedActivity.objects.create(organisation_id=org_id, rep=rep, day=today, kind="visit",
                                       account=account, source="manager")  # fmt: skip
        prospect = Prospect.objects.create(
            organisation_id=org_id, name=f"Prospecto {n}", distrito_id=account.distrito_id or "",
            channel=account.channel, source="field", location_precision="district", owner=rep,
            territory=account.territory,
        )  # fmt: skip
        Appointment.objects.create(organisation_id=org_id, prospect=prospect, rep=rep, day=today,
                                   start_time=dt.time(10, 0))  # fmt: skip
        CoachingNote.objects.create(organisation_id=org_id, rep=rep, author=boss, topic="visits",
                                    note=f"Nota {n}")  # fmt: skip
        TrainingRecord.objects.create(organisation_id=org_id, rep=rep, course=f"Curso {n}",
                                      day=today, result="passed")  # fmt: skip
    for org, territory in ((cast.org, cast.territories["lima"]), (cast.outsider, t_other)):
        review = Review.objects.create(organisation=org, month=today.replace(day=1),
                                       territory=territory)  # fmt: skip
        Recommendation.objects.create(review=review, kind="over_capacity")
    create_scenario(root=cast.territories["lima"], name="Escenario Lima", actor=cast.maria)
    for rep, account in ((cast.alicia, cast.accounts["alicia_1"]),
                         (cast.olga, cast.accounts["other_1"])):  # fmt: skip
        CheckIn.objects.create(organisation_id=account.organisation_id, rep=rep, account=account,
                               key=uuid.uuid4(), checked_in_at=timezone.now())  # fmt: skip
    Scenario.objects.create(organisation=cast.outsider, root=t_other, name="Escenario Otro")
    for root, boss in ((cast.territories["lima"], cast.maria), (t_other, cast.otto)):
        create_plan(root=root, year=today.year + 1, measure="amount", total=Decimal("12000"),
                    method="blend", months_by="even", actor=boss)  # fmt: skip
    for org, owner in ((cast.org, cast.vera), (cast.outsider, cast.otto)):
        ContactPolicy.objects.create(organisation=org)
        Campaign.objects.create(organisation=org, name=f"Campaña {org.slug}", medium="email",
                                starts_on=today, ends_on=today, owner=owner)  # fmt: skip


def _geo_names() -> set[str]:
    names: set[str] = set()
    for model in (Departamento, Provincia, Distrito):
        names |= {n.casefold() for n in model.objects.values_list("name", flat=True)}
    return names


def _amount_words(value: Decimal) -> list[str]:
    """How an amount may be written: 41111.57, 41.111,57, 41,111.57, 41 111,57."""
    whole, cents = f"{value:,.2f}".split(".")
    plain = whole.replace(",", "")
    written = [f"{plain}.{cents}", f"{plain},{cents}", f"{whole}.{cents}"]
    written += [f"{whole.replace(',', sep)},{cents}" for sep in (".", "\xa0", " ")]
    return written


def leak_words(user: AnyUser, geo_names: set[str]) -> list[str]:
    """What the user must never read: names and amounts of the accounts, orders and targets
    outside their scope, names of the territories outside it (but their own ancestors), and
    every amount when they may not see amounts."""
    sees_amounts = getattr(user, "sees_amounts", False)
    seen = set(in_scope(Account, user).values_list("pk", flat=True))
    visible_names: set[str] = set()
    words: set[str] = set()
    for account in Account.objects.all():
        names = {account.trade_name, account.legal_name}
        if account.pk in seen:
            visible_names |= names
        else:
            words |= names
        if account.pk not in seen or not sees_amounts:
            words |= set(_amount_words(account.credit_limit))
    for order in Order.objects.filter(net_amount__gt=10000):  # the distinctive ones of the world
        if order.account_id not in seen or not sees_amounts:
            words |= {*_amount_words(order.net_amount), *_amount_words(order.total_amount)}
    for target in Target.objects.exclude(pk__in=in_scope(Target, user).values("pk")):
        words |= set(_amount_words(target.value))
    visible = list(in_scope(Territory, user))
    visible_names |= {t.name for t in visible}
    words |= _territory_words(visible, geo_names)
    return sorted(w for w in words if w and not any(w in v for v in visible_names))


def _territory_words(visible: list[Territory], geo_names: set[str]) -> set[str]:
    """Names of the territories outside `visible` and its ancestors, distinctive enough to
    search pages for (not a place name, not a single short word)."""
    known = {t.pk for t in visible} | {a.pk for t in visible for a in t.ancestors()}
    return {
        t.name
        for t in Territory.objects.exclude(pk__in=known)
        if t.name.casefold() not in geo_names and (" " in t.name or len(t.name) >= 10)
    }


@contextmanager
def world_for_module(django_db_blocker: Any) -> Iterator[World]:
    """Build the world once for a test module, inside a transaction rolled back at its end;
    each test runs in a savepoint within it, so the tests still see a fresh world."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def sign_in(client: Client, world: World, role: str) -> AnyUser:
    user = world.users[role]
    if isinstance(user, User):
        client.force_login(user)
    return user


def body(response: HttpResponseBase) -> str:
    """The response as a reader sees it: entities and JSON escapes decoded."""
    raw = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content  # type: ignore[attr-defined]
    )
    text = raw.decode(errors="replace")
    if "json" in response.get("Content-Type", ""):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


def leaks(world: World, role: str, response: HttpResponseBase) -> list[str]:
    """The words of the user's never-read list that the response contains."""
    text = body(response)
    return [word for word in world.leaks[role] if word in text]
