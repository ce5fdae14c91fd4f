"""Writes on the sales team: people who sign in, and the field profile of those who sell."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, Team, User
from rumbo.geo.models import Distrito
from rumbo.team.models import Rep

REP_FIELDS = {
    "code", "phone", "home_distrito", "home_lat", "home_lon", "work_start", "work_end",
    "work_days", "weekly_capacity_hours", "cost_per_hour", "max_discount_pct", "is_active",
}  # fmt: skip


@transaction.atomic
def create_user(
    *,
    organisation: Organisation,
    username: str,
    role: str = Role.REP,
    team: str = Team.SALES,
    password: str | None = None,
    manager: User | None = None,
    **fields: Any,
) -> User:
    """A person who signs in; without a password they cannot sign in until one is set."""
    if manager is not None and manager.organisation_id != organisation.pk:
        raise ValidationError({"manager": _("This manager belongs to another organisation.")})
    user = User(
        organisation=organisation,
        username=username,
        role=role,
        team=team,
        manager=manager,
        **fields,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _place_home(rep: Rep) -> None:
    """Without coordinates, a rep starts the day at the reference point of their home district."""
    if (rep.home_lat is None or rep.home_lon is None) and rep.home_distrito is not None:
        rep.home_lat, rep.home_lon = rep.home_distrito.lat, rep.home_distrito.lon


@transaction.atomic
def create_rep(
    *, user: User, code: str, home_distrito: Distrito | None = None, **fields: Any
) -> Rep:
    """Give a user a field profile (home base, working hours, capacity, cost)."""
    unknown = set(fields) - REP_FIELDS
    if unknown:
        raise ValueError(f"Not rep fields: {sorted(unknown)}")
    if user.role not in (Role.REP, Role.MANAGER):
        raise ValidationError(_("Only reps and managers have a field profile."))
    rep = Rep(
        organisation_id=user.organisation_id,
        user=user,
        code=code,
        home_distrito=home_distrito,
        **fields,
    )
    _place_home(rep)
    rep.full_clean()
    rep.save()
    return rep


@transaction.atomic
def update_rep(*, rep: Rep, **fields: Any) -> Rep:
    unknown = set(fields) - REP_FIELDS
    if unknown:
        raise ValueError(f"Not rep fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(rep, name, value)
    if "home_distrito" in fields and not {"home_lat", "home_lon"} & set(fields):
        rep.home_lat = rep.home_lon = None
    _place_home(rep)
    rep.full_clean()
    rep.save()
    return rep
