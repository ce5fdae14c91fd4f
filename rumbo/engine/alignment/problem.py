"""The territory design problem: basic units, the measures to balance, and the manager's rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

Compactness = Literal["distance", "cut_edges"]


@dataclass(frozen=True, eq=False)
class AlignmentProblem:
    """Split n basic units (accounts or districts) into k territories.

    positions: (n, 2) (lat, lon) in degrees when `geographic`, else planar (x, y).
    measures: (n, m) non-negative activity measures (workload, sales, potential, accounts...).
    tolerances: (m,) relative half-width of each measure's band, 0.05 = ±5 % of the target;
        `inf` leaves a measure unbalanced (reported only).
    targets: (k, m) target per territory (e.g. in proportion to each rep's capacity); by default
        each territory's share of the total, total / k.
    adjacency: (n, n) symmetric sparse matrix; when given, territories must be connected on it.
    weights: (n,) how much each unit's distance counts in compactness (e.g. visits a year).
    homes: (k, 2) rep home bases; compactness is then measured to them instead of each
        territory's medoid (the unit from which the territory is cheapest to reach).
    current: (n,) today's territory per unit (-1 = none), for locks, disruption and a start.
    locked_units / locked_territories: never move these units; keep these territories as today.
    min_kept: share (0..1) of units, or of measure `kept_measure`, that must stay where they are.
    compactness: "distance" (weighted distance to the centre) or "cut_edges" (adjacency needed).
    """

    positions: NDArray[np.float64]
    measures: NDArray[np.float64]
    n_territories: int
    tolerances: NDArray[np.float64]
    geographic: bool = True
    targets: NDArray[np.float64] | None = None
    adjacency: sparse.csr_array | None = None
    weights: NDArray[np.float64] | None = None
    homes: NDArray[np.float64] | None = None
    current: NDArray[np.int64] | None = None
    locked_units: NDArray[np.bool_] | None = None
    locked_territories: NDArray[np.bool_] | None = None
    min_kept: float = 0.0
    kept_measure: int | None = None
    compactness: Compactness = "distance"
    measure_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        self._coerce()
        self._check_shapes()
        self._check_rules()

    @property
    def n_units(self) -> int:
        return int(self.measures.shape[0])

    @property
    def n_measures(self) -> int:
        return int(self.measures.shape[1])

    def target_matrix(self) -> NDArray[np.float64]:
        """(k, m) targets: the given ones, or the total split evenly."""
        if self.targets is not None:
            return self.targets
        total = self.measures.sum(axis=0)
        return np.repeat(total[None, :] / self.n_territories, self.n_territories, axis=0)

    def unit_weights(self) -> NDArray[np.float64]:
        return np.ones(self.n_units) if self.weights is None else self.weights

    def movable(self) -> NDArray[np.bool_]:
        """Units the search may reassign: not locked and not in a locked territory."""
        free = np.ones(self.n_units, dtype=bool)
        if self.locked_units is not None:
            free &= ~self.locked_units
        if self.locked_territories is not None and self.current is not None:
            held = (self.current >= 0) & self.locked_territories[np.maximum(self.current, 0)]
            free &= ~held
        return free

    def open_territories(self) -> NDArray[np.bool_]:
        """Territories that may receive units (locked ones keep exactly today's units)."""
        if self.locked_territories is None:
            return np.ones(self.n_territories, dtype=bool)
        return ~self.locked_territories

    def kept_amount(self) -> NDArray[np.float64]:
        """What each unit counts for in the disruption limit: 1, or its `kept_measure`."""
        if self.kept_measure is None:
            return np.ones(self.n_units)
        return self.measures[:, self.kept_measure]

    def _coerce(self) -> None:
        """Store every array with the dtype the solvers expect (the class is frozen)."""
        put = object.__setattr__
        put(self, "positions", np.asarray(self.positions, dtype=float))
        measures = np.asarray(self.measures, dtype=float)
        put(self, "measures", measures.reshape(len(measures), -1))
        put(self, "tolerances", np.asarray(self.tolerances, dtype=float).reshape(-1))
        for name, dtype in (("targets", float), ("weights", float), ("homes", float)):
            value = getattr(self, name)
            if value is not None:
                put(self, name, np.asarray(value, dtype=dtype))
        if self.current is not None:
            put(self, "current", np.asarray(self.current, dtype=np.int64))
        for name in ("locked_units", "locked_territories"):
            value = getattr(self, name)
            if value is not None:
                put(self, name, np.asarray(value, dtype=bool))
        if self.adjacency is not None:
            put(self, "adjacency", sparse.csr_array(self.adjacency))

    def _check_shapes(self) -> None:
        n, k, m = self.n_units, self.n_territories, self.n_measures
        expected = {
            "positions": (n, 2),
            "tolerances": (m,),
            "targets": (k, m),
            "weights": (n,),
            "homes": (k, 2),
            "current": (n,),
            "locked_units": (n,),
            "locked_territories": (k,),
            "adjacency": (n, n),
        }
        for name, shape in expected.items():
            value = getattr(self, name)
            if value is not None and value.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, not {value.shape}")
        if self.measure_names and len(self.measure_names) != m:
            raise ValueError("give one name per measure")

    def _check_rules(self) -> None:
        if not 1 <= self.n_territories <= max(self.n_units, 1):
            raise ValueError("need at least one territory and no more territories than units")
        if not np.all(np.isfinite(self.positions)):
            raise ValueError("every unit needs a position")
        if np.any(self.measures < 0) or not np.all(np.isfinite(self.measures)):
            raise ValueError("measures must be finite and non-negative")
        if np.any(self.tolerances < 0):
            raise ValueError("tolerances must be >= 0")
        if self.weights is not None and np.any(self.weights < 0):
            raise ValueError("weights must be >= 0")
        if not 0.0 <= self.min_kept <= 1.0:
            raise ValueError("min_kept is a share between 0 and 1")
        if self.kept_measure is not None and not 0 <= self.kept_measure < self.n_measures:
            raise ValueError("kept_measure must index a measure")
        if self.compactness == "cut_edges" and self.adjacency is None:
            raise ValueError("cut-edge compactness needs an adjacency graph")
        self._check_current()

    def _check_current(self) -> None:
        needs_current = (
            self.locked_units is not None
            or self.locked_territories is not None
            or self.min_kept > 0
        )
        if self.current is None:
            if needs_current:
                raise ValueError("locks and a disruption limit need the current assignment")
            return
        if np.any(self.current < -1) or np.any(self.current >= self.n_territories):
            raise ValueError("current territories must be -1 or a territory index")
        if self.locked_units is not None and np.any(self.current[self.locked_units] < 0):
            raise ValueError("a locked unit must have a current territory")
