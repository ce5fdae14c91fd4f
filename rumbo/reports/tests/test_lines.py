"""The ratios beside the figures of a row."""

from decimal import Decimal as D

from rumbo.reports.lines import change_pct, ratio_pct


def test_percentages_round_halves_up_as_people_do():
    assert ratio_pct(D("12.25"), 100) == D("12.3")
    assert ratio_pct(D("-12.25"), 100) == D("-12.3")
    assert change_pct(D("112.25"), D("100")) == D("12.3")


def test_a_ratio_of_nothing_is_none():
    assert ratio_pct(D("5"), 0) is None
    assert ratio_pct(None, D("5")) is None
    assert change_pct(D("5"), D("0")) is None
