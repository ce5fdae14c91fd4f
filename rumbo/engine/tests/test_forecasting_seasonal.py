import numpy as np

from rumbo.engine.forecasting.seasonal import (
    seasonal_indices,
    seasonal_profile,
    shrink_indices,
    top_items,
)

PATTERN = np.array([1.5, 0.5, 1.2, 0.8])


def test_a_steady_seasonal_series_gives_back_its_pattern_with_no_uncertainty():
    y = np.tile(100 * PATTERN, 4)[None]
    profile = seasonal_profile(y, season_length=4)
    assert np.allclose(profile.index, PATTERN)
    assert np.allclose(profile.std_error, 0)
    assert profile.years.tolist() == [[4, 4, 4, 4]]
    assert np.allclose(profile.level, 100) and np.allclose(profile.growth, 0)


def test_season_positions_follow_the_calendar_month_of_the_first_column():
    y = np.tile(100 * PATTERN, 4)[None]  # column 0 is season position 2 (e.g. March)
    profile = seasonal_profile(y, season_length=4, first_season=2)
    assert np.allclose(profile.index[0], [1.2, 0.8, 1.5, 0.5])


def test_growth_is_measured_per_year_apart_from_the_season():
    t = np.arange(16)
    y = ((100 + 2.0 * t) * np.tile(PATTERN, 4))[None]
    profile = seasonal_profile(y, season_length=4)
    assert np.allclose(profile.index, PATTERN, atol=0.02)
    # +2 a quarter is +8 a year on a mean level of 115.
    assert abs(profile.growth[0] - 8 / 115) < 0.005


def test_years_that_disagree_give_a_standard_error_and_wider_bounds():
    rng = np.random.default_rng(4)
    y = np.tile(100 * PATTERN, 5)[None] * rng.lognormal(0, 0.1, (1, 20))
    profile = seasonal_profile(y, season_length=4, confidence=0.9)
    assert (profile.std_error > 0).all()
    assert (profile.lower < profile.index).all() and (profile.index < profile.upper).all()


def test_a_season_seen_in_one_year_only_has_an_unknown_standard_error():
    _, std_error, count = seasonal_indices(np.tile(100 * PATTERN, 1)[None] + 0.0, 4)
    assert np.isnan(std_error).all() and (count <= 1).all()


def test_shrinkage_weights_own_indices_by_their_precision_by_hand():
    # Two series, one season position each with the parent at 1.0; own indices 1.4 and 0.8 with
    # standard errors 0.1 and 0.2. tau² = mean((0.4² − 0.01), (0.2² − 0.04)) = 0.075, so the
    # weights are 0.075 / 0.085 and 0.075 / 0.115.
    index = np.array([[1.4, 0.6], [0.8, 1.2]])
    std_error = np.array([[0.1, 0.1], [0.2, 0.2]])
    prior = np.ones((2, 2))
    shrunk, weights = shrink_indices(index, std_error, prior, np.zeros(2, dtype=np.int64))
    w1, w2 = 0.075 / 0.085, 0.075 / 0.115
    assert np.allclose(weights[:, 0], [w1, w2])
    assert np.allclose(shrunk[:, 0], [1 + 0.4 * w1, 1 - 0.2 * w2])


def test_a_series_without_a_known_error_takes_its_parents_pattern():
    index = np.array([[1.5, 0.5], [1.1, 0.9]])
    std_error = np.array([[np.nan, np.nan], [0.05, 0.05]])
    prior = np.array([[1.2, 0.8], [np.nan, np.nan]])  # the second series has no parent
    shrunk, _ = shrink_indices(index, std_error, prior, np.zeros(2, dtype=np.int64))
    assert np.allclose(shrunk, [[1.2, 0.8], [1.1, 0.9]])


def test_a_noisy_account_borrows_its_territorys_pattern_and_gains_certainty():
    rng = np.random.default_rng(9)
    territory = np.tile(1000 * PATTERN, 3)
    accounts = territory / 10 * rng.lognormal(0, 0.6, (8, 12))
    y = np.vstack([territory, accounts])
    parents = np.array([-1] + [0] * 8)
    alone = seasonal_profile(y, season_length=4)
    pooled = seasonal_profile(y, season_length=4, parents=parents)
    error_alone = np.abs(alone.index[1:] - PATTERN).mean()
    error_pooled = np.abs(pooled.index[1:] - PATTERN).mean()
    assert error_pooled < error_alone
    assert (pooled.std_error[1:] <= alone.std_error[1:] + 1e-12).all()


def test_top_items_rank_what_sells_most_in_each_month():
    # Three products over two years of quarters; panettone only sells in the fourth quarter.
    values = np.array(
        [
            [10, 10, 10, 10, 12, 10, 10, 10],  # gaseosa
            [0, 0, 0, 50, 0, 0, 0, 70],  # panetón
            [5, 30, 5, 5, 5, 20, 5, 5],  # útiles escolares
        ],
        dtype=float,
    )
    top = top_items(values, season_length=4, k=2)
    assert top.items[3].tolist() == [1, 0]
    assert top.totals[3].tolist() == [120, 20]
    assert np.isclose(top.shares[3, 0], 120 / 150)
    assert top.items[1].tolist() == [2, 0]
    assert top.items[0].tolist() == [0, 2]  # panetón never sold in the first quarter
