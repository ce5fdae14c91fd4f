import numpy as np
import pytest

from rumbo.engine.segmentation import (
    BEST,
    COSTLY,
    DEMANDING,
    LIGHT,
    ChannelPotential,
    abc_classes,
    account_potential,
    account_workload_min,
    captured_share,
    cost_to_serve,
    days_since,
    district_potential,
    expected_travel_min,
    households_from_population,
    migration_matrix,
    monthly_migration,
    rfm_scores,
    territory_workload,
    value_effort,
)

KM_IN_DEGREES = 1 / 111.19508  # one km along a meridian on the mean Earth sphere


# ABC -------------------------------------------------------------------------------------------


def test_the_account_that_crosses_80_percent_is_still_an_a():
    # Cumulative shares before each account: 0, .5, .8, .9, .9 (tie), zero revenue last.
    result = abc_classes([50, 30, 10, 5, 5, 0])
    assert result.classes.tolist() == ["A", "A", "B", "B", "B", "C"]
    assert result.share.tolist() == [0.5, 0.3, 0.1, 0.05, 0.05, 0.0]


def test_accounts_with_equal_revenue_share_the_class_of_the_first_of_them():
    # The second 40 starts at 40 % (> 30 %) but ties with the first, which starts at 0.
    result = abc_classes([40, 20, 40], shares=(0.3, 0.5, 0.2))
    assert result.classes.tolist() == ["A", "C", "A"]


def test_order_of_the_input_does_not_matter():
    result = abc_classes([5, 0, 10, 50, 30, 5])
    assert result.classes.tolist() == ["B", "C", "B", "A", "A", "B"]
    assert result.cumulative_share[3] == pytest.approx(0.5)


def test_without_revenue_every_account_is_a_c_and_negative_revenue_counts_as_none():
    assert abc_classes([0, 0]).classes.tolist() == ["C", "C"]
    assert abc_classes([-10, 10]).classes.tolist() == ["C", "A"]


def test_class_shares_must_add_up_to_100_percent():
    with pytest.raises(ValueError):
        abc_classes([1, 2], shares=(0.8, 0.1, 0.05))


# RFM -------------------------------------------------------------------------------------------


def test_quintile_scores_rank_recent_frequent_big_buyers_highest():
    result = rfm_scores([10, 20, 30, 40, 50], [1, 2, 3, 4, 5], [500, 400, 300, 200, 100])
    assert result.recency.tolist() == [5, 4, 3, 2, 1]
    assert result.frequency.tolist() == [1, 2, 3, 4, 5]
    assert result.monetary.tolist() == [5, 4, 3, 2, 1]
    assert result.code.tolist() == ["515", "424", "333", "242", "151"]


def test_equal_values_share_a_score_and_never_buying_scores_lowest():
    result = rfm_scores([np.inf, 5, 5, 5, 5], [1, 1, 1, 1, 5], [0, 1, 1, 1, 1])
    assert result.frequency.tolist() == [1, 1, 1, 1, 5]
    assert result.recency[0] == 1
    assert len(set(result.recency[1:].tolist())) == 1


def test_fixed_edges_score_recency_by_days_not_exceeded_and_frequency_by_edges_reached():
    result = rfm_scores(
        [30, 31, 200],
        [1, 2, 12],
        [0, 0, 0],
        recency_edges=[30, 60, 90, 180],
        frequency_edges=[2, 4, 8, 12],
        monetary_edges=[1, 2, 3, 4],
    )
    assert result.recency.tolist() == [5, 4, 1]
    assert result.frequency.tolist() == [1, 2, 5]
    assert result.monetary.tolist() == [1, 1, 1]


def test_days_since_the_last_purchase_is_infinite_for_accounts_that_never_bought():
    days = days_since(np.array(["2026-10-01", "NaT"], dtype="datetime64[D]"), "2026-10-31")
    assert days.tolist() == [30.0, np.inf]


# Value × effort --------------------------------------------------------------------------------


def test_cost_to_serve_is_visits_times_minutes_times_the_hourly_cost():
    # 12 visits × (20 + 10) min = 6 h at S/ 30 = S/ 180.
    assert cost_to_serve(12, 20, 10, 30.0).tolist() == 180.0


def test_quadrants_follow_the_cut_offs():
    result = value_effort([1000, 1000, 100, 100], [50, 500, 50, 500], value_cut=500, effort_cut=200)
    assert result.quadrant.tolist() == [BEST, DEMANDING, LIGHT, COSTLY]
    assert result.net_value.tolist() == [950, 500, 50, -400]


def test_default_cut_offs_are_the_medians():
    result = value_effort([1, 2, 3, 4], [4, 3, 2, 1])
    assert (result.value_cut, result.effort_cut) == (2.5, 2.5)
    assert result.quadrant.tolist() == [COSTLY, COSTLY, BEST, BEST]


def test_when_most_accounts_cost_nothing_a_zero_effort_is_low_effort():
    result = value_effort([900, 500, 100, 50, 10], [0, 0, 0, 0, 30])
    assert result.effort_cut == 0
    assert result.quadrant.tolist() == [BEST, BEST, LIGHT, LIGHT, COSTLY]


# Potential -------------------------------------------------------------------------------------

CHANNELS = (ChannelPotential("bodega", 50, 600), ChannelPotential("farmacia", 2, 100))


def test_district_potential_is_households_times_spend_per_channel():
    assert district_potential([1000, 2000], CHANNELS).tolist() == [
        [600_000, 100_000],
        [1_200_000, 200_000],
    ]


def test_an_account_gets_an_average_outlets_share_of_its_district_and_channel():
    # District 0 expects 50 bodegas: each of ours gets 600,000 / 50; district 1 expects 4
    # pharmacies and we know one: it gets 200,000 / 4.
    result = account_potential([0, 0, 1], [0, 0, 1], [1000, 2000], CHANNELS)
    assert result.account.tolist() == [12_000, 12_000, 50_000]
    assert result.district.tolist() == [700_000, 1_400_000]
    assert result.known_outlets.tolist() == [[2, 0], [0, 1]]


def test_more_accounts_than_expected_outlets_split_the_potential():
    # 1,000 households expect 2 pharmacies (S/ 100,000); our 4 pharmacies share it.
    result = account_potential([0, 0, 0, 0], [1, 1, 1, 1], [1000], CHANNELS)
    assert result.account.tolist() == [25_000] * 4


def test_accounts_without_district_or_channel_have_no_potential():
    assert account_potential([-1, 0], [0, -1], [1000], CHANNELS).account.tolist() == [0, 0]


def test_captured_share_is_sales_over_potential():
    assert captured_share([6000, 10], [12_000, 0]).tolist()[0] == 0.5
    assert np.isnan(captured_share([6000, 10], [12_000, 0])[1])


def test_missing_households_are_estimated_from_population():
    assert households_from_population([np.nan, 10], [379, 0]).tolist() == [100.0, 10.0]


# Migration -------------------------------------------------------------------------------------


def test_the_migration_matrix_counts_moves_new_and_lost_accounts():
    matrix = migration_matrix(["A", "B", "", "C"], ["B", "B", "A", ""], ["A", "B", "C"])
    expected = np.zeros((4, 4), dtype=int)
    expected[0, 1] = expected[1, 1] = expected[3, 0] = expected[2, 3] = 1
    assert matrix.tolist() == expected.tolist()


def test_monthly_migration_per_group_counts_lost_accounts_where_they_were():
    history = [["A", "B", "B"], ["B", "A", ""], ["", "C", "C"]]
    groups = [[0, 0, 0], [1, 1, 0], [1, 1, 1]]
    result = monthly_migration(history, ["A", "B", "C"], groups, n_groups=2)
    assert result.counts.shape == (2, 2, 4, 4)
    assert result.downgrades().tolist() == [[1, 0], [0, 0]]
    assert result.upgrades().tolist() == [[0, 1], [0, 0]]
    assert result.new().tolist() == [[0, 1], [0, 0]]
    # Account 2 left group 1 in month 3 (it was in group 0 that month, but lost counts before).
    assert result.lost().tolist() == [[0, 0], [0, 1]]


def test_unknown_segments_are_refused():
    with pytest.raises(ValueError):
        migration_matrix(["A"], ["Z"], ["A", "B"])


# Workload --------------------------------------------------------------------------------------


def test_account_workload_is_visits_times_visit_and_travel_minutes():
    assert account_workload_min(4, 15, 10).tolist() == 100.0


def test_expected_travel_is_the_mean_distance_to_the_two_nearest_accounts():
    # Three shops 1 km apart on a meridian: the middle one's neighbours are 1 km away, the end
    # ones' are 1 and 2 km away; × 1.3 detour at 25 km/h.
    lat = np.array([0.0, 1.0, 2.0]) * KM_IN_DEGREES - 12.0
    minutes = expected_travel_min(lat, np.full(3, -77.0))
    assert minutes == pytest.approx([1.5 * 1.3 / 25 * 60, 1.3 / 25 * 60, 1.5 * 1.3 / 25 * 60])


def test_travel_only_counts_neighbours_in_the_same_territory():
    lat = np.array([0.0, 1.0, 2.0]) * KM_IN_DEGREES - 12.0
    minutes = expected_travel_min(lat, np.full(3, -77.0), group=[0, 0, 1])
    assert minutes == pytest.approx([1.3 / 25 * 60, 1.3 / 25 * 60, 0.0])


def test_territory_workload_against_capacity():
    result = territory_workload([60, 30, 50, 10], [0, 0, 1, -1], [100, 40, 0])
    assert result.load.tolist() == [90, 50, 0]
    assert result.utilisation.tolist() == [0.9, 1.25, 0.0]
    assert result.overloaded.tolist() == [False, True, False]
