"""On-disk cache of a data folder's canonical tables: the loading step between io and model.

Reading the national files (13,808 buurten, 3.6 million RIVM figures) takes seconds; the
canonical tables they give (areas, figures, populations, aanbod) read back from Parquet in a
fraction of that. :func:`load_dataset_cached` and :func:`load_aanbod_cached` are what the app
and the CLI call.

* **Where**: ``$WIJKKOMPAS_TABLE_CACHE``, else ``tabellen/`` in the user cache
  (``$WIJKKOMPAS_CACHE_DIR``, ``$XDG_CACHE_HOME/wijkkompas`` or ``~/.cache/wijkkompas``), never
  in the data folder. ``WIJKKOMPAS_TABLE_CACHE=uit`` (or ``TableCacheSettings(enabled=False)``)
  switches the cache off.
* **Keyed by content**: the SHA-256 of every file the tables are read from (``wijken/*``,
  ``dataset.toml``; for the aanbod also ``aanbod/*``), the gemeente asked for, the Wijkkompas
  version and a fingerprint of the reading code (``geo/io``, ``geo/model``, ``geo/aanbod``). A
  changed byte in any of them is a miss: the folder is read again. Sizes and modification
  times are never trusted on their own.
* **Safe**: one entry is one zip file (stored, not compressed) of GeoParquet/Parquet members
  and a JSON manifest, written to a temporary name and renamed (``os.replace``), so a killed
  process or two writers at once never leave half a file. Zip CRCs are checked on reading; an
  entry that cannot be read is a warning, is removed and the tables are read from the files.
* **Not cached**: the focus areas (``gebieden.toml`` may name polygon files anywhere; reading
  it is quick) and an aanbod register (it changes while the app runs).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

import geo
from geo.io.folder import dataset_title, load_dataset, read_gebieden, read_meta, resolve_data_dir
from geo.model.dataset import Dataset

if TYPE_CHECKING:  # the aanbod package is imported when its tables are asked for
    from geo.aanbod.read import Aanbod

logger = logging.getLogger(__name__)

CACHE_ENV = "WIJKKOMPAS_TABLE_CACHE"
"""Environment variable: the cache folder, or ``uit``/``off``/``0`` to switch the cache off."""

FORMAT_VERSION = 1
"""Raise when the layout of an entry changes."""

OFF = frozenset({"0", "uit", "off", "false", "nee", "no"})
SUBFOLDER = "tabellen"
_CODE_PACKAGES = ("io", "model", "aanbod")
_STALE_TEMP_S = 3600.0


@dataclass(frozen=True)
class TableCacheSettings:
    """Where and whether the canonical tables are cached.

    Attributes
    ----------
    enabled
        False reads the files every time (nothing is read from or written to the cache).
    folder
        The cache folder; None = :func:`default_table_cache_dir`.
    max_entries
        Entries kept; the least recently used beyond this number are removed after a write.
    """

    enabled: bool = True
    folder: Path | None = None
    max_entries: int = 8

    @classmethod
    def from_env(cls) -> TableCacheSettings:
        """Settings from ``$WIJKKOMPAS_TABLE_CACHE`` (read now, not at import)."""
        value = os.environ.get(CACHE_ENV, "").strip()
        if value.lower() in OFF:
            return cls(enabled=False)
        return cls(folder=Path(value).expanduser() if value else None)

    @property
    def path(self) -> Path:
        """The cache folder in effect."""
        return self.folder if self.folder is not None else default_table_cache_dir()


@dataclass
class CacheInfo:
    """What the last call did (for the benchmark and the tests): ``hit``, ``key``, ``file``."""

    hit: bool = False
    key: str = ""
    file: Path | None = None
    notes: list[str] = field(default_factory=list)


def default_table_cache_dir() -> Path:
    """``tabellen/`` in the user cache (``$WIJKKOMPAS_CACHE_DIR`` or ``~/.cache/wijkkompas``)."""
    explicit = os.environ.get(CACHE_ENV, "").strip()
    if explicit and explicit.lower() not in OFF:
        return Path(explicit).expanduser()
    base = os.environ.get("WIJKKOMPAS_CACHE_DIR")
    if base:
        return Path(base).expanduser() / SUBFOLDER
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "wijkkompas" / SUBFOLDER


def load_dataset_cached(
    path: str | Path | None = None,
    *,
    gemeente: str | None = None,
    progress: Callable[[str], None] | None = None,
    settings: TableCacheSettings | None = None,
    info: CacheInfo | None = None,
) -> Dataset:
    """:func:`~geo.io.folder.load_dataset`, served from the table cache when it can be.

    Parameters
    ----------
    path, gemeente, progress
        As for :func:`~geo.io.folder.load_dataset`.
    settings
        Cache folder and switch; default :meth:`TableCacheSettings.from_env`.
    info
        Filled in with what happened (hit or miss, the key and the entry's file).

    Returns
    -------
    Dataset
        Equal, table for table, to what :func:`~geo.io.folder.load_dataset` returns.

    Raises
    ------
    DataError
        As :func:`~geo.io.folder.load_dataset` (a cache problem never raises).

    Examples
    --------
    >>> ds = load_dataset_cached("../shared/data/nl")  # doctest: +SKIP
    >>> ds.level("buurt").shape[0]  # doctest: +SKIP
    10575
    """
    settings = settings or TableCacheSettings.from_env()
    info = info if info is not None else CacheInfo()
    folder = resolve_data_dir(path)
    if not settings.enabled or not (folder / "wijken").is_dir():
        return load_dataset(folder, gemeente=gemeente, progress=progress)
    key = dataset_key(folder, gemeente=gemeente)
    info.key, info.file = key, settings.path / f"{key}.zip"
    cached = _read_entry(info.file)
    if cached is not None:
        (progress or (lambda _m: None))("Tabellen uit de cache lezen")
        dataset = _dataset_from_entry(folder, *cached)
        if dataset is not None:
            info.hit = True
            logger.info(
                "dataset %s uit de cache %s: %d gebieden, %d cijfers",
                folder,
                info.file.name,
                len(dataset.areas),
                len(dataset.figures),
            )
            return dataset
        _discard(info.file, "de inhoud klopt niet met het formaat")
    dataset = load_dataset(folder, gemeente=gemeente, progress=progress)
    _write_entry(settings, key, *_dataset_entry(dataset))
    return dataset


def load_aanbod_cached(
    data_dir: str | Path,
    dataset: Dataset,
    *,
    settings: TableCacheSettings | None = None,
    info: CacheInfo | None = None,
) -> Aanbod:
    """:func:`~geo.aanbod.read.load_aanbod` for a dataset, cached when read from partner files.

    A register (GeoPackage or server) is always read live: it changes while the app runs.
    The key adds the hashes of ``aanbod/*`` to the dataset's key (the partner rows are matched
    to its areas).
    """
    from geo.aanbod.backends import database_url, register_path
    from geo.aanbod.read import load_aanbod

    settings = settings or TableCacheSettings.from_env()
    info = info if info is not None else CacheInfo()
    folder = Path(data_dir)

    def read() -> Aanbod:
        return load_aanbod(folder, areas=dataset.areas, gemeente_code=dataset.gemeente_code)

    if (
        not settings.enabled
        or database_url() is not None
        or register_path(folder).exists()
        or not (folder / "wijken").is_dir()
    ):
        return read()
    key = _digest(
        {
            "dataset": dataset_key(folder, gemeente=dataset.gemeente_code),
            "aanbod": _file_hashes(_files(folder / "aanbod"), folder),
        }
    )
    key = f"aanbod-{key}"
    info.key, info.file = key, settings.path / f"{key}.zip"
    cached = _read_entry(info.file)
    if cached is not None:
        aanbod = _aanbod_from_entry(*cached)
        if aanbod is not None:
            info.hit = True
            logger.info("aanbod %s uit de cache %s", folder, info.file.name)
            return aanbod
        _discard(info.file, "de inhoud klopt niet met het formaat")
    aanbod = read()
    _write_entry(settings, key, *_aanbod_entry(aanbod))
    return aanbod


def dataset_key(folder: Path, *, gemeente: str | None = None) -> str:
    """The cache key of a folder's tables: a hash of its files' bytes, the gemeente and code."""
    files = _files(folder / "wijken") + [p for p in [folder / "dataset.toml"] if p.is_file()]
    return _digest({"gemeente": gemeente, "files": _file_hashes(files, folder)})


def clear_table_cache(settings: TableCacheSettings | None = None) -> int:
    """Remove every entry; returns how many files were removed."""
    root = (settings or TableCacheSettings.from_env()).path
    removed = 0
    for entry in root.glob("*.zip") if root.is_dir() else []:
        entry.unlink(missing_ok=True)
        removed += 1
    return removed


# -- keys ------------------------------------------------------------------------------------
def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _file_hashes(files: Iterable[Path], root: Path) -> list[tuple[str, int, str]]:
    return [(p.relative_to(root).as_posix(), p.stat().st_size, _sha256(p)) for p in files]


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the reading code (``geo/io``, ``geo/model``, ``geo/aanbod``) and its data files.

    With the version in every key, a development install that changes a reader never reads
    tables its old code wrote.
    """
    root = Path(geo.__file__).resolve().parent
    digest = hashlib.sha256(geo.__version__.encode())
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".toml", ".csv", ".sql"}:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(material: dict[str, object]) -> str:
    material = {
        "format": FORMAT_VERSION,
        "version": geo.__version__,
        "code": code_fingerprint(),
        **material,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:40]


# -- entries: (manifest, {member: bytes}) ----------------------------------------------------
Tables = dict[str, pd.DataFrame]


def _dataset_entry(dataset: Dataset) -> tuple[dict[str, object], Tables]:
    tables: Tables = {
        "areas": dataset.areas,
        "figures": dataset.figures,
        "unmatched": dataset.unmatched,
    }
    tables.update({f"population_{year}": frame for year, frame in dataset.populations.items()})
    manifest: dict[str, object] = {
        "kind": "dataset",
        "gemeente_code": dataset.gemeente_code,
        "gemeente_naam": dataset.gemeente_naam,
        "sources": _records(dataset.sources),
        "source_columns": [str(c) for c in dataset.sources.columns],
        "notices": list(dataset.notices),
        "populations": sorted(int(y) for y in dataset.populations),
    }
    return manifest, tables


def _dataset_from_entry(folder: Path, manifest: dict, tables: Tables) -> Dataset | None:
    if manifest.get("kind") != "dataset":
        return None
    areas = tables["areas"]
    if not isinstance(areas, gpd.GeoDataFrame):
        return None
    gemeente_code = manifest["gemeente_code"]
    meta = read_meta(folder)
    return Dataset(
        path=folder,
        gemeente_code=gemeente_code,
        gemeente_naam=manifest["gemeente_naam"],
        areas=areas,
        figures=tables["figures"],
        populations={int(y): tables[f"population_{y}"] for y in manifest["populations"]},
        gebieden=read_gebieden(folder, areas, gemeente_code),
        unmatched=tables["unmatched"],
        sources=pd.DataFrame(manifest["sources"], columns=manifest["source_columns"]),
        notices=list(manifest["notices"]),
        titel=dataset_title(folder, meta),
        demo=bool(meta.get("demo", False)),
    )


def _aanbod_entry(aanbod: Aanbod) -> tuple[dict[str, object], Tables]:
    tables: Tables = {f"layer_{name}": frame for name, frame in aanbod.layers.items()}
    tables.update({f"report_{i}": frame for i, frame in enumerate(aanbod.reports.values())})
    tables["wor_deelnemers"] = aanbod.wor_deelnemers
    manifest: dict[str, object] = {
        "kind": "aanbod",
        "layers": list(aanbod.layers),
        "reports": list(aanbod.reports),
        "read_only": aanbod.read_only,
        "notices": list(aanbod.notices),
    }
    return manifest, tables


def _aanbod_from_entry(manifest: dict, tables: Tables) -> Aanbod | None:
    from geo.aanbod.read import Aanbod

    if manifest.get("kind") != "aanbod":
        return None
    return Aanbod(
        layers={name: tables[f"layer_{name}"] for name in manifest["layers"]},
        reports={name: tables[f"report_{i}"] for i, name in enumerate(manifest["reports"])},
        read_only=bool(manifest["read_only"]),
        wor_deelnemers=tables["wor_deelnemers"],
        notices=list(manifest["notices"]),
    )


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    return value


# -- reading and writing ---------------------------------------------------------------------
def _read_entry(file: Path) -> tuple[dict, Tables] | None:
    """The manifest and tables of an entry; None when absent or unreadable (then removed)."""
    if not file.is_file():
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT_VERSION:
                raise ValueError(f"formaatversie {manifest.get('format')}")
            tables = {
                name: _frame_from_bytes(archive.read(spec["member"]), spec)
                for name, spec in manifest["tables"].items()
            }
    except Exception as error:  # noqa: BLE001 - any unreadable entry is a warning and a rebuild
        _discard(file, f"{type(error).__name__}: {error}")
        return None
    try:
        os.utime(file)  # least recently *used* entries are pruned first
    except OSError:
        pass
    return manifest, tables


def _write_entry(
    settings: TableCacheSettings, key: str, manifest: dict[str, object], tables: Tables
) -> Path | None:
    """Write an entry atomically (temporary file, then rename); None when it cannot be."""
    root = settings.path
    temporary: str | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        specs: dict[str, dict[str, object]] = {}
        handle, temporary = tempfile.mkstemp(prefix=f".{key}-", suffix=".tmp", dir=root)
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(out, "w") as archive:
            for i, (name, frame) in enumerate(tables.items()):
                member = f"{i:02d}_{name}.parquet"
                archive.writestr(member, _frame_to_bytes(frame))
                specs[name] = {"member": member, **_frame_spec(frame)}
            archive.writestr(
                "manifest.json",
                json.dumps({"format": FORMAT_VERSION, "key": key, **manifest, "tables": specs}),
            )
            out.flush()
            os.fsync(out.fileno())
        target = root / f"{key}.zip"
        os.replace(temporary, target)
        temporary = None
    except (OSError, ValueError, TypeError) as error:
        logger.warning("tabellen niet in de cache gezet (%s): %s", root, error)
        return None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    logger.info("tabellen in de cache gezet: %s", target)
    _prune(root, settings.max_entries)
    return target


def _prune(root: Path, keep: int) -> None:
    entries = sorted(root.glob("*.zip"), key=_mtime, reverse=True)
    for old in entries[max(keep, 1) :]:
        old.unlink(missing_ok=True)
    now = time.time()
    for temporary in root.glob(".*.tmp"):
        if now - _mtime(temporary) > _STALE_TEMP_S:  # left by a process that was killed
            temporary.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _discard(file: Path, reason: str) -> None:
    warnings.warn(
        f"het cachebestand {file} is onleesbaar ({reason}); de tabellen worden opnieuw uit de "
        "bestanden gelezen.",
        stacklevel=3,
    )
    logger.warning("onleesbaar cachebestand %s: %s", file, reason)
    try:
        file.unlink(missing_ok=True)
    except OSError:
        pass


def _frame_spec(frame: pd.DataFrame) -> dict[str, object]:
    objects = [c for c in frame.columns if frame[c].dtype == object]
    return {
        "geo": isinstance(frame, gpd.GeoDataFrame),
        "objects": [str(c) for c in objects],
        "missing": {str(c): _missing_kinds(frame[c]) for c in objects},
        "attrs": json.loads(json.dumps(frame.attrs, default=_plain)),
        "rows": len(frame),
    }


_MISSING: dict[str, object] = {"na": pd.NA, "nan": float("nan")}


def _missing_kinds(column: pd.Series) -> dict[str, list[int]]:
    """Positions of missing values other than None (pd.NA, NaN) in an object column."""
    out: dict[str, list[int]] = {}
    for position, value in enumerate(column.to_numpy()):
        if value is pd.NA:
            out.setdefault("na", []).append(position)
        elif isinstance(value, float) and value != value:
            out.setdefault("nan", []).append(position)
    return out


def _frame_to_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, compression="lz4")  # GeoParquet for a GeoDataFrame; lz4 reads fast
    return buffer.getvalue()


def _frame_from_bytes(data: bytes, spec: dict) -> pd.DataFrame:
    source = io.BytesIO(data)
    frame = gpd.read_parquet(source) if spec["geo"] else pd.read_parquet(source)
    for column in spec["objects"]:  # Parquet has no 'object': str/None columns come back as str
        values = frame[column].astype(object)
        values = values.where(values.notna(), None)
        for kind, positions in spec["missing"].get(column, {}).items():
            values.iloc[positions] = _MISSING[kind]
        frame[column] = values
    if len(frame) != spec["rows"]:
        raise ValueError(f"{len(frame)} rijen in plaats van {spec['rows']}")
    frame.attrs = dict(spec["attrs"])
    return frame
