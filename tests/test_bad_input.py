"""The malformed-input corpus: every file gives a Dutch DataError naming file, place and fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.io.boundaries import areas_from_file
from geo.io.gebieden import gebieden_from_file
from geo.io.kwb import population_from_kwb
from geo.io.recognise import recognise
from geo.io.rivm import figures_from_rivm

CORPUS = Path(__file__).parent / "bad_input"

# file -> (reader, words the message must contain)
CASES = {
    "empty.csv": (recognise, ["empty.csv", "leeg"]),
    "blank_lines.csv": (recognise, ["blank_lines.csv", "leeg"]),
    "rivm_headers_only.csv": (figures_from_rivm, ["alleen een kop"]),
    "rivm_wrong_delimiter.csv": (figures_from_rivm, ["rij 2", "scheidingsteken", "';'"]),
    "rivm_unknown_age.csv": (figures_from_rivm, ["rij 3", "Leeftijd", "99999", "20300"]),
    "rivm_bad_period.csv": (figures_from_rivm, ["rij 2", "Perioden", "twintig"]),
    "rivm_bad_code.csv": (figures_from_rivm, ["rij 3", "WijkenEnBuurten", "OVERVECHT"]),
    "rivm_text_value.csv": (figures_from_rivm, ["rij 3", "Eenzaam_28", "veel", "geen getal"]),
    "rivm_duplicate_rows.csv": (figures_from_rivm, ["rij 3", "WK034403", "twee keer"]),
    "rivm_decimal_comma_unquoted.csv": (figures_from_rivm, ["rij 2", "velden", "aanhalingstekens"]),
    "unknown_columns.csv": (recognise, ["onbekende kolommen", "naam", "kleur", "Oplossing"]),
    "duplicate_header.csv": (recognise, ["a_inw", "twee keer"]),
    "kwb_text_in_number.csv": (population_from_kwb, ["rij 3", "a_inw", "veel"]),
    "kwb_duplicate_codes.csv": (population_from_kwb, ["rij 3", "BU03440244", "twee keer"]),
    "kwb_is_really_zip.csv": (recognise, ["zip", "extensie"]),
    "kwb_is_really_csv.xlsx": (recognise, ["Excel", "tekst"]),
    "grenzen_is_really_csv.geojson": (areas_from_file, ["geojson", "JSON", "extensie"]),
    "grenzen_unknown_columns.geojson": (
        areas_from_file,
        ["geen kolom met gebiedscodes", "omschrijving"],
    ),
    "grenzen_duplicate_codes.geojson": (areas_from_file, ["BU03440111", "1, 3"]),
    "grenzen_bad_code.geojson": (areas_from_file, ["rij 1", "BUURT 11", "geen CBS-gebiedscode"]),
    "grenzen_points.geojson": (areas_from_file, ["Point", "vlakken"]),
    "grenzen_nowhere.geojson": (areas_from_file, ["Nederland", "coördinatenstelsel"]),
    "grenzen_no_geometry.geojson": (areas_from_file, ["geen enkel gebied", "vorm"]),
    "grenzen_municipal_without_gemeente.geojson": (
        areas_from_file,
        ["gemeentenummer", "--gemeente"],
    ),
    "grenzen_empty_collection.geojson": (areas_from_file, ["geen objecten"]),
    "gebieden_broken.toml": (gebieden_from_file, ["TOML"]),
    "gebieden_bad_code.toml": (gebieden_from_file, ["Zuilen", "Zuilen-Noord", "BU03440231"]),
    "gebieden_no_codes.toml": (gebieden_from_file, ["Zuilen", "geen codes"]),
}


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gives_dutch_data_error(name: str):
    reader, words = CASES[name]
    with pytest.raises(DataError) as caught:
        reader(CORPUS / name)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} ontbreekt in: {message}"
    if not name.startswith("gebieden"):
        assert name in message  # the file is named
    assert "Oplossing:" in message or name in (
        "grenzen_empty_collection.geojson",
        "gebieden_broken.toml",
        "blank_lines.csv",
        "rivm_headers_only.csv",
        "empty.csv",
    )


@pytest.mark.parametrize("name", ["rivm_unknown_age.csv", "unknown_columns.csv"])
def test_cli_prints_error_without_traceback(tmp_path: Path, name: str):
    folder = tmp_path / "data"
    (folder / "wijken").mkdir(parents=True)
    (folder / "wijken" / name).write_bytes((CORPUS / name).read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "geo.cli", "info", str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Fout: ")
    assert "Traceback" not in result.stderr
    assert name in result.stderr or "geen herkenbare bestanden" in result.stderr
