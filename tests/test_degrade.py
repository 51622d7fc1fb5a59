"""Without any population: the published figures, comparison, trend and offer; no need, no gap.

../shared/data/nl holds only boundaries and RIVM figures for every gemeente. ``profiel``
shows what RIVM published (exit 0, with a note on what is missing and how to add it);
``hiaten`` stops with that message (exit 2). The app pages do the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from geo.analysis.profile import area_profile
from geo.cli import app
from geo.io.folder import load_dataset
from tests.conftest import NL, REPO
from tests.test_tables import read_tables

pytestmark = pytest.mark.shared
runner = CliRunner()

# A spread of gemeenten: large and small, north to south, renamed and merged ones;
# Westerkwartier (2019) is not in the 2014 boundaries at all: its areas come from the figures.
SAMPLE = [
    "Amersfoort",
    "Groningen",
    "Maastricht",
    "Vlieland",
    "Súdwest-Fryslân",
    "Utrecht",
    "Westerkwartier",
]


@pytest.fixture(scope="module")
def amersfoort():
    return load_dataset(NL, gemeente="Amersfoort")


def test_amersfoort_profile_shows_published_figures_and_the_national_470(amersfoort):
    wijk = amersfoort.level("wijk").iloc[0]
    result = runner.invoke(
        app,
        ["profiel", str(NL), "--gemeente", "Amersfoort", "--gebied", wijk["code"], "--json"],
    )
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    lonely = next(
        r for r in profile["figures"] if r["indicator"] == "Eenzaam" and r["group"] == "18+"
    )
    published = amersfoort.figures.query(
        "code == @wijk.code and indicator == 'Eenzaam' and group == '18+' and year == 2020"
    )["value"].item()
    assert lonely["value"] == published
    assert lonely["nederland"] == 47.0  # the national figure, 18+, 2020
    assert lonely["gemeente"] == 46.3  # Amersfoort as RIVM publishes it
    assert [t["year"] for t in profile["trend"]] == [2012, 2016, 2020]
    assert profile["need"] == [] and profile["gap"] == {} and profile["populations"] == []
    assert "bevolkingscijfers" in profile["population_missing"]
    assert "wijkkompas fetch" in profile["notes"][0]  # how to add it
    assert "offer" in profile and "suitable_inside_area" in profile["offer"]


def test_hiaten_without_population_exits_2_with_the_dutch_message():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "geo.cli", "hiaten", str(NL), "--gemeente", "Amersfoort"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Fout: er zijn geen (bruikbare) CBS-bevolkingscijfers")
    assert "Traceback" not in done.stderr and "cbs_kwb" in done.stderr


@pytest.mark.parametrize("gemeente", SAMPLE)
def test_profile_of_every_wijk_level_works_for_a_sample_of_gemeenten(gemeente: str):
    dataset = load_dataset(NL, gemeente=gemeente)
    assert not dataset.has_population
    wijken = dataset.level("wijk")
    assert len(wijken), gemeente
    for code in wijken["code"].head(3):
        profile = area_profile(dataset, {}, code)
        assert profile["figures"], (gemeente, code)
        assert all(r["nederland"] is not None for r in profile["figures"] if r["group"] == "18+")
        assert profile["need"] == [] and profile["population_missing"]
    buurt = dataset.level("buurt")["code"].iloc[0]
    assert area_profile(dataset, {}, buurt)["area"]["kind"] == "buurt"


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    at.session_state["folder"] = str(NL)
    at.session_state["gemeente"] = "Amersfoort"
    if page != "kaart":
        at.switch_page(f"app_pages/{page}.py")
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_app_profile_and_map_pages_without_population():
    profiel = _page("profiel")
    assert not profiel.exception, [e.message for e in profiel.exception]
    assert not profiel.error, [e.value for e in profiel.error]
    body = "\n".join(h.proto.body for h in profiel.get("html"))
    table = next(t for c, t in read_tables(body).items() if c.startswith("Eenzaamheid in "))
    assert "47,0 %" in set(table["Nederland"])
    assert "Geen bevolkingscijfers" in _texts(profiel)
    kaart = _page("kaart")
    assert not kaart.exception and not kaart.error
    hiaten = _page("hiaten")
    assert not hiaten.exception
    assert "Geen bevolkingscijfers" in _texts(hiaten)


def test_a_gemeente_missing_from_the_boundaries_still_shows_its_figures():
    dataset = load_dataset(NL, gemeente="Westerkwartier")
    assert dataset.gemeente_code == "GM1969"
    assert dataset.areas.geometry.isna().all() and set(dataset.areas["indeling"]) == {
        "geen grenzen"
    }
    assert any("zonder vorm" in n for n in dataset.notices)
    profile = area_profile(dataset, {}, "GM1969")
    lonely = next(r for r in profile["figures"] if r["indicator"] == "Eenzaam")
    assert lonely["value"] == 41.5 and lonely["nederland"] == 47.0
    assert any("Geen grenzen" in n for n in profile["notes"])
