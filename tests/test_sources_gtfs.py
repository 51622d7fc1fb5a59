"""Fetching and filtering the GTFS timetable, streamed, against a local HTTP server."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pytest_httpserver import HTTPServer
from werkzeug import Response

from geo.io.gtfs import stops_from_gtfs
from geo.io.gtfs_filter import filter_feed
from geo.sources import SourceError
from geo.sources._http import HttpClient
from geo.sources.fetch import fetch_gemeente
from geo.sources.gtfs import fetch_gtfs
from tests.fixtures.sources.fake_services import GTFS, FakeServices, settings_for
from tests.gtfs_feed import write_big_feed


def _member(path: Path, name: str) -> pd.DataFrame:
    with zipfile.ZipFile(path) as feed, feed.open(name) as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def _area_of_half() -> shapely.Geometry:
    """About the southern half of the generated grid (51.0-52.15 N), in EPSG:28992."""
    box = gpd.GeoSeries([shapely.box(3.0, 50.9, 7.5, 52.15)], crs="EPSG:4326")
    return box.to_crs("EPSG:28992").iloc[0]


@pytest.fixture(scope="module")
def big_feed(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("gtfs") / "nl.zip"
    rows = write_big_feed(path, n_stops=900, n_trips=6000, stops_per_trip=20)
    return path, rows


def test_filter_keeps_exactly_the_rows_of_the_kept_stops(big_feed, tmp_path):
    source, rows = big_feed
    assert rows == 120_000
    target = tmp_path / "klein.zip"
    counts = filter_feed(source, target, _area_of_half(), chunk_rows=7_000)
    stops = _member(source, "stops.txt")
    points = gpd.points_from_xy(pd.to_numeric(stops["stop_lon"]), pd.to_numeric(stops["stop_lat"]))
    inside = gpd.GeoSeries(points, crs="EPSG:4326").to_crs("EPSG:28992").within(_area_of_half())
    kept = set(stops.loc[inside.to_numpy(), "stop_id"])
    assert 0 < len(kept) < len(stops)
    times = _member(source, "stop_times.txt")
    expected_times = times[times["stop_id"].isin(kept)]
    expected_trips = set(expected_times["trip_id"])
    assert counts["stops.txt"] == len(kept)
    assert counts["stop_times.txt"] == len(expected_times) < rows
    got = _member(target, "stop_times.txt")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected_times.reset_index(drop=True))
    assert set(_member(target, "trips.txt")["trip_id"]) == expected_trips
    assert set(_member(target, "routes.txt")["route_id"]) <= {"B", "T", "R"}
    assert set(_member(target, "calendar.txt")["service_id"]) == {"WK", "WE"}
    # the filtered feed gives the same departures for the kept stops as the whole feed
    whole = stops_from_gtfs(source, area=_area_of_half()).set_index("stop_id")
    small = stops_from_gtfs(target).set_index("stop_id")
    pd.testing.assert_series_equal(
        small["vertrekken_per_uur"].sort_index(), whole["vertrekken_per_uur"].sort_index()
    )


def test_fetch_streams_the_feed_through_http(big_feed, httpserver: HTTPServer, tmp_path):
    source, _rows = big_feed

    def stream(_request):  # noqa: ANN001, ANN202
        def blocks():  # noqa: ANN202
            with source.open("rb") as handle:
                yield from iter(lambda: handle.read(64 * 1024), b"")

        return Response(blocks(), content_type="application/zip", direct_passthrough=True)

    httpserver.expect_request(GTFS).respond_with_handler(stream)
    settings = settings_for(httpserver, tmp_path / "cache")
    half = gpd.GeoSeries([shapely.box(3.0, 50.9, 7.5, 52.15)], crs="EPSG:4326")
    buurten = json.loads(half.to_json())
    staging = tmp_path / "staging"
    staging.mkdir()
    with HttpClient(settings) as http:
        entry = fetch_gtfs(http, buurten, staging, "GM0001", buffer_m=0.0)
        assert http.network_requests == 1
        again = fetch_gtfs(http, buurten, staging, "GM0001", buffer_m=0.0)
        assert http.network_requests == 1  # the download is reused from the cache folder
    assert entry["bestand"] == "ov/gtfs_GM0001.zip" and entry == {
        **again,
        "opgehaald": entry["opgehaald"],
    }
    assert entry["url"] == httpserver.url_for(GTFS)
    kept = _member(staging / "ov" / "gtfs_GM0001.zip", "stops.txt")
    assert entry["haltes"] == len(kept) and (pd.to_numeric(kept["stop_lat"]) < 52.2).all()
    assert not list((staging / "ov").glob(".*"))  # no partial files left


def test_fetch_gemeente_writes_ov_and_a_broken_feed_is_a_notice(httpserver: HTTPServer, tmp_path):
    services = FakeServices(httpserver).install()
    settings = settings_for(services.server, tmp_path / "cache")
    result = fetch_gemeente("GM0344", tmp_path / "data", settings=settings)
    entry = next(e for e in result.files if e["bestand"] == "ov/gtfs_GM0344.zip")
    assert entry["haltes"] == 3  # S1 and S2 (within 2 km of the buurten) and their station P1
    stops = stops_from_gtfs(tmp_path / "data" / "ov" / "gtfs_GM0344.zip")
    assert sorted(stops["stop_id"]) == ["S1", "S2"]  # S3 is 20 km away
    manifest = json.loads((tmp_path / "data" / "bronnen.json").read_text(encoding="utf-8"))
    assert any(e["bestand"] == "ov/gtfs_GM0344.zip" for e in manifest["bestanden"])
    # a server that answers with something that is no zip: a notice, the rest is fetched
    other = tmp_path / "other"
    broken = settings_for(
        services.server, tmp_path / "cache2", gtfs_url=services.server.url_for("/kapot.zip")
    )
    services.server.expect_request("/kapot.zip").respond_with_data(b"geen zip")
    result = fetch_gemeente("GM0344", other, settings=broken)
    assert any("OV-dienstregeling niet opgehaald" in n for n in result.notices)
    assert not (other / "ov").exists() and (other / "wijken").is_dir()


def test_a_failing_download_is_a_source_error(httpserver: HTTPServer, tmp_path):
    httpserver.expect_request(GTFS).respond_with_data("weg", status=404)
    settings = settings_for(httpserver, tmp_path / "cache")
    buurten = json.loads(gpd.GeoSeries([shapely.box(5, 52, 5.1, 52.1)], crs=4326).to_json())
    with HttpClient(settings) as http, pytest.raises(SourceError, match="HTTP 404"):
        fetch_gtfs(http, buurten, tmp_path, "GM0001")
    assert not list((tmp_path / "cache" / "gtfs").glob("*"))


def test_feed_in_a_subfolder_of_the_zip_is_read(tmp_path):
    from tests.gtfs_feed import SMALL

    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as out:
        for name, text in SMALL.items():
            out.writestr(f"gtfs/{name}", text)
    assert sorted(stops_from_gtfs(path)["stop_id"]) == ["S1", "S2", "S3"]
