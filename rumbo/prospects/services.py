"""Writes on prospects: create and change them, log what was done, move them along the
pipeline, book appointments in a rep's calendar, and convert a won prospect into an account.

A converted prospect keeps its history: its contacts and appointments appear on the new
account's timeline (the timeline reads them through `Prospect.account`), and the prospect
page links to the account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, User
from rumbo.customers.models import Account, Channel
from rumbo.customers.services import add_contact, create_account
from rumbo.geo.models import Distrito
from rumbo.prospects.models import Appointment, ChannelPotential, Prospect, ProspectTouch
from rumbo.prospects.scoring import score_prospects
from rumbo.territories.models import Assignment, AssignmentRole, Territory
from rumbo.territories.scoping import scope_for

PROSPECT_FIELDS = {
    "name", "contact_name", "phone", "email", "tax_id", "address", "distrito", "channel",
    "source", "notes", "external_code",
}  # fmt: skip
# Where a prospect may go by hand; "won" only through convert_prospect.
MOVES: dict[str, set[str]] = {
    Prospect.Status.NEW: {Prospect.Status.CONTACTED, Prospect.Status.LOST},
    Prospect.Status.CONTACTED: {Prospect.Status.NEW, Prospect.Status.APPOINTMENT,
                                Prospect.Status.LOST},
    Prospect.Status.APPOINTMENT: {Prospect.Status.CONTACTED, Prospect.Status.LOST},
    Prospect.Status.LOST: {Prospect.Status.CONTACTED},
    Prospect.Status.WON: set(),
}  # fmt: skip


def _place(prospect: Prospect, lat: float | None, lon: float | None) -> None:
    """Coordinates when known, else the district's reference point (and say so)."""
    if lat is not None and lon is not None:
        prospect.lat, prospect.lon = lat, lon
        prospect.location_precision = Account.LocationPrecision.EXACT
    else:
        prospect.lat, prospect.lon = prospect.distrito.lat, prospect.distrito.lon
        prospect.location_precision = Account.LocationPrecision.DISTRICT


def home_territory(user: User) -> Territory | None:
    """The first territory a rep covers today (for prospects they find)."""
    row = (
        Assignment.objects.active_on()
        .filter(user=user, role=AssignmentRole.REP)
        .select_related("territory")
        .order_by("valid_from", "pk")
        .first()
    )
    return row.territory if row else None


def _check_scope(actor: User | None, owner: User | None, territory: Territory | None) -> None:
    if actor is None:  # an import run by the system: the whole organisation
        return
    scope = scope_for(actor)
    if owner is not None:
        if owner.organisation_id != actor.organisation_id or not owner.is_active:
            raise ValidationError({"owner": _("Choose an active person of your organisation.")})
        if scope.user_ids is not None and owner.pk not in scope.user_ids:
            raise ValidationError({"owner": _("%(p)s is not in your team.") % {"p": owner}})
    if territory is not None:
        if territory.organisation_id != actor.organisation_id:
            raise ValidationError({"territory": _("This belongs to another organisation.")})
        if scope.territory_ids is not None and territory.pk not in scope.territory_ids:
            raise ValidationError({"territory": _("This territory is not yours.")})
    if owner is None and territory is None and not scope.is_everything:
        raise ValidationError({"owner": _("Give the prospect an owner or a territory.")})


def _check_writer(actor: User | None) -> None:
    if actor is not None and actor.role == Role.VIEWER and actor.team != "marketing":
        raise PermissionDenied(_("You may read prospects, not change them."))


@transaction.atomic
def create_prospect(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    distrito: Distrito,
    channel: Channel,
    source: str,
    lat: float | None = None,
    lon: float | None = None,
    owner: User | None = None,
    territory: Territory | None = None,
    rescore: bool = True,
    **fields: Any,
) -> Prospect:
    """A new lead. A rep's own leads are theirs; the territory defaults to the owner's."""
    _check_writer(actor)
    unknown = set(fields) - PROSPECT_FIELDS
    if unknown:
        raise ValueError(f"Not prospect fields: {sorted(unknown)}")
    if channel.organisation_id != organisation.pk:
        raise ValidationError({"channel": _("This belongs to another organisation.")})
    if owner is None and actor is not None and actor.role == Role.REP:
        owner = actor
    territory = territory or (home_territory(owner) if owner else None)
    _check_scope(actor, owner, territory)
    prospect = Prospect(
        organisation=organisation, name=name, distrito=distrito, channel=channel, source=source,
        owner=owner, territory=territory, created_by=actor, **fields,
    )  # fmt: skip
    _place(prospect, lat, lon)
    prospect.full_clean()
    prospect.save()
    if rescore:
        score_prospects([prospect])
    return prospect


@transaction.atomic
def update_prospect(
    *,
    prospect: Prospect,
    actor: User | None,
    lat: float | None = None,
    lon: float | None = None,
    owner: Any = ...,
    territory: Any = ...,
    rescore: bool = True,
    **fields: Any,
) -> Prospect:
    """Change a prospect's details, owner or territory; its score is computed again."""
    _check_writer(actor)
    unknown = set(fields) - PROSPECT_FIELDS
    if unknown:
        raise ValueError(f"Not prospect fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(prospect, name, value)
    if owner is not ...:
        prospect.owner = owner
    if territory is not ...:
        prospect.territory = territory
    if owner is not ... or territory is not ...:
        _check_scope(actor, prospect.owner, prospect.territory)
    if lat is not None and lon is not None:
        _place(prospect, lat, lon)
    elif "distrito" in fields and prospect.location_precision != Account.LocationPrecision.EXACT:
        _place(prospect, None, None)
    prospect.full_clean()
    prospect.save()
    if rescore:
        score_prospects([prospect])
    return prospect


@transaction.atomic
def log_touch(
    *,
    prospect: Prospect,
    actor: User,
    kind: str,
    outcome: str = "",
    notes: str = "",
    occurred_at: dt.datetime | None = None,
) -> ProspectTouch:
    """Record a call, visit, message or note; a new prospect reached becomes "contacted"."""
    when = occurred_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationError({"occurred_at": _("A contact is logged once it happened.")})
    touch = ProspectTouch(
        prospect=prospect, kind=kind, team=actor.team, user=actor, occurred_at=when,
        outcome=outcome, notes=notes,
    )  # fmt: skip
    touch.full_clean()
    touch.save()
    reached = kind != ProspectTouch.Kind.NOTE and outcome != ProspectTouch.Outcome.NOT_REACHED
    fields = []
    if kind != ProspectTouch.Kind.NOTE and (prospect.last_contact_at or when) <= when:
        prospect.last_contact_at = when
        fields.append("last_contact_at")
    if reached and prospect.status == Prospect.Status.NEW:
        prospect.status = Prospect.Status.CONTACTED
        fields.append("status")
    if fields:
        prospect.save(update_fields=[*fields, "updated_at"])
    return touch


@transaction.atomic
def change_status(
    *, prospect: Prospect, actor: User, status: str, lost_reason: str = "", lost_notes: str = ""
) -> Prospect:
    """Move a prospect along the pipeline; losing one needs the reason."""
    _check_writer(actor)
    if status not in MOVES.get(prospect.status, set()):
        raise ValidationError(
            _("A prospect cannot go from “%(a)s” to “%(b)s”.")
            % {"a": prospect.get_status_display(), "b": Prospect.Status(status).label}
        )
    if status == Prospect.Status.LOST and not lost_reason:
        raise ValidationError({"lost_reason": _("Say why the prospect was lost.")})
    prospect.status = status
    prospect.lost_reason = lost_reason if status == Prospect.Status.LOST else ""
    prospect.lost_notes = lost_notes if status == Prospect.Status.LOST else ""
    prospect.full_clean()
    prospect.save(update_fields=["status", "lost_reason", "lost_notes", "updated_at"])
    return prospect


def _check_rep_free(
    rep: User, day: dt.date, start: dt.time, minutes: int, skip: int | None
) -> None:
    begin = dt.datetime.combine(day, start)
    end = begin + dt.timedelta(minutes=minutes)
    others = Appointment.objects.booked().filter(rep=rep, day=day)
    if skip is not None:
        others = others.exclude(pk=skip)
    for other in others:
        other_begin = dt.datetime.combine(day, other.start_time)
        other_end = other_begin + dt.timedelta(minutes=other.duration_min)
        if begin < other_end and other_begin < end:
            raise ValidationError(
                {"start_time": _("%(rep)s already meets %(who)s at %(t)s.")
                 % {"rep": rep, "who": other.prospect, "t": other.start_time.strftime("%H:%M")}}
            )  # fmt: skip


@transaction.atomic
def book_appointment(
    *,
    prospect: Prospect,
    actor: User,
    rep: User,
    day: dt.date,
    start_time: dt.time,
    duration_min: int = 45,
    notes: str = "",
) -> Appointment:
    """Book a meeting in the rep's calendar (no overlap with their other appointments)."""
    _check_writer(actor)
    if not prospect.is_open:
        raise ValidationError(_("This prospect is closed; reopen it first."))
    if rep.role not in (Role.REP, Role.MANAGER) or not rep.is_active:
        raise ValidationError({"rep": _("Appointments are booked for active reps.")})
    _check_scope(actor, rep, None)
    if day < timezone.localdate():
        raise ValidationError({"day": _("Book from today on.")})
    _check_rep_free(rep, day, start_time, duration_min, None)
    appointment = Appointment(
        organisation_id=prospect.organisation_id, prospect=prospect, rep=rep, day=day,
        start_time=start_time, duration_min=duration_min, notes=notes, created_by=actor,
    )  # fmt: skip
    appointment.full_clean()
    appointment.save()
    prospect.status = Prospect.Status.APPOINTMENT
    prospect.owner = prospect.owner or rep
    prospect.save(update_fields=["status", "owner", "updated_at"])
    return appointment


@transaction.atomic
def settle_appointment(
    *, appointment: Appointment, actor: User, status: str, result_notes: str = ""
) -> Appointment:
    """Say how a booked appointment went: held (a visit on the prospect's history), nobody
    there, or cancelled; without another booked one the prospect is back to "contacted"."""
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError(_("This appointment is already settled."))
    if status == Appointment.Status.BOOKED or status not in Appointment.Status.values:
        raise ValueError(f"Not a way to settle an appointment: {status}")
    if actor.pk != appointment.rep_id and not _may_manage(actor, appointment.rep):
        raise PermissionDenied(_("You may not change this person's appointments."))
    appointment.status = status
    appointment.result_notes = result_notes
    appointment.save(update_fields=["status", "result_notes"])
    prospect = appointment.prospect
    if status == Appointment.Status.DONE:
        log_touch(prospect=prospect, actor=actor, kind=ProspectTouch.Kind.VISIT,
                  outcome=ProspectTouch.Outcome.INTERESTED, notes=result_notes)  # fmt: skip
    still = prospect.appointments.booked().exists()
    if prospect.status == Prospect.Status.APPOINTMENT and not still:
        prospect.status = Prospect.Status.CONTACTED
        prospect.save(update_fields=["status", "updated_at"])
    return appointment


def _may_manage(actor: User, rep: User) -> bool:
    ids = scope_for(actor).user_ids
    return actor.role in (Role.ADMIN, Role.MANAGER) and (ids is None or rep.pk in ids)


@transaction.atomic
def convert_prospect(
    *,
    prospect: Prospect,
    actor: User,
    territory: Territory | None,
    legal_name: str,
    trade_name: str = "",
    tax_id_type: str = "",
    tax_id: str = "",
    **fields: Any,
) -> Account:
    """Turn a won prospect into an account: same place, channel, phone and email; its contact
    person becomes the main contact; the prospect is won and points to the account."""
    _check_writer(actor)
    if not prospect.is_open:
        raise ValidationError(_("Only an open prospect can become an account."))
    _check_scope(actor, None, territory)
    exact = prospect.location_precision == Account.LocationPrecision.EXACT
    account = create_account(
        organisation=prospect.organisation, actor=actor, territory=territory,
        lat=prospect.lat if exact else None, lon=prospect.lon if exact else None,
        legal_name=legal_name, trade_name=trade_name, tax_id_type=tax_id_type, tax_id=tax_id,
        channel=prospect.channel, distrito=prospect.distrito, address=prospect.address,
        phone=prospect.phone, email=prospect.email, opened_on=timezone.localdate(), **fields,
    )  # fmt: skip
    if prospect.contact_name:
        add_contact(account=account, name=prospect.contact_name, phone=prospect.phone,
                    email=prospect.email, is_primary=True)  # fmt: skip
    prospect.account = account
    prospect.status = Prospect.Status.WON
    prospect.converted_at = timezone.now()
    prospect.save(update_fields=["account", "status", "converted_at", "updated_at"])
    return account


@transaction.atomic
def assign_prospects(*, prospects: Iterable[Prospect], owner: User, actor: User) -> int:
    """Give open prospects to a rep (their cold-call list); returns how many changed."""
    _check_writer(actor)
    _check_scope(actor, owner, None)
    rows = [p for p in prospects if p.is_open and p.owner_id != owner.pk]
    territory = home_territory(owner)
    for p in rows:
        p.owner = owner
        p.territory = p.territory or territory
    Prospect.objects.bulk_update(rows, ["owner", "territory"], batch_size=500)
    return len(rows)


@transaction.atomic
def save_channel_potential(
    *,
    organisation: Organisation,
    actor: User,
    channel: Channel,
    outlets_per_1000_households: Decimal | None,
    monthly_sales_per_outlet: Decimal | None,
    prospected: bool,
) -> ChannelPotential:
    """Set (or leave to be learned) the white-space figures of one channel."""
    if actor.role != Role.ADMIN or actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only administrators change the white-space figures."))
    row, _created = ChannelPotential.objects.get_or_create(
        organisation=organisation, channel=channel
    )
    row.outlets_per_1000_households = outlets_per_1000_households
    row.monthly_sales_per_outlet = monthly_sales_per_outlet
    row.prospected = prospected
    row.updated_by = actor
    row.full_clean()
    row.save()
    return row
