"""The PostGIS register's own behaviour on a real throwaway server (no mocks).

Migrations (idempotent, older and newer schemas), the CLI's Dutch errors for an unreachable
server or a wrong password, ``aanbod kopieer`` GeoPackage -> PostGIS -> GeoPackage with the
history, and the spatial tables (EPSG:28992, GiST). The behaviour both backends share is in
``test_register_contract.py``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal
from psycopg.conninfo import conninfo_to_dict

from geo.aanbod.backends import open_register, register_path
from geo.aanbod.migrate import connect, known_version, migrate, migrations, schema_version
from geo.aanbod.register_gpkg import GeoPackageRegister
from geo.aanbod.register_pg import PostgisRegister
from geo.aanbod.schema import LAYERS
from geo.errors import DataError

pytestmark = pytest.mark.postgres


def wijkkompas(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "WIJKKOMPAS_DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


def table_counts(url: str) -> dict[str, int]:
    with connect(url) as conn:
        if schema_version(conn) == 0:
            return {}
        return {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in (*LAYERS, "history", "gebruikers", "wor_deelnemers")
        }


def point_frame(names: list[str], organisatie: str = "DOCK") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"naam": names, "organisatie": organisatie, "capaciteit": 12},
        geometry=[shapely.Point(136_000 + 10 * i, 455_000) for i in range(len(names))],
        crs="EPSG:28992",
    )


# -- migrations ---------------------------------------------------------------------------------
def test_database_init_twice_creates_the_schema_once(pg_url: str):
    first = wijkkompas("database", "init", "--url", pg_url)
    assert first.returncode == 0, first.stderr
    assert f"schema versie {known_version()}" in first.stdout
    assert f"{len(migrations())} migratie(s) toegepast" in first.stdout
    again = wijkkompas("database", "init", WIJKKOMPAS_DATABASE_URL=pg_url)  # from the environment
    assert again.returncode == 0, again.stderr
    assert "al ingericht" in again.stdout and "niets gewijzigd" in again.stdout
    with connect(pg_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT versie FROM schema_versie ORDER BY 1")]
    assert versions == list(range(1, known_version() + 1))
    assert "0 migratie(s)" not in again.stdout
    assert migrate(pg_url) == []  # and in-process too


def test_an_older_schema_is_refused_until_migreer_brings_it_up_to_date(pg_url: str):
    first = migrations()[0]
    with connect(pg_url) as conn, conn.transaction():
        conn.execute(
            "CREATE TABLE schema_versie (versie integer PRIMARY KEY, naam text NOT NULL, "
            "toegepast timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(first.sql.encode())
        conn.execute("INSERT INTO schema_versie (versie, naam) VALUES (1, %s)", [first.name])
    register = PostgisRegister(pg_url)
    with pytest.raises(DataError, match="database migreer") as refused:
        register.list("activiteiten")
    assert "versie 1" in str(refused.value)
    result = wijkkompas("database", "migreer", "--url", pg_url)
    assert result.returncode == 0, result.stderr
    assert "0002_gebruikers" in result.stdout
    assert PostgisRegister(pg_url).accounts() == []
    again = wijkkompas("database", "migreer", "--url", pg_url)
    assert again.returncode == 0 and "niets gewijzigd" in again.stdout


def test_concurrent_init_applies_every_migration_once(pg_url: str):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        applied = list(pool.map(lambda _: migrate(pg_url), range(4)))
    assert sorted(len(a) for a in applied) == [0, 0, 0, len(migrations())]
    with connect(pg_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT versie FROM schema_versie ORDER BY 1")]
        counters = conn.execute("SELECT count(*) FROM id_teller").fetchone()
    assert versions == list(range(1, known_version() + 1)) and counters == (len(LAYERS),)


def test_migreer_on_an_empty_database_points_to_init(pg_url: str):
    result = wijkkompas("database", "migreer", "--url", pg_url)
    assert result.returncode == 2
    assert "bevat nog geen aanbodregister" in result.stderr and "database init" in result.stderr
    assert table_counts(pg_url) == {}


def test_a_newer_schema_is_refused_everywhere_and_nothing_is_written(pg_url: str, tmp_path: Path):
    migrate(pg_url)
    with connect(pg_url) as conn:
        conn.execute("INSERT INTO schema_versie (versie, naam) VALUES (99, 'toekomst')")
    before = table_counts(pg_url)
    for args in (("database", "migreer", "--url", pg_url), ("database", "init", "--url", pg_url)):
        result = wijkkompas(*args)
        assert result.returncode == 2, result.stdout
        assert result.stderr.startswith("Fout:") and "Traceback" not in result.stderr
        assert "versie 99, nieuwer dan deze Wijkkompas kent" in result.stderr
    with pytest.raises(DataError, match="nieuwer dan deze Wijkkompas"):
        PostgisRegister(pg_url).add("activiteiten", point_frame(["Inloop"]))
    # kopieer in both directions is refused as well
    source = GeoPackageRegister(tmp_path / "aanbod" / "register.gpkg")
    source.add("activiteiten", point_frame(["Inloop"]))
    to_server = wijkkompas("aanbod", "kopieer", "--naar", pg_url, "--data", str(tmp_path))
    assert to_server.returncode == 2 and "nieuwer dan deze Wijkkompas" in to_server.stderr
    back = tmp_path / "terug.gpkg"
    to_file = wijkkompas("aanbod", "kopieer", "--naar", str(back), "--van", pg_url)
    assert to_file.returncode == 2 and "nieuwer dan deze Wijkkompas" in to_file.stderr
    assert not back.exists()
    assert table_counts(pg_url) == before


# -- connection errors ----------------------------------------------------------------------------
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_and_wrong_password_exit_2_in_dutch(pg_cluster, tmp_path: Path):
    name = pg_cluster.create_database()
    good = pg_cluster.url(name)
    wrong = pg_cluster.url(name, password="fout-wachtwoord")
    unreachable = f"postgresql://wijkkompas:x@127.0.0.1:{closed_port()}/wijkkompas"
    source = GeoPackageRegister(tmp_path / "aanbod" / "register.gpkg")
    source.add("activiteiten", point_frame(["Inloop"]))
    cases = {
        unreachable: "is niet bereikbaar",
        wrong: "gebruiker of wachtwoord onjuist",
    }
    for url, message in cases.items():
        for args in (
            ("database", "init", "--url", url),
            ("aanbod", "kopieer", "--naar", url, "--data", str(tmp_path)),
            ("aanbod", "kopieer", "--naar", str(tmp_path / "terug.gpkg"), "--van", url),
        ):
            result = wijkkompas(*args)
            assert result.returncode == 2, (args, result.stdout)
            assert result.stderr.startswith("Fout:") and message in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
            assert "fout-wachtwoord" not in result.stderr  # never echo a password
    assert not (tmp_path / "terug.gpkg").exists()
    assert table_counts(good) == {}  # the real database was never touched
    pg_cluster.drop_database(name)


def test_the_register_reports_a_lost_server_in_dutch(pg_cluster):
    name = pg_cluster.create_database()
    register = PostgisRegister(pg_cluster.url(name))
    register.add("activiteiten", point_frame(["Inloop"]))
    with psycopg.connect(pg_cluster.admin_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
    with pytest.raises(DataError, match="verbinding .* is verbroken"):
        register.list("activiteiten")
    assert list(register.list("activiteiten")["naam"]) == ["Inloop"]  # and reconnects
    pg_cluster.drop_database(name)


# -- tables ----------------------------------------------------------------------------------------
def test_layers_are_postgis_tables_in_rd_new_with_gist_indexes(pg_url: str):
    register = PostgisRegister(pg_url)
    register.add("activiteiten", point_frame(["Inloop"]))
    with connect(pg_url) as conn:
        columns = dict(conn.execute("SELECT f_table_name, srid FROM geometry_columns").fetchall())
        indexes = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist (geometry)%'"
            )
        }
        nearby = conn.execute(
            "SELECT id FROM activiteiten WHERE ST_DWithin(geometry, "
            "ST_SetSRID(ST_MakePoint(136005, 455000), 28992), 10)"
        ).fetchall()
    assert {laag: columns[laag] for laag in LAYERS} == dict.fromkeys(LAYERS, 28992)
    assert indexes == set(LAYERS)
    assert nearby == [("act-000001",)]


def test_open_register_chooses_the_server_from_the_environment(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("WIJKKOMPAS_DATABASE_URL", pg_url)
    register = open_register(tmp_path)
    assert isinstance(register, PostgisRegister)
    assert register.location.startswith("postgresql://wijkkompas@127.0.0.1:")
    password = conninfo_to_dict(pg_url)["password"]
    assert password not in register.location and password not in repr(register)
    assert register.exists is False  # nothing created until the first change
    assert register.stamp() == "leeg"
    register.add("activiteiten", point_frame(["Inloop"]))
    assert register.exists and not register_path(tmp_path).exists()
    first = register.stamp()
    PostgisRegister(pg_url).update("activiteiten", "act-000001", {"naam": "Elders gewijzigd"})
    assert register.stamp() != first  # a change by another process shows in the stamp


@pytest.mark.shared
def test_first_import_to_the_server_takes_the_partner_files_in(
    utrecht_copy: Path, pg_url: str, tmp_path: Path
):
    new = tmp_path / "cursus.csv"
    new.write_text(
        "naam;soort;organisatie;x;y\nComputercursus;training;Bibliotheek;136900;455900\n",
        encoding="utf-8",
    )
    done = wijkkompas(
        "aanbod", "import", str(new), "--data", str(utrecht_copy), "--json",
        WIJKKOMPAS_DATABASE_URL=pg_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["partnerbestanden"]["counts"] == {"activiteiten": 269}
    server = PostgisRegister(pg_url)
    frame = server.list("activiteiten")
    assert len(frame) == 270 and "Computercursus" in set(frame["naam"])
    assert not register_path(utrecht_copy).exists()  # the folder got no GeoPackage
    listed = wijkkompas(
        "aanbod", "list", "--laag", "activiteiten", "--data", str(utrecht_copy), "--json",
        WIJKKOMPAS_DATABASE_URL=pg_url,
    )  # fmt: skip
    assert len(json.loads(listed.stdout)["activiteiten"]) == 270


# -- kopieer ---------------------------------------------------------------------------------------
def filled_gpkg(folder: Path) -> GeoPackageRegister:
    """The demo register plus edits, a removal, an undo, participants and two accounts."""
    register = GeoPackageRegister(register_path(folder))
    ids = register.add("activiteiten", point_frame(["Inloop A", "Inloop B", "Inloop C"]), user="an")
    register.update("activiteiten", ids[0], {"naam": "Inloop A2", "capaciteit": 30}, versie=1)
    register.remove("activiteiten", ids[1], user="bo")
    register.undo(user="bo")
    register.add(
        "buurtmobiel",
        gpd.GeoDataFrame(
            {"naam": ["Buurtmobiel Zuid"]},
            geometry=[shapely.box(136_000, 454_000, 137_000, 455_000)],
            crs="EPSG:28992",
        ),
        wor_deelnemers=pd.DataFrame(
            {"wijk_code": ["WK034409"], "jaar": [2023], "deelnemers": [41], "bron": ["test"]}
        ),
    )
    register.add_account("beheer", rol="beheerder", password="geheim-beheer")
    register.add_account(
        "rita", rol="redacteur", organisatie="DOCK", email="rita@dock.nl", password="geheim123"
    )
    return register


def assert_same_register(expected, found) -> None:
    for laag in LAYERS:
        assert_geodataframe_equal(
            expected.list(laag), found.list(laag), check_dtype=False, check_less_precise=True
        )
    assert_frame_equal(expected.history(), found.history())
    assert_frame_equal(expected.wor_deelnemers(), found.wor_deelnemers(), check_dtype=False)
    assert expected.accounts() == found.accounts()


def test_kopieer_gpkg_to_server_and_back_keeps_everything(pg_url: str, demo_copy: Path, tmp_path):
    source = filled_gpkg(demo_copy)
    counts = {laag: len(source.list(laag)) for laag in LAYERS}
    assert counts["activiteiten"] > 3  # the demo's own rows came along

    up = wijkkompas("aanbod", "kopieer", "--naar", pg_url, "--data", str(demo_copy))
    assert up.returncode == 0, up.stderr
    assert f"{counts['activiteiten']} activiteiten" in up.stdout
    assert f"{len(source.history())} wijziging(en)" in up.stdout and "2 account(s)" in up.stdout
    server = PostgisRegister(pg_url)
    assert_same_register(source, server)
    assert server.login("rita", "geheim123").organisatie == "DOCK"  # hashes copied as they are

    back = tmp_path / "reserve" / "register.gpkg"
    down = wijkkompas("aanbod", "kopieer", "--naar", str(back), WIJKKOMPAS_DATABASE_URL=pg_url)
    assert down.returncode == 0, down.stderr
    copy = GeoPackageRegister(back)
    assert_same_register(source, copy)
    assert sorted(p.name for p in back.parent.iterdir()) == ["register.gpkg"]  # no leftovers

    # the backup opens with plain GDAL (as QGIS would), layers in EPSG:28992
    layers = dict(pyogrio.list_layers(back).tolist())
    assert layers["activiteiten"] == "Point" and layers["buurtmobiel"] == "MultiPolygon"
    plain = gpd.read_file(back, layer="activiteiten")
    assert plain.crs.to_epsg() == 28992 and len(plain) == counts["activiteiten"]
    assert "Inloop A2" in set(plain["naam"])

    # both copies go on numbering after the highest id, also one only the history knows
    source_ids = source.add("activiteiten", point_frame(["Nieuw"]))
    assert server.add("activiteiten", point_frame(["Nieuw"])) == source_ids
    assert copy.add("activiteiten", point_frame(["Nieuw"])) == source_ids


def test_kopieer_refuses_a_filled_server_and_an_existing_file(pg_url: str, tmp_path: Path):
    source = filled_gpkg(tmp_path)
    server = PostgisRegister(pg_url)
    server.add("activiteiten", point_frame(["Al op de server"]))
    before = table_counts(pg_url)
    result = wijkkompas("aanbod", "kopieer", "--naar", pg_url, "--data", str(tmp_path))
    assert result.returncode == 2
    assert "is niet leeg (1 in activiteiten, 1 in history)" in result.stderr
    assert table_counts(pg_url) == before

    existing = tmp_path / "bestaat.gpkg"
    existing.write_bytes(b"iets")
    result = wijkkompas("aanbod", "kopieer", "--naar", str(existing), "--van", pg_url)
    assert result.returncode == 2 and "overschrijft nooit" in result.stderr
    assert existing.read_bytes() == b"iets"
    assert len(source.history()) == 8


def test_a_copy_that_fails_halfway_writes_nothing(pg_url: str, tmp_path: Path):
    from geo.aanbod._copy_gpkg import snapshot_from_gpkg
    from geo.aanbod.copy import snapshot_to_postgis

    source = filled_gpkg(tmp_path)
    snapshot = snapshot_from_gpkg(source.path)
    # a damaged source: two accounts with one name, copied after the layers and the history
    snapshot.accounts["naam"] = "rita"
    with pytest.raises(DataError, match="mislukt: duplicate key .* er is niets gekopieerd"):
        snapshot_to_postgis(snapshot, pg_url)
    assert set(table_counts(pg_url).values()) == {0}  # layers and history rolled back too
