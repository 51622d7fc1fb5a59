"""Copy the monitoring tables between backends (GeoPackage ↔ PostGIS), ids and history kept.

The companion of ``wijkkompas aanbod kopieer`` (which copies the aanbod register): run it
after that one to move measurements and notes too. The source is read in one transaction,
the target written in one; a target that already holds measurements or notes is refused.
"""

from __future__ import annotations

import logging

from geo.errors import DataError
from geo.monitoring.store import (
    COUNTERS,
    HISTORY,
    HISTORY_COLUMNS,
    MEASUREMENT_COLUMNS,
    MEASUREMENTS,
    NOTE_COLUMNS,
    NOTES,
    MonitoringStore,
)

logger = logging.getLogger(__name__)

_TABLES = {
    MEASUREMENTS: MEASUREMENT_COLUMNS,
    NOTES: NOTE_COLUMNS,
    HISTORY: HISTORY_COLUMNS,
    COUNTERS: ["tabel", "laatste"],
}


def copy_monitoring(source: MonitoringStore, target: MonitoringStore) -> dict[str, int]:
    """Copy every monitoring row (measurements, notes, history, counters) to an empty target.

    Returns
    -------
    dict
        Rows copied per table.

    Raises
    ------
    DataError
        The target already holds monitoring rows (nothing is written).

    Examples
    --------
    >>> copy_monitoring(open_monitoring("data", database_url=""),
    ...                 open_monitoring("data", database_url=url))  # doctest: +SKIP
    {'monitoring_metingen': 12, 'gebied_notities': 3, ...}
    """
    rows: dict[str, list[tuple[object, ...]]] = {}
    with source._transaction(write=False) as cur:
        for table, columns in _TABLES.items():
            rows[table] = [] if cur is None else cur.run(
                f"SELECT {', '.join(columns)} FROM {table}"
            )
    with target._transaction(write=True) as cur:
        assert cur is not None
        for table in (MEASUREMENTS, NOTES, HISTORY):
            found = cur.run(f"SELECT count(*) FROM {table}")[0][0]
            if int(found):
                raise DataError(
                    f"het doel bevat al monitoringgegevens ({found} rij(en) in {table}); "
                    "er is niets gekopieerd.",
                    value=target.location,
                    hint="kopieer naar een lege opslag; kopiëren overschrijft nooit.",
                )
        cur.run(f"DELETE FROM {COUNTERS}")
        for table, columns in _TABLES.items():
            marks = ", ".join(["%s"] * len(columns))
            for row in rows[table]:
                cur.run(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", row)
    counts = {table: len(found) for table, found in rows.items()}
    logger.info("monitoring gekopieerd naar %s: %s", target.location, counts)
    return counts
