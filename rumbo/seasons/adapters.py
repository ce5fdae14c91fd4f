"""Where seasons meet the forecasting engine: the monthly sales summary (per territory,
category, channel and account) as arrays, `seasonal_profile` and `top_items` on them, and the
reconciled `HierarchicalForecaster` over company → region → territory × category with a
rolling-origin backtest; the results are stored as a `SeasonRun`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from numpy.typing import NDArray

from rumbo.core.models import Organisation
from rumbo.engine.forecasting.backtest import hierarchical, last_origins, rolling_origin
from rumbo.engine.forecasting.hierarchy import Hierarchy, build_hierarchy
from rumbo.engine.forecasting.reconcile import HierarchicalForecaster
from rumbo.engine.forecasting.seasonal import seasonal_profile, top_items
from rumbo.orders.models import SALES_STATUSES, MonthlyCategorySales, OrderLine
from rumbo.seasons.models import ForecastSeries, Measure, Profile, SeasonRun, TopProduct
from rumbo.territories.models import Level, Territory

MEASURES: dict[str, str] = {Measure.UNITS: "quantity", Measure.AMOUNT: "net_amount"}
LARGE_ACCOUNTS = 30  # the biggest accounts get a profile of their own
BACKTEST_ORIGINS = 6
BACKTEST_HORIZON = 3
MIN_BACKTEST_MONTHS = 12 + BACKTEST_ORIGINS + 1
CHART_MONTHS = 24
LEVELS = [
    [],
    ["category"],
    ["region"],
    ["region", "territory"],
    ["region", "territory", "category"],
]


def add_months(day: dt.date, n: int) -> dt.date:
    k = day.year * 12 + day.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(count)]


@dataclass
class Panel:
    """Series (rows) × months (columns) of one measure, keyed by the row's labels."""

    keys: list[tuple[int, ...]]
    values: NDArray[np.float64]


def panel(org: Organisation, months: list[dt.date], by: Sequence[str], measure: str) -> Panel:
    """Monthly sums of the sales summary grouped by `by` (e.g. territory, category)."""
    position = {m: i for i, m in enumerate(months)}
    rows = (
        MonthlyCategorySales.objects.filter(
            organisation=org, month__gte=months[0], month__lte=months[-1]
        )
        .values(*by, "month")
        .annotate(total=Sum(MEASURES[measure]))
    )
    index: dict[tuple[int, ...], int] = {}
    cells: list[tuple[int, int, float]] = []
    for row in rows:
        key = tuple(row[b] or 0 for b in by)
        r = index.setdefault(key, len(index))
        cells.append((r, position[row["month"]], float(row["total"] or 0)))
    values = np.zeros((len(index), len(months)))
    for r, c, v in cells:
        values[r, c] = v
    return Panel(list(index), values)


def history_months(org: Organisation) -> list[dt.date]:
    """Every month of sales history up to the last complete month."""
    this_month = timezone.localdate().replace(day=1)
    found = MonthlyCategorySales.objects.filter(organisation=org, month__lt=this_month)
    first = found.order_by("month").values_list("month", flat=True).first()
    last = found.order_by("-month").values_list("month", flat=True).first()
    return months_between(first, last) if first and last else []


# --- Profiles ---------------------------------------------------------------------------------


def profiles(run: SeasonRun, months: list[dt.date], measure: str) -> list[Profile]:
    org = run.organisation
    start = months[0].month - 1
    by_category = panel(org, months, ["category"], measure)
    parent_of = {key[0]: i for i, key in enumerate(by_category.keys)}
    made = _rows(run, measure, Profile.Kind.CATEGORY, by_category, start, ["category_id"])
    for kind, by in (
        (Profile.Kind.TERRITORY, ["territory", "category"]),
        (Profile.Kind.CHANNEL, ["account__channel", "category"]),
    ):
        grouped = panel(org, months, by, measure)
        parents = np.array([parent_of.get(k[1], -1) for k in grouped.keys], dtype=np.int64)
        names = ["territory_id" if by[0] == "territory" else "channel_id", "category_id"]
        made += _rows(run, measure, kind, grouped, start, names, by_category, parents)
    accounts = panel(org, months, ["account", "territory"], measure)
    recent = accounts.values[:, -12:].sum(axis=1)
    biggest = np.argsort(-recent)[:LARGE_ACCOUNTS]
    large = Panel([accounts.keys[i] for i in biggest], accounts.values[biggest])
    made += _rows(run, measure, Profile.Kind.ACCOUNT, large, start, ["account_id", "territory_id"])
    return made


def _rows(
    run: SeasonRun,
    measure: str,
    kind: str,
    data: Panel,
    start: int,
    names: list[str],
    parent: Panel | None = None,
    parents: NDArray[np.int64] | None = None,
) -> list[Profile]:
    """Profiles of a panel's rows; with a parent panel, each row borrows its parent's pattern."""
    if not data.keys:
        return []
    y = data.values
    if parent is not None and parents is not None:
        y = np.vstack([parent.values, data.values])
        parents = np.r_[np.full(len(parent.keys), -1), parents]
    found = seasonal_profile(y, 12, start, parents=parents)
    skip = 0 if parent is None else len(parent.keys)
    out = []
    for i, key in enumerate(data.keys):
        r = i + skip
        out.append(
            Profile(
                run=run, kind=kind, measure=measure, **dict(zip(names, key, strict=True)),
                index=_floats(found.index[r]), lower=_floats(found.lower[r]),
                upper=_floats(found.upper[r]), years=[int(v) for v in found.years[r]],
                growth=_float(found.growth[r]), total=float(data.values[i, -12:].sum()),
            )
        )  # fmt: skip
    return out


def _float(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), 4)


def _floats(values: Sequence[float]) -> list[float | None]:
    return [_float(v) for v in values]


def best_sellers(run: SeasonRun, months: list[dt.date], k: int = 5) -> list[TopProduct]:
    """The k products sold most (in units) in each calendar month over the history."""
    position = {m: i for i, m in enumerate(months)}
    rows = (
        OrderLine.objects.filter(
            order__organisation=run.organisation, order__status__in=SALES_STATUSES,
            order__ordered_on__gte=months[0], order__ordered_on__lt=add_months(months[-1], 1),
        )
        .annotate(month=TruncMonth("order__ordered_on"))
        .values("product_id", "month")
        .annotate(units=Sum("quantity"))
    )  # fmt: skip
    index: dict[int, int] = {}
    cells = []
    for row in rows:
        r = index.setdefault(row["product_id"], len(index))
        cells.append((r, position[_month(row["month"])], float(row["units"] or 0)))
    if not index:
        return []
    values = np.zeros((len(index), len(months)))
    for r, c, v in cells:
        values[r, c] = v
    products = list(index)
    top = top_items(values, 12, months[0].month - 1, k)
    return [
        TopProduct(run=run, month=m + 1, rank=rank + 1, product_id=products[top.items[m, rank]],
                   units=float(top.totals[m, rank]), share=float(top.shares[m, rank]))
        for m in range(12)
        for rank in range(top.items.shape[1])
        if top.items[m, rank] >= 0
    ]  # fmt: skip


def _month(value: Any) -> dt.date:
    return value.date().replace(day=1) if isinstance(value, dt.datetime) else value.replace(day=1)


# --- Forecasts --------------------------------------------------------------------------------


def regions_of(org: Organisation) -> dict[int, int]:
    """Each territory's region (its ancestor at region level, else the tree's top)."""
    territories = list(Territory.objects.filter(organisation=org))
    by_path = {t.path: t for t in territories}
    out = {}
    for t in territories:
        step = Territory.PATH_STEP
        steps = [t.path[: i + step] for i in range(0, len(t.path), step)]
        chain = [by_path[s] for s in steps if s in by_path]
        region = next((a for a in chain if a.level == Level.REGION), chain[0] if chain else t)
        out[t.pk] = region.pk
    return out


def forecasts(
    run: SeasonRun, months: list[dt.date], measure: str, horizon: int
) -> tuple[list[ForecastSeries], dict[str, dict[str, float | None]]]:
    """Reconciled forecasts of every series with its backtest accuracy, and accuracy per level."""
    data = panel(run.organisation, months, ["territory", "category"], measure)
    if not data.keys:
        return [], {}
    region = regions_of(run.organisation)
    keys = {
        "region": [region.get(t, 0) for t, _c in data.keys],
        "territory": [t for t, _c in data.keys],
        "category": [c for _t, c in data.keys],
    }
    h = build_hierarchy(keys, LEVELS)

    def make() -> HierarchicalForecaster:
        return HierarchicalForecaster(12, "mint_shrink")

    prediction = make().fit(data.values, h).predict(horizon)
    history = h.aggregate(data.values)
    if len(months) < MIN_BACKTEST_MONTHS:  # too short to hold months back and still learn
        return _series(run, measure, h, prediction, None, history), {}
    origins = last_origins(len(months), BACKTEST_ORIGINS)
    test = rolling_origin(history, hierarchical(h, make), origins, BACKTEST_HORIZON, 12)
    series = _series(run, measure, h, prediction, test, history)
    per_level = test.by_level(h.level, len(LEVELS))
    accuracy = {
        name: {"mase": _float(per_level["mase"][i]), "bias": _float(per_level["bias"][i])}
        for i, name in enumerate(h.level_names)
    }
    return series, accuracy


def _series(
    run: SeasonRun, measure: str, h: Hierarchy, prediction: Any, test: Any, history: Any
) -> list[ForecastSeries]:
    lo80, hi80 = prediction.interval(80.0)
    lo95, hi95 = prediction.interval(95.0)
    out = []
    for r in range(h.n_series):
        named = dict(zip(LEVELS[h.level[r]], h.labels[r], strict=True))
        out.append(
            ForecastSeries(
                run=run, measure=measure, level=h.level_names[h.level[r]],
                region_id=_id(named.get("region")), territory_id=_id(named.get("territory")),
                category_id=_id(named.get("category")),
                mase=_float(test.mase[r]) if test else None,
                bias=_float(test.bias[r]) if test else None,
                history=_floats(history[r, -CHART_MONTHS:]),
                mean=_floats(prediction.mean[r]), lower80=_floats(lo80[r]),
                upper80=_floats(hi80[r]), lower95=_floats(lo95[r]), upper95=_floats(hi95[r]),
            )
        )  # fmt: skip
    return out


def _id(value: str | None) -> int | None:
    return int(value) if value and value != "0" else None


# --- The whole run ----------------------------------------------------------------------------


def compute(
    *, run: SeasonRun, horizon: int = 12, progress: Callable[[int, int], None] | None = None
) -> SeasonRun:
    """Profiles, best sellers and forecasts of both measures, stored with the run."""
    months = history_months(run.organisation)
    steps = 1 + 2 * len(MEASURES)
    tick = progress or (lambda done, total: None)
    if not months:
        return _finish(run, [], [], [], {}, months, horizon)
    made_profiles: list[Profile] = []
    made_series: list[ForecastSeries] = []
    accuracy: dict[str, Any] = {}
    for i, measure in enumerate(MEASURES):
        made_profiles += profiles(run, months, measure)
        tick(2 * i + 1, steps)
        series, accuracy[measure] = forecasts(run, months, measure, horizon)
        made_series += series
        tick(2 * i + 2, steps)
    top = best_sellers(run, months)
    tick(steps, steps)
    return _finish(run, made_profiles, made_series, top, accuracy, months, horizon)


@transaction.atomic
def _finish(
    run: SeasonRun,
    made_profiles: list[Profile],
    made_series: list[ForecastSeries],
    top: list[TopProduct],
    accuracy: dict[str, Any],
    months: list[dt.date],
    horizon: int,
) -> SeasonRun:
    Profile.objects.bulk_create(made_profiles, batch_size=1000)
    ForecastSeries.objects.bulk_create(made_series, batch_size=1000)
    TopProduct.objects.bulk_create(top, batch_size=1000)
    run.first_month = months[0] if months else None
    run.last_month = months[-1] if months else None
    run.horizon, run.accuracy, run.finished_at = horizon, accuracy, timezone.now()
    run.save()
    SeasonRun.objects.filter(
        organisation=run.organisation, finished_at__lt=run.finished_at
    ).exclude(pk=run.pk).delete()
    return run
