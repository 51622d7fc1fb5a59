"""Scenario's: place activities on the map, see what changes, ask where k new ones help most."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages._common import _files_only as files_only
from app_pages._common import (
    background,
    cached_dataset,
    cached_network,
    current,
    demo_banner,
    group_label,
    md,
    page_header,
    show_map,
)
from geo.aanbod.schema import GROUP_SOORTEN, SOORTEN
from geo.analysis.advies import recommend
from geo.analysis.scenario import NewActivity, Scenario
from geo.analysis.scenario_store import open_scenarios
from geo.analysis.whatif import Comparison, Outcome, WhatIf, compare, prepare_whatif
from geo.errors import DataError
from geo.present.format import fmt_int, fmt_num
from geo.present.maps import base_map, choropleth, legend_html, points_layer

ACTIVE = "scenario_actief"


@st.cache_resource(show_spinner="Analyse voorbereiden voor wat-als…", max_entries=8)
def cached_whatif(folder: str, gemeente: str | None, stamp: str, group: str) -> WhatIf:
    """The cached analysis a what-if starts from (one per folder, files and group)."""
    from app_pages._common import cached_aanbod

    dataset = cached_dataset(folder, gemeente, files_only(stamp))
    aanbod = cached_aanbod(folder, gemeente, stamp)
    return prepare_whatif(
        dataset, aanbod.layers, group=group, network=cached_network(folder, files_only(stamp))
    )


page_header("Scenario's")
dataset, aanbod, choice = current()
demo_banner(dataset)
folder, group = str(choice["folder"]), str(choice["group"])
if not dataset.has_population:
    st.warning("Deze datamap heeft geen bevolkingscijfers: scenario's tellen mensen.")
    st.stop()
whatif = cached_whatif(folder, choice["gemeente"], str(choice["stamp"]), group)  # type: ignore[arg-type]
store = open_scenarios(folder, areas=dataset.areas)
scenario: Scenario = st.session_state.get(ACTIVE) or Scenario("Nieuw scenario", groep=group)
st.caption(
    f"Wat verandert er voor **{md(group_label(group))}** als er aanbod bijkomt of stopt? Het "
    "echte aanbodregister verandert niet: een scenario is een kopie met wijzigingen."
)

stored = store.list()
open_col, name_col = st.columns(2)
with open_col:
    pick = st.selectbox(
        "Opgeslagen scenario openen",
        [s.naam for s in stored],
        index=None,
        placeholder="Kies een scenario…" if stored else "Nog geen opgeslagen scenario's",
        key="scenario_open",
    )
    buttons = st.columns(2)
    if buttons[0].button("Openen", key="scenario_openen", disabled=pick is None) and pick:
        scenario = store.get(pick)
        st.session_state[ACTIVE] = scenario
    if buttons[1].button("Verwijderen", key="scenario_verwijder", disabled=pick is None) and pick:
        store.delete(pick)
        st.session_state.pop("scenario_open", None)
        st.rerun()
with name_col:
    naam = st.text_input("Naam van het scenario", value=scenario.naam, key=f"naam_{scenario.naam}")

soorten = list(GROUP_SOORTEN[group])
props = st.columns(3)
soort = props[0].selectbox(
    "Soort nieuwe activiteit", soorten, format_func=SOORTEN.get, key="scenario_soort"
)
capaciteit = props[1].number_input(
    "Capaciteit (0 = mediaan van die soort)", min_value=0.0, value=0.0, key="scenario_cap"
)
dagdelen = props[2].multiselect(
    "Dagdelen", ["ochtend", "middag", "avond", "weekend"], key="scenario_dagdelen"
)


def _add(lon: float, lat: float, label: str = "") -> None:
    activity = NewActivity(
        lon,
        lat,
        soort=soort,
        naam=label,
        capaciteit=capaciteit or None,
        dagdelen=";".join(dagdelen),
    )
    st.session_state[ACTIVE] = scenario.with_(naam=naam, nieuw=(*scenario.nieuw, activity))


with st.expander("Plaats een activiteit op coördinaten of bij een bestaande plek"):
    lonlat = st.columns(3)
    lon = lonlat[0].number_input("Lengtegraad", value=None, format="%.6f", key="scenario_lon")
    lat = lonlat[1].number_input("Breedtegraad", value=None, format="%.6f", key="scenario_lat")
    if lonlat[2].button("Plaats activiteit", key="scenario_plaats") and lon and lat:
        _add(float(lon), float(lat))
    venues = aanbod.layers["activiteiten"]
    if len(venues):
        shown = venues.to_crs(4326)
        labels = {str(r["id"]): f"{r['naam']} ({r['soort']})" for _, r in venues.iterrows()}
        venue = st.selectbox(
            "Bestaande plek", list(labels), format_func=labels.get, index=None, key="scenario_venue"
        )
        if st.button("Plaats hier", key="scenario_venue_plaats") and venue:
            point = shown.geometry[venues["id"].astype(str) == venue].iloc[0]
            _add(point.x, point.y, f"Nieuw bij {labels[venue]}")
scenario = st.session_state.get(ACTIVE) or scenario.with_(naam=naam)
ids = [str(i) for i in whatif.supply["id"]]
weg = st.multiselect(
    "Activiteiten die stoppen", ids, default=list(scenario.weg), key=f"weg_{scenario.naam}"
)
if tuple(weg) != scenario.weg:
    scenario = scenario.with_(weg=tuple(weg))
    st.session_state[ACTIVE] = scenario


def _evaluated(scenario: Scenario) -> tuple[Outcome, Comparison]:
    """The scenario's outcome and comparison, kept per session for reruns that change nothing."""
    key = json.dumps([folder, group, str(choice["stamp"]), scenario.changes()], sort_keys=True)
    cache: dict[str, tuple[Outcome, Comparison]] = st.session_state.setdefault(
        "scenario_uitkomsten", {}
    )
    if key not in cache:
        outcome = whatif.evaluate(scenario)
        cache.clear()  # one scenario at a time per session: memory stays small
        cache[key] = (outcome, compare(whatif, outcome))
    return cache[key]


try:
    outcome, found = _evaluated(scenario)
except DataError as exc:
    st.error(str(exc))
    st.stop()
catchment = whatif.settings.catchment_text(group, whatif.method)

metrics = st.columns(3)
metrics[0].metric("Nieuwe activiteiten", len(scenario.nieuw))
metrics[1].metric(
    "Eenzamen nieuw bereikt",
    fmt_int(found.newly_covered_lonely),
    help=f"Eenzame {group_label(group).lower()} met nu niets passends binnen {catchment}.",
)
metrics[2].metric("Niet meer bereikt", fmt_int(found.no_longer_covered_lonely))

advice = st.session_state.get("scenario_advies")
view = st.radio("Kaart", ["na", "voor"], horizontal=True, key="scenario_kaart_stand")
result = outcome.result if view == "na" else whatif.base
buurten = result.buurten
tiles, online = background()
m = base_map(buurten, online=online, basemap=tiles)
layer, legend = choropleth(
    buurten,
    value="gap_score",
    title=f"Hiaat {view} het scenario",
    label="Hiaat",
    unit="",
    source=f"RIVM/GGD/CBS {result.year}; bereik {whatif.method}",
    decimals=0,
)
layer.add_to(m)
if scenario.nieuw:
    new = gpd.GeoDataFrame(
        {"naam": [a.naam or f"Nieuw {n}" for n, a in enumerate(scenario.nieuw, 1)]},
        geometry=gpd.points_from_xy(
            [a.lon for a in scenario.nieuw], [a.lat for a in scenario.nieuw]
        ),
        crs=4326,
    ).to_crs(28992)
    points_layer(new, name="Nieuw (scenario)", colour="#d62728", radius=9).add_to(m)
if advice:
    rec = gpd.GeoDataFrame(
        {"naam": [loc.reason for loc in advice.locations]},
        geometry=gpd.points_from_xy(
            [loc.lon for loc in advice.locations], [loc.lat for loc in advice.locations]
        ),
        crs=4326,
    ).to_crs(28992)
    points_layer(rec, name="Advies", colour="#2ca02c", radius=9).add_to(m)
map_col, legend_col = st.columns([4, 1])
with map_col:
    returned = show_map(m, key="scenario_map", height=520, returned=["last_clicked"])
    st.caption("Klik op de kaart om daar een activiteit te plaatsen.")
with legend_col:
    st.html(legend_html(legend))
clicked = (returned or {}).get("last_clicked")
signature = json.dumps(clicked, sort_keys=True)
if clicked and st.session_state.get("scenario_klik") != signature:
    st.session_state["scenario_klik"] = signature
    _add(float(clicked["lng"]), float(clicked["lat"]))
    st.rerun()

st.header("Wat verandert er", anchor=False)
niveau = st.radio("Niveau", ["wijk", "gebied", "buurt"], horizontal=True, key="scenario_niveau")
rows = found.areas[found.areas["niveau"] == niveau].sort_values("newly_covered", ascending=False)
table = pd.DataFrame(
    {
        "Gebied": rows["naam"],
        "Eenzamen bereikt voor": rows["covered_before"].round(0),
        "na": rows["covered_after"].round(0),
        "Nieuw bereikt": rows["newly_covered"].round(0),
        "Hiaat voor": rows["gap_before"].round(0),
        "Hiaat na": rows["gap_after"].round(0),
        "Rang voor": rows["rank_before"],
        "Rang na": rows["rank_after"],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(
    f"Bereikt = binnen {catchment} van passend aanbod (zelfde definitie als de hiatenanalyse). "
    "Bron: RIVM/GGD/CBS Gezondheidsmonitor, CBS. Rangzekerheid en hotspots worden bij wat-als "
    "niet opnieuw berekend."
)

save_cols = st.columns([2, 1])
auteur = save_cols[0].text_input("Uw naam (auteur)", key="scenario_auteur")
if save_cols[1].button("Scenario opslaan", key="scenario_opslaan", type="primary"):
    saved = store.save(scenario.with_(naam=naam, groep=group), auteur=auteur)
    st.session_state[ACTIVE] = saved
    st.success(f"Scenario '{md(saved.naam)}' opgeslagen (versie {saved.versie}).")

st.header("Advies: waar helpt nieuw aanbod het meest?", anchor=False)
ask = st.columns(3)
k = ask[0].number_input("Aantal nieuwe activiteiten", 1, 10, 3, key="advies_k")
kandidaten = ask[1].selectbox(
    "Kandidaten",
    ["beide", "venues", "raster"],
    format_func={
        "beide": "bestaande plekken en raster",
        "venues": "bestaande plekken",
        "raster": "raster van 100 m",
    }.get,
    key="advies_kandidaten",
)
areas = ["(hele gemeente)", *dataset.gebieden, *dataset.level("wijk")["naam"]]
gebied = ask[2].selectbox("Gebied", areas, key="advies_gebied")
zwaar = st.checkbox("Ernstig eenzamen tellen dubbel", key="advies_zwaar")
if st.button("Vraag advies", key="advies_vraag"):
    st.session_state["scenario_advies"] = recommend(
        whatif,
        aantal=int(k),
        gebied=None if gebied == "(hele gemeente)" else gebied,
        soort=soort,
        kandidaten=kandidaten,  # type: ignore[arg-type]
        severe_weight=2.0 if zwaar else 1.0,
    )
    st.rerun()
if advice:
    gap = advice.optimality_gap
    st.caption(
        f"{advice.candidates} kandidaten, oplosser {md(advice.solver)}; optimaliteitsmarge "
        f"{fmt_num(100 * gap, 1) + ' %' if gap is not None else 'onbekend'}. Samen nieuw "
        f"bereikt: {fmt_int(advice.total_newly_covered)}."
    )
    for n, loc in enumerate(advice.locations, start=1):
        cols = st.columns([5, 1])
        cols[0].markdown(f"**{n}. {md(loc.naam)}** — {md(loc.reason)}")
        if cols[1].button("Overnemen", key=f"advies_neem_{n}"):
            _add(loc.lon, loc.lat, f"Advies {n}: {loc.naam}")
            st.rerun()
