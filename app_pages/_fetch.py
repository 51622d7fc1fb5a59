"""Sidebar offer to fetch real data when the app runs on the bundled demo.

On the demo the sidebar checks whether the online sources answer (a short request to PDOK,
remembered for five minutes). Online it offers to fetch Utrecht (GM0344) into a folder with a
progress bar, and a second button switches the app to it; offline it says so and the demo data
stays in use, with a button to check again.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.errors import DataError
from geo.sources import SourceSettings
from geo.sources._http import is_online
from geo.sources.fetch import MANIFEST, fetch_gemeente

GEMEENTE = "GM0344"
DEFAULT_TARGET = Path("~/wijkkompas-data/utrecht")


@st.cache_data(ttl=300, show_spinner=False)
def online(url: str) -> bool:
    """Whether the PDOK base URL answers (checked at most every five minutes per URL)."""
    return is_online(SourceSettings.from_env(pdok_url=url), timeout_s=2.0)


def use_folder(folder: str) -> None:
    """Button callback: point the sidebar's data folder at ``folder`` (before its widget runs)."""
    st.session_state["folder"] = folder


def render_fetch_offer(folder: str, *, demo: bool) -> None:
    """In the sidebar, offer to fetch Utrecht when the current data folder is the demo.

    Only on the demo is the connection checked (once per five minutes, two seconds at most),
    so a real data folder never touches the network.
    """
    if not demo:
        return
    settings = SourceSettings.from_env()
    with st.sidebar.expander("Echte gegevens ophalen", icon=":material/cloud_download:"):
        done = st.session_state.get("fetched_folder")
        if done is None and not online(settings.pdok_url):
            st.info(
                "Geen verbinding met de online bronnen (PDOK, CBS, RIVM, OpenStreetMap): "
                "Wijkkompas gebruikt de demodata. Zet een datamap klaar en vul die hierboven "
                "in, of probeer het later opnieuw."
            )
            st.button("Opnieuw controleren", key="fetch_recheck", on_click=online.clear)
            return
        st.caption(
            "U kijkt naar de demodata. Haal grenzen (PDOK), CBS- en RIVM-cijfers en aanbod uit "
            "OpenStreetMap op voor Utrecht (GM0344)."
        )
        target = st.text_input(
            "Doelmap", value=str(DEFAULT_TARGET.expanduser()), key="fetch_target"
        )
        if done is None and (Path(target) / MANIFEST).exists():
            done = target
        if done is None and st.button("Utrecht ophalen", key="fetch_start"):
            bar = st.progress(0.0, text="Ophalen…")
            try:
                result = fetch_gemeente(
                    GEMEENTE,
                    target,
                    settings=settings,
                    progress=lambda step, fraction: bar.progress(
                        min(max(fraction, 0.0), 1.0), text=step
                    ),
                )
            except DataError as exc:
                st.error(f"Ophalen is niet gelukt. {exc}")
                return
            done = str(result.folder)
            st.session_state["fetched_folder"] = done
        if done is not None:
            st.success(f"De gegevens staan in `{done}`.")
            st.button("Deze gegevens gebruiken", key="fetch_use", on_click=use_folder, args=(done,))
