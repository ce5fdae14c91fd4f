import datetime as dt
import io

import pytest
from openpyxl import Workbook

from rumbo.imports.readers import UnreadableFile, read_table

ROWS = "Código;Razón social;Dirección\nC1;Panadería Ñañez;Av. Perú 123\n\nC2;Bodega;Jr. Junín 4\n"


def test_a_latin1_csv_with_semicolons_is_read():
    table = read_table(ROWS.encode("latin-1"), "clientes.csv")
    assert table.delimiter == ";" and table.encoding == "cp1252"
    assert table.headers == ["Código", "Razón social", "Dirección"]
    assert [r.cells for r in table.rows] == [
        ("C1", "Panadería Ñañez", "Av. Perú 123"),
        ("C2", "Bodega", "Jr. Junín 4"),
    ]
    assert [r.number for r in table.rows] == [2, 4]  # the empty line keeps its number


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        (("\ufeff" + ROWS.replace(";", ",")).encode("utf-8"), ","),
        (ROWS.replace(";", "\t").encode("utf-16"), "\t"),
        (ROWS.replace(";", "|").encode("utf-8"), "|"),
    ],
)
def test_utf8_with_bom_utf16_tabs_and_pipes(content, delimiter):
    table = read_table(content, "x.csv")
    assert table.delimiter == delimiter
    assert table.headers[0] == "Código"
    assert table.rows[0].cells[1] == "Panadería Ñañez"


def test_quoted_fields_keep_their_commas():
    table = read_table(b'sku,name\n1,"Road Frame - Black, 58"\n', "p.csv")
    assert table.rows[0].cells == ("1", "Road Frame - Black, 58")


def test_an_xlsx_keeps_numbers_and_dates():
    book = Workbook()
    sheet = book.active
    sheet.append(["RUC", "Fecha", "Monto", None])
    sheet.append([20100047218, dt.datetime(2024, 3, 1), 12.5, None])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "ventas.xlsx")
    assert table.headers == ["RUC", "Fecha", "Monto"]
    assert table.rows[0].cells[:3] == (20100047218, dt.datetime(2024, 3, 1), 12.5)


def test_blank_and_repeated_headers_get_names():
    table = read_table(b"a,,a\n1,2,3\n", "x.csv")
    assert table.headers[0] == "a" and table.headers[2] == "a (2)" and table.headers[1]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"PK\x03\x04garbage", b"\x00\x01\x02binary"])
def test_an_empty_or_broken_file_is_refused_with_a_reason(content):
    with pytest.raises(UnreadableFile):
        read_table(content, "x.csv")


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr("rumbo.imports.readers.MAX_ROWS", 3)
    with pytest.raises(UnreadableFile, match="3"):
        read_table(b"a\n1\n2\n3\n4\n", "x.csv")
    book = Workbook()
    for n in range(6):
        book.active.append([n])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(UnreadableFile):
        read_table(out.getvalue(), "x.xlsx")
    assert len(read_table(b"a\n1\n2\n3\n", "x.csv").rows) == 3
