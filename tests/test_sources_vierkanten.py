"""CBS 100 m squares from a local stand-in of the PDOK OGC API: fetch, read, analyse."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from geo.cli import app
from geo.io.vierkanten import squares_from_file
from geo.sources._http import HttpClient
from geo.sources.fetch import fetch_gemeente
from geo.sources.vierkanten import squares_from_pdok
from tests.fixtures.sources.fake_services import (
    VIERKANTEN,
    FakeServices,
    env_for,
    load,
    settings_for,
    vierkant_features,
)

runner = CliRunner()
NAME = "bevolking/cbs_vierkanten_100m_2023_GM0344.geojson"


@pytest.fixture()
def services(httpserver: HTTPServer) -> FakeServices:
    return FakeServices(httpserver).install()


def _outline() -> shapely.Geometry:
    buurten = gpd.GeoDataFrame.from_features(load("pdok_buurten.json")["features"])
    return shapely.union_all(buurten.geometry.to_numpy())


def _expected_2023(outline: shapely.Geometry) -> list[dict]:
    """The lattice squares of 2023 touching the gemeente, worked out independently."""
    features = vierkant_features(",".join(f"{v:.6f}" for v in outline.bounds))
    shapes = gpd.GeoDataFrame.from_features(features).geometry
    return [
        f
        for f, shape in zip(features, shapes, strict=True)
        if f["properties"]["jaarcode"] == 2023 and shape.intersects(outline)
    ]


def test_fetch_writes_the_squares_of_the_gemeente(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    result = fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    expected = _expected_2023(_outline())
    entry = next(e for e in result.files if e["bestand"] == NAME)
    assert entry["rijen"] == len(expected) > 20 and entry["jaar"] == 2023
    assert entry["licentie"].startswith("CC BY 4.0") and "vierkantstatistieken100m" in entry["url"]
    written = json.loads((tmp_path / "data" / NAME).read_text(encoding="utf-8"))
    codes = [f["properties"]["crs28992res100m"] for f in written["features"]]
    assert codes == [f["properties"]["crs28992res100m"] for f in expected]
    # every page of 10 was followed
    pages = [r for r, _ in services.server.log if r.path == VIERKANTEN]
    assert len(pages) == -(-len(vierkant_features(pages[0].args["bbox"])) // 10)
    squares = squares_from_file(tmp_path / "data" / NAME)
    secret = sum(f["properties"]["aantal_inwoners"] < 0 for f in expected)
    assert int(squares["geheim"].sum()) == secret > 0
    assert squares.crs.to_epsg() == 28992
    assert squares.geometry.area.round(0).eq(10_000).all()  # 100 × 100 m in RD


def test_fetched_squares_make_the_demand_source(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for key, value in env_for(services.server, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    data = tmp_path / "utrecht"
    fetched = runner.invoke(app, ["fetch", "--gemeente", "GM0344", "--data", str(data), "--json"])
    assert fetched.exit_code == 0, fetched.output
    hiaten = runner.invoke(app, ["hiaten", str(data), "--niveau", "wijk", "--json"])
    assert hiaten.exit_code == 0, hiaten.output
    answer = json.loads(hiaten.stdout)
    assert answer["demand_source"] == "vierkanten"
    assert answer["distance_method"] == "netwerk"  # fetch also wrote netwerk/ (a street grid)
    overvecht = next(r for r in answer["rows"] if r["code"] == "WK034403")
    assert overvecht["population"] == 4825  # the need is unchanged: CBS 2023 65-plussers
    assert 0 <= overvecht["covered_lonely"] <= overvecht["lonely"]


def test_a_failing_squares_service_is_a_notice_not_a_failure(
    services: FakeServices, tmp_path: Path
):
    services.fail[VIERKANTEN] = [503] * 10
    settings = settings_for(services.server, tmp_path / "cache")
    result = fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    assert not (tmp_path / "data" / "bevolking").exists()
    assert any(n.startswith("CBS-vierkanten niet opgehaald") for n in result.notices)
    assert result.aanbod == {"activiteiten": 5, "ov_haltes": 3}


def test_own_files_in_bevolking_survive_a_new_fetch(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    target = tmp_path / "data"
    fetch_gemeente("GM0344", target, settings=settings)
    own = target / "bevolking" / "bag_verblijfsobjecten.csv"
    own.write_text("gebruiksdoel;x;y\nwoonfunctie;136000;456000\n", encoding="utf-8")
    fetch_gemeente("GM0344", target, settings=settings, replace_existing=True)
    assert own.exists()
    assert (target / NAME).exists()


def test_the_latest_year_up_to_the_wanted_one(services: FakeServices, tmp_path: Path):
    with HttpClient(settings_for(services.server, tmp_path / "cache")) as client:
        outline = _outline()
        older = squares_from_pdok(client, outline, 2021)
        newest = squares_from_pdok(client, outline, 2030)
    assert older.year == 2022 and "geen cijfers voor 2021" in older.notices[0]
    assert newest.year == 2023 and "die van 2023" in newest.notices[0]
    assert {f["properties"]["jaarcode"] for f in newest.geojson["features"]} == {2023}
