"""Wijkkompas dashboard: a thin router with a shared sidebar; one module per page."""

from __future__ import annotations

import streamlit as st

from app_pages._common import (
    AGE_LABELS,
    ICON,
    PAGES,
    cached_dataset,
    folder_stamp,
    inject_styles,
)
from geo.errors import DataError
from geo.io.folder import resolve_data_dir
from geo.settings import GROUP_LABELS, GROUPS

st.set_page_config(
    page_title="Wijkkompas",
    page_icon=str(ICON),  # a local file: a material icon would be fetched from Google
    layout="wide",
)

pages = [
    st.Page(f"{PAGES}/kaart.py", title="Kaart", icon=":material/map:", default=True),
    st.Page(f"{PAGES}/hiaten.py", title="Hiaten", icon=":material/troubleshoot:"),
    st.Page(f"{PAGES}/profiel.py", title="Gebiedsprofiel", icon=":material/location_on:"),
    st.Page(f"{PAGES}/aanbod.py", title="Aanbod", icon=":material/handshake:"),
    st.Page(f"{PAGES}/scenarios.py", title="Scenario's", icon=":material/add_location_alt:"),
    st.Page(f"{PAGES}/monitoring.py", title="Monitoring", icon=":material/monitoring:"),
    st.Page(f"{PAGES}/export.py", title="Export", icon=":material/download:"),
    st.Page(f"{PAGES}/over.py", title="Over de data", icon=":material/info:"),
]
page = st.navigation(pages)
st.set_page_config(page_title=f"{page.title} · Wijkkompas")  # the browser tab names the page
inject_styles()

# a shared link (?groep=...&jaar=...&leeftijd=...) sets the sidebar once, for a new session
params = st.query_params
if "group" not in st.session_state and params.get("groep") in GROUPS:
    st.session_state["group"] = params["groep"]
if "age" not in st.session_state and params.get("leeftijd") in AGE_LABELS:
    st.session_state["age"] = params["leeftijd"]

with st.sidebar:
    st.markdown("**Wijkkompas**")
    st.caption("Eenzaamheid, doelgroepen en aanbod per wijk en buurt — Utrecht Omarmt")
    folder = st.text_input(
        "Datamap",
        value=str(resolve_data_dir(None)),
        key="folder",
        help="Map met `wijken/` (grenzen, RIVM, CBS) en `aanbod/`. Standaard de demodata "
        "of de map in `WIJKKOMPAS_DATA`.",
    )
    gemeente = st.text_input(
        "Gemeente",
        key="gemeente",
        placeholder="naam of GM-code; leeg = de enige in de map",
        help="Nodig als de map landelijke bestanden bevat.",
    )
    years: list[int | None] = [None]
    try:
        dataset = cached_dataset(folder, gemeente or None, folder_stamp(folder))
        years = list(dataset.years) or [None]
    except DataError as exc:
        st.error(str(exc))
    wanted = str(params.get("jaar", ""))
    if "year" not in st.session_state and wanted.isdigit() and int(wanted) in years:
        st.session_state["year"] = int(wanted)
    st.selectbox(
        "Jaar (RIVM-editie)",
        years,
        index=len(years) - 1,
        key="year",
        format_func=lambda y: "–" if y is None else str(y),
    )
    st.selectbox("Leeftijdsgroep", list(AGE_LABELS), format_func=AGE_LABELS.get, key="age")
    st.selectbox("Doelgroep", list(GROUPS), format_func=GROUP_LABELS.get, key="group")

page.run()
