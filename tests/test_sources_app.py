"""The app's offer to fetch real data: offline it says so, online it fetches and switches."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, UTRECHT
from tests.fixtures.sources.fake_services import FakeServices, env_for


def run_app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.switch_page("app_pages/over.py")
    return at.run()


def sidebar_texts(at: AppTest) -> str:
    parts = [i.value for i in at.sidebar.info] + [s.value for s in at.sidebar.success]
    parts += [c.value for c in at.sidebar.caption] + [e.value for e in at.sidebar.error]
    return "\n".join(str(p) for p in parts)


def test_offline_the_app_says_so_and_uses_the_demo(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIJKKOMPAS_PDOK_URL", "http://127.0.0.1:9")  # nobody listens there
    monkeypatch.delenv("WIJKKOMPAS_DATA", raising=False)
    at = run_app()
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.expander[-1].label == "Echte gegevens ophalen"
    assert "Geen verbinding met de online bronnen" in sidebar_texts(at)
    assert "gebruikt de demodata" in sidebar_texts(at)
    assert not [b for b in at.sidebar.button if b.key == "fetch_start"]  # nothing to fetch
    assert "**DEMO**" in "\n".join(w.value for w in at.warning)
    at.sidebar.button(key="fetch_recheck").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Geen verbinding met de online bronnen" in sidebar_texts(at)


@pytest.mark.shared
def test_real_data_folder_never_checks_the_connection(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("WIJKKOMPAS_PDOK_URL", httpserver.url_for("/"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["folder"] = str(UTRECHT)
    at.switch_page("app_pages/over.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not [x for x in at.sidebar.expander if x.label == "Echte gegevens ophalen"]
    assert len(httpserver.log) == 0


def test_online_the_app_fetches_utrecht_and_switches_to_it(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    FakeServices(httpserver).install()
    for key, value in env_for(httpserver, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("WIJKKOMPAS_DATA", raising=False)
    target = tmp_path / "utrecht"
    at = run_app()
    assert not at.exception, [e.message for e in at.exception]
    at.sidebar.text_input(key="fetch_target").set_value(str(target))
    at.sidebar.button(key="fetch_start").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert f"De gegevens staan in `{target}`" in sidebar_texts(at)
    assert (target / "bronnen.json").exists() and (target / "aanbod" / "register.gpkg").exists()
    at.sidebar.button(key="fetch_use").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["folder"] == str(target)
    assert not [x for x in at.sidebar.expander if x.label == "Echte gegevens ophalen"]
