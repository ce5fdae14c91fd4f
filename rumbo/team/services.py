"""Writes on the sales team: people who sign in, and the field profile of those who sell."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, Team, User
from rumbo.geo.models import Distrito
from rumbo.team.models import CoachingNote, Rep, TrainingRecord
from rumbo.territories.scoping import scope_for

REP_FIELDS = {
    "code", "phone", "home_distrito", "home_lat", "home_lon", "work_start", "work_end",
    "work_days", "weekly_capacity_hours", "cost_per_hour", "max_discount_pct", "is_active",
}  # fmt: skip
USER_FIELDS = {
    "first_name", "last_name", "email", "role", "team", "manager", "language", "can_see_amounts",
    "is_active",
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


def _check_manager(user: User, manager: User | None) -> None:
    """A manager of the same organisation, and no loop: nobody reports (even through others)
    to themselves."""
    if manager is None:
        return
    if manager.organisation_id != user.organisation_id:
        raise ValidationError({"manager": _("This manager belongs to another organisation.")})
    above: User | None = manager
    seen: set[int] = set()
    while above is not None and above.pk not in seen:
        if above.pk == user.pk:
            message = _("%(user)s cannot report to someone who reports to them.")
            raise ValidationError({"manager": message % {"user": user}})
        seen.add(above.pk)
        above = above.manager


@transaction.atomic
def update_user(*, user: User, actor: User | None = None, **fields: Any) -> User:
    """Change a person's name, email, role, team or manager. Someone with a field profile stays
    a rep or a manager."""
    unknown = set(fields) - USER_FIELDS
    if unknown:
        raise ValueError(f"Not user fields: {sorted(unknown)}")
    if "manager" in fields:
        _check_manager(user, fields["manager"])
    role = fields.get("role", user.role)
    if role not in (Role.REP, Role.MANAGER) and Rep.objects.filter(user=user).exists():
        message = _("%(user)s has a field profile: they stay a rep or a manager.")
        raise ValidationError({"role": message % {"user": user}})
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user


def may_coach(actor: User, rep: User) -> bool:
    """Administrators coach anyone in their organisation; managers the people in their scope
    (but not themselves)."""
    if actor.organisation_id != rep.organisation_id or not actor.is_active:
        return False
    if actor.role == Role.ADMIN:
        return True
    ids = scope_for(actor).user_ids
    return actor.role == Role.MANAGER and actor.pk != rep.pk and ids is not None and rep.pk in ids


def _check_coach(actor: User, rep: User) -> None:
    if not may_coach(actor, rep):
        raise PermissionDenied(_("You may not record coaching or training for this person."))


@transaction.atomic
def add_coaching_note(*, rep: User, actor: User, **fields: Any) -> CoachingNote:
    """A manager's note on what they saw with a rep and what was agreed."""
    _check_coach(actor, rep)
    note = CoachingNote(organisation_id=rep.organisation_id, rep=rep, author=actor, **fields)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def delete_coaching_note(*, note: CoachingNote, actor: User) -> None:
    """Only its author (or an administrator) removes a note."""
    if not (
        actor.pk == note.author_id or (actor.role == Role.ADMIN and may_coach(actor, note.rep))
    ):
        raise PermissionDenied(_("Only the author removes a coaching note."))
    note.delete()


@transaction.atomic
def add_training_record(*, rep: User, actor: User | None, **fields: Any) -> TrainingRecord:
    """A course the rep took and its result (actor None: an import run by the system)."""
    if actor is not None:
        _check_coach(actor, rep)
    record = TrainingRecord(
        organisation_id=rep.organisation_id, rep=rep, recorded_by=actor, **fields
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def delete_training_record(*, record: TrainingRecord, actor: User) -> None:
    _check_coach(actor, record.rep)
    record.delete()
