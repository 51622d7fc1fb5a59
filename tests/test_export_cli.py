"""``wijkkompas export`` in-process, on the demo and on the real Utrecht data."""

from __future__ import annotations

import csv
import io
import sys
import zipfile

import pyogrio
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from geo.cli import app, main
from geo.errors import DataError
from geo.export.gpkg import read_metadata, read_styles
from tests.conftest import DEMO

runner = CliRunner()


def test_export_gpkg_one_group_with_styles(tmp_path):
    out = tmp_path / "demo.gpkg"
    result = runner.invoke(
        app, ["export", str(DEMO), "--formaat", "gpkg", "--groep", "ouderen", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "DEMO" in result.output
    layers = {str(name) for name, _ in pyogrio.list_layers(out)}
    assert {"buurten", "hiaten_ouderen", "hotspots_ouderen", "activiteiten"} <= layers
    assert not any("jongvolwassenen" in name for name in layers)
    styled = set(read_styles(out)["f_table_name"])
    assert {"buurten", "hiaten_ouderen", "activiteiten"} <= styled
    meta = read_metadata(out).set_index("laag")
    assert meta.loc["hiaten_ouderen", "jaar"] == "2020"


def test_export_one_focus_area(tmp_path):
    out = tmp_path / "noordhoek.gpkg"
    result = runner.invoke(
        app,
        ["export", str(DEMO), "--groep", "ouderen", "--gebied", "Noordhoek", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "Let op: Beperkt tot Noordhoek." in result.output
    assert len(pyogrio.read_dataframe(out, layer="buurten")) == 5
    assert "gemeente" not in {str(name) for name, _ in pyogrio.list_layers(out)}
    meta = read_metadata(out).set_index("laag")
    assert "Beperkt tot Noordhoek." in meta.loc["buurten", "opmerkingen"]


def test_export_unknown_area_fails_before_the_analysis(tmp_path):
    result = runner.invoke(
        app, ["export", str(DEMO), "--gebied", "Atlantis", "--out", str(tmp_path / "x.gpkg")]
    )
    assert result.exit_code != 0
    assert "niet gevonden" in str(result.exception)
    assert not (tmp_path / "x.gpkg").exists()


def test_export_csv_zip_dutch_excel_selected_layers(tmp_path):
    out = tmp_path / "demo.zip"
    result = runner.invoke(
        app,
        [
            "export",
            str(DEMO),
            "-f",
            "csv",
            "--decimaalkomma",
            "--zonder-hiaten",
            "--lagen",
            "wijken,ov_haltes",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == {
            "DEMO_wijken.csv",
            "DEMO_ov_haltes.csv",
            "DEMO_bronnen.csv",
            "LEESMIJ.txt",
        }
        text = archive.read("DEMO_wijken.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 6 and "," in rows[0]["Eenzaam 18+ 2020 (%)"]


def test_export_lists_layers_and_refuses_unknown_ones(tmp_path):
    listed = runner.invoke(app, ["export", str(DEMO), "--toon-lagen", "--zonder-hiaten"])
    assert listed.exit_code == 0 and "lief_en_leed" in listed.output
    bad = runner.invoke(
        app,
        [
            "export",
            str(DEMO),
            "--zonder-hiaten",
            "--lagen",
            "fietsen",
            "--out",
            str(tmp_path / "x.gpkg"),
        ],
    )
    assert isinstance(bad.exception, DataError) and "buurten" in str(bad.exception)
    assert not (tmp_path / "x.gpkg").exists()


def test_export_errors_are_dutch_with_exit_code_2(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(
        sys, "argv", ["wijkkompas", "export", str(DEMO), "-f", "shp", "--out", str(tmp_path)]
    )
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "Fout:" in capsys.readouterr().err
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "wijkkompas",
            "export",
            str(DEMO),
            "--groep",
            "kinderen",
            "--out",
            str(tmp_path / "x.gpkg"),
        ],
    )
    with pytest.raises(SystemExit):
        main()
    assert "doelgroep" in capsys.readouterr().err


@pytest.mark.shared
def test_export_utrecht_xlsx_has_overvecht_and_attribution(utrecht_dir, tmp_path):
    out = tmp_path / "utrecht.xlsx"
    result = runner.invoke(
        app, ["export", str(utrecht_dir), "-f", "xlsx", "--zonder-hiaten", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames[:3] == ["Bronnen", "Buurten", "Wijken"]
    rows = list(book["Wijken"].iter_rows(values_only=True))
    header = rows[0]
    overvecht = next(r for r in rows if r[0] == "WK034403")
    assert overvecht[header.index("Eenzaam 18+ 2020 (%)")] == 58.2
    buurten = list(book["Buurten"].iter_rows(values_only=True))
    assert len(buurten) == 1 + 111
    sources = " ".join(str(c) for row in book["Bronnen"].iter_rows(values_only=True) for c in row)
    assert "Gemeente Utrecht" in sources and "CC BY 4.0" in sources and "DEMO" not in sources
