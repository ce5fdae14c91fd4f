import random

import numpy as np
import pytest

from rumbo.engine.alignment import (
    AlignmentProblem,
    evaluate,
    kmedian_lower_bound,
    solve,
    solve_exact,
    suggest_territories,
)
from rumbo.engine.stop import MaxIterations
from rumbo.engine.tests.alignment_instances import (
    brute_force,
    grid,
    grid_positions,
    path_of_six,
    two_towns,
)


def _weighted_grid() -> AlignmentProblem:
    """A 2 × 4 grid of districts with uneven population, two contiguous territories ±20 %."""
    return AlignmentProblem(
        positions=grid_positions(2, 4) + [[0.0, 0.0], [0.1, 0.0], [0, 0.3], [0, 0]] * 2,
        measures=np.array([[3.0], [1.0], [2.0], [2.0], [1.0], [3.0], [2.0], [2.0]]),
        n_territories=2,
        tolerances=np.array([0.2]),
        geographic=False,
        adjacency=grid(2, 4),
    )


def test_two_towns_make_two_territories_with_the_middle_shop_as_centre():
    result = solve(two_towns(), MaxIterations(20), seed=1)
    assert result.feasible
    assert result.compactness == 4.0
    assert len(set(result.assignment[:3])) == 1 and len(set(result.assignment[3:])) == 1
    assert sorted(result.centres.tolist()) == [1, 4]


def test_a_path_of_six_districts_is_cut_once_in_the_middle():
    result = solve(path_of_six(), MaxIterations(20), seed=1)
    assert result.feasible and result.contiguous
    assert result.cut_edges == 1
    assert result.assignment[:3].tolist() == [result.assignment[0]] * 3


def test_the_search_finds_the_exhaustive_optimum_of_a_small_grid():
    problem = _weighted_grid()
    best, _ = brute_force(problem)
    assert solve(problem, MaxIterations(30), seed=3).objective == pytest.approx(best)


def test_the_milp_proves_the_same_optimum_and_its_lp_bound_lies_below():
    problem = _weighted_grid()
    best, _ = brute_force(problem)
    exact = solve_exact(problem, time_limit_s=30)
    assert exact.optimal and exact.objective == pytest.approx(best)
    assert solve_exact(problem, relax=True).bound <= best + 1e-6


def test_a_unit_locked_in_the_other_town_stays_there():
    # Unit 2 is locked into territory 1: {0, 1} costs 1, {2, 3, 4, 5} costs 11 from x = 10.
    problem = two_towns(
        tolerances=np.array([np.inf]),
        current=[0, 0, 1, 1, 1, 1],
        locked_units=[False, False, True, False, False, False],
    )
    result = solve(problem, MaxIterations(20), seed=1)
    assert result.assignment[2] == 1 and result.locks_kept
    assert result.compactness == 12.0


def test_a_locked_territory_keeps_exactly_its_units():
    problem = two_towns(current=[0, 0, 1, 1, 1, 0], locked_territories=[True, False])
    result = solve(problem, MaxIterations(10), seed=1)
    assert result.assignment.tolist() == [0, 0, 1, 1, 1, 0]
    assert result.locks_kept and result.feasible


def test_evaluate_judges_a_manual_scenario():
    result = evaluate(path_of_six(), [0, 0, 1, 1, 1, 1])
    assert result.balance_pct.tolist() == pytest.approx([100 / 3])
    assert result.cut_edges == 1 and result.contiguous
    assert not result.balanced and not result.feasible


def test_evaluate_reports_disruption_against_the_current_alignment():
    problem = two_towns(current=[0, 0, 0, 1, 1, 1], min_kept=0.9)
    result = evaluate(problem, [0, 0, 1, 1, 1, 1])
    assert result.disruption_pct == pytest.approx(100 / 6)
    assert not result.disruption_ok


def test_the_disruption_limit_can_be_weighted_by_a_measure():
    problem = two_towns(
        measures=np.column_stack([np.ones(6), [10, 1, 1, 1, 1, 1]]),
        tolerances=np.array([0.0, np.inf]),
        current=[0, 0, 0, 1, 1, 1],
        kept_measure=1,
    )
    assert evaluate(problem, [1, 0, 0, 0, 1, 1]).disruption_pct == pytest.approx(1100 / 15)


def test_territories_needed_from_workload_and_capacity():
    assert suggest_territories(170, 40, utilisation=0.85) == 5
    assert suggest_territories(171, 40, utilisation=0.85) == 6
    with pytest.raises(ValueError):
        suggest_territories(10, 0)


def test_the_kmedian_bound_is_not_above_a_solution():
    rng = np.random.default_rng(4)
    problem = AlignmentProblem(
        positions=rng.uniform(-13, -11, size=(60, 2)) + np.array([0, -65]),
        measures=np.ones((60, 1)),
        n_territories=4,
        tolerances=np.array([0.05]),
    )
    result = solve(problem, MaxIterations(30), seed=1)
    bound = kmedian_lower_bound(problem, upper=result.compactness, cell_extent=5.0)
    assert 0 < bound.value <= result.compactness


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tolerances", [-0.1]),
        ("n_territories", 7),
        ("min_kept", 0.5),
        ("measures", -np.ones((6, 1))),
        ("compactness", "cut_edges"),
    ],
)
def test_invalid_problems_are_refused_with_a_clear_error(field, value):
    with pytest.raises(ValueError):
        two_towns(**{field: value})


def _graph_state(problem: AlignmentProblem, assign):
    from rumbo.engine.alignment.graph_state import GraphData, GraphState
    from rumbo.engine.alignment.model import build_model

    return GraphState(GraphData(build_model(problem)), assign)


def test_a_merge_split_recuts_two_territories_into_balanced_connected_halves():
    from rumbo.engine.alignment.graph_split import merge_split

    state = _graph_state(path_of_six(), [0, 0, 0, 0, 0, 1])
    found = merge_split(state, random.Random(0), 0, 1, trees=5)
    assert found is not None
    assign, violation, cuts = found
    assert violation == 0 and cuts == 1
    assert sorted(assign[:3]) == [assign[0]] * 3 and assign[0] != assign[5]


def test_the_balance_repair_ends_inside_the_bands_with_connected_territories():
    from rumbo.engine.alignment.graph_repair import repair_balance
    from rumbo.engine.alignment.tracker import Tracker

    problem = AlignmentProblem(
        positions=grid_positions(4, 4),
        measures=np.ones((16, 1)),
        n_territories=4,
        tolerances=np.array([0.0]),
        geographic=False,
        adjacency=grid(4, 4),
        compactness="cut_edges",
    )
    start = [0] * 10 + [1, 1, 2, 2, 3, 3]  # 10 / 2 / 2 / 2 units, each territory connected
    assert evaluate(problem, start).contiguous
    state = repair_balance(
        _graph_state(problem, start), random.Random(1), Tracker(MaxIterations(10_000)), 300
    )
    result = evaluate(problem, state.assign)
    assert result.balanced and result.contiguous and state.viol == 0


def test_swaps_between_balanced_territories_keep_the_bands_and_shorten_distances():
    from rumbo.engine.alignment import scale_search
    from rumbo.engine.alignment.model import build_model
    from rumbo.engine.alignment.scale_moves import Pricing
    from rumbo.engine.alignment.scale_prices import ScaleData
    from rumbo.engine.alignment.scale_swaps import improve_swaps
    from rumbo.engine.alignment.tracker import Tracker

    rng = np.random.default_rng(7)
    problem = AlignmentProblem(
        positions=rng.uniform(-12.3, -11.8, size=(400, 2)) + np.array([0, -65]),
        measures=np.column_stack([rng.lognormal(0, 1, 400), np.ones(400)]),
        n_territories=6,
        tolerances=np.array([0.05, 0.05]),
    )
    start = solve(problem, MaxIterations(150), seed=1)
    assert start.feasible
    model = build_model(problem)
    data = ScaleData(model)
    centres = model.points[start.centres]
    cand, dist = scale_search.candidates(model, centres)
    pricing = Pricing(data, dist, repair=False)
    swapped = improve_swaps(
        data, start.assignment, centres, cand, dist, pricing, Tracker(MaxIterations(1000))
    )
    before = model.weights @ np.linalg.norm(model.points - centres[start.assignment], axis=1)
    after = model.weights @ np.linalg.norm(model.points - centres[swapped], axis=1)
    assert evaluate(problem, swapped).balanced and after <= before + 1e-9
