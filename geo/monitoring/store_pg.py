"""The monitoring tables in the PostgreSQL register (migration ``0003_monitoring.sql``).

Every change is one transaction that first takes ``LOCK monitoring_historie IN EXCLUSIVE
MODE`` (readers go on), so id counters, rows and history change together and an undo's
choice of the last change stays right. The schema is brought up to date by the register's
migrations (``wijkkompas database init|migreer``; a fresh database on the first change).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from geo.aanbod.migrate import check_version, connect, migrate, schema_version
from geo.monitoring.store import HISTORY, MonitoringStore

logger = logging.getLogger(__name__)


class _PgCursor:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.conn.execute(sql.encode(), tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []


class PostgisMonitoringStore(MonitoringStore):
    """Monitoring tables in the register's PostgreSQL database."""

    def __init__(self, register: Any) -> None:
        self.register = register
        self.url: str = register.url
        self.location = register.location

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[_PgCursor | None]:
        with connect(self.url, autocommit=True) as conn:
            found = schema_version(conn)
            if found == 0 and write:
                migrate(self.url)
                found = schema_version(conn)
            if found == 0:
                yield None
                return
            check_version(found, self.url)
            with conn.transaction():
                if write:
                    conn.execute(f"LOCK TABLE {HISTORY} IN EXCLUSIVE MODE".encode())
                yield _PgCursor(conn)
