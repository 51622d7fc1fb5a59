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
import logging
import os
import threading
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import psycopg
from psycopg import sql

from geo.aanbod import _pg_sql as q
from geo.aanbod._pg_accounts import PostgisAccounts
from geo.aanbod._pg_changes import history_frame, insert_wor, revert, set_row, stored_record
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
            return history_frame(conn)

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
    def _add(
        self,
        parts: Mapping[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]],
        *,
        user: str | Account | None,
    ) -> dict[str, builtins.list[str]]:
        """Rows of one or more layers: one transaction, one batch (one undoable change)."""
        prepared = {}
        for laag, (frame, wor) in parts.items():
            _check_layer(laag)
            extra = wor if wor is not None and len(wor) else None
            if frame.empty and extra is None:
                continue
            rows = q.normalised_rows(laag, frame)
            for values in rows:
                check_change(user, laag, None, q.record_of(laag, values, 1))
            prepared[laag] = (rows, extra)
        if not prepared:
            return {}
        batch, when = _batch(), _now()
        out: dict[str, builtins.list[str]] = {}
        with self._change() as conn:
            events: builtins.list[dict[str, object]] = []
            for laag, (rows, extra) in prepared.items():
                out[laag] = self._allocate(conn, laag, len(rows)) if rows else []
                for values, ident in zip(rows, out[laag], strict=True):
                    values["id"] = ident
                q.copy_rows(conn, laag, rows)
                events.extend(
                    _event(
                        when,
                        user,
                        "toegevoegd",
                        laag,
                        v["id"],
                        None,
                        q.record_of(laag, v, 1),
                        batch,
                    )
                    for v in rows
                )
                if extra is not None:
                    insert_wor(conn, extra, batch)
                    events.append(
                        _event(
                            when, user, "toegevoegd", "wor_deelnemers", "", None,
                            {"rijen": len(extra)}, batch,
                        )
                    )  # fmt: skip
            q.copy_history(conn, events)
            self._after_rows_written(next(iter(prepared)))
        for laag, ids in out.items():
            logger.info("register (server): %d rij(en) toegevoegd aan %s", len(ids), laag)
        return out

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
            set_row(conn, laag, ident, wanted)
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
            history = history_frame(conn)
            batch = choose_undo(history, user)
            events = history[history["batch"] == batch]
            when = _now()
            undo_batch = _batch()
            undo_events = []
            for event in events.iloc[::-1].itertuples():
                before, after = revert(conn, event, batch)
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
            except psycopg.Error as exc:  # e.g. a table changed by hand: rolled back
                primary = exc.diag.message_primary or str(exc)
                raise DataError(
                    f"de database {self.location} weigerde dit: {primary}.",
                    hint="er is niets gewijzigd; controleer het schema met "
                    "'wijkkompas database migreer'.",
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
        old = stored_record(conn, laag, ident, lock=True)
        if old is None:
            if versie is not None:  # read once, gone now: a conflict, not a typo
                raise conflict_error(laag, ident, read=versie, stored=None, mine=mine, theirs=None)
            raise missing_row(laag, ident)
        return old

    def _after_rows_written(self, laag: str) -> None:
        """Hook inside an import's transaction, after the rows (tests kill the process here)."""


def _batch() -> str:
    return uuid.uuid4().hex
