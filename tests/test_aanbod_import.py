"""The aanbod corpus: every malformed partner file gets the right per-row status and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.aanbod import import_file
from geo.aanbod.importer import OK, REJECTED, WARNING
from geo.errors import DataError
from tests.conftest import UTRECHT

CORPUS = Path(__file__).parent / "aanbod_corpus"

FILE_ERRORS = {
    "empty.csv": ["leeg"],
    "headers_only.csv": ["alleen een kop"],
    "wrong_delimiter.csv": ["rij 2", "scheidingsteken"],
    "ragged.csv": ["rij 2", "velden"],
    "not_a_csv.csv": ["zip"],
}
# file -> (laag, [(row, status, words in reason)])
ROWS = {
    "mixed_decimals.csv": ("activiteiten", [(2, OK, []), (3, OK, [])]),
    "nan_coordinates.csv": ("activiteiten", [(2, REJECTED, ["NaN", "geen getal"])]),
    "huge_coordinates.csv": ("activiteiten", [(2, REJECTED, ["niet in Nederland"])]),
    "zero_coordinates.csv": ("activiteiten", [(2, REJECTED, ["(0, 0)"])]),
    "sea_coordinates.csv": ("activiteiten", [(2, REJECTED, ["niet in Nederland", "zee"])]),
    "unknown_soort.csv": ("activiteiten", [(2, WARNING, ["astrologie", "overig", "ontmoeting"])]),
    "duplicate_rows.csv": ("activiteiten", [(2, OK, []), (3, WARNING, ["dubbel", "rij 2"])]),
    "script_name.csv": ("activiteiten", [(2, OK, [])]),
    "formula_injection.csv": ("activiteiten", [(2, OK, [])]),
    "cp1252.csv": ("activiteiten", [(2, OK, [])]),
    "swapped_lat_lon.csv": ("activiteiten", [(2, WARNING, ["omgewisseld"])]),
    "address_only.csv": ("activiteiten", [(2, WARNING, ["niet gelokaliseerd"])]),
    "missing_name.csv": ("activiteiten", [(2, REJECTED, ["naam ontbreekt"])]),
    "no_location.csv": ("activiteiten", [(2, REJECTED, ["geen coördinaten", "adres"])]),
    "one_coordinate.csv": ("activiteiten", [(2, REJECTED, ["ontbreekt"])]),
    "outside_gemeente.csv": ("activiteiten", [(2, WARNING, ["buiten de gemeente", "km"])]),
    "bad_capacity.csv": ("activiteiten", [(2, WARNING, ["capaciteit", "veel"])]),
    "bad_date.csv": ("activiteiten", [(2, WARNING, ["datum", "gisteren"])]),
    "unknown_doelgroep.csv": ("activiteiten", [(2, WARNING, ["doelgroep", "katten"])]),
    "mojibake.csv": ("activiteiten", [(2, WARNING, ["hersteld", "klompésingel"])]),
    "text_in_coordinate.csv": ("activiteiten", [(2, REJECTED, ["honderdvijftigduizend"])]),
    "polygon_activity.geojson": ("activiteiten", [(1, WARNING, ["geen punt"])]),
    "lief_en_leed_problems.csv": (
        "lief-en-leed",
        [
            (2, REJECTED, ["straatnaam ontbreekt"]),
            (3, REJECTED, ["Atlantis"]),
            (4, WARNING, ["potjes"]),
            (5, WARNING, ["jaar"]),
        ],
    ),
    "buurtmobiel_unknown_code.csv": (
        "buurtmobiel",
        [(2, REJECTED, ["BU12345678"]), (3, WARNING, ["Taxi Piet"])],
    ),
    "stops.txt": (
        "ov-haltes",
        [(2, OK, []), (3, REJECTED, ["station"]), (4, REJECTED, ["zonder coördinaten"])],
    ),
}


def test_corpus_is_complete():
    assert len(FILE_ERRORS) + len(ROWS) >= 25
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted([*FILE_ERRORS, *ROWS])


@pytest.mark.parametrize("name", sorted(FILE_ERRORS))
def test_unreadable_files(name: str, demo_dataset):
    with pytest.raises(DataError) as caught:
        import_file(CORPUS / name, laag="activiteiten", areas=demo_dataset.areas)
    message = str(caught.value)
    assert name in message
    for word in FILE_ERRORS[name]:
        assert word.lower() in message.lower()


@pytest.mark.parametrize("name", sorted(ROWS))
def test_row_statuses(name: str, demo_dataset):
    laag, expected = ROWS[name]
    result = import_file(CORPUS / name, laag=laag, areas=demo_dataset.areas)
    report = result.report.set_index("row")
    assert len(report) == len(expected)
    for row, status, words in expected:
        assert report.loc[row, "status"] == status, report.loc[row, "reason"]
        for word in words:
            assert word.lower() in report.loc[row, "reason"].lower()
    accepted = sum(1 for _, status, _ in expected if status != REJECTED)
    assert len(result.frame) == accepted


def test_text_is_stored_verbatim_and_escaped_on_output(demo_dataset):
    result = import_file(CORPUS / "script_name.csv", areas=demo_dataset.areas)
    assert result.frame["naam"].iloc[0] == "<script>alert(1)</script>"
    injection = import_file(CORPUS / "formula_injection.csv", areas=demo_dataset.areas)
    assert injection.frame["organisatie"].iloc[0].startswith("=HYPERLINK")
    cp = import_file(CORPUS / "cp1252.csv", areas=demo_dataset.areas)
    assert cp.frame["naam"].iloc[0] == "Café de Zon"
    assert any("Windows-1252" in n for n in cp.notices)


def test_coordinates_end_up_in_rd_and_in_a_buurt(demo_dataset):
    result = import_file(CORPUS / "mixed_decimals.csv", areas=demo_dataset.areas)
    x, y = result.frame.geometry.x.iloc[0], result.frame.geometry.y.iloc[0]
    assert 150_000 < x < 156_000 and 460_000 < y < 464_000
    assert result.frame["buurt_code"].str.startswith("BU9999").all()


def test_report_csv_is_excel_safe(demo_dataset):
    result = import_file(
        CORPUS / "lief_en_leed_problems.csv", laag="lief-en-leed", areas=demo_dataset.areas
    )
    text = result.report_csv().decode("utf-8-sig")
    assert text.splitlines()[0] == "row;status;reason;naam"
    assert "afgewezen" in text


def test_ten_thousand_rows(tmp_path: Path, demo_dataset):
    lines = ["naam;soort;x;y"]
    for i in range(10_000):
        lines.append(
            f"Activiteit {i};ontmoeting;{150_100 + (i % 50) * 100};{460_100 + (i // 50) * 15}"
        )
    path = tmp_path / "groot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(path, areas=demo_dataset.areas)
    assert len(result.frame) == 10_000
    assert result.counts["rejected"] == 0


@pytest.mark.shared
def test_mulier_file_gives_258_locations_with_outlier_flagged(utrecht_dataset):
    result = import_file(
        UTRECHT / "aanbod" / "mulier_sportaccommodaties_utrecht.csv", areas=utrecht_dataset.areas
    )
    assert result.laag == "activiteiten"
    assert len(result.report) == 549
    assert len(result.frame) == 258
    outside = result.report[result.report["reason"].str.contains("buiten de gemeente")]
    assert len(outside) == 1
    assert "De Wilg" in outside["naam"].iloc[0]  # accommodatie 21770
    repaired = result.report[result.report["reason"].str.contains("hersteld")]
    assert "klompésingel" in repaired["reason"].iloc[0]
    olympos = result.frame[result.frame["naam"] == "Sportcentrum Olympos"]
    assert "basketbal" in olympos["opmerking"].iloc[0]
    assert "beachvolleybal" in olympos["opmerking"].iloc[0]


@pytest.mark.shared
def test_zuilen_addresses_are_kept_not_located(utrecht_dataset):
    result = import_file(
        UTRECHT / "aanbod" / "sportscholen_zuilen.csv", areas=utrecht_dataset.areas
    )
    assert len(result.frame) == 11
    assert (result.frame["locatie_status"] == "niet gelokaliseerd").all()
    assert result.frame["geometry"].isna().all()
    assert result.frame["postcode"].iloc[0] == "3555GH"
