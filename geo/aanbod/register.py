"""The aanbod register: one GeoPackage per dataset with every layer and a history of changes.

Writes are atomic: the whole register is written to a temporary file in the same folder,
flushed to disk and renamed over the old one, so a crash or an exception mid-write leaves the
previous register untouched and readable. Every change is recorded (when, by whom, what, the
old values) and the last change can be undone.

The register sits behind :class:`AanbodRegister` so that a server database can back it later
(several partners editing at once) without changing its callers.
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import tempfile
import uuid
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.aanbod.schema import COLUMNS, LAYERS, WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError
from geo.io.crs import RD

logger = logging.getLogger(__name__)

REGISTER_FILE = "register.gpkg"
HISTORY_COLUMNS = ["wanneer", "wie", "actie", "laag", "id", "oud", "nieuw", "batch", "herstelt"]
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
    """What Wijkkompas needs from a store of aanbod (GeoPackage now, a server later)."""

    @abstractmethod
    def list(self, laag: str) -> gpd.GeoDataFrame:
        """All rows of a layer, in the layer schema (EPSG:28992)."""

    @abstractmethod
    def add(
        self, laag: str, frame: gpd.GeoDataFrame, *, user: str | None = None
    ) -> builtins.list[str]:
        """Store new rows; returns their ids. An empty frame changes nothing."""

    @abstractmethod
    def update(
        self, laag: str, ident: str, changes: dict[str, object], *, user: str | None = None
    ) -> None:
        """Change fields of one row."""

    @abstractmethod
    def remove(self, laag: str, ident: str, *, user: str | None = None) -> None:
        """Delete one row."""

    @abstractmethod
    def undo(self, *, user: str | None = None) -> str:
        """Undo the most recent change (a whole import counts as one); returns what was undone."""

    @abstractmethod
    def history(self) -> pd.DataFrame:
        """Every change, oldest first (:data:`HISTORY_COLUMNS`)."""

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """All layers by name."""
        return {laag: self.list(laag) for laag in LAYERS}


class GeoPackageRegister(AanbodRegister):
    """The register as a GeoPackage file (``aanbod/register.gpkg``).

    Examples
    --------
    >>> register = GeoPackageRegister("data/aanbod/register.gpkg")  # doctest: +SKIP
    >>> ids = register.add("activiteiten", result.frame, user="kerngroep")  # doctest: +SKIP
    >>> register.undo()  # doctest: +SKIP
    '3 rij(en) toegevoegd aan activiteiten ongedaan gemaakt'
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @property
    def exists(self) -> bool:
        """True when the file is there."""
        return self.path.exists()

    # -- reading -------------------------------------------------------------------------
    def list(self, laag: str) -> gpd.GeoDataFrame:  # noqa: D102
        _check_layer(laag)
        if not self.exists or laag not in self._layer_names():
            return empty_layer(laag)
        frame = pyogrio.read_dataframe(self.path, layer=laag)
        if frame.crs is None:
            frame = frame.set_crs(RD)
        for column in COLUMNS[laag]:
            if column not in frame.columns:
                frame[column] = None
        return gpd.GeoDataFrame(frame[COLUMNS[laag]], geometry="geometry", crs=RD)

    def history(self) -> pd.DataFrame:  # noqa: D102
        if not self.exists or "history" not in self._layer_names():
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        frame = pyogrio.read_dataframe(self.path, layer="history", read_geometry=False)
        return pd.DataFrame(frame)[HISTORY_COLUMNS].fillna("")

    def wor_deelnemers(self) -> pd.DataFrame:
        """Welzijn op recept participant counts per wijk."""
        if not self.exists or "wor_deelnemers" not in self._layer_names():
            return pd.DataFrame(columns=WOR_DEELNEMERS_COLUMNS)
        frame = pyogrio.read_dataframe(self.path, layer="wor_deelnemers", read_geometry=False)
        return pd.DataFrame(frame)[WOR_DEELNEMERS_COLUMNS]

    def _layer_names(self) -> set[str]:
        return {str(name) for name, _ in pyogrio.list_layers(self.path)}

    # -- changing ------------------------------------------------------------------------
    def add(
        self,
        laag: str,
        frame: gpd.GeoDataFrame,
        *,
        user: str | None = None,
        wor_deelnemers: pd.DataFrame | None = None,
    ) -> builtins.list[str]:
        """Store new rows (and Welzijn op recept participants); returns the new ids."""
        _check_layer(laag)
        extra = wor_deelnemers if wor_deelnemers is not None and len(wor_deelnemers) else None
        if frame.empty and extra is None:
            return []
        state = self._state()
        ids = self._new_ids(laag, state, len(frame))
        rows = frame.copy()
        rows["id"] = ids
        batch = uuid.uuid4().hex
        when = _now()
        for record in _records(rows):
            state.history.append(
                _event(when, user, "toegevoegd", laag, record["id"], None, record, batch)
            )
        if extra is not None:
            state.wor = pd.concat([state.wor, extra[WOR_DEELNEMERS_COLUMNS]], ignore_index=True)
            state.history.append(
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
        if len(rows):
            state.layers[laag] = _concat(state.layers[laag], rows, laag)
        self._save(state)
        logger.info("register: %d rij(en) toegevoegd aan %s", len(rows), laag)
        return ids

    def update(
        self, laag: str, ident: str, changes: dict[str, object], *, user: str | None = None
    ) -> None:
        """Change fields of one row (recorded with the old values)."""
        _check_layer(laag)
        state = self._state()
        frame = state.layers[laag]
        position = _position(frame, ident, laag)
        unknown = set(changes) - set(COLUMNS[laag]) - {"geometry"}
        if unknown or "id" in changes:
            raise DataError(
                "onbekende of vaste velden: "
                f"{', '.join(sorted(unknown | ({'id'} & set(changes))))}.",
                hint=f"velden van {laag}: {', '.join(c for c in COLUMNS[laag] if c != 'id')}.",
            )
        old = _records(frame.iloc[[position]])[0]
        frame = frame.copy()
        for column, value in changes.items():
            frame.iat[position, frame.columns.get_loc(column)] = value
        state.layers[laag] = frame
        new = _records(frame.iloc[[position]])[0]
        state.history.append(
            _event(_now(), user, "gewijzigd", laag, ident, old, new, uuid.uuid4().hex)
        )
        self._save(state)

    def remove(self, laag: str, ident: str, *, user: str | None = None) -> None:  # noqa: D102
        _check_layer(laag)
        state = self._state()
        frame = state.layers[laag]
        position = _position(frame, ident, laag)
        old = _records(frame.iloc[[position]])[0]
        state.layers[laag] = frame.drop(frame.index[position]).reset_index(drop=True)
        state.history.append(
            _event(_now(), user, "verwijderd", laag, ident, old, None, uuid.uuid4().hex)
        )
        self._save(state)

    def undo(self, *, user: str | None = None) -> str:  # noqa: D102
        state = self._state()
        history = pd.DataFrame(state.history, columns=HISTORY_COLUMNS)
        undone = set(history["herstelt"]) - {""}
        candidates = history[(history["herstelt"] == "") & ~history["batch"].isin(undone)]
        if candidates.empty:
            raise DataError("er is niets om ongedaan te maken.")
        batch = candidates["batch"].iloc[-1]
        events = history[history["batch"] == batch]
        when = _now()
        undo_batch = uuid.uuid4().hex
        for event in events.iloc[::-1].itertuples():
            laag = str(event.laag)
            if laag == "wor_deelnemers":
                count = int(json.loads(event.nieuw)["rijen"])
                state.wor = state.wor.iloc[: len(state.wor) - count]
            elif event.actie == "toegevoegd":
                frame = state.layers[laag]
                state.layers[laag] = frame[frame["id"] != event.id].reset_index(drop=True)
            elif event.actie == "verwijderd":
                state.layers[laag] = _concat(
                    state.layers[laag], _from_record(json.loads(event.oud), laag), laag
                )
            elif event.actie == "gewijzigd":
                frame = state.layers[laag].copy()
                position = _position(frame, str(event.id), laag)
                restored = _from_record(json.loads(event.oud), laag)
                for column in COLUMNS[laag]:
                    frame.iat[position, frame.columns.get_loc(column)] = restored[column].iloc[0]
                state.layers[laag] = frame
            state.history.append(
                _event(
                    when,
                    user,
                    f"ongedaan: {event.actie}",
                    laag,
                    str(event.id),
                    None,
                    None,
                    undo_batch,
                    herstelt=batch,
                )
            )
        summary = _describe(events)
        self._save(state)
        return f"{summary} ongedaan gemaakt"

    # -- storage -------------------------------------------------------------------------
    def _state(self) -> _State:
        layers = {laag: self.list(laag) for laag in LAYERS}
        history = self.history().to_dict(orient="records")
        return _State(layers=layers, history=history, wor=self.wor_deelnemers())

    def _new_ids(self, laag: str, state: _State, count: int) -> builtins.list[str]:
        prefix = ID_PREFIX[laag]
        used = [str(i) for i in state.layers[laag]["id"]] + [
            str(h["id"]) for h in state.history if h["laag"] == laag
        ]
        numbers = [
            int(i.split("-")[1])
            for i in used
            if i.startswith(prefix + "-") and i.split("-")[1].isdigit()
        ]
        start = max(numbers, default=0) + 1
        return [f"{prefix}-{n:06d}" for n in range(start, start + count)]

    def _save(self, state: _State) -> None:
        """Write everything to a temporary file, fsync, then atomically replace the register."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".register-", suffix=".gpkg")
        os.close(handle)
        tmp = Path(name)
        tmp.unlink()  # GDAL creates the file itself
        try:
            for laag in LAYERS:
                _write_layer(tmp, laag, state.layers[laag])
                self._after_layer_written(laag)
            history = pd.DataFrame(state.history, columns=HISTORY_COLUMNS).astype(str)
            pyogrio.write_dataframe(history, tmp, layer="history")
            wor = state.wor[WOR_DEELNEMERS_COLUMNS].copy()
            pyogrio.write_dataframe(
                wor.astype({"deelnemers": float, "jaar": float}), tmp, layer="wor_deelnemers"
            )
            with open(tmp, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
        finally:
            if tmp.exists():
                tmp.unlink()
            for sidecar in (Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                if sidecar.exists():
                    sidecar.unlink()

    def _after_layer_written(self, laag: str) -> None:
        """Hook between layer writes (tests inject a crash here)."""


class _State:
    def __init__(
        self,
        layers: dict[str, gpd.GeoDataFrame],
        history: list[dict[str, object]],
        wor: pd.DataFrame,
    ) -> None:
        self.layers = layers
        self.history = history
        self.wor = wor


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
    user: str | None,
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
        "wie": user or "onbekend",
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
    return f"{count} rij(en) {verb} {first['laag']}"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
