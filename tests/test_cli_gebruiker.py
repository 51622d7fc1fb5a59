"""``wijkkompas gebruiker`` and ``--gebruiker`` on the aanbod commands (GeoPackage register)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from geo.aanbod import open_register, register_path
from tests.aanbod_corpus_paths import CORPUS


def wijkkompas(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**__import__("os").environ, "WIJKKOMPAS_DATABASE_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        input=stdin,
        env=env,
    )


def test_accounts_from_the_command_line(demo_copy: Path):
    data = ["--data", str(demo_copy)]
    made = wijkkompas(
        "gebruiker", "toevoegen", "anna", "--rol", "redacteur", "--organisatie", "DOCK",
        "--email", "anna@dock.nl", "--wachtwoord-stdin", *data, stdin="lang-geheim-1\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Account anna (redacteur van DOCK) aangemaakt" in made.stdout
    chef = wijkkompas(
        "gebruiker", "toevoegen", "chef", "--rol", "beheerder", "--wachtwoord-stdin", *data,
        stdin="nog-langer-geheim\n",
    )  # fmt: skip
    assert chef.returncode == 0, chef.stderr
    listed = json.loads(wijkkompas("gebruiker", "lijst", "--json", *data).stdout)
    assert listed == [
        {"naam": "anna", "rol": "redacteur", "organisatie": "DOCK", "email": "anna@dock.nl"},
        {"naam": "chef", "rol": "beheerder", "organisatie": None, "email": None},
    ]
    gpkg = register_path(demo_copy).read_bytes()
    assert b"lang-geheim-1" not in gpkg and b"scrypt$" in gpkg
    assert open_register(demo_copy, database_url="").login("anna", "lang-geheim-1").naam == "anna"
    bad = wijkkompas("gebruiker", "toevoegen", "bob", "--rol", "redacteur", *data)
    assert bad.returncode == 2 and "hoort bij een organisatie" in bad.stderr
    assert "Traceback" not in bad.stderr
    twice = wijkkompas(
        "gebruiker", "toevoegen", "anna", "--rol", "beheerder", "--wachtwoord-stdin", *data,
        stdin="iets-anders-9\n",
    )  # fmt: skip
    assert twice.returncode == 2 and "al een account met deze naam" in twice.stderr
    gone = wijkkompas("gebruiker", "verwijderen", "anna", *data)
    assert gone.returncode == 0 and "anna verwijderd" in gone.stdout
    assert [
        a["naam"] for a in json.loads(wijkkompas("gebruiker", "lijst", "--json", *data).stdout)
    ] == ["chef"]
    again = wijkkompas("gebruiker", "verwijderen", "anna", *data)
    assert again.returncode == 2 and "onbekend account" in again.stderr


def test_gebruiker_option_names_the_actor_in_the_history(demo_copy: Path):
    data = ["--data", str(demo_copy)]
    imported = wijkkompas(
        "aanbod", "import", str(CORPUS / "mixed_decimals.csv"), "--gebruiker", "kerngroep-jan",
        *data,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    history = json.loads(wijkkompas("aanbod", "history", "--json", *data).stdout)
    assert [h["wie"] for h in history[-2:]] == ["kerngroep-jan", "kerngroep-jan"]
    undone = wijkkompas("aanbod", "undo", "--gebruiker", "kerngroep-piet", *data)
    assert "2 rij(en) toegevoegd aan activiteiten ongedaan gemaakt" in undone.stdout
    history = json.loads(wijkkompas("aanbod", "history", "--json", *data).stdout)
    assert history[-1]["wie"] == "kerngroep-piet"
    assert history[-1]["actie"] == "ongedaan: toegevoegd"
