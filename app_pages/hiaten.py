"""Hiaten: ranked gaps per buurt, wijk or focus area, a bivariate map and a download."""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from app_pages._common import analysis, csv_download, current, demo_banner, group_label
from geo.present.maps import base_map, bivariate, legend_html, outline_layer

dataset, aanbod, choice = current()
group = str(choice["group"])
st.title("Hiaten")
demo_banner(dataset)
st.markdown(
    f"Waar wonen veel eenzame **{group_label(group)}** met weinig passend aanbod binnen bereik?"
)
niveau = st.radio(
    "Niveau",
    ["buurt", "wijk", "gebied"],
    horizontal=True,
    format_func={"buurt": "Buurt", "wijk": "Wijk", "gebied": "Aandachtsgebied"}.get,
    key="hiaten_niveau",
)
result = analysis(choice)
frame = result.level(niveau)
if frame.empty:
    st.info("Geen gebieden op dit niveau (voeg aandachtsgebieden toe in gebieden.toml).")
    st.stop()
table = frame.drop(columns="geometry", errors="ignore")
columns = {
    "rank": "Rang",
    "naam": "Gebied",
    "code": "Code",
    "population": "Inwoners in doelgroep",
    "lonely": "Eenzaam (aantal)",
    "severely_lonely": "Ernstig eenzaam (aantal)",
    "lonely_rate": "Eenzaam (%)",
    "reachable_offer": "Aanbod per 1.000 eenzamen",
    "unserved": "Zonder passend aanbod",
    "transport_index": "Vervoersarmoede",
    "gap_score": "Hiaatscore",
    "reason": "Toelichting",
}
shown = table[[c for c in columns if c in table.columns]].rename(columns=columns)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        "Eenzaam (aantal)": st.column_config.NumberColumn(format="%.0f"),
        "Ernstig eenzaam (aantal)": st.column_config.NumberColumn(format="%.0f"),
        "Inwoners in doelgroep": st.column_config.NumberColumn(format="%.0f"),
        "Eenzaam (%)": st.column_config.NumberColumn(format="%.1f"),
        "Aanbod per 1.000 eenzamen": st.column_config.NumberColumn(format="%.0f"),
        "Zonder passend aanbod": st.column_config.NumberColumn(format="%.0f"),
        "Vervoersarmoede": st.column_config.NumberColumn(format="%.2f"),
        "Hiaatscore": st.column_config.NumberColumn(format="%.0f"),
        "Toelichting": st.column_config.TextColumn(width="large"),
    },
)
st.download_button(
    "Download tabel (CSV voor Excel)",
    csv_download(shown),
    file_name=f"hiaten_{group}_{niveau}.csv",
    mime="text/csv",
)
st.caption(
    f"RIVM {result.year} × CBS-bevolking {result.population_year}. " + " ".join(result.notes)
)

st.subheader("Kaart: eenzamen × aanbod")
map_areas = result.buurten if niveau == "buurt" else frame
m = base_map(result.buurten)
layer, legend = bivariate(
    map_areas, need="lonely", offer="reachable_offer", title="Eenzamen × aanbod"
)
layer.add_to(m)
spots = result.hotspots[
    (result.hotspots["variable"] == "hiaat") & (result.hotspots["hotspot"] == "hot")
]
show_spots = st.checkbox("Hot spots van hiaten tonen (Getis-Ord Gi*, FDR 5 %)", value=True)
if show_spots and len(spots):
    outline_layer(spots, name="Hot spots", colour="#e31a1c", weight=4).add_to(m)
folium.LayerControl(collapsed=True).add_to(m)
left, right = st.columns([4, 1])
with left:
    st_folium(m, key=f"hiaten_{niveau}", height=520, use_container_width=True, returned_objects=[])
with right:
    st.html(legend_html(legend))
    if show_spots and spots.empty:
        st.caption("Geen significante hot spots na FDR-correctie.")
