"""The register backends every contract test runs against (one parametrised fixture).

``register`` is a :class:`RegisterFactory`: ``register()`` gives a fresh, empty register;
``register.new()`` gives the :class:`RegisterSpec` of a fresh one, a picklable description a
child process passes to :func:`~geo.aanbod.backends.open_register` (``spec.open()``) to reach
the same register. A backend that cannot start is skipped with a reason, never mocked.

To add a backend, add its name to :data:`BACKENDS` and functions to the dicts:

* :data:`MAKERS`: ``maker(request, folder) -> RegisterSpec`` creates fresh, empty storage
  (``folder`` is a new empty directory that may hold files), e.g. a new database;
* :data:`RAW`: ``raw(spec) -> bytes``, everything the backend stored, as bytes (the tests
  check that no password is stored in plain text);
* :data:`INTEGRITY`: ``check(spec) -> None``, the backend's own consistency check, which
  raises ``AssertionError`` on a damaged store (after a process was killed mid-change).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.aanbod.backends import open_register
from geo.aanbod.register import AanbodRegister


@dataclass(frozen=True)
class RegisterSpec:
    """How any process opens one register: a data folder and, for a server, its URL.

    ``database_url=""`` means the GeoPackage in ``data_dir`` whatever the environment says.
    """

    backend: str
    data_dir: str
    database_url: str = ""

    def open(self) -> AanbodRegister:
        """Open the register this spec names."""
        return open_register(self.data_dir, database_url=self.database_url)


Maker = Callable[[pytest.FixtureRequest, Path], RegisterSpec]


def _gpkg(request: pytest.FixtureRequest, folder: Path) -> RegisterSpec:
    return RegisterSpec(backend="gpkg", data_dir=str(folder), database_url="")


def _gpkg_raw(spec: RegisterSpec) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(Path(spec.data_dir).rglob("*")) if p.is_file())


def _gpkg_integrity(spec: RegisterSpec) -> None:
    import sqlite3

    import pyogrio

    from geo.aanbod.backends import register_path

    path = register_path(spec.data_dir)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        for laag in ("activiteiten", "buurtmobiel"):
            located = connection.execute(
                f"SELECT count(*) FROM {laag} WHERE geom IS NOT NULL"
            ).fetchone()[0]
            indexed = connection.execute(f"SELECT count(*) FROM rtree_{laag}_geom").fetchone()[0]
            assert located == indexed, f"R-tree van {laag}: {indexed} van {located} rijen"
    for laag in ("activiteiten", "history"):
        pyogrio.read_dataframe(path, layer=laag)  # GDAL opens every layer


BACKENDS = ["gpkg"]
MAKERS: dict[str, Maker] = {"gpkg": _gpkg}
RAW: dict[str, Callable[[RegisterSpec], bytes]] = {"gpkg": _gpkg_raw}
INTEGRITY: dict[str, Callable[[RegisterSpec], None]] = {"gpkg": _gpkg_integrity}


class RegisterFactory:
    """Fresh, empty registers of one backend, each in its own folder under ``tmp_path``."""

    def __init__(self, backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
        self.backend = backend
        self._request = request
        self._tmp_path = tmp_path
        self._counter = itertools.count(1)

    def new(self) -> RegisterSpec:
        """The spec of a fresh, empty register."""
        folder = self._tmp_path / f"{self.backend}-{next(self._counter)}"
        folder.mkdir(parents=True)
        return MAKERS[self.backend](self._request, folder)

    def __call__(self) -> AanbodRegister:
        """A fresh, empty register."""
        return self.new().open()

    def raw(self, spec: RegisterSpec) -> bytes:
        """Everything the backend stored for ``spec``, as bytes."""
        return RAW[self.backend](spec)

    def check_integrity(self, spec: RegisterSpec) -> None:
        """The backend's own consistency check of the register ``spec`` names."""
        INTEGRITY[self.backend](spec)


@pytest.fixture(params=BACKENDS)
def register(request: pytest.FixtureRequest, tmp_path: Path) -> RegisterFactory:
    """A factory of fresh registers, once per backend."""
    return RegisterFactory(request.param, request, tmp_path)
