"""The aanbod register interface, and the helpers every backend shares.

:class:`AanbodRegister` is what Wijkkompas needs from a store of aanbod: every layer, a
history of changes (when, by whom, what, the old values), undo, a ``versie`` per row, and
accounts. Backends: :class:`~geo.aanbod.register_gpkg.GeoPackageRegister` (a file per data
folder) and ``geo.aanbod.register_pg.PostgisRegister`` (a server);
:func:`~geo.aanbod.backends.open_register` chooses. Every change is one transaction.
"""

from __future__ import annotations

import builtins
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.aanbod.accounts import Account, actor_name
from geo.aanbod.schema import COLUMNS, LAYERS
from geo.errors import ConflictError, DataError
from geo.io.crs import RD

logger = logging.getLogger(__name__)

REGISTER_FILE = "register.gpkg"
HISTORY_COLUMNS = ["wanneer", "wie", "actie", "laag", "id", "oud", "nieuw", "batch", "herstelt"]
"""Columns of the history, one row per changed row (all text).

``wanneer`` ISO time; ``wie`` the account or name; ``actie`` ``toegevoegd``, ``gewijzigd``,
``verwijderd`` or ``ongedaan: <actie>``; ``laag`` and ``id`` the row; ``oud`` / ``nieuw``
the record before / after as JSON (``COLUMNS[laag]`` plus ``versie``, geometry as WKT to the
millimetre; ``""`` when there is none: ``oud`` of an addition, ``nieuw`` of a removal, also
for undo events); ``batch`` one id per change (a whole import is one batch); ``herstelt``
the batch an undo event undoes. Replaying ``nieuw`` (or removing on ``""``) in order
rebuilds every layer. ``laag = "wor_deelnemers"`` rows record participant counts
(``nieuw = {"rijen": n}``).
"""
ID_PREFIX = {
    "activiteiten": "act",
    "lief_en_leed": "lel",
    "welzijn_op_recept": "wor",
    "buurtmobiel": "bm",
    "ov_haltes": "ov",
}
NUMERIC = {"capaciteit", "potjes", "jaar", "vertrekken_per_uur", "deelnemers"}
GEOMETRY_TYPES = {
    "activiteiten": "Point",
    "lief_en_leed": "Unknown",
    "welzijn_op_recept": "Point",
    "buurtmobiel": "MultiPolygon",
    "ov_haltes": "Point",
}


class AanbodRegister(ABC):
    """What Wijkkompas needs from a store of aanbod: a GeoPackage on a laptop, PostGIS on a server.

    Every change is one transaction (on a crash the register holds exactly the state before
    or after it) with its history rows in the same transaction. Every row carries a
    ``versie`` (1 on insert, +1 on every update); a change that names the ``versie`` it read
    is refused with :class:`~geo.errors.ConflictError` when the row changed since.

    ``user`` is a plain name (only written in the history: the CLI acts with the rights of
    whoever can reach the files or the database), an :class:`~geo.aanbod.accounts.Account`
    (its role is checked with :func:`~geo.aanbod.accounts.check_change`) or ``None``.
    """

    # -- where -------------------------------------------------------------------------
    @property
    @abstractmethod
    def exists(self) -> bool:
        """True when the register has been created (a file, or a schema on the server)."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the register lives, for messages (a path, or a URL without password)."""

    # -- reading -----------------------------------------------------------------------
    @abstractmethod
    def list(self, laag: str) -> gpd.GeoDataFrame:
        """All rows of a layer: ``COLUMNS[laag]`` plus ``versie`` (int), EPSG:28992."""

    @abstractmethod
    def history(self) -> pd.DataFrame:
        """Every change, oldest first (:data:`HISTORY_COLUMNS`; ``wie`` = account name)."""

    @abstractmethod
    def wor_deelnemers(self) -> pd.DataFrame:
        """Welzijn op recept participants per wijk (:data:`WOR_DEELNEMERS_COLUMNS`)."""

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """All layers by name."""
        return {laag: self.list(laag) for laag in LAYERS}

    # -- changing ----------------------------------------------------------------------
    def add(
        self,
        laag: str,
        frame: gpd.GeoDataFrame,
        *,
        user: str | Account | None = None,
        wor_deelnemers: pd.DataFrame | None = None,
    ) -> builtins.list[str]:
        """Store new rows (one transaction, one undoable change); returns their new ids.

        An empty frame without participants changes nothing.

        Raises
        ------
        PermissionDeniedError
            A redacteur adding a row for another organisation (nothing stored).
        """
        _check_layer(laag)
        return self._add({laag: (frame, wor_deelnemers)}, user=user).get(laag, [])

    def add_layers(
        self,
        frames: Mapping[str, gpd.GeoDataFrame],
        *,
        user: str | Account | None = None,
        wor_deelnemers: pd.DataFrame | None = None,
    ) -> dict[str, builtins.list[str]]:
        """Store new rows of several layers in one transaction: one undoable change.

        ``wor_deelnemers`` go with ``welzijn_op_recept``. Returns the new ids per layer.
        """
        parts: dict[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]] = {
            laag: (frame, None) for laag, frame in frames.items()
        }
        if wor_deelnemers is not None and len(wor_deelnemers):
            frame = parts.get("welzijn_op_recept", (empty_layer("welzijn_op_recept"), None))[0]
            parts["welzijn_op_recept"] = (frame, wor_deelnemers)
        return self._add(parts, user=user)

    @abstractmethod
    def _add(
        self,
        parts: Mapping[str, tuple[gpd.GeoDataFrame, pd.DataFrame | None]],
        *,
        user: str | Account | None,
    ) -> dict[str, builtins.list[str]]:
        """Rows (and participants) of one or more layers: one transaction, one history batch."""

    @abstractmethod
    def update(
        self,
        laag: str,
        ident: str,
        changes: dict[str, object],
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> int:
        """Change fields of one row; returns its new ``versie``.

        Raises
        ------
        ConflictError
            ``versie`` given and the stored row has another one (or was removed meanwhile).
        PermissionDeniedError
            The account may not change this row.
        DataError
            Unknown row or unknown fields.
        """

    @abstractmethod
    def remove(
        self,
        laag: str,
        ident: str,
        *,
        user: str | Account | None = None,
        versie: int | None = None,
    ) -> None:
        """Delete one row (same conflict and permission rules as :meth:`update`)."""

    @abstractmethod
    def undo(self, *, user: str | Account | None = None) -> str:
        """Undo a change (a whole import counts as one); returns what was undone, in Dutch.

        A redacteur :class:`~geo.aanbod.accounts.Account` undoes their own last change that
        is not undone yet, refused when another change to the same rows came after it; a
        beheerder, a plain name or ``None`` undoes the last change overall.
        """

    # -- accounts ----------------------------------------------------------------------
    @abstractmethod
    def add_account(
        self,
        naam: str,
        *,
        rol: str,
        organisatie: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> Account:
        """Create an account (see :func:`~geo.aanbod.accounts.validate_account`).

        Raises
        ------
        DataError
            Invalid fields, or the name or e-mail address is already in use.
        """

    @abstractmethod
    def accounts(self) -> builtins.list[Account]:
        """Every account, by name."""

    @abstractmethod
    def account(self, naam: str) -> Account | None:
        """One account by name, or ``None``."""

    @abstractmethod
    def account_by_email(self, email: str) -> Account | None:
        """The account with this e-mail address (case-insensitive), or ``None``."""

    @abstractmethod
    def set_password(self, naam: str, password: str) -> None:
        """Set a new password (and lift a login block)."""

    @abstractmethod
    def remove_account(self, naam: str) -> None:
        """Delete an account; its name stays in the history."""

    @abstractmethod
    def login(self, naam: str, password: str) -> Account:
        """Check a password; returns the account.

        Raises
        ------
        LoginError
            Unknown name or wrong password, or the account is blocked after
            :data:`~geo.aanbod.accounts.MAX_FAILURES` failed tries in a row (the counters
            are stored in the register, so the rule holds across processes).
        """


def empty_layer(laag: str) -> gpd.GeoDataFrame:
    """An empty frame with the layer's columns."""
    data = {
        c: pd.Series(dtype=float if c in NUMERIC else object)
        for c in COLUMNS[laag]
        if c != "geometry"
    }
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=RD), crs=RD)


def _check_layer(laag: str) -> None:
    if laag not in LAYERS:
        raise DataError("onbekende laag.", value=laag, hint=f"kies uit: {', '.join(LAYERS)}.")


def _position(frame: gpd.GeoDataFrame, ident: str, laag: str) -> int:
    hits = np.flatnonzero(frame["id"].astype(str).to_numpy() == ident)
    if len(hits) == 0:
        raise DataError(
            f"geen rij met id '{ident}' in {laag}.",
            hint="zie 'wijkkompas aanbod list' voor de ids.",
        )
    return int(hits[0])


def _concat(frame: gpd.GeoDataFrame, rows: gpd.GeoDataFrame, laag: str) -> gpd.GeoDataFrame:
    rows = rows[COLUMNS[laag]]
    if frame.empty:
        return gpd.GeoDataFrame(rows.reset_index(drop=True), geometry="geometry", crs=RD)
    joined = pd.concat([frame, rows], ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=RD)


def _write_layer(path: Path, laag: str, frame: gpd.GeoDataFrame) -> None:
    out = frame[COLUMNS[laag]].copy()
    for column in out.columns:
        if column == "geometry":
            continue
        if column in NUMERIC:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        else:
            out[column] = out[column].map(lambda v: None if _missing(v) else str(v)).astype(object)
    geometry_type = GEOMETRY_TYPES[laag]
    if laag == "buurtmobiel" and len(out):
        out["geometry"] = [
            shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
            for g in out.geometry
        ]
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(out, geometry="geometry", crs=RD),
        path,
        layer=laag,
        geometry_type=geometry_type,
    )


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _records(frame: gpd.GeoDataFrame) -> list[dict[str, object]]:
    out = []
    for row in frame.to_dict(orient="records"):
        record = {}
        for key, value in row.items():
            if key == "geometry":
                record[key] = None if value is None else shapely.to_wkt(value, rounding_precision=3)
            elif _missing(value):
                record[key] = None
            else:
                record[key] = value.item() if hasattr(value, "item") else value
        out.append(record)
    return out


def _from_record(record: dict[str, object], laag: str) -> gpd.GeoDataFrame:
    data = {c: [record.get(c)] for c in COLUMNS[laag] if c != "geometry"}
    wkt = record.get("geometry")
    geometry = [shapely.from_wkt(wkt) if wkt else None]
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=RD), crs=RD)


def _event(
    when: str,
    user: str | Account | None,
    actie: str,
    laag: str,
    ident: object,
    old: dict[str, object] | None,
    new: dict[str, object] | None,
    batch: str,
    herstelt: str = "",
) -> dict[str, object]:
    return {
        "wanneer": when,
        "wie": actor_name(user),
        "actie": actie,
        "laag": laag,
        "id": str(ident or ""),
        "oud": "" if old is None else json.dumps(old, default=str),
        "nieuw": "" if new is None else json.dumps(new, default=str),
        "batch": batch,
        "herstelt": herstelt,
    }


def _describe(events: pd.DataFrame) -> str:
    first = events.iloc[0]
    count = int((events["laag"] != "wor_deelnemers").sum())
    verb = {
        "toegevoegd": "toegevoegd aan",
        "verwijderd": "verwijderd uit",
        "gewijzigd": "gewijzigd in",
    }.get(str(first["actie"]), str(first["actie"]))
    layers = [str(laag) for laag in dict.fromkeys(events["laag"]) if laag != "wor_deelnemers"]
    return f"{count} rij(en) {verb} {', '.join(layers) or first['laag']}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


# -- helpers shared by the backends ----------------------------------------------------------
def check_fields(laag: str, changes: dict[str, object]) -> None:
    """Refuse changes to unknown fields, to ``id`` or to ``versie``."""
    fixed = {"id", "versie"} & set(changes)
    unknown = (set(changes) - set(COLUMNS[laag]) - {"geometry"}) | fixed
    if unknown:
        raise DataError(
            f"onbekende of vaste velden: {', '.join(sorted(unknown))}.",
            hint=f"velden van {laag}: {', '.join(c for c in COLUMNS[laag] if c != 'id')}.",
        )


def missing_row(laag: str, ident: str) -> DataError:
    """The error for an id that is not in a layer."""
    return DataError(
        f"geen rij met id '{ident}' in {laag}.",
        hint="zie 'wijkkompas aanbod list' voor de ids.",
    )


def conflict_error(
    laag: str,
    ident: str,
    *,
    read: int,
    stored: int | None,
    mine: dict[str, object] | None,
    theirs: dict[str, object] | None,
) -> ConflictError:
    """A Dutch conflict message that shows both versions of the fields that differ.

    Parameters
    ----------
    laag, ident
        The row.
    read
        The ``versie`` the caller read.
    stored
        The ``versie`` stored now (``None``: the row was removed meanwhile).
    mine
        The record as the caller wanted it (``None`` for a removal).
    theirs
        The stored record now (``None`` when removed).
    """
    if theirs is None:
        text = (
            f"rij {ident} in {laag} is intussen verwijderd door iemand anders "
            f"(u las versie {read})."
        )
    else:
        text = (
            f"rij {ident} in {laag} is intussen gewijzigd door iemand anders "
            f"(u las versie {read}, opgeslagen is nu versie {stored})."
        )
    fields = sorted(
        {k for k in (mine or {}) | (theirs or {}) if k not in ("versie",)}
        - {k for k in (mine or {}) if mine and theirs and mine.get(k) == theirs.get(k)}
    )
    if mine is not None and theirs is not None and fields:
        text += " Uw versie: " + "; ".join(f"{k}={_shown(mine.get(k))}" for k in fields) + "."
        text += (
            " Opgeslagen versie: " + "; ".join(f"{k}={_shown(theirs.get(k))}" for k in fields) + "."
        )
    elif mine is None and theirs is not None:
        text += " U wilde de rij verwijderen."
    return ConflictError(
        text,
        mine=mine,
        theirs=theirs,
        hint="lees de rij opnieuw en kies: uw wijziging opnieuw opslaan of de opgeslagen "
        "versie houden.",
    )


def choose_undo(history: pd.DataFrame, user: str | Account | None) -> str:
    """The batch an undo by ``user`` undoes (see :meth:`AanbodRegister.undo`).

    Raises
    ------
    DataError
        Nothing to undo, or (redacteur) a later change by someone else touched the same rows.
    """
    history = history.reset_index(drop=True)
    undone = set(history["herstelt"]) - {""}
    open_ = history[(history["herstelt"] == "") & ~history["batch"].isin(undone)]
    redacteur = isinstance(user, Account) and not user.is_beheerder
    if redacteur:
        open_ = open_[open_["wie"] == user.naam]  # type: ignore[union-attr]
    if open_.empty:
        mine = " van u" if redacteur else ""
        raise DataError(f"er is geen wijziging{mine} om ongedaan te maken.")
    batch = str(open_["batch"].iloc[-1])
    if not redacteur:
        return batch
    events = history[history["batch"] == batch]
    rows = set(zip(events["laag"], events["id"], strict=True))
    later = history.iloc[int(events.index.max()) + 1 :]
    # undoing a change made after ours brings the rows back: that does not block
    first = int(events.index.min())
    position = {b: int(i) for i, b in zip(history.index, history["batch"], strict=True)}
    blocking = [
        (laag, ident) in rows and batch_ not in undone and position.get(herstelt, -1) < first
        for laag, ident, batch_, herstelt in zip(
            later["laag"], later["id"], later["batch"], later["herstelt"], strict=True
        )
    ]
    later = later.loc[np.array(blocking, dtype=bool)]
    if not later.empty:
        other = later.iloc[0]
        raise DataError(
            f"uw laatste wijziging ({_describe(events)}) kan niet ongedaan worden gemaakt: "
            f"{other['wie']} heeft dezelfde rij ({other['id']}) daarna gewijzigd "
            f"({other['wanneer']}).",
            hint="vraag een beheerder, of wijzig de rij zelf terug.",
        )
    return batch


def next_ids(laag: str, used: Iterable[object], count: int) -> builtins.list[str]:
    """``count`` new ids for a layer after the highest number in ``used`` (ids and history)."""
    prefix = ID_PREFIX[laag]
    numbers = [
        int(str(i).split("-")[1])
        for i in used
        if str(i).startswith(prefix + "-") and str(i).split("-")[1].isdigit()
    ]
    start = max(numbers, default=0) + 1
    return [f"{prefix}-{n:06d}" for n in range(start, start + count)]


def _shown(value: object) -> str:
    text = "(leeg)" if value in (None, "") else str(value)
    return f"'{text[:60]}'"
