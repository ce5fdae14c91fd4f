import datetime as dt

import pytest

from rumbo.reports.periods import BadPeriod, parse_period, quick_periods


def test_a_month_is_compared_with_the_month_before_and_the_same_month_last_year():
    may = parse_period("2024-05")
    assert (may.first, may.last, len(may)) == (dt.date(2024, 5, 1), dt.date(2024, 5, 1), 1)
    assert may.previous().param == "2024-04"
    assert may.last_year().param == "2023-05"


def test_a_quarter_a_year_and_a_run_of_months_round_trip_through_their_url_form():
    for text in ("2024-Q3", "2024", "2023-11..2024-02"):
        assert parse_period(text).param == text
    q3 = parse_period("2024-q3")
    assert q3.months == [dt.date(2024, 7, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)]
    assert q3.previous().months[0] == dt.date(2024, 4, 1)
    winter = parse_period("2023-11..2024-02")
    assert winter.previous().months == [dt.date(2023, m, 1) for m in (7, 8, 9, 10)]
    assert winter.last_year().first == dt.date(2022, 11, 1)


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-Q5", "mayo", "2024-05..2024-01", "2020-01..2024-01"]
)
def test_a_bad_period_says_what_is_wrong(text):
    with pytest.raises(BadPeriod) as error:
        parse_period(text)
    assert str(error.value)


def test_the_quick_choices_start_with_the_latest_month():
    params = [p.param for p in quick_periods(dt.date(2024, 5, 1))]
    assert params == [
        "2024-05",
        "2024-04",
        "2024-Q2",
        "2024-Q1",
        "2024",
        "2023",
        "2023-06..2024-05",
    ]
