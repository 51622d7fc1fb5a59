"""Kaart: loneliness per wijk or buurt, with the aanbod and other layers; click → profile."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from app_pages._common import (
    AGE_LABELS,
    PROFILE_PAGE,
    background,
    cached_kaart,
    current,
    demo_banner,
    md,
    page_header,
    show_map,
    show_table,
)
from geo.aanbod.schema import DOELGROEPEN, SOORTEN
from geo.model.figures import INDICATOR_LABELS, LONELINESS, PUBLISHED
from geo.present.format import fmt_num
from geo.present.maps import clicked_area, legend_html
from geo.present.maps.kaart import DEFAULT_LAYERS, KAARTLAGEN, kaart_keuze, present_soorten

dataset, aanbod, choice = current()
page_header("Kaart")
demo_banner(dataset)

age, year = str(choice["age"]), choice["year"]
left, middle, right = st.columns([2, 1, 2])
indicator = left.selectbox(
    "Indicator", list(LONELINESS), format_func=INDICATOR_LABELS.get, key="kaart_indicator"
)
niveau = middle.radio(
    "Niveau", ["buurt", "wijk"], horizontal=True, format_func=str.capitalize, key="kaart_niveau"
)
gebieden = list(dataset.gebieden)
focus = right.selectbox(
    "Inzoomen op aandachtsgebied",
    [None, *gebieden],
    format_func=lambda g: f"Heel {dataset.gemeente_naam or 'de gemeente'}" if g is None else g,
    key="kaart_focus",
    disabled=not gebieden,
)
layers = st.multiselect(
    "Kaartlagen",
    list(KAARTLAGEN),
    default=list(DEFAULT_LAYERS),
    format_func=KAARTLAGEN.get,
    key="kaart_lagen",
)
activities = aanbod.layers["activiteiten"]
soorten, doelgroepen = list(SOORTEN), list(DOELGROEPEN)
if "aanbod" in layers:
    with st.expander("Aanbod filteren op soort en doelgroep"):
        present = present_soorten(activities)
        soorten = st.multiselect(
            "Soort", present, default=present, format_func=SOORTEN.get, key="kaart_soorten"
        )
        doelgroepen = st.multiselect(
            "Doelgroep (activiteiten voor iedereen blijven zichtbaar)",
            list(DOELGROEPEN),
            default=list(DOELGROEPEN),
            format_func=DOELGROEPEN.get,
            key="kaart_doelgroepen",
        )

keuze = kaart_keuze(
    indicator,
    niveau=niveau,
    age=age,
    year=year,  # type: ignore[arg-type]
    group=str(choice["group"]),
    layers=layers,
    soorten=soorten,
    doelgroepen=doelgroepen,
    focus=focus,
)
tiles, online = background()
beeld = cached_kaart(
    str(choice["folder"]),
    choice["gemeente"],  # type: ignore[arg-type]
    str(choice["stamp"]),
    keuze,
    tiles,
    online,
)
frame, source = beeld.frame, beeld.source
for kind, text in beeld.notices:
    (st.info if kind == "info" else st.caption)(md(text))

map_column, legend_column = st.columns([4, 1])
with map_column:
    returned = show_map(
        beeld.for_rendering(),  # the shared map stays as built: st_folium writes into it
        key=f"kaart_{niveau}",
        height=620,
        returned=["last_active_drawing", "last_object_clicked_tooltip"],  # only clicks
    )
    st.caption(
        f"Klik op een {niveau} om het gebiedsprofiel te openen, of kies het gebied onder de "
        "kaart (ook met het toetsenbord). De cijfers van de kaart staan in de tabel hieronder."
    )
with legend_column:
    for shown in beeld.legends:
        st.html(legend_html(shown))
    suppressed = int((frame["status"] != PUBLISHED).sum())
    if suppressed and source:
        st.caption(f"{suppressed} {niveau}(en) zonder gepubliceerd cijfer (grijs).")

target = clicked_area(returned)

signature = json.dumps(returned, sort_keys=True, default=str)
if target and st.session_state.get("kaart_geopend") != signature:
    st.session_state["kaart_geopend"] = signature  # a stale click never navigates twice
    st.switch_page(PROFILE_PAGE, query_params={"gebied": target})

names = dict(zip(frame["code"], frame["naam"], strict=True))
options = [*gebieden, *names]
chosen = st.selectbox(
    "Of kies een gebied om het profiel te openen",
    options,
    index=None,
    placeholder="Zoek een aandachtsgebied, wijk of buurt…",
    format_func=lambda c: f"{c} (aandachtsgebied)" if c in gebieden else f"{names[c]} ({c})",
    key="kaart_profiel",
)
if chosen:
    st.switch_page(PROFILE_PAGE, query_params={"gebied": chosen})

# the map's figures as a table: nothing exists only on the map (keyboard, screen readers)
st.header(f"Cijfers per {niveau}", anchor=False)  # the map as a table
show_table(
    pd.DataFrame(
        {
            niveau.capitalize(): frame["naam"],
            "Code": frame["code"],
            INDICATOR_LABELS[indicator]: [
                fmt_num(v, 1) + " %" if pd.notna(v) else "–" for v in frame["value"]
            ],
            "95 %-interval": frame["interval"],
            "Opmerking": frame["note"],
        }
    ),
    f"{INDICATOR_LABELS[indicator]} per {niveau}: hetzelfde cijfer als op de kaart (jaar "
    f"{year}, {AGE_LABELS.get(age, age).lower()}). Bron: "
    f"{source or 'geen gepubliceerde cijfers'}.",
    numeric=(INDICATOR_LABELS[indicator], "95 %-interval"),
    row_header=niveau.capitalize(),
)
if dataset.notices:
    with st.expander("Meldingen bij het inlezen"):
        for notice in dataset.notices:
            st.markdown(f"- {md(notice)}")
