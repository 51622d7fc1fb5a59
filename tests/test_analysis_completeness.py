"""How complete the offer is: per soort and doelgroep, with sources; on Utrecht and the demo."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.aanbod import load_aanbod
from geo.analysis.completeness import DATA_NOT_WIJK, offer_completeness
from geo.analysis.pipeline import analyse
from geo.analysis.profile import area_profile
from tests.conftest import DEMO, UTRECHT

ELDERLY_SOORTEN = ["ontmoeting", "maatjes", "samen_eten", "cultuur", "informatie", "vervoer"]


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, check=False
    )


def activities(rows: list[tuple[str, str, str]]) -> gpd.GeoDataFrame:
    """Activities (soort, doelgroepen, bron) at one point."""
    return gpd.GeoDataFrame(
        {
            "soort": [r[0] for r in rows],
            "doelgroepen": [r[1] for r in rows],
            "dagdelen": "",
            "bron": [r[2] for r in rows],
        },
        geometry=[Point(0, 0)] * len(rows),
        crs="EPSG:28992",
    )


def test_counts_per_soort_doelgroep_and_source():
    frame = activities(
        [
            ("ontmoeting", "ouderen_thuiswonend", "a.csv"),
            ("ontmoeting", "iedereen", "b.csv"),
            ("maatjes", "ouderen_thuiswonend;alleenstaanden", "a.csv"),
            ("maatjes", "", "a.csv"),  # no doelgroep: counts as iedereen
            ("bewegen", "jongvolwassenen", "a.csv"),  # not for the elderly
        ]
    )
    info = offer_completeness(frame, group="ouderen")
    by_soort = {r["soort"]: r for r in info["offer_soorten"]}
    assert by_soort["ontmoeting"]["status"] == "meerdere bronnen"
    assert by_soort["ontmoeting"]["bronnen"] == ["a.csv", "b.csv"]
    assert by_soort["maatjes"]["status"] == "één bron"
    assert by_soort["maatjes"]["per_doelgroep"]["iedereen"] == 1
    assert by_soort["maatjes"]["per_doelgroep"]["alleenstaanden"] == 1
    assert by_soort["maatjes"]["per_doelgroep"]["ouderen_thuiswonend"] == 1
    # one activity of bewegen, but not suitable for 65-plussers: the soort has no offer
    assert (by_soort["bewegen"]["activiteiten"], by_soort["bewegen"]["passend"]) == (1, 0)
    assert by_soort["training"]["status"] == "telt niet"
    assert info["offer_complete"] is False
    assert info["offer_missing_soorten"] == [
        "samen_eten",
        "bewegen",
        "cultuur",
        "informatie",
        "vervoer",
    ]
    assert info["offer_single_source_soorten"] == ["maatjes"]
    assert info["offer_notes"][1].startswith(
        "Het aanbod aan maatjesprojecten komt uit één bron (a.csv)"
    )


def test_no_offer_at_all():
    info = offer_completeness(None, group="jongvolwassenen")
    assert info["offer_complete"] is False
    assert (
        "training" in info["offer_missing_soorten"]
        and "vervoer" not in info["offer_missing_soorten"]
    )


def test_demo_offer_is_complete_until_a_soort_is_removed(demo_dataset):
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    result = analyse(demo_dataset, aanbod.layers, group="ouderen", hotspots=False)
    assert result.offer_complete and result.offer["offer_missing_soorten"] == []
    assert not any(DATA_NOT_WIJK in n for n in result.notes)
    layers = dict(aanbod.layers)
    acts = layers["activiteiten"]
    layers["activiteiten"] = acts[acts["soort"] != "ontmoeting"]
    result = analyse(demo_dataset, layers, group="ouderen", hotspots=False)
    assert result.offer["offer_complete"] is False
    assert result.offer["offer_missing_soorten"] == ["ontmoeting"]
    expected = (
        "Het aanbod bevat geen ontmoetingsplekken: dit hiaat zegt iets over de gegevens, "
        "niet over de wijk."
    )
    assert result.offer["offer_notes"] == [expected]
    assert expected in result.notes
    profile = area_profile(demo_dataset, layers, "Noordhoek", group="ouderen", result=result)
    assert profile["offer_complete"] is False and profile["offer_missing_soorten"] == ["ontmoeting"]


@pytest.mark.shared
def test_utrecht_says_the_gaps_are_about_the_data(utrecht_dataset):
    aanbod = load_aanbod(UTRECHT, areas=utrecht_dataset.areas)
    result = analyse(utrecht_dataset, aanbod.layers, group="ouderen", hotspots=False)
    offer = result.offer
    assert offer["offer_complete"] is False
    assert offer["offer_missing_soorten"] == ELDERLY_SOORTEN
    # the 258 located Mulier accommodations; the 11 sports schools have only an address
    assert offer["offer_single_source_soorten"] == ["bewegen"]
    bewegen = next(r for r in offer["offer_soorten"] if r["soort"] == "bewegen")
    assert (bewegen["activiteiten"], bewegen["passend"]) == (269, 258)
    assert bewegen["bronnen"] == ["mulier_sportaccommodaties_utrecht.csv"]
    assert offer["offer_notes"][0].startswith("Het aanbod bevat geen ontmoetingsplekken")


@pytest.mark.shared
def test_utrecht_cli_json_carries_offer_complete_false():
    data = json.loads(wijkkompas("hiaten", str(UTRECHT), "--niveau", "wijk", "--json").stdout)
    assert data["offer_complete"] is False
    assert data["offer_missing_soorten"] == ELDERLY_SOORTEN
    assert data["offer_single_source_soorten"] == ["bewegen"]
    assert "3 grootste hiaten van de wijken" in data["certainty_explanation"]
    assert {r["certainty"] for r in data["rows"]} <= {"robuust", "mogelijk", "niet onderscheidend"}
    profile = json.loads(
        wijkkompas("profiel", str(UTRECHT), "--gebied", "Overvecht", "--json").stdout
    )
    assert profile["offer_complete"] is False
    assert profile["offer_missing_soorten"] == ELDERLY_SOORTEN
    assert profile["figures"][0]["value"] == 58.2  # the published numbers stay exact
    assert profile["gap"]["certainty"] == "robuust" and profile["gap"]["rank_low"] == 1
    text = wijkkompas("hiaten", str(UTRECHT), "--niveau", "wijk", "--top", "3").stdout
    assert "geen ontmoetingsplekken, maatjesprojecten" in text and DATA_NOT_WIJK in text
    assert "robuust (rang 1)" in text
