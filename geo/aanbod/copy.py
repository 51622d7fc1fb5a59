"""Copy a whole register between a GeoPackage and a PostGIS server, with its history.

``wijkkompas aanbod kopieer`` moves a laptop register to the server (every row with its id
and ``versie``, the full history, Welzijn op recept participants, accounts with their password
hashes and the id counters), and back to a GeoPackage: a backup anyone can open in QGIS.

Both directions read one consistent state (one read transaction) and write in one go: the
server side in ONE transaction into an empty register, the GeoPackage side into a temporary
file that is renamed into place only when complete. A refused copy writes nothing.

Examples
--------
>>> report = copy_register("register.gpkg", "postgresql://wk:pw@db/wk")  # doctest: +SKIP
>>> report.rows["activiteiten"], report.history  # doctest: +SKIP
(120, 131)
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.aanbod import _pg_sql as q
from geo.aanbod.accounts import ACCOUNT_COLUMNS
from geo.aanbod.register import HISTORY_COLUMNS, ID_PREFIX
from geo.aanbod.schema import LAYERS, WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError

logger = logging.getLogger(__name__)

WOR_COLUMNS = [*WOR_DEELNEMERS_COLUMNS, "batch"]


@dataclass
class Snapshot:
    """Everything a register holds, read in one transaction."""

    layers: dict[str, gpd.GeoDataFrame]
    history: pd.DataFrame
    wor: pd.DataFrame
    accounts: pd.DataFrame
    counters: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per layer."""
        return {laag: len(frame) for laag, frame in self.layers.items()}


@dataclass(frozen=True)
class CopyReport:
    """What was copied where."""

    rows: dict[str, int]
    history: int
    wor_deelnemers: int
    accounts: int
    target: str

    def summary(self) -> str:
        """One Dutch sentence for the CLI."""
        rows = ", ".join(f"{n} {laag}" for laag, n in self.rows.items() if n)
        return (
            f"Gekopieerd naar {self.target}: {rows or 'geen rijen'}; {self.history} "
            f"wijziging(en) in de geschiedenis, {self.wor_deelnemers} rij(en) Welzijn op recept-"
            f"deelnemers, {self.accounts} account(s)."
        )


def is_database_url(target: str | Path) -> bool:
    """True for ``postgresql://`` / ``postgres://`` URLs."""
    return str(target).startswith(("postgresql://", "postgres://"))


def copy_register(source: str | Path, target: str | Path) -> CopyReport:
    """Copy the register at ``source`` to ``target`` (a GeoPackage path or a PostgreSQL URL).

    Parameters
    ----------
    source
        ``.../aanbod/register.gpkg`` or ``postgresql://user:pass@host/db``.
    target
        The other kind. A GeoPackage target must not exist yet; a server target must hold an
        empty register (or no register: its schema is created first).

    Returns
    -------
    CopyReport
        The counts copied, for a message.

    Raises
    ------
    DataError
        Source missing or unreadable, target not empty, connection refused, schema newer than
        this program. Nothing is written then.
    """
    if is_database_url(source) == is_database_url(target):
        raise DataError(
            "kopiëren gaat van een GeoPackage naar een database of terug.",
            value=str(target),
            hint="geef als doel een postgresql://-adres of een pad naar een nieuw .gpkg-bestand.",
        )
    if is_database_url(target):
        from geo.aanbod._copy_gpkg import snapshot_from_gpkg

        snapshot = snapshot_from_gpkg(Path(source))
        where = snapshot_to_postgis(snapshot, str(target))
    else:
        from geo.aanbod._copy_gpkg import snapshot_to_gpkg

        snapshot = snapshot_from_postgis(str(source))
        where = snapshot_to_gpkg(snapshot, Path(target))
    report = CopyReport(
        rows=snapshot.counts(),
        history=len(snapshot.history),
        wor_deelnemers=len(snapshot.wor),
        accounts=len(snapshot.accounts),
        target=where,
    )
    logger.info(report.summary())
    return report


# -- the server side ------------------------------------------------------------------------------
def snapshot_from_postgis(url: str) -> Snapshot:
    """Read a whole server register in one REPEATABLE READ transaction."""
    import psycopg

    from geo.aanbod.migrate import check_version, connect, describe_url, schema_version

    with connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            found = schema_version(conn)
            if found == 0:
                raise DataError(
                    f"de database {describe_url(url)} bevat geen aanbodregister.",
                    hint="controleer het adres (--van of WIJKKOMPAS_DATABASE_URL).",
                )
            check_version(found, url)
            layers = {}
            with conn.cursor(binary=True) as cur:
                for laag in LAYERS:
                    layers[laag] = q.frame_from_rows(
                        laag, cur.execute(q.select_layer(laag)).fetchall()
                    )
            history = _frame(conn, "history", HISTORY_COLUMNS, "seq").fillna("")
            wor = _frame(conn, "wor_deelnemers", WOR_COLUMNS, "fid")
            accounts = _frame(conn, "gebruikers", ACCOUNT_COLUMNS, "naam")
            counters = dict(conn.execute("SELECT laag, laatste FROM id_teller").fetchall())
    return Snapshot(layers, history, wor, accounts, {k: int(v) for k, v in counters.items()})


def snapshot_to_postgis(snapshot: Snapshot, url: str) -> str:
    """Write a snapshot into an empty server register in ONE transaction; returns where."""
    import psycopg

    from geo.aanbod.migrate import connect, describe_url, migrate

    migrate(url)  # creates the schema in an empty database; refuses a newer one
    where = "postgresql://" + describe_url(url)
    with connect(url) as conn:
        try:
            with conn.transaction():
                _write_snapshot(conn, snapshot, where)
        except psycopg.Error as exc:
            raise DataError(
                f"kopiëren naar {where} mislukt: {exc.diag.message_primary or exc}; "
                "er is niets gekopieerd.",
                hint="controleer de bron (dubbele ids?) en de rechten van de databasegebruiker.",
            ) from None
    return where


def _write_snapshot(conn: Any, snapshot: Snapshot, where: str) -> None:
    """The inserts of :func:`snapshot_to_postgis`, inside its transaction."""
    conn.execute(
        "LOCK TABLE history, wor_deelnemers, gebruikers, id_teller, "
        + ", ".join(LAYERS)
        + " IN EXCLUSIVE MODE"  # type: ignore[operator]
    )
    _refuse_filled(conn, where)
    for laag in LAYERS:
        frame = snapshot.layers[laag]
        if len(frame):
            q.copy_rows(
                conn,
                laag,
                _with_ids(laag, frame),
                versies=[int(v) for v in frame["versie"]],
            )
    q.copy_history(conn, snapshot.history.to_dict(orient="records"))
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY wor_deelnemers (wijk_code, jaar, deelnemers, bron, batch) FROM STDIN"
        ) as copy,
    ):
        for row in snapshot.wor.itertuples(index=False):
            copy.write_row(
                [
                    _value(row.wijk_code, text=True),
                    _value(row.jaar),
                    _value(row.deelnemers),
                    _value(row.bron, text=True),
                    _value(row.batch, text=True),
                ]
            )
    with (
        conn.cursor() as cur,
        cur.copy(
            f"COPY gebruikers ({', '.join(ACCOUNT_COLUMNS)}) FROM STDIN"  # type: ignore[arg-type]
        ) as copy,
    ):
        for account in snapshot.accounts.itertuples(index=False):
            values = account._asdict()
            values["mislukt"] = int(values.get("mislukt") or 0)
            values["aangemaakt"] = _value(values.get("aangemaakt"), text=True) or ""
            copy.write_row(
                [
                    values[c] if c in ("mislukt", "aangemaakt") else _value(values[c], text=True)
                    for c in ACCOUNT_COLUMNS
                ]
            )
    for laag, number in counters_of(snapshot).items():
        conn.execute("UPDATE id_teller SET laatste = %s WHERE laag = %s", [number, laag])


def counters_of(snapshot: Snapshot) -> dict[str, int]:
    """The id counter per layer: the stored one, at least the highest id in rows and history."""
    out = {}
    for laag in LAYERS:
        prefix = ID_PREFIX[laag] + "-"
        used = list(snapshot.layers[laag]["id"]) + list(
            snapshot.history.loc[snapshot.history["laag"] == laag, "id"]
        )
        numbers = [
            int(str(i)[len(prefix) :])
            for i in used
            if str(i).startswith(prefix) and str(i)[len(prefix) :].isdigit()
        ]
        out[laag] = max([snapshot.counters.get(laag, 0), *numbers])
    return out


def _refuse_filled(conn: Any, where: str) -> None:
    counts = {
        table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in (*LAYERS, "history", "gebruikers", "wor_deelnemers")
    }
    filled = {table: n for table, n in counts.items() if n}
    if filled:
        shown = ", ".join(f"{n} in {table}" for table, n in filled.items())
        raise DataError(
            f"het register in {where} is niet leeg ({shown}); er is niets gekopieerd.",
            hint="kopieer naar een lege database (createdb ... en 'wijkkompas database init'), "
            "of maak daar eerst een reservekopie met 'wijkkompas aanbod kopieer --naar "
            "reserve.gpkg'.",
        )


def _with_ids(laag: str, frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    rows = q.normalised_rows(laag, frame)
    missing = [i for i, row in enumerate(rows) if not row.get("id")]
    if missing:
        raise DataError(
            f"de laag {laag} heeft rijen zonder id (rij {missing[0] + 1}); er is niets gekopieerd.",
            hint="open het register in Wijkkompas en sla de rijen opnieuw op, of geef ze een id.",
        )
    return rows


def _frame(conn: Any, table: str, columns: list[str], order: str) -> pd.DataFrame:
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").fetchall()
    return pd.DataFrame(rows, columns=columns)


def _value(value: object, *, text: bool = False) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return str(value) if text else float(value)  # type: ignore[arg-type]


def atomic_target(path: Path) -> Path:
    """A temporary file beside ``path`` (renamed over it when complete)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".gpkg")
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()
    return tmp
