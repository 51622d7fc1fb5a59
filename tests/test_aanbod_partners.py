"""Partner files are never dropped from view when a register is created (issue 11, part 4)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.aanbod import load_aanbod, open_register
from geo.analysis.pipeline import analyse, summarise_result
from geo.io.folder import load_dataset


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**__import__("os").environ, "WIJKKOMPAS_DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.mark.shared
def test_first_import_takes_the_269_sports_locations_in(utrecht_copy: Path, tmp_path: Path):
    dataset = load_dataset(utrecht_copy)
    before = load_aanbod(utrecht_copy, areas=dataset.areas)
    assert before.read_only and len(before.layers["activiteiten"]) == 269
    gaps_before = summarise_result(
        analyse(dataset, before.layers, group="ouderen", hotspots=False), "buurt"
    )
    # one training (a soort that does not count for ouderen), in the Domplein
    new = tmp_path / "cursus.csv"
    new.write_text(
        "naam;soort;organisatie;x;y\nComputercursus;training;Bibliotheek;136900;455900\n",
        encoding="utf-8",
    )
    dry = wijkkompas("aanbod", "import", str(new), "--data", str(utrecht_copy), "--dry-run")
    assert dry.returncode == 0 and "Niets opgeslagen" in dry.stdout
    assert not (utrecht_copy / "aanbod" / "register.gpkg").exists()
    done = wijkkompas("aanbod", "import", str(new), "--data", str(utrecht_copy), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["stored"] == 1
    taken = report["partnerbestanden"]
    assert taken["counts"] == {"activiteiten": 269}
    assert set(taken["reports"]) == {
        "mulier_sportaccommodaties_utrecht.csv",
        "sportscholen_zuilen.csv",
    }
    assert "269 rij(en) uit 2 partnerbestand(en)" in taken["message"]
    # the list
    listed = json.loads(
        wijkkompas(
            "aanbod", "list", "--laag", "activiteiten", "--data", str(utrecht_copy), "--json"
        ).stdout
    )["activiteiten"]
    names = {row["naam"] for row in listed}
    assert len(listed) == 270
    assert {"Golfbaan Amelisweerd", "Sportcentrum Box&Joy", "Computercursus"} <= names
    assert names == set(before.layers["activiteiten"]["naam"]) | {"Computercursus"}
    # the map layers: every partner location is still a marker
    after = load_aanbod(utrecht_copy, areas=dataset.areas)
    assert not after.read_only
    from geo.present.maps import aanbod_layers

    names_of_layers = [group.layer_name for group in aanbod_layers(after.layers["activiteiten"])]
    drawn = sum(int(re.search(r"\((\d+)\)$", name).group(1)) for name in names_of_layers)
    assert drawn == 270 and "Aanbod: Training / lezing (1)" in names_of_layers
    # the gaps: the training does not count for ouderen, so they are exactly as before
    gaps_after = summarise_result(
        analyse(dataset, after.layers, group="ouderen", hotspots=False), "buurt"
    )
    assert [(r["code"], r["gap_score"]) for r in gaps_after] == [
        (r["code"], r["gap_score"]) for r in gaps_before
    ]
    # one undoable change: undo the import, then the taking-in
    register = open_register(utrecht_copy, database_url="")
    assert register.undo().startswith("1 rij(en) toegevoegd")
    assert register.undo() == "269 rij(en) toegevoegd aan activiteiten ongedaan gemaakt"


@pytest.mark.shared
def test_first_account_also_takes_partner_files_in(utrecht_copy: Path):
    made = subprocess.run(
        [
            sys.executable, "-m", "geo.cli", "gebruiker", "toevoegen", "anna", "--rol",
            "beheerder", "--wachtwoord-stdin", "--data", str(utrecht_copy),
        ],
        capture_output=True, text=True, check=False, input="lang-geheim-1\n",
        env={**__import__("os").environ, "WIJKKOMPAS_DATABASE_URL": ""},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "269 rij(en) uit 2 partnerbestand(en)" in made.stdout
    assert len(open_register(utrecht_copy, database_url="").list("activiteiten")) == 269


def test_partner_files_of_every_layer_are_one_undoable_change(demo_copy: Path):
    from geo.aanbod.backends import register_path
    from geo.aanbod.partners import adopt_partner_files

    register_path(demo_copy).unlink()  # the demo folder with only its partner files
    dataset = load_dataset(demo_copy)
    shown = load_aanbod(demo_copy, areas=dataset.areas)
    assert shown.read_only
    register = open_register(demo_copy, database_url="")
    adoption = adopt_partner_files(demo_copy, register, areas=dataset.areas, user="anna")
    assert adoption is not None
    expected = {laag: len(frame) for laag, frame in shown.layers.items() if len(frame)}
    assert adoption.counts == expected and len(expected) == 5
    unread = [n for n in adoption.notices if n.startswith("niet gelezen")]
    assert len(adoption.reports) + len(unread) == 8  # every partner file: a report or why not
    stored = load_aanbod(demo_copy, areas=dataset.areas)
    assert not stored.read_only
    assert {laag: len(frame) for laag, frame in stored.layers.items() if len(frame)} == expected
    assert stored.wor_deelnemers["deelnemers"].sum() == shown.wor_deelnemers["deelnemers"].sum()
    history = register.history()
    assert history["batch"].nunique() == 1
    assert set(history["wie"]) == {"anna (partnerbestanden overgenomen)"}
    assert adopt_partner_files(demo_copy, register, areas=dataset.areas) is None  # only once
    assert register.undo().startswith(f"{sum(expected.values())} rij(en) toegevoegd aan")
    assert all(register.list(laag).empty for laag in expected)
    assert register.wor_deelnemers().empty
