"""Reads of territory design, shaped for the pages: the figures of an alignment (balance per
measure, compactness, km a week, disruption, one row per territory), the side-by-side
comparison of two alignments, what each rep gains and loses and why, and the map's data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from rumbo.core.models import User
from rumbo.design import adapters
from rumbo.design.adapters import ACCOUNTS, SALES, WORKLOAD, Board
from rumbo.design.models import MEASURE_LABELS, MEASURES, Scenario
from rumbo.engine.alignment import suggest_territories
from rumbo.engine.realignment import Move, Shift, explain, shifts
from rumbo.geo.models import Distrito
from rumbo.geo.selectors import distrito_collection
from rumbo.territories.models import Territory

# Territory colours on the map and in the tables (colour-blind-safe first, then more).
PALETTE = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#332288",
    "#117733", "#882255", "#44aa99", "#999933", "#aa4499", "#6699cc", "#dd7788", "#88ccee",
]  # fmt: skip
TODAY = "today"


def scenario_for(user: User, pk: int) -> Scenario:
    found = Scenario.objects.visible_to(user).select_related("root", "job").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def roots_for(user: User) -> list[Territory]:
    """The parts of the tree this user may redesign: territories with children in scope."""
    visible = list(Territory.objects.visible_to(user).filter(is_active=True))
    parents = {t.parent_id for t in visible}
    return [t for t in visible if t.pk in parents]


@dataclass
class TerritoryRow:
    territory: Territory
    colour: str
    rep: User | None
    locked: bool
    accounts: int
    workload_h: float
    capacity_h: float | None
    sales: float
    potential: float
    km_week: float
    deviation_pct: list[float]  # per measure, from the territory's fair share

    @property
    def utilisation_pct(self) -> float | None:
        if not self.capacity_h:
            return None
        return 100 * self.workload_h / self.capacity_h


@dataclass
class Figures:
    """One alignment of a board, measured."""

    balance_pct: dict[str, float]  # largest deviation from the fair share, per measure
    mean_km: float  # mean distance of an account to its rep's base (or territory centre)
    km_week: float
    moved_accounts: int
    moved_pct: float
    moved_revenue_pct: float
    rows: list[TerritoryRow]


def figures(b: Board, assignment: NDArray[np.int64], detour: float) -> Figures:
    k = b.k
    loads = np.zeros((k, len(MEASURES)))
    placed = assignment >= 0
    np.add.at(loads, assignment[placed], b.measures[placed])
    targets = b.targets()
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = np.where(targets > 0, 100 * (loads - targets) / targets, 0.0)
    km = b.travel_km(assignment, detour)
    result = adapters.measure(b, assignment)
    moved = (assignment != b.before) & placed
    revenue = b.measures[:, SALES]
    rows = [
        TerritoryRow(
            territory=t,
            colour=PALETTE[j % len(PALETTE)],
            rep=b.reps[j],
            locked=bool(b.locked_territories[j]),
            accounts=int(loads[j, ACCOUNTS]),
            workload_h=float(loads[j, WORKLOAD]),
            capacity_h=None if np.isnan(b.capacity_h[j]) else float(b.capacity_h[j]),
            sales=float(loads[j, SALES]),
            potential=float(loads[j, MEASURES.index("potential")]),
            km_week=float(km[j]),
            deviation_pct=[float(x) for x in deviation[j]],
        )
        for j, t in enumerate(b.territories)
    ]
    mean_km = 0.0
    if result is not None:
        weights = np.maximum(b.visits_week, 0.05)[b.located & placed]
        mean_km = result.compactness / max(float(weights.sum()), 1e-9)
    return Figures(
        balance_pct={
            m: float(np.abs(deviation[:, i]).max()) if k else 0.0 for i, m in enumerate(MEASURES)
        },
        mean_km=mean_km,
        km_week=float(km.sum()),
        moved_accounts=int(moved.sum()),
        moved_pct=100 * float(moved.sum()) / max(len(assignment), 1),
        moved_revenue_pct=100 * float(revenue[moved].sum()) / max(float(revenue.sum()), 1e-9),
        rows=rows,
    )


@dataclass
class Overview:
    scenario: Scenario
    board: Board
    today: Figures
    proposed: Figures
    suggested_reps: int | None
    changed_since: int  # accounts whose territory changed outside the scenario since it began

    def balance(self) -> list[tuple[str, Any, float, float]]:
        """(measure, label, today, scenario) largest deviation from the fair share, in %."""
        return [
            (m, MEASURE_LABELS[m], self.today.balance_pct[m], self.proposed.balance_pct[m])
            for m in MEASURES
        ]


def overview(scenario: Scenario) -> Overview:
    b = adapters.board(scenario)
    detour = adapters.detour_of(scenario)
    capacities = b.capacity_h[~np.isnan(b.capacity_h)]
    total_h = float(b.measures[:, WORKLOAD].sum())
    suggested = (
        suggest_territories(total_h, float(capacities.mean()))
        if len(capacities) and capacities.mean() > 0
        else None
    )
    changed = scenario.placements.exclude(base_territory_id=F("account__territory_id")).count()
    return Overview(
        scenario=scenario,
        board=b,
        today=figures(b, b.before, detour),
        proposed=figures(b, b.after, detour),
        suggested_reps=suggested,
        changed_since=changed if scenario.is_draft else 0,
    )


# --- Side by side ---------------------------------------------------------------------------


@dataclass
class Side:
    label: str
    scenario: Scenario | None
    figures: Figures
    assignment: NDArray[np.int64]


@dataclass
class Difference:
    """What one territory has on the right side and not on the left, and the reverse."""

    gained: list[str]
    lost: list[str]
    gained_sales: float
    lost_sales: float


def differences(board: Board, left: Side, right: Side) -> list[Difference]:
    sales = board.measures[:, SALES]
    out = []
    for j in range(board.k):
        gained = np.flatnonzero((left.assignment != j) & (right.assignment == j))
        lost = np.flatnonzero((left.assignment == j) & (right.assignment != j))
        out.append(
            Difference(
                gained=[board.names[i] for i in gained],
                lost=[board.names[i] for i in lost],
                gained_sales=float(sales[gained].sum()),
                lost_sales=float(sales[lost].sum()),
            )
        )
    return out


def sides(user: User, first: str, second: str) -> tuple[Side, Side, Board] | None:
    """Two alignments of the same part of the tree: scenario ids, or "today" for today's
    alignment of the other one's territories."""
    chosen = [scenario_for(user, int(x)) if x.isdigit() else None for x in (first, second)]
    real = [s for s in chosen if s is not None]
    if not real:
        return None
    if len({s.root_id for s in real}) > 1:
        raise ValueError("different roots")
    boards = [adapters.board(s) for s in real]
    base = boards[0]
    detour = adapters.detour_of(real[0])
    out = []
    for scenario in chosen:
        if scenario is None:
            out.append(Side(TODAY, None, figures(base, base.before, detour), base.before))
            continue
        b = boards[real.index(scenario)]
        after = _aligned(base, b)
        out.append(Side(scenario.name, scenario, figures(base, after, detour), after))
    return out[0], out[1], base


def _aligned(base: Board, other: Board) -> NDArray[np.int64]:
    """`other`'s territory for each of `base`'s accounts (today's where it lacks one)."""
    where = {int(a): i for i, a in enumerate(other.account_ids)}
    after = base.before.copy()
    for i, account_id in enumerate(base.account_ids):
        j = where.get(int(account_id))
        if j is not None:
            after[i] = other.after[j]
    return after


# --- What each rep gains and loses, and why -------------------------------------------------


@dataclass
class Explained:
    row: TerritoryRow
    before: TerritoryRow
    shift: Shift
    gained: list[tuple[Move, str, str]]  # move, account name, the other territory's name
    lost: list[tuple[Move, str, str]]
    sales: NDArray[np.float64]  # per account of the board

    @property
    def gained_sales(self) -> float:
        return float(sum(self.sales[m.unit] for m, _n, _t in self.gained))

    @property
    def lost_sales(self) -> float:
        return float(sum(self.sales[m.unit] for m, _n, _t in self.lost))

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """How many of the moves in and out have each reason, most frequent first."""
        counts = Counter(str(m.reason) for m, _n, _t in self.gained + self.lost)
        return counts.most_common()


def explanations(ov: Overview, only: int | None = None) -> list[Explained]:
    """Per territory of the scenario (or only the territory at index `only`)."""
    b = ov.board
    moves = explain(
        np.nan_to_num(b.lat), np.nan_to_num(b.lon), b.before, b.after, b.measures,
        b.targets(), b.bases, b.manual, workload=WORKLOAD,
    )  # fmt: skip
    detour = adapters.detour_of(ov.scenario)
    per = shifts(
        moves, b.before, b.after, b.measures, b.travel_km(b.before, detour),
        b.travel_km(b.after, detour),
    )  # fmt: skip
    names = b.territories
    return [
        Explained(
            row=ov.proposed.rows[j],
            before=ov.today.rows[j],
            shift=shift,
            gained=[(m, b.names[m.unit], _name(names, m.source)) for m in shift.gained],
            lost=[(m, b.names[m.unit], _name(names, m.target)) for m in shift.lost],
            sales=b.measures[:, SALES],
        )
        for j, shift in enumerate(per)
        if only is None or j == only
    ]


def _name(territories: list[Territory], index: int) -> str:
    return territories[index].name if index >= 0 else "—"


# --- The map --------------------------------------------------------------------------------


def map_data(b: Board) -> dict[str, Any]:
    """Territories and accounts in compact rows for design.js (a large company has 50,000)."""
    located = np.flatnonzero(b.located)
    return {
        "territories": [
            {
                "id": t.pk,
                "name": t.name,
                "rep": (rep.get_full_name() or rep.username) if rep else "",
                "colour": PALETTE[j % len(PALETTE)],
                "locked": bool(b.locked_territories[j]),
            }
            for j, (t, rep) in enumerate(zip(b.territories, b.reps, strict=True))
        ],
        # [id, lat, lon, territory index, locked, ubigeo, workload h, sales, potential, name]
        "accounts": [_account_row(b, int(i)) for i in located],
        "unlocated": int(len(b.account_ids) - len(located)),
    }


def districts_geojson(scenario: Scenario) -> dict[str, Any]:
    """The polygons of the districts the scenario's accounts are in."""
    ubigeos = scenario.placements.values("account__distrito_id")
    return distrito_collection(Distrito.objects.filter(ubigeo__in=ubigeos))


def resolve_accounts(scenario: Scenario, words: list[str]) -> list[int]:
    """Account ids of the scenario from ids or account codes; unknown words are an error."""
    placements = scenario.placements.values_list("account_id", "account__external_code")
    by_id = {str(a): a for a, _c in placements}
    by_code = {c.casefold(): a for a, c in placements if c}
    found: list[int] = []
    unknown: list[str] = []
    for word in words:
        account_id = by_id.get(word) or by_code.get(word.casefold())
        if account_id:
            found.append(account_id)
        else:
            unknown.append(word)
    if unknown:
        raise ValidationError(
            _("Not accounts of this scenario: %(words)s") % {"words": ", ".join(unknown[:10])}
        )
    return found


def _account_row(b: Board, i: int) -> list[Any]:
    m = b.measures[i]
    return [
        int(b.account_ids[i]), round(float(b.lat[i]), 5), round(float(b.lon[i]), 5),
        int(b.after[i]), int(b.locked[i]), b.distritos[i], round(float(m[WORKLOAD]), 2),
        round(float(m[SALES])), round(float(m[MEASURES.index("potential")])), b.names[i],
    ]  # fmt: skip
