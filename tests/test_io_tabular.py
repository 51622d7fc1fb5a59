from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from geo.errors import DataError
from geo.io._tabular import parse_number, parse_numbers, read_table


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_delimiter(tmp_path: Path, delimiter: str):
    path = tmp_path / "t.csv"
    path.write_text(
        delimiter.join(["code", "waarde"])
        + "\n"
        + delimiter.join(["GM0344", "1,5" if delimiter != "," else '"1,5"'])
        + "\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert list(table.frame.columns) == ["code", "waarde"]
    assert table.delimiter == delimiter
    values, hidden = parse_numbers(table, "waarde")
    assert values.tolist() == [1.5]


def test_bom_padding_and_not_published(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_bytes('\ufeff"code";"x"\n"GM0344    ";"     ."\n"WK034401  ";"   2.5"\n'.encode())
    table = read_table(path)
    assert table.frame["code"].tolist() == ["GM0344", "WK034401"]
    values, hidden = parse_numbers(table, "x")
    assert np.isnan(values[0]) and hidden.tolist() == [True, False] and values[1] == 2.5


def test_cp1252_is_read_with_notice(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_bytes("naam;plaats\nCafé Zuilen;Utrecht\n".encode("cp1252"))
    table = read_table(path)
    assert table.frame.loc[0, "naam"] == "Café Zuilen"
    assert table.encoding == "cp1252" and "Windows-1252" in table.notices[0]


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("code,x\nGM0344,1\n\nWK034401,oeps\n", encoding="utf-8")
    with pytest.raises(DataError, match="rij 4"):
        parse_numbers(read_table(path), "x")


def test_excel_sheet_choice(tmp_path: Path):
    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Dit is uitleg"])
    sheet = book.create_sheet("Cijfers")
    sheet.append(["code", "x"])
    sheet.append(["GM0344", 48.9])
    book.save(path)
    assert read_table(path, sheet="Cijfers").frame.loc[0, "x"] == "48.9"
    assert read_table(path, sheet=1).frame.loc[0, "code"] == "GM0344"
    with pytest.raises(DataError, match="Toelichting, Cijfers"):
        read_table(path, sheet="Blad9")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,7", 0.7),
        ("0.7", 0.7),
        ("1.234,5", 1234.5),
        ("-3", -3.0),
        ("1e3", 1000.0),
        ("abc", None),
        ("1,2,3", None),
    ],
)
def test_parse_number(text: str, expected: float | None):
    assert parse_number(text) == expected
