"""Where visit planning meets the routing engine: a rep's accounts, their rhythms, opening hours
and fixed appointments over the horizon as a `PlanProblem`, and one day as a `DayProblem`.

Frequency and visit duration come from each account's coverage plan (its segment's strategy
unless overridden); call plans add the weekdays an account prefers or refuses and a priority.
Travel is straight-line distance × the organisation's detour factor at town or country speed,
town meaning the account's nearest centro poblado is urban (INEI); any `TravelTimeModel` can
take its place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from numpy.typing import NDArray

from rumbo.core.models import Organisation, User
from rumbo.coverage.adapters import effective_plan
from rumbo.coverage.models import AccountPlan, AccountSegment, Frequency
from rumbo.coverage.services import strategies_for
from rumbo.customers.models import Account
from rumbo.engine.routing import (
    Appointment,
    DayProblem,
    Horizon,
    LunchBreak,
    PlanProblem,
    Shift,
    StraightLineTravelModel,
    TravelMatrix,
    visit_patterns,
)
from rumbo.engine.routing import (
    CallPlan as EngineCallPlan,
)
from rumbo.geo.models import CentroPoblado, Distrito
from rumbo.interactions.models import PlannedActivity
from rumbo.team.models import WEEKDAYS, Rep
from rumbo.territories.models import Assignment, AssignmentRole, Territory
from rumbo.visits.models import CallPlan, RoutingSettings

# Visits per four weeks of each coverage frequency; phone and self-order accounts get none.
PER_4_WEEKS: dict[str, int] = {
    Frequency.TWICE_WEEKLY: 8, Frequency.WEEKLY: 4, Frequency.FORTNIGHTLY: 2, Frequency.MONTHLY: 1,
}  # fmt: skip
# Planned visits not done in the last four weeks come back first in the next plan.
CARRY_DAYS = 28
CARRIED_PRIORITY = 3


def minutes(t: dt.time) -> float:
    return t.hour * 60 + t.minute


def clock(m: float) -> dt.time:
    whole = round(m)
    return dt.time(min(whole // 60, 23), whole % 60)


def settings_for(organisation_id: int) -> RoutingSettings:
    found, _created = RoutingSettings.objects.get_or_create(organisation_id=organisation_id)
    return found


def travel_model(s: RoutingSettings) -> StraightLineTravelModel:
    return StraightLineTravelModel(
        circuity=s.circuity, urban_kmh=s.urban_kmh, rural_kmh=s.rural_kmh, access_min=s.access_min
    )


def lunch_of(s: RoutingSettings) -> LunchBreak | None:
    if not s.lunch_min:
        return None
    return LunchBreak(minutes(s.lunch_from), minutes(s.lunch_until), float(s.lunch_min))


# --- The horizon ------------------------------------------------------------------------------


def horizon_dates(
    starts_on: dt.date, weeks: int, work_days: list[str]
) -> tuple[Horizon, list[dt.date]]:
    """The working days of `weeks` weeks from the Monday of `starts_on` (Saturdays when the
    rep works them); the engine's day i is dates[i]."""
    monday = starts_on - dt.timedelta(days=starts_on.weekday())
    workdays = 6 if "sat" in work_days else 5
    horizon = Horizon(weeks=weeks, workdays=workdays)
    dates = [monday + dt.timedelta(days=7 * w + d) for w in range(weeks) for d in range(workdays)]
    return horizon, dates


def rep_territories(rep: User, on: dt.date) -> list[Territory]:
    """The territories (with their subtrees) the rep covers on `on`."""
    roots = Territory.objects.filter(
        pk__in=Assignment.objects.active_on(on)
        .filter(user=rep, role=AssignmentRole.REP)
        .values("territory_id")
    )
    found: dict[int, Territory] = {}
    for root in roots:
        for t in Territory.objects.subtree_of(root):
            found[t.pk] = t
    return list(found.values())


# --- The accounts ----------------------------------------------------------------------------


@dataclass
class Roster:
    """A rep's accounts to visit: row 0 of every location array is the rep's base."""

    rep: User
    profile: Rep
    ids: NDArray[np.int64]
    names: list[str]
    lat: NDArray[np.float64]  # base first
    lon: NDArray[np.float64]
    urban: NDArray[np.bool_]
    service_min: NDArray[np.float64]
    per_4_weeks: NDArray[np.int64]
    opening: list[dict[str, Any]]
    call_plans: dict[int, CallPlan]

    @property
    def size(self) -> int:
        return len(self.ids)


def roster(rep: User, on: dt.date, account_ids: list[int] | None = None) -> Roster:
    """The rep's active, located accounts that take visits (or exactly `account_ids`)."""
    profile = Rep.objects.select_related("home_distrito").get(user=rep)
    qs = Account.objects.filter(organisation_id=rep.organisation_id)
    if account_ids is None:
        qs = qs.filter(territory__in=rep_territories(rep, on), status=Account.Status.ACTIVE)
    else:
        qs = qs.filter(pk__in=account_ids)
    rows = list(
        qs.annotate(plat=Coalesce("lat", "distrito__lat"), plon=Coalesce("lon", "distrito__lon"))
        .filter(plat__isnull=False, plon__isnull=False)
        .order_by("pk")
        .values_list("pk", "trade_name", "plat", "plon", "distrito_id", "opening_hours")
    )
    ids = [r[0] for r in rows]
    frequency, service = rhythms(rep.organisation_id, ids)
    keep = [i for i, r in enumerate(rows) if account_ids is not None or frequency[r[0]] > 0]
    rows = [rows[i] for i in keep]
    base = base_of(profile, rows)
    lat = np.array([base[0]] + [r[2] for r in rows], dtype=float)
    lon = np.array([base[1]] + [r[3] for r in rows], dtype=float)
    distritos = [profile.home_distrito_id or ""] + [r[4] or "" for r in rows]
    return Roster(
        rep=rep,
        profile=profile,
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        names=[r[1] for r in rows],
        lat=lat,
        lon=lon,
        urban=urban_flags(lat, lon, distritos),
        service_min=np.array([service[r[0]] for r in rows], dtype=float),
        per_4_weeks=np.array([frequency[r[0]] for r in rows], dtype=np.int64),
        opening=[r[5] or {} for r in rows],
        call_plans={c.account_id: c for c in CallPlan.objects.filter(account_id__in=ids)},
    )


def base_of(profile: Rep, rows: list[tuple[Any, ...]]) -> tuple[float, float]:
    """The rep's home, else the home district's centre, else the middle of the accounts."""
    if profile.home_lat is not None and profile.home_lon is not None:
        return profile.home_lat, profile.home_lon
    d = profile.home_distrito
    if d is not None and d.lat is not None and d.lon is not None:
        return d.lat, d.lon
    if rows:
        return float(np.mean([r[2] for r in rows])), float(np.mean([r[3] for r in rows]))
    return -12.0464, -77.0428  # Lima's Plaza Mayor, for a rep with nothing at all


def rhythms(organisation_id: int, ids: list[int]) -> tuple[dict[int, int], dict[int, float]]:
    """Visits per four weeks and minutes per visit of each account, from its coverage plan."""
    strategies = strategies_for_id(organisation_id)
    segments = latest_segments(ids)
    plans = {p.account_id: p for p in AccountPlan.objects.filter(account_id__in=ids)}
    default = strategies.get("C") or next(iter(strategies.values()))
    frequency: dict[int, int] = {}
    service: dict[int, float] = {}
    for account_id in ids:
        strategy = strategies.get(segments.get(account_id, ""), default)
        freq, visit_min = effective_plan(plans.get(account_id), strategy)
        frequency[account_id] = PER_4_WEEKS.get(freq, 0)
        service[account_id] = float(visit_min)
    return frequency, service


def latest_segments(ids: list[int]) -> dict[int, str]:
    """Each account's segment in its latest coverage snapshot ("" without one)."""
    latest = AccountSegment.objects.filter(account=OuterRef("pk")).order_by("-month")
    return {
        pk: segment or ""
        for pk, segment in Account.objects.filter(pk__in=ids)
        .annotate(segment=Subquery(latest.values("segment")[:1]))
        .values_list("pk", "segment")
    }


def strategies_for_id(organisation_id: int) -> dict[str, Any]:
    return strategies_for(Organisation.objects.get(pk=organisation_id))


def urban_flags(
    lat: NDArray[np.float64], lon: NDArray[np.float64], distritos: list[str]
) -> NDArray[np.bool_]:
    """Whether each point's nearest centro poblado (in its district) is urban; without any
    centro poblado on record, whether most of the district's people live in town."""
    flags = np.zeros(len(lat), dtype=bool)
    codes = sorted({d for d in distritos if d})
    centres: dict[str, list[tuple[float, float, bool]]] = {}
    for distrito_id, clat, clon, urban in CentroPoblado.objects.filter(
        distrito_id__in=codes
    ).values_list("distrito_id", "lat", "lon", "urban"):
        centres.setdefault(distrito_id, []).append((clat, clon, urban))
    shares = {
        d: (u or 0) / p
        for d, u, p in Distrito.objects.filter(ubigeo__in=codes).values_list(
            "ubigeo", "urban_population_2017", "population_2017"
        )
        if p
    }
    for i, code in enumerate(distritos):
        near = centres.get(code)
        if near:
            pts = np.array(near)
            j = int(np.argmin((pts[:, 0] - lat[i]) ** 2 + (pts[:, 1] - lon[i]) ** 2))
            flags[i] = bool(pts[j, 2])
        else:
            flags[i] = shares.get(code, 1.0) >= 0.5
    return flags


def opening_rows(hours: dict[str, Any]) -> NDArray[np.float64] | None:
    """{"mon": [["08:00", "13:00"]], ...} as rows (weekday, open_min, close_min); None when the
    account gave no hours (open whenever the rep works)."""
    if not hours:
        return None
    rows = [
        (float(WEEKDAYS.index(day)), _hhmm(a), _hhmm(b))
        for day, ranges in hours.items()
        for a, b in ranges
    ]
    return np.array(rows, dtype=float).reshape(-1, 3)


def window_text(r: Roster, i: int, day: dt.date, window: int) -> str:
    """The opening hours ("08:00–13:00") a visit falls in, or "" when the account gave none."""
    rows = opening_rows(r.opening[i])
    if rows is None:
        return ""
    today = rows[rows[:, 0] == day.weekday()]
    if not 0 <= window < len(today):
        return ""
    return f"{hhmm_of(today[window, 1])}–{hhmm_of(today[window, 2])}"


def hhmm_of(m: float) -> str:
    return clock(m).strftime("%H:%M")


def _hhmm(text: str) -> float:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def travel(r: Roster, s: RoutingSettings) -> TravelMatrix:
    return travel_model(s).matrix(r.lat, r.lon, r.urban)


# --- The multi-week problem --------------------------------------------------------------------


def plan_problem(
    r: Roster, horizon: Horizon, dates: list[dt.date], s: RoutingSettings
) -> PlanProblem:
    position = {int(a): i for i, a in enumerate(r.ids)}
    appointments = _appointments(r, dates, position)
    carried = _carried(r, dates[0])
    booked: dict[int, set[int]] = {}
    for a in appointments:
        booked.setdefault(a.account, set()).add(a.day)
    patterns, penalties, opening = [], [], []
    for i, account_id in enumerate(r.ids):
        plan = _engine_plan(r, int(account_id), i, carried)
        rows = opening_rows(r.opening[i])
        open_days = None if rows is None else frozenset(int(d) for d in rows[:, 0])
        found, cost = visit_patterns(horizon, plan, open_days, frozenset(booked.get(i, ())))
        patterns.append(found)
        penalties.append(cost)
        opening.append(rows)
    shift = Shift(minutes(r.profile.work_start), minutes(r.profile.work_end))
    priority = np.array(
        [CARRIED_PRIORITY if int(a) in carried else _priority(r, int(a)) for a in r.ids],
        dtype=np.int64,
    )
    return PlanProblem(
        travel=travel(r, s),
        location=np.arange(1, r.size + 1, dtype=np.int64),
        service_min=r.service_min,
        patterns=tuple(patterns),
        shifts=tuple(shift for _ in dates),
        pattern_penalty=tuple(penalties),
        weekday=horizon.weekday(),
        opening=tuple(opening),
        priority=priority,
        lunch=lunch_of(s),
        appointments=tuple(appointments),
        balance_weight=0.2,
    )


def _priority(r: Roster, account_id: int) -> int:
    plan = r.call_plans.get(account_id)
    return int(plan.priority) if plan else CallPlan.Priority.NORMAL


def _engine_plan(r: Roster, account_id: int, i: int, carried: set[int]) -> EngineCallPlan:
    plan = r.call_plans.get(account_id)
    forbidden = set(plan.forbidden_weekdays) if plan else set()
    allowed = frozenset(range(6)) - frozenset(forbidden) if forbidden else None
    first_week = (0, 0) if account_id in carried and r.per_4_weeks[i] < 4 else None
    return EngineCallPlan(
        visits_per_4_weeks=int(r.per_4_weeks[i]),
        allowed_weekdays=allowed,
        preferred_weekdays=frozenset(plan.preferred_weekdays) if plan else frozenset(),
        first_week=first_week,
    )


def _appointments(r: Roster, dates: list[dt.date], position: dict[int, int]) -> list[Appointment]:
    """Visits with a fixed time the rep or a manager put in the plan: they come first."""
    day_of = {d: i for i, d in enumerate(dates)}
    rows = PlannedActivity.objects.filter(
        rep=r.rep, kind=PlannedActivity.Kind.VISIT, status=PlannedActivity.Status.PLANNED,
        day__in=dates, start_time__isnull=False, account_id__in=list(position),
    ).exclude(source=PlannedActivity.Source.RUMBO)  # fmt: skip
    found = []
    for account_id, day, start in rows.values_list("account_id", "day", "start_time"):
        if start is None or account_id is None:
            continue
        found.append(Appointment(position[account_id], day_of[day], minutes(start)))
    return found


def _carried(r: Roster, first_day: dt.date) -> set[int]:
    """Accounts whose planned visits of the last four weeks were missed."""
    return set(
        PlannedActivity.objects.filter(
            rep=r.rep, kind=PlannedActivity.Kind.VISIT, status=PlannedActivity.Status.PLANNED,
            source=PlannedActivity.Source.RUMBO, account_id__in=[int(a) for a in r.ids],
            day__lt=first_day, day__gte=first_day - dt.timedelta(days=CARRY_DAYS),
        ).values_list("account_id", flat=True)
    )  # fmt: skip


# --- One day --------------------------------------------------------------------------------


def day_problem(r: Roster, day: dt.date, s: RoutingSettings, fixed: dict[int, float]) -> DayProblem:
    """The day's visits of the roster's accounts, with their opening hours that weekday;
    `fixed` pins some accounts' start (minutes) to a one-minute window."""
    weekday = day.weekday()
    windows = []
    for i, account_id in enumerate(r.ids):
        if int(account_id) in fixed:
            start = fixed[int(account_id)]
            windows.append(np.array([[start, start + 1]]))
            continue
        rows = opening_rows(r.opening[i])
        if rows is None:
            windows.append(np.array([[0.0, 24 * 60.0]]))
        else:
            windows.append(rows[rows[:, 0] == weekday, 1:])
    return DayProblem(
        travel=travel(r, s),
        location=np.arange(1, r.size + 1, dtype=np.int64),
        service_min=r.service_min,
        shift=Shift(minutes(r.profile.work_start), minutes(r.profile.work_end)),
        windows=tuple(windows),
        priority=np.array([_priority(r, int(a)) for a in r.ids], dtype=np.int64),
        lunch=lunch_of(s),
    )
