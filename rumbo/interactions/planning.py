"""Writes on the reps' plans: a manager assigns (or a rep plans) a visit, call, follow-up or
task for a day; doing it records an interaction. Contacts go through the contact guard."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.interactions.guard import ContactGuardWarning, check_contact
from rumbo.interactions.models import Interaction, PlannedActivity, Ticket
from rumbo.territories.models import Assignment, AssignmentRole
from rumbo.territories.scoping import scope_for

PLANNERS = (Role.ADMIN, Role.MANAGER)
# How a done visit, call or follow-up is recorded on the timeline.
RECORDED_AS: dict[str, str] = {
    PlannedActivity.Kind.VISIT: Interaction.Kind.VISIT,
    PlannedActivity.Kind.CALL: Interaction.Kind.CALL,
    PlannedActivity.Kind.FOLLOW_UP: Interaction.Kind.CALL,
}


def may_plan_for(actor: User, rep: User) -> bool:
    """A rep plans their own days; managers and admins the days of the reps in their scope."""
    if actor.organisation_id != rep.organisation_id or not actor.is_active:
        return False
    if actor.pk == rep.pk:
        return actor.role in (Role.REP, Role.MANAGER)
    ids = scope_for(actor).user_ids
    return actor.role in PLANNERS and (ids is None or rep.pk in ids)


def _check_rep(rep: User) -> None:
    if not rep.is_active or rep.role not in (Role.REP, Role.MANAGER):
        raise ValidationError({"rep": _("Plans are made for active reps and managers.")})


def _check_account(rep: User, account: Account | None, kind: str) -> None:
    if account is None:
        if kind != PlannedActivity.Kind.TASK:
            raise ValidationError({"account": _("Say which account to visit or call.")})
        return
    if not Account.objects.visible_to(rep).filter(pk=account.pk).exists():
        raise ValidationError(
            {"account": _("%(rep)s does not cover %(account)s.") % {"rep": rep, "account": account}}
        )


def _guard(
    account: Account | None, kind: str, day: dt.date, *, confirm: bool, ignore: tuple[str, ...] = ()
) -> bool:
    """Raise ContactGuardWarning when a contact breaks the policy and is not confirmed;
    return whether it breaks it (to mark the plan as an override)."""
    if account is None or kind not in PlannedActivity.CONTACT_KINDS:
        return False
    result = check_contact(account=account, day=day, ignore=ignore)
    if result.ok:
        return False
    if not confirm:
        raise ContactGuardWarning(result)
    return True


@transaction.atomic
def plan_activity(
    *,
    rep: User,
    day: dt.date,
    kind: str,
    actor: User,
    account: Account | None = None,
    start_time: dt.time | None = None,
    duration_min: int = 30,
    title: str = "",
    notes: str = "",
    ticket: Ticket | None = None,
    source: str | None = None,
    confirm: bool = False,
    today: dt.date | None = None,
) -> PlannedActivity:
    """Put an activity in a rep's plan. A visit, call or follow-up that breaks the account's
    contact policy raises ContactGuardWarning unless `confirm` (then it is marked so)."""
    if not may_plan_for(actor, rep):
        raise PermissionDenied(_("You may not plan this person's days."))
    _check_rep(rep)
    if day < (today or timezone.localdate()):
        raise ValidationError({"day": _("Plan from today on.")})
    _check_account(rep, account, kind)
    override = _guard(account, kind, day, confirm=confirm)
    activity = PlannedActivity(
        organisation_id=rep.organisation_id, rep=rep, day=day, kind=kind, account=account,
        start_time=start_time, duration_min=duration_min, title=title, notes=notes,
        ticket=ticket, assigned_by=actor, guard_override=override,
        source=source or (PlannedActivity.Source.SELF if actor.pk == rep.pk
                          else PlannedActivity.Source.MANAGER),
    )  # fmt: skip
    activity.full_clean()
    activity.save()
    return activity


def rep_of(account: Account, on: dt.date | None = None) -> User | None:
    """The rep covering the account's territory (the first assigned, if several)."""
    if account.territory_id is None:
        return None
    row = (
        Assignment.objects.active_on(on)
        .filter(territory_id=account.territory_id, role=AssignmentRole.REP, user__is_active=True)
        .select_related("user")
        .order_by("valid_from", "pk")
        .first()
    )
    return row.user if row else None


@transaction.atomic
def plan_follow_up(
    *,
    account: Account,
    day: dt.date,
    actor: User,
    rep: User | None = None,
    title: str = "",
    ticket: Ticket | None = None,
    source: str = PlannedActivity.Source.INTERACTION,
) -> PlannedActivity:
    """A follow-up asked for while logging a contact or closing a ticket: in the plan of the
    given rep, else of the actor when they sell, else of the account's rep. It is planned even
    when it breaks the contact policy (the customer asked for it), and marked so."""
    if rep is None:
        rep = actor if actor.role in (Role.REP, Role.MANAGER) else rep_of(account)
    if rep is None:
        raise ValidationError({"follow_up_on": _("No rep covers this account to follow it up.")})
    _check_rep(rep)
    if day < timezone.localdate():
        raise ValidationError({"follow_up_on": _("Plan from today on.")})
    _check_account(rep, account, PlannedActivity.Kind.FOLLOW_UP)
    override = _guard(account, PlannedActivity.Kind.FOLLOW_UP, day, confirm=True)
    activity = PlannedActivity(
        organisation_id=account.organisation_id, rep=rep, day=day, account=account,
        kind=PlannedActivity.Kind.FOLLOW_UP, title=title[:200], ticket=ticket, source=source,
        assigned_by=actor, guard_override=override,
    )  # fmt: skip
    activity.full_clean()
    activity.save()
    return activity


def _check_owner(activity: PlannedActivity, actor: User) -> None:
    if not may_plan_for(actor, activity.rep):
        raise PermissionDenied(_("You may not change this person's plan."))
    if activity.status != PlannedActivity.Status.PLANNED:
        raise ValidationError(_("This activity is no longer planned."))


@transaction.atomic
def reschedule_activity(
    *,
    activity: PlannedActivity,
    day: dt.date,
    actor: User,
    start_time: dt.time | None = None,
    confirm: bool = False,
) -> PlannedActivity:
    """Move a planned activity to another day (from today on), through the contact guard."""
    _check_owner(activity, actor)
    if day < timezone.localdate():
        raise ValidationError({"day": _("Plan from today on.")})
    ignore = (f"activity:{activity.pk}",)
    activity.guard_override = _guard(
        activity.account, activity.kind, day, confirm=confirm, ignore=ignore
    )
    activity.day = day
    activity.start_time = start_time
    activity.save(update_fields=["day", "start_time", "guard_override"])
    return activity


@transaction.atomic
def complete_activity(
    *,
    activity: PlannedActivity,
    actor: User,
    outcome: str = "",
    notes: str = "",
    kind: str | None = None,
) -> PlannedActivity:
    """Mark an activity done; a visit, call or follow-up is recorded on the account's
    timeline (as `kind`, e.g. a follow-up made as a visit)."""
    _check_owner(activity, actor)
    if activity.day > timezone.localdate():
        raise ValidationError(_("An activity is done on its day or later, not before."))
    if activity.account is not None and activity.kind in RECORDED_AS:
        activity.interaction = Interaction.objects.create(
            organisation_id=activity.organisation_id, account=activity.account,
            kind=kind or RECORDED_AS[activity.kind], team=activity.rep.team, user=activity.rep,
            occurred_at=timezone.now(), outcome=outcome, subject=activity.title, notes=notes,
            duration_min=activity.duration_min,
        )  # fmt: skip
    activity.status = PlannedActivity.Status.DONE
    activity.result_notes = notes
    activity.done_at = timezone.now()
    activity.save(update_fields=["status", "result_notes", "done_at", "interaction"])
    return activity


@transaction.atomic
def drop_activity(
    *, activity: PlannedActivity, actor: User, status: str, notes: str = ""
) -> PlannedActivity:
    """Mark an activity not done (skipped) or cancelled, saying why."""
    if status not in (PlannedActivity.Status.SKIPPED, PlannedActivity.Status.CANCELLED):
        raise ValueError(f"Not a way to drop an activity: {status}")
    _check_owner(activity, actor)
    activity.status = status
    activity.result_notes = notes
    activity.save(update_fields=["status", "result_notes"])
    return activity
