"""GTFS timetables: departures per stop per dagdeel on a hand-made feed, checked by hand."""

from __future__ import annotations

from datetime import date

import pytest
import shapely

from geo.errors import DataError
from geo.io.gtfs import feed_in_folder, route_mode, stops_from_gtfs
from tests.gtfs_feed import write_small_feed


@pytest.fixture(params=["zip", "map"])
def feed(request, tmp_path):
    if request.param == "zip":
        return write_small_feed(tmp_path / "gtfs.zip")
    return write_small_feed(tmp_path / "gtfs", as_zip=False)


def test_departures_per_dagdeel_by_hand(feed):
    stops = stops_from_gtfs(feed).set_index("stop_id")
    assert stops.crs.to_epsg() == 28992
    assert sorted(stops.index) == ["S1", "S2", "S3"]  # P1 is a station, not a stop
    week = stops.attrs["gtfs_week"]
    assert week.monday == date(2024, 1, 1) and week.chosen == "begin dienstregeling"
    # WK runs Mon, Tue, Thu, Fri (Wednesday removed by calendar_dates); X only on Thursday.
    s1 = stops.loc["S1"]
    # ochtend: T1 08:00 on 4 days + T6 09:00 once = 5, over 5 weekdays x 5 hours
    assert s1["vertrekken_ochtend"] == pytest.approx(5 / 25)
    assert s1["vertrekken_middag"] == pytest.approx(4 / 25)  # T2 13:00 x 4
    assert s1["vertrekken_avond"] == 0.0  # T3 at 18:30 has pickup_type 1: no boarding
    assert s1["vertrekken_per_uur"] == pytest.approx(9 / (5 * 16))  # 06-22 h: 4 + 4 + 1
    assert s1["vertrekken_weekend"] == pytest.approx(2 / (2 * 15))  # T4 10:00 Sat + Sun
    assert s1["modus"] == "tram" and s1["modi"] == "tram;bus"
    s2 = stops.loc["S2"]
    assert s2["vertrekken_ochtend"] == pytest.approx(4 / 25)
    assert s2["vertrekken_middag"] == pytest.approx(4 / 25)
    assert s2["vertrekken_avond"] == pytest.approx(4 / 25)  # T3 18:00 boards here
    assert s2["vertrekken_per_uur"] == pytest.approx(12 / 80)
    assert s2["station"] == "P1" and s2["naam"] == "Station"
    s3 = stops.loc["S3"]
    assert s3["vertrekken_per_uur"] == 0.0 and s3["modus"] == ""


def test_given_week_and_area(feed):
    stops = stops_from_gtfs(feed, week="2024-01-10").set_index("stop_id")
    assert stops.attrs["gtfs_week"].monday == date(2024, 1, 8)
    # no exceptions that week: WK on all five weekdays, no X
    assert stops.loc["S1", "vertrekken_ochtend"] == pytest.approx(5 / 25)
    assert stops.loc["S2", "vertrekken_per_uur"] == pytest.approx(15 / 80)
    utrecht = shapely.box(130_000, 450_000, 140_000, 460_000)
    assert sorted(stops_from_gtfs(feed, area=utrecht)["stop_id"]) == ["S1", "S2"]


def test_week_outside_the_feed_is_said(feed):
    stops = stops_from_gtfs(feed, week=date(2025, 6, 2))
    assert stops["vertrekken_per_uur"].sum() == 0
    assert any("geen enkele dienst" in n for n in stops.attrs["notices"])


def test_times_after_midnight_belong_to_the_next_day(tmp_path):
    from tests.gtfs_feed import SMALL

    files = dict(SMALL)
    files["trips.txt"] = "route_id,service_id,trip_id\nR1,WE,N1\n"
    files["stop_times.txt"] = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nN1,31:00:00,31:00:00,S1,1\n"
    )
    folder = tmp_path / "feed"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    s1 = stops_from_gtfs(folder).set_index("stop_id").loc["S1"]
    # Saturday 31:00 = Sunday 07:00 (weekend); Sunday 31:00 = Monday 07:00 (the week wraps)
    assert s1["vertrekken_weekend"] == pytest.approx(1 / 30)
    assert s1["vertrekken_ochtend"] == pytest.approx(1 / 25)


def test_incomplete_feed_is_a_dutch_error(tmp_path):
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "stops.txt").write_text("stop_id,stop_lat,stop_lon\nA,52,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="stop_times.txt"):
        stops_from_gtfs(folder)
    not_zip = tmp_path / "kapot.zip"
    not_zip.write_bytes(b"geen zip")
    with pytest.raises(DataError, match="zip"):
        stops_from_gtfs(not_zip)


def test_modes_and_folder_lookup(tmp_path):
    assert [route_mode(t) for t in (0, 1, 2, 3, 4, 109, 401, 715, 900, 1000, "x")] == [
        "tram",
        "metro",
        "trein",
        "bus",
        "veerboot",
        "trein",
        "metro",
        "bus",
        "tram",
        "veerboot",
        "overig",
    ]
    assert feed_in_folder(tmp_path) is None
    (tmp_path / "ov").mkdir()
    zipped = write_small_feed(tmp_path / "ov" / "gtfs_GM0344.zip")
    assert feed_in_folder(tmp_path) == zipped
