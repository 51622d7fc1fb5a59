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
from importlib import resources

from geo.aanbod import _gpkg
from geo.aanbod.register_gpkg import GeoPackageRegister
from geo.aanbod.side_tables import GeoPackageSideTables
from geo.monitoring.store import (
    COUNTERS,
    HISTORY,
    MEASUREMENTS,
    NOTES,
    MonitoringStore,
    _iter_statements,
)

logger = logging.getLogger(__name__)


class GeoPackageMonitoringStore(GeoPackageSideTables, MonitoringStore):
    """Monitoring tables in the data folder's GeoPackage register."""

    register: GeoPackageRegister
    marker_table = MEASUREMENTS
    creator = "wijkkompas monitoring"

    def _ensure_tables(self, connection: sqlite3.Connection) -> None:
        _ensure_tables(connection)


MIGRATION = "0003_monitoring.sql"
"""The PostGIS migration whose tables the GeoPackage register holds too."""


def _ensure_tables(connection: sqlite3.Connection) -> None:
    if _gpkg.columns_of(connection, MEASUREMENTS):
        return
    # the same tables as the PostGIS migration (one schema, two backends)
    sql = (
        resources.files("geo.aanbod").joinpath("migrations", MIGRATION).read_text(encoding="utf-8")
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
