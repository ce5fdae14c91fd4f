"""Australian domestic tourism, FPP3 §11.4: hierarchical quarterly forecasts, 8 quarters ahead.

Usage: .venv/bin/python bench/forecast/tourism.py [folder with tourism.csv]

Aggregates (State/Region) × Purpose, trains on everything but the last 8 quarters (1998 Q1 – 2015 Q4
for the published file), and prints MASE (seasonal naive scaling, m = 4) and RMSE per level for
Rumbo's method beside seasonal naive and statsforecast AutoETS with hierarchicalforecast
reconciliation, all run here on the same split.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from forecast_bench import (
    PEER,
    Forecasts,
    autoets_peers,
    print_goals,
    print_table,
    seasonal_naive,
    timed,
)

from rumbo.engine.forecasting import metrics
from rumbo.engine.forecasting.hierarchy import Hierarchy, build_hierarchy
from rumbo.engine.forecasting.reconcile import HierarchicalForecaster, reconcile

DEFAULT = Path("/work/shared/data/benchmarks/forecast-tourism")
SEASON, HORIZON = 4, 8
LEVELS = [[], ["Purpose"], ["State"], ["State", "Purpose"], ["Region"], ["Region", "Purpose"]]
NAMES = ("Total", "Purpose", "State", "State×Purpose", "Region", "Bottom")


def load(folder: Path) -> tuple[Hierarchy, np.ndarray, list[str]]:
    """Bottom series (Region × Purpose, regions keyed with their state) and their hierarchy."""
    data = pd.read_csv(folder / "tourism.csv")
    data["Region"] = data["State"] + "/" + data["Region"]
    table = data.pivot_table(
        index=["State", "Region", "Purpose"], columns="Quarter", values="Trips", aggfunc="sum"
    )
    table = table[sorted(table.columns)]
    keys = table.index.to_frame(index=False)
    hierarchy = build_hierarchy({k: keys[k].tolist() for k in keys.columns}, LEVELS)
    return hierarchy, table.to_numpy(float), list(table.columns)


def rumbo(history: np.ndarray, hierarchy: Hierarchy) -> Forecasts:
    """Rumbo's method, plus its base forecasts under the other reconciliations for context."""
    model = HierarchicalForecaster(SEASON, "mint_shrink").fit(
        history[hierarchy.n_aggregates :], hierarchy
    )
    forecast = model.predict(HORIZON)
    base, residuals = model.base_.predict(HORIZON).mean, model.base_.residuals_
    out = {"Rumbo (MinT-shrink)": forecast.mean}
    out["  its base (incoherent)"] = base
    for method, label in (("bottom_up", "bottom-up"), ("ols", "OLS")):
        out[f"  its base + {label}"] = reconcile(base, hierarchy, method, residuals)
    out["_lower80"], out["_upper80"] = forecast.interval(80.0)
    out["_lower95"], out["_upper95"] = forecast.interval(95.0)
    return out


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    hierarchy, bottom, quarters = load(folder)
    series = hierarchy.aggregate(bottom)
    train, test = series[:, :-HORIZON], series[:, -HORIZON:]
    print(
        f"{hierarchy.n_series} series ({hierarchy.n_bottom} bottom); train {quarters[0]} – "
        f"{quarters[-HORIZON - 1]}, test {quarters[-HORIZON]} – {quarters[-1]}"
    )
    ours, t_ours = timed(lambda: rumbo(train, hierarchy))
    peers, t_peers = timed(lambda: autoets_peers(train, hierarchy, HORIZON, SEASON))
    naive = seasonal_naive(train, HORIZON, SEASON)
    forecasts = {k: v for k, v in {**ours, **naive, **peers}.items() if not k.startswith("_")}
    scale = metrics.seasonal_naive_scale(train, SEASON)
    n = len(NAMES)
    mase = {
        k: metrics.by_level(metrics.mase(test, f, scale), hierarchy.level, n)
        for k, f in forecasts.items()
    }
    rmse = {
        k: metrics.by_level(metrics.rmse(test, f), hierarchy.level, n) for k, f in forecasts.items()
    }
    print_table("MASE (mean over the series of each level; lower is better)", NAMES, mase)
    print_table("RMSE (thousands of trips)", NAMES, rmse, digits=1)
    cover = {
        f"Rumbo {lv}% interval": metrics.by_level(
            metrics.coverage(test, ours[f"_lower{lv}"], ours[f"_upper{lv}"]), hierarchy.level, n
        )
        for lv in (80, 95)
    }
    print_table("Share of actuals inside Rumbo's prediction intervals", NAMES, cover, digits=2)
    print_goals(NAMES, mase["Rumbo (MinT-shrink)"], mase["seasonal naive"], mase[PEER])
    print(
        f"\nTime (2 shared cores): Rumbo fit + predict {t_ours:.1f} s; "
        f"AutoETS fits + 3 reconciliations {t_peers:.1f} s"
    )


if __name__ == "__main__":
    main()
