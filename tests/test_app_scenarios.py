"""The Scenario's page (AppTest): place an activity, see the change, save, reopen."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from geo.analysis.scenario_store import open_scenarios
from tests.conftest import DEMO, REPO


@pytest.fixture()
def folder(tmp_path):
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


def _page(folder) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.session_state["folder"] = str(folder)
    at.session_state["group"] = "ouderen"
    at.switch_page("app_pages/scenarios.py")
    return at.run()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.slow
def test_place_see_save_reopen(folder):
    at = _page(folder)
    assert not at.exception, at.exception
    assert at.title[0].value == "Scenario's"
    assert _metric(at, "Nieuwe activiteiten") == "0"
    assert _metric(at, "Eenzamen nieuw bereikt") == "0"
    # the one uncovered corner of the demo (Noorderpark): place an inloop there
    at.number_input(key="scenario_lon").set_value(5.354340)
    at.number_input(key="scenario_lat").set_value(52.134945)
    at.button(key="scenario_plaats").click().run()
    assert not at.exception, at.exception
    assert _metric(at, "Nieuwe activiteiten") == "1"
    assert _metric(at, "Eenzamen nieuw bereikt") != "0"
    table = at.dataframe[0].value
    assert table["Nieuw bereikt"].sum() > 0
    at.text_input(key="scenario_auteur").set_value("anna")
    at.text_input(key="naam_Nieuw scenario").set_value("inloop noord")
    at.button(key="scenario_opslaan").click().run()
    assert not at.exception, at.exception
    stored = open_scenarios(folder, database_url="").get("inloop noord")
    assert stored.auteur == "anna" and len(stored.nieuw) == 1
    again = _page(folder)
    again.selectbox(key="scenario_open").set_value("inloop noord").run()
    again.button(key="scenario_openen").click().run()
    assert not again.exception, again.exception
    assert _metric(again, "Nieuwe activiteiten") == "1"
    assert _metric(again, "Eenzamen nieuw bereikt") == _metric(at, "Eenzamen nieuw bereikt")
    again.selectbox(key="scenario_open").set_value("inloop noord").run()
    again.button(key="scenario_verwijder").click().run()
    assert not again.exception, again.exception
    assert open_scenarios(folder, database_url="").list() == []


def test_advice_and_adopt(folder):
    at = _page(folder)
    at.number_input(key="advies_k").set_value(2)
    at.selectbox(key="advies_kandidaten").set_value("raster")
    at.button(key="advies_vraag").click().run()
    assert not at.exception, at.exception
    assert any("eenzame 65-plussers binnen" in m.value for m in at.markdown)
    at.button(key="advies_neem_1").click().run()
    assert not at.exception, at.exception
    assert _metric(at, "Nieuwe activiteiten") == "1"
