"""Rows of a GeoPackage register as SQLite values and back (helpers of :mod:`register_gpkg`)."""

from __future__ import annotations

import builtins
import json
import sqlite3
import uuid

import geopandas as gpd
import pandas as pd
import shapely

from geo.aanbod import _gpkg
from geo.aanbod.accounts import Account, Credentials
from geo.aanbod.register import (
    HISTORY_COLUMNS,
    NUMERIC,
    _missing,
    _records,
    conflict_error,
    empty_layer,
)
from geo.aanbod.schema import COLUMNS
from geo.errors import DataError
from geo.io.crs import RD

ACCOUNT_FIELDS = "naam, rol, organisatie, email, wachtwoord_hash, mislukt, geblokkeerd_tot"


# -- rows -------------------------------------------------------------------------------------
def _empty(laag: str) -> gpd.GeoDataFrame:
    frame = empty_layer(laag)
    frame["versie"] = pd.Series(dtype="int64")
    return frame


def _geometry_column(connection: sqlite3.Connection, laag: str) -> str:
    row = connection.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (laag,)
    ).fetchone()
    return "geom" if row is None else str(row[0])


def _select(
    connection: sqlite3.Connection, laag: str, *, ident: str | None = None
) -> gpd.GeoDataFrame:
    """Rows of a layer as a frame (``COLUMNS[laag]`` + ``versie``), all or the one ``ident``."""
    present = set(_gpkg.columns_of(connection, laag))
    if not present:
        return _empty(laag)
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    select = [f'"{c}"' if c in present else "NULL" for c in fields]
    select.append("versie" if "versie" in present else "1")
    select.append(f'"{_geometry_column(connection, laag)}"')
    where, params = ("WHERE id = ?", (ident,)) if ident is not None else ("", ())
    rows = connection.execute(
        f'SELECT {", ".join(select)} FROM "{laag}" {where} ORDER BY fid', params
    ).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=[*fields, "versie", "geometry"])
    for column in fields:
        if column in NUMERIC:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
        else:
            frame[column] = frame[column].astype(object)
    frame["versie"] = frame["versie"].astype("int64")
    geometry = gpd.GeoSeries(_gpkg.decode(list(frame["geometry"])), crs=RD)
    out = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry, crs=RD)
    return out[[*COLUMNS[laag], "versie"]]


def _history(connection: sqlite3.Connection) -> pd.DataFrame:
    if not _gpkg.columns_of(connection, "history"):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    rows = connection.execute(
        f"SELECT {', '.join(HISTORY_COLUMNS)} FROM history ORDER BY fid"
    ).fetchall()
    return pd.DataFrame.from_records(rows, columns=HISTORY_COLUMNS).fillna("").astype(str)


def _values(record: dict[str, object], laag: str) -> tuple[object, ...]:
    """A record as SQLite values: numbers as float, text as str, geometry as GeoPackageBinary."""
    values: builtins.list[object] = [
        _number(record.get(c)) if c in NUMERIC else _text(record.get(c))
        for c in COLUMNS[laag]
        if c != "geometry"
    ]
    geometry = record.get("geometry")
    if laag == "buurtmobiel" and geometry is not None and geometry.geom_type == "Polygon":  # type: ignore[attr-defined]
        geometry = shapely.MultiPolygon([geometry])
    values.append(int(record.get("versie") or 1))  # type: ignore[call-overload]
    values.append(_gpkg.encode(geometry))  # type: ignore[arg-type]
    return tuple(values)


def _names(connection: sqlite3.Connection, laag: str) -> builtins.list[str]:
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    return [*(f'"{c}"' for c in fields), "versie", f'"{_geometry_column(connection, laag)}"']


def _insert(connection: sqlite3.Connection, laag: str, rows: gpd.GeoDataFrame) -> None:
    names = _names(connection, laag)
    records = rows.to_dict(orient="records")
    connection.executemany(
        f'INSERT INTO "{laag}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
        [_values(r, laag) for r in records],
    )
    geometries = rows.geometry[rows.geometry.notna() & ~rows.geometry.is_empty]
    _touch(connection, laag, None if geometries.empty else tuple(geometries.total_bounds))


def _rewrite(connection: sqlite3.Connection, laag: str, ident: str, row: gpd.GeoDataFrame) -> None:
    _store(connection, laag, ident, row.to_dict(orient="records")[0])


def _store(
    connection: sqlite3.Connection, laag: str, ident: str, record: dict[str, object]
) -> None:
    """Write one record over the row with id ``ident``."""
    names = _names(connection, laag)
    connection.execute(
        f'UPDATE "{laag}" SET {", ".join(f"{n} = ?" for n in names)} WHERE id = ?',
        (*_values(record, laag), ident),
    )
    geometry = record.get("geometry")
    empty = geometry is None or geometry.is_empty  # type: ignore[attr-defined]
    _touch(connection, laag, None if empty else tuple(geometry.bounds))  # type: ignore[attr-defined]


def _touch(connection: sqlite3.Connection, laag: str, bounds: tuple[float, ...] | None) -> None:
    """Update the layer's ``last_change`` and grow its extent in ``gpkg_contents``."""
    stamp = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    if bounds is None:
        connection.execute(
            f"UPDATE gpkg_contents SET last_change = {stamp} WHERE table_name = ?", (laag,)
        )
        return
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    connection.execute(
        f"UPDATE gpkg_contents SET last_change = {stamp}, "
        "min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
        "max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?) "
        "WHERE table_name = ?",
        (minx, minx, miny, miny, maxx, maxx, maxy, maxy, laag),
    )


def _log(connection: sqlite3.Connection, events: builtins.list[dict[str, object]]) -> None:
    connection.executemany(
        f"INSERT INTO history ({', '.join(HISTORY_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(HISTORY_COLUMNS))})",
        [tuple(str(event[c]) for c in HISTORY_COLUMNS) for event in events],
    )


def _apply(stored: gpd.GeoDataFrame, changes: dict[str, object], laag: str) -> gpd.GeoDataFrame:
    wanted = stored.copy()
    for column, value in changes.items():
        if column in NUMERIC:
            value = None if _missing(value) or value == "" else float(value)  # type: ignore[arg-type]
        wanted.iat[0, wanted.columns.get_loc(column)] = value
    return wanted


def _check_versie(
    laag: str,
    ident: str,
    versie: int,
    stored: dict[str, object] | None,
    wanted: dict[str, object] | None,
    changes: dict[str, object],
) -> None:
    if stored is not None and int(stored["versie"]) == int(versie):  # type: ignore[call-overload]
        return
    theirs = None if stored is None else _logged(stored)
    if wanted is not None:
        mine: dict[str, object] | None = {**_logged(wanted), "versie": versie}
    elif changes:
        mine = {
            k: (shapely.to_wkt(v) if hasattr(v, "geom_type") else v) for k, v in changes.items()
        }
    else:
        mine = None
    raise conflict_error(
        laag,
        ident,
        read=versie,
        stored=None if theirs is None else int(theirs["versie"]),  # type: ignore[call-overload]
        mine=mine,
        theirs=theirs,
    )


def _undo_event(
    connection: sqlite3.Connection,
    laag: str,
    ident: str,
    actie: str,
    event: object,
    batch: str,
) -> tuple[dict[str, object] | None, dict[str, object] | None]:
    """Reverse one history event; returns the record before and after (for the history)."""
    if laag == "wor_deelnemers":
        removed = connection.execute("DELETE FROM wor_deelnemers WHERE batch = ?", (batch,))
        if not removed.rowcount:  # rows written before there was a batch column
            count = int(json.loads(str(getattr(event, "nieuw")))["rijen"])  # noqa: B009
            connection.execute(
                "DELETE FROM wor_deelnemers WHERE fid IN "
                "(SELECT fid FROM wor_deelnemers ORDER BY fid DESC LIMIT ?)",
                (count,),
            )
        return None, None
    stored = _select(connection, laag, ident=ident)
    current = _records(stored)[0] if len(stored) else None
    if actie == "toegevoegd":
        if current is not None:
            connection.execute(f'DELETE FROM "{laag}" WHERE id = ?', (ident,))
        return current, None
    old = json.loads(str(getattr(event, "oud")))  # noqa: B009
    restored = _from_history(old, laag)
    base = int(current["versie"]) if current else int(old.get("versie") or 1)  # type: ignore[call-overload]
    restored["versie"] = base + 1
    if current is None:
        _insert(connection, laag, restored)
    else:
        _rewrite(connection, laag, ident, restored)
    return current, _records(restored)[0]


def _from_history(record: dict[str, object], laag: str) -> gpd.GeoDataFrame:
    data = {c: [record.get(c)] for c in COLUMNS[laag] if c != "geometry"}
    wkt = record.get("geometry")
    geometry = [shapely.from_wkt(wkt) if wkt else None]
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=RD), crs=RD)
    frame["versie"] = int(record.get("versie") or 1)  # type: ignore[call-overload]
    return frame[[*COLUMNS[laag], "versie"]]


# -- accounts ---------------------------------------------------------------------------------
def _account_row(connection: sqlite3.Connection, where: str, value: str) -> tuple | None:
    row: tuple | None = connection.execute(
        f"SELECT {ACCOUNT_FIELDS} FROM {_gpkg.ACCOUNTS_TABLE} WHERE {where}", (value,)
    ).fetchone()
    return row


def _credentials(row: tuple) -> Credentials:
    naam, rol, organisatie, email, hashed, mislukt, geblokkeerd = row
    return Credentials(
        account=Account(naam=naam, rol=rol, organisatie=organisatie, email=email),
        wachtwoord_hash=hashed,
        mislukt=int(mislukt or 0),
        geblokkeerd_tot=geblokkeerd,
    )


def _unknown_account(naam: str) -> DataError:
    return DataError(
        "onbekend account.", value=naam, hint="zie 'wijkkompas gebruiker lijst' voor de namen."
    )


# -- values -----------------------------------------------------------------------------------
def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _number(value: object) -> float | None:
    if _missing(value) or value == "":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        return None if pd.isna(number) else float(number)


def _batch() -> str:
    return uuid.uuid4().hex


# -- one row as a dict (the fast path of update and remove) -----------------------------------
def _fetch(connection: sqlite3.Connection, laag: str, ident: str) -> dict[str, object] | None:
    """One row as a record (``COLUMNS[laag]`` + ``versie``; geometry as shapely), or None."""
    present = set(_gpkg.columns_of(connection, laag))
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    select = [f'"{c}"' if c in present else "NULL" for c in fields]
    select.append("versie" if "versie" in present else "1")
    select.append(f'"{_geometry_column(connection, laag)}"')
    row = connection.execute(
        f'SELECT {", ".join(select)} FROM "{laag}" WHERE id = ? ORDER BY fid LIMIT 1', (ident,)
    ).fetchone()
    if row is None:
        return None
    record: dict[str, object] = {}
    for column, value in zip(fields, row[: len(fields)], strict=True):
        record[column] = _number(value) if column in NUMERIC else _text(value)
    record["geometry"] = _gpkg.decode([row[-1]])[0]
    record["versie"] = int(row[-2])
    return record


def _changed(record: dict[str, object], changes: dict[str, object]) -> dict[str, object]:
    """The record with the changes applied (numbers as float, text as str, empty as None)."""
    out = dict(record)
    for column, value in changes.items():
        if column == "geometry":
            out[column] = value
        elif column in NUMERIC:
            out[column] = _number(value)
        else:
            out[column] = _text(value)
    return out


def _logged(record: dict[str, object]) -> dict[str, object]:
    """A record as the history keeps it (geometry as WKT to the millimetre)."""
    out = {k: v for k, v in record.items() if k != "geometry"}
    geometry = record.get("geometry")
    out["geometry"] = (
        None if geometry is None else shapely.to_wkt(geometry, rounding_precision=3)  # type: ignore[arg-type]
    )
    return {k: out[k] for k in record}
