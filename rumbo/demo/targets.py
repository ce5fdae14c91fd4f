"""Monthly targets per rep and per territory (amount and units), set around what was really
sold, with a bias per person or territory, so some end up above target and some below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from rumbo.demo import bulk
from rumbo.demo.bulk import BulkWriter
from rumbo.targets.models import Measure, Target

FUTURE_MONTHS = 3  # targets already set for the months after the history
GROWTH_PLAN = 1.06  # next year's plan: last year's month plus 6 %


@dataclass
class Actuals:
    """Net céntimos and units sold by [month, rep] and [month, territory]; `covered[m, r]`
    says whether rep r covered a territory during month m."""

    rep_net: np.ndarray
    rep_units: np.ndarray
    territory_net: np.ndarray
    territory_units: np.ndarray
    covered: np.ndarray


def _plan(rng: np.random.Generator, actual: np.ndarray) -> np.ndarray:
    """Targets for the history's months and the ones after: actual × owner bias × noise."""
    months, owners = actual.shape
    ahead = np.empty((FUTURE_MONTHS, owners))
    for k in range(FUTURE_MONTHS):
        source = months + k - 12
        ahead[k] = actual[source] * GROWTH_PLAN if source >= 0 else actual[months - 1]
    base = np.vstack([actual, ahead])
    bias = np.asarray(rng.normal(0.03, 0.07, size=owners))
    noise = rng.normal(0.0, 0.05, base.shape)
    return base * np.exp(bias[None, :] + noise)


def _rows(
    months: list[dt.date], plan: np.ndarray, keep: np.ndarray, step: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, owner = np.nonzero(keep)
    value = np.round(plan[m, owner] / step) * step
    return m, owner, np.maximum(value, 0).astype(np.int64)


def write_targets(
    writer: BulkWriter,
    rng: np.random.Generator,
    org_id: int,
    admin_id: int,
    months: list[dt.date],
    actuals: Actuals,
    rep_ids: np.ndarray,
    territory_ids: np.ndarray,
    active_reps: np.ndarray,
) -> None:
    """Amount targets rounded to S/ 100 and unit targets to 10, for covered rep-months, every
    territory-month, and the next months for the reps still active."""
    covered = np.vstack([actuals.covered, np.repeat(active_reps[None, :], FUTURE_MONTHS, 0)])
    every = np.ones((len(months), len(territory_ids)), dtype=bool)
    blocks = [
        (rep_ids, "rep", Measure.AMOUNT, _plan(rng, actuals.rep_net / 100), covered, 100),
        (rep_ids, "rep", Measure.UNITS, _plan(rng, actuals.rep_units), covered, 10),
        (
            territory_ids,
            "territory",
            Measure.AMOUNT,
            _plan(rng, actuals.territory_net / 100),
            every,
            100,
        ),
        (territory_ids, "territory", Measure.UNITS, _plan(rng, actuals.territory_units), every, 10),
    ]
    first_days = np.array([m.toordinal() for m in months])
    for ids, owner_field, measure, plan, keep, step in blocks:
        m, owner, value = _rows(months, plan, keep, step)
        other = "territory" if owner_field == "rep" else "rep"
        n = len(m)
        start = writer.next_id(Target)
        writer.write(
            Target,
            n,
            {
                "id": bulk.ints(np.arange(start, start + n)),
                "organisation": str(org_id),
                owner_field: bulk.ints(ids[owner]),
                other: None,
                "month": bulk.dates(first_days[m]),
                "measure": str(measure),
                "category": None,
                "value": bulk.fixed(value * 100, 2),
                "updated_by": str(admin_id),
            },
        )
