from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.aanbod import GeoPackageRegister, import_file, load_aanbod, register_path
from geo.errors import DataError
from tests.aanbod_corpus_paths import CORPUS
from tests.conftest import UTRECHT


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def register(demo_copy: Path) -> GeoPackageRegister:
    return GeoPackageRegister(register_path(demo_copy))


def test_demo_register_has_every_layer(demo_dataset):
    aanbod = load_aanbod(demo_dataset.path, areas=demo_dataset.areas)
    assert not aanbod.read_only
    sizes = {name: len(frame) for name, frame in aanbod.layers.items()}
    assert sizes["activiteiten"] >= 200 and sizes["ov_haltes"] > 10
    assert sizes["buurtmobiel"] == 2 and sizes["lief_en_leed"] > 5
    assert set(aanbod.layers["activiteiten"]["soort"]) >= {
        "ontmoeting",
        "maatjes",
        "samen_eten",
        "bewegen",
    }
    assert aanbod.wor_deelnemers["deelnemers"].sum() > 0


def test_round_trip_import_list_equals_input(register: GeoPackageRegister, demo_dataset):
    result = import_file(CORPUS / "mixed_decimals.csv", areas=demo_dataset.areas)
    before = len(register.list("activiteiten"))
    ids = register.add("activiteiten", result.frame, user="test")
    stored = register.list("activiteiten")
    assert len(stored) == before + 2
    back = normalise(stored[stored["id"].isin(ids)].drop(columns=["id", "versie"]))
    expected = normalise(result.frame.drop(columns="id"))
    assert_geodataframe_equal(back, expected, check_dtype=False, check_less_precise=True)


def normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Missing text as None, numbers as float, a fresh index."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if column == "geometry":
            continue
        if column == "capaciteit":
            out[column] = out[column].astype(float)
        else:
            out[column] = [None if v is None or v != v else str(v) for v in out[column]]
    return out


def test_rejected_import_leaves_register_byte_identical(register: GeoPackageRegister, demo_dataset):
    before = digest(register.path)
    result = import_file(CORPUS / "sea_coordinates.csv", areas=demo_dataset.areas)
    assert result.counts["rejected"] == 1
    assert register.add("activiteiten", result.frame, user="test") == []
    with pytest.raises(DataError):
        import_file(CORPUS / "ragged.csv", areas=demo_dataset.areas)
    assert digest(register.path) == before


def test_interrupted_write_leaves_register_unchanged(
    register: GeoPackageRegister, demo_dataset, monkeypatch: pytest.MonkeyPatch
):
    before = digest(register.path)
    count = len(register.list("activiteiten"))

    def crash(self: GeoPackageRegister) -> None:  # rows and history written, not committed
        raise OSError("schijf vol (gesimuleerd)")

    monkeypatch.setattr(GeoPackageRegister, "_before_commit", crash)
    result = import_file(CORPUS / "mixed_decimals.csv", areas=demo_dataset.areas)
    with pytest.raises(OSError, match="gesimuleerd"):
        register.add("activiteiten", result.frame, user="test")
    assert digest(register.path) == before
    assert len(register.list("activiteiten")) == count
    assert sorted(p.name for p in register.path.parent.iterdir() if "register" in p.name) == [
        "register.gpkg"
    ]


def test_update_remove_undo_and_history(register: GeoPackageRegister):
    frame = register.list("activiteiten")
    first, second = frame["id"].iloc[0], frame["id"].iloc[1]
    old_name = frame["naam"].iloc[0]
    register.update("activiteiten", first, {"naam": "Nieuw <b>"}, user="anna")
    register.remove("activiteiten", second, user="anna")
    assert second not in set(register.list("activiteiten")["id"])
    assert register.undo(user="anna") == "1 rij(en) verwijderd uit activiteiten ongedaan gemaakt"
    assert second in set(register.list("activiteiten")["id"])
    assert register.list("activiteiten").set_index("id").loc[first, "naam"] == "Nieuw <b>"
    register.undo(user="anna")
    assert register.list("activiteiten").set_index("id").loc[first, "naam"] == old_name
    history = register.history()
    changed = history[history["actie"] == "gewijzigd"].iloc[-1]
    assert changed["wie"] == "anna" and json.loads(changed["oud"])["naam"] == old_name
    with pytest.raises(DataError, match="onbekende of vaste velden"):
        register.update("activiteiten", first, {"kleur": "rood"})
    with pytest.raises(DataError, match="geen rij met id"):
        register.remove("activiteiten", "act-999999")


def test_duplicate_against_register_names_existing_id(
    register: GeoPackageRegister, demo_dataset, tmp_path: Path
):
    existing = register.list("activiteiten").iloc[0]
    x, y = existing.geometry.x + 5, existing.geometry.y
    path = tmp_path / "dubbel.csv"
    path.write_text(f"naam;soort;x;y\n{existing['naam'].upper()};ontmoeting;{x};{y}\n")
    result = import_file(path, areas=demo_dataset.areas, existing=register.list("activiteiten"))
    assert result.report["status"].iloc[0] == "geaccepteerd met waarschuwing"
    assert existing["id"] in result.report["reason"].iloc[0]


@pytest.mark.shared
def test_partner_files_are_read_only_and_never_written(utrecht_dataset):
    before = {p.name: digest(p) for p in (UTRECHT / "aanbod").iterdir()}
    aanbod = load_aanbod(UTRECHT, areas=utrecht_dataset.areas)
    assert aanbod.read_only
    assert len(aanbod.layers["activiteiten"]) == 258 + 11
    assert set(aanbod.reports) == {
        "mulier_sportaccommodaties_utrecht.csv",
        "sportscholen_zuilen.csv",
    }
    assert {p.name: digest(p) for p in (UTRECHT / "aanbod").iterdir()} == before


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, check=False
    )


def test_cli_import_json_dry_run_list_and_undo(demo_copy: Path):
    gpkg = register_path(demo_copy)
    before = digest(gpkg)
    dry = wijkkompas(
        "aanbod",
        "import",
        str(CORPUS / "lief_en_leed_problems.csv"),
        "--laag",
        "lief-en-leed",
        "--data",
        str(demo_copy),
        "--json",
        "--dry-run",
    )
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert (report["accepted"], report["warnings"], report["rejected"]) == (0, 2, 2)
    assert report["rows"][0] == {"row": 2, "status": "afgewezen", "reason": "straatnaam ontbreekt"}
    assert digest(gpkg) == before
    real = wijkkompas(
        "aanbod", "import", str(CORPUS / "mixed_decimals.csv"), "--data", str(demo_copy), "--json"
    )
    assert json.loads(real.stdout)["stored"] == 2
    listed = json.loads(
        wijkkompas(
            "aanbod", "list", "--laag", "activiteiten", "--data", str(demo_copy), "--json"
        ).stdout
    )
    assert {"Inloop A", "Inloop B"} <= {r["naam"] for r in listed["activiteiten"]}
    undo = wijkkompas("aanbod", "undo", "--data", str(demo_copy))
    assert "2 rij(en) toegevoegd aan activiteiten ongedaan gemaakt" in undo.stdout
    bad = wijkkompas("aanbod", "import", str(CORPUS / "ragged.csv"), "--data", str(demo_copy))
    assert bad.returncode == 2 and bad.stderr.startswith("Fout:") and "Traceback" not in bad.stderr


def test_geopackage_layers_open_with_plain_gdal(register: GeoPackageRegister):
    layers = dict(gpd.list_layers(register.path).values.tolist())
    assert {"activiteiten", "buurtmobiel", "history"} <= set(layers)


def test_older_register_is_read_as_is_and_migrated_on_first_write(register: GeoPackageRegister):
    """The bundled demo register predates versie: reading leaves it byte-identical."""
    import sqlite3

    import pyogrio

    before = digest(register.path)
    frame = register.list("activiteiten")
    assert set(frame["versie"]) == {1} and register.accounts() == []
    register.layers(), register.history(), register.wor_deelnemers()
    assert digest(register.path) == before
    highest = max(int(i.split("-")[1]) for i in register.history()["id"] if i.startswith("act-"))
    (new,) = register.add("activiteiten", frame.drop(columns="versie").head(1), user="test")
    assert new == f"act-{highest + 1:06d}"
    ident = frame["id"].iloc[0]
    assert register.update("activiteiten", ident, {"naam": "Na de migratie"}, versie=1) == 2
    with sqlite3.connect(register.path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert "versie" in [r[1] for r in connection.execute("PRAGMA table_info(activiteiten)")]
    by_gdal = pyogrio.read_dataframe(register.path, layer="activiteiten").set_index("id")
    assert by_gdal.loc[ident, "naam"] == "Na de migratie" and by_gdal.loc[ident, "versie"] == 2
    assert len(by_gdal) == len(frame) + 1
    # the spatial index follows the rows: a bbox query through GDAL finds the new row
    x, y = frame.geometry.iloc[0].x, frame.geometry.iloc[0].y
    near = pyogrio.read_dataframe(
        register.path, layer="activiteiten", bbox=(x - 1, y - 1, x + 1, y + 1)
    )
    assert {ident, new} <= set(near["id"])


def test_whole_file_rewrite_reference_still_works(demo_copy: Path):
    """Kept for benchmarks/bench_register.py: the old way, on the same file."""
    from geo.aanbod.register_rewrite import WholeFileRewriteRegister

    old = WholeFileRewriteRegister(register_path(demo_copy))
    ident = old.list("activiteiten")["id"].iloc[0]
    old.update("activiteiten", ident, {"naam": "herschreven"}, user="bench")
    fresh = GeoPackageRegister(register_path(demo_copy))
    assert fresh.list("activiteiten").set_index("id").loc[ident, "naam"] == "herschreven"


def test_damaged_register_is_a_dutch_message_not_a_traceback(demo_copy: Path):
    gpkg = register_path(demo_copy)
    gpkg.write_bytes(b"dit is geen GeoPackage" * 100)
    listed = wijkkompas("aanbod", "list", "--data", str(demo_copy))
    assert listed.returncode == 2 and "Traceback" not in listed.stderr
    assert "geen leesbaar GeoPackage" in listed.stderr and "register.gpkg" in listed.stderr
    with pytest.raises(DataError, match="niets gewijzigd"):
        GeoPackageRegister(gpkg).update("activiteiten", "act-000001", {"naam": "x"})
    assert gpkg.read_bytes() == b"dit is geen GeoPackage" * 100


def test_two_imports_at_once_into_the_demo_register_lose_nothing(demo_copy: Path, tmp_path: Path):
    """The reported bug: two processes adding 15 activities each lost 14 of the 30 rows."""
    files = []
    for who in ("a", "b"):
        path = tmp_path / f"{who}.csv"
        rows = [
            f"Inloop {who}{i};ontmoeting;{151_000 + 40 * i};{460_500 + (who == 'b') * 300}"
            for i in range(15)
        ]
        path.write_text("naam;soort;x;y\n" + "\n".join(rows) + "\n", encoding="utf-8")
        files.append(path)
    before = len(GeoPackageRegister(register_path(demo_copy)).list("activiteiten"))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "geo.cli", "aanbod", "import", str(f), "--data", str(demo_copy)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "WIJKKOMPAS_DATABASE_URL": ""},
        )
        for f in files
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    frame = GeoPackageRegister(register_path(demo_copy)).list("activiteiten")
    assert len(frame) == before + 30 and frame["id"].is_unique
    assert {f"Inloop {w}{i}" for w in "ab" for i in range(15)} <= set(frame["naam"])
