"""Aanbod: everyone can look; logged-in editors upload, check, store, edit, delete and undo."""

from __future__ import annotations

import hmac
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages._common import (
    clear_caches,
    code,
    current,
    demo_banner,
    editor,
    identity_provider,
    md,
    password,
)
from geo.aanbod import GeoPackageRegister, import_file, register_path
from geo.aanbod.schema import COLUMNS, DOELGROEPEN, LAYER_LABELS, LAYERS, SOORTEN
from geo.errors import DataError

HEADINGS = {
    "id": "Id",
    "naam": "Naam",
    "soort": "Soort",
    "doelgroepen": "Doelgroepen",
    "talen": "Talen",
    "dagdelen": "Dagdelen",
    "frequentie": "Frequentie",
    "capaciteit": "Capaciteit",
    "organisatie": "Organisatie",
    "adres": "Adres",
    "postcode": "Postcode",
    "bron": "Bron",
    "laatst_gecontroleerd": "Laatst gecontroleerd",
    "locatie_status": "Locatie",
    "opmerking": "Opmerking",
    "buurt_code": "Buurtcode",
    "straat": "Straat",
    "potjes": "Potjes",
    "jaar": "Jaar",
    "soort_locatie": "Soort locatie",
    "dienst": "Dienst",
    "dagen": "Dagen",
    "tijden": "Tijden",
    "doelgroep": "Doelgroep",
    "gebied_codes": "Gebied (codes)",
    "vertrekken_per_uur": "Vertrekken per uur",
}
UPLOAD_TYPES = ["csv", "xlsx", "geojson", "json", "gpkg", "zip", "txt"]

dataset, aanbod, choice = current()
folder = Path(str(choice["folder"]))
st.title("Aanbod")
demo_banner(dataset)
if message := st.session_state.pop("aanbod_melding", None):
    st.success(message, icon=":material/check_circle:")
st.markdown(
    "Wat er in de gemeente wordt aangeboden: activiteiten, Lief en Leedstraten, Welzijn op "
    "recept, Buurtmobiel en OV-haltes. Bekijken kan iedereen; wijzigen na inloggen."
)

laag = st.selectbox("Laag", list(LAYERS), format_func=LAYER_LABELS.get, key="aanbod_laag")
frame = pd.DataFrame(aanbod.layers[laag].drop(columns="geometry"))
search = st.text_input("Zoeken op naam, organisatie of adres", key="aanbod_zoek")
if search:
    text = frame.astype(str).agg(" ".join, axis=1).str.casefold()
    frame = frame[text.str.contains(search.casefold(), regex=False)]
shown = frame.copy()
if "soort" in shown:
    shown["soort"] = shown["soort"].map(lambda s: SOORTEN.get(str(s), s))
if "doelgroepen" in shown:
    shown["doelgroepen"] = shown["doelgroepen"].map(
        lambda v: ", ".join(DOELGROEPEN.get(k, k) for k in str(v or "").split(";") if k)
    )
st.dataframe(
    shown.rename(columns=HEADINGS).dropna(axis=1, how="all"),
    hide_index=True,
    width="stretch",
)
st.caption(
    f"{len(frame)} van {len(aanbod.layers[laag])} rij(en)."
    + (
        " Alleen lezen: deze gegevens komen rechtstreeks uit de partnerbestanden in "
        "`aanbod/`; er is nog geen register."
        if aanbod.read_only
        else " Uit het register `aanbod/register.gpkg`."
    )
)
if aanbod.reports:
    with st.expander(f"Controlerapporten van {len(aanbod.reports)} partnerbestand(en)"):
        for name, report in aanbod.reports.items():
            st.markdown(f"**{md(name)}**")
            st.dataframe(report, hide_index=True, width="stretch")
for notice in aanbod.notices:
    st.caption(f"Melding: {md(notice)}")


def login() -> str | None:
    """The editor's name after logging in; offers st.login or the password form."""
    name = editor()
    if name:
        left, right = st.columns([4, 1])
        left.caption(f"Ingelogd als {md(name)}.")
        if right.button("Uitloggen", key="uitloggen"):
            st.session_state.pop("editor", None)
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
        return name
    if identity_provider():
        if st.button("Inloggen met uw organisatie-account", type="primary"):
            st.login()
    secret = password()
    if not secret and not identity_provider():
        st.info(
            "Wijzigen is uitgeschakeld: er is geen wachtwoord ingesteld. Zet "
            "`[wijkkompas] wachtwoord` in `.streamlit/secrets.toml` of de "
            "omgevingsvariabele `WIJKKOMPAS_WACHTWOORD`, of een inlogdienst onder `[auth]`."
        )
        return None
    if secret:
        with st.form("login"):
            typed = st.text_input("Wachtwoord om aanbod te wijzigen", type="password")
            if st.form_submit_button("Inloggen"):
                if hmac.compare_digest(typed.encode(), secret.encode()):
                    st.session_state["editor"] = "redactie"
                    st.rerun()
                st.error("Onjuist wachtwoord.")
    return None


def seed(register: GeoPackageRegister, user: str) -> int:
    """Start a register with the rows now read from the partner files (nothing disappears)."""
    rows = 0
    for name in LAYERS:
        layer = aanbod.layers[name]
        if len(layer):
            register.add(name, layer.drop(columns="id"), user=f"{user} (overgenomen)")
            rows += len(layer)
    return rows


st.divider()
st.subheader("Aanbod toevoegen of wijzigen")
user = login()
if user is None:
    st.stop()
aanbod_dir = folder / "aanbod"
if not os.access(aanbod_dir if aanbod_dir.exists() else folder, os.W_OK):
    st.warning(f"De map {code(aanbod_dir)} is alleen-lezen; wijzigen kan hier niet.")
    st.stop()
register = GeoPackageRegister(register_path(folder))
limit = st.get_option("server.maxUploadSize")

st.markdown("#### Bestand toevoegen")
st.caption(
    f"CSV, Excel, GeoJSON, GeoPackage, gezipte Shapefile of GTFS `stops.txt`, tot {limit} MB "
    "per bestand (instelling `server.maxUploadSize` in `.streamlit/config.toml`; grotere "
    "bestanden eerst splitsen of via de opdrachtregel `wijkkompas aanbod importeer`). Eerst "
    "verschijnt het controlerapport; pas na bevestigen wordt opgeslagen."
)
target = st.selectbox(
    "Laag van het bestand",
    [None, *LAYERS],
    format_func=lambda v: "automatisch herkennen" if v is None else LAYER_LABELS[v],
    key="aanbod_doel",
)
round_ = st.session_state.setdefault("aanbod_ronde", 0)
upload = st.file_uploader("Partnerbestand", type=UPLOAD_TYPES, key=f"aanbod_upload_{round_}")
if upload is not None:
    safe_name = re.sub(r"[^\w.\-]+", "_", Path(upload.name).name) or "upload"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe_name
        path.write_bytes(upload.getvalue())
        try:
            result = import_file(
                path,
                laag=target,
                areas=dataset.areas,
                existing=(aanbod.layers[target] if aanbod.read_only else register.list(target))
                if target
                else None,
            )
        except DataError as exc:
            st.error(f"{md(upload.name)} is niet ingelezen: {md(exc)}")
            result = None
    if result is not None:
        counts = result.counts
        st.markdown(
            f"**Controlerapport {md(upload.name)}** ({md(LAYER_LABELS[result.laag])}): "
            f"{counts['accepted']} geaccepteerd, {counts['warnings']} met waarschuwing, "
            f"{counts['rejected']} afgewezen."
        )
        for notice in result.notices:
            st.caption(f"Melding: {md(notice)}")
        st.dataframe(
            result.report.rename(
                columns={"row": "Rij", "status": "Status", "reason": "Reden", "naam": "Naam"}
            ),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Controlerapport downloaden (CSV)",
            result.report_csv(),
            file_name=f"controlerapport_{Path(safe_name).stem}.csv",
            mime="text/csv",
        )
        extra = result.wor_deelnemers
        count = len(result.frame) + (len(extra) if extra is not None else 0)
        if count == 0:
            st.warning("Er is niets om op te slaan: alle rijen zijn afgewezen.")
        elif st.button(f"Bevestig: {len(result.frame)} rij(en) opslaan", type="primary"):
            carried = seed(register, user) if not register.exists else 0
            ids = register.add(result.laag, result.frame, user=user, wor_deelnemers=extra)
            clear_caches()
            st.session_state["aanbod_ronde"] = round_ + 1  # a fresh, empty uploader
            st.session_state["aanbod_melding"] = f"{len(ids)} rij(en) opgeslagen." + (
                f" Het register is aangemaakt; {carried} rij(en) uit de partnerbestanden "
                "zijn overgenomen."
                if carried
                else ""
            )
            st.rerun()

if register.exists:
    st.markdown(f"#### {md(LAYER_LABELS[laag])} in het register")
    stored = pd.DataFrame(register.list(laag).drop(columns="geometry"))
    if stored.empty:
        st.caption("Nog geen rijen in deze laag.")
    else:
        editable = stored.assign(verwijderen=False)
        edited = st.data_editor(
            editable,
            hide_index=True,
            width="stretch",
            disabled=["id"],
            column_config={
                "verwijderen": st.column_config.CheckboxColumn("Verwijderen?"),
                **{
                    c: st.column_config.Column(HEADINGS.get(c, c))
                    for c in COLUMNS[laag]
                    if c != "geometry"
                },
            },
            key=f"aanbod_editor_{laag}_{round_}",
        )
        removed = edited.loc[edited["verwijderen"].astype(bool), "id"].tolist()
        changes: list[tuple[str, dict[str, object]]] = []
        for (_, before), (_, after) in zip(
            stored.iterrows(), edited.drop(columns="verwijderen").iterrows(), strict=True
        ):
            diff = {
                c: after[c]
                for c in stored.columns
                if c != "id"
                and not (pd.isna(before[c]) and pd.isna(after[c]))
                and str(before[c]) != str(after[c])
            }
            if diff and before["id"] not in removed:
                changes.append((before["id"], diff))
        if (changes or removed) and st.button(
            f"Opslaan: {len(changes)} gewijzigd, {len(removed)} verwijderd", type="primary"
        ):
            try:
                for ident, diff in changes:
                    register.update(laag, ident, diff, user=user)
                for ident in removed:
                    register.remove(laag, ident, user=user)
            except DataError as exc:
                st.error(md(exc))
            else:
                clear_caches()
                st.session_state["aanbod_ronde"] = round_ + 1
                st.session_state["aanbod_melding"] = (
                    f"{len(changes)} rij(en) gewijzigd, {len(removed)} verwijderd."
                )
                st.rerun()
    if st.button("Laatste wijziging ongedaan maken", icon=":material/undo:"):
        try:
            done = register.undo(user=user)
        except DataError as exc:
            st.warning(md(exc))
        else:
            clear_caches()
            st.session_state["aanbod_ronde"] = round_ + 1
            st.session_state["aanbod_melding"] = done[:1].upper() + done[1:] + "."
            st.rerun()
    with st.expander("Geschiedenis van het register"):
        history = register.history()
        st.dataframe(
            history.drop(columns=["oud", "nieuw", "batch"], errors="ignore").iloc[::-1],
            hide_index=True,
            width="stretch",
        )
