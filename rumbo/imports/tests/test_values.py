import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from rumbo.imports import values as v
from rumbo.imports.countries import country


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", "1234.5"), ("1234,5", "1234.5"), ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"), ("S/ 12,30", "12.30"), ("US$ 1,000,000", "1000000"),
        ("1.000.000", "1000000"), (" 15 % ", "15"), (7, "7"), (2.5, "2.5"),
    ],
)  # fmt: skip
def test_numbers_are_read_with_either_decimal_separator(raw, expected):
    assert v.decimal(raw) == Decimal(expected)


def test_a_negative_amount_is_refused_in_the_users_language():
    with translation.override("es"), pytest.raises(v.CellError) as error:
        v.decimal("-5")
    assert error.value.message == "'-5' es negativo; no puede serlo."
    assert v.decimal("(5)", negative=True) == Decimal("-5")


@pytest.mark.parametrize(
    "raw",
    ["2024-03-01", "01/03/2024", "1/3/2024", "01-03-2024", "2024/03/01", "2024-03-01 00:00:00",
     dt.datetime(2024, 3, 1, 0, 0), dt.date(2024, 3, 1), 45352, "45352"],
)  # fmt: skip
def test_dates_iso_peruvian_and_excel_are_all_read(raw):
    assert v.date(raw) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("raw", ["2024-13-01", "31/02/2024", "ayer", "12", 3])
def test_what_is_not_a_date_says_how_to_write_one(raw):
    with translation.override("en"), pytest.raises(v.CellError, match="2024-03-01"):
        v.date(raw)


def test_months_and_money():
    assert v.month("2024-03") == v.month("03/2024") == v.month("15/03/2024") == dt.date(2024, 3, 1)
    assert v.money("10,005") == Decimal("10.01")
    assert v.price("0,123456") == Decimal("0.1235")


def test_ruc_check_digit_dni_and_ubigeo():
    assert v.tax_id("20100047218") == ("ruc", "20100047218")
    assert v.tax_id(20100047218.0) == ("ruc", "20100047218")
    assert v.tax_id("07654321") == ("dni", "07654321")
    assert v.dni(7654321) == "07654321"
    with translation.override("es"), pytest.raises(v.CellError) as error:
        v.tax_id("2060")
    assert error.value.message == "'2060' no es un RUC válido."
    with pytest.raises(v.CellError):
        v.ruc("20100047219")  # wrong check digit
    assert v.ubigeo("10101") == "010101"  # Excel dropped the leading zero
    assert v.ubigeo(150101) == "150101"
    with pytest.raises(v.CellError):
        v.ubigeo("15-01")


def test_yes_no_countries_and_blanks():
    assert [v.boolean(x) for x in ("Sí", "x", "TRUE", "0", "no")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert [country(x) for x in ("pe", "Perú", "USA", "Alemania", "United Kingdom")] == [
        "PE", "PE", "US", "DE", "GB",
    ]  # fmt: skip
    with pytest.raises(v.CellError):
        country("Narnia")
    assert v.is_blank("-") and v.is_blank("  ") and v.is_blank(None) and not v.is_blank(0)


def test_a_template_joins_columns_whatever_their_names():
    from rumbo.imports.mapping import Source
    from rumbo.imports.readers import read_table

    table = read_table(b"Emp.Key,x.__class__\n272,a\n", "x.csv")
    source = Source(template="aw{Emp.Key}-{x.__class__}")
    assert source.columns_used() == ["Emp.Key", "x.__class__"]
    assert source.raw(table, table.rows[0]) == "aw272-a"
    mapped = Source(column="Emp.Key", map={"272": "manager", "*": "rep"})
    assert mapped.raw(table, table.rows[0]) == "manager"
