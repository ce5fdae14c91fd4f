"""Reads behind the team screens: the people a user may see, and their coaching and training."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from rumbo.core.models import User
from rumbo.team.models import CoachingNote, Rep, RepQuerySet, TrainingRecord
from rumbo.territories.models import Assignment, AssignmentRole, Territory


def team_members(user: User) -> RepQuerySet:
    """The field profiles the user may see, by name, with the territories they cover today."""
    covering = (
        Assignment.objects.active_on()
        .filter(role=AssignmentRole.REP, territory__in=Territory.objects.visible_to(user))
        .select_related("territory")
        .order_by("territory__path", "pk")
    )
    return (
        Rep.objects.visible_to(user)
        .select_related("user", "user__manager", "home_distrito")
        .prefetch_related(Prefetch("user__assignments", queryset=covering, to_attr="covering"))
        .order_by("-is_active", "user__first_name", "user__last_name", "pk")
    )


def member(user: User, rep_id: int) -> Rep:
    """One field profile the user may see, else 404."""
    rep = Rep.objects.visible_to(user).select_related("user").filter(pk=rep_id).first()
    if rep is None:
        raise Http404
    return rep


def coaching_note(user: User, pk: int) -> CoachingNote:
    note = CoachingNote.objects.visible_to(user).select_related("rep").filter(pk=pk).first()
    if note is None:
        raise Http404
    return note


def training_record(user: User, pk: int) -> TrainingRecord:
    record = TrainingRecord.objects.visible_to(user).select_related("rep").filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
