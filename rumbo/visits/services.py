"""Writes of visit planning: call plans, a rep's multi-week plan (made by the routing engine
and stored as the rep's planned visits with their route order), and one day re-routed after a
visit is moved to it or added to it.

Who may plan whose days is the rule of rumbo.interactions.planning: a rep their own, managers
and admins those of the reps in their scope.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.jobs import JobClock
from rumbo.core.models import User
from rumbo.customers.models import Account
from rumbo.engine.geo import haversine_km
from rumbo.engine.routing import DayResult, PlanResult, plan_visits, solve_day
from rumbo.engine.routing import optimise_from_here as engine_from_here
from rumbo.engine.stop import MaxRuntime
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.interactions.planning import (
    complete_activity,
    may_plan_for,
    plan_activity,
    reschedule_activity,
)
from rumbo.orders.models import Order
from rumbo.team.models import Rep
from rumbo.visits import adapters
from rumbo.visits.models import CallPlan, CheckIn, Stop, VisitPlan

DAY_SECONDS = 2.0  # re-routing one day after a change


def check_planner(actor: User, rep: User) -> None:
    if not may_plan_for(actor, rep):
        raise PermissionDenied(_("You may not plan this person's days."))


@transaction.atomic
def save_call_plan(
    *, account: Account, actor: User, preferred: list[int], forbidden: list[int], priority: int
) -> CallPlan:
    if set(preferred) & set(forbidden):
        raise ValidationError(_("A day cannot be both preferred and refused."))
    plan, _created = CallPlan.objects.get_or_create(account=account)
    plan.preferred_weekdays = sorted(set(preferred))
    plan.forbidden_weekdays = sorted(set(forbidden))
    plan.priority = priority
    plan.updated_by = actor
    plan.full_clean()
    plan.save()
    return plan


def start_plan(
    *, rep: User, starts_on: dt.date, weeks: int, actor: User, time_limit_s: int
) -> VisitPlan:
    check_planner(actor, rep)
    if starts_on < timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday()):
        raise ValidationError(_("Plan from this week on."))
    plan = VisitPlan(
        organisation_id=rep.organisation_id, rep=rep, starts_on=starts_on, weeks=weeks,
        time_limit_s=time_limit_s, created_by=actor,
    )  # fmt: skip
    plan.full_clean()
    plan.save()
    return plan


def make_plan(plan: VisitPlan, progress: Callable[[int, int], None]) -> VisitPlan:
    """Run the planner for `plan` (in a background task) and store its visits."""
    rep = plan.rep
    work_days = Rep.objects.get(user=rep).work_days
    horizon, dates = adapters.horizon_dates(plan.starts_on, plan.weeks, work_days)
    roster = adapters.roster(rep, dates[0])
    settings = adapters.settings_for(rep.organisation_id)
    if not roster.size:
        return _store(plan, roster, dates, None, settings)
    problem = adapters.plan_problem(roster, horizon, dates, settings)
    result = plan_visits(problem, JobClock(plan.time_limit_s, progress), seed=plan.pk or 0)
    return _store(plan, roster, dates, result, settings)


@transaction.atomic
def _store(
    plan: VisitPlan,
    roster: adapters.Roster,
    dates: list[dt.date],
    result: PlanResult | None,
    settings: Any,
) -> VisitPlan:
    """Replace Rumbo's planned visits of the rep in the horizon with the new plan; visits a
    person planned (with or without a time) stay, and become stops when the route uses them."""
    rep = plan.rep
    PlannedActivity.objects.filter(
        rep=rep, kind=PlannedActivity.Kind.VISIT, status=PlannedActivity.Status.PLANNED,
        source=PlannedActivity.Source.RUMBO, day__in=dates,
    ).delete()  # fmt: skip
    kept = {
        (a.day, a.account_id): a
        for a in PlannedActivity.objects.filter(account__isnull=False).filter(
            rep=rep, kind=PlannedActivity.Kind.VISIT, status=PlannedActivity.Status.PLANNED,
            day__in=dates,
        )
    }  # fmt: skip
    visits = 0
    if result is not None:
        travel = adapters.travel(roster, settings)
        for d, day_result in enumerate(result.days):
            accounts = result.day_accounts[d]
            visits += _write_day(plan, roster, dates[d], day_result, accounts, travel, kept)
    plan.dropped = [] if result is None else _dropped(roster, dates, result)
    plan.summary = {
        "accounts": roster.size,
        "visits": visits,
        "km": round(result.distance_km, 1) if result else 0,
        "travel_min": round(result.travel_min) if result else 0,
        "days": len(dates),
    }
    plan.save(update_fields=["dropped", "summary"])
    return plan


def _write_day(
    plan: VisitPlan | None,
    roster: adapters.Roster,
    day: dt.date,
    result: DayResult,
    accounts: np.ndarray,
    travel: Any,
    kept: dict[tuple[dt.date, int | None], PlannedActivity],
    start: int = 0,
) -> int:
    written = 0
    for route in result.routes:
        previous = start
        for sequence, stop in enumerate(route.stops, start=1):
            i = int(accounts[stop.visit])
            account_id = int(roster.ids[i])
            activity = kept.get((day, account_id)) or PlannedActivity(
                organisation_id=roster.rep.organisation_id, rep=roster.rep, day=day,
                kind=PlannedActivity.Kind.VISIT, account_id=account_id,
                source=PlannedActivity.Source.RUMBO, duration_min=int(roster.service_min[i]),
            )  # fmt: skip
            activity.start_time = adapters.clock(stop.start_min)
            activity.save()
            here = i + 1
            Stop.objects.update_or_create(
                activity=activity,
                defaults={
                    "plan": plan, "sequence": sequence,
                    "travel_min": float(travel.duration_min[previous, here]),
                    "distance_km": float(travel.distance_km[previous, here]),
                    "window": adapters.window_text(roster, i, day, stop.window),
                },
            )  # fmt: skip
            previous = here
            written += 1
    return written


def _dropped(roster: adapters.Roster, dates: list[dt.date], result: PlanResult) -> list[dict]:
    return sorted(
        (
            {
                "account": int(roster.ids[v.account]),
                "name": roster.names[v.account],
                "day": dates[v.day].isoformat() if v.day >= 0 else None,
                "reason": str(v.reason),
                "priority": v.priority,
            }
            for v in result.dropped
        ),
        key=lambda row: (row["priority"], row["name"]),
    )


def _account_ids(visits: list[PlannedActivity]) -> list[int]:
    return [v.account_id for v in visits if v.account_id is not None]


# --- One day --------------------------------------------------------------------------------


@transaction.atomic
def reroute_day(*, rep: User, day: dt.date) -> list[int]:
    """Order the rep's planned visits of `day` again; visits with a time a person fixed keep
    it. Returns the ids of the visits that no longer fit the day (they stay, without a time)."""
    visits = list(
        PlannedActivity.objects.select_for_update().filter(
            rep=rep, day=day, kind=PlannedActivity.Kind.VISIT,
            status=PlannedActivity.Status.PLANNED, account__isnull=False,
        )
    )  # fmt: skip
    if not visits:
        return []
    roster = adapters.roster(rep, day, account_ids=_account_ids(visits))
    settings = adapters.settings_for(rep.organisation_id)
    fixed = {
        v.account_id: adapters.minutes(v.start_time)
        for v in visits
        if v.account_id is not None
        and v.start_time is not None
        and v.source != PlannedActivity.Source.RUMBO
    }
    problem = adapters.day_problem(roster, day, settings, fixed)
    result = solve_day(problem, MaxRuntime(DAY_SECONDS), seed=0)
    by_account: dict[int | None, PlannedActivity] = {v.account_id: v for v in visits}
    kept: dict[tuple[dt.date, int | None], PlannedActivity] = {
        (day, a): v for a, v in by_account.items()
    }
    plan = Stop.objects.filter(activity__in=visits).values_list("plan", flat=True).first()
    Stop.objects.filter(activity__in=visits).delete()
    owner = VisitPlan.objects.filter(pk=plan).first() if plan else None
    travel = adapters.travel(roster, settings)
    _write_day(owner, roster, day, result, np.arange(roster.size), travel, kept)
    left_out = [by_account[int(roster.ids[d.visit])] for d in result.dropped]
    for activity in left_out:
        if activity.source == PlannedActivity.Source.RUMBO:
            activity.start_time = None
            activity.save(update_fields=["start_time"])
    return [a.pk for a in left_out]


@transaction.atomic
def move_visit(*, activity: PlannedActivity, day: dt.date, actor: User) -> list[int]:
    """Move a planned visit to another day; both days are routed again."""
    before = activity.day
    reschedule_activity(activity=activity, day=day, actor=actor, confirm=True)
    left_out = reroute_day(rep=activity.rep, day=day)
    reroute_day(rep=activity.rep, day=before)
    return left_out


@transaction.atomic
def add_visit(*, rep: User, account: Account, day: dt.date, actor: User) -> list[int]:
    """An unplanned visit in the rep's day; the day is routed again with it."""
    check_planner(actor, rep)
    plan_activity(
        rep=rep, day=day, kind=PlannedActivity.Kind.VISIT, actor=actor, account=account,
        confirm=True,
    )  # fmt: skip
    return reroute_day(rep=rep, day=day)


@transaction.atomic
def optimise_from_here(
    *, rep: User, day: dt.date, lat: float, lon: float, now: dt.time, actor: User
) -> list[int]:
    """The rest of the rep's day re-ordered from where they stand, now (the phone's "optimise
    my day"). Visits done stay as they were. Returns the ids of visits that no longer fit."""
    check_planner(actor, rep)
    visits = list(
        PlannedActivity.objects.select_for_update().filter(
            rep=rep, day=day, kind=PlannedActivity.Kind.VISIT,
            status=PlannedActivity.Status.PLANNED, account__isnull=False,
        )
    )  # fmt: skip
    if not visits:
        return []
    roster = adapters.roster(rep, day, account_ids=_account_ids(visits))
    settings = adapters.settings_for(rep.organisation_id)
    here = roster.size + 1
    roster.lat = np.append(roster.lat, lat)
    roster.lon = np.append(roster.lon, lon)
    roster.urban = np.append(
        roster.urban, adapters.urban_flags(np.array([lat]), np.array([lon]), [""])
    )
    problem = replace(
        adapters.day_problem(roster, day, settings, {}), travel=adapters.travel(roster, settings)
    )
    result = engine_from_here(
        problem, MaxRuntime(DAY_SECONDS), here=here, now_min=adapters.minutes(now)
    )
    by_account: dict[int | None, PlannedActivity] = {v.account_id: v for v in visits}
    Stop.objects.filter(activity__in=visits).delete()
    kept: dict[tuple[dt.date, int | None], PlannedActivity] = {
        (day, a): v for a, v in by_account.items()
    }
    travel = problem.travel
    _write_day(None, roster, day, result, np.arange(roster.size), travel, kept, start=here)
    left_out = [by_account[int(roster.ids[d.visit])] for d in result.dropped]
    for activity in left_out:
        activity.start_time = None
        activity.save(update_fields=["start_time"])
    return [a.pk for a in left_out]


# --- Check-in and check-out -------------------------------------------------------------------

FAR_M = 300.0  # farther than this (beyond the phone's own inaccuracy) is flagged
EARLIEST_DAYS = 7  # a check-in kept offline longer than this is refused


def _check_when(at: dt.datetime) -> None:
    now = timezone.now()
    if at > now + dt.timedelta(minutes=10):
        raise ValidationError(_("The phone's clock is ahead; check the time and date."))
    if at < now - dt.timedelta(days=EARLIEST_DAYS):
        raise ValidationError(_("This check-in is more than a week old."))


@transaction.atomic
def check_in(
    *,
    rep: User,
    key: uuid.UUID,
    account: Account,
    at: dt.datetime,
    lat: float | None,
    lon: float | None,
    accuracy_m: float | None = None,
    activity: PlannedActivity | None = None,
) -> tuple[CheckIn, bool]:
    """Record the rep's arrival at an account (once per `key`). Without `activity`, the day's
    planned visit of the account is used when there is one. Returns (check-in, created)."""
    found = CheckIn.objects.select_for_update().filter(key=key)
    if (existing := found.first()) is not None:
        if existing.rep_id != rep.pk:
            raise PermissionDenied
        return existing, False
    _check_when(at)
    day = timezone.localtime(at).date()
    if activity is None:
        activity = (
            PlannedActivity.objects.filter(
                rep=rep, account=account, day=day, kind=PlannedActivity.Kind.VISIT,
                status=PlannedActivity.Status.PLANNED, check_in__isnull=True,
            ).order_by("start_time").first()
        )  # fmt: skip
    elif activity.rep_id != rep.pk or activity.account_id != account.pk:
        raise ValidationError(_("This visit is not yours or not at this account."))
    elif CheckIn.objects.filter(activity=activity).exists():
        raise ValidationError(_("This visit has been checked in already."))
    distance = _distance_m(account, lat, lon)
    made = CheckIn.objects.create(
        organisation_id=rep.organisation_id, rep=rep, account=account, activity=activity,
        key=key, checked_in_at=at, lat=lat, lon=lon, accuracy_m=accuracy_m, distance_m=distance,
        far=distance is not None and distance > FAR_M + (accuracy_m or 0),
    )  # fmt: skip
    return made, True


def _distance_m(account: Account, lat: float | None, lon: float | None) -> float | None:
    if lat is None or lon is None:
        return None
    place = (account.lat, account.lon)
    if place[0] is None or place[1] is None:
        d = account.distrito
        place = (d.lat, d.lon) if d else (None, None)
    if place[0] is None or place[1] is None:
        return None
    return float(haversine_km(lat, lon, place[0], place[1])) * 1000


@transaction.atomic
def check_out(
    *,
    visit: CheckIn,
    rep: User,
    at: dt.datetime,
    outcome: str,
    reason: str = "",
    notes: str = "",
) -> CheckIn:
    """Record the departure and the outcome; the visit goes on the account's timeline and, when
    it was planned, the planned visit is done. Sending it again changes nothing."""
    visit = CheckIn.objects.select_for_update().get(pk=visit.pk)
    if visit.rep_id != rep.pk:
        raise PermissionDenied
    if visit.checked_out_at is not None:
        return visit
    if at < visit.checked_in_at:
        raise ValidationError(_("The departure is before the arrival."))
    _check_when(at)
    if outcome not in CheckIn.OUTCOMES:
        raise ValidationError(_("Say how the visit went: order taken, no order or closed."))
    if outcome == CheckIn.Outcome.NO_ORDER and not reason:
        raise ValidationError(_("Say why there was no order."))
    visit.checked_out_at, visit.outcome, visit.notes = at, outcome, notes
    visit.reason = reason if outcome == CheckIn.Outcome.NO_ORDER else ""
    if outcome == CheckIn.Outcome.ORDER:
        visit.order = (
            Order.objects.filter(account=visit.account, rep=rep, ordered_on=at.date())
            .order_by("-pk")
            .first()
        )
    minutes = max(1, round((at - visit.checked_in_at).total_seconds() / 60))
    if visit.activity is not None and visit.activity.status == PlannedActivity.Status.PLANNED:
        done = complete_activity(activity=visit.activity, actor=rep, outcome=outcome, notes=notes)
        visit.interaction = done.interaction
    else:
        visit.interaction = Interaction.objects.create(
            organisation_id=visit.organisation_id, account=visit.account,
            kind=Interaction.Kind.VISIT, team=rep.team, user=rep, outcome=outcome, notes=notes,
        )  # fmt: skip
    if visit.interaction is not None:
        Interaction.objects.filter(pk=visit.interaction.pk).update(
            occurred_at=visit.checked_in_at, duration_min=minutes
        )
    visit.save()
    return visit
