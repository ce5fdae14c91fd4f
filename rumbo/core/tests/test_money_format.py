from decimal import Decimal

from django.utils import translation

from rumbo.core.templatetags.rumbo import format_money, pct


def test_money_reads_the_peruvian_way_in_spanish():
    with translation.override("es"):
        assert format_money(Decimal("1234.5")) == "S/ 1.234,50"
        assert format_money(Decimal("485000")) == "S/ 485.000,00"
        assert pct(Decimal("12.34")) == "12,3 %"


def test_money_reads_the_english_way_in_english():
    with translation.override("en"):
        assert format_money(Decimal("1234.5")) == "S/ 1,234.50"
        assert format_money(Decimal("-3"), "USD") == "US$ -3.00"


def test_a_missing_amount_is_a_dash():
    assert format_money(None) == "—"
