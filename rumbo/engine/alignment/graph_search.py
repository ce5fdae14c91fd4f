"""Contiguous territory design by simulated annealing over boundary moves and swaps.

Each run starts from a construction (today's alignment, a recursive sweep or region growing, in
turn), anneals with an adaptive balance penalty (strategic oscillation: the penalty rises while the
search sits outside the bands and eases when inside, so it can cross infeasible states), then
descends greedily. A move takes a boundary unit into a neighbouring territory and is only made if
the territory it leaves stays connected, so every state is contiguous. While no run has ended
inside the bands, the best state of each run is repaired (graph_repair: tabu moves, merge-splits)
before the descent. Runs repeat until the stopping criterion says so; the best balanced solution
(or the least unbalanced) is returned.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from rumbo.engine.alignment.construct import grow, make_contiguous, sweep
from rumbo.engine.alignment.graph_repair import repair_balance
from rumbo.engine.alignment.graph_state import GraphData, GraphState
from rumbo.engine.alignment.model import Model
from rumbo.engine.alignment.tracker import Tracker

ROUND = 256  # proposals between two calls of the stopping criterion
PROPOSALS_PER_UNIT = 400  # length of one annealing run, per unit
SWAP_SHARE = 0.3  # share of proposals that are swaps
ACCEPT_START, ACCEPT_END = 0.3, 0.002  # acceptance of an average uphill move, start and end
FEASIBLE_AIM = 0.5  # share of time the annealer should spend inside the bands
REPAIR_STEPS = 300  # tabu steps (plus one per 4 units) to repair a run ending outside the bands


def search_graph(model: Model, tracker: Tracker, seed: int) -> None:
    """Multi-start annealing until the tracker's stopping criterion ends it."""
    rng = random.Random(seed)
    data = GraphData(model)
    starts = _starts(model, rng)
    first = GraphState(data, next(starts))
    tracker.offer(first.assign, first.obj, first.viol)
    if model.k == 1 or tracker.tick():
        return
    run = 0
    while not tracker.stopped:
        begin = tracker.best if run % 3 == 2 and tracker.best is not None else next(starts)
        state = GraphState(data, begin)
        ticks = tracker.iterations
        _anneal(state, rng, tracker, reheat=1.0 if run % 3 != 2 else 0.3)
        if tracker.iterations == ticks:  # a run with no move to try still counts as a round
            tracker.tick()
        run += 1
    if tracker.best is not None and tracker.best_violation > 0:
        state = GraphState(data, tracker.best)
        descend(state, rng, mu=_mu_start(state) * 1e6, tracker=tracker, limit=50)


def _starts(model: Model, rng: random.Random) -> Iterator[NDArray[np.int64]]:
    """Starting partitions: today's (when complete), then sweeps and growth in turn."""
    if model.current is not None and (model.current >= 0).all():
        yield make_contiguous(model, model.current.copy())
    while True:
        yield sweep(model, rng)
        yield grow(model, rng)


def _mu_start(state: GraphState) -> float:
    """A first balance penalty: one unit's worth of imbalance costs a typical move."""
    units_per_territory = len(state.assign) / state.k
    return max(_typical_delta(state, random.Random(0)), 1e-9) * units_per_territory


def _typical_delta(state: GraphState, rng: random.Random, samples: int = 200) -> float:
    """Mean size of the objective change of random boundary moves."""
    seen: list[float] = []
    for _ in range(samples * 3):
        if len(seen) >= samples or not len(state.boundary):
            break
        i = state.boundary.choice(rng)
        for b in state.foreign_territories(i)[:1]:
            seen.append(abs(state.delta_move(i, b)[0]))
    positive = [x for x in seen if x > 0]
    return float(np.mean(positive)) if positive else 1.0


def _anneal(state: GraphState, rng: random.Random, tracker: Tracker, reheat: float) -> None:
    """One annealing run, then a greedy descent from the best state it saw."""
    typical = _typical_delta(state, rng)
    t_start = reheat * typical / -math.log(ACCEPT_START)
    t_end = typical / -math.log(ACCEPT_END) * 0.1
    proposals = max(PROPOSALS_PER_UNIT * len(state.assign), 20 * ROUND)
    cooling = (t_end / t_start) ** (1.0 / proposals)
    mu0 = _mu_start(state)
    mu, temp, inside = mu0, t_start, 0
    best_run = (list(state.assign), state.obj, state.viol)
    for step in range(proposals):
        if step % ROUND == 0 and step:
            if tracker.tick():
                break
            mu *= 1.3 if inside < FEASIBLE_AIM * ROUND else 1 / 1.15
            inside = 0
        temp *= cooling
        inside += state.viol <= 0
        if not len(state.boundary):
            break
        if _propose(state, rng, temp, mu) and _better(state, best_run):
            best_run = (list(state.assign), state.obj, state.viol)
            tracker.offer(state.assign, state.obj, state.viol)
    polished = GraphState(state.d, best_run[0])
    if polished.viol > 0 and tracker.best_violation > 0:  # nothing balanced known yet: repair
        steps = REPAIR_STEPS + len(polished.assign) // 4
        polished = repair_balance(polished, rng, tracker, steps)
    descend(polished, rng, mu0 * 1e6, tracker, limit=20)


def _better(state: GraphState, best: tuple[list[int], float, float]) -> bool:
    if state.viol <= 0:
        return best[2] > 0 or state.obj < best[1] - 1e-9
    return state.viol < best[2] - 1e-12


def _propose(state: GraphState, rng: random.Random, temp: float, mu: float) -> bool:
    """Try one move or swap from a random boundary unit; True if the state changed."""
    i = state.boundary.choice(rng)
    options = state.foreign_territories(i)
    b = options[int(rng.random() * len(options))]
    if not state.allowed(i, b):
        return False
    dobj, dviol = state.delta_move(i, b)
    if rng.random() < SWAP_SHARE:
        return _swap(state, rng, i, b, temp, mu)
    energy = dobj + mu * dviol
    if energy > 0 and (temp <= 0 or rng.random() >= math.exp(-energy / temp)):
        return False
    if not state.can_leave(i):
        return False
    state.move(i, b)
    return True


def _swap(state: GraphState, rng: random.Random, i: int, b: int, temp: float, mu: float) -> bool:
    """Move i into b, then a unit of b back into i's old territory; undo if not accepted."""
    a = state.assign[i]
    partner = _partner(state, rng, i, a, b)
    if partner < 0 or not state.can_leave(i):
        return False
    before_obj, before_viol = state.obj, state.viol
    state.move(i, b)
    ok = state.allowed(partner, a) and state.touches(partner, a) and state.can_leave(partner)
    if ok:
        dobj, dviol = state.delta_move(partner, a)
        energy = (state.obj + dobj - before_obj) + mu * (state.viol + dviol - before_viol)
        ok = energy < -1e-9 or (temp > 0 and rng.random() < math.exp(-max(energy, 0.0) / temp))
    if ok:
        state.move(partner, a)
        return True
    state.move(i, a)
    return False


def _partner(state: GraphState, rng: random.Random, i: int, a: int, b: int) -> int:
    """A unit of territory b next to territory a (other than through i), or -1."""
    near = [v for v in state.d.nbrs[i] if state.assign[v] == b]
    for _ in range(4):
        if not near:
            return -1
        u = near[int(rng.random() * len(near))]
        candidates = [v for v in state.d.nbrs[u] if state.assign[v] == b] + [u]
        v = candidates[int(rng.random() * len(candidates))]
        if any(state.assign[w] == a and w != i for w in state.d.nbrs[v]):
            return v
        near = candidates
    return -1


def descend(state: GraphState, rng: random.Random, mu: float, tracker: Tracker, limit: int) -> None:
    """Greedy improvement: sweep the boundary making every improving move, then swaps."""
    for _ in range(limit):
        improved = _descend_moves(state, rng, mu)
        if state.viol > 0:
            improved |= _descend_swaps(state, rng, mu)
        tracker.offer(state.assign, state.obj, state.viol)
        if not improved or tracker.tick():
            return


def _descend_moves(state: GraphState, rng: random.Random, mu: float) -> bool:
    improved = False
    order = list(state.boundary.items)
    rng.shuffle(order)
    for i in order:
        for b in state.foreign_territories(i):
            if not state.allowed(i, b):
                continue
            dobj, dviol = state.delta_move(i, b)
            if dobj + mu * dviol < -1e-9 and state.can_leave(i):
                state.move(i, b)
                improved = True
                break
    return improved


def _descend_swaps(state: GraphState, rng: random.Random, mu: float) -> bool:
    """Improving swaps, tried from territories outside their bands only (repair)."""
    improved = False
    order = [i for i in state.boundary.items if state.tviol[state.assign[i]] > 0]
    rng.shuffle(order)
    for i in order:
        a = state.assign[i]
        for b in state.foreign_territories(i):
            if state.assign[i] == a and state.allowed(i, b) and _swap(state, rng, i, b, 0.0, mu):
                improved = True
                break
    return improved
