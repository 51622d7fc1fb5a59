"""Editing on the Aanbod page: one row at a time, conflicts shown side by side, accounts.

A row is edited from the version read when it was chosen (its ``versie``); when someone else
saved the row meanwhile the register refuses the change and both versions are shown, and the
editor chooses: keep mine (save again on top of theirs) or take theirs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._common import clear_caches, md
from app_pages._login import Editor
from geo.aanbod.accounts import ROLES
from geo.aanbod.register import NUMERIC, AanbodRegister
from geo.aanbod.schema import COLUMNS, LAYER_LABELS
from geo.errors import ConflictError, DataError
from geo.export.labels import COLUMN_LABELS

HEADINGS = {
    column: COLUMN_LABELS.get(column, column)
    for schema in COLUMNS.values()
    for column in schema
    if column != "geometry"
} | {"vertrekken_per_uur": "Vertrekken per uur", "versie": "Versie"}
"""Dutch column headings of the aanbod layers (the export's labels; a halte's own departures
are not the buurt's OV figure of the export)."""
CONFLICT = "aanbod_conflict"
READ = "aanbod_gelezen"


def edit_rows(register: AanbodRegister, laag: str, editor: Editor, round_: int) -> None:
    """The row editor of one layer: only rows the editor may change can be chosen."""
    st.subheader(f"{md(LAYER_LABELS[laag])} in het register", anchor=False)
    conflict = st.session_state.get(CONFLICT)
    if conflict is not None and conflict["laag"] == laag:
        _conflict_panel(register, conflict, editor, round_)
        return
    stored = register.list(laag)
    records = pd.DataFrame(stored.drop(columns="geometry")).to_dict(orient="records")
    allowed = [r for r in records if editor.may_change(r)]
    if editor.account is not None and not editor.is_beheerder:
        st.caption(
            f"U kunt {len(allowed)} van {len(records)} rij(en) wijzigen: die van "
            f"{md(editor.account.organisatie)}. Nieuwe rijen voegt u toe met een bestand."
        )
    if not allowed:
        st.caption("Geen rijen in deze laag die u mag wijzigen.")
        return
    by_id = {str(r["id"]): r for r in allowed}
    ident = st.selectbox(
        "Rij om te wijzigen",
        list(by_id),
        format_func=lambda i: f"{i} — {by_id[i].get('naam') or by_id[i].get('straat') or ''}",
        key=f"aanbod_rij_{laag}_{round_}",
    )
    read = _as_read(laag, by_id[ident])
    fields = [c for c in COLUMNS[laag] if c not in ("id", "geometry")]
    with st.form(f"rij_{laag}_{ident}_{read['versie']}"):
        st.caption(f"Versie {read['versie']} zoals gelezen; opslaan controleert of die nog klopt.")
        values = {
            c: st.text_input(
                HEADINGS.get(c, c), value=_shown(read.get(c)), key=f"veld_{laag}_{ident}_{c}"
            )
            for c in fields
        }
        remove = st.checkbox("Deze rij verwijderen", key=f"weg_{laag}_{ident}")
        submitted = st.form_submit_button("Rij opslaan", type="primary")
    if not submitted:
        return
    try:
        changes = {c: _parsed(c, v) for c, v in values.items() if v != _shown(read.get(c))}
    except DataError as exc:
        st.error(md(exc))
        return
    if not changes and not remove:
        st.info("Niets gewijzigd.")
        return
    _save(register, laag, ident, changes, remove, int(read["versie"]), editor, round_)


def undo_button(register: AanbodRegister, editor: Editor, round_: int) -> None:
    """Undo: a redacteur their own last change, a beheerder the last change overall."""
    label = (
        "Laatste wijziging ongedaan maken"
        if editor.is_beheerder
        else ("Mijn laatste wijziging ongedaan maken")
    )
    if st.button(label, icon=":material/undo:"):
        try:
            done = register.undo(user=editor.actor)
        except DataError as exc:
            st.warning(md(exc))
        else:
            _done(done[:1].upper() + done[1:] + ".", round_)


def accounts_panel(register: AanbodRegister) -> None:
    """For beheerders: the accounts, add one, remove one."""
    with st.expander("Accounts beheren"):
        accounts = register.accounts()
        if accounts:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Naam": a.naam,
                            "Rol": a.rol,
                            "Organisatie": a.organisatie,
                            "E-mail": a.email,
                        }
                        for a in accounts
                    ]
                ),
                hide_index=True,
            )
        else:
            st.caption(
                "Nog geen accounts. Na het eerste account kan alleen nog per account worden "
                "ingelogd (het gedeelde wachtwoord vervalt)."
            )
        with st.form("account_nieuw"):
            naam = st.text_input("Naam", key="acc_naam")
            rol = st.selectbox("Rol", ROLES, key="acc_rol")
            organisatie = st.text_input("Organisatie (voor een redacteur)", key="acc_org")
            email = st.text_input("E-mail (voor inloggen via de organisatie)", key="acc_email")
            wachtwoord = st.text_input("Wachtwoord", type="password", key="acc_ww")
            if st.form_submit_button("Account aanmaken"):
                try:
                    register.add_account(
                        naam.strip(),
                        rol=str(rol),
                        organisatie=organisatie or None,
                        email=email or None,
                        password=wachtwoord or None,
                    )
                except DataError as exc:
                    st.error(md(exc))
                else:
                    st.success(f"Account {md(naam)} aangemaakt.")
        if accounts:
            weg = st.selectbox("Account verwijderen", [a.naam for a in accounts], key="acc_weg")
            if st.button("Verwijder account", key="acc_weg_knop"):
                register.remove_account(str(weg))
                st.rerun()


# -- private ----------------------------------------------------------------------------------
def _as_read(laag: str, record: dict[str, object]) -> dict[str, object]:
    """The row as it was read when chosen (kept until it is saved or the conflict resolved)."""
    read: dict[tuple[str, str], dict[str, object]] = st.session_state.setdefault(READ, {})
    key = (laag, str(record["id"]))
    if key not in read:
        read[key] = dict(record)
    return read[key]


def _save(
    register: AanbodRegister,
    laag: str,
    ident: str,
    changes: dict[str, object],
    remove: bool,
    versie: int,
    editor: Editor,
    round_: int,
) -> None:
    try:
        if remove:
            register.remove(laag, ident, user=editor.actor, versie=versie)
        else:
            register.update(laag, ident, changes, user=editor.actor, versie=versie)
    except ConflictError as exc:
        st.session_state[CONFLICT] = {
            "laag": laag,
            "id": ident,
            "changes": changes,
            "remove": remove,
            "mine": exc.mine,
            "theirs": exc.theirs,
            "message": str(exc),
        }
        st.rerun()
    except DataError as exc:
        st.error(md(exc))
    else:
        st.session_state.get(READ, {}).pop((laag, ident), None)
        _done(f"Rij {ident} {'verwijderd' if remove else 'opgeslagen'}.", round_)


def _conflict_panel(
    register: AanbodRegister, conflict: dict[str, object], editor: Editor, round_: int
) -> None:
    mine = conflict["mine"] or {}
    theirs = conflict["theirs"]
    st.error(f"Conflict: {md(conflict['message'])}")
    keys = [k for k in HEADINGS if k in (mine or {}) or k in (theirs or {})]
    table = pd.DataFrame(
        {
            "Veld": [HEADINGS[k] for k in keys],
            "Uw versie": [
                "(verwijderen)" if conflict["remove"] else _shown(mine.get(k))  # type: ignore[union-attr]
                for k in keys
            ],
            "Opgeslagen versie": [
                "(verwijderd)" if theirs is None else _shown(theirs.get(k))  # type: ignore[attr-defined]
                for k in keys
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    ident, laag = str(conflict["id"]), str(conflict["laag"])
    left, right = st.columns(2)
    if theirs is not None and left.button("Mijn versie bewaren", type="primary"):
        st.session_state.pop(CONFLICT, None)
        st.session_state.get(READ, {}).pop((laag, ident), None)
        _save(
            register,
            laag,
            ident,
            conflict["changes"],  # type: ignore[arg-type]
            bool(conflict["remove"]),
            int(theirs["versie"]),  # type: ignore[index]
            editor,
            round_,
        )
    if right.button("Hun versie houden"):
        st.session_state.pop(CONFLICT, None)
        st.session_state.get(READ, {}).pop((laag, ident), None)
        _done("De opgeslagen versie is gehouden; uw wijziging is niet opgeslagen.", round_)


def _done(message: str, round_: int) -> None:
    clear_caches()
    st.session_state["aanbod_ronde"] = round_ + 1
    st.session_state["aanbod_melding"] = message
    st.rerun()


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parsed(column: str, text: str) -> object:
    text = text.strip()
    if column in NUMERIC:
        if not text:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise DataError("geen getal.", column=column, value=text) from None
    return text or None
