from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geo.errors import DataError, Notices
from geo.io.boundaries import areas_from_file
from tests.conftest import UTRECHT


def test_geojson_pdok_columns(tmp_path: Path, tiny_buurten: gpd.GeoDataFrame):
    path = tmp_path / "buurten_2023.geojson"
    tiny_buurten.to_crs(4326).to_file(path)
    areas = areas_from_file(path)
    assert areas["code"].tolist() == ["BU09990101", "BU09990102", "BU09990201", "BU09990202"]
    assert areas["niveau"].unique().tolist() == ["buurt"]
    assert areas["wijk_code"].tolist() == ["WK099901", "WK099901", "WK099902", "WK099902"]
    assert areas["gemeente_code"].unique().tolist() == ["GM0999"]
    assert areas.crs.to_epsg() == 28992
    assert areas["indeling"].iloc[0] == "2023"
    assert areas.geometry.area.round(-1).tolist() == [1_000_000.0] * 4


def test_geopackage_and_gemeente_filter(tmp_path: Path, tiny_buurten: gpd.GeoDataFrame):
    path = tmp_path / "b.gpkg"
    other = tiny_buurten.copy()
    other["buurtcode"] = other["buurtcode"].str.replace("0999", "0998")
    gpd.GeoDataFrame(gpd.pd.concat([tiny_buurten, other]), crs=28992).to_file(path, layer="buurten")
    assert len(areas_from_file(path)) == 8
    assert len(areas_from_file(path, gemeente_digits="0998")) == 4


def test_zipped_shapefile_without_prj_gets_crs_inferred(
    tmp_path: Path, tiny_buurten: gpd.GeoDataFrame
):
    folder = tmp_path / "shp"
    folder.mkdir()
    tiny_buurten.rename(columns={"buurtcode": "BU_CODE", "buurtnaam": "BU_NAAM"}).to_file(
        folder / "buurten.shp"
    )
    (folder / "buurten.prj").unlink()
    archive = tmp_path / "buurten.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    notices = Notices()
    areas = areas_from_file(archive, notices=notices)
    assert len(areas) == 4 and areas.crs.to_epsg() == 28992
    assert any("geen coördinatenstelsel" in n and "EPSG:28992" in n for n in notices)
    assert areas.geometry.iloc[0].bounds == pytest.approx((150_000, 460_000, 151_000, 461_000))


def test_rd_coordinates_labelled_as_wgs84_are_recognised(
    tmp_path: Path, tiny_buurten: gpd.GeoDataFrame
):
    # A GeoJSON without 'crs' is WGS84 by definition, but these numbers are RD metres.
    data = json.loads(tiny_buurten.to_json())
    data.pop("crs", None)
    path = tmp_path / "rd.geojson"
    path.write_text(json.dumps(data))
    notices = Notices()
    areas = areas_from_file(path, notices=notices)
    assert areas.geometry.iloc[0].bounds == pytest.approx((150_000, 460_000, 151_000, 461_000))
    # GDAL may report no CRS or WGS84 for such a file; either way the user is told.
    assert any("RD-meters" in n or "afgeleid uit het bereik: EPSG:28992" in n for n in notices)


def test_swapped_lat_lon_is_fixed(tmp_path: Path, tiny_buurten: gpd.GeoDataFrame):
    wgs = tiny_buurten.to_crs(4326)
    import shapely

    wgs = wgs.set_geometry(shapely.transform(wgs.geometry.to_numpy(), lambda xy: xy[:, ::-1]))
    path = tmp_path / "swapped.geojson"
    wgs.to_file(path)
    notices = Notices()
    areas = areas_from_file(path, notices=notices)
    assert areas.geometry.iloc[0].centroid.x == pytest.approx(150_500, abs=1)
    assert any("omgewisseld" in n for n in notices)


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path: Path):
    bowtie = Polygon(
        [
            (150_000, 460_000),
            (151_000, 461_000),
            (151_000, 460_000),
            (150_000, 461_000),
            (150_000, 460_000),
        ]
    )
    frame = gpd.GeoDataFrame(
        {"buurtcode": ["BU09990101"], "buurtnaam": ["Strik"]}, geometry=[bowtie], crs=28992
    )
    path = tmp_path / "bowtie.gpkg"
    frame.to_file(path)
    notices = Notices()
    areas = areas_from_file(path, notices=notices)
    assert areas.is_valid.all()
    assert areas.geometry.iloc[0].area == pytest.approx(500_000)
    assert any("hersteld" in n and "BU09990101" in n for n in notices)


def test_topojson(tmp_path: Path):
    topo = {
        "type": "Topology",
        "objects": {
            "layer": {
                "type": "GeometryCollection",
                "geometries": [
                    {
                        "type": "Polygon",
                        "arcs": [[0]],
                        "properties": {"statcode": "WK099901", "statnaam": "Centrum"},
                    }
                ],
            }
        },
        "arcs": [[[5.10, 52.10], [5.11, 52.10], [5.11, 52.11], [5.10, 52.11], [5.10, 52.10]]],
    }
    path = tmp_path / "wijken_2014.topojson"
    path.write_text(json.dumps(topo))
    notices = Notices()
    areas = areas_from_file(path, notices=notices)
    assert areas["code"].tolist() == ["WK099901"] and areas["naam"].tolist() == ["Centrum"]
    assert areas["niveau"].tolist() == ["wijk"] and areas["indeling"].tolist() == ["2014"]
    assert any("EPSG:4326" in n for n in notices)


@pytest.mark.shared
def test_utrecht_municipal_files():
    notices = Notices()
    buurten = areas_from_file(
        UTRECHT / "wijken" / "gemeente-utrecht_buurten_2013.geojson",
        gemeente_digits="0344",
        notices=notices,
    )
    assert len(buurten) == 111
    row = buurten.set_index("code").loc["BU03440311"]
    assert row["naam_bron"] == "gemeente (afgekort)"  # 'Taagdreef, Rubicondr' is truncated
    assert len(row["naam"]) == 20
    wijken = areas_from_file(
        UTRECHT / "wijken" / "gemeente-utrecht_wijken_2013.geojson", gemeente_digits="0344"
    )
    assert wijken.set_index("code").loc["WK034403", "naam"] == "Overvecht"
    gemeente = areas_from_file(UTRECHT / "wijken" / "gemeente-utrecht_gemeente_2013.geojson")
    assert gemeente["code"].tolist() == ["GM0344"]


def test_missing_file():
    with pytest.raises(DataError, match="bestaat niet"):
        areas_from_file("geen/bestand.geojson")
