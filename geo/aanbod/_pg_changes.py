"""Row changes of the PostGIS register inside a caller's transaction: history, set, revert.

Helpers of :class:`~geo.aanbod.register_pg.PostgisRegister`; every function takes the open
connection of the change's transaction and never commits.
"""

from __future__ import annotations

import builtins
import json
from typing import Any

import pandas as pd
import psycopg
from psycopg import sql

from geo.aanbod import _pg_sql as q
from geo.aanbod.register import HISTORY_COLUMNS
from geo.aanbod.schema import WOR_DEELNEMERS_COLUMNS


def history_frame(conn: psycopg.Connection[Any]) -> pd.DataFrame:
    query = sql.SQL("SELECT {} FROM history ORDER BY seq").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in HISTORY_COLUMNS)
    )
    rows = conn.execute(query).fetchall()
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).fillna("")


def insert_wor(conn: psycopg.Connection[Any], frame: pd.DataFrame, batch: str) -> None:
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


def stored_record(
    conn: psycopg.Connection[Any], laag: str, ident: str, *, lock: bool = False
) -> dict[str, object] | None:
    with conn.cursor(binary=True) as cur:
        row = cur.execute(q.select_layer(laag, where="id = %s", lock=lock), [ident]).fetchone()
    return None if row is None else q.record_from_row(laag, row)


def set_row(
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


def revert(
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
    current = stored_record(conn, laag, ident, lock=True)
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
        set_row(conn, laag, ident, values, versie=base + 1)
    return current, q.record_of(laag, values, base + 1)
