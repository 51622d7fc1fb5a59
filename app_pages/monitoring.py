"""Monitoring: the Uitvoeringsplan's indicators with target, status and trend; entry for editors."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages._common import current, demo_banner, md, page_header, show_map
from app_pages._login import login_panel
from geo.errors import DataError
from geo.monitoring.export import monitoring_xlsx
from geo.monitoring.notes import note_area
from geo.monitoring.status import STATUSES
from geo.monitoring.summary import area_values, monitoring_overview, reach_ratios
from geo.monitoring.template import (
    measurement_from_input,
    measurements_from_file,
    template_bytes,
)
from geo.present.format import fmt_num
from geo.present.monitoring_charts import indicator_trend_spec, sparkline_spec
from geo.settings import GROUP_LABELS

BADGE = dict(zip(STATUSES, ("green", "green", "yellow", "orange", "red", "gray"), strict=True))
SYMBOL = dict(zip(STATUSES, ("✔", "▲", "◆", "▼", "✖", "?"), strict=True))

dataset, _aanbod, choice = current()
folder = Path(str(choice["folder"]))
page_header("Monitoring")
demo_banner(dataset)
try:
    view = monitoring_overview(dataset, folder)
except DataError as exc:
    st.error(str(exc))
    st.stop()
catalogue, store, rows = view["catalogue"], view["store"], view["rows"]
by_id = {r["indicator"]: r for r in rows}
st.caption(
    f"{md(catalogue.titel or 'Indicatoren')} · catalogus: {md(catalogue.bron)} · opslag: "
    f"{md(store.location)} · status volgens de Open SDG-methode (groei sinds de basisperiode "
    "tegen de groei die nodig is voor het doel; zonder doel vaste drempels van 1,5 % en 0,5 % "
    "per jaar)." + (" **DEMO: voorbeeldmetingen, fictief.**" if dataset.demo else "")
)


def value_text(row: dict[str, object]) -> str:
    """A value as published: % with one decimal, counts whole."""
    value = row["laatste_waarde"]
    if value is None:
        return "geen meting"
    number = float(value)  # type: ignore[arg-type]
    unit = row["eenheid"]
    decimals = 0 if number.is_integer() and unit != "%" else 1
    return f"{fmt_num(number, decimals)} {'%' if unit == '%' else md(unit)}"


def status_badge(status: str) -> str:
    """The status in colour and in words (never colour only)."""
    return f":{BADGE[status]}-badge[{SYMBOL[status]} {status}]"


# -- cards per subgoal ------------------------------------------------------------------------
st.header("Stand per subdoel", anchor=False)
for (hoofddoel, subdoel), members in view["groups"].items():
    st.subheader(md(subdoel), anchor=False)
    st.caption(f"Hoofddoel: {md(hoofddoel)}")
    columns = st.columns(3)
    for position, row in enumerate(members):
        with columns[position % 3].container(border=True):
            st.markdown(f"**{md(row['naam'])}**")
            st.markdown(f"### {value_text(row)}")
            st.markdown(
                f"{status_badge(str(row['status']))}  \n"
                f"Periode {md(row['periode'] or '–')} · doel: {md(row['doel_tekst'])}"
            )
            if len(row["reeks"]) > 1:
                st.vega_lite_chart(
                    sparkline_spec(row["reeks"], colour=str(row["kleur"])), width="stretch"
                )
            st.caption(f"Bron: {md(row['bron'])}. {md(row['uitleg'])}")

# -- trend per indicator ----------------------------------------------------------------------
st.divider()
st.header("Trend per indicator", anchor=False)
with_series = [r["indicator"] for r in rows if r["reeks"]]
if with_series:
    chosen = st.selectbox(
        "Indicator", with_series, format_func=lambda i: by_id[i]["naam"], key="mon_trend"
    )
    row = by_id[chosen]
    st.vega_lite_chart(indicator_trend_spec(row), width="stretch")
    table = pd.DataFrame(row["reeks"]).rename(columns={"periode": "Periode", "waarde": "Waarde"})
    if row.get("reeks_landelijk"):
        national = pd.DataFrame(row["reeks_landelijk"]).rename(columns={"waarde": "Nederland"})
        table = table.merge(national, left_on="Periode", right_on="periode").drop(
            columns="periode"
        )
    st.caption("De grafiek als tabel:")
    st.dataframe(table, hide_index=True)
else:
    st.info("Nog geen metingen.")

# -- map and reach per wijk -------------------------------------------------------------------
per_area = [
    i.id for i in catalogue
    if not i.is_outcome and not area_values(i, view["measurements"]).empty
]
if per_area:
    st.divider()
    st.header("Per wijk", anchor=False)
    left, right = st.columns(2)
    measured = left.selectbox(
        "Indicator per wijk", per_area, format_func=lambda i: by_id[i]["naam"], key="mon_wijk"
    )
    groups = ["alle", *GROUP_LABELS]
    need_group = right.selectbox(
        "Eenzamen (behoefte uit de hiaatanalyse)", groups, key="mon_groep",
        format_func=lambda g: "alle volwassenen (18+)" if g == "alle" else GROUP_LABELS[g],
    )
    reach = reach_ratios(
        dataset, catalogue.get(measured), view["measurements"],
        group=None if need_group == "alle" else need_group,
    )

    from app_pages._common import background
    from geo.present.basemap import with_background_note
    from geo.present.maps import base_map, choropleth, legend_html

    wijken = dataset.level("wijk")[["code", "naam", "geometry"]].merge(
        reach[["code", "waarde", "per_1000"]], on="code", how="left"
    )
    layer, legend = choropleth(
        gpd.GeoDataFrame(wijken, crs=dataset.areas.crs), value="per_1000",
        title=f"{by_id[measured]['naam']} per 1.000 eenzamen",
        label="per 1.000 eenzamen", unit="", source=f"{md(by_id[measured]['bron'])}",
    )
    tiles, online = background()
    m = base_map(dataset.level("wijk"), online=online, basemap=tiles)
    legend = with_background_note(legend, online, tiles)
    layer.add_to(m)
    map_col, legend_col = st.columns([4, 1])
    with map_col:
        show_map(m, key="mon_kaart", height=420, returned=[])
    legend_col.html(legend_html(legend))
    st.dataframe(
        pd.DataFrame({
            "Wijk": reach["naam"], "Code": reach["code"], "Periode": reach["periode"],
            "Waarde": reach["waarde"].map(lambda v: fmt_num(v, 0)),
            "Geschatte eenzamen": reach["eenzamen"].map(lambda v: fmt_num(v, 0)),
            "Per 1.000 eenzamen": reach["per_1000"].map(lambda v: fmt_num(v, 1)),
        }),
        hide_index=True, width="stretch",
    )
    st.caption(
        "Bereik = waarde / geschatte eenzamen × 1.000. Geschatte eenzamen: inwoners × het "
        f"RIVM-percentage eenzaam (editie {dataset.years[-1] if dataset.years else '–'}), "
        "zoals in de hiaatanalyse; een schatting, geen telling."
    )

# -- export -----------------------------------------------------------------------------------
st.divider()
st.download_button(
    "Monitoring als Excel downloaden",
    monitoring_xlsx(rows, view["measurements"], view["notes"], demo=dataset.demo),
    file_name="wijkkompas_monitoring.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)

# -- entry and import (editors) ---------------------------------------------------------------
st.divider()
st.header("Metingen en notities invoeren", anchor=False)
signed_in = login_panel(store.register)  # the register's accounts, OpenID or laptop mode
if signed_in is None:
    st.stop()
user = signed_in.actor
if st.session_state.get("mon_melding"):
    st.success(st.session_state.pop("mon_melding"))

outputs = [i.id for i in catalogue if not i.is_outcome]
area_choices = [""] + sorted(dataset.areas[dataset.areas["niveau"].isin(["wijk", "buurt"])]
                             ["code"].astype(str))
names = dataset.areas.set_index("code")["naam"].astype(str).to_dict()
with st.form("mon_invoer"):
    st.markdown("**Eén meting**")
    one, two, three = st.columns(3)
    ident = one.selectbox(
        "Indicator", outputs, format_func=lambda i: by_id[i]["naam"], key="mon_indicator"
    )
    periode = two.text_input("Periode", placeholder="2025, 2025H1 of 2025Q3", key="mon_periode")
    waarde = three.text_input("Waarde", key="mon_waarde")
    gebied = one.selectbox(
        "Gebied", area_choices, format_func=lambda c: "hele gemeente" if not c else
        f"{names.get(c, c)} ({c})",
    )
    bron = two.text_input("Bron")
    notitie = three.text_input("Notitie")
    vervang = st.checkbox("Vervang opgeslagen waarden", key="mon_vervang")
    if st.form_submit_button("Opslaan"):
        checked = measurement_from_input(
            catalogue, indicator=ident, periode=periode, waarde=waarde, gebied=gebied,
            bron=bron, notitie=notitie, area_codes=set(area_choices[1:]),
            gemeente_code=dataset.gemeente_code, stored=view["measurements"], vervang=vervang,
        )
        try:
            checked.raise_for_rejected()
            store.add_measurements(checked.frame, user=user, vervang=vervang)
            st.session_state["mon_melding"] = "Meting opgeslagen."
            st.rerun()
        except DataError as exc:
            st.error(str(exc))

st.markdown("**Importeren uit het sjabloon**")
st.download_button(
    "Sjabloon (Excel) downloaden", template_bytes(catalogue),
    file_name="monitoring_sjabloon.xlsx", on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
upload = st.file_uploader("Ingevuld sjabloon", type=["xlsx", "csv"], key="mon_upload")
if upload is not None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            result = measurements_from_file(
                path, catalogue, area_codes=set(area_choices[1:]),
                gemeente_code=dataset.gemeente_code, stored=view["measurements"],
                vervang=bool(st.session_state.get("mon_vervang")),
            )
        except DataError as exc:
            st.error(str(exc))
            result = None
    if result is not None:
        st.dataframe(result.report, hide_index=True, width="stretch")
        if len(result.rejected):
            st.error(
                f"{len(result.rejected)} rij(en) afgewezen; er wordt niets opgeslagen. Verbeter "
                "het bestand en upload het opnieuw."
            )
        elif st.button(f"{len(result.frame)} meting(en) opslaan", type="primary"):
            store.add_measurements(result.frame, user=user, file=upload.name,
                                   vervang=bool(st.session_state.get("mon_vervang")))
            st.session_state["mon_melding"] = f"{len(result.frame)} meting(en) opgeslagen."
            st.rerun()

with st.form("mon_notitie"):
    st.markdown("**Notitie: wat we horen in de wijk**")
    left, right = st.columns(2)
    waar = left.text_input("Gebied (code of aandachtsgebied)")
    auteur = right.text_input("Van wie (bijv. wijkgesprek, partner)")
    tekst = st.text_area("Tekst", max_chars=2000)
    link = left.text_input("Link (optioneel)")
    datum = right.date_input("Datum")
    if st.form_submit_button("Notitie opslaan"):
        try:
            store.add_note(note_area(dataset, waar), tekst, auteur=auteur or None, datum=datum,
                           link=link or None, user=user)
            st.session_state["mon_melding"] = "Notitie opgeslagen."
            st.rerun()
        except DataError as exc:
            st.error(str(exc))

if st.button("Laatste wijziging in metingen of notities ongedaan maken", key="mon_undo"):
    try:
        st.session_state["mon_melding"] = store.undo(user=user).capitalize() + "."
        st.rerun()
    except DataError as exc:
        st.error(str(exc))
