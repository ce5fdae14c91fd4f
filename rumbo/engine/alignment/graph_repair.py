"""Balance repair for the contiguity search, used while no balanced solution is known.

With tight bands (±0.5 % of population over counties, say) the annealer often stalls a little
outside the bands: every unit at the border is larger than the remaining excess. The repair
first makes tabu moves around the territories outside their bands: the best move that keeps
territories connected even when it is worse (least violation first, then objective), with the
unit then barred from moving for a few steps, so that chains (A gives to B, B to C) and trades
(A gives a large unit and takes back a small one) are found. When two large units sit in one
territory no single move helps; merge-splits (graph_split) then re-cut a territory outside its
bands together with a neighbour, and tabu moves finish. The best state seen is kept.
"""

from __future__ import annotations

import random

from rumbo.engine.alignment.graph_split import merge_split, pair_figures
from rumbo.engine.alignment.graph_state import GraphState
from rumbo.engine.alignment.tracker import Tracker

TENURE = 7  # steps a moved unit stays put, plus up to as many again at random
TICK = 16  # repair steps between two calls of the stopping criterion
SPLIT_ROUNDS = 30  # merge-splits tried when tabu moves alone do not balance
SPLIT_TREES = 20  # random spanning trees per merge-split


def repair_balance(
    state: GraphState, rng: random.Random, tracker: Tracker, steps: int
) -> GraphState:
    """Tabu moves; if the state is still outside the bands, merge-splits and tabu moves again."""
    state = tabu_moves(state, rng, tracker, steps)
    if state.viol > 0:
        state = split_repair(state, rng, tracker, SPLIT_ROUNDS, SPLIT_TREES)
        state = tabu_moves(state, rng, tracker, steps)
    return state


def split_repair(
    state: GraphState, rng: random.Random, tracker: Tracker, rounds: int, trees: int
) -> GraphState:
    """Merge-splits of a territory outside its bands with a neighbour, while they do not add to
    the violation (equal violation is taken too, so that an excess can travel)."""
    for _ in range(rounds):
        outside = [j for j, v in enumerate(state.tviol) if v > 0]
        if state.viol <= 0 or not outside or tracker.tick():
            break
        a = outside[int(rng.random() * len(outside))]
        near = sorted(
            {
                state.assign[v]
                for i in state.boundary.items
                if state.assign[i] == a
                for v in state.d.nbrs[i]
            }
            - {a}
        )
        if not near:
            continue
        b = near[int(rng.random() * len(near))]
        found = merge_split(state, rng, a, b, trees)
        if found is None:
            continue
        viol, _ = pair_figures(state, a, b)
        if found[1] <= viol + 1e-12:
            new = GraphState(state.d, found[0])
            if new.viol <= state.viol + 1e-12:
                state = new
                tracker.offer(state.assign, state.obj, state.viol)
    return state


def tabu_moves(state: GraphState, rng: random.Random, tracker: Tracker, steps: int) -> GraphState:
    """Tabu moves until the state is balanced or `steps` are used; the best state seen."""
    if state.viol <= 0:
        return state
    tabu: dict[int, int] = {}
    best = (state.viol, state.obj, list(state.assign))
    for step in range(steps):
        if step % TICK == TICK - 1 and tracker.tick():
            break
        if not _step(state, rng, tabu, step, best[0]):
            break
        if (state.viol, state.obj) < best[:2]:
            best = (state.viol, state.obj, list(state.assign))
            tracker.offer(state.assign, state.obj, state.viol)
            if state.viol <= 0:
                return state
    return state if best[2] == state.assign else GraphState(state.d, best[2])


def _step(state: GraphState, rng: random.Random, tabu: dict[int, int], step: int, best: float):
    """Make the best admissible move: not tabu unless it beats the best violation seen."""
    options = []
    outside = state.tviol
    for i in state.boundary.items:
        a = state.assign[i]
        for b in state.foreign_territories(i):
            if (outside[a] > 0 or outside[b] > 0) and state.allowed(i, b):
                dobj, dviol = state.delta_move(i, b)
                options.append((dviol, dobj, rng.random(), i, b))
    options.sort()
    for dviol, _, _, i, b in options:
        if tabu.get(i, -1) >= step and state.viol + dviol >= best - 1e-12:
            continue
        if state.can_leave(i):
            state.move(i, b)
            tabu[i] = step + TENURE + int(rng.random() * (TENURE + 1))
            return True
    return False
