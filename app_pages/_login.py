"""Who is editing the aanbod: an account of the register, an OpenID login, or the laptop mode.

* **Account** (name + password checked against the register; blocked after 5 failures);
* **OpenID Connect** (``st.login``, when ``[auth]`` is configured): the e-mail address maps
  to an account of the register, which gives the role;
* **Gedeeld wachtwoord** (``[wijkkompas] wachtwoord`` / ``WIJKKOMPAS_WACHTWOORD``): for a
  single user on a laptop, all rights, offered only while the register has no accounts.

Viewing needs none of these.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import streamlit as st

from app_pages._common import identity_provider, md, password
from geo.aanbod.accounts import Account
from geo.aanbod.register import AanbodRegister
from geo.errors import DataError

SHARED_NAME = "redactie"
SHARED_MODE = "gedeeld wachtwoord: één gebruiker op een laptop, alle rechten"


@dataclass(frozen=True)
class Editor:
    """The person editing in this session."""

    naam: str
    account: Account | None = None
    modus: str = "account"

    @property
    def actor(self) -> str | Account:
        """What the register is told: the account (its role is checked) or the plain name."""
        return self.account if self.account is not None else self.naam

    @property
    def is_beheerder(self) -> bool:
        """All rights: a beheerder, or the shared-password laptop mode."""
        return self.account is None or self.account.is_beheerder

    def may_change(self, record: dict[str, object]) -> bool:
        """Whether this editor may change a row."""
        return self.account is None or self.account.may_change(record)

    @property
    def label(self) -> str:
        """Who is logged in, their role and organisation, in Dutch (markdown-safe)."""
        if self.account is None:
            return f"Ingelogd als {md(self.naam)} ({SHARED_MODE})."
        org = f", {md(self.account.organisatie)}" if self.account.organisatie else ""
        via = " via uw organisatie-account" if self.modus == "oidc" else ""
        return f"Ingelogd als {md(self.naam)} ({self.account.rol}{org}){via}."


def current_editor(register: AanbodRegister) -> Editor | None:
    """The editor of this session, from an OpenID login or the session state."""
    user = getattr(st, "user", None)
    if user is not None and getattr(user, "is_logged_in", False):
        email = str(user.get("email") or "")
        account = register.account_by_email(email) if email and register.exists else None
        if account is None:
            st.warning(
                f"U bent ingelogd als {md(email or 'onbekend')}, maar er is geen account met "
                "dit e-mailadres in het register. Vraag een beheerder om een account "
                "(`wijkkompas gebruiker toevoegen NAAM --rol … --email …`)."
            )
            return None
        return Editor(account.naam, account, modus="oidc")
    naam = st.session_state.get("account")
    if naam:
        account = register.account(str(naam))
        if account is not None:
            return Editor(account.naam, account)
        st.session_state.pop("account", None)  # removed meanwhile
    if st.session_state.get("editor") == SHARED_NAME:
        return Editor(SHARED_NAME, None, modus="gedeeld")
    return None


def login_panel(register: AanbodRegister) -> Editor | None:
    """Show who is logged in (with a logout button) or the ways to log in."""
    editor = current_editor(register)
    if editor is not None:
        left, right = st.columns([4, 1])
        left.caption(editor.label)
        if right.button("Uitloggen", key="uitloggen"):
            st.session_state.pop("editor", None)
            st.session_state.pop("account", None)
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return editor
    has_accounts = register.exists and bool(register.accounts())
    if identity_provider():
        if st.button("Inloggen met uw organisatie-account", type="primary"):
            st.login()
    if has_accounts:
        _account_form(register)
        return None
    secret = password()
    if not secret:
        if not identity_provider():
            st.info(
                "Wijzigen is uitgeschakeld: er zijn nog geen accounts en er is geen wachtwoord "
                "ingesteld. Maak een account met `wijkkompas gebruiker toevoegen NAAM --rol "
                "beheerder`, of zet voor één gebruiker op een laptop `[wijkkompas] wachtwoord` "
                "in `.streamlit/secrets.toml` of `WIJKKOMPAS_WACHTWOORD`, of een inlogdienst "
                "onder `[auth]`."
            )
        return None
    st.caption(
        "Gedeeld wachtwoord — bedoeld voor één gebruiker op een laptop: iedereen met dit "
        "wachtwoord heeft alle rechten en heet in de geschiedenis 'redactie'. Met meerdere "
        "partners: maak accounts aan (`wijkkompas gebruiker toevoegen`)."
    )
    with st.form("login"):
        typed = st.text_input("Wachtwoord om aanbod te wijzigen", type="password")
        if st.form_submit_button("Inloggen"):
            if hmac.compare_digest(typed.encode(), secret.encode()):
                st.session_state["editor"] = SHARED_NAME
                st.rerun()
            st.error("Onjuist wachtwoord.")
    return None


def _account_form(register: AanbodRegister) -> None:
    with st.form("login_account"):
        naam = st.text_input("Gebruikersnaam", key="login_naam")
        typed = st.text_input("Wachtwoord", type="password", key="login_wachtwoord")
        if st.form_submit_button("Inloggen met account"):
            try:
                account = register.login(naam.strip(), typed)
            except DataError as exc:
                st.error(md(exc))
            else:
                st.session_state["account"] = account.naam
                st.rerun()
