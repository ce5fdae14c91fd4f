"""AdventureWorks reseller sales: monthly sales per territory and per rep, rolling-origin backtest.

Usage: .venv/bin/python bench/forecast/adventureworks.py [folder of adventureworks_reseller_sales]

Bottom series are the monthly SalesAmount of each (territory, rep) pair in FactResellerSales.csv;
they add up to territories, to territory groups (dw2014/DimSalesTerritory.csv) and to the company,
and, crossed, to reps. Each of the last 6 months is the first month of one forecast (origins T−6
… T−1, up to 6 months ahead, cut at the data's end). MASE (in-sample seasonal naive scaling,
m = 12) per level for Rumbo's method beside seasonal naive and AutoETS, all run here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from forecast_bench import PEER, Forecasts, autoets_peers, print_goals, print_table

from rumbo.engine.forecasting.backtest import Backtest, last_origins, rolling_origin
from rumbo.engine.forecasting.hierarchy import Hierarchy, build_hierarchy
from rumbo.engine.forecasting.models import Forecast, SeasonalNaive, gaussian_forecast
from rumbo.engine.forecasting.reconcile import HierarchicalForecaster

DEFAULT = Path("/work/shared/data/adventureworks_reseller_sales")
SEASON, HORIZON, ORIGINS = 12, 6, 6
LEVELS = [[], ["Group"], ["Territory"], ["Rep"], ["Territory", "Rep"]]
NAMES = ("Total", "Group", "Territory", "Rep", "Territory×Rep")
OURS = "Rumbo (MinT-shrink)"


def load(folder: Path) -> tuple[Hierarchy, np.ndarray, list[str]]:
    """Monthly sales of each (territory, rep) pair, every month from the first to the last."""
    sales = pd.read_csv(
        folder / "FactResellerSales.csv",
        usecols=["OrderDate", "EmployeeKey", "SalesTerritoryKey", "SalesAmount"],
    )
    sales["month"] = pd.to_datetime(sales["OrderDate"]).dt.to_period("M")
    months = pd.period_range(sales["month"].min(), sales["month"].max(), freq="M")
    table = sales.pivot_table(
        index=["SalesTerritoryKey", "EmployeeKey"],
        columns="month",
        values="SalesAmount",
        aggfunc="sum",
        fill_value=0.0,
    ).reindex(columns=months, fill_value=0.0)
    territories = pd.read_csv(
        folder / "dw2014" / "DimSalesTerritory.csv", keep_default_na=False
    ).set_index("SalesTerritoryKey")
    keys = table.index.to_frame(index=False)
    groups = territories["SalesTerritoryGroup"].reindex(keys["SalesTerritoryKey"]).fillna("?")
    hierarchy = build_hierarchy(
        {
            "Group": groups.tolist(),
            "Territory": keys["SalesTerritoryKey"].tolist(),
            "Rep": keys["EmployeeKey"].tolist(),
        },
        LEVELS,
    )
    return hierarchy, table.to_numpy(float), [str(m) for m in months]


def point_forecast(mean: np.ndarray) -> Forecast:
    """A forecast without intervals, for peers whose intervals we do not score."""
    return gaussian_forecast(mean, np.zeros_like(mean), (), np.zeros(len(mean), dtype=bool))


def backtests(series: np.ndarray, hierarchy: Hierarchy) -> tuple[dict[str, Backtest], dict]:
    """Rolling-origin backtests of every method on the same origins; peers fitted once each."""
    origins = last_origins(series.shape[1], ORIGINS)
    n_agg = hierarchy.n_aggregates
    cache: dict[int, Forecasts] = {}
    seconds: dict[str, float] = {"Rumbo": 0.0, "AutoETS": 0.0}

    def ours(history: np.ndarray, h: int) -> Forecast:
        start = time.perf_counter()
        model = HierarchicalForecaster(SEASON, "mint_shrink").fit(history[n_agg:], hierarchy)
        forecast = model.predict(h)
        seconds["Rumbo"] += time.perf_counter() - start
        return forecast

    def peer(label: str) -> Callable[[np.ndarray, int], Forecast]:
        def fit_predict(history: np.ndarray, h: int) -> Forecast:
            if history.shape[1] not in cache:
                start = time.perf_counter()
                cache[history.shape[1]] = autoets_peers(history, hierarchy, h, SEASON)
                seconds["AutoETS"] += time.perf_counter() - start
            return point_forecast(cache[history.shape[1]][label])

        return fit_predict

    def naive(history: np.ndarray, h: int) -> Forecast:
        return SeasonalNaive(SEASON).fit(history).predict(h)

    methods: dict[str, Callable[[np.ndarray, int], Forecast]] = {
        OURS: ours,
        "seasonal naive": naive,
    }
    for label in ("AutoETS (base, incoherent)", "AutoETS + bottom-up", "AutoETS + MinT-OLS", PEER):
        methods[label] = peer(label)
    results = {
        name: rolling_origin(series, run, origins, HORIZON, SEASON) for name, run in methods.items()
    }
    return results, seconds


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    hierarchy, bottom, months = load(folder)
    series = hierarchy.aggregate(bottom)
    print(
        f"{hierarchy.n_series} series ({hierarchy.n_bottom} territory×rep pairs), months "
        f"{months[0]} – {months[-1]}; forecasts from each of the last {ORIGINS} months, "
        f"up to {HORIZON} ahead"
    )
    results, seconds = backtests(series, hierarchy)
    n = len(NAMES)
    summary = {name: bt.by_level(hierarchy.level, n) for name, bt in results.items()}
    print_table(
        "MASE (mean over series and origins; lower is better)",
        NAMES,
        {k: v["mase"] for k, v in summary.items()},
    )
    print_table(
        "Bias (mean error on the MASE scale; + = forecasts too high)",
        NAMES,
        {k: v["bias"] for k, v in summary.items()},
        digits=2,
    )
    ours = summary[OURS]
    print_table(
        "Share of actuals inside Rumbo's prediction intervals",
        NAMES,
        {f"{lv}% interval": ours[f"coverage_{lv}"] for lv in ("80", "95")},
        digits=2,
    )
    print_goals(NAMES, ours["mase"], summary["seasonal naive"]["mase"], summary[PEER]["mase"])
    print(
        f"\nTime (2 shared cores) over {ORIGINS} origins: Rumbo {seconds['Rumbo']:.1f} s; "
        f"AutoETS fits + 3 reconciliations {seconds['AutoETS']:.1f} s"
    )


if __name__ == "__main__":
    main()
