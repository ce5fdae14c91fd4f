"""Shared pieces of the forecasting benchmarks: the library peers and the printed tables.

The peers run in the same process as Rumbo's method, on the same hierarchy and the same split:
statsforecast's AutoETS (a mirror of R's forecast::ets) for base forecasts, reconciled with
hierarchicalforecast (bottom-up, MinT-OLS, MinT-shrink), and the seasonal naive method.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rumbo.engine.forecasting.hierarchy import Hierarchy
from rumbo.engine.forecasting.models import SeasonalNaive

FloatArray = NDArray[np.float64]
Forecasts = dict[str, FloatArray]

PEER = "AutoETS + MinT-shrink"


def seasonal_naive(history: FloatArray, horizon: int, season_length: int) -> Forecasts:
    """Seasonal naive forecasts of every row."""
    return {"seasonal naive": SeasonalNaive(season_length).fit(history).predict(horizon).mean}


def autoets_peers(
    history: FloatArray, hierarchy: Hierarchy, horizon: int, season_length: int
) -> Forecasts:
    """AutoETS base forecasts of every row and their hierarchicalforecast reconciliations."""
    from hierarchicalforecast.core import HierarchicalReconciliation
    from hierarchicalforecast.methods import BottomUp, MinTrace
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    ids = [f"s{i}" for i in range(hierarchy.n_series)]
    n_periods = history.shape[1]
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(ids, n_periods),
            "ds": np.tile(np.arange(n_periods), len(ids)),
            "y": np.nan_to_num(history).ravel(),
        }
    )
    engine = StatsForecast(models=[AutoETS(season_length=season_length)], freq=1, n_jobs=1)
    base = engine.forecast(df=frame, h=horizon, fitted=True)
    fitted = engine.forecast_fitted_values()
    summing = pd.DataFrame(hierarchy.summing, columns=ids[hierarchy.n_aggregates :])
    summing.insert(0, "unique_id", ids)
    tags = {
        name: np.array(ids)[hierarchy.level == k] for k, name in enumerate(hierarchy.level_names)
    }
    reconcilers = [BottomUp(), MinTrace("ols"), MinTrace("mint_shrink")]
    result = HierarchicalReconciliation(reconcilers).reconcile(
        Y_hat_df=base, Y_df=fitted, S_df=summing, tags=tags
    )
    result = result.set_index("unique_id").loc[ids]
    names = {
        "AutoETS": "AutoETS (base, incoherent)",
        "AutoETS/BottomUp": "AutoETS + bottom-up",
        "AutoETS/MinTrace_method-ols": "AutoETS + MinT-OLS",
        "AutoETS/MinTrace_method-mint_shrink": PEER,
    }
    return {
        label: result[column].to_numpy(float).reshape(len(ids), horizon)
        for column, label in names.items()
    }


def timed(run: Callable[[], Forecasts]) -> tuple[Forecasts, float]:
    """Run and measure wall-clock seconds."""
    start = time.perf_counter()
    out = run()
    return out, time.perf_counter() - start


def print_table(
    title: str, level_names: tuple[str, ...], rows: Mapping[str, FloatArray], digits: int = 3
) -> None:
    """One line per method, one column per level."""
    width = max(len(name) for name in rows) + 2
    columns = [max(len(n), digits + 4) for n in level_names]
    print(f"\n{title}")
    print(" " * width + "  ".join(n.rjust(c) for n, c in zip(level_names, columns, strict=True)))
    for name, values in rows.items():
        cells = "  ".join(f"{v:.{digits}f}".rjust(c) for v, c in zip(values, columns, strict=True))
        print(name.ljust(width) + cells)


def print_goals(
    level_names: tuple[str, ...], ours: FloatArray, naive: FloatArray, peer: FloatArray
) -> None:
    """Per level: Rumbo's MASE against seasonal naive and against the peer (goal: ≤ +2 %)."""
    print(f"\nGoals per level (MASE): below seasonal naive, and at most 2 % above {PEER}")
    for name, value, sn, pe in zip(level_names, ours, naive, peer, strict=True):
        change = 100 * (value / pe - 1)
        verdict = "met" if value < sn and change <= 2 else "NOT met"
        figures = f"Rumbo {value:.3f}  naive {sn:.3f}  peer {pe:.3f}  ({change:+.1f} %)"
        print(f"  {name:<20} {figures}  {verdict}")
