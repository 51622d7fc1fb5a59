"""Scenarios stored with the aanbod register: GeoPackage table or PostGIS (migration 0004).

One table ``scenarios`` (``geo/aanbod/migrations/0004_scenarios.sql``) in the register's own
storage: the GeoPackage ``aanbod/register.gpkg`` of the data folder (created from the same
SQL file, registered in ``gpkg_contents`` as ``attributes``) or the PostgreSQL database of
the server register. A scenario's changes are kept as JSON with its author, creation and
change time and a version number that grows with every save; the aanbod rows themselves
are never touched.

Examples
--------
>>> store = open_scenarios("data", database_url="")  # doctest: +SKIP
>>> store.save(Scenario("inloop Overvecht", nieuw=(NewActivity(5.11, 52.12),)), auteur="anna")
... # doctest: +SKIP
>>> [s.naam for s in store.list()]  # doctest: +SKIP
['inloop Overvecht']
"""

from __future__ import annotations

import json
import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from geo.aanbod.side_tables import GeoPackageSideTables, PostgisSideTables
from geo.analysis.scenario import Scenario
from geo.errors import DataError

logger = logging.getLogger(__name__)

TABLE = "scenarios"
MIGRATION = "0004_scenarios.sql"
"""The PostGIS migration whose table the GeoPackage register holds too."""

_FIELDS = "naam, groep, wijzigingen, auteur, aangemaakt_op, gewijzigd_op, versie"


class _Cursor(Protocol):
    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class ScenarioStore(ABC):
    """The scenarios of one register (list, open, save — new or changed —, delete)."""

    location: str

    @abstractmethod
    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[_Cursor | None]:
        """A transaction; None when reading and nothing was ever stored."""

    def list(self) -> list[Scenario]:
        """All stored scenarios, by name."""
        with self._transaction(write=False) as cur:
            if cur is None:
                return []
            rows = cur.run(f"SELECT {_FIELDS} FROM {TABLE} ORDER BY naam")
        return [_scenario(row) for row in rows]

    def get(self, naam: str) -> Scenario:
        """One stored scenario.

        Raises
        ------
        DataError
            No scenario of that name (the message lists the stored ones).
        """
        with self._transaction(write=False) as cur:
            rows = (
                []
                if cur is None
                else cur.run(f"SELECT {_FIELDS} FROM {TABLE} WHERE naam = %s", [naam])
            )
        if not rows:
            known = [s.naam for s in self.list()]
            raise DataError(
                "dit scenario is niet opgeslagen.",
                value=naam,
                hint=("opgeslagen: " + ", ".join(known)) if known else "er is nog geen scenario.",
            )
        return _scenario(rows[0])

    def save(self, scenario: Scenario, *, auteur: str = "") -> Scenario:
        """Store a new scenario or replace the one of the same name (its version + 1).

        Returns
        -------
        Scenario
            As stored (author, time, version filled in).
        """
        naam = scenario.naam.strip()
        if not naam:
            raise DataError("een scenario heeft een naam nodig.", hint="geef --opslaan NAAM.")
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        changes = json.dumps(scenario.changes(), ensure_ascii=False, sort_keys=True)
        who = auteur or scenario.auteur
        with self._transaction(write=True) as cur:
            assert cur is not None  # a write transaction creates the table
            found = cur.run(f"SELECT versie FROM {TABLE} WHERE naam = %s", [naam])
            if found:
                cur.run(
                    f"UPDATE {TABLE} SET groep = %s, wijzigingen = %s, auteur = %s, "
                    "gewijzigd_op = %s, versie = versie + 1 WHERE naam = %s",
                    [scenario.groep, changes, who, now, naam],
                )
            else:
                cur.run(
                    f"INSERT INTO {TABLE} ({_FIELDS}) VALUES (%s, %s, %s, %s, %s, %s, 1)",
                    [naam, scenario.groep, changes, who, now, now],
                )
            row = cur.run(f"SELECT {_FIELDS} FROM {TABLE} WHERE naam = %s", [naam])[0]
        logger.info("scenario %r opgeslagen (versie %s) in %s", naam, row[6], self.location)
        return _scenario(row)

    def delete(self, naam: str) -> None:
        """Remove a stored scenario (a DataError when there is none of that name)."""
        self.get(naam)
        with self._transaction(write=True) as cur:
            assert cur is not None
            cur.run(f"DELETE FROM {TABLE} WHERE naam = %s", [naam])
        logger.info("scenario %r verwijderd uit %s", naam, self.location)


def _scenario(row: tuple[Any, ...]) -> Scenario:
    naam, groep, changes, auteur, _created, changed, versie = row
    return Scenario.from_changes(
        str(naam),
        json.loads(changes),
        groep=str(groep or ""),
        auteur=str(auteur or ""),
        tijd=str(changed),
        versie=int(versie),
    )


class GeoPackageScenarioStore(GeoPackageSideTables, ScenarioStore):
    """Scenarios in the data folder's GeoPackage register (table ``scenarios``)."""

    marker_table = TABLE
    creator = "wijkkompas scenario"

    def _ensure_tables(self, connection: sqlite3.Connection) -> None:
        for statement in _statements():
            connection.execute(statement)
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "srs_id) VALUES (?, 'attributes', ?, 0)",
            (TABLE, TABLE),
        )


class PostgisScenarioStore(PostgisSideTables, ScenarioStore):
    """Scenarios in the server register's database (migration ``0004_scenarios.sql``)."""

    needs_version = 4
    lock_table = TABLE


def open_scenarios(
    data_dir: str | Path, *, database_url: str | None = None, areas: Any = None
) -> ScenarioStore:
    """The scenario store next to a data folder's register (GeoPackage or PostGIS).

    Parameters
    ----------
    data_dir
        The dataset folder.
    database_url
        As :func:`geo.aanbod.backends.open_register`: None reads ``WIJKKOMPAS_DATABASE_URL``,
        ``""`` forces the GeoPackage.
    areas
        Canonical areas, for when the first save creates the GeoPackage register.
    """
    from geo.aanbod.backends import open_register
    from geo.aanbod.register_gpkg import GeoPackageRegister

    register = open_register(data_dir, database_url=database_url)
    if isinstance(register, GeoPackageRegister):
        return GeoPackageScenarioStore(register, data_dir=data_dir, areas=areas)
    return PostgisScenarioStore(register)


def _statements() -> list[str]:
    sql = resources.files("geo.aanbod").joinpath("migrations", MIGRATION).read_text("utf-8")
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
