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


def _postgis(request: pytest.FixtureRequest, folder: Path) -> RegisterSpec:
    cluster = request.getfixturevalue("pg_cluster")  # tests/pg_cluster.py (skips if absent)
    name = cluster.create_database()
    request.addfinalizer(lambda: cluster.drop_database(name))
    return RegisterSpec(backend="postgis", data_dir=str(folder), database_url=cluster.url(name))


def _postgis_raw(spec: RegisterSpec) -> bytes:
    import psycopg

    with psycopg.connect(spec.database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        dumps = [
            str(
                conn.execute(
                    f"SELECT coalesce(string_agg(t::text, '\n'), '') FROM {t} AS t"
                ).fetchone()[0]
            )  # fmt: skip
            for t in tables
        ]
    return "\n".join(dumps).encode()


def _postgis_integrity(spec: RegisterSpec) -> None:
    import psycopg

    from geo.aanbod.register import ID_PREFIX

    with psycopg.connect(spec.database_url) as conn:
        for laag, prefix in ID_PREFIX.items():
            wrong = conn.execute(
                f"SELECT count(*) FROM {laag} WHERE geometry IS NOT NULL "
                "AND (ST_SRID(geometry) <> 28992 OR NOT ST_IsValid(geometry))"
            ).fetchone()[0]
            assert wrong == 0, f"{laag}: {wrong} geometrieën buiten EPSG:28992 of ongeldig"
            highest = conn.execute(
                f"SELECT max(substr(id, {len(prefix) + 2})::int) FROM {laag} "
                f"WHERE id ~ '^{prefix}-[0-9]+$'"
            ).fetchone()[0]
            counter = conn.execute(
                "SELECT laatste FROM id_teller WHERE laag = %s", [laag]
            ).fetchone()[0]
            assert (highest or 0) <= counter, f"id_teller van {laag} ({counter}) < {highest}"
        # the GiST index answers like a full scan
        conn.execute("SET enable_seqscan = off")
        by_index = conn.execute(
            "SELECT count(*) FROM activiteiten "
            "WHERE geometry && ST_MakeEnvelope(0, 0, 1e6, 1e6, 28992)"
        ).fetchone()[0]
        conn.execute("SET enable_seqscan = on")
        located = conn.execute(
            "SELECT count(*) FROM activiteiten WHERE geometry IS NOT NULL"
        ).fetchone()[0]
        assert by_index == located, f"GiST-index: {by_index} van {located} rijen"


BACKENDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgres)]
MAKERS: dict[str, Maker] = {"gpkg": _gpkg, "postgis": _postgis}
RAW: dict[str, Callable[[RegisterSpec], bytes]] = {"gpkg": _gpkg_raw, "postgis": _postgis_raw}
INTEGRITY: dict[str, Callable[[RegisterSpec], None]] = {
    "gpkg": _gpkg_integrity,
    "postgis": _postgis_integrity,
}


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
