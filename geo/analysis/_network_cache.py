"""On-disk cache of built walking graphs (``.npz``), outside the data folder.

A cache file is named by the SHA-256 of the extract's bytes, the reader options and
:data:`FORMAT_VERSION`; a changed file or a new format version is a miss. Files are written to
a temporary name and renamed, so a reader never sees half a file; a file that cannot be read is
a warning, is removed and the graph is built again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3
"""Raise when the graph built from the same file would differ (tag rules, node choice)."""

SUBFOLDER = "netwerk"


def default_cache_dir() -> Path:
    """The folder of cached graphs: ``netwerk/`` in the user cache.

    ``WIJKKOMPAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/wijkkompas``, else
    ``~/.cache/wijkkompas`` (the same folder as the HTTP cache of the online sources).
    """
    explicit = os.environ.get("WIJKKOMPAS_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser() / SUBFOLDER
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "wijkkompas" / SUBFOLDER


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(4 * 2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_key(digest: str, ferry_speed_kmh: float) -> str:
    """The cache file's stem for an extract and the reader's options."""
    return f"{digest[:40]}-f{ferry_speed_kmh:g}-v{FORMAT_VERSION}"


def load(
    folder: Path, key: str
) -> tuple[sparse.csr_array, np.ndarray, dict[str, np.ndarray]] | None:
    """The cached graph, node coordinates and extra arrays, or None.

    None when there is no such file, or when it is corrupt (then with a warning, and removed).
    """
    path = folder / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format_version"]) != FORMAT_VERSION:
                raise ValueError(f"formaatversie {int(data['format_version'])}")
            n = int(data["n"])
            graph = sparse.csr_array((data["data"], data["indices"], data["indptr"]), shape=(n, n))
            node_xy = np.array(data["node_xy"], dtype=float)
            extra = {name: np.array(data[name]) for name in data.files if name.startswith("x_")}
        if node_xy.shape != (n, 2) or len(graph.indptr) != n + 1:
            raise ValueError("vorm klopt niet")
        graph.check_format(full_check=False)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        warnings.warn(
            f"het opgeslagen loopnetwerk {path} is onleesbaar ({error}); het wordt opnieuw "
            "opgebouwd.",
            stacklevel=3,
        )
        logger.warning("onleesbare netwerk-cache %s: %s", path, error)
        path.unlink(missing_ok=True)
        return None
    return graph, node_xy, {name[2:]: value for name, value in extra.items()}


def store(
    folder: Path,
    key: str,
    graph: sparse.csr_array,
    node_xy: np.ndarray,
    extra: dict[str, np.ndarray] | None = None,
) -> Path | None:
    """Write the graph (and extra arrays) atomically; None when the folder is not writable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}-", suffix=".npz", dir=folder)
        arrays: dict[str, Any] = {
            "format_version": np.int64(FORMAT_VERSION),
            "n": np.int64(graph.shape[0]),
            "data": graph.data,
            "indices": graph.indices,
            "indptr": graph.indptr,
            "node_xy": node_xy,
        }
        arrays.update({f"x_{name}": value for name, value in (extra or {}).items()})
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)
        target = folder / f"{key}.npz"
        os.replace(temporary, target)
    except OSError as error:
        logger.warning("loopnetwerk niet in de cache gezet (%s): %s", folder, error)
        return None
    return target
