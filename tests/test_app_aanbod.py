"""The Aanbod page with accounts: viewing without login, roles, conflicts (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.aanbod import open_register
from tests.conftest import REPO
from tests.test_app_pages import app, no_errors, texts


@pytest.fixture()
def demo_with_accounts(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WIJKKOMPAS_DATABASE_URL", "")
    monkeypatch.setenv("WIJKKOMPAS_WACHTWOORD", "gedeeld-geheim")  # not offered once accounts exist
    register = open_register(demo_copy)
    register.add_account("anna", rol="redacteur", organisatie="DOCK", password="anna-geheim-1")
    register.add_account("chef", rol="beheerder", password="chef-geheim-1")
    return demo_copy


def log_in(at: AppTest, naam: str, password: str) -> AppTest:
    at.text_input(key="login_naam").input(naam)
    at.text_input(key="login_wachtwoord").input(password)
    next(b for b in at.button if b.label == "Inloggen met account").click()
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_viewing_needs_no_login(demo_with_accounts: Path):
    at = app(str(demo_with_accounts), page="aanbod")
    no_errors(at)
    assert len(at.dataframe[0].value) == 302
    assert any(b.label == "Inloggen met account" for b in at.button)
    labels = {b.label for b in at.button}
    assert "Rij opslaan" not in labels and "Laatste wijziging ongedaan maken" not in labels
    assert not any(t.label.startswith("Wachtwoord om aanbod") for t in at.text_input)
    at = log_in(at, "anna", "fout-wachtwoord")
    assert any("verkeerd wachtwoord" in e.value for e in at.error)


def test_redacteur_sees_only_edit_actions_for_their_organisation(demo_with_accounts: Path):
    at = log_in(app(str(demo_with_accounts), page="aanbod"), "anna", "anna-geheim-1")
    no_errors(at)
    assert "Ingelogd als anna (redacteur, DOCK)." in texts(at)
    register = open_register(demo_with_accounts)
    frame = register.list("activiteiten")
    dock = sorted(frame.loc[frame["organisatie"] == "DOCK", "id"])
    chooser = at.selectbox(key="aanbod_rij_activiteiten_0")
    assert sorted(o.split(" — ")[0] for o in chooser.options) == dock and len(dock) == 43
    assert "U kunt 43 van 302 rij(en) wijzigen: die van DOCK." in texts(at)
    labels = {b.label for b in at.button}
    assert "Mijn laatste wijziging ongedaan maken" in labels
    assert "Laatste wijziging ongedaan maken" not in labels
    assert not any(e.label == "Accounts beheren" for e in at.expander)
    # an edit is stored under her name
    ident = chooser.value
    at.text_input(key=f"veld_activiteiten_{ident}_naam").input("Koffie-inloop DOCK")
    at = button(at, "Rij opslaan").click().run()
    no_errors(at)
    stored = register.list("activiteiten").set_index("id").loc[ident]
    assert stored["naam"] == "Koffie-inloop DOCK" and stored["versie"] == 2
    assert register.history().iloc[-1]["wie"] == "anna"


def test_beheerder_sees_every_row_and_the_accounts(demo_with_accounts: Path):
    at = log_in(app(str(demo_with_accounts), page="aanbod"), "chef", "chef-geheim-1")
    no_errors(at)
    assert "Ingelogd als chef (beheerder)." in texts(at)
    assert len(at.selectbox(key="aanbod_rij_activiteiten_0").options) == 302
    assert any(e.label == "Accounts beheren" for e in at.expander)


@pytest.mark.parametrize("choice", ["Mijn versie bewaren", "Hun versie houden"])
def test_conflict_shows_both_versions_and_lets_the_user_choose(
    demo_with_accounts: Path, choice: str
):
    at = log_in(app(str(demo_with_accounts), page="aanbod"), "chef", "chef-geheim-1")
    ident = at.selectbox(key="aanbod_rij_activiteiten_0").value
    register = open_register(demo_with_accounts)
    register.update("activiteiten", ident, {"naam": "Naam van Bob"}, user="bob")  # meanwhile
    at.text_input(key=f"veld_activiteiten_{ident}_naam").input("Naam van Chef")
    at = button(at, "Rij opslaan").click().run()
    no_errors_but_conflict = [e.value for e in at.error]
    assert any("Conflict" in e and "versie 1" in e for e in no_errors_but_conflict)
    table = next(d.value for d in at.dataframe if "Uw versie" in d.value.columns)
    table = table.set_index("Veld")
    assert table.loc["Naam", "Uw versie"] == "Naam van Chef"
    assert table.loc["Naam", "Opgeslagen versie"] == "Naam van Bob"
    assert register.list("activiteiten").set_index("id").loc[ident, "naam"] == "Naam van Bob"
    at = button(at, choice).click().run()
    no_errors(at)
    stored = register.list("activiteiten").set_index("id").loc[ident]
    if choice == "Mijn versie bewaren":
        assert (stored["naam"], stored["versie"]) == ("Naam van Chef", 3)
        assert "Rij " + ident + " opgeslagen." in [s.value for s in at.success][0]
    else:
        assert (stored["naam"], stored["versie"]) == ("Naam van Bob", 2)
        assert "opgeslagen versie is gehouden" in at.success[0].value


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("Anna@Dock.nl", "Ingelogd als anna-oidc (redacteur, DOCK) via uw organisatie-account."),
        ("onbekend@elders.nl", "geen account met dit e-mailadres"),
    ],
)
def test_openid_login_maps_the_email_to_an_account(
    demo_with_accounts: Path, email: str, expected: str
):
    open_register(demo_with_accounts).add_account(
        "anna-oidc", rol="redacteur", organisatie="DOCK", email="anna@dock.nl"
    )
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.session_state["folder"] = str(demo_with_accounts)
    at.user = {"is_logged_in": True, "email": email, "name": "Anna"}
    at.switch_page("app_pages/aanbod.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert expected in texts(at)
    known = email.lower() == "anna@dock.nl"
    assert any(b.label == "Rij opslaan" for b in at.button) is known
