"""GTFS feeds in the real format for tests and benchmarks: a hand-made one and a generated big one.

The hand-made feed (:func:`write_small_feed`), week of Monday 1 January 2024:

- stops: ``S1`` Centrum, ``S2`` Station (a platform of station ``P1``), ``S3`` Ver weg (no
  service), ``P1`` the station itself (``location_type`` 1: not a stop);
- routes: ``R1`` bus (``route_type`` 3), ``R2`` tram (0);
- services: ``WK`` Monday-Friday, ``WE`` Saturday-Sunday, both in ``calendar.txt``;
  ``calendar_dates.txt`` removes ``WK`` on Wednesday 3 January (exception 2) and adds ``X``
  on Thursday 4 January (exception 1);
- trips: ``T1`` bus WK S1 08:00 → S2 08:10; ``T2`` bus WK S1 13:00 → S2 13:10; ``T3`` tram WK
  S2 18:00 → S1 18:30 (``pickup_type`` 1 at S1: no boarding); ``T4`` tram WE S1 10:00 → S2
  10:05; ``T6`` bus X S1 09:00.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

SMALL = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
    "A,Testvervoer,https://example.org,Europe/Amsterdam\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
    "S1,Centrum,52.0907,5.1214,0,\n"
    "S2,Station,52.0894,5.1100,0,P1\n"
    "S3,Ver weg,52.3000,5.5000,0,\n"
    "P1,Station Utrecht,52.0894,5.1101,1,\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,0\n",
    "trips.txt": "route_id,service_id,trip_id\nR1,WK,T1\nR1,WK,T2\nR2,WK,T3\nR2,WE,T4\nR1,X,T6\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type\n"
    "T1,08:00:00,08:00:00,S1,1,0\n"
    "T1,08:10:00,08:10:00,S2,2,0\n"
    "T2,13:00:00,13:00:00,S1,1,0\n"
    "T2,13:10:00,13:10:00,S2,2,0\n"
    "T3,18:00:00,18:00:00,S2,1,0\n"
    "T3,18:30:00,18:30:00,S1,2,1\n"
    "T4,10:00:00,10:00:00,S1,1,\n"
    "T4,10:05:00,10:05:00,S2,2,\n"
    "T6,09:00:00,09:00:00,S1,1,0\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\n"
    "WK,1,1,1,1,1,0,0,20240101,20240131\n"
    "WE,0,0,0,0,0,1,1,20240101,20240131\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20240103,2\nX,20240104,1\n",
}


def write_small_feed(target: Path, *, as_zip: bool = True) -> Path:
    """The hand-made feed as a zip (or a folder) at ``target``."""
    if as_zip:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, text in SMALL.items():
                out.writestr(name, text)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in SMALL.items():
        (target / name).write_text(text, encoding="utf-8")
    return target


def write_big_feed(
    target: Path, *, n_stops: int = 2000, n_trips: int = 50_000, stops_per_trip: int = 20
) -> int:
    """A generated national-style feed: stops on a grid over the Netherlands; its stop_times rows.

    Stops lie on a grid from 51.0 to 53.4 N and 3.5 to 7.0 E; each trip visits
    ``stops_per_trip`` consecutive stops, two minutes apart, on the weekday service. The
    stop_times member is written line by line, so the generator itself needs little memory.
    """
    rng = np.random.default_rng(7)
    side = int(np.ceil(np.sqrt(n_stops)))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("agency.txt", SMALL["agency.txt"])
        out.writestr("routes.txt", "route_id,agency_id,route_type\nB,A,3\nT,A,0\nR,A,2\n")
        out.writestr("calendar.txt", SMALL["calendar.txt"])
        out.writestr("calendar_dates.txt", SMALL["calendar_dates.txt"])
        stops = io.StringIO()
        stops.write("stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n")
        for i in range(n_stops):
            lat = 51.0 + 2.4 * (i // side) / side
            lon = 3.5 + 3.5 * (i % side) / side
            stops.write(f"N{i},Halte {i},{lat:.5f},{lon:.5f},0,\n")
        out.writestr("stops.txt", stops.getvalue())
        trips = io.StringIO()
        trips.write("route_id,service_id,trip_id\n")
        routes = rng.choice(["B", "T", "R"], size=n_trips, p=[0.8, 0.15, 0.05])
        for t in range(n_trips):
            trips.write(f"{routes[t]},{'WK' if t % 7 else 'WE'},X{t}\n")
        out.writestr("trips.txt", trips.getvalue())
        rows = 0
        with out.open("stop_times.txt", "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            text.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
            starts = rng.integers(0, n_stops - stops_per_trip, size=n_trips)
            minutes = rng.integers(6 * 60, 22 * 60, size=n_trips)
            for t in range(n_trips):
                lines = []
                for s in range(stops_per_trip):
                    m = int(minutes[t]) + 2 * s
                    clock = f"{m // 60:02d}:{m % 60:02d}:00"
                    lines.append(f"X{t},{clock},{clock},N{int(starts[t]) + s},{s + 1}\n")
                text.write("".join(lines))
                rows += stops_per_trip
            text.flush()
            text.detach()
    return rows
