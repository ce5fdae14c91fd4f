"""Quota allocation: every level adds up, for the year and each month, in whole steps, with
or without values set by hand; conflicts are named; the shares follow the methods."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.engine.quotas import (
    QuotaConflict,
    QuotaTree,
    allocate,
    apportion,
    balance,
    blended_shares,
    round_matrix,
)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_adds_up(tree: QuotaTree, found, total: int) -> None:
    assert found.annual[0] == total
    assert np.array_equal(found.months.sum(axis=1), found.annual)
    assert (found.months >= 0).all()
    for p, family in enumerate(tree.children()):
        if len(family):
            assert found.annual[family].sum() == found.annual[p]
            assert np.array_equal(found.months[family].sum(axis=0), found.months[p])


@st.composite
def trees(draw):
    """A company → regions → territories → reps tree with random inputs (some zero)."""
    parent = [-1]
    for _ in range(draw(st.integers(1, 4))):
        region = len(parent)
        parent.append(0)
        for _ in range(draw(st.integers(1, 4))):
            territory = len(parent)
            parent.append(region)
            parent += [territory] * draw(st.integers(0, 2))
    n = len(parent)
    basis = draw(st.lists(st.integers(0, 50), min_size=3 * n, max_size=3 * n))
    shape = draw(st.lists(st.integers(0, 9), min_size=12 * n, max_size=12 * n))
    return QuotaTree(
        parent=np.array(parent),
        basis=np.array(basis, dtype=float).reshape(n, 3),
        shape=np.array(shape, dtype=float).reshape(n, 12),
    )


@FAST
@given(tree=trees(), total=st.integers(0, 10**9), data=st.data())
def test_every_level_and_month_adds_up_after_hand_set_values(tree, total, data):
    weights = np.array(data.draw(st.sampled_from([(1, 0, 0), (0, 1, 0), (0, 0, 1), (5, 3, 2)])))
    proposal = allocate(tree, total, weights)
    assert_adds_up(tree, proposal, total)
    # Set a few values by hand below what their parent has, one per family at most.
    manual = {}
    for family in tree.children():
        if len(family) > 1 and data.draw(st.booleans()):
            node = int(data.draw(st.sampled_from(list(family))))
            manual[node] = int(proposal.annual[node] * data.draw(st.sampled_from([0, 0.5, 1.2])))
    try:
        edited = allocate(tree, total, weights, manual)
    except QuotaConflict as conflict:
        assert conflict.fixed > conflict.available
        return
    assert_adds_up(tree, edited, total)
    for node, value in manual.items():
        assert edited.annual[node] == value


def small_tree() -> QuotaTree:
    # company → two regions → (two territories, one territory) → one rep under territory 3
    parent = np.array([-1, 0, 0, 1, 1, 2, 3])
    basis = np.array(
        [[0, 0, 0], [60, 10, 50], [40, 30, 50], [30, 5, 20], [30, 5, 30], [40, 30, 50],
         [0, 5, 20]], dtype=float,
    )  # fmt: skip
    shape = np.tile(np.arange(1, 13, dtype=float), (7, 1))
    return QuotaTree(parent=parent, basis=basis, shape=shape)


def test_each_method_shares_by_its_own_measure():
    tree = small_tree()
    assert blended_shares(tree, np.array([1, 0, 0]))[1:3] == pytest.approx([0.6, 0.4])
    assert blended_shares(tree, np.array([0, 1, 0]))[1:3] == pytest.approx([0.25, 0.75])
    assert blended_shares(tree, np.array([0, 0, 1]))[1:3] == pytest.approx([0.5, 0.5])
    blend = blended_shares(tree, np.array([50, 25, 25]))
    assert blend[1] == pytest.approx(0.5 * 0.6 + 0.25 * 0.25 + 0.25 * 0.5)
    # The rep has no forecast: the forecast's weight goes to the other methods there.
    assert blend[6] == 1.0


def test_a_method_blind_to_a_family_leaves_its_weight_to_the_others():
    tree = QuotaTree(
        parent=np.array([-1, 0, 0]),
        basis=np.array([[0, 0, 0], [0, 1, 3], [0, 3, 1]], dtype=float),
        shape=np.ones((3, 12)),
    )
    shares = blended_shares(tree, np.array([80, 10, 10]))
    assert shares[1:] == pytest.approx([0.5, 0.5])
    blind = QuotaTree(parent=tree.parent, basis=np.zeros((3, 3)), shape=tree.shape)
    assert blended_shares(blind, np.array([1, 1, 1]))[1:] == pytest.approx([0.5, 0.5])


def test_hand_set_values_are_kept_and_the_free_siblings_share_the_rest():
    tree = small_tree()
    weights = np.array([1, 0, 0])
    found = allocate(tree, 1_000_000, weights, {3: 100_000})
    assert found.annual[1] == 600_000  # the region keeps its share
    assert found.annual[3] == 100_000 and found.annual[4] == 500_000
    assert_adds_up(tree, found, 1_000_000)
    # A region set by hand: its sibling takes the rest and its children rescale.
    found = allocate(tree, 1_000_000, weights, {1: 700_000})
    assert found.annual[2] == 300_000
    assert found.annual[3] + found.annual[4] == 700_000
    assert_adds_up(tree, found, 1_000_000)


def test_conflicts_say_which_parent_and_why():
    tree = small_tree()
    with pytest.raises(QuotaConflict) as over:
        allocate(tree, 1000, np.array([1, 1, 1]), {1: 600, 2: 500})
    assert (over.value.parent, over.value.reason) == (0, "over")
    assert (over.value.fixed, over.value.available) == (1100, 1000)
    with pytest.raises(QuotaConflict) as fixed:
        allocate(tree, 1000, np.array([1, 1, 1]), {1: 300, 2: 500})
    assert fixed.value.reason == "fixed"
    with pytest.raises(ValueError):
        allocate(tree, 1000, np.array([1, 1, 1]), {0: 1000})


def test_months_follow_the_patterns_and_an_explicit_spread():
    tree = small_tree()
    found = allocate(tree, 7800, np.array([1, 1, 1]))
    assert list(found.months[0]) == [100 * m for m in range(1, 13)]
    spread = np.array([650] * 12)
    found = allocate(tree, 7800, np.array([1, 1, 1]), root_months=spread)
    assert list(found.months[0]) == [650] * 12
    assert_adds_up(tree, found, 7800)
    with pytest.raises(ValueError):
        allocate(tree, 7800, np.array([1, 1, 1]), root_months=np.array([1] * 12))


def test_a_child_without_a_pattern_follows_its_parent():
    tree = QuotaTree(
        parent=np.array([-1, 0, 0]),
        basis=np.ones((3, 3)),
        shape=np.vstack([np.r_[np.ones(6), 3 * np.ones(6)], np.ones(12), np.zeros(12)]),
    )
    found = allocate(tree, 2 * 2400, np.array([1, 0, 0]))
    # Child 2 has no pattern: it leans to the root's busy months, more than the flat child 1.
    ratio = found.months[:, 11] / found.months[:, 0]
    assert ratio[2] > ratio[1] >= 1
    assert_adds_up(tree, found, 4800)


def test_apportion_is_exact_and_fair():
    assert list(apportion(10, np.array([1, 1, 1]))) == [4, 3, 3]
    assert list(apportion(0, np.array([1, 2]))) == [0, 0]
    assert list(apportion(5, np.zeros(2))) == [3, 2]
    assert apportion(10**12 + 7, np.array([0.3, 0.3, 0.4])).sum() == 10**12 + 7


def test_balance_and_round_keep_both_margins():
    rng = np.random.default_rng(1)
    seed = rng.random((7, 12)) + 0.1
    rows = rng.integers(0, 10**6, 7)
    cols = apportion(int(rows.sum()), rng.random(12))
    fitted = balance(seed, rows.astype(float), cols.astype(float))
    rounded = round_matrix(fitted, rows, cols)
    assert np.array_equal(rounded.sum(axis=1), rows)
    assert np.array_equal(rounded.sum(axis=0), cols)
    assert np.abs(rounded - fitted).max() < 1


def test_the_same_inputs_give_the_same_answer():
    tree = small_tree()
    a = allocate(tree, 123_457, np.array([2, 1, 1]), {4: 9_000})
    b = allocate(tree, 123_457, np.array([2, 1, 1]), {4: 9_000})
    assert np.array_equal(a.months, b.months) and np.array_equal(a.annual, b.annual)


def test_a_malformed_tree_is_refused():
    with pytest.raises(ValueError):
        QuotaTree(parent=np.array([-1, 2, 0]), basis=np.zeros((3, 3)), shape=np.zeros((3, 12)))
    with pytest.raises(ValueError):
        QuotaTree(parent=np.array([0]), basis=np.zeros((1, 3)), shape=np.zeros((1, 12)))


def test_huge_totals_still_add_up_to_the_step():
    """A hundred billion soles in céntimos: floating point must not break a sum."""
    rng = np.random.default_rng(7)
    parent = np.array([-1] + [0] * 3 + [1 + i % 3 for i in range(60)])
    n = len(parent)
    tree = QuotaTree(parent=parent, basis=rng.random((n, 3)) * 1e6, shape=rng.random((n, 12)))
    for total in (10**13, 10**13 + 1, 99):
        assert_adds_up(tree, allocate(tree, total, np.array([1, 1, 1])), total)
