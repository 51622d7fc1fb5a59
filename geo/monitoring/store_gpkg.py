"""The monitoring tables inside the GeoPackage register (``aanbod/register.gpkg``).

Same file, same approach as :class:`~geo.aanbod.register_gpkg.GeoPackageRegister`: a
connection from :func:`geo.aanbod._gpkg.connect`, every change one ``BEGIN IMMEDIATE``
transaction (SQLite's write lock covers the read-modify-write; writers wait up to 60 s),
rolled back on any error. The tables are plain SQLite tables registered in
``gpkg_contents`` as ``attributes``, so GDAL and QGIS list them. The first change in a
folder without a register creates it the way every first change does (the folder's partner
files are taken in first).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from geo.aanbod import _gpkg
from geo.aanbod.register_gpkg import GeoPackageRegister
from geo.monitoring.store import (
    COUNTERS,
    HISTORY,
    MEASUREMENTS,
    NOTES,
    MonitoringStore,
    _iter_statements,
)

logger = logging.getLogger(__name__)


class _SqliteCursor:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql.replace("%s", "?"), tuple(params)).fetchall()


class GeoPackageMonitoringStore(MonitoringStore):
    """Monitoring tables in the data folder's GeoPackage register."""

    register: GeoPackageRegister

    def __init__(
        self, register: GeoPackageRegister, *, data_dir: str | Path, areas: Any = None
    ) -> None:
        self.register = register
        self.path = Path(register.location)
        self.location = str(self.path)
        self.data_dir = Path(data_dir)
        self.areas = areas

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[_SqliteCursor | None]:
        if not self.path.exists():
            if not write:
                yield None
                return
            self._create_register()
        connection = _gpkg.connect(self.path)
        try:
            if not write and not _gpkg.columns_of(connection, MEASUREMENTS):
                yield None
                return
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write:
                _ensure_tables(connection)
            yield _SqliteCursor(connection)
            connection.execute("COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):  # locked too long, damaged file
                raise self.register._unreadable(exc) from exc
            raise
        finally:
            connection.close()

    def _create_register(self) -> None:
        from geo.aanbod.partners import adopt_partner_files

        adopt_partner_files(
            self.data_dir, self.register, areas=self.areas, user="wijkkompas monitoring"
        )
        if not self.path.exists():
            _gpkg.create(self.path)


MIGRATION = "0003_monitoring.sql"
"""The PostGIS migration whose tables the GeoPackage register holds too."""


def _ensure_tables(connection: sqlite3.Connection) -> None:
    if _gpkg.columns_of(connection, MEASUREMENTS):
        return
    # the same tables as the PostGIS migration (one schema, two backends)
    sql = (
        resources.files("geo.aanbod")
        .joinpath("migrations", MIGRATION)
        .read_text(encoding="utf-8")
    )
    for statement in _iter_statements(sql):
        connection.execute(statement.replace("double precision", "REAL"))
    for table in (MEASUREMENTS, NOTES, HISTORY, COUNTERS):
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES (?, 'attributes', ?, 0)",
            (table, table),
        )
    logger.info("monitoringtabellen aangemaakt")
