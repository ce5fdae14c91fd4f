"""The monthly review's recommendations: plain rules over plan-versus-actual figures.

Given each rep's month (sales against target, visits done against the coverage plan, workload
against capacity) and the accounts that changed segment or cost more than they bring, propose
actions a manager accepts or dismisses: coaching for a rep behind on both sales and visits, a
rebalance for a territory over or well under capacity, and a new coverage for accounts that
moved down a segment or are costly to serve. Every recommendation carries the figures behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

COACHING = "coaching"
OVER_CAPACITY = "over_capacity"
UNDER_CAPACITY = "under_capacity"
KEEP_COVERAGE = "keep_coverage"
LOW_COST = "low_cost"


@dataclass(frozen=True)
class Thresholds:
    """When a figure calls for action (shares as fractions: 0.9 = 90 %)."""

    attainment: float = 0.9  # sales below this share of target...
    visit_rate: float = 0.8  # ...and visits below this share of the plan: coaching
    over_capacity: float = 1.0  # workload above this share of capacity: too much
    under_capacity: float = 0.6  # workload below this share of capacity: room to grow


@dataclass(frozen=True)
class RepMonth:
    rep_id: int
    territory_id: int | None
    sales: float
    target: float | None
    visits_planned: float
    visits_done: int
    workload_h: float  # a week, as planned
    capacity_h: float | None  # a week


@dataclass(frozen=True)
class AccountChange:
    account_id: int
    rep_id: int | None
    before: str | None  # last month's segment (None: not segmented then)
    after: str
    quadrant: str
    ranked: Sequence[str] = ("A", "B", "C")  # best first; other segments never move down


@dataclass(frozen=True)
class Recommendation:
    kind: str
    rep_id: int | None = None
    territory_id: int | None = None
    account_id: int | None = None
    figures: dict[str, float | str | None] = field(default_factory=dict)


def recommend(
    reps: Sequence[RepMonth],
    accounts: Sequence[AccountChange],
    thresholds: Thresholds | None = None,
) -> list[Recommendation]:
    """Every recommendation for the month, reps first, then territories, then accounts."""
    t = thresholds or Thresholds()
    found = [r for rep in reps for r in _rep_rules(rep, t)]
    found += [r for account in accounts for r in _account_rules(account)]
    return found


def _rep_rules(rep: RepMonth, t: Thresholds) -> list[Recommendation]:
    found = []
    attainment = rep.sales / rep.target if rep.target else None
    visit_rate = rep.visits_done / rep.visits_planned if rep.visits_planned > 0 else None
    behind_sales = attainment is not None and attainment < t.attainment
    behind_visits = visit_rate is not None and visit_rate < t.visit_rate
    if behind_sales and behind_visits:
        found.append(
            Recommendation(
                COACHING,
                rep_id=rep.rep_id,
                territory_id=rep.territory_id,
                figures={"attainment": attainment, "visit_rate": visit_rate},
            )
        )
    if rep.capacity_h:
        use = rep.workload_h / rep.capacity_h
        kind = None
        if use > t.over_capacity:
            kind = OVER_CAPACITY
        elif use < t.under_capacity:
            kind = UNDER_CAPACITY
        if kind:
            found.append(
                Recommendation(
                    kind,
                    rep_id=rep.rep_id,
                    territory_id=rep.territory_id,
                    figures={
                        "use": use,
                        "workload_h": rep.workload_h,
                        "capacity_h": rep.capacity_h,
                    },
                )
            )
    return found


def _account_rules(change: AccountChange) -> list[Recommendation]:
    """A drop of segment: keep the former coverage a while to win it back; a costly account
    (little value, much effort) that did not just drop: serve it at low cost."""
    ranked = list(change.ranked)
    dropped = (
        change.before in ranked
        and change.after in ranked
        and ranked.index(change.after) > ranked.index(change.before)
    )
    figures: dict[str, float | str | None] = {"before": change.before, "after": change.after}
    if dropped:
        return [Recommendation(KEEP_COVERAGE, rep_id=change.rep_id,
                               account_id=change.account_id, figures=figures)]  # fmt: skip
    if change.quadrant == "costly":
        return [Recommendation(LOW_COST, rep_id=change.rep_id,
                               account_id=change.account_id, figures=figures)]  # fmt: skip
    return []
