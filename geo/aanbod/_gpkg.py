"""Low-level GeoPackage access with plain :mod:`sqlite3`: geometry blobs, connection, schema.

A GeoPackage is SQLite. Rows are changed in SQLite transactions; the R-tree triggers GDAL
created call ``ST_IsEmpty`` and ``ST_MinX`` …, which this module registers on every
connection (parsing the GeoPackageBinary header), so the spatial index stays right and the
file stays a valid GeoPackage that GDAL, pyogrio and QGIS open.

The register's own tables (``gebruikers``, ``wijkkompas_register``) and the ``versie``
columns are added by :func:`migrate`, in the write transaction, the first time a register
written by an older Wijkkompas (or by ``wijkkompas fetch``) is opened for writing.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.aanbod.register import HISTORY_COLUMNS, ID_PREFIX, _write_layer, empty_layer
from geo.aanbod.schema import LAYERS, WOR_DEELNEMERS_COLUMNS

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2
"""1: the register of before issue 11 (no versie); 2: versie, accounts, counters, batch."""
META_TABLE = "wijkkompas_register"
ACCOUNTS_TABLE = "gebruikers"
SRS_ID = 28992
BUSY_TIMEOUT_S = 60.0
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


# -- geometry ---------------------------------------------------------------------------------
def encode(geometry: BaseGeometry | None) -> bytes | None:
    """GeoPackageBinary of a geometry (little-endian, xy envelope except for points)."""
    if geometry is None:
        return None
    if geometry.is_empty:
        return b"GP\x00\x11" + struct.pack("<i", SRS_ID) + shapely.to_wkb(geometry, byte_order=1)
    wkb = shapely.to_wkb(geometry, byte_order=1, output_dimension=2)
    if geometry.geom_type == "Point":
        return b"GP\x00\x01" + struct.pack("<i", SRS_ID) + wkb
    minx, miny, maxx, maxy = geometry.bounds
    return b"GP\x00\x03" + struct.pack("<i4d", SRS_ID, minx, maxx, miny, maxy) + wkb


def decode(blobs: Sequence[bytes | None]) -> np.ndarray:
    """Shapely geometries of GeoPackageBinary blobs (``None`` stays ``None``)."""
    wkbs: list[bytes | None] = []
    for blob in blobs:
        if blob is None:
            wkbs.append(None)
            continue
        flags = blob[3]
        wkbs.append(bytes(blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0) :]))
    return shapely.from_wkb(np.array(wkbs, dtype=object))


def _bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) from the header envelope, else from the WKB."""
    if blob is None or len(blob) < 8 or blob[3] & 0x10:
        return None
    flags = blob[3]
    if (flags >> 1) & 0x07:
        order = "<" if flags & 0x01 else ">"
        minx, maxx, miny, maxy = struct.unpack_from(order + "4d", blob, 8)
        return minx, maxx, miny, maxy
    geometry = decode([blob])[0]
    if geometry is None or geometry.is_empty:
        return None
    minx, miny, maxx, maxy = geometry.bounds
    return minx, maxx, miny, maxy


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    return int(_bounds(blob) is None)


def _bound(index: int):  # noqa: ANN202
    def function(blob: bytes | None) -> float | None:
        bounds = _bounds(blob)
        return None if bounds is None else bounds[index]

    return function


# -- connection -------------------------------------------------------------------------------
def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with the ST_ functions."""
    connection = sqlite3.connect(
        f"file:{path}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
    )
    connection.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _bound(index), deterministic=True)
    connection.execute("PRAGMA foreign_keys = OFF")
    return connection


def columns_of(connection: sqlite3.Connection, table: str) -> list[str]:
    """Column names of a table (empty when the table is absent)."""
    return [str(row[1]) for row in connection.execute(f'PRAGMA table_info("{table}")')]


def schema_version(connection: sqlite3.Connection) -> int:
    """The register schema of an open file (1 for registers of before issue 11)."""
    if not columns_of(connection, META_TABLE):
        return 1
    row = connection.execute(f"SELECT waarde FROM {META_TABLE} WHERE sleutel = 'schema'").fetchone()
    return int(row[0]) if row else 1


# -- creating and migrating -------------------------------------------------------------------
def create(path: Path) -> None:
    """Create an empty register (GDAL writes the GeoPackage skeleton), atomically.

    The register is built in a temporary file and hard-linked into place, which fails when
    another process created it meanwhile: then theirs is kept and ours discarded.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".register-", suffix=".gpkg")
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()
    try:
        import pyogrio

        for laag in LAYERS:
            _write_layer(tmp, laag, empty_layer(laag))
        pyogrio.write_dataframe(
            pd.DataFrame({c: pd.Series(dtype=str) for c in HISTORY_COLUMNS}),
            tmp,
            layer="history",
        )
        wor = pd.DataFrame(
            {
                c: pd.Series(dtype=float if c in ("jaar", "deelnemers") else str)
                for c in WOR_DEELNEMERS_COLUMNS
            }
        )
        pyogrio.write_dataframe(wor, tmp, layer="wor_deelnemers")
        connection = connect(tmp)
        try:
            connection.execute("BEGIN IMMEDIATE")
            migrate(connection)
            connection.execute("COMMIT")
        finally:
            connection.close()
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        try:
            os.link(tmp, path)  # atomic, and refuses to replace a register made meanwhile
        except FileExistsError:
            return
        except OSError:  # a file system without hard links
            if path.exists():
                return
            os.replace(tmp, path)
        logger.info("register aangemaakt: %s", path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            if leftover.exists():
                leftover.unlink()


def migrate(connection: sqlite3.Connection) -> bool:
    """Bring a register to :data:`SCHEMA_VERSION` inside the caller's write transaction.

    Returns True when something was added. Adds the ``versie`` column to every layer (1 for
    existing rows), an index on ``id``, the ``batch`` column of ``wor_deelnemers``, the
    accounts table and the table with the schema version and the id counters.
    """
    found = schema_version(connection)
    if found >= SCHEMA_VERSION:
        return False
    for laag in LAYERS:
        if not columns_of(connection, laag):
            _create_layer_table(connection, laag)
        if "versie" not in columns_of(connection, laag):
            connection.execute(f'ALTER TABLE "{laag}" ADD COLUMN versie INTEGER NOT NULL DEFAULT 1')
        connection.execute(f'CREATE INDEX IF NOT EXISTS "idx_{laag}_id" ON "{laag}" (id)')
    if not columns_of(connection, "history"):
        connection.execute(
            'CREATE TABLE "history" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            + ", ".join(f'"{c}" TEXT' for c in HISTORY_COLUMNS)
            + ")"
        )
        _register_attributes(connection, "history")
    connection.execute('CREATE INDEX IF NOT EXISTS "idx_history_batch" ON "history" (batch)')
    if not columns_of(connection, "wor_deelnemers"):
        connection.execute(
            'CREATE TABLE "wor_deelnemers" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            '"wijk_code" TEXT, "jaar" REAL, "deelnemers" REAL, "bron" TEXT)'
        )
        _register_attributes(connection, "wor_deelnemers")
    if "batch" not in columns_of(connection, "wor_deelnemers"):
        connection.execute('ALTER TABLE "wor_deelnemers" ADD COLUMN batch TEXT')
    if not columns_of(connection, ACCOUNTS_TABLE):
        connection.execute(
            f'CREATE TABLE "{ACCOUNTS_TABLE}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            '"naam" TEXT NOT NULL UNIQUE, "rol" TEXT NOT NULL, "organisatie" TEXT, '
            '"email" TEXT, "wachtwoord_hash" TEXT, "mislukt" INTEGER NOT NULL DEFAULT 0, '
            '"geblokkeerd_tot" TEXT, "aangemaakt" TEXT)'
        )
    if not columns_of(connection, META_TABLE):
        connection.execute(
            f'CREATE TABLE "{META_TABLE}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            '"sleutel" TEXT NOT NULL UNIQUE, "waarde" TEXT)'
        )
    counters = {f"teller_{laag}": _highest_number(connection, laag) for laag in LAYERS}
    set_meta(connection, {**counters, "schema": str(SCHEMA_VERSION)})
    logger.info("register bijgewerkt van schema %d naar %d", found, SCHEMA_VERSION)
    return True


def set_meta(connection: sqlite3.Connection, values: dict[str, object]) -> None:
    """Store key/value pairs in the register's own table."""
    connection.executemany(
        f'INSERT INTO "{META_TABLE}" (sleutel, waarde) VALUES (?, ?) '
        "ON CONFLICT (sleutel) DO UPDATE SET waarde = excluded.waarde",
        [(key, str(value)) for key, value in values.items()],
    )


def get_meta(connection: sqlite3.Connection, key: str) -> str | None:
    """A value of the register's own table."""
    row = connection.execute(
        f'SELECT waarde FROM "{META_TABLE}" WHERE sleutel = ?', (key,)
    ).fetchone()
    return None if row is None else str(row[0])


def highest_id_in_layer(connection: sqlite3.Connection, laag: str) -> int:
    """The highest number of the layer's own ids (``act-000123`` -> 123), via the id index."""
    prefix = ID_PREFIX[laag] + "-"
    row = connection.execute(
        f'SELECT id FROM "{laag}" WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1',
        (prefix, prefix[:-1] + "."),
    ).fetchone()
    return _number(row[0] if row else None, prefix)


def _highest_number(connection: sqlite3.Connection, laag: str) -> int:
    prefix = ID_PREFIX[laag] + "-"
    ids: Iterable[tuple[object]] = connection.execute(
        f'SELECT id FROM "{laag}" UNION SELECT id FROM history WHERE laag = ?', (laag,)
    )
    return max((_number(i[0], prefix) for i in ids), default=0)


def _number(ident: object, prefix: str) -> int:
    text = str(ident or "")
    tail = text[len(prefix) :]
    return int(tail) if text.startswith(prefix) and tail.isdigit() else 0


def _create_layer_table(connection: sqlite3.Connection, laag: str) -> None:
    """A layer missing from an old register: created as GDAL would (without R-tree)."""
    from geo.aanbod.register import GEOMETRY_TYPES, NUMERIC
    from geo.aanbod.schema import COLUMNS

    fields = ", ".join(
        f'"{c}" {"REAL" if c in NUMERIC else "TEXT"}' for c in COLUMNS[laag] if c != "geometry"
    )
    connection.execute(
        f'CREATE TABLE "{laag}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
        f'"geom" {GEOMETRY_TYPES[laag].upper().replace("UNKNOWN", "GEOMETRY")}, {fields})'
    )
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES (?, 'features', ?, ?)",
        (laag, laag, SRS_ID),
    )
    connection.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
        (laag, GEOMETRY_TYPES[laag].upper().replace("UNKNOWN", "GEOMETRY"), SRS_ID),
    )


def _register_attributes(connection: sqlite3.Connection, table: str) -> None:
    connection.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES (?, 'attributes', ?, 0)",
        (table, table),
    )
