"""Aanbod: everyone can look; logged-in editors upload, check, store, edit, delete and undo."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages._aanbod_edit import HEADINGS, accounts_panel, edit_rows, undo_button
from app_pages._common import clear_caches, code, current, demo_banner, md, page_header
from app_pages._login import login_panel
from geo.aanbod import import_file, open_register
from geo.aanbod.accounts import with_organisatie
from geo.aanbod.backends import database_url
from geo.aanbod.partners import adopt_partner_files
from geo.aanbod.schema import DOELGROEPEN, LAYER_LABELS, LAYERS, SOORTEN
from geo.errors import DataError

UPLOAD_TYPES = ["csv", "xlsx", "geojson", "json", "gpkg", "zip", "txt"]

dataset, aanbod, choice = current()
folder = Path(str(choice["folder"]))
register = open_register(folder)
page_header("Aanbod")
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
        else f" Uit het register {code(register.location)}."
    )
)
if aanbod.reports:
    with st.expander(f"Controlerapporten van {len(aanbod.reports)} partnerbestand(en)"):
        for name, report in aanbod.reports.items():
            st.markdown(f"**{md(name)}**")
            st.dataframe(report, hide_index=True, width="stretch")
for notice in aanbod.notices:
    st.caption(f"Melding: {md(notice)}")


st.divider()
st.header("Aanbod toevoegen of wijzigen", anchor=False)
editor = login_panel(register)
if editor is None:
    st.stop()
aanbod_dir = folder / "aanbod"
writable = os.access(aanbod_dir if aanbod_dir.exists() else folder, os.W_OK)
if database_url() is None and not writable:
    st.warning(f"De map {code(aanbod_dir)} is alleen-lezen; wijzigen kan hier niet.")
    st.stop()
limit = st.get_option("server.maxUploadSize")

st.subheader("Bestand toevoegen", anchor=False)
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
                existing=aanbod.layers[target] if target else None,
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
            try:
                adoption = adopt_partner_files(
                    folder, register, areas=dataset.areas, user=editor.actor
                )
                ids = register.add(
                    result.laag,
                    with_organisatie(result.frame, editor.actor),
                    user=editor.actor,
                    wor_deelnemers=extra,
                )
            except DataError as exc:
                st.error(md(exc))
            else:
                clear_caches()
                st.session_state["aanbod_ronde"] = round_ + 1  # a fresh, empty uploader
                st.session_state["aanbod_melding"] = f"{len(ids)} rij(en) opgeslagen." + (
                    f" {adoption.message}" if adoption is not None else ""
                )
                st.rerun()

if register.exists:
    edit_rows(register, laag, editor, round_)
    undo_button(register, editor, round_)
    with st.expander("Geschiedenis van het register"):
        history = register.history()
        st.dataframe(
            history.drop(columns=["oud", "nieuw", "batch"], errors="ignore").iloc[::-1],
            hide_index=True,
            width="stretch",
        )
    if editor.is_beheerder:
        accounts_panel(register)
