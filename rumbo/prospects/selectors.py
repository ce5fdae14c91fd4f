"""Reads behind the prospecting screens: the pipeline, one prospect, a rep's cold-call list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from rumbo.core.models import User
from rumbo.prospects.models import Appointment, Prospect, ProspectQuerySet, ProspectTouch

SORTS = {
    "score": ("-score", "name"),
    "name": ("name",),
    "created": ("-created_at",),
    "contact": ("last_contact_at",),
}
# A prospect called in the last few days waits before it is on the list again.
CALL_AGAIN_AFTER_DAYS = 3
COLD_CALL_SIZE = 40


@dataclass(frozen=True)
class ProspectFilters:
    text: str = ""
    status: str = ""
    owner_id: int | None = None
    channel_id: int | None = None
    territory_path: str = ""
    source: str = ""
    ubigeo: str = ""

    def apply(self, rows: ProspectQuerySet) -> ProspectQuerySet:
        if self.status == "open":
            rows = rows.open()
        elif self.status:
            rows = rows.filter(status=self.status)
        if self.owner_id is not None:
            rows = rows.filter(owner_id=self.owner_id)
        if self.channel_id is not None:
            rows = rows.filter(channel_id=self.channel_id)
        if self.territory_path:
            rows = rows.filter(territory__path__startswith=self.territory_path)
        if self.source:
            rows = rows.filter(source=self.source)
        if self.ubigeo:
            rows = rows.filter(distrito_id=self.ubigeo)
        if self.text:
            rows = rows.filter(
                Q(name__icontains=self.text)
                | Q(contact_name__icontains=self.text)
                | Q(phone__icontains=self.text)
                | Q(tax_id=self.text)
            )
        return rows


def prospect_list(user: User, filters: ProspectFilters, sort: str = "score") -> ProspectQuerySet:
    rows = filters.apply(Prospect.objects.visible_to(user))
    terms = SORTS.get(sort, SORTS["score"])
    return rows.select_related("channel", "distrito", "owner", "territory").order_by(*terms, "pk")


def pipeline(user: User) -> dict[str, int]:
    """How many prospects the user sees in each status."""
    rows = Prospect.objects.visible_to(user).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def prospect_detail(user: User, pk: int) -> Prospect:
    prospect = (
        Prospect.objects.visible_to(user)
        .select_related(
            "channel",
            "distrito__provincia__departamento",
            "owner",
            "territory",
            "account",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if prospect is None:
        raise Http404
    return prospect


def touches_of(prospect: Prospect) -> list[ProspectTouch]:
    return list(prospect.touches.select_related("user"))


def appointments_of(prospect: Prospect) -> list[Appointment]:
    return list(prospect.appointments.select_related("rep").order_by("-day", "-start_time"))


def cold_calls(
    user: User, rep: User, today: dt.date | None = None, size: int = COLD_CALL_SIZE
) -> ProspectQuerySet:
    """The rep's open leads with a phone, not called in the last few days, best first."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=CALL_AGAIN_AFTER_DAYS - 1), dt.time.min)
    )
    return (
        Prospect.objects.visible_to(user)
        .filter(owner=rep, status__in=(Prospect.Status.NEW, Prospect.Status.CONTACTED))
        .exclude(phone="")
        .exclude(last_contact_at__gte=since)
        .select_related("channel", "distrito")
        .order_by("-score", "last_contact_at", "pk")[:size]
    )
