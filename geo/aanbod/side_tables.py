"""Tables kept beside the aanbod in the register's own store (monitoring, scenarios).

Both backends of the register can hold more than the aanbod: the monitoring measurements and
notes (:mod:`geo.monitoring.store`) and the scenarios (:mod:`geo.analysis.scenario_store`).
Their stores share how a transaction is opened, which this module holds once:

* :class:`GeoPackageSideTables`: a connection from :func:`geo.aanbod._gpkg.connect`, every
  change one ``BEGIN IMMEDIATE`` transaction (SQLite's write lock covers the
  read-modify-write), rolled back on any error. The first change in a folder without a
  register creates it the way every first change does (the partner files are taken in first);
  reading a register without the tables yields nothing.
* :class:`PostgisSideTables`: the register's database, migrated on the first change when its
  schema is older than the tables need; a change locks its table for the transaction.

A store's SQL is written once with ``%s`` placeholders; the cursors run it on either backend.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class SqliteCursor:
    """Runs ``%s``-style SQL on a SQLite connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Execute one statement; its rows (empty for statements without a result)."""
        return self.connection.execute(sql.replace("%s", "?"), tuple(params)).fetchall()


class PgCursor:
    """Runs ``%s``-style SQL on a psycopg connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Execute one statement; its rows (empty for statements without a result)."""
        cursor = self.conn.execute(sql.encode(), tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []


class GeoPackageSideTables:
    """Transactions on tables inside the data folder's GeoPackage register.

    Subclasses name :attr:`marker_table` (present once the tables exist), :attr:`creator`
    (the user recorded when a first change creates the register) and create their tables in
    :meth:`_ensure_tables`.
    """

    marker_table: str = ""
    creator: str = "wijkkompas"

    def __init__(self, register: Any, *, data_dir: str | Path, areas: Any = None) -> None:
        self.register = register
        self.path = Path(register.location)
        self.location = str(self.path)
        self.data_dir = Path(data_dir)
        self.areas = areas

    def _ensure_tables(self, connection: sqlite3.Connection) -> None:
        raise NotImplementedError

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[SqliteCursor | None]:
        from geo.aanbod import _gpkg

        if not self.path.exists():
            if not write:
                yield None
                return
            self._create_register()
        connection = _gpkg.connect(self.path)
        try:
            if not write and not _gpkg.columns_of(connection, self.marker_table):
                yield None
                return
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write and not _gpkg.columns_of(connection, self.marker_table):
                self._ensure_tables(connection)
            yield SqliteCursor(connection)
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
        from geo.aanbod import _gpkg
        from geo.aanbod.partners import adopt_partner_files

        adopt_partner_files(self.data_dir, self.register, areas=self.areas, user=self.creator)
        if not self.path.exists():
            _gpkg.create(self.path)


class PostgisSideTables:
    """Transactions on tables in the server register's database.

    Subclasses name :attr:`needs_version` (the migration that creates their tables) and
    :attr:`lock_table` (locked in exclusive mode for a change).
    """

    needs_version: int = 1
    lock_table: str = ""

    def __init__(self, register: Any) -> None:
        self.register = register
        self.url: str = register.url
        self.location = register.location

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[PgCursor | None]:
        from geo.aanbod.migrate import check_version, connect, migrate, schema_version

        with connect(self.url, autocommit=True) as conn:
            found = schema_version(conn)
            if write and found < self.needs_version:
                migrate(self.url)
                found = schema_version(conn)
            if found < self.needs_version:
                yield None
                return
            check_version(found, self.url)
            with conn.transaction():
                if write:
                    conn.execute(f"LOCK TABLE {self.lock_table} IN EXCLUSIVE MODE".encode())
                yield PgCursor(conn)
