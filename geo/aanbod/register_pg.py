"""The aanbod register on a PostgreSQL + PostGIS server (several partners editing at once).

Layers are PostGIS tables in EPSG:28992 with GiST indexes; history, id counters and accounts
are tables too (see ``geo/aanbod/migrations/``). Every change is one transaction with its
history rows in it, so a crash leaves the state before or after the change:

* an edit or removal locks its row (``SELECT ... FOR UPDATE``) and compares the ``versie`` the
  caller read, so concurrent edits never lose an update: the second gets a conflict;
* an import takes its ids from the locked ``id_teller`` row (disjoint ranges, never reused)
  and writes rows and history with COPY;
* an undo locks the history table against writers (``EXCLUSIVE``; readers go on), so the
  change it picks is still the last one when it reverts it. Every writer takes the history
  lock before any row lock, so writers cannot deadlock.

The schema is created on the first change (or by ``wijkkompas database init``); a database
with an older schema must be migrated (``wijkkompas database migreer``), one with a newer
schema than this program knows is refused before anything is read or written.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
from psycopg import sql

from geo.aanbod import _pg_sql as q
from geo.aanbod._pg_accounts import PostgisAccounts
from geo.aanbod.accounts import Account, check_change
from geo.aanbod.migrate import (
    check_version,
    connect,
    describe_url,
    migrate,
    schema_version,
)
from geo.aanbod.register import (
    HISTORY_COLUMNS,
    AanbodRegister,
    _check_layer,
    _describe,
    _event,
    _now,
    check_fields,
    choose_undo,
    conflict_error,
    empty_layer,
    missing_row,
    next_ids,
)
from geo.aanbod.schema import WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError

logger = logging.getLogger(__name__)


class PostgisRegister(PostgisAccounts, AanbodRegister):
    """The register in a PostgreSQL database with PostGIS.

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/database``.

    Examples
    --------
    >>> register = PostgisRegister("postgresql://wk:geheim@127.0.0.1/wijkkompas")  # doctest: +SKIP
    >>> register.add("activiteiten", result.frame, user="kerngroep")  # doctest: +SKIP
    ['act-000001', 'act-000002']
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: psycopg.Connection[Any] | None = None
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._version: int | None = None

    def __repr__(self) -> str:
        return f"PostgisRegister({self.location!r})"

    # -- where -------------------------------------------------------------------------
    @property
    def exists(self) -> bool:  # noqa: D102
        return self._schema() > 0

    @property
    def location(self) -> str:  # noqa: D102
        return "postgresql://" + describe_url(self.url)

    def stamp(self) -> str:
        """A token that changes with every committed change (for caches keyed on the register).

        A folder's file stamp does not see changes on the server; the app can add this to its
        cache keys. Cheap: the newest history sequence number (every change writes history).
        """
        if not self.exists:
            return "leeg"
        with self._session() as conn:
            row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM history").fetchone()
        return "leeg" if row is None else f"{row[0]}-{row[1]}"

    def close(self) -> None:
        """Close the connection (a later call opens a new one)."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    # -- reading -----------------------------------------------------------------------
    def list(self, laag: str) -> gpd.GeoDataFrame:  # noqa: D102
        _check_layer(laag)
        if not self.exists:
            frame = empty_layer(laag)
            frame["versie"] = pd.Series(dtype="int64")
            return frame
        with self._session() as conn, conn.cursor(binary=True) as cur:
            rows = cur.execute(q.select_layer(laag)).fetchall()
        return q.frame_from_rows(laag, rows)

    def history(self) -> pd.DataFrame:  # noqa: D102
        if not self.exists:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        with self._session() as conn:
            return _history(conn)

    def wor_deelnemers(self) -> pd.DataFrame:  # noqa: D102
        if not self.exists:
            return pd.DataFrame(columns=WOR_DEELNEMERS_COLUMNS)
        with self._session() as conn:
            rows = conn.execute(
                "SELECT wijk_code, jaar, deelnemers, bron FROM wor_deelnemers ORDER BY fid"
            ).fetchall()
        return pd.DataFrame(rows, columns=WOR_DEELNEMERS_COLUMNS).astype(
            {"jaar": float, "deelnemers": float}
        )

    # -- changing ----------------------------------------------------------------------
    def add(  # noqa: D102
        self,
        laag: str,
        frame: gpd.GeoDataFrame,
        *,
        user: str | Account | None = None,
        wor_deelnemers: pd.DataFrame | None = None,
    ) -> builtins.list[str]:
        _check_layer(laag)
        extra = wor_deelnemers if wor_deelnemers is not None and len(wor_deelnemers) else None
        if frame.empty and extra is None:
            return []
        rows = q.normalised_rows(laag, frame)
        for values in rows:
            check_change(user, laag, None, q.record_of(laag, values, 1))
        batch = uuid.uuid4().hex
        when = _now()
        with self._change() as conn:
            ids: builtins.list[str] = []
            if rows:
                ids = self._allocate(conn, laag, len(rows))
                for values, ident in zip(rows, ids, strict=True):
                    values["id"] = ident
                q.copy_rows(conn, laag, rows)
            events = [
                _event(
                    when, user, "toegevoegd", laag, v["id"], None, q.record_of(laag, v, 1), batch
                )
                for v in rows
            ]
            if extra is not None:
                _insert_wor(conn, extra, batch)
                events.append(
                    _event(
                        when,
                        user,
                        "toegevoegd",
                        "wor_deelnemers",
                        "",
                        None,
                        {"rijen": len(extra)},
                        batch,
                    )
                )
            q.copy_history(conn, events)
            self._after_rows_written(laag)
        logger.info("register (server): %d rij(en) toegevoegd aan %s", len(rows), laag)
        return ids

    def update(  # noqa: D102
        self,
        laag: str,
        ident: str,
        changes: dict[str, object],
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> int:
        _check_layer(laag)
        check_fields(laag, changes)
        wanted = {c: q.normalise(laag, c, v, strict=True) for c, v in changes.items()}
        with self._change() as conn:
            old = self._locked(conn, laag, ident, versie, q.record_of(laag, wanted, 0))
            stored = int(old["versie"])  # type: ignore[call-overload]
            values = {**old, **wanted}
            if versie is not None and versie != stored:
                raise conflict_error(
                    laag,
                    ident,
                    read=versie,
                    stored=stored,
                    mine=q.record_of(laag, values, versie),
                    theirs=old,
                )
            new = q.record_of(laag, values, stored + 1)
            check_change(user, laag, old, new)
            _set_row(conn, laag, ident, wanted)
            q.copy_history(
                conn, [_event(_now(), user, "gewijzigd", laag, ident, old, new, _batch())]
            )
        return stored + 1

    def remove(  # noqa: D102
        self,
        laag: str,
        ident: str,
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> None:
        _check_layer(laag)
        with self._change() as conn:
            old = self._locked(conn, laag, ident, versie, None)
            if versie is not None and versie != old["versie"]:
                raise conflict_error(
                    laag,
                    ident,
                    read=versie,
                    stored=int(old["versie"]),  # type: ignore[call-overload]
                    mine=None,
                    theirs=old,
                )
            check_change(user, laag, old, None)
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE id = %s").format(sql.Identifier(laag)), [ident]
            )
            q.copy_history(
                conn, [_event(_now(), user, "verwijderd", laag, ident, old, None, _batch())]
            )

    def undo(self, *, user: str | Account | None = None) -> str:  # noqa: D102
        if not self.exists:
            raise DataError("er is geen wijziging om ongedaan te maken.")
        with self._change(exclusive=True) as conn:
            history = _history(conn)
            batch = choose_undo(history, user)
            events = history[history["batch"] == batch]
            when = _now()
            undo_batch = _batch()
            undo_events = []
            for event in events.iloc[::-1].itertuples():
                before, after = _revert(conn, event, batch)
                undo_events.append(
                    _event(
                        when,
                        user,
                        f"ongedaan: {event.actie}",
                        str(event.laag),
                        str(event.id),
                        before,
                        after,
                        undo_batch,
                        herstelt=batch,
                    )
                )
            q.copy_history(conn, undo_events)
        return f"{_describe(events)} ongedaan gemaakt"

    # -- storage -------------------------------------------------------------------------
    def _connection(self) -> psycopg.Connection[Any]:
        if self._pid != os.getpid():  # a forked child never shares its parent's socket
            self._conn, self._pid = None, os.getpid()
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self.url)
        return self._conn

    @contextlib.contextmanager
    def _session(self) -> Iterator[psycopg.Connection[Any]]:
        """The connection, for one operation at a time; a lost connection is a Dutch error."""
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except psycopg.OperationalError as exc:
                self._conn = None
                raise DataError(
                    f"de verbinding met {self.location} is verbroken: {exc}".strip(),
                    hint="probeer het opnieuw; er is niets half opgeslagen.",
                ) from None

    @contextlib.contextmanager
    def _change(self, *, exclusive: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction (schema created first if the database is still empty)."""
        if self._schema() == 0:
            logger.info("register (server): schema aanmaken in %s", self.location)
            migrate(self.url)
            self._version = None
            self._schema()
        mode = "EXCLUSIVE" if exclusive else "ROW EXCLUSIVE"
        with self._session() as conn, conn.transaction():
            conn.execute(f"LOCK TABLE history IN {mode} MODE")  # type: ignore[arg-type]
            yield conn

    def _schema(self) -> int:
        """The schema version (0: empty database); refuses an older or newer schema."""
        if self._version is None or self._version == 0:
            with self._session() as conn:
                found = schema_version(conn)
            if found != 0:
                check_version(found, self.url)
            self._version = found
        return self._version

    def _allocate(self, conn: psycopg.Connection[Any], laag: str, count: int) -> builtins.list[str]:
        row = conn.execute(
            "UPDATE id_teller SET laatste = laatste + %s WHERE laag = %s RETURNING laatste",
            [count, laag],
        ).fetchone()
        assert row is not None  # one row per layer since migration 0001
        prefix = next_ids(laag, [], 1)[0].split("-")[0]
        return next_ids(laag, [f"{prefix}-{int(row[0]) - count}"], count)

    def _locked(
        self,
        conn: psycopg.Connection[Any],
        laag: str,
        ident: str,
        versie: int | None,
        mine: dict[str, object] | None,
    ) -> dict[str, object]:
        """The stored record of a row (with ``versie``), locked until the transaction ends."""
        old = _stored(conn, laag, ident, lock=True)
        if old is None:
            if versie is not None:  # read once, gone now: a conflict, not a typo
                raise conflict_error(laag, ident, read=versie, stored=None, mine=mine, theirs=None)
            raise missing_row(laag, ident)
        return old

    def _after_rows_written(self, laag: str) -> None:
        """Hook inside an import's transaction, after the rows (tests kill the process here)."""


def _batch() -> str:
    return uuid.uuid4().hex


def _history(conn: psycopg.Connection[Any]) -> pd.DataFrame:
    query = sql.SQL("SELECT {} FROM history ORDER BY seq").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in HISTORY_COLUMNS)
    )
    rows = conn.execute(query).fetchall()
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).fillna("")


def _insert_wor(conn: psycopg.Connection[Any], frame: pd.DataFrame, batch: str) -> None:
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY wor_deelnemers (wijk_code, jaar, deelnemers, bron, batch) FROM STDIN"
        ) as copy,
    ):
        for row in frame[WOR_DEELNEMERS_COLUMNS].itertuples(index=False):
            copy.write_row(
                [
                    q.normalise("wor_deelnemers", "wijk_code", row.wijk_code),
                    q.normalise("wor_deelnemers", "jaar", row.jaar),
                    q.normalise("wor_deelnemers", "deelnemers", row.deelnemers),
                    q.normalise("wor_deelnemers", "bron", row.bron),
                    batch,
                ]
            )


def _stored(
    conn: psycopg.Connection[Any], laag: str, ident: str, *, lock: bool = False
) -> dict[str, object] | None:
    with conn.cursor(binary=True) as cur:
        row = cur.execute(q.select_layer(laag, where="id = %s", lock=lock), [ident]).fetchone()
    return None if row is None else q.record_from_row(laag, row)


def _set_row(
    conn: psycopg.Connection[Any],
    laag: str,
    ident: str,
    values: dict[str, object],
    *,
    versie: int | None = None,
) -> None:
    """``UPDATE`` fields of a row (normalised values); ``versie`` + 1 unless one is given."""
    sets: builtins.list[sql.Composable] = [
        sql.SQL("{} = ST_GeomFromEWKB(decode(%s, 'hex'))").format(sql.Identifier(c))
        if c == "geometry"
        else sql.SQL("{} = %s").format(sql.Identifier(c))
        for c in values
        if c not in ("id", "versie")
    ]
    params: builtins.list[object] = [
        q.ewkb(v) if c == "geometry" else v for c, v in values.items() if c not in ("id", "versie")
    ]
    sets.append(sql.SQL("versie = versie + 1" if versie is None else "versie = %s"))
    if versie is not None:
        params.append(versie)
    conn.execute(
        sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(laag), sql.SQL(", ").join(sets)
        ),
        [*params, ident],
    )


def _revert(
    conn: psycopg.Connection[Any], event: Any, batch: str
) -> tuple[dict[str, object] | None, dict[str, object] | None]:
    """Undo one history event in the undo's transaction; the records before and after it."""
    laag = str(event.laag)
    if laag == "wor_deelnemers":
        gone = conn.execute("DELETE FROM wor_deelnemers WHERE batch = %s", [batch]).rowcount
        if gone == 0:  # rows written before there was a batch (copied from a GeoPackage)
            count = int(json.loads(event.nieuw)["rijen"])
            conn.execute(
                "DELETE FROM wor_deelnemers WHERE fid IN "
                "(SELECT fid FROM wor_deelnemers ORDER BY fid DESC LIMIT %s)",
                [count],
            )
        return None, None
    ident = str(event.id)
    current = _stored(conn, laag, ident, lock=True)
    if event.actie == "toegevoegd":
        if current is not None:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE id = %s").format(sql.Identifier(laag)), [ident]
            )
        return current, None
    old = json.loads(event.oud)
    values = {c: q.normalise(laag, c, old.get(c)) for c in [*q.FIELDS[laag], "geometry"]}
    base = int(current["versie"]) if current else int(old.get("versie") or 1)  # type: ignore[call-overload]
    if current is None:  # a removal (or an edit of a row that is gone): put the old row back
        q.copy_rows(conn, laag, [values], versies=[base + 1])
    else:
        _set_row(conn, laag, ident, values, versie=base + 1)
    return current, q.record_of(laag, values, base + 1)
