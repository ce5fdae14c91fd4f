"""Writes of seasons: the calendar of holidays and selling events, and starting a run."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.core.models import Organisation, Role, User
from rumbo.seasons.models import CalendarEvent

H, E = CalendarEvent.Kind.HOLIDAY, CalendarEvent.Kind.EVENT
# Peru's national holidays and the selling seasons of a consumer-goods distributor.
PERU_CALENDAR = [
    (gettext_lazy("New Year"), H, 1, 1),
    (gettext_lazy("Summer: drinks and ice cream"), E, 1, None),
    (gettext_lazy("Summer: drinks and ice cream"), E, 2, None),
    (gettext_lazy("Back to school"), E, 3, None),
    (gettext_lazy("Holy Week"), H, 4, None),
    (gettext_lazy("Labour Day"), H, 5, 1),
    (gettext_lazy("Mother's Day"), E, 5, None),
    (gettext_lazy("Father's Day"), E, 6, None),
    (gettext_lazy("Saint Peter and Saint Paul"), H, 6, 29),
    (gettext_lazy("Fiestas Patrias"), H, 7, 28),
    (gettext_lazy("Fiestas Patrias"), H, 7, 29),
    (gettext_lazy("Santa Rosa de Lima"), H, 8, 30),
    (gettext_lazy("Battle of Angamos"), H, 10, 8),
    (gettext_lazy("All Saints' Day"), H, 11, 1),
    (gettext_lazy("Immaculate Conception"), H, 12, 8),
    (gettext_lazy("Christmas: panettone and hot chocolate"), E, 12, None),
    (gettext_lazy("Christmas"), H, 12, 25),
]


def may_edit(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.MANAGER)


def calendar_for(organisation: Organisation) -> list[CalendarEvent]:
    """The organisation's events; Peru's calendar the first time."""
    events = list(CalendarEvent.objects.filter(organisation=organisation))
    if events:
        return events
    CalendarEvent.objects.bulk_create(
        CalendarEvent(organisation=organisation, name=str(n), kind=k, month=m, day=d)
        for n, k, m, d in PERU_CALENDAR
    )
    return list(CalendarEvent.objects.filter(organisation=organisation))


@transaction.atomic
def add_event(*, actor: User, name: str, kind: str, month: int, day: int | None) -> CalendarEvent:
    if not may_edit(actor):
        raise PermissionDenied(_("Only administrators and managers change the calendar."))
    event = CalendarEvent(organisation_id=actor.organisation_id, name=name, kind=kind,
                          month=month, day=day)  # fmt: skip
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def delete_event(*, actor: User, event: CalendarEvent) -> None:
    if not may_edit(actor) or event.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Only administrators and managers change the calendar."))
    event.delete()
