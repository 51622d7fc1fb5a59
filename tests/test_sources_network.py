"""``wijkkompas fetch`` gets the walking network: Overpass or a PBF URL, against a local server."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pytest_httpserver import HTTPServer

from geo.analysis.network import network_from_folder
from geo.io.osm import ways_from_file
from geo.sources import SourceError
from geo.sources.fetch import fetch_gemeente
from geo.sources.network import network_query
from tests.fixtures.sources.fake_services import FakeServices, load, settings_for
from tests.osm_town import points, town_ways, write_pbf

PBF_PATH = "/europe/netherlands/utrecht-latest.osm.pbf"


@pytest.fixture()
def services(httpserver: HTTPServer) -> FakeServices:
    return FakeServices(httpserver).install()


def _buurten_bounds():
    lons, lats = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            lons.append(c[0])
            lats.append(c[1])
        else:
            for part in c:
                walk(part)

    for feature in load("pdok_buurten.json")["features"]:
        walk(feature["geometry"]["coordinates"])
    return min(lats), min(lons), max(lats), max(lons)


def test_fetch_stores_the_overpass_network(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    result = fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    path = tmp_path / "data" / "netwerk" / "osm_netwerk_GM0344.json"
    assert path.is_file()
    answer = json.loads(path.read_text(encoding="utf-8"))
    assert answer["generator"].startswith("Overpass API") and answer["elements"]
    # one query, for the gemeente's box plus 2 km on every side (1 km ~ 0.009° lat here)
    (box,) = services.network_boxes
    south, west, north, east = _buurten_bounds()
    assert box[0] == pytest.approx(south - 2000 / 111_250, abs=0.002)
    assert box[2] == pytest.approx(north + 2000 / 111_250, abs=0.002)
    assert box[1] < west - 0.025 and box[3] > east + 0.025
    entry = next(e for e in result.files if e["bestand"] == "netwerk/osm_netwerk_GM0344.json")
    assert entry["licentie"].startswith("ODbL") and entry["url"].endswith("/api/interpreter")
    ways = ways_from_file(path)
    assert entry["rijen"] == ways.n_ways and ways.counts["autosnelweg"] == 1
    manifest = json.loads((tmp_path / "data" / "bronnen.json").read_text(encoding="utf-8"))
    assert "netwerk/osm_netwerk_GM0344.json" in {e["bestand"] for e in manifest["bestanden"]}
    # the analysis finds it: a street grid every 150 m
    net = network_from_folder(tmp_path / "data", cache_dir=tmp_path / "graphs")
    assert net is not None and "osm_netwerk_GM0344.json" in net.source
    home, club = points((50, 100)), points((500, 400))  # crossings: RD (136050, 455100) ...
    d, _s, m = net.pairs(home, club, np.array([1000.0]), max_snap_m=150)
    assert d.tolist() == [0] and m[0] == pytest.approx(450 + 300, abs=0.5)


def test_zonder_osm_skips_the_network(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    fetch_gemeente("GM0344", tmp_path / "data", settings=settings, osm=False)
    assert not (tmp_path / "data" / "netwerk").exists()
    assert services.network_boxes == []


def test_fetch_from_a_pbf_url_clips_the_extract(services: FakeServices, tmp_path: Path):
    far = (30_000.0, 0.0)  # a street 30 km east: outside the gemeente's box
    ways = town_ways() + [({"highway": "residential"}, [far, (far[0] + 200, 0.0)])]
    extract = write_pbf(tmp_path / "utrecht-latest.osm.pbf", ways)
    services.server.expect_request(PBF_PATH).respond_with_data(
        extract.read_bytes(), content_type="application/octet-stream"
    )
    settings = settings_for(
        services.server, tmp_path / "cache", osm_pbf_url=services.server.url_for(PBF_PATH)
    )
    result = fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    folder = tmp_path / "data" / "netwerk"
    assert sorted(p.name for p in folder.iterdir()) == ["osm_netwerk_GM0344.osm.pbf"]
    assert services.network_boxes == []  # Overpass was not asked for the network
    clipped = ways_from_file(folder / "osm_netwerk_GM0344.osm.pbf")
    full = ways_from_file(extract)
    assert clipped.n_ways == full.n_ways - 1  # the far street is gone, the forbidden ones too
    assert clipped.counts == {"lopen": clipped.n_ways}
    entry = next(e for e in result.files if e["bestand"].startswith("netwerk/"))
    assert entry["url"].endswith(PBF_PATH) and entry["rijen"] == clipped.n_ways
    net = network_from_folder(tmp_path / "data", cache_dir=tmp_path / "graphs")
    assert net is not None
    d, _s, _m = net.pairs(
        points((1000, 1000)), points((1250, 1000)), np.array([800.0]), max_snap_m=50
    )
    assert len(d) == 0  # still only the bridge across the canal


def test_a_broken_pbf_url_changes_nothing(services: FakeServices, tmp_path: Path):
    services.server.expect_request(PBF_PATH).respond_with_data("niet gevonden", status=404)
    settings = settings_for(
        services.server, tmp_path / "cache", osm_pbf_url=services.server.url_for(PBF_PATH)
    )
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    assert not (tmp_path / "data").exists()


def test_a_folder_with_a_network_needs_vervang(services: FakeServices, tmp_path: Path):
    target = tmp_path / "data"
    (target / "netwerk").mkdir(parents=True)
    (target / "netwerk" / "eigen.osm.pbf").write_bytes(b"mijn extract")
    settings = settings_for(services.server, tmp_path / "cache")
    with pytest.raises(SourceError, match="netwerk/"):
        fetch_gemeente("GM0344", target, settings=settings)
    result = fetch_gemeente("GM0344", target, settings=settings, replace_existing=True)
    assert (result.backup / "netwerk" / "eigen.osm.pbf").read_bytes() == b"mijn extract"
    assert (target / "netwerk" / "osm_netwerk_GM0344.json").is_file()


def test_network_query_asks_for_walkable_ways_with_geometry():
    query = network_query((52.0, 5.0, 52.1, 5.1))
    assert query.startswith("[out:json]") and query.rstrip().endswith("out geom;")
    assert '"footway' not in query and "footway|" in query and "steps" in query
    assert '["foot"~"^(designated|official|permissive|yes)$"]' in query
    assert '["route"="ferry"]["duration"]' in query


def test_cli_fetch_lists_the_network_and_zonder_osm_skips_it(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from typer.testing import CliRunner

    from geo.cli import app
    from tests.fixtures.sources.fake_services import env_for

    for key, value in env_for(services.server, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    with_osm = runner.invoke(
        app, ["fetch", "-g", "GM0344", "--data", str(tmp_path / "a"), "--json"]
    )
    assert with_osm.exit_code == 0, with_osm.output
    files = {e["bestand"] for e in json.loads(with_osm.stdout)["bestanden"]}
    assert "netwerk/osm_netwerk_GM0344.json" in files
    without = runner.invoke(
        app, ["fetch", "-g", "GM0344", "--data", str(tmp_path / "b"), "--zonder-osm", "--json"]
    )
    assert without.exit_code == 0, without.output
    assert not any(
        f.startswith("netwerk/")
        for f in (e["bestand"] for e in json.loads(without.stdout)["bestanden"])
    )
    assert not (tmp_path / "b" / "netwerk").exists()
