"""Reads of seasons, scoped by role: the latest run, the profiles of what the user may see
(categories over the year as a heat map and a table, large accounts, best sellers), the
forecasts with their accuracy, and the demand plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.dates import MONTHS_3, MONTHS_ALT

from rumbo.catalog.models import Category
from rumbo.core.models import User
from rumbo.customers.models import Channel
from rumbo.orders.models import MonthlyCategorySales
from rumbo.seasons.adapters import add_months
from rumbo.seasons.models import (
    CalendarEvent,
    ForecastSeries,
    Measure,
    Profile,
    SeasonRun,
    TopProduct,
)
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for


def latest_run(user: User) -> SeasonRun | None:
    return (
        SeasonRun.objects.filter(organisation_id=user.organisation_id, finished_at__isnull=False)
        .order_by("-created_at")
        .first()
    )


def measure_of(user: User, wanted: str | None) -> str:
    if wanted == Measure.AMOUNT and user.sees_amounts:
        return Measure.AMOUNT
    return Measure.UNITS


def sees_everything(user: User) -> bool:
    return scope_for(user).territory_ids is None


def territories_for(user: User, run: SeasonRun) -> list[Territory]:
    """Territories the user may see that have a profile in the run."""
    ids = Profile.objects.visible_to(user).filter(run=run, kind=Profile.Kind.TERRITORY)
    return list(Territory.objects.filter(pk__in=ids.values("territory_id")).order_by("path"))


@dataclass
class ProfileRow:
    label: str
    index: list[float | None]
    lower: list[float | None]
    upper: list[float | None]
    growth: float | None
    peak: int  # month 1–12 of the highest index

    @property
    def cells(self) -> list[tuple[float, float | None, float | None]]:
        return [
            (v or 0.0, lo, hi) for v, lo, hi in zip(self.index, self.lower, self.upper, strict=True)
        ]

    @property
    def growth_pct(self) -> float | None:
        return None if self.growth is None else 100 * self.growth

    @property
    def peak_name(self) -> str:
        return str(MONTHS_ALT[self.peak])

    @property
    def peak_index(self) -> float:
        return self.index[self.peak - 1] or 0.0


def month_columns(user: User, run: SeasonRun) -> list[dict[str, Any]]:
    """The twelve months with their name, calendar events and best sellers."""
    events = events_by_month(user)
    best = best_sellers(user, run)
    return [
        {
            "name": str(MONTHS_3[m]).capitalize(),
            "events": events.get(m, []),
            "best": best.get(m, []),
        }
        for m in range(1, 13)
    ]


def _rows(profiles: Any, label: Any) -> list[ProfileRow]:
    out = []
    for p in profiles:
        values = [v if v is not None else 0.0 for v in p.index]
        out.append(
            ProfileRow(label=label(p), index=p.index, lower=p.lower, upper=p.upper,
                       growth=p.growth, peak=values.index(max(values)) + 1)
        )  # fmt: skip
    return out


def category_profiles(
    user: User, run: SeasonRun, measure: str, territory: Territory | None, channel: int | None
) -> list[ProfileRow]:
    """Per category, for the whole organisation (admins and viewers), one channel (the same),
    or one territory the user may see."""
    qs = (
        Profile.objects.visible_to(user).filter(run=run, measure=measure).select_related("category")
    )
    if territory is not None:
        qs = qs.filter(kind=Profile.Kind.TERRITORY, territory=territory)
    elif channel is not None:
        qs = qs.filter(kind=Profile.Kind.CHANNEL, channel_id=channel)
    else:
        qs = qs.filter(kind=Profile.Kind.CATEGORY)
    return _rows(qs.order_by("-total"), lambda p: p.category.name if p.category else "—")


def account_profiles(user: User, run: SeasonRun, measure: str) -> list[ProfileRow]:
    qs = (
        Profile.objects.visible_to(user)
        .filter(run=run, measure=measure, kind=Profile.Kind.ACCOUNT)
        .select_related("account")
        .order_by("-total")
    )
    return _rows(qs, lambda p: p.account.trade_name if p.account else "—")


def channels(run: SeasonRun) -> list[Channel]:
    ids = Profile.objects.filter(run=run, kind=Profile.Kind.CHANNEL).values("channel_id")
    return list(Channel.objects.filter(pk__in=ids).order_by("name"))


def best_sellers(user: User, run: SeasonRun) -> dict[int, list[TopProduct]]:
    """Best sellers per calendar month, organisation-wide: for admins and viewers only."""
    if not sees_everything(user):
        return {}
    out: dict[int, list[TopProduct]] = {}
    for row in TopProduct.objects.filter(run=run).select_related("product"):
        out.setdefault(row.month, []).append(row)
    return out


def events_by_month(user: User) -> dict[int, list[CalendarEvent]]:
    out: dict[int, list[CalendarEvent]] = {}
    for event in CalendarEvent.objects.filter(organisation_id=user.organisation_id):
        out.setdefault(event.month, []).append(event)
    return out


# --- Forecasts and the demand plan ------------------------------------------------------------


def horizon_months(run: SeasonRun) -> list[dt.date]:
    assert run.last_month is not None
    return [add_months(run.last_month, i + 1) for i in range(run.horizon)]


def forecast_series(
    user: User, run: SeasonRun, measure: str, category: Category | None
) -> list[ForecastSeries]:
    """The company (admins and viewers), regions and territories the user sees, all
    categories together or one, in tree order."""
    qs = ForecastSeries.objects.visible_to(user).filter(run=run, measure=measure)
    qs = qs.filter(category=category) if category else qs.filter(category__isnull=True)
    rows = list(qs.select_related("region", "territory", "category"))
    return sorted(rows, key=_tree_key)


def _tree_key(s: ForecastSeries) -> tuple[str, str]:
    region = s.region.path if s.region else ""
    return (region, s.territory.path if s.territory else "")


def demand_plan(
    user: User, run: SeasonRun, node: Territory | None, months: int
) -> list[ForecastSeries]:
    """Expected units per category for the company, one region or one territory."""
    qs = ForecastSeries.objects.visible_to(user).filter(
        run=run, measure=Measure.UNITS, category__isnull=False
    )
    if node is None:
        qs = qs.filter(region__isnull=True, territory__isnull=True)
    elif node.level == "region" or ForecastSeries.objects.filter(run=run, region=node).exists():
        qs = qs.filter(region=node, territory__isnull=True)
    else:
        qs = qs.filter(territory=node)
    rows = list(qs.select_related("category").order_by("category__name"))
    for row in rows:
        for name in ("mean", "lower80", "upper80", "lower95", "upper95"):
            setattr(row, name, getattr(row, name)[:months])
    return rows


def demand_nodes(user: User, run: SeasonRun) -> list[Territory]:
    """Regions and territories the user may take a demand plan of."""
    qs = ForecastSeries.objects.visible_to(user).filter(run=run, measure=Measure.UNITS)
    ids = set(qs.values_list("region_id", flat=True)) | set(
        qs.values_list("territory_id", flat=True)
    )
    return list(Territory.objects.filter(pk__in=[i for i in ids if i]).order_by("path"))


# --- Timely visits ----------------------------------------------------------------------------

PEAK_INDEX = 1.2  # a month this far above the trend is a peak
QUIET_DAYS = 45  # an account that has not bought the category for this long is due


@dataclass
class Timely:
    """An account whose season for a category is here or next, and that has not bought it."""

    account_id: int
    account: str
    territory: str
    category: str
    month: int  # the peak month, 1–12
    index: float
    last_bought: dt.date | None

    @property
    def month_name(self) -> str:
        return str(MONTHS_ALT[self.month])


def timely_visits(user: User, reps_territories: list[Territory], today: dt.date) -> list[Timely]:
    """Accounts of these territories (as far as the user may see them) whose category peaks
    this month or next, that bought the category in the last two years but not lately."""
    run = latest_run(user)
    if run is None:
        return []
    months = {today.month, add_months(today.replace(day=1), 1).month}
    peaks: dict[tuple[int, int], tuple[int, float]] = {}
    for p in Profile.objects.visible_to(user).filter(
        run=run, kind=Profile.Kind.TERRITORY, measure=Measure.UNITS,
        territory__in=reps_territories,
    ):  # fmt: skip
        best = max(months, key=lambda m: p.index[m - 1] or 0)
        if (p.index[best - 1] or 0) >= PEAK_INDEX and p.territory_id and p.category_id:
            peaks[(p.territory_id, p.category_id)] = (best, float(p.index[best - 1]))
    if not peaks:
        return []
    return _due(peaks, today)


def _due(peaks: dict[tuple[int, int], tuple[int, float]], today: dt.date) -> list[Timely]:
    lately = (today - dt.timedelta(days=QUIET_DAYS)).replace(day=1)
    since = add_months(today.replace(day=1), -24)
    last: dict[tuple[int, int], dt.date] = {}
    names: dict[int, tuple[str, int, str]] = {}
    for account_id, category_id, month, name, territory_id, territory in (
        MonthlyCategorySales.objects.filter(
            territory_id__in={t for t, _c in peaks}, category_id__in={c for _t, c in peaks},
            month__gte=since, quantity__gt=0, account__status="active",
        ).values_list("account_id", "category_id", "month", "account__trade_name",
                      "account__territory_id", "account__territory__name")
    ):  # fmt: skip
        key = (account_id, category_id)
        last[key] = max(last.get(key, month), month)
        names[account_id] = (name, territory_id or 0, territory or "")
    categories = dict(
        Category.objects.filter(pk__in={c for _t, c in peaks}).values_list("pk", "name")
    )
    out = []
    for (account_id, category_id), bought in last.items():
        name, territory_id, territory = names[account_id]
        peak = peaks.get((territory_id, category_id))
        if peak is None or bought >= lately:
            continue
        out.append(Timely(account_id, name, territory, categories[category_id], peak[0], peak[1],
                          bought))  # fmt: skip
    return sorted(out, key=lambda t: (-t.index, t.account))[:60]
