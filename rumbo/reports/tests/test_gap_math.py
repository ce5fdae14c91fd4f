"""The gap bridge's arithmetic (rumbo.reports.gap.decompose), without a database."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumbo.reports.gap import DECLINING, GROWING, LOST, MIX, NEW, NO_BASELINE, decompose

D = Decimal


def test_the_cast_example_splits_the_gap_exactly():
    # Lima Norte 1 in May 2024 (see conftest.sales): target 200, Rosita 100 → 150, El Sol 80 → 0;
    # company drinks grew 460/440 while all sales grew 490/440, so h_drinks = 460/490.
    parts, accounts, categories = decompose(
        D("200"), {1: (D("150"), D("100")), 2: (D("0"), D("80"))},
        {10: (D("150"), D("180"))}, {10: D("460") / D("490")},
    )  # fmt: skip
    by_code = {p.code: p.value for p in parts}
    assert by_code[MIX] == D("-12.24")  # 200 × (460/490 − 1)
    assert by_code[LOST] == D("-83.45")  # El Sol's share: 80 × (200 − 12.24…) / 180
    assert by_code[GROWING] == D("45.69")  # 150 − 100 × (200 − 12.24…) / 180
    assert by_code[DECLINING] == by_code[NEW] == D("0")
    assert sum(by_code.values()) == D("-50.00")
    assert {a.account_id: a.kind for a in accounts} == {1: GROWING, 2: LOST}
    assert categories[0].contribution == D("-37.76")  # the gap less the mix


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


# Generation is cheap but a loaded CI machine can make one draw slow; that is not a failure.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.integers(1, 40), st.tuples(amounts, amounts), max_size=30),
    st.dictionaries(st.integers(1, 5), st.tuples(amounts, amounts), max_size=5),
    st.dictionaries(st.integers(1, 5), st.decimals(min_value=D("0.2"), max_value=5, places=3)),
    amounts,
)
def test_the_parts_always_add_up_to_the_gap_to_the_cent(accounts, categories, trend, target):
    parts, gaps, _ = decompose(target, accounts, categories, trend)
    actual = sum((a for a, _b in accounts.values()), D(0))
    assert sum(p.value for p in parts) == (actual - target).quantize(D("0.01"))
    assert all(p.value == p.value.quantize(D("0.01")) for p in parts)
    before = sum((b for _a, b in accounts.values()), D(0))
    assert (NO_BASELINE in {p.code for p in parts}) == (before == 0)
    for gap in gaps:
        if gap.kind == LOST:
            assert gap.last_year > 0 and gap.actual == 0
        if gap.kind == NEW:
            assert gap.last_year == 0


def test_without_sales_a_year_earlier_the_whole_target_is_unexplained_by_accounts():
    parts, _accounts, _ = decompose(D("100"), {1: (D("30"), D("0"))}, {}, {})
    by_code = {p.code: p.value for p in parts}
    assert by_code[NEW] == D("30") and by_code[NO_BASELINE] == D("-100")
    assert sum(by_code.values()) == D("-70")
