"""Hiaten: where many lonely people of a focus group have little suitable offer in reach."""

from __future__ import annotations

import json

import folium
import pandas as pd
import streamlit as st

from app_pages._common import (
    PROFILE_PAGE,
    analysis,
    background,
    csv_download,
    current,
    demo_banner,
    group_label,
    md,
    page_header,
    show_map,
)
from geo.analysis.populations import no_population_note
from geo.analysis.uncertainty import certainty_sentence
from geo.present.basemap import with_background_note
from geo.present.format import fmt_int, fmt_num, fmt_pct
from geo.present.maps import (
    base_map,
    bivariate,
    bivariate_legend_html,
    clicked_area,
    outline_layer,
    with_offer_notes,
)


def gap_download(dataset, result, niveau: str, *, suppress: bool):  # noqa: ANN001, ANN201
    from geo.export.gap_layers import gap_table  # imported when used: a fast first page

    return gap_table(dataset, result, niveau, suppress=suppress)


LEVELS = {"buurt": "Buurt", "wijk": "Wijk", "gebied": "Aandachtsgebied"}
COLUMNS = {  # column -> (Dutch heading, formatter for the screen)
    "rank": ("Rang", None),
    "naam": ("Gebied", None),
    "code": ("Code", None),
    "population": ("Inwoners in doelgroep", fmt_int),
    "lonely": ("Eenzaam (aantal)", fmt_int),
    "severely_lonely": ("Ernstig eenzaam (aantal)", fmt_int),
    "lonely_rate": ("Eenzaam", fmt_pct),
    "reachable_offer": ("Aanbod per 1.000 eenzamen", fmt_int),
    "unserved": ("Zonder passend aanbod", fmt_int),
    "transport_index": ("Vervoersarmoede (0-1)", lambda v: fmt_num(v, 2)),
    "gap_score": ("Hiaatscore", fmt_int),
    "certainty": ("Zekerheid", None),
    "rank_low": ("Rang van", None),
    "rank_high": ("Rang tot", None),
    "reason": ("Toelichting", None),
}

dataset, aanbod, choice = current()
group = str(choice["group"])
page_header("Hiaten")
demo_banner(dataset)
st.markdown(
    f"Waar wonen veel eenzame **{md(group_label(group))}** met weinig passend aanbod binnen "
    "bereik? Kies de doelgroep in de zijbalk."
)
niveau = st.radio(
    "Niveau", list(LEVELS), horizontal=True, format_func=LEVELS.get, key="hiaten_niveau"
)
if not dataset.has_population:  # gaps are counts of people: say what is missing
    st.warning(md(no_population_note()))
    st.stop()
result = analysis(choice)
frame = result.level(niveau)
if frame.empty:
    st.info(
        "Geen gebieden op dit niveau. Aandachtsgebieden staan in `gebieden.toml` in de datamap."
    )
    st.stop()

for note in result.offer.get("offer_notes", []):
    st.warning(md(note), icon=":material/database:")
table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
present = [c for c in COLUMNS if c in table.columns]
shown = pd.DataFrame(
    {COLUMNS[c][0]: table[c].map(COLUMNS[c][1]) if COLUMNS[c][1] else table[c] for c in present}
)
st.header(f"Ranglijst per {LEVELS[niveau].lower()}", anchor=False)
st.caption(
    f"Elke {LEVELS[niveau].lower()} met zijn hiaatscore, rang 1 het grootste hiaat voor "
    f"{md(group_label(group))}; een klik op een kolomkop sorteert anders. Bron en methode "
    "onder de tabel."
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={"Toelichting": st.column_config.TextColumn(width="large")},
)
exact = st.toggle(
    "Exacte aantallen in de download (alleen voor intern gebruik)",
    value=False,
    help="Standaard zijn kleine aantallen beschermd, zoals in elke export: minder dan 50 "
    "inwoners van de doelgroep onderdrukt, andere aantallen afgerond op 5.",
)
download = gap_download(dataset, result, niveau, suppress=not exact)
st.download_button(
    "Tabel downloaden (CSV voor Excel)",
    csv_download(download),
    file_name=f"hiaten_{group}_{niveau}_{result.year}{'_exact' if exact else ''}.csv",
    mime="text/csv",
    icon=":material/download:",
)
st.caption(
    "Download: "
    + (
        "**exacte aantallen, niet voor verspreiding buiten de organisatie**."
        if exact
        else md(str(download.attrs.get("suppression", "")))
    )
)
st.caption(
    f"RIVM {result.year} × CBS-bevolking {result.population_year}. Hiaatscore: eenzamen "
    "zonder (naar verhouding) passend aanbod binnen bereik, verhoogd met de "
    "vervoersarmoede. "
    + md(certainty_sentence(niveau, result.settings))
    + " "
    + md(str(result.time_fit.get("note") or ""))
    + " "
    + " ".join(md(n) for n in result.notes if n not in result.offer.get("offer_notes", []))
)

st.header("Kaart: eenzamen × aanbod", anchor=False)
show_spots = st.toggle(
    "Hot spots tonen: groepen buurten met veel eenzamen en weinig aanbod (Getis-Ord Gi*, "
    f"FDR {fmt_pct(100 * result.settings.fdr_alpha, 0)})",
    value=True,
    key="hiaten_hotspots",
)
shapes = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
tiles, online = background()
m = base_map(result.buurten, online=online, basemap=tiles)
layer, legend = bivariate(
    shapes,
    need="lonely",
    offer="reachable_offer",
    title="Eenzamen × bereikbaar aanbod",
    method=result.method.get("legend"),
)
legend = with_background_note(with_offer_notes(legend, result.offer), online, tiles)
layer.add_to(m)
clusters = result.clusters
if show_spots and len(clusters):
    outline_layer(
        clusters,
        name="Hot spot: veel eenzamen, weinig aanbod",
        colour="#e31a1c",
        weight=4,
    ).add_to(m)
folium.LayerControl(collapsed=True).add_to(m)
left, right = st.columns([4, 1])
with left:
    returned = show_map(
        m,
        key=f"hiaten_{niveau}",
        height=540,
        returned=["last_active_drawing", "last_object_clicked_tooltip"],
    )
    st.caption(f"Klik op een {LEVELS[niveau].lower()} om het gebiedsprofiel te openen.")
with right:
    st.html(bivariate_legend_html(legend))
    if show_spots and clusters.empty:
        st.caption("Geen significante hot spots na correctie voor meervoudig toetsen.")

target = clicked_area(returned)
signature = json.dumps(returned, sort_keys=True, default=str)
if target and st.session_state.get("hiaten_geopend") != signature:
    st.session_state["hiaten_geopend"] = signature
    st.switch_page(PROFILE_PAGE, query_params={"gebied": target})
