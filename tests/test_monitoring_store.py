"""Measurements and notes in the register's backend: one suite for GeoPackage and PostGIS."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from geo.aanbod.accounts import Account
from geo.errors import DataError, PermissionDeniedError
from geo.monitoring.store import open_monitoring


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "gpkg":
        return open_monitoring(tmp_path, database_url="")
    url = request.getfixturevalue("pg_url")
    return open_monitoring(tmp_path, database_url=url)


def rows(*values: tuple[str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"indicator": i, "periode": p, "gebied": g, "waarde": w} for i, p, g, w in values]
    )


def test_empty_store_reads_nothing_and_writes_nothing(store, tmp_path):
    assert store.measurements().empty and store.notes().empty and store.history().empty
    assert not (tmp_path / "aanbod" / "register.gpkg").exists()


def test_measurements_round_trip_with_history_and_undo(store):
    ids = store.add_measurements(
        rows(("lezingen", "2024", "", 7), ("welzijn_op_recept", "2024H1", "WK034403", 41)),
        user="ann",
    )
    assert ids == ["met-000001", "met-000002"]
    stored = store.measurements()
    assert stored["waarde"].tolist() == [7.0, 41.0]
    assert set(stored["ingevoerd_door"]) == {"ann"}

    # a duplicate without vervang: refused, nothing stored (also not the new row beside it)
    with pytest.raises(DataError, match="al een waarde opgeslagen.*niets opgeslagen"):
        store.add_measurements(
            rows(("trainingen", "2024", "", 3), ("lezingen", "2024", "", 8)), user="bob"
        )
    assert len(store.measurements()) == 2

    store.add_measurements(rows(("lezingen", "2024", "", 8)), user="bob", vervang=True)
    lezingen = store.measurements(indicator="lezingen").iloc[0]
    assert (lezingen["waarde"], lezingen["versie"], lezingen["ingevoerd_door"]) == (8.0, 2, "bob")

    assert "ongedaan gemaakt" in store.undo()
    lezingen = store.measurements(indicator="lezingen").iloc[0]
    assert (lezingen["waarde"], lezingen["versie"]) == (7.0, 1)
    assert store.undo().startswith("2 meting(en)")  # the first batch: both rows
    assert store.measurements().empty
    with pytest.raises(DataError, match="niets om ongedaan"):
        store.undo()
    assert store.history()["actie"].tolist() == [
        "toegevoegd",
        "toegevoegd",
        "gewijzigd",
        "ongedaan",
        "ongedaan",
        "ongedaan",
    ]


def test_redacteur_undoes_only_own_change(store):
    ann = Account("ann", "redacteur", organisatie="DOCK")
    store.add_measurements(rows(("lezingen", "2024", "", 7)), user=ann)
    store.add_note("WK034403", "Veel vragen over vervoer naar de huisarts.", user="bob")
    assert store.undo(user=ann).startswith("1 meting(en)")
    assert len(store.notes()) == 1
    note = store.notes().iloc[0]
    with pytest.raises(PermissionDeniedError):
        store.remove(note["id"], user=ann)


def test_notes_are_stored_as_typed(store):
    payload = '<script>alert("x")</script> & "Overvecht"'
    ident = store.add_note(
        "WK034403",
        payload,
        auteur="Wijkgesprek",
        datum="2025-03-14",
        link="https://example.org/verslag",
        user="ann",
    )
    note = store.notes(gebied="WK034403").iloc[0]
    assert (note["id"], note["tekst"], note["auteur"], note["datum"]) == (
        ident,
        payload,
        "Wijkgesprek",
        "2025-03-14",
    )
    assert store.notes(gebied="WK034401").empty
    store.remove(ident, user="ann")
    assert store.notes().empty
    store.undo()
    assert store.notes()["tekst"].tolist() == [payload]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"tekst": "  "}, "leeg"),
        ({"link": "javascript:alert(1)"}, "http"),
        ({"datum": "14-03-2025"}, "geldige datum"),
    ],
)
def test_bad_notes_store_nothing(store, kwargs, fragment):
    arguments = {"gebied": "WK034403", "tekst": "Goed gesprek.", **kwargs}
    with pytest.raises(DataError, match=fragment):
        store.add_note(**arguments)
    assert store.notes().empty


def test_gpkg_tables_live_in_the_register_file(tmp_path):
    store = open_monitoring(tmp_path, database_url="")
    store.add_note("BU1", "Bankje mist.", user="ann")
    path = tmp_path / "aanbod" / "register.gpkg"
    with sqlite3.connect(path) as connection:
        kinds = dict(
            connection.execute(
                "SELECT table_name, data_type FROM gpkg_contents WHERE table_name LIKE '%notities'"
            ).fetchall()
        )
    assert kinds == {"gebied_notities": "attributes"}
    import pyogrio

    assert len(pyogrio.read_dataframe(path, layer="gebied_notities")) == 1
    # the register itself still works on the same file
    from geo.aanbod.backends import open_register

    assert open_register(tmp_path, database_url="").list("activiteiten").empty


@pytest.mark.postgres
def test_postgis_schema_has_the_monitoring_migration(pg_url, tmp_path):
    from geo.aanbod.migrate import connect, known_version, schema_version

    store = open_monitoring(tmp_path, database_url=pg_url)
    store.add_note("BU1", "Bankje mist.", user="ann")
    with connect(pg_url) as conn:
        assert schema_version(conn) == known_version() >= 3
        name = conn.execute("SELECT naam FROM schema_versie WHERE versie = 3").fetchone()[0]
    assert name == "monitoring"


def _add_many(spec: tuple[str, int]) -> None:
    folder, worker = spec
    store = open_monitoring(folder, database_url="")
    for number in range(15):
        store.add_measurements(
            rows(("lezingen", f"{2000 + worker * 20 + number}", "", number)), user=f"w{worker}"
        )


def test_gpkg_several_processes_at_once(tmp_path):
    import multiprocessing

    open_monitoring(tmp_path, database_url="").add_note("BU1", "start", user="ann")
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_add_many, [(str(tmp_path), worker) for worker in range(4)])
    store = open_monitoring(tmp_path, database_url="")
    stored = store.measurements()
    assert len(stored) == 60 and stored["id"].is_unique
    history = store.history()
    assert len(history) == 61 and history["volgnummer"].tolist() == list(range(1, 62))


def test_gpkg_locked_file_is_a_dutch_error(tmp_path, monkeypatch):
    from geo.aanbod import _gpkg

    store = open_monitoring(tmp_path, database_url="")
    store.add_note("BU1", "start", user="ann")
    monkeypatch.setattr(_gpkg, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(tmp_path / "aanbod" / "register.gpkg", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DataError, match="bezet"):
            store.add_note("BU1", "tweede", user="bob")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.notes()["tekst"].tolist() == ["start"]


@pytest.mark.postgres
def test_copy_gpkg_to_postgis_and_back(tmp_path, pg_url):
    from geo.monitoring.copy import copy_monitoring

    source = open_monitoring(tmp_path / "a", database_url="")
    source.add_measurements(rows(("lezingen", "2024", "", 7)), user="ann")
    source.add_note("WK034403", "Bankje mist.", user="bob")
    server = open_monitoring(tmp_path / "a", database_url=pg_url)
    counts = copy_monitoring(source, server)
    assert (counts["monitoring_metingen"], counts["gebied_notities"]) == (1, 1)
    assert server.measurements()["id"].tolist() == ["met-000001"]
    assert server.history()["wie"].tolist() == ["ann", "bob"]
    with pytest.raises(DataError, match="al monitoringgegevens"):
        copy_monitoring(source, server)
    back = open_monitoring(tmp_path / "b", database_url="")
    copy_monitoring(server, back)
    assert back.notes()["tekst"].tolist() == ["Bankje mist."]
    assert back.add_note("BU1", "Nog een.", user="ann") == "not-000002"  # counters kept
    assert back.undo().startswith("1 notitie(s)")
