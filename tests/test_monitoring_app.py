"""The Monitoring page (AppTest): view without login, entry only with it; notes in the profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.monitoring.store import open_monitoring
from tests.conftest import REPO


def app(folder: Path | None, page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    if folder is not None:
        at.session_state["folder"] = str(folder)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_view_without_login(demo_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIJKKOMPAS_WACHTWOORD", "geheim")
    at = app(demo_copy, "monitoring")
    no_errors(at)
    text = markdown(at)
    # cards: value, status in words next to the colour, the demo's example measurements
    assert "**Lezingen over eenzaamheid**" in text and "### 3 aantal" in text
    assert ":red-badge[✖ achteruitgang]" in text  # Demostad 47,9 % vs 47,0 % landelijk
    assert "### 47,9 %" in text
    headers = [s.value for s in at.header]  # h2 under the page's h1 (heading order)
    assert "Trend per indicator" in headers and "Per wijk" in headers
    assert any("DEMO" in c.value for c in at.caption)
    # no entry form without login, only the password box
    labels = [t.label for t in at.text_input]
    assert "Waarde" not in labels and "Wachtwoord om aanbod te wijzigen" in labels
    assert not any(b.label == "Opslaan" for b in at.button)
    # reach per 1,000 lonely residents per wijk: a table with every demo wijk
    table = next(d.value for d in at.dataframe if "Per 1.000 eenzamen" in d.value.columns)
    assert len(table) == 6


def test_entry_only_after_login(demo_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WIJKKOMPAS_WACHTWOORD", "geheim")
    at = app(demo_copy, "monitoring")
    box = next(t for t in at.text_input if t.label.startswith("Wachtwoord"))
    box.input("geheim")
    next(b for b in at.button if b.label == "Inloggen").click().run()
    no_errors(at)
    at.selectbox(key="mon_indicator").set_value("lezingen")
    at.text_input(key="mon_periode").input("2026")
    at.text_input(key="mon_waarde").input("4")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    no_errors(at)
    stored = open_monitoring(demo_copy, database_url="").measurements(indicator="lezingen")
    row = stored[stored["periode"] == "2026"].iloc[0]
    assert (row["waarde"], row["ingevoerd_door"]) == (4.0, "redactie")
    # a bad value: a Dutch message, nothing stored
    at.text_input(key="mon_periode").input("2027")
    at.text_input(key="mon_waarde").input("-3")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert any("niet negatief" in e.value for e in at.error)
    stored = open_monitoring(demo_copy, database_url="").measurements(indicator="lezingen")
    assert "2027" not in set(stored["periode"])


def test_profile_shows_notes_as_text(demo_copy: Path):
    payload = "<script>window.__xss=1</script> **vet** [x](javascript:alert(1))"
    open_monitoring(demo_copy, database_url="").add_note("WK999902", payload, auteur="Wijkgesprek")
    at = app(demo_copy, "profiel", gebied="WK999902")
    no_errors(at)
    assert "Wat we horen in de wijk" in [s.value for s in at.subheader]
    line = next(m.value for m in at.markdown if "Wijkgesprek" in m.value)
    # markdown is neutralised: no bold, no link, the script tag escaped
    assert r"\<script\>" in line and r"\*\*vet\*\*" in line and r"\[x\]" in line


@pytest.mark.shared
def test_page_on_utrecht(utrecht_copy: Path):
    at = app(utrecht_copy, "monitoring")
    no_errors(at)
    text = markdown(at)
    assert "### 48,9 %" in text and "nu 47 % landelijk, 2020" in text
    assert ":red-badge[✖ achteruitgang]" in text
    assert "### 2.280 aantal" in text  # the plan's "Tot nog toe": 2,280 signaleringskaarten


def test_entry_with_a_register_account(demo_copy: Path):
    from geo.aanbod.backends import open_register

    open_register(demo_copy, database_url="").add_account(
        "anna", rol="redacteur", organisatie="DOCK", password="lang-geheim-1"
    )
    at = app(demo_copy, "monitoring")
    at.text_input(key="login_naam").input("anna")
    at.text_input(key="login_wachtwoord").input("lang-geheim-1")
    next(b for b in at.button if b.label == "Inloggen met account").click().run()
    no_errors(at)
    at.selectbox(key="mon_indicator").set_value("trainingen")
    at.text_input(key="mon_periode").input("2026H1")
    at.text_input(key="mon_waarde").input("3")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    no_errors(at)
    stored = open_monitoring(demo_copy, database_url="").measurements(indicator="trainingen")
    row = stored[stored["periode"] == "2026H1"].iloc[0]
    assert (row["waarde"], row["ingevoerd_door"]) == (3.0, "anna")
