"""Properties of the alignment search on small random instances (hypothesis)."""

from collections import deque

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.engine.alignment import AlignmentProblem, solve
from rumbo.engine.stop import MaxIterations
from rumbo.engine.tests.alignment_instances import grid, grid_positions

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def districts(draw, locks: bool = False, kept: bool = False):
    """A grid of districts with one or two measures, maybe today's alignment and its rules."""
    rows, cols = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    n = rows * cols
    k = draw(st.integers(2, max(2, min(4, n // 2))))
    m = draw(st.integers(1, 2))
    measures = np.array(draw(st.lists(st.integers(1, 9), min_size=n * m, max_size=n * m)))
    tolerance = draw(st.sampled_from([0.1, 0.3, np.inf]))
    fields: dict = {
        "positions": grid_positions(rows, cols),
        "measures": measures.reshape(n, m).astype(float),
        "n_territories": k,
        "tolerances": np.full(m, tolerance),
        "geographic": False,
        "adjacency": grid(rows, cols),
        "compactness": draw(st.sampled_from(["distance", "cut_edges"])),
    }
    if locks or kept:
        fields["current"] = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    if locks:
        fields["locked_units"] = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        fields["locked_territories"] = np.array([draw(st.booleans())] + [False] * (k - 1))
    if kept:
        fields["min_kept"] = draw(st.sampled_from([0.5, 0.8]))
    return AlignmentProblem(**fields)


@st.composite
def accounts(draw):
    """Scattered accounts (no graph) with two measures, maybe with locks."""
    n = draw(st.integers(6, 40))
    k = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 1000))
    rng = np.random.default_rng(seed)
    fields: dict = {
        "positions": np.column_stack([rng.uniform(-12.2, -11.9, n), rng.uniform(-77.1, -76.9, n)]),
        "measures": np.column_stack([rng.integers(1, 10, n), np.ones(n)]).astype(float),
        "n_territories": k,
        "tolerances": [draw(st.sampled_from([0.2, 0.5, np.inf])), np.inf],
    }
    if draw(st.booleans()):
        fields["current"] = rng.integers(0, k, n)
        fields["locked_units"] = rng.random(n) < 0.3
        fields["min_kept"] = draw(st.sampled_from([0.0, 0.5]))
    return AlignmentProblem(**fields)


def _within_bands(problem: AlignmentProblem, assignment: np.ndarray) -> bool:
    loads = np.zeros((problem.n_territories, problem.n_measures))
    np.add.at(loads, assignment, problem.measures)
    targets = problem.measures.sum(axis=0) / problem.n_territories
    room = targets * np.where(np.isfinite(problem.tolerances), problem.tolerances, np.inf)
    return bool(np.all(np.abs(loads - targets) <= room + 1e-9))


def _connected(problem: AlignmentProblem, members: np.ndarray) -> bool:
    graph = problem.adjacency
    assert graph is not None
    inside, seen = set(members.tolist()), {int(members[0])}
    queue = deque(seen)
    while queue:
        u = queue.popleft()
        for v in graph.indices[graph.indptr[u] : graph.indptr[u + 1]].tolist():
            if v in inside and v not in seen:
                seen.add(v)
                queue.append(v)
    return len(seen) == len(inside)


@FAST
@given(districts(), st.integers(0, 10))
def test_every_district_is_assigned_exactly_once_to_a_connected_territory(problem, seed):
    result = solve(problem, MaxIterations(4), seed=seed)
    assert result.assignment.shape == (problem.n_units,)
    assert set(result.assignment.tolist()) <= set(range(problem.n_territories))
    assert np.allclose(result.loads.sum(axis=0), problem.measures.sum(axis=0))
    for j in range(problem.n_territories):
        members = np.flatnonzero(result.assignment == j)
        assert len(members) and _connected(problem, members)


@FAST
@given(districts(locks=True), st.integers(0, 10))
def test_locked_districts_and_territories_never_change(problem, seed):
    result = solve(problem, MaxIterations(4), seed=seed)
    locked = problem.locked_units
    assert np.array_equal(result.assignment[locked], problem.current[locked])
    today = problem.current == 0
    if problem.locked_territories[0]:
        assert np.array_equal(result.assignment == 0, today)
    assert result.locks_kept


@FAST
@given(districts(kept=True), st.integers(0, 10))
def test_a_reported_feasible_alignment_is_balanced_and_keeps_enough_units(problem, seed):
    result = solve(problem, MaxIterations(4), seed=seed)
    if result.feasible:
        assert _within_bands(problem, result.assignment)
        kept = np.mean(result.assignment == problem.current)
        assert kept >= problem.min_kept - 1e-9


@FAST
@given(districts(), st.integers(0, 10), st.sampled_from([0.5, 0.9]))
def test_starting_from_a_feasible_alignment_the_disruption_limit_holds(problem, seed, share):
    first = solve(problem, MaxIterations(4), seed=seed)
    if not first.feasible:
        return
    again = AlignmentProblem(
        positions=problem.positions,
        measures=problem.measures,
        n_territories=problem.n_territories,
        tolerances=problem.tolerances,
        geographic=False,
        adjacency=problem.adjacency,
        current=first.assignment,
        min_kept=share,
    )
    result = solve(again, MaxIterations(4), seed=seed + 1)
    assert result.feasible and result.disruption_ok
    assert np.mean(result.assignment == first.assignment) >= share - 1e-9


@FAST
@given(accounts(), st.integers(0, 10))
def test_accounts_are_assigned_once_locks_hold_and_feasible_means_balanced(problem, seed):
    result = solve(problem, MaxIterations(6), seed=seed)
    assert result.assignment.shape == (problem.n_units,)
    assert set(result.assignment.tolist()) <= set(range(problem.n_territories))
    if problem.locked_units is not None:
        locked = problem.locked_units
        assert np.array_equal(result.assignment[locked], problem.current[locked])
    if result.feasible:
        assert _within_bands(problem, result.assignment)
        if problem.current is not None:
            assert np.mean(result.assignment == problem.current) >= problem.min_kept - 1e-9


def test_fewer_free_districts_than_territories_still_solve():
    """Found by hypothesis: six of eight districts locked in territory 0, four territories."""
    problem = AlignmentProblem(
        positions=grid_positions(2, 4),
        measures=np.ones((8, 1)),
        n_territories=4,
        tolerances=np.array([0.1]),
        geographic=False,
        adjacency=grid(2, 4),
        current=np.zeros(8, dtype=np.int64),
        locked_units=np.array([False, False] + [True] * 6),
    )
    result = solve(problem, MaxIterations(4), seed=0)
    assert np.array_equal(result.assignment[2:], np.zeros(6))
