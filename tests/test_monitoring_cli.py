"""``wijkkompas monitoring`` and ``wijkkompas notitie`` on the demo and on Utrecht."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKKOMPAS_DATABASE_URL": "", "USER": "tester"}
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, check=False,
        env=env,
    )  # fmt: skip


def test_indicatoren_json_keys(demo_copy: Path):
    result = wijkkompas("monitoring", "indicatoren", str(demo_copy), "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert {"id", "naam", "subdoel", "eenheid", "doel", "doeljaar"} <= set(items[0])
    kaarten = next(i for i in items if i["id"] == "signaleringskaarten")
    assert (kaarten["eenheid"], kaarten["doel"]) == ("aantal", None)


def test_entry_import_status_and_notes_on_the_demo(demo_copy: Path, tmp_path: Path):
    data = ["--data", str(demo_copy)]
    status = json.loads(wijkkompas("monitoring", "status", str(demo_copy), "--json").stdout)
    rows = {r["indicator"]: r for r in status}
    assert set(rows["lezingen"]) >= {
        "indicator", "naam", "laatste_waarde", "periode", "doel", "doeljaar", "status",
    }
    # the demo's example measurements: lezingen 2, 3, 3 in 2023-2025 (DEMO)
    assert (rows["lezingen"]["laatste_waarde"], rows["lezingen"]["periode"]) == (3.0, "2025")
    assert rows["lezingen"]["demo"] is True
    assert rows["eenzaam_18plus"]["laatste_waarde"] == 47.9  # Demostad 2020, published %

    entered = wijkkompas("monitoring", "invoer", "--indicator", "lezingen", "--periode",
                         "2026", "--waarde", "4", "--bron", "Netwerk", *data)  # fmt: skip
    assert entered.returncode == 0, entered.stderr
    again = wijkkompas("monitoring", "invoer", "--indicator", "lezingen", "--periode", "2026",
                       "--waarde", "5", *data)  # fmt: skip
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert "al een waarde opgeslagen (4)" in again.stderr and "--vervang" in again.stderr
    replaced = wijkkompas("monitoring", "invoer", "--indicator", "lezingen", "--periode",
                          "2026", "--waarde", "5", "--vervang", *data)  # fmt: skip
    assert replaced.returncode == 0, replaced.stderr
    rows = {r["indicator"]: r for r in json.loads(
        wijkkompas("monitoring", "status", str(demo_copy), "--json").stdout)}
    assert (rows["lezingen"]["laatste_waarde"], rows["lezingen"]["periode"]) == (5.0, "2026")

    template = tmp_path / "sjabloon.csv"
    assert wijkkompas("monitoring", "sjabloon", str(template), *data).returncode == 0
    with template.open("a", encoding="utf-8") as handle:
        handle.write("trainingen;2026;;9;;\nlezingen;2027;;-1;;\n")
    bad = wijkkompas("monitoring", "import", str(template), *data)
    assert bad.returncode == 2
    assert "bestand 'sjabloon.csv', rij 3, kolom 'Waarde', waarde '-1'" in bad.stderr
    rows = {r["indicator"]: r for r in json.loads(
        wijkkompas("monitoring", "status", str(demo_copy), "--json").stdout)}
    assert rows["trainingen"]["periode"] == "2025"  # nothing of the rejected file stored

    note = wijkkompas("notitie", "toevoegen", "--gebied", "wk999902", "--tekst",
                      "<script>alert(1)</script>", *data)  # fmt: skip
    assert note.returncode == 0, note.stderr
    listed = json.loads(wijkkompas("notitie", "lijst", "--gebied", "WK999902", "--json",
                                   *data).stdout)  # fmt: skip
    assert "<script>alert(1)</script>" in [n["tekst"] for n in listed]
    unknown = wijkkompas("notitie", "toevoegen", "--gebied", "Nergenshuizen", "--tekst", "x",
                         *data)  # fmt: skip
    assert unknown.returncode == 2 and "onbekend gebied" in unknown.stderr


@pytest.mark.shared
def test_utrecht_status_has_the_outcome_indicators(utrecht_copy: Path):
    result = wijkkompas("monitoring", "status", str(utrecht_copy), "--json")
    assert result.returncode == 0, result.stderr
    rows = {r["indicator"]: r for r in json.loads(result.stdout)}
    lonely = rows["eenzaam_18plus"]
    assert (lonely["laatste_waarde"], lonely["periode"], lonely["doel"], lonely["doeljaar"]) == (
        48.9, "2020", 47.0, 2026,
    )
    assert lonely["status"] == "achteruitgang"
    severe = rows["ernstig_eenzaam_18plus"]
    assert (severe["laatste_waarde"], severe["doel"]) == (11.6, 11.2)
    kaarten = rows["signaleringskaarten"]  # the plan's "Tot nog toe" as base, no measurement
    assert (kaarten["laatste_waarde"], kaarten["periode"], kaarten["status"]) == (
        2280.0, "2023", "onbekend",
    )
