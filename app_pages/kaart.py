"""Kaart: choropleth of loneliness per wijk or buurt, with the aanbod and other layers."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages._common import AGE_LABELS, analysis, current, demo_banner
from geo.aanbod.schema import DOELGROEPEN, SOORTEN
from geo.model.figures import INDICATOR_LABELS, LONELINESS, PUBLISHED
from geo.present.maps import base_map, choropleth, legend_html, outline_layer, points_layer

dataset, aanbod, choice = current()
st.title("Kaart")
demo_banner(dataset)

left, middle, right = st.columns([2, 1, 1])
indicator = left.selectbox(
    "Indicator", list(LONELINESS), format_func=INDICATOR_LABELS.get, key="kaart_indicator"
)
niveau = middle.radio("Niveau", ["buurt", "wijk"], horizontal=True, key="kaart_niveau")
age, year = str(choice["age"]), choice["year"]
layers = right.multiselect(
    "Lagen",
    [
        "Aanbod",
        "Lief en Leedstraten",
        "Welzijn op recept",
        "Buurtmobiel",
        "OV-haltes",
        "Vervoersarmoede",
        "Hot spots",
        "Aandachtsgebieden",
    ],
    default=["Aanbod", "Aandachtsgebieden"],
    key="kaart_lagen",
)

figures = dataset.figures
part = figures[
    (figures["indicator"] == indicator) & (figures["group"] == age) & (figures["year"] == year)
]
areas = dataset.level(niveau).copy()
values = part.set_index(part["code"].astype(str))
areas["waarde"] = areas["code"].map(values["value"])
status = areas["code"].map(values["status"].astype(str))
notes = pd.Series("", index=areas.index)
notes[status == "niet gepubliceerd"] = "niet gepubliceerd (te weinig respondenten)"
notes[status.isna()] = "geen cijfer in deze editie"
source = (
    (
        f"{values['source'].iloc[0]}, {year}, {values['vintage'].iloc[0]}; grenzen "
        f"{', '.join(sorted(set(areas['indeling'].astype(str))))}"
    )
    if len(values)
    else ""
)
if values.empty:
    st.info(
        f"Geen cijfers voor {INDICATOR_LABELS[indicator]} ({AGE_LABELS.get(age, age)}) "
        f"in {year}. Kies een ander jaar of een andere leeftijdsgroep."
    )

m = base_map(areas)
layer, legend = choropleth(
    areas,
    value="waarde",
    title=f"{INDICATOR_LABELS[indicator]} {age} {year}",
    label=INDICATOR_LABELS[indicator],
    notes=notes,
    source=source,
)
layer.add_to(m)

with st.expander("Filters voor aanbod", expanded=False):
    soorten = st.multiselect(
        "Soort", list(SOORTEN), default=list(SOORTEN), format_func=SOORTEN.get, key="kaart_soorten"
    )
    groepen = st.multiselect(
        "Doelgroep",
        list(DOELGROEPEN),
        default=list(DOELGROEPEN),
        format_func=DOELGROEPEN.get,
        key="kaart_doelgroepen",
    )
acts = aanbod.layers["activiteiten"]
if "Aanbod" in layers and len(acts):
    keep = acts["soort"].isin(soorten) & acts["doelgroepen"].fillna("iedereen").map(
        lambda v: bool(set(str(v).split(";")) & set(groepen))
    )
    points_layer(
        acts[keep],
        name="Aanbod",
        colour_by="soort",
        cluster=True,
        fields=("naam", "soort", "doelgroepen", "organisatie", "dagdelen"),
    ).add_to(m)
if "Lief en Leedstraten" in layers and len(aanbod.layers["lief_en_leed"]):
    streets = aanbod.layers["lief_en_leed"].copy()
    centres = dataset.areas.set_index("code").geometry.representative_point()
    streets["geometry"] = [
        g if g is not None else centres.get(b)
        for g, b in zip(streets.geometry, streets["buurt_code"], strict=True)
    ]
    streets["naam"] = streets["straat"]
    points_layer(
        gpd.GeoDataFrame(streets, geometry="geometry", crs=acts.crs),
        name="Lief en Leedstraten",
        colour="#d62728",
        radius=5,
        fields=("naam", "potjes", "jaar"),
    ).add_to(m)
if "Welzijn op recept" in layers:
    points_layer(
        aanbod.layers["welzijn_op_recept"],
        name="Welzijn op recept",
        colour="#2ca02c",
        radius=8,
        fields=("naam", "soort_locatie"),
    ).add_to(m)
if "Buurtmobiel" in layers and len(aanbod.layers["buurtmobiel"]):
    outline_layer(
        aanbod.layers["buurtmobiel"], name="Buurtmobiel", colour="#6a3d9a", dash="6 4"
    ).add_to(m)
if "OV-haltes" in layers:
    points_layer(
        aanbod.layers["ov_haltes"],
        name="OV-haltes",
        colour="#444444",
        radius=3,
        fields=("naam", "vertrekken_per_uur"),
    ).add_to(m)
if "Vervoersarmoede" in layers or "Hot spots" in layers:
    result = analysis(choice)
    if "Vervoersarmoede" in layers:
        tp, tp_legend = choropleth(
            result.buurten,
            value="transport_index",
            title="Vervoersarmoede-index",
            label="Index (0-1)",
            unit="",
            decimals=2,
            source="Wijkkompas, uit CBS/RIVM/aanbod",
        )
        tp.add_to(m)
    if "Hot spots" in layers:
        spots = result.hotspots[
            (result.hotspots["variable"] == "hiaat") & (result.hotspots["hotspot"] == "hot")
        ]
        if len(spots):
            outline_layer(
                spots.assign(naam=spots["naam"]), name="Hot spots hiaat", colour="#e31a1c", weight=4
            ).add_to(m)
        else:
            st.caption("Geen significante hot spots van hiaten (na FDR-correctie).")
if "Aandachtsgebieden" in layers and dataset.gebieden:
    shapes = [
        {"naam": n, "geometry": g.geometry(dataset.areas)}
        for n, g in dataset.gebieden.items()
        if g.geometry(dataset.areas) is not None
    ]
    if shapes:
        outline_layer(
            gpd.GeoDataFrame(shapes, crs=dataset.areas.crs), name="Aandachtsgebieden"
        ).add_to(m)
folium.LayerControl(collapsed=True).add_to(m)

map_col, legend_col = st.columns([4, 1])
with map_col:
    clicked = st_folium(
        m,
        key=f"kaart_{niveau}",
        height=620,
        use_container_width=True,
        returned_objects=["last_active_drawing", "last_object_clicked_tooltip"],
    )
with legend_col:
    st.html(legend_html(legend))
    missing = int((status != PUBLISHED).sum())
    if missing:
        st.caption(f"{missing} gebied(en) zonder gepubliceerd cijfer (grijs).")

drawing = (clicked or {}).get("last_active_drawing") or {}
code = (drawing.get("properties") or {}).get("code")
if not code:  # the tooltip of the clicked area carries its code too
    found = re.search(
        r"\b(?:BU|WK)\d{6,8}\b", str((clicked or {}).get("last_object_clicked_tooltip") or "")
    )
    code = found.group(0) if found else None
if code:
    st.switch_page("app_pages/profiel.py", query_params={"gebied": code})

names = dict(zip(areas["code"], areas["naam"], strict=True))
pick, go = st.columns([3, 1])
chosen = pick.selectbox(
    f"Gebiedsprofiel van een {niveau} openen",
    list(names),
    format_func=lambda c: f"{names[c]} ({c})",
    key="kaart_profiel",
)
go.page_link(
    "app_pages/profiel.py",
    label="Open profiel",
    icon=":material/location_on:",
    query_params={"gebied": chosen},
)
