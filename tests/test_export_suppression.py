"""Small numbers in exports: suppressed under 50, rounded to 5, read back from the files."""

from __future__ import annotations

import csv
import io
import zipfile

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from openpyxl import load_workbook
from shapely.geometry import box
from typer.testing import CliRunner

from geo.cli import app
from geo.export import ExportBundle, LayerMeta, export_bytes, write_export
from geo.export.gpkg import read_metadata
from geo.export.suppression import (
    COLUMN,
    EXACT_TEXT,
    SUPPRESSED_TEXT,
    THRESHOLD,
    exact_numbers,
    suppress_small_numbers,
)
from tests.conftest import DEMO

runner = CliRunner()


def small_bundle() -> ExportBundle:
    """Two buurten (one with 40 residents) and their gap rows (one group of 30)."""
    shapes = [box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)]
    areas = gpd.GeoDataFrame(
        {
            "code": ["BU09990101", "BU09990102"],
            "naam": ["Noord", "Zuid"],
            "inwoners": [1234.0, 40.0],
            "inwoners_65_plus": [57.0, 12.0],
            "eenpersoonshuishoudens": [np.nan, 60.0],
            "eenzaam_65plus_2020": [41.3, np.nan],
            "niet_gepubliceerd": ["", "Eenzaam 65+ 2020"],
        },
        geometry=shapes,
        crs="EPSG:28992",
    )
    gaps = gpd.GeoDataFrame(
        {
            "code": ["BU09990101", "BU09990102"],
            "naam": ["Noord", "Zuid"],
            "inwoners_doelgroep": [203.0, 30.0],
            "eenzaam_pct": [41.3, 50.0],
            "cijfer_van": ["buurt", "wijk"],
            "eenzamen": [83.839, 15.0],
            "hiaatscore": [77.7, 10.2],
            "rang": [1, 2],
        },
        geometry=shapes,
        crs="EPSG:28992",
    )

    def meta(title: str) -> LayerMeta:
        return LayerMeta(title=title, source="Handgemaakt", year="2020", vintage="grenzen 2023")

    return ExportBundle(
        layers={"buurten": areas, "hiaten_ouderen": gaps},
        meta={"buurten": meta("Buurten"), "hiaten_ouderen": meta("Hiaten")},
        titel="Testdorp",
    )


def test_suppression_rules_by_hand():
    safe = suppress_small_numbers(small_bundle())
    areas = safe.layers["buurten"]
    # 1,234 -> 1,235 and 57 -> 55; 40 and 12 residents are left out
    assert areas["inwoners"].tolist()[0] == 1235 and np.isnan(areas["inwoners"].iloc[1])
    assert areas["inwoners_65_plus"].tolist()[0] == 55
    assert areas["eenzaam_65plus_2020"].tolist()[0] == 41.3  # rates stay
    assert areas["onderdrukking"].tolist() == [
        "afgerond op 5: inwoners, inwoners_65_plus; "
        "geen CBS-cijfer (niet gepubliceerd of onbekend): eenpersoonshuishoudens",
        "onderdrukt (minder dan 50): inwoners, inwoners_65_plus; "
        "afgerond op 5: eenpersoonshuishoudens; niet gepubliceerd: Eenzaam 65+ 2020",
    ]
    gaps = safe.layers["hiaten_ouderen"]
    assert gaps.loc[0, ["inwoners_doelgroep", "eenzamen", "hiaatscore"]].tolist() == [205, 85, 80]
    # a group of 30: every people-count and the gap score of the row are left out
    assert gaps.loc[1, ["inwoners_doelgroep", "eenzamen", "hiaatscore"]].isna().all()
    assert gaps.loc[1, "eenzaam_pct"] == 50.0 and gaps.loc[1, "rang"] == 2
    assert gaps["onderdrukking"].iloc[1] == (
        "onderdrukt (minder dan 50 in de doelgroep): inwoners_doelgroep, eenzamen, hiaatscore; "
        "buurtcijfer niet gepubliceerd: percentage van de wijk"
    )
    assert safe.suppression == SUPPRESSED_TEXT
    assert small_bundle().layers["buurten"]["inwoners"].iloc[1] == 40  # input unchanged


def test_gpkg_csv_and_excel_read_back_suppressed(tmp_path):
    safe = suppress_small_numbers(small_bundle())
    gpkg = write_export(safe, tmp_path / "t.gpkg", "gpkg")
    areas = pyogrio.read_dataframe(gpkg, layer="buurten")
    assert areas["inwoners"].iloc[0] == 1235 and np.isnan(areas["inwoners"].iloc[1])
    assert areas["onderdrukking"].iloc[1].startswith("onderdrukt (minder dan 50)")
    meta = read_metadata(gpkg).set_index("laag")
    assert meta.loc["buurten", "onderdrukking"] == SUPPRESSED_TEXT
    layer_meta = pyogrio.read_info(gpkg, layer="hiaten_ouderen")["layer_metadata"]
    assert layer_meta["onderdrukking"] == SUPPRESSED_TEXT

    data, _, _ = export_bytes(safe, "csv", decimal_comma=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("hiaten_ouderen.csv").decode("utf-8-sig")
        readme = archive.read("LEESMIJ.txt").decode("utf-8")
        sources = archive.read("bronnen.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    population = "Inwoners in de doelgroep"
    assert rows[0][population] == "205" and rows[1][population] == ""
    assert rows[1]["Eenzamen (aantal)"] == "" and rows[1]["Eenzaam (%)"] == "50,0"
    assert "minder dan 50 in de doelgroep" in rows[1]["Onderdrukt of afgerond (kleine aantallen)"]
    assert f"Kleine aantallen: {SUPPRESSED_TEXT}." in readme
    assert SUPPRESSED_TEXT in sources

    book = load_workbook(io.BytesIO(export_bytes(safe, "xlsx")[0]))
    sheet = book["Buurten"]
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[3]]
    row = dict(zip(header, values, strict=True))
    assert row["Inwoners"] is None and row["Inwoners 65+"] is None
    assert row["Onderdrukt of afgerond (kleine aantallen)"].startswith("onderdrukt")
    bronnen = " ".join(str(c.value) for r in book["Bronnen"].iter_rows() for c in r if c.value)
    assert SUPPRESSED_TEXT in bronnen


def test_exact_numbers_are_recorded(tmp_path):
    exact = exact_numbers(small_bundle())
    gpkg = write_export(exact, tmp_path / "exact.gpkg", "gpkg")
    assert pyogrio.read_dataframe(gpkg, layer="buurten")["inwoners"].tolist() == [1234, 40]
    assert read_metadata(gpkg)["onderdrukking"].tolist() == [EXACT_TEXT, EXACT_TEXT]


@pytest.mark.parametrize("exact", [False, True])
def test_cli_export_suppresses_by_default(tmp_path, exact):
    out = tmp_path / "csv"
    args = ["export", str(DEMO), "--formaat", "csv", "--groep", "ouderen", "--out", str(out)]
    result = runner.invoke(app, args + (["--geen-onderdrukking"] if exact else []))
    assert result.exit_code == 0, result.output
    assert (EXACT_TEXT if exact else SUPPRESSED_TEXT) in result.output
    text = (out / "DEMO_hiaten_ouderen.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_name = {r["Naam"]: r for r in rows}
    population = "Inwoners in de doelgroep"
    # Stationsgebied has 15 65-plussers, Bedrijvenpark Noord 45, Reigerhof 545
    if exact:
        assert by_name["Stationsgebied"][population] == "15"
        assert float(by_name["Reigerhof"]["Eenzamen (aantal)"]) % 5 != 0
    else:
        assert by_name["Stationsgebied"][population] == ""
        assert by_name["Bedrijvenpark Noord"]["Eenzamen (aantal)"] == ""
        assert by_name["Reigerhof"][population] == "545"
        counts = [float(r["Eenzamen (aantal)"]) for r in rows if r["Eenzamen (aantal)"]]
        assert counts and all(c % 5 == 0 for c in counts)
    areas = (out / "DEMO_buurten.csv").read_text(encoding="utf-8-sig")
    assert ("Onderdrukt of afgerond" in areas) is not exact
    sources = (out / "DEMO_bronnen.csv").read_text(encoding="utf-8-sig")
    assert (EXACT_TEXT if exact else SUPPRESSED_TEXT) in sources


def test_hiaten_download_follows_the_export_rules(demo_dataset):
    """The Hiaten page's CSV: the export's headings, small numbers suppressed unless asked."""
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse
    from geo.export.gap_layers import gap_table
    from geo.export.labels import COLUMN_LABELS

    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    result = analyse(demo_dataset, aanbod.layers, group="ouderen", hotspots=False)
    for niveau in ("buurt", "wijk"):
        safe = gap_table(demo_dataset, result, niveau)
        exact = gap_table(demo_dataset, result, niveau, suppress=False)
        assert len(safe) == len(exact) == len(result.level(niveau))
        lonely = COLUMN_LABELS["eenzamen"]
        assert COLUMN_LABELS[COLUMN] in safe.columns and COLUMN_LABELS[COLUMN] not in exact
        values = safe[lonely].dropna().to_numpy(dtype=float)
        assert len(values) and np.allclose(values % 5, 0)  # rounded to 5 (or suppressed)
        assert not np.allclose(exact[lonely].dropna().to_numpy(dtype=float) % 5, 0)
        group = exact[COLUMN_LABELS["inwoners_doelgroep"]].to_numpy(dtype=float)
        small = group < THRESHOLD
        assert safe.loc[small, lonely].isna().all()
