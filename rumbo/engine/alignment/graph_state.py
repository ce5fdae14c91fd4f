"""A contiguous partition under change: loads, violation, objective and boundary kept up to date.

Everything the annealer touches per move lives in Python lists (scalar access to numpy arrays is
slow); only the medoid objective keeps numpy rows, one per territory: S[j, c] is the weighted
distance from territory j's units to unit c, so a territory's medoid cost is the minimum of S[j]
over its members and a move updates two rows.
"""

from __future__ import annotations

import random
from collections import deque

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.model import Model
from rumbo.engine.alignment.space import distances_to


class IndexedSet:
    """A set of ints with O(1) add, discard and uniform random choice."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, x: int) -> None:
        if x not in self.pos:
            self.pos[x] = len(self.items)
            self.items.append(x)

    def discard(self, x: int) -> None:
        p = self.pos.pop(x, None)
        if p is None:
            return
        last = self.items.pop()
        if p < len(self.items):
            self.items[p] = last
            self.pos[last] = p

    def choice(self, rng: random.Random) -> int:
        return self.items[int(rng.random() * len(self.items))]

    def __len__(self) -> int:
        return len(self.items)


class GraphData:
    """What the states of one search share: lists of the model and the distance tables."""

    def __init__(self, model: Model) -> None:
        assert model.neighbours is not None
        self.model = model
        self.nbrs = model.neighbours
        self.meas = model.measures.tolist()
        self.lower = model.bands.lower.tolist()
        self.upper = model.bands.upper.tolist()
        self.inv_scale = (1.0 / model.bands.scale).tolist()
        self.balanced = [
            q for q in range(model.measures.shape[1]) if np.isfinite(model.problem.tolerances[q])
        ]
        self.movable = model.movable.tolist()
        self.open = model.open.tolist()
        self.cur = None if model.current is None else model.current.tolist()
        self.kept = model.kept.tolist()
        placed = model.current >= 0 if model.current is not None else np.zeros(model.n, bool)
        self.kept_total = max(float(model.kept[placed].sum()), 1e-300)
        self.mode = self._mode()
        self.home: list[list[float]] = []
        self.wd: NDArray[np.float64] = np.zeros((0, 0))
        if self.mode == "home":
            assert model.homes is not None
            table = [model.weights * distances_to(model.points, h) for h in model.homes]
            self.home = np.array(table).T.tolist()
        elif self.mode == "medoid":
            gap = model.points[:, None, :] - model.points[None, :, :]
            self.wd = model.weights[:, None] * np.sqrt((gap**2).sum(axis=-1))

    def _mode(self) -> str:
        if self.model.problem.compactness == "cut_edges":
            return "cut"
        return "home" if self.model.homes is not None else "medoid"


class GraphState:
    """One assignment and its running figures; `delta_move` prices a move, `move` makes it."""

    def __init__(self, data: GraphData, assign: NDArray[np.int64] | list[int]) -> None:
        self.d = data
        model = data.model
        self.k = model.k
        self.assign = [int(a) for a in assign]
        self.size = [0] * self.k
        self.loads = [[0.0] * len(data.meas[0]) for _ in range(self.k)] if data.meas else []
        for i, a in enumerate(self.assign):
            self.size[a] += 1
            row = self.loads[a]
            for q, x in enumerate(data.meas[i]):
                row[q] += x
        self.tviol = [self._excess(j, self.loads[j]) for j in range(self.k)]
        self.kept = 0.0
        if data.cur is not None:
            self.kept = sum(data.kept[i] for i, a in enumerate(self.assign) if data.cur[i] == a)
        self.kept_min = model.kept_min
        self.viol = sum(self.tviol) + self._shortfall(self.kept)
        self._init_boundary()
        self._init_objective()

    def _init_boundary(self) -> None:
        nbrs, assign = self.d.nbrs, self.assign
        self.foreign = [sum(1 for v in nbrs[i] if assign[v] != assign[i]) for i in range(len(nbrs))]
        self.boundary = IndexedSet()
        for i, f in enumerate(self.foreign):
            if f and self.d.movable[i]:
                self.boundary.add(i)

    def _init_objective(self) -> None:
        d = self.d
        if d.mode == "cut":
            self.obj = sum(self.foreign) / 2.0
        elif d.mode == "home":
            self.obj = sum(d.home[i][a] for i, a in enumerate(self.assign))
        else:
            members = np.array(self.assign)
            self.S = np.zeros((self.k, len(members)))
            self.off = np.full((self.k, len(members)), np.inf)
            for j in range(self.k):
                inside = members == j
                self.S[j] = d.wd[inside].sum(axis=0)
                self.off[j, inside] = 0.0
            self.tcost = (self.S + self.off).min(axis=1).tolist()
            self.obj = sum(self.tcost)

    def _excess(self, j: int, load: list[float]) -> float:
        """Relative excess of one territory's loads over its bands."""
        lo, up, inv, total = self.d.lower[j], self.d.upper[j], self.d.inv_scale, 0.0
        for q in self.d.balanced:
            x = load[q]
            if x > up[q]:
                total += (x - up[q]) * inv[q]
            elif x < lo[q]:
                total += (lo[q] - x) * inv[q]
        return total

    def _shortfall(self, kept: float) -> float:
        """How far below the disruption limit `kept` is, as a share of the total (0 if not)."""
        if kept >= self.kept_min:
            return 0.0
        return (self.kept_min - kept) / self.d.kept_total

    def _kept_change(self, i: int, a: int, b: int) -> float:
        cur = self.d.cur
        if cur is None:
            return 0.0
        return self.d.kept[i] * ((cur[i] == b) - (cur[i] == a))

    def _shifted_excess(self, j: int, i: int, sign: float) -> float:
        """Excess of territory j if unit i's measures were added (sign 1) or removed (-1)."""
        row = self.d.meas[i]
        load = [x + sign * row[q] for q, x in enumerate(self.loads[j])]
        return self._excess(j, load)

    def allowed(self, i: int, b: int) -> bool:
        """Cheap rules for moving unit i to territory b: open, not emptying, disruption limit."""
        a = self.assign[i]
        if a == b or self.size[a] == 1 or not self.d.open[b] or not self.d.movable[i]:
            return False
        cur = self.d.cur
        return cur is None or cur[i] != a or self.kept - self.d.kept[i] >= self.kept_min

    def delta_move(self, i: int, b: int) -> tuple[float, float]:
        """(objective change, violation change) if unit i moved to territory b."""
        a = self.assign[i]
        dviol = (
            self._shifted_excess(a, i, -1.0)
            - self.tviol[a]
            + self._shifted_excess(b, i, 1.0)
            - self.tviol[b]
        )
        if self.kept_min > 0:
            kept = self.kept + self._kept_change(i, a, b)
            dviol += self._shortfall(kept) - self._shortfall(self.kept)
        return self._delta_objective(i, a, b), dviol

    def _delta_objective(self, i: int, a: int, b: int) -> float:
        d = self.d
        if d.mode == "cut":
            assign = self.assign
            na = nb = 0
            for v in d.nbrs[i]:
                t = assign[v]
                if t == a:
                    na += 1
                elif t == b:
                    nb += 1
            return float(na - nb)
        if d.mode == "home":
            return d.home[i][b] - d.home[i][a]
        row = d.wd[i]
        left = self.S[a] + self.off[a] - row
        left[i] = np.inf
        joined = self.S[b] + self.off[b] + row
        joined[i] = self.S[b, i]
        return float(left.min() + joined.min()) - self.tcost[a] - self.tcost[b]

    def can_leave(self, i: int) -> bool:
        """Does unit i's territory stay connected without i? (search from one neighbour)."""
        assign, nbrs = self.assign, self.d.nbrs
        a = assign[i]
        inside = [v for v in nbrs[i] if assign[v] == a]
        if len(inside) <= 1:
            return True
        wanted = set(inside[1:])
        seen = {i, inside[0]}
        queue = deque([inside[0]])
        while queue:
            u = queue.popleft()
            for v in nbrs[u]:
                if v not in seen and assign[v] == a:
                    if v in wanted:
                        wanted.discard(v)
                        if not wanted:
                            return True
                    seen.add(v)
                    queue.append(v)
        return False

    def touches(self, i: int, b: int) -> bool:
        """Is unit i adjacent to territory b (so that joining it keeps b connected)?"""
        assign = self.assign
        return any(assign[v] == b for v in self.d.nbrs[i])

    def move(self, i: int, b: int) -> None:
        """Move unit i to territory b and update every running figure."""
        d, a = self.d, self.assign[i]
        self._move_objective(i, a, b)
        row = d.meas[i]
        for q, x in enumerate(row):
            self.loads[a][q] -= x
            self.loads[b][q] += x
        self.size[a] -= 1
        self.size[b] += 1
        self.tviol[a] = self._excess(a, self.loads[a])
        self.tviol[b] = self._excess(b, self.loads[b])
        self.kept += self._kept_change(i, a, b)
        self.viol = sum(self.tviol) + self._shortfall(self.kept)
        self.assign[i] = b
        self._move_boundary(i, a, b)

    def _move_objective(self, i: int, a: int, b: int) -> None:
        d = self.d
        if d.mode == "medoid":
            row = d.wd[i]
            self.S[a] -= row
            self.S[b] += row
            self.off[a, i], self.off[b, i] = np.inf, 0.0
            new_a = float((self.S[a] + self.off[a]).min())
            new_b = float((self.S[b] + self.off[b]).min())
            self.obj += new_a + new_b - self.tcost[a] - self.tcost[b]
            self.tcost[a], self.tcost[b] = new_a, new_b
        else:
            self.obj += self._delta_objective(i, a, b)

    def _move_boundary(self, i: int, a: int, b: int) -> None:
        assign, foreign, movable = self.assign, self.foreign, self.d.movable
        count = 0
        for v in self.d.nbrs[i]:
            t = assign[v]
            if t != b:
                count += 1
            if t == a:
                foreign[v] += 1
            elif t == b:
                foreign[v] -= 1
            else:
                continue
            if foreign[v] and movable[v]:
                self.boundary.add(v)
            else:
                self.boundary.discard(v)
        foreign[i] = count
        if count and movable[i]:
            self.boundary.add(i)
        else:
            self.boundary.discard(i)

    def foreign_territories(self, i: int) -> list[int]:
        """Territories other than its own that unit i touches."""
        assign, a = self.assign, self.assign[i]
        return list({assign[v] for v in self.d.nbrs[i] if assign[v] != a})
