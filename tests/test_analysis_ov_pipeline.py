"""A data folder with a GTFS timetable in ``ov/``: stops with departures, OV-klassen, scales."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from geo.cli import app
from geo.io.folder import load_dataset
from tests.gtfs_feed import SMALL

runner = CliRunner()


def _feed_at(folder: Path) -> tuple[str, str]:
    """A GTFS zip in ``folder/ov/``: a tram stop on the first buurt, a bus stop on the second."""
    buurten = load_dataset(folder).level("buurt")
    points = gpd.GeoSeries(buurten.geometry.representative_point().iloc[:2], crs=buurten.crs)
    lonlat = points.to_crs("EPSG:4326")
    stops = "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
        f"H{i},Halte {i},{p.y:.6f},{p.x:.6f}\n" for i, p in enumerate(lonlat)
    )
    # tram every 6 minutes on weekdays 07-22 at H0; one bus an hour at H1
    times = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    trips = ["route_id,service_id,trip_id"]
    for n in range(150):
        minute = 7 * 60 + 6 * n
        clock = f"{minute // 60:02d}:{minute % 60:02d}:00"
        trips.append(f"R2,WK,T{n}")
        times.append(f"T{n},{clock},{clock},H0,1")
    for hour in range(7, 22):
        trips.append(f"R1,WK,B{hour}")
        times.append(f"B{hour},{hour:02d}:30:00,{hour:02d}:30:00,H1,1")
    (folder / "ov").mkdir()
    with zipfile.ZipFile(folder / "ov" / "gtfs_GM9999.zip", "w") as out:
        out.writestr("stops.txt", stops)
        out.writestr("routes.txt", SMALL["routes.txt"])
        out.writestr("trips.txt", "\n".join(trips) + "\n")
        out.writestr("stop_times.txt", "\n".join(times) + "\n")
        out.writestr("calendar.txt", SMALL["calendar.txt"])
    return str(buurten["code"].iloc[0]), str(buurten["code"].iloc[1])


def _json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_folder_timetable_gives_ov_klassen_and_fixed_scale(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    tram, bus = _feed_at(demo_copy)
    data = _json("hiaten", str(demo_copy), "--groep", "ouderen", "--hemelsbreed")
    assert data["transport_scale"] == "vast"
    assert data["method"]["transport_scale"] == "vast"
    assert any("dienstregeling gtfs_GM9999.zip" in n for n in data["notes"])
    rows = {r["code"]: r for r in data["rows"]}
    # about 10 trams an hour (every 6-6.4 minutes: group B, category II) at the point: A
    assert rows[tram]["ov_klasse"] == "A"
    # one bus an hour (60 minutes: category VII) on the point: F
    assert rows[bus]["ov_klasse"] == "F"
    assert all(r["transport_scale"] == "vast" for r in data["rows"])
    relative = _json("hiaten", str(demo_copy), "--groep", "ouderen", "--hemelsbreed", "--relatief")
    assert relative["transport_scale"] == "relatief"
    assert [r["transport_index"] for r in relative["rows"]] != [
        r["transport_index"] for r in data["rows"]
    ]
    profile = _json("profiel", str(demo_copy), "--gebied", tram, "--hemelsbreed")
    ov = profile["ov_klasse"]
    assert ov["klasse"] == "A" and ov["aandelen"]["A"] == pytest.approx(1.0)
    assert ov["per_dagdeel"]["avond"] == "A" and ov["per_dagdeel"]["weekend"] == "geen"
    assert profile["transport"]["scale"] == "vast"
    text = runner.invoke(app, ["profiel", str(demo_copy), "--gebied", tram, "--hemelsbreed"])
    assert "OV-klasse (werkdagen 6-22 uur): A" in text.output
    assert list((tmp_path / "cache").rglob("*.parquet"))  # read once, then from the cache


def test_the_timetable_stops_reach_the_analysis(demo_copy, tmp_path, monkeypatch):
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse

    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    _feed_at(demo_copy)
    dataset = load_dataset(demo_copy)
    aanbod = load_aanbod(demo_copy, areas=dataset.areas)
    result = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False, network=None)
    stops = result.ov_haltes
    # the same stops (with their departures per dagdeel) serve reach/time fit and transport
    assert sorted(stops["stop_id"]) == ["H0", "H1"]
    assert {"vertrekken_ochtend", "vertrekken_avond", "vertrekken_weekend"} <= set(stops)
    assert stops.set_index("stop_id").loc["H1", "vertrekken_middag"] == pytest.approx(1.0)
    assert result.transport_scale == "vast" and "ov_klasse" in result.buurten
