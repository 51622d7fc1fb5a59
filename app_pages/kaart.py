"""Kaart: loneliness per wijk or buurt, with the aanbod and other layers; click → profile."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages._common import (
    AGE_LABELS,
    PROFILE_PAGE,
    analysis,
    background,
    current,
    demo_banner,
    md,
    page_header,
    show_table,
)
from geo.aanbod.schema import DOELGROEPEN, SOORTEN
from geo.analysis.completeness import offer_completeness
from geo.analysis.method import folder_stops
from geo.analysis.populations import no_population_note
from geo.model.figures import INDICATOR_LABELS, LONELINESS, PUBLISHED
from geo.present.basemap import with_background_note
from geo.present.format import fmt_num
from geo.present.maps import (
    aanbod_layers,
    area_values,
    base_map,
    choropleth,
    clicked_area,
    fit,
    legend_html,
    outline_layer,
    points_layer,
    soort_legend,
    with_offer_notes,
)
from geo.present.ov_map import ov_klasse_layer
from geo.settings import TRANSPORT_INDEX_CLASSES, AnalysisSettings

LAYERS = {
    "aanbod": "Aanbod (activiteiten)",
    "lief_en_leed": "Lief en Leedstraten",
    "welzijn_op_recept": "Welzijn op recept",
    "buurtmobiel": "Buurtmobiel-gebieden",
    "ov_haltes": "OV-haltes",
    "vervoersarmoede": "Vervoersarmoede-index",
    "ov_klasse": "OV-klasse (ARE, dienstregeling)",
    "hotspots": "Hot spots (veel eenzamen, weinig aanbod)",
    "gebieden": "Aandachtsgebieden",
}

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
    list(LAYERS),
    default=["aanbod", "gebieden"],
    format_func=LAYERS.get,
    key="kaart_lagen",
)
activities = aanbod.layers["activiteiten"]
soorten, doelgroepen = list(SOORTEN), list(DOELGROEPEN)
if "aanbod" in layers:
    with st.expander("Aanbod filteren op soort en doelgroep"):
        present = [s for s in SOORTEN if (activities["soort"].astype(str) == s).any()]
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

frame = area_values(
    dataset.level(niveau), dataset.figures, indicator=indicator, group=age, year=year
)
published = frame.loc[frame["status"] == PUBLISHED, "source"]
source = f"{published.iloc[0]}, {year}" if len(published) else ""
title = f"{INDICATOR_LABELS[indicator]} ({AGE_LABELS.get(age, age)}), {year}"
if published.empty:
    st.info(
        f"Geen cijfers voor {INDICATOR_LABELS[indicator].lower()} ({AGE_LABELS.get(age, age)}) "
        f"in {year}. Kies een ander jaar of een andere leeftijdsgroep in de zijbalk."
    )

if frame.geometry.isna().all():
    st.info(
        "Geen grenzen van deze gemeente in de kaarten in wijken/ (andere indeling): de kaart "
        "blijft leeg. De gepubliceerde cijfers staan per code in het gebiedsprofiel."
    )
tiles, online = background()
m = base_map(frame, online=online, basemap=tiles)
layer, legend = choropleth(
    frame,
    value="value",
    title=title,
    label=INDICATOR_LABELS[indicator],
    notes=frame["note"],
    source=source,
)
layer.add_to(m)
legends = [with_background_note(legend, online and tiles.basemap != "geen", tiles)]

ANALYSED = ("vervoersarmoede", "hotspots", "ov_klasse")
if any(name in layers for name in ANALYSED) and not dataset.has_population:
    st.info(
        "Vervoersarmoede en hot spots van hiaten rekenen met aantallen inwoners. "
        + md(no_population_note())
    )
elif any(name in layers for name in ANALYSED):
    result = analysis(choice)
    if "ov_klasse" in layers:
        ov_layer, ov_legend = ov_klasse_layer(
            result.buurten,
            source="OV-dienstregeling (GTFS), ARE ÖV-Güteklassen zoals GOAT; "
            + str(result.method.get("ov_klasse", {}).get("distance_method", "")),
        )
        ov_layer.add_to(m)
        legends.append(ov_legend)
    if "vervoersarmoede" in layers:
        poverty, poverty_legend = choropleth(
            result.buurten,
            value="transport_index",
            title="Vervoersarmoede-index (0 – 1)",
            label="Vervoersarmoede-index",
            unit="",
            decimals=2,
            # the fixed scale means the same in every gemeente and year: fixed classes too
            breaks=None if result.transport_scale == "relatief" else TRANSPORT_INDEX_CLASSES,
            source="Wijkkompas, uit CBS-autobezit, OV-haltes, RIVM en Buurtmobiel; "
            + ("relatieve" if result.transport_scale == "relatief" else "vaste")
            + " schaal",
        )
        poverty.add_to(m)
        legends.append(poverty_legend)
    if "hotspots" in layers:
        clusters = result.clusters
        if len(clusters):
            outline_layer(
                clusters,
                name="Hot spot: veel eenzamen, weinig aanbod",
                colour="#e31a1c",
                weight=4,
                fill_opacity=0.15,
            ).add_to(m)
        else:
            st.caption(
                "Geen significante hot spots van hiaten voor deze doelgroep (Getis-Ord Gi*, "
                "na correctie voor meervoudig toetsen)."
            )
if "buurtmobiel" in layers and len(aanbod.layers["buurtmobiel"]):
    services = aanbod.layers["buurtmobiel"]
    outline_layer(
        services[services.geometry.notna()],
        name="Buurtmobiel-gebied",
        colour="#6a3d9a",
        dash="6 4",
        fill_opacity=0.08,
    ).add_to(m)
if "aanbod" in layers and len(activities):
    for group in aanbod_layers(activities, soorten=soorten, doelgroepen=doelgroepen):
        group.add_to(m)
    offer = offer_completeness(aanbod.layers["activiteiten"], group=str(choice["group"]))
    legends.append(with_offer_notes(soort_legend(soorten), offer))
if "lief_en_leed" in layers and len(aanbod.layers["lief_en_leed"]):
    streets = aanbod.layers["lief_en_leed"].copy()
    centres = dataset.areas.set_index("code").geometry.representative_point()
    missing = streets.geometry.isna() | streets.geometry.is_empty
    streets.loc[missing, "geometry"] = streets.loc[missing, "buurt_code"].map(centres)
    points_layer(
        gpd.GeoDataFrame(streets, geometry="geometry", crs=dataset.areas.crs),
        name="Lief en Leedstraten",
        colour="#d62728",
        radius=5,
        fields={"straat": "Lief en Leedstraat", "potjes": "Potjes", "jaar": "Jaar"},
    ).add_to(m)
if "welzijn_op_recept" in layers and len(aanbod.layers["welzijn_op_recept"]):
    points_layer(
        aanbod.layers["welzijn_op_recept"],
        name="Welzijn op recept",
        colour="#006d2c",
        radius=8,
        fields={"naam": "Welzijn op recept", "soort_locatie": "Locatie", "adres": "Adres"},
    ).add_to(m)
if "ov_haltes" in layers:
    # the folder's timetable (ov/) when there is one: departures per dagdeel; else the layer
    haltes = folder_stops(dataset, aanbod.layers, AnalysisSettings(), [])
    if len(haltes):
        points_layer(
            haltes,
            name="OV-haltes",
            colour="#444444",
            radius=3,
            fields={
                "naam": "OV-halte",
                "modus": "Modaliteit",
                "vertrekken_per_uur": "Vertrekken per uur (werkdag 6-22)",
                "vertrekken_avond": "Per uur 's avonds (17-22)",
                "vertrekken_weekend": "Per uur in het weekend (7-22)",
            },
        ).add_to(m)
if "gebieden" in layers and gebieden:
    shapes = [
        {"naam": name, "geometry": gebied.geometry(dataset.areas)}
        for name, gebied in dataset.gebieden.items()
    ]
    shapes = [s for s in shapes if s["geometry"] is not None]
    if shapes:
        outline_layer(
            gpd.GeoDataFrame(shapes, crs=dataset.areas.crs),
            name="Aandachtsgebied",
            key="naam",
        ).add_to(m)
if focus is not None:
    shape = dataset.gebieden[focus].geometry(dataset.areas)
    if shape is not None:
        outline_layer(
            gpd.GeoDataFrame({"naam": [focus]}, geometry=[shape], crs=dataset.areas.crs),
            name="Gekozen aandachtsgebied",
            colour="#0b5cad",
            weight=5,
            key="naam",
        ).add_to(m)
        fit(m, shape)
folium.LayerControl(collapsed=True).add_to(m)

map_column, legend_column = st.columns([4, 1])
with map_column:
    returned = st_folium(
        m,
        render=False,  # one render of the map, not two (st_folium renders it for its script)
        key=f"kaart_{niveau}",
        height=620,
        use_container_width=True,
        # only clicks come back: panning and zooming do not rerun the page
        returned_objects=["last_active_drawing", "last_object_clicked_tooltip"],
    )
    st.caption(
        f"Klik op een {niveau} om het gebiedsprofiel te openen, of kies het gebied onder de "
        "kaart (ook met het toetsenbord). De cijfers van de kaart staan in de tabel hieronder."
    )
with legend_column:
    for shown in legends:
        st.html(legend_html(shown))
    suppressed = int((frame["status"] != PUBLISHED).sum())
    if suppressed and len(published):
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
