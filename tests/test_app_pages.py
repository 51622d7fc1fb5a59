"""Every dashboard page with streamlit.testing.v1.AppTest, on the demo and the Utrecht data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, UTRECHT

PAGES = ["kaart", "hiaten", "profiel", "aanbod", "over"]


def app(folder: str | None = None, page: str = "kaart") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    if folder is not None:
        at.session_state["folder"] = folder
    if page != "kaart":
        at.switch_page(f"app_pages/{page}.py")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo(page: str):
    at = app(page=page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value in {"Kaart", "Hiaten", "Gebiedsprofiel", "Aanbod", "Over de data"}
    assert "DEMO" in texts(at)  # the fictional city is labelled on every page


@pytest.mark.shared
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_utrecht(page: str):
    at = app(str(UTRECHT), page=page)
    assert not at.exception, [e.message for e in at.exception]
    assert "DEMO" not in texts(at)


def test_kaart_widgets_change_the_map():
    at = app()
    at.selectbox(key="kaart_indicator").set_value("ErnstigZeerErnstigEenzaam").run()
    assert not at.exception
    at.radio(key="kaart_niveau").set_value("wijk").run()
    assert not at.exception
    at.multiselect(key="kaart_lagen").set_value(
        ["Aanbod", "Buurtmobiel", "OV-haltes", "Vervoersarmoede", "Hot spots"]
    ).run()
    assert not at.exception


def test_sidebar_year_and_group_drive_hiaten():
    at = app(page="hiaten")
    at.selectbox(key="group").set_value("jongvolwassenen").run()
    assert not at.exception
    assert "jongvolwassenen" in texts(at)
    at.radio(key="hiaten_niveau").set_value("gebied").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert "Noordhoek" in set(frame["Gebied"])
    at.selectbox(key="year").set_value(2016).run()
    assert not at.exception


@pytest.mark.shared
def test_profiel_overvecht_from_query_params():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["folder"] = str(UTRECHT)
    at.switch_page("app_pages/profiel.py")
    at.query_params["gebied"] = "Overvecht"
    at.run()
    assert not at.exception
    assert at.header[0].value == "Overvecht"
    table = at.dataframe[0].value
    row = table[table["Indicator"] == "Eenzaam"].iloc[0]
    assert (row["Overvecht"], row["Gemeente"], row["Nederland"]) == ("58,2 %", "48,9 %", "47,0 %")


def test_aanbod_editing_needs_login(monkeypatch: pytest.MonkeyPatch, demo_copy):
    monkeypatch.delenv("WIJKKOMPAS_WACHTWOORD", raising=False)
    at = app(str(demo_copy), page="aanbod")
    assert "Wijzigen is uitgeschakeld" in texts(at)
    monkeypatch.setenv("WIJKKOMPAS_WACHTWOORD", "geheim")
    at = app(str(demo_copy), page="aanbod")
    password_box = next(t for t in at.text_input if t.label.startswith("Wachtwoord"))
    password_box.input("fout")
    at.button[0].click().run()
    assert any("Onjuist wachtwoord" in e.value for e in at.error)
    password_box = next(t for t in at.text_input if t.label.startswith("Wachtwoord"))
    password_box.input("geheim")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["editor"] is True
