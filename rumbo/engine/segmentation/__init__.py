"""The coverage model's arithmetic: who deserves how much effort, and what serving them costs.

Pure functions over numpy arrays, one module per question: ABC classes by revenue share, RFM
scores, the value × effort matrix, market potential from the census, segment migration month by
month, and workload per account and per territory against capacity.
"""

from rumbo.engine.segmentation.abc_analysis import ABCResult, abc_classes
from rumbo.engine.segmentation.migration import MigrationResult, migration_matrix, monthly_migration
from rumbo.engine.segmentation.potential import (
    DEFAULT_CHANNELS,
    ChannelPotential,
    PotentialResult,
    account_potential,
    captured_share,
    district_potential,
    households_from_population,
)
from rumbo.engine.segmentation.rfm import RFMResult, days_since, rfm_scores
from rumbo.engine.segmentation.value_effort import (
    BEST,
    COSTLY,
    DEMANDING,
    LIGHT,
    ValueEffortResult,
    cost_to_serve,
    value_effort,
)
from rumbo.engine.segmentation.workload import (
    WorkloadResult,
    account_workload_min,
    expected_travel_min,
    territory_workload,
)

__all__ = [
    "BEST",
    "COSTLY",
    "DEFAULT_CHANNELS",
    "DEMANDING",
    "LIGHT",
    "ABCResult",
    "ChannelPotential",
    "MigrationResult",
    "PotentialResult",
    "RFMResult",
    "ValueEffortResult",
    "WorkloadResult",
    "abc_classes",
    "account_potential",
    "account_workload_min",
    "captured_share",
    "cost_to_serve",
    "days_since",
    "district_potential",
    "expected_travel_min",
    "households_from_population",
    "migration_matrix",
    "monthly_migration",
    "rfm_scores",
    "territory_workload",
    "value_effort",
]
