"""The register as a GeoPackage file (``aanbod/register.gpkg``), safe for several writers.

Every change is one SQLite transaction started with ``BEGIN IMMEDIATE``: it holds the write
lock for the whole read-modify-write, changes only the rows that change (feature rows,
history, counters in the same transaction) and commits, or rolls back on any error; after a
crash (even SIGKILL) SQLite's journal restores the state before the change. Each row has a
``versie``; an edit that names the version it read is refused when the row changed since.
"""

from __future__ import annotations

import builtins
import logging
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.aanbod import _gpkg
from geo.aanbod._gpkg_rows import (
    ACCOUNT_FIELDS,
    _account_row,
    _batch,
    _changed,
    _check_versie,
    _credentials,
    _empty,
    _fetch,
    _history,
    _insert,
    _log,
    _logged,
    _number,
    _select,
    _store,
    _text,
    _undo_event,
    _unknown_account,
)
from geo.aanbod.accounts import (
    Account,
    Credentials,
    check_change,
    decide_login,
    hash_password,
    validate_account,
)
from geo.aanbod.register import (
    HISTORY_COLUMNS,
    ID_PREFIX,
    AanbodRegister,
    _check_layer,
    _describe,
    _event,
    _now,
    _records,
    check_fields,
    choose_undo,
    missing_row,
)
from geo.aanbod.schema import COLUMNS, LAYERS, WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError, LoginError

logger = logging.getLogger(__name__)


class GeoPackageRegister(AanbodRegister):
    """The register as a GeoPackage file.

    Examples
    --------
    >>> register = GeoPackageRegister("data/aanbod/register.gpkg")  # doctest: +SKIP
    >>> ids = register.add("activiteiten", result.frame, user="kerngroep")  # doctest: +SKIP
    >>> register.update("activiteiten", ids[0], {"naam": "Inloop"}, versie=1)  # doctest: +SKIP
    2
    >>> register.undo()  # doctest: +SKIP
    '1 rij(en) gewijzigd in activiteiten ongedaan gemaakt'
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @property
    def exists(self) -> bool:  # noqa: D102
        return self.path.exists()

    @property
    def location(self) -> str:  # noqa: D102
        return str(self.path)

    # -- reading ---------------------------------------------------------------------------
    def list(self, laag: str) -> gpd.GeoDataFrame:  # noqa: D102
        _check_layer(laag)
        with self._reading() as connection:
            if connection is None:
                return _empty(laag)
            return _select(connection, laag)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """All layers by name, read in one transaction (one consistent state)."""
        with self._reading() as connection:
            if connection is None:
                return {laag: _empty(laag) for laag in LAYERS}
            return {laag: _select(connection, laag) for laag in LAYERS}

    def history(self) -> pd.DataFrame:  # noqa: D102
        with self._reading() as connection:
            if connection is None:
                return pd.DataFrame(columns=HISTORY_COLUMNS)
            return _history(connection)

    def wor_deelnemers(self) -> pd.DataFrame:  # noqa: D102
        with self._reading() as connection:
            if connection is None or not _gpkg.columns_of(connection, "wor_deelnemers"):
                return pd.DataFrame(columns=WOR_DEELNEMERS_COLUMNS)
            rows = connection.execute(
                "SELECT wijk_code, jaar, deelnemers, bron FROM wor_deelnemers ORDER BY fid"
            ).fetchall()
        return pd.DataFrame.from_records(rows, columns=WOR_DEELNEMERS_COLUMNS)

    # -- changing --------------------------------------------------------------------------
    def _add(
        self,
        parts: Mapping[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]],
        *,
        user: str | Account | None,
    ) -> dict[str, builtins.list[str]]:
        prepared = {}
        for laag, (frame, wor) in parts.items():
            _check_layer(laag)
            extra = wor if wor is not None and len(wor) else None
            if frame.empty and extra is None:
                continue
            rows = frame.reset_index(drop=True).copy()
            for column in COLUMNS[laag]:
                if column not in rows.columns:
                    rows[column] = None
            for record in _records(rows[COLUMNS[laag]]):
                check_change(user, laag, None, record)
            prepared[laag] = (rows, extra)
        if not prepared:
            return {}
        batch, when = uuid.uuid4().hex, _now()
        out: dict[str, builtins.list[str]] = {}
        with self._writing(create=True) as connection:
            events: builtins.list[dict[str, object]] = []
            for laag, (rows, extra) in prepared.items():
                out[laag] = _add_rows(connection, laag, rows, extra, user, batch, when, events)
            _log(connection, events)
        for laag, ids in out.items():
            logger.info("register: %d rij(en) toegevoegd aan %s", len(ids), laag)
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
        with self._writing() as connection:
            old = _fetch(connection, laag, ident)
            wanted = None if old is None else _changed(old, changes)
            if versie is not None:
                _check_versie(laag, ident, versie, old, wanted, changes)
            if old is None or wanted is None:
                raise missing_row(laag, ident)
            check_change(user, laag, _logged(old), _logged(wanted))
            wanted["versie"] = int(old["versie"]) + 1  # type: ignore[call-overload]
            _store(connection, laag, ident, wanted)
            event = _event(
                _now(), user, "gewijzigd", laag, ident, _logged(old), _logged(wanted), _batch()
            )
            _log(connection, [event])
        return int(wanted["versie"])  # type: ignore[call-overload]

    def remove(  # noqa: D102
        self,
        laag: str,
        ident: str,
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> None:
        _check_layer(laag)
        with self._writing() as connection:
            stored = _fetch(connection, laag, ident)
            if versie is not None:
                _check_versie(laag, ident, versie, stored, None, {})
            if stored is None:
                raise missing_row(laag, ident)
            old = _logged(stored)
            check_change(user, laag, old, None)
            connection.execute(f'DELETE FROM "{laag}" WHERE id = ?', (ident,))
            _log(connection, [_event(_now(), user, "verwijderd", laag, ident, old, None, _batch())])

    def undo(self, *, user: str | Account | None = None) -> str:  # noqa: D102
        with self._writing() as connection:
            history = _history(connection)
            batch = choose_undo(history, user)
            events = history[history["batch"] == batch]
            when, undo_batch = _now(), _batch()
            log = []
            for event in events.iloc[::-1].itertuples():
                laag, ident, actie = str(event.laag), str(event.id), str(event.actie)
                old, new = _undo_event(connection, laag, ident, actie, event, batch)
                log.append(
                    _event(
                        when, user, f"ongedaan: {actie}", laag, ident, old, new, undo_batch,
                        herstelt=batch,
                    )
                )  # fmt: skip
            _log(connection, log)
        return f"{_describe(events)} ongedaan gemaakt"

    # -- accounts --------------------------------------------------------------------------
    def add_account(  # noqa: D102
        self,
        naam: str,
        *,
        rol: str,
        organisatie: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> Account:
        account = validate_account(naam, rol=rol, organisatie=organisatie, email=email)
        hashed = hash_password(password) if password is not None else None
        with self._writing(create=True) as connection:
            if _account_row(connection, "naam = ?", naam) is not None:
                raise DataError("er is al een account met deze naam.", value=naam)
            if email and _account_row(connection, "lower(email) = lower(?)", email) is not None:
                raise DataError("er is al een account met dit e-mailadres.", value=email)
            connection.execute(
                f"INSERT INTO {_gpkg.ACCOUNTS_TABLE} "
                "(naam, rol, organisatie, email, wachtwoord_hash, mislukt, aangemaakt) "
                "VALUES (?, ?, ?, ?, ?, 0, ?)",
                (account.naam, account.rol, account.organisatie, account.email, hashed, _now()),
            )
        logger.info("account %s (%s) aangemaakt", naam, rol)
        return account

    def accounts(self) -> builtins.list[Account]:  # noqa: D102
        with self._reading() as connection:
            if connection is None or not _gpkg.columns_of(connection, _gpkg.ACCOUNTS_TABLE):
                return []
            rows = connection.execute(
                f"SELECT {ACCOUNT_FIELDS} FROM {_gpkg.ACCOUNTS_TABLE} ORDER BY naam"
            ).fetchall()
        return [_credentials(row).account for row in rows]

    def account(self, naam: str) -> Account | None:  # noqa: D102
        found = self._credentials("naam = ?", naam)
        return None if found is None else found.account

    def account_by_email(self, email: str) -> Account | None:  # noqa: D102
        found = self._credentials("lower(email) = lower(?)", email.strip())
        return None if found is None else found.account

    def set_password(self, naam: str, password: str) -> None:  # noqa: D102
        hashed = hash_password(password)
        with self._writing() as connection:
            changed = connection.execute(
                f"UPDATE {_gpkg.ACCOUNTS_TABLE} SET wachtwoord_hash = ?, mislukt = 0, "
                "geblokkeerd_tot = NULL WHERE naam = ?",
                (hashed, naam),
            ).rowcount
            if not changed:
                raise _unknown_account(naam)

    def remove_account(self, naam: str) -> None:  # noqa: D102
        with self._writing() as connection:
            removed = connection.execute(
                f"DELETE FROM {_gpkg.ACCOUNTS_TABLE} WHERE naam = ?", (naam,)
            ).rowcount
            if not removed:
                raise _unknown_account(naam)

    def login(self, naam: str, password: str) -> Account:  # noqa: D102
        if not self.exists:
            raise LoginError("dit register heeft nog geen accounts.", file=self.path)
        with self._writing() as connection:
            row = _account_row(connection, "naam = ?", naam)
            credentials = None if row is None else _credentials(row)
            decision = decide_login(credentials, password)
            if credentials is not None:
                connection.execute(
                    f"UPDATE {_gpkg.ACCOUNTS_TABLE} SET mislukt = ?, geblokkeerd_tot = ? "
                    "WHERE naam = ?",
                    (decision.mislukt, decision.geblokkeerd_tot, naam),
                )
        if decision.error is not None:
            raise decision.error
        assert decision.account is not None  # noqa: S101 (decide_login: account or error)
        return decision.account

    # -- storage ---------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        if not self.exists:
            yield None
            return
        connection = _gpkg.connect(self.path)
        try:
            connection.execute("BEGIN")
            yield connection
        except sqlite3.DatabaseError as exc:
            raise self._unreadable(exc) from exc
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")
            connection.close()

    @contextmanager
    def _writing(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT`` (rollback on any error).

        Only additions create the file; other changes need a register that exists.
        """
        if not self.exists:
            if not create:
                raise DataError(
                    "er is nog geen aanbodregister in deze map.",
                    file=self.path,
                    hint="importeer eerst een bestand met 'wijkkompas aanbod import'.",
                )
            _gpkg.create(self.path)
        connection = _gpkg.connect(self.path)
        try:
            connection.execute("BEGIN IMMEDIATE")
            _gpkg.migrate(connection)
            yield connection
            self._before_commit()
            connection.execute("COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._unreadable(exc) from exc
            raise
        finally:
            connection.close()

    def _unreadable(self, exc: sqlite3.DatabaseError) -> DataError:
        if "locked" in str(exc) or "busy" in str(exc):
            return DataError(
                f"het register is bezet: een andere wijziging duurde langer dan "
                f"{_gpkg.BUSY_TIMEOUT_S:.0f} s; er is niets gewijzigd.",
                file=self.path,
                hint="probeer het zo opnieuw.",
            )
        return DataError(
            f"het register is geen leesbaar GeoPackage ({exc}); er is niets gewijzigd.",
            file=self.path,
            hint="zet een reservekopie terug, of verplaats het bestand en importeer opnieuw "
            "(de partnerbestanden in de map worden dan weer overgenomen).",
        )

    def _before_commit(self) -> None:
        """Hook inside every write transaction, just before the commit (tests inject faults)."""

    def _credentials(self, where: str, value: str) -> Credentials | None:
        with self._reading() as connection:
            if connection is None or not _gpkg.columns_of(connection, _gpkg.ACCOUNTS_TABLE):
                return None
            row = _account_row(connection, where, value)
        return None if row is None else _credentials(row)


def _add_rows(
    connection: sqlite3.Connection,
    laag: str,
    rows: gpd.GeoDataFrame,
    extra: pd.DataFrame | None,
    user: str | Account | None,
    batch: str,
    when: str,
    events: builtins.list[dict[str, object]],
) -> builtins.list[str]:
    """Insert the rows of one layer with new ids (and participants); append their events."""
    key = f"teller_{laag}"
    start = max(
        int(_gpkg.get_meta(connection, key) or 0), _gpkg.highest_id_in_layer(connection, laag)
    )
    ids = [f"{ID_PREFIX[laag]}-{n:06d}" for n in range(start + 1, start + 1 + len(rows))]
    rows["id"] = ids
    rows["versie"] = 1
    if len(rows):
        _insert(connection, laag, rows)
        _gpkg.set_meta(connection, {key: start + len(rows)})
    events.extend(
        _event(when, user, "toegevoegd", laag, record["id"], None, record, batch)
        for record in _records(rows[[*COLUMNS[laag], "versie"]])
    )
    if extra is not None:
        wor = extra[WOR_DEELNEMERS_COLUMNS]
        connection.executemany(
            "INSERT INTO wor_deelnemers (wijk_code, jaar, deelnemers, bron, batch) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (_text(r.wijk_code), _number(r.jaar), _number(r.deelnemers), _text(r.bron), batch)
                for r in wor.itertuples(index=False)
            ],
        )
        events.append(
            _event(when, user, "toegevoegd", "wor_deelnemers", "", None, {"rijen": len(wor)}, batch)
        )
    return ids
