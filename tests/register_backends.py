"""The register backends every contract test runs against (one parametrised fixture).

``register`` is a :class:`RegisterFactory`: ``register()`` gives a fresh, empty register;
``register.new()`` gives the :class:`RegisterSpec` of a fresh one, a picklable description a
child process passes to :func:`~geo.aanbod.backends.open_register` (``spec.open()``) to reach
the same register. A backend that cannot start is skipped with a reason, never mocked.

To add a backend, add its name to :data:`BACKENDS` and a maker to :data:`MAKERS`:
``maker(request, folder) -> RegisterSpec`` creates fresh, empty storage (``folder`` is a new
empty directory that may hold files) — e.g. a new database on a throwaway cluster.
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


def _postgis(request: pytest.FixtureRequest, folder: Path) -> RegisterSpec:
    cluster = request.getfixturevalue("pg_cluster")  # tests/pg_cluster.py (skips if absent)
    name = cluster.create_database()
    request.addfinalizer(lambda: cluster.drop_database(name))
    return RegisterSpec(backend="postgis", data_dir=str(folder), database_url=cluster.url(name))


BACKENDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgres)]
MAKERS: dict[str, Maker] = {"gpkg": _gpkg, "postgis": _postgis}


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


@pytest.fixture(params=BACKENDS)
def register(request: pytest.FixtureRequest, tmp_path: Path) -> RegisterFactory:
    """A factory of fresh registers, once per backend."""
    return RegisterFactory(request.param, request, tmp_path)
