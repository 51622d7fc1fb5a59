"""Write a smaller GTFS feed: only the stops inside an area, and the rows that serve them.

The national Dutch feed is hundreds of MB zipped with tens of millions of ``stop_times`` rows,
so every large file is streamed: read in chunks from the source zip member and written in
chunks into the target zip member. What is kept:

- ``stops.txt``: stops (``location_type`` 0 or empty) inside the area, and their parent
  stations;
- ``stop_times.txt``: rows at a kept stop;
- ``trips.txt``: trips with a kept ``stop_times`` row; ``routes.txt``: their routes;
  ``agency.txt``: their agencies;
- ``calendar.txt`` / ``calendar_dates.txt``: rows of the kept trips' ``service_id``;
- ``feed_info.txt`` as it is. Shapes, transfers and fares are left out (Wijkkompas does not
  use them).

Every value is copied as text, unchanged. The target is written to a temporary name and
renamed, so a failed filter never leaves half a feed.
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.io.gtfs import CHUNK_ROWS, _Feed

logger = logging.getLogger(__name__)


def filter_feed(
    source: str | Path,
    target: str | Path,
    area: shapely.Geometry,
    *,
    chunk_rows: int = CHUNK_ROWS,
) -> dict[str, int]:
    """Write the part of ``source`` that serves stops inside ``area`` (EPSG:28992) to ``target``.

    Parameters
    ----------
    source
        A GTFS zip or folder.
    target
        The ``.zip`` to write.
    area
        Keep stops inside this shape (the gemeente plus a buffer), in EPSG:28992.
    chunk_rows
        Rows per chunk for the large files.

    Returns
    -------
    dict
        Rows written per file (``stops.txt``, ``stop_times.txt``, ...).

    Examples
    --------
    >>> filter_feed("gtfs-nl.zip", "ov/gtfs_GM0344.zip", utrecht.buffer(2000))  # doctest: +SKIP
    {'stops.txt': 1423, 'stop_times.txt': 1210388, ...}
    """
    source, target = Path(source), Path(target)
    temporary = target.with_name(f".{target.name}.deel")
    counts: dict[str, int] = {}
    try:
        with (
            _Feed(source) as feed,
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
        ):
            stops = _all(feed, "stops.txt")
            kept_stops = _stops_inside(stops, area)
            counts["stops.txt"] = _write(out, "stops.txt", [stops[kept_stops]])
            stop_ids = set(stops.loc[kept_stops, "stop_id"].str.strip())
            trip_ids: set[str] = set()

            def times(chunk: pd.DataFrame) -> pd.DataFrame:
                part = chunk[chunk["stop_id"].str.strip().isin(stop_ids)]
                trip_ids.update(part["trip_id"].str.strip().unique())
                return part

            counts["stop_times.txt"] = _write(
                out, "stop_times.txt", _chunks(feed, "stop_times.txt", chunk_rows), times
            )
            route_ids: set[str] = set()
            service_ids: set[str] = set()

            def trips(chunk: pd.DataFrame) -> pd.DataFrame:
                part = chunk[chunk["trip_id"].str.strip().isin(trip_ids)]
                route_ids.update(part["route_id"].str.strip().unique())
                service_ids.update(part["service_id"].str.strip().unique())
                return part

            counts["trips.txt"] = _write(
                out, "trips.txt", _chunks(feed, "trips.txt", chunk_rows), trips
            )
            routes = _all(feed, "routes.txt")
            routes = routes[routes["route_id"].str.strip().isin(route_ids)]
            counts["routes.txt"] = _write(out, "routes.txt", [routes])
            if feed.has("agency.txt"):
                agency = _all(feed, "agency.txt")
                if "agency_id" in agency and "agency_id" in routes:
                    used = set(routes["agency_id"].str.strip())
                    agency = agency[agency["agency_id"].str.strip().isin(used)]
                counts["agency.txt"] = _write(out, "agency.txt", [agency])
            for name in ("calendar.txt", "calendar_dates.txt"):
                if feed.has(name):
                    counts[name] = _write(
                        out,
                        name,
                        _chunks(feed, name, chunk_rows),
                        lambda c: c[c["service_id"].str.strip().isin(service_ids)],
                    )
            if feed.has("feed_info.txt"):
                counts["feed_info.txt"] = _write(
                    out, "feed_info.txt", [_all(feed, "feed_info.txt")]
                )
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    logger.info("GTFS gefilterd naar %s: %s", target.name, counts)
    return counts


def _stops_inside(stops: pd.DataFrame, area: shapely.Geometry) -> np.ndarray:
    kind = stops.get("location_type", pd.Series("", index=stops.index)).str.strip()
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce")
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce")
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs("EPSG:28992")
    inside = (kind.isin(["", "0"]) & lat.notna() & lon.notna()).to_numpy() & points.within(
        area
    ).to_numpy()
    if "parent_station" in stops:
        parents = set(stops.loc[inside, "parent_station"].str.strip()) - {""}
        inside |= stops["stop_id"].str.strip().isin(parents).to_numpy()
    return inside


def _all(feed: _Feed, name: str) -> pd.DataFrame:
    parts = list(_chunks(feed, name, CHUNK_ROWS))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _chunks(feed: _Feed, name: str, chunk_rows: int) -> Iterable[pd.DataFrame]:
    with feed.open(name) as handle:
        yield from pd.read_csv(
            handle,
            dtype=object,  # plain Python text: no conversions, written back unchanged
            keep_default_na=False,
            encoding="utf-8-sig",
            chunksize=chunk_rows,
        )


def _write(
    out: zipfile.ZipFile,
    name: str,
    chunks: Iterable[pd.DataFrame],
    keep: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> int:
    """Stream the kept rows of ``chunks`` into the zip member ``name``; the rows written."""
    rows = 0
    with out.open(name, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        header = True
        for chunk in chunks:
            part = keep(chunk) if keep is not None else chunk
            if header or len(part):
                part.to_csv(text, index=False, header=header, lineterminator="\n")
                header = False
            rows += len(part)
        text.flush()
        text.detach()
    return rows
