"""The GeoPackage side of :mod:`geo.aanbod.copy`: read a register file whole, write a new one.

Uses the GeoPackage backend's own low-level helpers (:mod:`geo.aanbod._gpkg`,
:mod:`geo.aanbod._gpkg_rows`), so a copied file is exactly what
:class:`~geo.aanbod.register_gpkg.GeoPackageRegister` writes: the same tables, ``versie``
columns, R-tree spatial indexes, accounts and id counters; GDAL, pyogrio and QGIS open it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from geo.aanbod import _gpkg
from geo.aanbod._gpkg_rows import _history, _insert, _log, _number, _select, _text
from geo.aanbod.accounts import ACCOUNT_COLUMNS
from geo.aanbod.copy import WOR_COLUMNS, Snapshot, atomic_target, counters_of
from geo.aanbod.schema import LAYERS
from geo.errors import DataError

logger = logging.getLogger(__name__)


def snapshot_from_gpkg(path: Path) -> Snapshot:
    """Read a whole GeoPackage register in one read transaction.

    Raises
    ------
    DataError
        No register at ``path``, or not a register (not a GeoPackage).
    """
    if not path.exists():
        raise DataError(
            "geen register gevonden.",
            file=path,
            hint="geef de datamap met --data (het register staat in <data>/aanbod/register.gpkg).",
        )
    try:
        connection = _gpkg.connect(path)
    except Exception as exc:  # noqa: BLE001  (sqlite3 says only 'unable to open')
        raise DataError(f"het register kan niet worden geopend: {exc}.", file=path) from None
    try:
        connection.execute("BEGIN")
        if not _gpkg.columns_of(connection, "gpkg_contents"):
            raise DataError("dit is geen GeoPackage-register.", file=path)
        layers = {laag: _select(connection, laag) for laag in LAYERS}
        history = _history(connection)
        wor_present = set(_gpkg.columns_of(connection, "wor_deelnemers"))
        if wor_present:
            select = ", ".join(c if c in wor_present else "NULL" for c in WOR_COLUMNS)
            rows = connection.execute(f"SELECT {select} FROM wor_deelnemers ORDER BY fid")
            wor = pd.DataFrame(rows.fetchall(), columns=WOR_COLUMNS)
        else:
            wor = pd.DataFrame(columns=WOR_COLUMNS)
        present = set(_gpkg.columns_of(connection, _gpkg.ACCOUNTS_TABLE))
        if present:
            select = ", ".join(c if c in present else "NULL" for c in ACCOUNT_COLUMNS)
            rows = connection.execute(f"SELECT {select} FROM {_gpkg.ACCOUNTS_TABLE} ORDER BY naam")
            accounts = pd.DataFrame(rows.fetchall(), columns=ACCOUNT_COLUMNS)
        else:
            accounts = pd.DataFrame(columns=ACCOUNT_COLUMNS)
        counters = {}
        if _gpkg.columns_of(connection, _gpkg.META_TABLE):
            for laag in LAYERS:
                value = _gpkg.get_meta(connection, f"teller_{laag}")
                counters[laag] = int(value) if value and value.isdigit() else 0
    finally:
        if connection.in_transaction:
            connection.execute("COMMIT")
        connection.close()
    logger.info("register gelezen uit %s: %s", path, {k: len(v) for k, v in layers.items()})
    return Snapshot(layers, history, wor, accounts, counters)


def snapshot_to_gpkg(snapshot: Snapshot, path: Path) -> str:
    """Write a snapshot as a NEW GeoPackage register (atomically); returns the path.

    Raises
    ------
    DataError
        ``path`` exists already (a copy never overwrites a register).
    """
    if path.exists():
        raise DataError(
            "dit bestand bestaat al; een kopie overschrijft nooit een bestaand register.",
            file=path,
            hint="kies een nieuwe bestandsnaam, of verplaats het oude bestand eerst.",
        )
    if path.suffix.lower() != ".gpkg":
        raise DataError(
            "een kopie als GeoPackage krijgt de extensie .gpkg.",
            file=path,
            hint="bijvoorbeeld --naar reserve/register.gpkg.",
        )
    tmp = atomic_target(path)
    lock = tmp.parent / f".{tmp.name}.lock"
    try:
        _gpkg.create(tmp)
        connection = _gpkg.connect(tmp)
        try:
            connection.execute("BEGIN IMMEDIATE")
            for laag in LAYERS:
                frame = snapshot.layers[laag]
                if len(frame):
                    _insert(connection, laag, frame.reset_index(drop=True))
            _log(connection, snapshot.history.fillna("").to_dict(orient="records"))
            connection.executemany(
                "INSERT INTO wor_deelnemers (wijk_code, jaar, deelnemers, bron, batch) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (_text(r.wijk_code), _number(r.jaar), _number(r.deelnemers), _text(r.bron))
                    + (_text(r.batch),)
                    for r in snapshot.wor.itertuples(index=False)
                ],
            )
            connection.executemany(
                f"INSERT INTO {_gpkg.ACCOUNTS_TABLE} ({', '.join(ACCOUNT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(ACCOUNT_COLUMNS))})",
                [
                    tuple(
                        int(value or 0) if column == "mislukt" else _text(value)
                        for column, value in zip(ACCOUNT_COLUMNS, row, strict=True)
                    )
                    for row in snapshot.accounts.itertuples(index=False)
                ],
            )
            counters = counters_of(snapshot)
            _gpkg.set_meta(connection, {f"teller_{laag}": n for laag, n in counters.items()})
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal"), lock):
            if leftover.exists():
                leftover.unlink()
    logger.info("register geschreven naar %s", path)
    return str(path)
