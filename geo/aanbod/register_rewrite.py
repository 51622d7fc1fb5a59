"""The whole-file-rewrite register of before issue 11, kept as a benchmark reference.

Every change reads every layer, then writes the whole register to a temporary file, fsyncs
it and renames it over the old one. Safe against a crash, but not against a second writer
(the last one wins) and slow on large registers. Nothing in Wijkkompas uses it any more.
"""

from __future__ import annotations

import builtins
import json
import logging
import os
import tempfile
import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.aanbod.register import (
    HISTORY_COLUMNS,
    ID_PREFIX,
    _check_layer,
    _concat,
    _describe,
    _event,
    _from_record,
    _now,
    _position,
    _records,
    _write_layer,
    empty_layer,
)
from geo.aanbod.schema import COLUMNS, LAYERS, WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError
from geo.io.crs import RD

logger = logging.getLogger(__name__)


class WholeFileRewriteRegister:
    """The register as it was before issue 11: every change rewrites the whole file.

    Kept only as the reference for ``benchmarks/bench_register.py`` (the speed of one edit
    against :class:`~geo.aanbod.register_gpkg.GeoPackageRegister`). It has no lock: two
    writers at once lose updates. Do not use it for real data.
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


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
