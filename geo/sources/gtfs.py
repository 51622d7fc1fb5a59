"""Fetch the national GTFS timetable and keep the part that serves the gemeente (``ov/``).

The feed (:attr:`~geo.sources.settings.SourceSettings.gtfs_url`, by default the openly
published Dutch feed ``http://gtfs.ovapi.nl/nl/gtfs-nl.zip``) is streamed to a file in the
cache folder (``<cache>/gtfs/``, keyed by the URL; reused for ``cache_days`` unless the fetch
refreshes), never into memory or the SQLite HTTP cache, then filtered with
:func:`geo.io.gtfs_filter.filter_feed` to the stops within the gemeente plus
:data:`GTFS_BUFFER_M` (and their stop_times, trips, routes and calendar rows), and stored as
``ov/gtfs_<GM>.zip``. :func:`geo.io.gtfs.stops_from_gtfs` reads it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.errors import DataError
from geo.io.gtfs import OV_DIR
from geo.io.gtfs_filter import filter_feed
from geo.sources._http import NOTHING_CHANGED, HttpClient, SourceError, download_file

logger = logging.getLogger(__name__)

GTFS_BUFFER_M = 2000.0
"""Stops this far outside the gemeente are kept: the ARE classes reach 1,000 m, and residents at
the border use stops across it."""

LICENCE = "open data van OVapi (gtfs.ovapi.nl), uit de NDOV-dienstregelingen van de vervoerders"


def fetch_gtfs(
    http: HttpClient,
    buurten: dict[str, Any],
    staging: Path,
    gemeente_code: str,
    *,
    buffer_m: float = GTFS_BUFFER_M,
) -> dict[str, object]:
    """Download the GTFS feed and write ``staging/ov/gtfs_<GM>.zip``; the manifest entry.

    Parameters
    ----------
    http
        The fetch's HTTP client (``settings.gtfs_url``).
    buurten
        The gemeente's buurten as GeoJSON (the area).
    staging
        The staging folder of the fetch.
    gemeente_code
        ``GM0344``: part of the file name.
    buffer_m
        Stops within this distance of the gemeente are kept.

    Returns
    -------
    dict
        ``bestand``, ``bron``, ``url``, ``tabel``, ``jaar``, ``licentie``, ``opgehaald``,
        ``rijen`` (stop_times rows kept), ``haltes``.

    Raises
    ------
    SourceError
        A failing download, or a file that is no GTFS feed.
    """
    url = http.settings.gtfs_url
    folder = staging / OV_DIR
    target = folder / f"gtfs_{gemeente_code}.zip"
    download = _download(http, url)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        counts = filter_feed(download, target, _area(buurten).buffer(buffer_m))
    except (DataError, ValueError, KeyError) as error:
        download.unlink(missing_ok=True)  # a broken file is not reused
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise SourceError(
            f"het gedownloade bestand is geen bruikbare GTFS-dienstregeling: {error}",
            url=url,
            kind="leeg",
            hint=f"controleer WIJKKOMPAS_GTFS_URL; {NOTHING_CHANGED}",
        ) from error
    logger.info("dienstregeling opgehaald: %s %s", target.name, counts)
    return {
        "bestand": f"{OV_DIR}/{target.name}",
        "bron": f"OV-dienstregeling (GTFS), gefilterd op gemeente + {buffer_m:g} m",
        "url": url,
        "tabel": None,
        "jaar": None,
        "licentie": LICENCE,
        "opgehaald": datetime.now().astimezone().isoformat(timespec="seconds"),
        "rijen": counts.get("stop_times.txt", 0),
        "haltes": counts.get("stops.txt", 0),
    }


def _download(http: HttpClient, url: str) -> Path:
    """The feed in the cache folder: reused when younger than ``cache_days``, else downloaded."""
    settings = http.settings
    folder = settings.cache_dir / "gtfs"
    folder.mkdir(parents=True, exist_ok=True)
    cached = folder / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.zip"
    if cached.is_file() and not http.refresh:
        age_days = (time.time() - cached.stat().st_mtime) / 86400
        if age_days < settings.cache_days:
            logger.info("dienstregeling uit de cache: %s", cached)
            return cached
    partial = cached.with_suffix(".deel")
    try:
        download_file(
            http,
            url,
            partial,
            what="de OV-dienstregeling (GTFS)",
            hint=f"controleer WIJKKOMPAS_GTFS_URL en de internetverbinding; {NOTHING_CHANGED}",
        )
        os.replace(partial, cached)
    finally:
        partial.unlink(missing_ok=True)
    return cached


def _area(buurten: dict[str, Any]) -> shapely.Geometry:
    """The gemeente (union of its buurten) in EPSG:28992."""
    frame = gpd.GeoDataFrame.from_features(buurten["features"])
    crs = buurten.get("crs", {}).get("properties", {}).get("name", "OGC:CRS84")
    frame = frame.set_crs("EPSG:28992" if "28992" in str(crs) else "OGC:CRS84").to_crs(28992)
    return shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))
