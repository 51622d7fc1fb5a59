"""GeoPackage and GeoJSON export: round trip, QGIS styles, metadata, RFC 7946."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, Polygon, box

from geo.errors import DataError
from geo.export import ExportBundle, LayerMeta, collect_layers, export_bytes, write_export
from geo.export.gpkg import METADATA_TABLE, STYLE_COLUMNS, read_metadata, read_styles
from geo.export.styles import graduated, single


@pytest.fixture(scope="module")
def demo_bundle(demo_dataset):
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse

    aanbod = load_aanbod(
        demo_dataset.path, areas=demo_dataset.areas, gemeente_code=demo_dataset.gemeente_code
    )
    result = analyse(demo_dataset, aanbod.layers, group="ouderen")
    return collect_layers(demo_dataset, aanbod, [result])


def tiny_bundle(*, demo: bool = False) -> ExportBundle:
    """Two hand-drawn layers: a clockwise square (wrong winding for RFC 7946) and points."""
    square = Polygon(
        [(150_000, 460_000), (150_000, 461_000), (151_000, 461_000), (151_000, 460_000)]
    )  # clockwise
    areas = gpd.GeoDataFrame(
        {"code": ["BU09990101", "BU09990102"], "naam": ["Noord", "Zuid"], "waarde": [12.5, np.nan]},
        geometry=[square, box(150_000, 459_000, 151_000, 460_000)],
        crs="EPSG:28992",
    )
    points = gpd.GeoDataFrame(
        {"naam": ["Buurtkamer", '=HYPERLINK("http://x","klik")'], "saldo": [-3.5, 2.0]},
        geometry=[Point(150_500, 460_500), Point(150_200, 459_300)],
        crs="EPSG:28992",
    )
    return ExportBundle(
        layers={"gebieden": areas, "punten": points},
        meta={
            "gebieden": LayerMeta(
                title="Gebieden",
                source="Handgetekend",
                year="2020",
                vintage="grenzen 2023",
                style=graduated(areas["waarde"], column="waarde", title="Waarde", unit="%"),
                labels={"waarde": "Waarde (%)"},
            ),
            "punten": LayerMeta(
                title="Punten",
                source="Handgetekend",
                style=single("point", title="Punten", colour="#444444"),
            ),
        },
        titel="Testdorp",
        demo=demo,
    )


def test_gpkg_round_trip_equals_every_layer(demo_bundle, tmp_path):
    path = write_export(demo_bundle, tmp_path / "demo.gpkg", "gpkg")
    listed = {str(name) for name, _ in pyogrio.list_layers(path)}
    assert set(demo_bundle.layers) <= listed
    for name, frame in demo_bundle.layers.items():
        info = pyogrio.read_info(path, layer=name)
        assert info["crs"] == "EPSG:28992"
        back = pyogrio.read_dataframe(path, layer=name)
        assert_geodataframe_equal(back, frame)


def test_gpkg_holds_areas_gaps_hotspots_and_aanbod(demo_bundle):
    names = set(demo_bundle.layers)
    assert {"buurten", "wijken", "aandachtsgebieden", "activiteiten", "ov_haltes"} <= names
    assert {"hiaten_ouderen", "hiaten_ouderen_wijken", "hiaten_ouderen_gebieden"} <= names
    assert "hotspots_ouderen" in names
    # demo data says so on every row of every layer
    assert all((f["let_op"].str.startswith("DEMO")).all() for f in demo_bundle.layers.values())


def test_gpkg_layer_styles_one_default_style_per_styled_layer(demo_bundle, tmp_path):
    path = write_export(demo_bundle, tmp_path / "demo.gpkg", "gpkg")
    styles = read_styles(path)
    assert list(styles.columns) == STYLE_COLUMNS
    styled = {n for n, m in demo_bundle.meta.items() if m.style is not None}
    assert sorted(styles["f_table_name"]) == sorted(styled)
    assert styles["useAsDefault"].all()
    assert set(styles["f_geometry_column"]) == {"geom"}
    with sqlite3.connect(path) as con:
        kind = con.execute(
            "select data_type from gpkg_contents where table_name = 'layer_styles'"
        ).fetchone()
        columns = [row[1] for row in con.execute("pragma table_info(layer_styles)")]
    assert kind == ("attributes",)  # registered as QGIS does, so GDAL and QGIS list it
    assert columns == ["id", *STYLE_COLUMNS]
    by_layer = styles.set_index("f_table_name")
    areas = ET.fromstring(by_layer.loc["buurten", "styleQML"].split("\n", 1)[1])
    renderer = areas.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == 'coalesce("eenzaam_18plus_2020", -1)'
    labels = [r.get("label") for r in renderer.iter("range")]
    assert labels[0].startswith("geen cijfer")  # suppressed buurten stay visible, grey
    assert all("," in label for label in labels[1:])  # Dutch decimal comma
    aliases = {a.get("field"): a.get("name") for a in areas.iter("alias")}
    assert aliases["eenzaam_18plus_2020"] == "Eenzaam 18+ 2020 (%)"
    activities = ET.fromstring(by_layer.loc["activiteiten", "styleQML"].split("\n", 1)[1])
    renderer = activities.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == "soort"
    assert "ontmoeting" in {c.get("value") for c in renderer.iter("category")}
    assert "PropertyIsEqualTo" in by_layer.loc["activiteiten", "styleSLD"]


def test_gpkg_metadata_table_names_source_year_vintage_version(demo_bundle, tmp_path):
    import geo

    path = write_export(demo_bundle, tmp_path / "demo.gpkg", "gpkg")
    meta = read_metadata(path).set_index("laag")
    assert set(meta.index) == set(demo_bundle.layers)
    buurten = meta.loc["buurten"]
    assert "RIVM" in buurten["bron"]
    assert buurten["jaar"] == "2016, 2020"
    assert "grenzen 2023" in buurten["indeling"]
    assert buurten["wijkkompas_versie"] == geo.__version__
    assert buurten["demo"].startswith("DEMO")
    assert "E2SFCA" in meta.loc["hiaten_ouderen", "methode"]
    info = pyogrio.read_info(path, layer="buurten")["layer_metadata"]
    assert info["IDENTIFIER"].endswith("(DEMO)")
    assert "Bron:" in info["DESCRIPTION"]
    assert info["jaar"] == "2016, 2020"
    assert METADATA_TABLE in {str(n) for n, _ in pyogrio.list_layers(path)}


def test_gpkg_rewrites_an_existing_file_completely(tmp_path):
    target = tmp_path / "uit.gpkg"
    write_export(tiny_bundle(), target, "gpkg")
    write_export(tiny_bundle().select(["punten"]), target, "gpkg")
    listed = {str(name) for name, _ in pyogrio.list_layers(target)}
    assert "gebieden" not in listed and "punten" in listed
    assert list(read_styles(target)["f_table_name"]) == ["punten"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wijkkompas")]


def test_geojson_rfc7946_no_crs_lon_lat_six_decimals_right_hand_rule(tmp_path):
    out = write_export(tiny_bundle(), tmp_path / "geojson", "geojson")
    doc = json.loads((out / "gebieden.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc
    assert "Bron: Handgetekend" in doc["description"]
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0]
    assert 3.0 < lon < 7.3 and 50.7 < lat < 53.7  # longitude first
    assert all(len(str(v).split(".")[1]) <= 6 for v in (lon, lat))
    ring = shapely.geometry.shape(doc["features"][0]["geometry"]).exterior
    assert ring.is_ccw  # written clockwise in RD, counter-clockwise in the GeoJSON
    assert doc["features"][1]["properties"]["waarde"] is None
    assert (out / "LEESMIJ.txt").exists()


def test_geojson_zip_download_has_one_file_per_layer(demo_bundle):
    data, name, mime = export_bytes(demo_bundle.select(["wijken", "ov_haltes"]), "geojson")
    assert name.endswith("_DEMO.zip") and mime == "application/zip"
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert names == {"DEMO_wijken.geojson", "DEMO_ov_haltes.geojson", "LEESMIJ.txt"}
        doc = json.loads(archive.read("DEMO_wijken.geojson"))
    assert doc["description"].startswith("Demostad") and "DEMO" in doc["description"]
    assert len(doc["features"]) == len(demo_bundle.layers["wijken"])


def test_bundle_refuses_layers_it_cannot_describe():
    frame = tiny_bundle().layers["punten"]
    with pytest.raises(DataError, match="geen metadata"):
        ExportBundle(layers={"punten": frame}, meta={})
    with pytest.raises(DataError, match="coördinatenstelsel"):
        ExportBundle(
            layers={"punten": frame.set_crs(None, allow_override=True)},
            meta={"punten": LayerMeta(title="P", source="x")},
        )
    with pytest.raises(DataError, match="laagnaam"):
        ExportBundle(layers={"Punten!": frame}, meta={"Punten!": LayerMeta("P", "x")})
    with pytest.raises(DataError, match="bestaat niet") as caught:
        tiny_bundle().select(["punten", "fietsen"])
    assert "gebieden" in str(caught.value)
    with pytest.raises(DataError, match="exportformaat"):
        write_export(tiny_bundle(), "x.shp", "shp")


def test_area_layer_keeps_suppressed_figures_empty_and_named(demo_bundle, demo_dataset):
    buurten = demo_bundle.layers["buurten"]
    figures = demo_dataset.figures
    hidden = figures[
        (figures["status"] == "niet gepubliceerd")
        & (figures["indicator"] == "Eenzaam")
        & (figures["group"] == "65+")
        & (figures["year"] == 2020)
        & (figures["niveau"] == "buurt")
    ]
    assert len(hidden)  # the demo has suppressed buurten
    code = str(hidden["code"].iloc[0])
    row = buurten[buurten["code"] == code].iloc[0]
    assert np.isnan(row["eenzaam_65plus_2020"])
    assert "Eenzaam 65+ 2020" in row["niet_gepubliceerd"]
    wijk = demo_bundle.layers["wijken"].set_index("code")
    published = figures[
        (figures["code"] == "WK999902")
        & (figures["indicator"] == "Eenzaam")
        & (figures["group"] == "18+")
        & (figures["year"] == 2020)
    ]["value"].item()
    assert wijk.loc["WK999902", "eenzaam_18plus_2020"] == published


def test_collect_without_aanbod_or_analysis_has_only_areas(demo_dataset):
    bundle = collect_layers(demo_dataset)
    assert list(bundle.layers) == ["buurten", "wijken", "gemeente", "aandachtsgebieden"]
    style = bundle.meta["buurten"].style
    assert style.kind == "graduated" and style.column == "eenzaam_18plus_2020"
    chosen = collect_layers(
        demo_dataset, indicator="ErnstigZeerErnstigEenzaam", age="65+", lagen=["wijken"]
    )
    assert chosen.meta["wijken"].style.column == "ernstig_eenzaam_65plus_2020"
    assert pd.Index(chosen.layers["wijken"].columns)[-1] == "geometry"
