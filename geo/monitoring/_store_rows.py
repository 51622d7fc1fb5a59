"""Tables, columns and row helpers shared by the monitoring store's backends."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol

import pandas as pd

from geo.aanbod.accounts import Account
from geo.errors import DataError

MEASUREMENT_COLUMNS = [
    "id",
    "indicator",
    "periode",
    "gebied",
    "waarde",
    "bron",
    "notitie",
    "ingevoerd_door",
    "ingevoerd_op",
    "versie",
]
"""Columns of :meth:`MonitoringStore.measurements` (``gebied`` '' = the whole gemeente)."""
NOTE_COLUMNS = ["id", "gebied", "tekst", "auteur", "datum", "link", "ingevoerd_door", "versie"]
"""Columns of :meth:`MonitoringStore.notes`."""
HISTORY_COLUMNS = [
    "volgnummer",
    "batch",
    "tijd",
    "wie",
    "tabel",
    "actie",
    "id",
    "voor",
    "na",
    "ongedaan",
]
"""Columns of :meth:`MonitoringStore.history` (``voor``/``na`` are the rows as JSON)."""

MEASUREMENTS = "monitoring_metingen"
NOTES = "gebied_notities"
HISTORY = "monitoring_historie"
COUNTERS = "monitoring_teller"
_PREFIX = {MEASUREMENTS: "met", NOTES: "not"}
_COLUMNS = {MEASUREMENTS: MEASUREMENT_COLUMNS, NOTES: NOTE_COLUMNS}
_NOTE_MAX = 2000


class Cursor(Protocol):
    """What a backend's transaction gives: ``execute(sql, params)`` → rows (``%s`` style)."""

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Execute one statement; return its rows (empty for statements without rows)."""
        ...


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _opt(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _num(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:g}".replace(".", ",")


def _rij(row: dict[str, Any], position: int) -> int | None:
    rij = row.get("rij")
    return None if rij is None or pd.isna(rij) else int(rij)


def _date(value: str | date | None) -> str:
    if value is None or value == "":
        return date.today().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise DataError(
            "de datum is geen geldige datum.",
            column="datum",
            value=str(value),
            hint="schrijf jjjj-mm-dd, bijvoorbeeld 2025-03-14.",
        ) from None


def _check_owner(user: str | Account | None, old: dict[str, Any]) -> None:
    if isinstance(user, Account) and user.rol == "redacteur":
        if old.get("ingevoerd_door") != user.naam:
            from geo.errors import PermissionDeniedError

            raise PermissionDeniedError(
                f"{user.naam} mag alleen eigen metingen en notities verwijderen.",
                value=old.get("id"),
                hint="vraag een beheerder of de persoon die het invoerde.",
            )


def _next_id(cur: Cursor, table: str) -> str:
    found = cur.run(f"SELECT laatste FROM {COUNTERS} WHERE tabel = %s", (table,))
    number = (int(found[0][0]) if found else 0) + 1
    if found:
        cur.run(f"UPDATE {COUNTERS} SET laatste = %s WHERE tabel = %s", (number, table))
    else:
        cur.run(f"INSERT INTO {COUNTERS} (tabel, laatste) VALUES (%s, %s)", (table, number))
    return f"{_PREFIX[table]}-{number:06d}"


def _insert(cur: Cursor, table: str, record: dict[str, Any]) -> None:
    columns = _COLUMNS[table]
    cur.run(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        [record.get(c) for c in columns],
    )


def _log(
    cur: Cursor,
    batch: str,
    now: str,
    who: str,
    table: str,
    actie: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    ident: object = None,
) -> None:
    found = cur.run(f"SELECT laatste FROM {COUNTERS} WHERE tabel = %s", (HISTORY,))
    number = (int(found[0][0]) if found else 0) + 1
    if found:
        cur.run(f"UPDATE {COUNTERS} SET laatste = %s WHERE tabel = %s", (number, HISTORY))
    else:
        cur.run(f"INSERT INTO {COUNTERS} (tabel, laatste) VALUES (%s, %s)", (HISTORY, number))
    row_id = ident if ident is not None else (after or before or {}).get("id")
    cur.run(
        f"INSERT INTO {HISTORY} ({', '.join(HISTORY_COLUMNS)}) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 0)",
        (
            number,
            batch,
            now,
            who,
            table,
            actie,
            row_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def _iter_statements(sql: str) -> Iterator[str]:
    """The statements of a schema file (split on ``;``, comments dropped)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            yield statement.strip()
