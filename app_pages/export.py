"""Export: layers for QGIS and Excel (GeoPackage, GeoJSON, CSV, Excel, HTML map) with sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._common import area_options, cached_bundle, current, demo_banner, md, page_header
from geo.errors import DataError
from geo.export import FORMATS, export_bytes
from geo.model.figures import INDICATOR_LABELS, LONELINESS
from geo.settings import GROUP_LABELS, GROUPS

dataset, aanbod, choice = current()
page_header("Export")
demo_banner(dataset)
st.markdown(
    "Kaartlagen voor QGIS en Excel: gebieden met cijfers, hiaten per doelgroep, hot spots, "
    "aandachtsgebieden en het aanbod. Elke laag draagt zijn bron, jaar en gebiedsindeling "
    "mee (in de GeoPackage-metadata, het blad *Bronnen* en de kolom `let_op` bij demodata)."
)

options, labels = area_options(dataset)
left, right = st.columns(2)
gebied = left.selectbox(
    "Gebied",
    [None, *options],
    format_func=lambda o: (
        f"Heel {dataset.gemeente_naam or 'de gemeente'}" if o is None else labels[o]
    ),
    key="export_gebied",
)
groups = right.multiselect(
    "Hiaten voor doelgroep(en)",
    list(GROUPS),
    default=[str(choice["group"])],
    format_func=GROUP_LABELS.get,
    key="export_groepen",
)
indicator = left.selectbox(
    "Gebieden kleuren naar",
    list(LONELINESS),
    format_func=INDICATOR_LABELS.get,
    key="export_indicator",
    help="De stijl van de gebiedslagen in QGIS en de HTML-kaart; alle cijfers gaan mee.",
)

suppress = left.toggle(
    "Kleine aantallen beschermen",
    value=True,
    key="export_onderdrukking",
    help="Aantallen onder de 50 inwoners weglaten en andere aantallen afronden op 5 (kolom "
    "'onderdrukking'). Zet dit alleen uit voor intern gebruik; de keuze staat in de metadata.",
)
if not suppress:
    st.warning(
        "Exacte aantallen, ook van minder dan 50 inwoners: alleen voor intern gebruik. "
        "De export vermeldt dit in de metadata.",
        icon=":material/lock_open:",
    )
year = choice["year"]
try:
    bundle = cached_bundle(
        str(choice["folder"]),
        choice["gemeente"],  # type: ignore[arg-type]
        str(choice["stamp"]),
        tuple(groups),
        int(year) if year is not None else None,  # type: ignore[call-overload]
        indicator,
        str(choice["age"]),
        gebied,
        suppress,
    )
except DataError as exc:
    st.error(str(exc))
    st.stop()

names = list(bundle.layers)
chosen = st.multiselect(
    "Lagen",
    names,
    default=names,
    format_func=lambda n: f"{bundle.meta[n].title} ({len(bundle.layers[n])})",
    key=f"export_lagen_{gebied}_{'-'.join(groups)}",
)
st.dataframe(
    pd.DataFrame(
        {
            "Laag": chosen,
            "Titel": [bundle.meta[n].title for n in chosen],
            "Rijen": [len(bundle.layers[n]) for n in chosen],
            "Bron": [bundle.meta[n].source for n in chosen],
            "Jaar": [bundle.meta[n].year for n in chosen],
            "Indeling": [bundle.meta[n].vintage for n in chosen],
        }
    ),
    hide_index=True,
    width="stretch",
)

formaat = st.radio(
    "Formaat",
    list(FORMATS),
    format_func=lambda f: FORMATS[f][0],
    horizontal=True,
    key="export_formaat",
)
decimal_comma = st.checkbox(
    "CSV met ; en decimale komma (Nederlandse Excel)",
    value=True,
    key="export_decimaalkomma",
    disabled=formaat != "csv",
)

if not chosen:
    st.info("Kies ten minste één laag.")
    st.stop()
# a made file belongs to the choices it was made with; another choice needs a new one
wanted = (choice["stamp"], gebied, tuple(groups), tuple(chosen), indicator, year, choice["age"])
wanted += (formaat, decimal_comma, suppress)
if st.button("Maak export", type="primary", key="export_maak"):
    with st.spinner("Export maken…"):
        made = export_bytes(bundle.select(chosen), formaat, decimal_comma=decimal_comma)
    st.session_state["export_bestand"] = (wanted, made)
stored = st.session_state.get("export_bestand")
if stored is not None and stored[0] == wanted:
    data, name, mime = stored[1]
    st.download_button(
        f"Download {name} ({len(data) / 1024:,.0f} kB)".replace(",", "."),
        data,
        file_name=name,
        mime=mime,
        key="export_download",
        on_click="ignore",  # downloading needs no rerun
    )
for note in bundle.notes:
    st.caption(f"Let op: {md(note)}")
