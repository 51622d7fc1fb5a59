"""The measurement template: round trip, per-row validation, bad input stores nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from geo.errors import DataError
from geo.monitoring.catalogue import built_in_catalogue
from geo.monitoring.store import open_monitoring
from geo.monitoring.template import (
    TEMPLATE_COLUMNS,
    measurement_from_input,
    measurements_from_file,
    write_template,
)

CATALOGUE = built_in_catalogue()
AREAS = {"WK034403", "BU03440301"}


def fill_xlsx(path, rows):
    book = load_workbook(path)
    sheet = book["Metingen"]
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_template_round_trip(tmp_path):
    path = write_template(tmp_path / "sjabloon.xlsx", CATALOGUE)
    book = load_workbook(path)
    assert [c.value for c in book["Metingen"][1]] == TEMPLATE_COLUMNS
    listed = [row[0] for row in book["Indicatoren"].iter_rows(min_row=2, values_only=True)]
    assert "lief_en_leedstraten" in listed and "eenzaam_18plus" not in listed  # computed
    fill_xlsx(path, [
        ["signaleringskaarten", "2024", None, 2650, "Netwerkcoördinator", "na de Week"],
        ["welzijn_op_recept", "2024h1", "wk034403", 41, None, None],
        ["training_professionals_tevredenheid", "2024Q3", None, "7,8", None, None],
    ])  # fmt: skip
    result = measurements_from_file(path, CATALOGUE, area_codes=AREAS, gemeente_code="GM0344")
    assert result.rejected.empty
    frame = result.frame
    assert frame[["indicator", "periode", "gebied", "waarde"]].values.tolist() == [
        ["signaleringskaarten", "2024", "", 2650.0],
        ["welzijn_op_recept", "2024H1", "WK034403", 41.0],
        ["training_professionals_tevredenheid", "2024Q3", "", 7.8],
    ]
    assert frame["rij"].tolist() == [2, 3, 4]
    store = open_monitoring(tmp_path, database_url="")
    store.add_measurements(frame, user="ann", file=path)
    stored = store.measurements()
    assert stored.set_index("indicator").loc["signaleringskaarten", "notitie"] == "na de Week"


def test_csv_template_round_trip(tmp_path):
    path = write_template(tmp_path / "sjabloon.csv", CATALOGUE)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfIndicator;Periode;Gebied;Waarde")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("lezingen;2025;GM0344;6;;\n")
    result = measurements_from_file(path, CATALOGUE, area_codes=AREAS, gemeente_code="GM0344")
    assert result.frame[["indicator", "periode", "gebied", "waarde"]].values.tolist() == [
        ["lezingen", "2025", "", 6.0]  # the gemeente's own code = the whole gemeente
    ]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["kaarten", "2024", "", "3"], "Indicator", "onbekende indicator"),
        (["eenzaam_18plus", "2024", "", "40"], "Indicator", "RIVM-cijfers"),
        (["lezingen", "2024-03", "", "3"], "Periode", "geen jaar, halfjaar of kwartaal"),
        (["lezingen", "2024H3", "", "3"], "Periode", "geen jaar, halfjaar of kwartaal"),
        (["lezingen", "2024", "", "veel"], "Waarde", "geen getal"),
        (["lezingen", "2024", "", "-2"], "Waarde", "niet negatief"),
        (["lezingen", "2024", "", "2,5"], "Waarde", "heel getal"),
        (["campagne_effect", "2024", "", "140"], "Waarde", "tussen 0 en 100"),
        (["lezingen", "2024", "WK034403", "3"], "Gebied", "per gemeente"),
        (["welzijn_op_recept", "2024", "WK999999", "3"], "Gebied", "onbekend gebied"),
    ],
)
def test_bad_row_names_file_row_column_value_and_stores_nothing(tmp_path, row, column, fragment):
    path = tmp_path / "metingen.csv"
    path.write_text(
        "Indicator;Periode;Gebied;Waarde\nlezingen;2023;;5\n" + ";".join(row) + "\n",
        encoding="utf-8",
    )
    result = measurements_from_file(path, CATALOGUE, area_codes=AREAS)
    assert result.report["status"].tolist() == ["ok", "afgewezen"]
    with pytest.raises(DataError) as caught:
        result.raise_for_rejected()
    message = str(caught.value)
    assert "metingen.csv" in message and "rij 3" in message and f"kolom '{column}'" in message
    assert fragment in message and "niets opgeslagen" in message
    shown = row[["Indicator", "Periode", "Gebied", "Waarde"].index(column)]
    assert f"waarde '{shown}'" in message


def test_duplicate_in_file_and_against_stored(tmp_path):
    store = open_monitoring(tmp_path, database_url="")
    store.add_measurements(
        pd.DataFrame([{"indicator": "lezingen", "periode": "2024", "gebied": "", "waarde": 5}])
    )
    path = tmp_path / "metingen.csv"
    path.write_text(
        "Indicator;Periode;Waarde\ntrainingen;2024;3\ntrainingen;2024;4\nlezingen;2024;6\n",
        encoding="utf-8",
    )
    result = measurements_from_file(path, CATALOGUE, stored=store.measurements())
    reasons = result.report["reden"].tolist()
    assert result.report["status"].tolist() == ["ok", "afgewezen", "afgewezen"]
    assert "rij 2 geeft al een waarde" in reasons[1]
    assert "al een waarde opgeslagen (5)" in reasons[2]
    replaced = measurements_from_file(
        tmp_path / "metingen.csv", CATALOGUE, stored=store.measurements(), vervang=True
    )
    assert replaced.report["status"].tolist() == ["ok", "afgewezen", "ok"]  # in-file stays bad


def test_missing_required_column(tmp_path):
    path = tmp_path / "metingen.csv"
    path.write_text("Indicator;Jaar;Waarde\nlezingen;2024;3\n", encoding="utf-8")
    with pytest.raises(DataError, match="kolom\\(men\\) ontbreken: Periode"):
        measurements_from_file(path, CATALOGUE)


def test_single_entry_uses_the_same_checks():
    ok = measurement_from_input(CATALOGUE, indicator="Lezingen", periode="2025", waarde="4")
    assert ok.frame[["indicator", "waarde"]].values.tolist() == [["lezingen", 4.0]]
    bad = measurement_from_input(CATALOGUE, indicator="lezingen", periode="2025", waarde="-1")
    with pytest.raises(DataError, match="kolom 'Waarde', waarde '-1'"):
        bad.raise_for_rejected()
