"""Wijkkompas dashboard: a thin router with a shared sidebar; one module per page."""

from __future__ import annotations

import streamlit as st

from app_pages._common import AGE_LABELS, cached_dataset, folder_stamp
from geo.errors import DataError
from geo.model.dataset import resolve_data_dir
from geo.settings import GROUP_LABELS, GROUPS

st.set_page_config(page_title="Wijkkompas", page_icon=":material/explore:", layout="wide")

with st.sidebar:
    st.markdown("## Wijkkompas")
    st.caption("Eenzaamheid, doelgroepen en aanbod per wijk en buurt")
    folder = st.text_input(
        "Datamap",
        value=str(resolve_data_dir(None)),
        key="folder",
        help="Map met wijken/ en aanbod/. Standaard de demodata.",
    )
    st.text_input("Gemeente (naam of code, leeg = alle)", key="gemeente")
    try:
        dataset = cached_dataset(
            folder, st.session_state.get("gemeente") or None, folder_stamp(folder)
        )
        years = dataset.years or [None]
    except DataError as exc:
        st.error(str(exc))
        years = [None]
    st.selectbox("Jaar (RIVM)", years, index=len(years) - 1, key="year")
    st.selectbox("Leeftijdsgroep", list(AGE_LABELS), format_func=AGE_LABELS.get, key="age")
    st.selectbox("Doelgroep", list(GROUPS), format_func=GROUP_LABELS.get, key="group")

pages = [
    st.Page(
        "app_pages/kaart.py", title="Kaart", icon=":material/map:", url_path="kaart", default=True
    ),
    st.Page(
        "app_pages/hiaten.py", title="Hiaten", icon=":material/trending_down:", url_path="hiaten"
    ),
    st.Page(
        "app_pages/profiel.py",
        title="Gebiedsprofiel",
        icon=":material/location_on:",
        url_path="profiel",
    ),
    st.Page("app_pages/aanbod.py", title="Aanbod", icon=":material/handshake:", url_path="aanbod"),
    st.Page("app_pages/over.py", title="Over de data", icon=":material/info:", url_path="over"),
]
st.navigation(pages).run()
