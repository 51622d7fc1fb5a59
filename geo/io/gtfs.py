"""Read a GTFS timetable: departures per stop per dagdeel, per hour, for a representative week.

A feed is a ``.zip`` or a folder with the GTFS files (``stops.txt``, ``stop_times.txt``,
``trips.txt``, ``routes.txt`` and ``calendar.txt`` and/or ``calendar_dates.txt``).
``stop_times.txt`` of the national Dutch feed has tens of millions of rows, so it is never
loaded whole: it is read in chunks straight from the zip member, each chunk is filtered to
the kept stops and the trips that run in the chosen week, and only a count per stop, day of
the week and hour is kept (``stops × 7 × 24`` integers).

gtfs-kit and partridge were considered (both install from PyPI); both read ``stop_times.txt``
into one DataFrame before filtering, which for the national feed needs several GiB, so this
reader streams with pandas instead.

The representative week
-----------------------
Monday to Sunday. Default: the first Monday on or after the feed's first service date (the
earliest ``start_date`` in ``calendar.txt`` or ``date`` in ``calendar_dates.txt``); or the
week of a given date (its Monday). A trip runs on a day when its ``service_id`` is active
that day: in ``calendar.txt`` (the weekday flag is 1 and the day lies between ``start_date``
and ``end_date``), plus ``calendar_dates.txt`` exceptions (``exception_type`` 1 adds the day,
2 removes it). Times after 24:00 belong to the next day (a trip of Friday at 24:30 departs
on Saturday at 00:30; Sunday's wraps to Monday, the week being representative).

Departures
----------
Every ``stop_times`` row with a ``departure_time`` counts as one departure, except rows with
``pickup_type`` 1 (no boarding). Per stop, per hour (the column contract shared with the
time-fit analysis):

============================  ==========================================================
``vertrekken_per_uur``        weekday (Mon-Fri) average over the service day 06-22 h
                              (16 hours), the meaning the column always had
``vertrekken_ochtend``        weekday average 07-12 h (5 hours)
``vertrekken_middag``         weekday average 12-17 h (5 hours)
``vertrekken_avond``          weekday average 17-22 h (5 hours)
``vertrekken_weekend``        Saturday and Sunday average 07-22 h (15 hours)
============================  ==========================================================

Modes
-----
``route_type`` (basic and extended GTFS types) → ``tram``, ``metro``, ``trein``, ``bus``,
``veerboot`` (``overig`` for cable cars and the like; see :data:`ROUTE_TYPE_MODES`). A stop
served by several modes gets the highest one in :data:`MODE_ORDER` as ``modus`` and all of
them in ``modi``.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import DataError

logger = logging.getLogger(__name__)

REQUIRED = ("stops.txt", "stop_times.txt", "trips.txt", "routes.txt")
CALENDARS = ("calendar.txt", "calendar_dates.txt")
CHUNK_ROWS = 250_000
"""Rows of ``stop_times.txt`` per chunk (bounded memory: a few hundred MB at most)."""

MODE_ORDER = ("trein", "metro", "tram", "veerboot", "bus", "overig")
"""Modes from the highest to the lowest (a stop's ``modus`` is the highest that serves it)."""

ROUTE_TYPE_MODES = {
    0: "tram",
    1: "metro",
    2: "trein",
    3: "bus",
    4: "veerboot",
    5: "tram",
    6: "overig",
    7: "overig",
    11: "bus",
    12: "trein",
}
"""Basic GTFS ``route_type`` → mode; extended types by their hundreds (:func:`route_mode`)."""

_EXTENDED = {1: "trein", 2: "bus", 4: "metro", 7: "bus", 8: "bus", 9: "tram", 10: "veerboot"}
_EXTENDED.update({11: "bus", 12: "veerboot", 13: "overig", 14: "overig", 15: "overig"})

DAGDEEL_HOURS = {
    "dag": ("weekdag", 6, 22),
    "ochtend": ("weekdag", 7, 12),
    "middag": ("weekdag", 12, 17),
    "avond": ("weekdag", 17, 22),
    "weekend": ("weekend", 7, 22),
}
"""Dagdeel → (days, first hour, end hour): the windows of the departure columns."""

DEPARTURE_COLUMNS = {
    "dag": "vertrekken_per_uur",
    "ochtend": "vertrekken_ochtend",
    "middag": "vertrekken_middag",
    "avond": "vertrekken_avond",
    "weekend": "vertrekken_weekend",
}
"""Dagdeel → column of departures per hour (the contract with the time-fit analysis)."""

OV_DIR = "ov"
"""Folder of a data folder that holds the (filtered) GTFS feed."""


@dataclass(frozen=True)
class GtfsWeek:
    """The representative week a feed was read for.

    Attributes
    ----------
    monday
        First day (a Monday).
    chosen
        ``"gegeven"`` (a date was given) or ``"begin dienstregeling"`` (the default).
    """

    monday: date
    chosen: str

    @property
    def days(self) -> list[date]:
        """The seven dates, Monday first."""
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def text(self) -> str:
        """``week van ma 8 januari 2024`` (Dutch, for notes and legends)."""
        return f"week van maandag {self.monday.isoformat()}"


def route_mode(route_type: object) -> str:
    """The mode of a GTFS ``route_type``: basic types and the extended (Europe) types.

    Examples
    --------
    >>> route_mode(3), route_mode("2"), route_mode(109), route_mode(700), route_mode(1200)
    ('bus', 'trein', 'trein', 'bus', 'veerboot')
    """
    try:
        code = int(float(str(route_type)))
    except ValueError:
        return "overig"
    if code in ROUTE_TYPE_MODES:
        return ROUTE_TYPE_MODES[code]
    return _EXTENDED.get(code // 100, "overig")


def stops_from_gtfs(
    path: str | Path,
    *,
    week: date | str | None = None,
    area: shapely.Geometry | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> gpd.GeoDataFrame:
    """Stops of a GTFS feed with their departures per hour per dagdeel (EPSG:28992).

    Parameters
    ----------
    path
        A GTFS ``.zip`` or a folder holding the GTFS files.
    week
        A date in the representative week (``date`` or ``"2024-01-10"``); None = the first
        Monday on or after the feed's first service date.
    area
        Keep only stops inside this shape (EPSG:28992); None = every stop.
    chunk_rows
        Rows of ``stop_times.txt`` read at a time.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per stop (``location_type`` 0 or empty): ``stop_id``, ``naam``, ``modus``,
        ``modi``, ``station`` (the ``parent_station``, else the stop itself),
        ``vertrekken_per_uur``, ``vertrekken_ochtend``, ``vertrekken_middag``,
        ``vertrekken_avond``, ``vertrekken_weekend``, ``bron``, ``id`` and the point.
        ``attrs["gtfs_week"]`` is the :class:`GtfsWeek`, ``attrs["notices"]`` what the user
        should know.

    Raises
    ------
    DataError
        A missing GTFS file or column, or a date that is not a date.

    Examples
    --------
    >>> stops = stops_from_gtfs("ov/gtfs_GM0344.zip")  # doctest: +SKIP
    >>> stops[["naam", "modus", "vertrekken_ochtend"]].head()  # doctest: +SKIP
    """
    path = Path(path)
    with _Feed(path) as feed:
        stops = _read_stops(feed)
        if area is not None:
            stops = stops[stops.within(area)]
        services = _service_days(feed, week)
        trips = _trip_days(feed, services.active)
        counts, modes = _count_departures(feed, stops["stop_id"], trips, chunk_rows)
    out = stops.copy()
    for dagdeel, column in DEPARTURE_COLUMNS.items():
        out[column] = departures_per_hour(counts, dagdeel)
    mode_names = np.array(MODE_ORDER)
    out["modi"] = [";".join(mode_names[row]) for row in modes]
    best = np.where(modes.any(axis=1), modes.argmax(axis=1), len(MODE_ORDER) - 1)
    out["modus"] = np.where(modes.any(axis=1), mode_names[best], "")
    out["bron"] = path.name
    out["id"] = None
    columns = ["id", "stop_id", "naam", "modus", "modi", "station", *DEPARTURE_COLUMNS.values()]
    out = gpd.GeoDataFrame(out[[*columns, "bron", "geometry"]], geometry="geometry")
    notices = list(services.notices)
    if not (counts.sum() > 0):
        notices.append(
            f"{path.name}: geen vertrekken in de {services.week.text} bij de gekozen haltes; "
            "kies een week waarin de dienstregeling geldt."
        )
    out.attrs["gtfs_week"] = services.week
    out.attrs["notices"] = notices
    logger.info(
        "GTFS %s: %d haltes, %d vertrekken in de %s",
        path.name,
        len(out),
        int(counts.sum()),
        services.week.text,
    )
    return out


def departures_per_hour(counts: np.ndarray, dagdeel: str) -> np.ndarray:
    """Departures per hour of one dagdeel from counts per stop × day (Mon=0) × hour.

    Examples
    --------
    >>> counts = np.zeros((1, 7, 24)); counts[0, 0, 8] = 10  # Monday 08-09 h: 10 departures
    >>> departures_per_hour(counts, "ochtend")  # 10 over 5 weekdays × 5 hours
    array([0.4])
    """
    days, first, end = DAGDEEL_HOURS[dagdeel]
    day_slice = slice(0, 5) if days == "weekdag" else slice(5, 7)
    n_days = 5 if days == "weekdag" else 2
    return counts[:, day_slice, first:end].sum(axis=(1, 2)) / (n_days * (end - first))


def feed_in_folder(data_dir: str | Path) -> Path | None:
    """The GTFS feed of a data folder's ``ov/``: a ``.zip``, or the folder itself; or None.

    Examples
    --------
    >>> feed_in_folder("../shared/data/utrecht")  # doctest: +SKIP
    PosixPath('../shared/data/utrecht/ov/gtfs_GM0344.zip')
    """
    folder = Path(data_dir) / OV_DIR
    if not folder.is_dir():
        return None
    zips = sorted(p for p in folder.glob("*.zip") if not p.name.startswith("."))
    if zips:
        return zips[-1]
    if all((folder / name).exists() for name in REQUIRED):
        return folder
    return None


# --- the feed ---------------------------------------------------------------------------


class _Feed:
    """A GTFS zip or folder whose members are opened as streams."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}
        if path.is_dir():
            self.names = {p.name: p.name for p in path.iterdir() if p.suffix == ".txt"}
        elif path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as error:
                raise DataError(
                    "dit is geen leesbaar zip-bestand (GTFS verwacht).",
                    file=path,
                    hint="download de dienstregeling opnieuw of pak hem uit in een map.",
                ) from error
            for name in self.zip.namelist():  # members may sit in one subfolder
                self.names.setdefault(name.rsplit("/", 1)[-1], name)
        else:
            raise DataError("GTFS-bestand of -map niet gevonden.", file=path)
        missing = [name for name in REQUIRED if name not in self.names]
        if not any(name in self.names for name in CALENDARS):
            missing.append("calendar.txt of calendar_dates.txt")
        if missing:
            raise DataError(
                f"dit is geen volledige GTFS-dienstregeling: {', '.join(missing)} ontbreekt.",
                file=path,
                hint="gebruik een GTFS-zip met stops, stop_times, trips, routes en calendar.",
            )

    def __enter__(self) -> _Feed:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.zip is not None:
            self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.names

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self.zip is not None:
            with self.zip.open(self.names[name]) as handle:
                yield handle
        else:
            with (self.path / self.names[name]).open("rb") as handle:
                yield handle

    def header(self, name: str) -> list[str]:
        with self.open(name) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            return [c.strip() for c in next(csv.reader(text), [])]

    def read(self, name: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> Iterator:
        """Chunks (DataFrames of text) of ``columns`` (+ ``optional`` ones that exist)."""
        header = self.header(name)
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(
                f"verplichte GTFS-kolom ontbreekt: {', '.join(missing)}.",
                file=f"{self.path.name}/{name}",
                hint="controleer of het bestand een GTFS-bestand is (eerste rij = kolomnamen).",
            )
        wanted = [c for c in header if c in columns or c in optional]
        with self.open(name) as handle:
            yield from pd.read_csv(
                handle,
                usecols=wanted,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                chunksize=CHUNK_ROWS,
                skipinitialspace=True,
            )

    def table(self, name: str, columns: tuple[str, ...], optional: tuple[str, ...] = ()):
        parts = list(self.read(name, columns, optional))
        if not parts:
            return pd.DataFrame(columns=list(columns))
        return pd.concat(parts, ignore_index=True)


def _read_stops(feed: _Feed) -> gpd.GeoDataFrame:
    frame = feed.table(
        "stops.txt",
        ("stop_id", "stop_lat", "stop_lon"),
        ("stop_name", "location_type", "parent_station"),
    )
    kind = frame.get("location_type", pd.Series("", index=frame.index)).str.strip()
    frame = frame[kind.isin(["", "0"])]
    lat = pd.to_numeric(frame["stop_lat"], errors="coerce")
    lon = pd.to_numeric(frame["stop_lon"], errors="coerce")
    bad = lat.isna() | lon.isna() | (lat.abs() > 90) | (lon.abs() > 180)
    if bad.any():
        first = frame.index[bad.to_numpy()][0]
        logger.warning(
            "%s: %d halte(s) zonder geldige coördinaten overgeslagen (eerste: %s)",
            feed.path.name,
            int(bad.sum()),
            frame.loc[first, "stop_id"],
        )
    frame = frame[~bad]
    parent = frame.get("parent_station", pd.Series("", index=frame.index)).str.strip()
    stops = gpd.GeoDataFrame(
        {
            "stop_id": frame["stop_id"].str.strip().to_numpy(),
            "naam": frame.get("stop_name", frame["stop_id"]).to_numpy(),
            "station": np.where(parent != "", parent, frame["stop_id"].str.strip()),
        },
        geometry=gpd.points_from_xy(lon[~bad], lat[~bad]),
        crs="EPSG:4326",
    ).to_crs("EPSG:28992")
    return stops.drop_duplicates("stop_id").reset_index(drop=True)


@dataclass
class _Services:
    week: GtfsWeek
    active: dict[str, int]  # service_id -> bit mask of the week's days (Mon = bit 0)
    notices: list[str]


def _service_days(feed: _Feed, week: date | str | None) -> _Services:
    calendar = (
        feed.table(
            "calendar.txt",
            ("service_id", "start_date", "end_date"),
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        )
        if feed.has("calendar.txt")
        else pd.DataFrame(columns=["service_id", "start_date", "end_date"])
    )
    monday = _monday(week, feed) if week is not None else None
    chosen = "gegeven"
    if monday is None:
        chosen = "begin dienstregeling"
        monday = _first_monday(feed, calendar)
    the_week = GtfsWeek(monday=monday, chosen=chosen)
    days = [int(d.strftime("%Y%m%d")) for d in the_week.days]
    active: dict[str, int] = {}
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    start = pd.to_numeric(calendar["start_date"], errors="coerce").to_numpy()
    end = pd.to_numeric(calendar["end_date"], errors="coerce").to_numpy()
    for bit, (name, day) in enumerate(zip(names, days, strict=True)):
        runs = calendar.get(name, pd.Series("0", index=calendar.index)).str.strip() == "1"
        on = runs.to_numpy() & (start <= day) & (day <= end)
        for service in calendar["service_id"].to_numpy()[on]:
            active[service] = active.get(service, 0) | (1 << bit)
    if feed.has("calendar_dates.txt"):
        for chunk in feed.read("calendar_dates.txt", ("service_id", "date", "exception_type")):
            dates = pd.to_numeric(chunk["date"], errors="coerce").to_numpy()
            inside = np.isin(dates, days)
            for service, day, kind in zip(
                chunk["service_id"].to_numpy()[inside],
                dates[inside],
                chunk["exception_type"].str.strip().to_numpy()[inside],
                strict=True,
            ):
                bit = 1 << days.index(int(day))
                if kind == "1":
                    active[service] = active.get(service, 0) | bit
                elif kind == "2":
                    active[service] = active.get(service, 0) & ~bit
    active = {s: m for s, m in active.items() if m}
    notices = []
    if not active:
        notices.append(
            f"{feed.path.name}: in de {the_week.text} rijdt geen enkele dienst volgens "
            "calendar/calendar_dates; kies een andere week."
        )
    return _Services(week=the_week, active=active, notices=notices)


def _monday(week: date | str, feed: _Feed) -> date:
    if isinstance(week, str):
        try:
            week = datetime.strptime(week.strip(), "%Y-%m-%d").date()
        except ValueError as error:
            raise DataError(
                "de week van de dienstregeling is geen datum.",
                file=feed.path,
                value=week,
                hint="geef een datum als 2024-01-08 (de maandag van de week).",
            ) from error
    return week - timedelta(days=week.weekday())


def _first_monday(feed: _Feed, calendar: pd.DataFrame) -> date:
    first = pd.to_numeric(calendar["start_date"], errors="coerce").min()
    if feed.has("calendar_dates.txt"):
        for chunk in feed.read("calendar_dates.txt", ("date",)):
            low = pd.to_numeric(chunk["date"], errors="coerce").min()
            first = low if not np.isfinite(first) else min(first, low)
    if not np.isfinite(first):
        raise DataError(
            "de dienstregeling heeft geen enkele geldige datum in calendar of calendar_dates.",
            file=feed.path,
            hint="controleer start_date/date (JJJJMMDD).",
        )
    start = datetime.strptime(str(int(first)), "%Y%m%d").date()
    return start + timedelta(days=(7 - start.weekday()) % 7)


@dataclass
class _Trips:
    mask: pd.Series  # trip_id -> bit mask of running days
    mode: pd.Series  # trip_id -> index in MODE_ORDER


def _trip_days(feed: _Feed, active: dict[str, int]) -> _Trips:
    routes = feed.table("routes.txt", ("route_id", "route_type"))
    route_mode_index = pd.Series(
        [MODE_ORDER.index(route_mode(t)) for t in routes["route_type"]],
        index=routes["route_id"].to_numpy(),
    )
    route_mode_index = route_mode_index[~route_mode_index.index.duplicated()]
    masks, modes, ids = [], [], []
    services = pd.Series(active, dtype="int64")
    for chunk in feed.read("trips.txt", ("route_id", "service_id", "trip_id")):
        mask = services.reindex(chunk["service_id"].to_numpy()).fillna(0).astype("int64")
        running = mask.to_numpy() > 0
        ids.append(chunk["trip_id"].to_numpy()[running])
        masks.append(mask.to_numpy()[running])
        mode = route_mode_index.reindex(chunk["route_id"].to_numpy()[running])
        modes.append(mode.fillna(len(MODE_ORDER) - 1).astype("int64").to_numpy())
    index = pd.Index(np.concatenate(ids) if ids else np.array([], dtype=object))
    mask_series = pd.Series(np.concatenate(masks) if masks else [], index=index, dtype="int64")
    mode_series = pd.Series(np.concatenate(modes) if modes else [], index=index, dtype="int64")
    keep = ~index.duplicated()
    return _Trips(mask=mask_series[keep], mode=mode_series[keep])


def _count_departures(
    feed: _Feed, stop_ids: pd.Series, trips: _Trips, chunk_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Departures per stop × day × hour, and which modes serve each stop."""
    stops = pd.Index(stop_ids.to_numpy())
    counts = np.zeros((len(stops), 7, 24), dtype=np.int64)
    modes = np.zeros((len(stops), len(MODE_ORDER)), dtype=bool)
    trip_index = trips.mask.index
    masks = trips.mask.to_numpy()
    trip_modes = trips.mode.to_numpy()
    header = feed.header("stop_times.txt")
    for column in ("trip_id", "stop_id", "departure_time"):
        if column not in header:
            raise DataError(
                f"verplichte GTFS-kolom ontbreekt: {column}.",
                file=f"{feed.path.name}/stop_times.txt",
            )
    wanted = [c for c in header if c in ("trip_id", "stop_id", "departure_time", "pickup_type")]
    with feed.open("stop_times.txt") as handle:
        reader = pd.read_csv(
            handle,
            usecols=wanted,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            chunksize=chunk_rows,
            skipinitialspace=True,
        )
        for chunk in reader:
            stop = stops.get_indexer(chunk["stop_id"].to_numpy())
            trip = trip_index.get_indexer(chunk["trip_id"].to_numpy())
            times = chunk["departure_time"].str.strip()
            keep = (stop >= 0) & (trip >= 0) & (times != "").to_numpy()
            if "pickup_type" in chunk:
                keep &= (chunk["pickup_type"].str.strip() != "1").to_numpy()
            if not keep.any():
                continue
            stop, trip = stop[keep], trip[keep]
            hour = _hours(times.to_numpy()[keep])
            ok = np.isfinite(hour)
            stop, trip, hour = stop[ok], trip[ok], hour[ok].astype(np.int64)
            shift, hod = hour // 24, hour % 24
            mask = masks[trip]
            modes[stop, trip_modes[trip]] = True
            for bit in range(7):
                on = (mask >> bit) & 1 == 1
                day = (bit + shift[on]) % 7
                np.add.at(counts, (stop[on], day, hod[on]), 1)
    return counts, modes


def _hours(times: np.ndarray) -> np.ndarray:
    """The hour of ``H:MM:SS`` / ``HH:MM:SS`` texts (NaN when not a time), vectorised.

    Examples
    --------
    >>> _hours(np.array(["7:05:00", "08:10:00", "25:30:00", "x"], dtype=object)).tolist()
    [7.0, 8.0, 25.0, nan]
    >>> _hours(np.array(["9:00:00", "é"], dtype=object)).tolist()
    [9.0, nan]
    """
    if not len(times):
        return np.zeros(0)
    try:
        raw = np.asarray(times, dtype="U3").astype("S3")
    except UnicodeEncodeError:  # a non-ASCII value: the slow way
        first = pd.Series(times, dtype=object).astype(str).str.split(":", n=1).str[0]
        return pd.to_numeric(first, errors="coerce").to_numpy(dtype=float)
    chars = raw.view(np.uint8).reshape(len(times), 3).astype(int)
    digit = (chars >= 48) & (chars <= 57)
    colon = chars == 58
    one = digit[:, 0] & colon[:, 1]
    two = digit[:, 0] & digit[:, 1] & colon[:, 2]
    value = np.where(one, chars[:, 0] - 48, (chars[:, 0] - 48) * 10 + chars[:, 1] - 48)
    return np.where(one | two, value, np.nan).astype(float)


# --- cache --------------------------------------------------------------------------------

CACHE_VERSION = 1
"""Raise when the stops read from the same feed would differ (counting rules, columns)."""


def stops_from_gtfs_cached(
    path: str | Path, *, week: date | str | None = None, cache_dir: Path | None = None
) -> gpd.GeoDataFrame:
    """:func:`stops_from_gtfs`, cached on disk by the feed's bytes, the week and the version.

    The cache is a GeoParquet file (+ a JSON file with the week and the notices) in
    ``<cache>/ov/``, outside the data folder; a corrupt cache file is a warning and a new read.
    """
    import json
    import os
    import tempfile
    import warnings

    from geo.analysis._network_cache import default_cache_dir, file_digest

    path = Path(path)
    folder = cache_dir if cache_dir is not None else default_cache_dir().parent / OV_DIR
    if path.is_dir():
        digest = "-".join(
            file_digest(path / name)[:16] for name in sorted(_Feed(path).names) if name != ""
        )
    else:
        digest = file_digest(path)
    week_key = "" if week is None else str(week)
    key = f"{hashlib_short(digest + week_key)}-v{CACHE_VERSION}"
    data, meta = folder / f"{key}.parquet", folder / f"{key}.json"
    if data.is_file() and meta.is_file():
        try:
            stops = gpd.read_parquet(data)
            info = json.loads(meta.read_text(encoding="utf-8"))
            stops.attrs["gtfs_week"] = GtfsWeek(
                monday=date.fromisoformat(info["monday"]), chosen=info["chosen"]
            )
            stops.attrs["notices"] = list(info["notices"])
            return stops
        except (OSError, ValueError, KeyError) as error:
            warnings.warn(
                f"de opgeslagen dienstregeling {data} is onleesbaar ({error}); opnieuw gelezen.",
                stacklevel=2,
            )
            data.unlink(missing_ok=True)
    stops = stops_from_gtfs(path, week=week)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}-", suffix=".parquet", dir=folder)
        os.close(handle)
        plain = stops.copy()
        plain.attrs = {}
        plain.to_parquet(temporary)
        week_info: GtfsWeek = stops.attrs["gtfs_week"]
        meta.write_text(
            json.dumps(
                {
                    "monday": week_info.monday.isoformat(),
                    "chosen": week_info.chosen,
                    "notices": stops.attrs["notices"],
                }
            ),
            encoding="utf-8",
        )
        os.replace(temporary, data)
    except OSError as error:
        logger.warning("dienstregeling niet in de cache gezet (%s): %s", folder, error)
    return stops


def hashlib_short(text: str) -> str:
    """First 40 hex digits of the SHA-256 of ``text``."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
