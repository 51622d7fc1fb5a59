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


def _storage(frame: gpd.GeoDataFrame, laag: str) -> builtins.list[tuple[object, ...]]:
    """Rows as SQLite values: numbers as float, text as str, geometry as GeoPackageBinary."""
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    out = []
    for row in frame.itertuples(index=False):
        values: builtins.list[object] = []
        for column in fields:
            value = getattr(row, column)
            values.append(_number(value) if column in NUMERIC else _text(value))
        geometry = row.geometry
        if laag == "buurtmobiel" and geometry is not None and geometry.geom_type == "Polygon":
            geometry = shapely.MultiPolygon([geometry])
        values.append(int(getattr(row, "versie")))  # noqa: B009
        values.append(_gpkg.encode(geometry))
        out.append(tuple(values))
    return out


def _insert(connection: sqlite3.Connection, laag: str, rows: gpd.GeoDataFrame) -> None:
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    names = [*(f'"{c}"' for c in fields), "versie", f'"{_geometry_column(connection, laag)}"']
    connection.executemany(
        f'INSERT INTO "{laag}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
        _storage(rows, laag),
    )
    _touch(connection, laag, rows)


def _rewrite(connection: sqlite3.Connection, laag: str, ident: str, row: gpd.GeoDataFrame) -> None:
    fields = [c for c in COLUMNS[laag] if c != "geometry"]
    names = [*(f'"{c}"' for c in fields), "versie", f'"{_geometry_column(connection, laag)}"']
    connection.execute(
        f'UPDATE "{laag}" SET {", ".join(f"{n} = ?" for n in names)} WHERE id = ?',
        (*_storage(row, laag)[0], ident),
    )
    _touch(connection, laag, row)


def _touch(connection: sqlite3.Connection, laag: str, rows: gpd.GeoDataFrame) -> None:
    """Update the layer's ``last_change`` and grow its extent in ``gpkg_contents``."""
    geometries = rows.geometry[rows.geometry.notna() & ~rows.geometry.is_empty]
    stamp = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    if geometries.empty:
        connection.execute(
            f"UPDATE gpkg_contents SET last_change = {stamp} WHERE table_name = ?", (laag,)
        )
        return
    minx, miny, maxx, maxy = (float(v) for v in geometries.total_bounds)
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
    stored: gpd.GeoDataFrame,
    wanted: gpd.GeoDataFrame | None,
    changes: dict[str, object],
) -> None:
    if len(stored) and int(stored["versie"].iloc[0]) == int(versie):
        return
    theirs = _records(stored)[0] if len(stored) else None
    if wanted is not None:
        mine: dict[str, object] | None = {**_records(wanted)[0], "versie": versie}
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
