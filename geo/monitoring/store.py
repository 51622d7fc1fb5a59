"""Measurements and local-knowledge notes, stored in the register's backend with history and undo.

:func:`open_monitoring` gives the store of a data folder: the tables live in the same
GeoPackage as the aanbod register (``aanbod/register.gpkg``; plain SQLite attribute tables,
changed in ``BEGIN IMMEDIATE`` transactions as the register's layers), or in the same
PostgreSQL database (migration ``0003_monitoring.sql``; every change locks the history table).
Every call that changes something is one transaction and one history batch: one undoable
change. A rejected call changes nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from geo.aanbod.accounts import Account, actor_name
from geo.aanbod.register import AanbodRegister
from geo.errors import DataError
from geo.monitoring._store_rows import (  # noqa: F401  (re-exported: the store's schema)
    _COLUMNS,
    _NOTE_MAX,
    COUNTERS,
    HISTORY,
    HISTORY_COLUMNS,
    MEASUREMENT_COLUMNS,
    MEASUREMENTS,
    NOTE_COLUMNS,
    NOTES,
    Cursor,
    _check_owner,
    _date,
    _insert,
    _iter_statements,
    _log,
    _next_id,
    _now,
    _num,
    _opt,
    _rij,
)

logger = logging.getLogger(__name__)
class MonitoringStore(ABC):
    """Measurements and notes of one data folder (or server), with history and undo.

    Attributes
    ----------
    location
        Where the tables are (the GeoPackage file, or the server without password).
    register
        The aanbod register in the same storage (its accounts log editors in).
    """

    location: str
    register: AanbodRegister

    # -- backend ---------------------------------------------------------------------------
    @abstractmethod
    def _transaction(self, *, write: bool) -> AbstractContextManager[Cursor | None]:
        """One transaction; ``None`` when reading from storage that does not exist yet."""

    # -- reading ---------------------------------------------------------------------------
    def measurements(self, *, indicator: str | None = None) -> pd.DataFrame:
        """All measurements (of one indicator), by indicator, area and period."""
        frame = self._table(MEASUREMENTS)
        if indicator is not None:
            frame = frame[frame["indicator"] == indicator]
        frame["waarde"] = frame["waarde"].astype(float)
        return frame.sort_values(["indicator", "gebied", "periode"]).reset_index(drop=True)

    def notes(self, *, gebied: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Notes (of one area or several), newest first."""
        frame = self._table(NOTES)
        if gebied is not None:
            codes = [gebied] if isinstance(gebied, str) else list(gebied)
            frame = frame[frame["gebied"].isin(codes)]
        return frame.sort_values(["datum", "id"], ascending=False).reset_index(drop=True)

    def history(self) -> pd.DataFrame:
        """Every change, oldest first."""
        with self._transaction(write=False) as cur:
            rows = (
                []
                if cur is None
                else cur.run(
                    f"SELECT {', '.join(HISTORY_COLUMNS)} FROM {HISTORY} ORDER BY volgnummer"
                )
            )
        return pd.DataFrame.from_records(rows, columns=HISTORY_COLUMNS)

    # -- changing --------------------------------------------------------------------------
    def add_measurements(
        self,
        rows: pd.DataFrame,
        *,
        user: str | Account | None = None,
        vervang: bool = False,
        file: str | Path | None = None,
    ) -> list[str]:
        """Store measurements (already validated) as one undoable change.

        Parameters
        ----------
        rows
            Columns ``indicator``, ``periode``, ``gebied`` ('' = gemeente), ``waarde``, and
            optionally ``bron``, ``notitie``, ``rij`` (the file row, for messages).
        user
            Who enters them (``ingevoerd_door`` and the history's ``wie``).
        vervang
            Replace a stored value for the same indicator, period and area; without it such
            a duplicate is refused and nothing is stored.
        file
            The file the rows came from (named in messages).

        Returns
        -------
        list of str
            The ids of the stored (or replaced) measurements.

        Raises
        ------
        DataError
            A value already stored for the same indicator, period and area (without
            ``vervang``); nothing is stored.
        """
        if rows.empty:
            return []
        who = actor_name(user)
        now = _now()
        batch = uuid.uuid4().hex
        ids: list[str] = []
        with self._transaction(write=True) as cur:
            assert cur is not None  # write transactions create the storage
            for position, row in enumerate(rows.to_dict("records")):
                key = (str(row["indicator"]), str(row["periode"]), str(row.get("gebied") or ""))
                stored = cur.run(
                    f"SELECT {', '.join(MEASUREMENT_COLUMNS)} FROM {MEASUREMENTS} "
                    "WHERE indicator = %s AND periode = %s AND gebied = %s",
                    key,
                )
                record = {
                    "indicator": key[0],
                    "periode": key[1],
                    "gebied": key[2],
                    "waarde": float(row["waarde"]),
                    "bron": _opt(row.get("bron")),
                    "notitie": _opt(row.get("notitie")),
                    "ingevoerd_door": who,
                    "ingevoerd_op": now,
                }
                if stored:
                    old = dict(zip(MEASUREMENT_COLUMNS, stored[0], strict=True))
                    if not vervang:
                        raise DataError(
                            f"voor {key[0]} in {key[1]}"
                            + (f" in {key[2]}" if key[2] else "")
                            + f" is al een waarde opgeslagen ({_num(old['waarde'])}, door "
                            f"{old['ingevoerd_door']}); er is niets opgeslagen.",
                            file=file,
                            row=_rij(row, position),
                            column="waarde",
                            value=_num(record["waarde"]),
                            hint="vervang de opgeslagen waarde met --vervang (of vink 'vervang' "
                            "aan), of verwijder de dubbele rij.",
                        )
                    new = {**old, **record, "versie": int(old["versie"]) + 1}
                    cur.run(
                        f"UPDATE {MEASUREMENTS} SET waarde = %s, bron = %s, notitie = %s, "
                        "ingevoerd_door = %s, ingevoerd_op = %s, versie = %s WHERE id = %s",
                        (
                            new["waarde"],
                            new["bron"],
                            new["notitie"],
                            who,
                            now,
                            new["versie"],
                            old["id"],
                        ),
                    )
                    _log(cur, batch, now, who, MEASUREMENTS, "gewijzigd", old, new)
                    ids.append(str(old["id"]))
                    continue
                new = {"id": _next_id(cur, MEASUREMENTS), **record, "versie": 1}
                _insert(cur, MEASUREMENTS, new)
                _log(cur, batch, now, who, MEASUREMENTS, "toegevoegd", None, new)
                ids.append(str(new["id"]))
        logger.info("%d meting(en) opgeslagen in %s", len(ids), self.location)
        return ids

    def add_note(
        self,
        gebied: str,
        tekst: str,
        *,
        auteur: str | None = None,
        datum: str | date | None = None,
        link: str | None = None,
        user: str | Account | None = None,
    ) -> str:
        """Store a local-knowledge note about an area (buurt, wijk or focus area name).

        The text is stored as typed; every view escapes it.

        Raises
        ------
        DataError
            Empty text, text over 2,000 characters, a link that is not http(s), a bad date.
        """
        tekst = str(tekst).strip()
        if not tekst:
            raise DataError("de notitie is leeg.", column="tekst", hint="schrijf wat je hoorde.")
        if len(tekst) > _NOTE_MAX:
            raise DataError(
                f"de notitie is {len(tekst)} tekens; maximaal {_NOTE_MAX}.",
                column="tekst",
                hint="kort de tekst in of verwijs met een link naar het verslag.",
            )
        if not str(gebied).strip():
            raise DataError(
                "geen gebied bij de notitie.",
                column="gebied",
                hint="geef een buurt- of wijkcode of de naam van een aandachtsgebied.",
            )
        link = _opt(link)
        if link is not None and not link.lower().startswith(("http://", "https://")):
            raise DataError(
                "de link begint niet met http:// of https://.",
                column="link",
                value=link,
                hint="plak het volledige webadres.",
            )
        day = _date(datum)
        who = actor_name(user)
        now = _now()
        with self._transaction(write=True) as cur:
            assert cur is not None
            new = {
                "id": _next_id(cur, NOTES),
                "gebied": str(gebied).strip(),
                "tekst": tekst,
                "auteur": _opt(auteur) or who,
                "datum": day,
                "link": link,
                "ingevoerd_door": who,
                "versie": 1,
            }
            _insert(cur, NOTES, new)
            _log(cur, uuid.uuid4().hex, now, who, NOTES, "toegevoegd", None, new)
        return str(new["id"])

    def remove(self, ident: str, *, user: str | Account | None = None) -> None:
        """Remove a measurement (``met-…``) or a note (``not-…``), undoably."""
        table = MEASUREMENTS if ident.startswith("met-") else NOTES
        who = actor_name(user)
        with self._transaction(write=True) as cur:
            assert cur is not None
            rows = cur.run(
                f"SELECT {', '.join(_COLUMNS[table])} FROM {table} WHERE id = %s", (ident,)
            )
            if not rows:
                raise DataError(
                    "geen meting of notitie met dit id.",
                    value=ident,
                    hint="zie 'wijkkompas monitoring status' voor de ids.",
                )
            old = dict(zip(_COLUMNS[table], rows[0], strict=True))
            _check_owner(user, old)
            cur.run(f"DELETE FROM {table} WHERE id = %s", (ident,))
            _log(cur, uuid.uuid4().hex, _now(), who, table, "verwijderd", old, None)

    def undo(self, *, user: str | Account | None = None) -> str:
        """Undo the last change (a redacteur: their own last change).

        Returns
        -------
        str
            What was undone, in Dutch.

        Raises
        ------
        DataError
            Nothing to undo, or a later change by someone else touched the same rows.
        """
        own = isinstance(user, Account) and user.rol == "redacteur"
        with self._transaction(write=True) as cur:
            assert cur is not None
            history = pd.DataFrame.from_records(
                cur.run(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM {HISTORY} ORDER BY volgnummer"),
                columns=HISTORY_COLUMNS,
            )
            open_rows = history[(history["ongedaan"] == 0) & (history["actie"] != "ongedaan")]
            if own:
                open_rows = open_rows[open_rows["wie"] == actor_name(user)]
            if open_rows.empty:
                raise DataError(
                    "er is niets om ongedaan te maken.",
                    hint="alleen eigen wijzigingen die nog niet ongedaan zijn.",
                )
            batch = str(open_rows["batch"].iloc[-1])
            rows = history[history["batch"] == batch]
            later = history[
                (history["volgnummer"] > rows["volgnummer"].max())
                & history["id"].isin(rows["id"])
                & (history["ongedaan"] == 0)
                & (history["actie"] != "ongedaan")
            ]
            if not later.empty:
                raise DataError(
                    f"{later['wie'].iloc[0]} heeft dezelfde rij(en) daarna gewijzigd "
                    f"({later['id'].iloc[0]}); ongedaan maken zou dat overschrijven.",
                    hint="laat de latere wijziging eerst ongedaan maken, of pas de rij aan.",
                )
            now, who = _now(), actor_name(user)
            for row in reversed(rows.to_dict("records")):
                table = str(row["tabel"])
                before = json.loads(row["voor"]) if isinstance(row["voor"], str) else None
                cur.run(f"DELETE FROM {table} WHERE id = %s", (row["id"],))
                if before is not None:
                    _insert(cur, table, before)
                _log(cur, batch, now, who, table, "ongedaan", None, before, ident=row["id"])
            cur.run(
                f"UPDATE {HISTORY} SET ongedaan = 1 WHERE batch = %s AND actie <> %s",
                (batch, "ongedaan"),
            )
        what = {MEASUREMENTS: "meting(en)", NOTES: "notitie(s)"}[str(rows["tabel"].iloc[0])]
        return f"{len(rows)} {what} ongedaan gemaakt ({', '.join(rows['actie'].unique())})"

    # -- helpers ---------------------------------------------------------------------------
    def _table(self, table: str) -> pd.DataFrame:
        columns = _COLUMNS[table]
        with self._transaction(write=False) as cur:
            rows = [] if cur is None else cur.run(f"SELECT {', '.join(columns)} FROM {table}")
        return pd.DataFrame.from_records(rows, columns=columns)


def open_monitoring(
    data_dir: str | Path,
    *,
    database_url: str | None = None,
    areas: Any = None,
) -> MonitoringStore:
    """The monitoring store next to a data folder's register (GeoPackage or PostGIS).

    Parameters
    ----------
    data_dir
        The dataset folder.
    database_url
        As :func:`geo.aanbod.backends.open_register`: ``None`` reads
        ``WIJKKOMPAS_DATABASE_URL``, ``""`` forces the GeoPackage.
    areas
        Canonical areas, passed on when the first change creates the GeoPackage register
        and takes the folder's partner files in (as every first change does).

    Examples
    --------
    >>> store = open_monitoring("data", database_url="")  # doctest: +SKIP
    >>> store.add_note("BU00000101", "Er mist een bankje.")  # doctest: +SKIP
    'not-000001'
    """
    from geo.aanbod.backends import open_register
    from geo.aanbod.register_gpkg import GeoPackageRegister

    register = open_register(data_dir, database_url=database_url)
    if isinstance(register, GeoPackageRegister):
        from geo.monitoring.store_gpkg import GeoPackageMonitoringStore

        return GeoPackageMonitoringStore(register, data_dir=data_dir, areas=areas)
    from geo.monitoring.store_pg import PostgisMonitoringStore

    return PostgisMonitoringStore(register)
