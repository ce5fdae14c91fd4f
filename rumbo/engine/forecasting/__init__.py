"""Seasonal profiles, forecasts, reconciliation and backtests for many monthly series at once.

Rumbo's method (`RumboForecaster`, reconciled by `HierarchicalForecaster`): the median of six
exponential-smoothing forecasts (no trend, linear trend, damped trend; each with additive seasonal
states, and with multiplicative seasonal indices pooled towards a parent series), made coherent
with MinT-shrink. It is our own numpy code rather than statsforecast's AutoETS: on the benchmarks
in `bench/forecast` it is within 0.6 % of AutoETS + MinT-shrink or better at every level (clearly
better at the top levels and at AdventureWorks' bottom level), about ten times faster, and it
needs no runtime dependency beyond numpy and scipy.
"""

from rumbo.engine.forecasting.backtest import Backtest, hierarchical, last_origins, rolling_origin
from rumbo.engine.forecasting.hierarchy import Hierarchy, build_hierarchy
from rumbo.engine.forecasting.models import (
    ExponentialSmoothing,
    Forecast,
    RumboForecaster,
    SeasonalNaive,
)
from rumbo.engine.forecasting.reconcile import METHODS, HierarchicalForecaster, reconcile
from rumbo.engine.forecasting.seasonal import SeasonalProfile, TopItems, seasonal_profile, top_items

__all__ = [
    "METHODS",
    "Backtest",
    "ExponentialSmoothing",
    "Forecast",
    "HierarchicalForecaster",
    "Hierarchy",
    "RumboForecaster",
    "SeasonalNaive",
    "SeasonalProfile",
    "TopItems",
    "build_hierarchy",
    "hierarchical",
    "last_origins",
    "reconcile",
    "rolling_origin",
    "seasonal_profile",
    "top_items",
]
