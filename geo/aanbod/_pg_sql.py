"""Values and SQL of the PostGIS register: Python values <-> table rows, bulk inserts.

Text fields are stored as ``text``, the numeric fields (:data:`~geo.aanbod.register.NUMERIC`)
as ``double precision``, geometry as ``geometry(..., 28992)`` sent and read as (E)WKB. A record
(the dict that history rows and conflict messages carry) looks exactly like the GeoPackage
register's: geometry as WKT rounded to millimetres, missing values ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from psycopg import Connection, sql

from geo.aanbod.register import HISTORY_COLUMNS, NUMERIC
from geo.aanbod.schema import COLUMNS
from geo.errors import DataError
from geo.io.crs import RD

SRID = 28992
FIELDS = {laag: [c for c in columns if c != "geometry"] for laag, columns in COLUMNS.items()}
"""Non-geometry columns per layer, in schema order (``id`` first)."""


def select_layer(laag: str, *, where: str = "", lock: bool = False) -> sql.Composed:
    """``SELECT fields, ST_AsBinary(geometry), versie FROM laag [WHERE ...] [FOR UPDATE]``."""
    query = sql.SQL("SELECT {fields}, ST_AsBinary(geometry), versie FROM {table}").format(
        fields=sql.SQL(", ").join(sql.Identifier(c) for c in FIELDS[laag]),
        table=sql.Identifier(laag),
    )
    if where:
        query = query + sql.SQL(" WHERE " + where)  # type: ignore[arg-type]  # fixed strings
    else:
        query = query + sql.SQL(" ORDER BY fid")
    if lock:
        query = query + sql.SQL(" FOR UPDATE")
    return query


def frame_from_rows(laag: str, rows: Sequence[Sequence[Any]]) -> gpd.GeoDataFrame:
    """A layer frame (``COLUMNS[laag]`` + ``versie``) from rows of :func:`select_layer`."""
    fields = FIELDS[laag]
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(fields) + 2)
    data: dict[str, pd.Series] = {}
    for column, values in zip(fields, columns, strict=False):
        if column in NUMERIC:
            data[column] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        else:  # object with NaN for missing, as the GeoPackage backend gives (and no slow
            # string inference)
            data[column] = pd.Series([np.nan if v is None else v for v in values], dtype=object)
    wkb = [None if v is None else bytes(v) for v in columns[len(fields)]]
    geometry = gpd.GeoSeries(shapely.from_wkb(np.array(wkb, dtype=object)), crs=RD)
    frame = gpd.GeoDataFrame(pd.DataFrame(data, columns=fields), geometry=geometry.values, crs=RD)
    frame = frame[COLUMNS[laag]]
    frame["versie"] = np.array(columns[-1], dtype="int64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=RD)


def record_from_row(laag: str, row: Sequence[Any]) -> dict[str, object]:
    """The record of one row of :func:`select_layer` (``COLUMNS[laag]`` + ``versie``)."""
    fields = FIELDS[laag]
    record: dict[str, object] = {}
    for column, value in zip(fields, row[: len(fields)], strict=True):
        record[column] = _clean(column, value)
    wkb = row[len(fields)]
    record["geometry"] = None if wkb is None else _wkt(shapely.from_wkb(bytes(wkb)))
    return {**{c: record[c] for c in COLUMNS[laag]}, "versie": int(row[-1])}


def normalise(laag: str, column: str, value: object, *, strict: bool = False) -> object:
    """A value as the table stores it: float/None, str/None, or a shapely geometry/None.

    ``strict``: a numeric field that is not a number is a :class:`DataError` (an edit),
    instead of becoming empty (an import, whose report already flagged it).
    """
    if column == "geometry":
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        geometry = shapely.from_wkt(value) if isinstance(value, str) else value
        if not isinstance(geometry, shapely.Geometry):
            raise TypeError(f"geen geometrie: {value!r}")
        if geometry.is_empty:
            return None
        if laag == "buurtmobiel" and geometry.geom_type == "Polygon":
            geometry = shapely.MultiPolygon([geometry])
        return geometry
    cleaned = _clean(column, value)
    if strict and cleaned is None and column in NUMERIC and not _empty(value):
        raise DataError(
            f"'{column}' moet een getal zijn.", column=column, value=value, hint="bijvoorbeeld 12."
        )
    return cleaned


def record_of(laag: str, values: dict[str, object], versie: int) -> dict[str, object]:
    """The record of normalised values (geometry as rounded WKT; a WKT string stays)."""
    record = {c: values.get(c) for c in COLUMNS[laag]}
    geometry = record["geometry"]
    record["geometry"] = None if geometry is None else _wkt(geometry)  # type: ignore[arg-type]
    return {**record, "versie": versie}


def ewkb(geometry: object) -> str | None:
    """Hex EWKB with SRID 28992 (what PostGIS reads from text and COPY), or None."""
    if geometry is None:
        return None
    with_srid = shapely.set_srid(geometry, SRID)  # type: ignore[call-overload]
    return str(shapely.to_wkb(with_srid, hex=True, include_srid=True))


def normalised_rows(laag: str, frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Every row of a frame as normalised values (missing columns are ``None``)."""
    if frame.crs is not None and len(frame) and not frame.crs.equals(RD):
        frame = frame.to_crs(RD)
    count = len(frame)
    columns = {
        column: (
            [normalise(laag, column, v) for v in frame[column].tolist()]
            if column in frame.columns
            else [None] * count
        )
        for column in FIELDS[laag]
    }
    if "geometry" in frame.columns and count:
        columns["geometry"] = [normalise(laag, "geometry", g) for g in frame.geometry.array]
    else:
        columns["geometry"] = [None] * count
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def copy_rows(
    conn: Connection[Any],
    laag: str,
    rows: Iterable[dict[str, object]],
    *,
    versies: Iterable[int] | None = None,
) -> None:
    """Bulk-insert normalised rows into a layer table with COPY (in the caller's transaction)."""
    columns = [*FIELDS[laag], "geometry", "versie"]
    query = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(laag),
        columns=sql.SQL(", ").join(sql.Identifier(c) for c in columns),
    )
    numbers = iter(versies) if versies is not None else None
    with conn.cursor() as cur, cur.copy(query) as copy:
        for row in rows:
            versie = 1 if numbers is None else next(numbers)
            copy.write_row([*(row[c] for c in FIELDS[laag]), ewkb(row["geometry"]), versie])


def copy_history(conn: Connection[Any], events: Iterable[dict[str, object]]) -> None:
    """Append history rows (:data:`HISTORY_COLUMNS`) with COPY."""
    query = sql.SQL("COPY history ({columns}) FROM STDIN").format(
        columns=sql.SQL(", ").join(sql.Identifier(c) for c in HISTORY_COLUMNS)
    )
    with conn.cursor() as cur, cur.copy(query) as copy:
        for event in events:
            copy.write_row([str(event.get(c) or "") for c in HISTORY_COLUMNS])


def _clean(column: str, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if column in NUMERIC:
        if value == "":
            return None
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return None if math.isnan(number) else number
    return str(value)


def _empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _wkt(geometry: shapely.Geometry | str) -> str:
    if isinstance(geometry, str):  # already a record's WKT
        return geometry
    return str(shapely.to_wkt(geometry, rounding_precision=3))
