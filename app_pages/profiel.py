"""Gebiedsprofiel: one buurt, wijk or focus area; the choice lives in the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages._common import analysis, current, demo_banner, group_label
from geo.analysis.profile import area_profile
from geo.errors import DataError
from geo.present.format import fmt_int, fmt_num, fmt_pct

dataset, aanbod, choice = current()
st.title("Gebiedsprofiel")
demo_banner(dataset)

options = [*dataset.gebieden]
labels = {name: f"{name} (aandachtsgebied)" for name in options}
for row in dataset.areas[dataset.areas["niveau"].isin(["wijk", "buurt"])].itertuples():
    options.append(row.code)
    labels[row.code] = f"{row.naam} ({row.niveau}, {row.code})"
wanted = st.query_params.get("gebied", options[0] if options else "")
if wanted not in labels:
    match = [o for o in options if o.casefold() == str(wanted).casefold()]
    wanted = match[0] if match else options[0]
chosen = st.selectbox(
    "Gebied", options, index=options.index(wanted), format_func=labels.get, key="profiel_gebied"
)
st.query_params["gebied"] = chosen
group = str(choice["group"])
try:
    profile = area_profile(dataset, aanbod.layers, chosen, group=group, result=analysis(choice))
except DataError as exc:
    st.error(str(exc))
    st.stop()

area = profile["area"]
st.header(f"{area['naam']}")
st.caption(
    f"{area['kind']} · {len(area['buurten'])} buurt(en) · gemeente "
    f"{area['gemeente'] or '–'} · RIVM {profile['year']}, bevolking "
    f"{profile['population_year']}"
)

figures = pd.DataFrame(profile["figures"])
if len(figures):
    st.subheader("Eenzaamheid tegen gemeente en Nederland")
    age = str(choice["age"]) if str(choice["age"]) in set(figures["group"]) else "18+"
    part = figures[figures["group"] == age]
    chart = part.set_index("label")[["value", "gemeente", "nederland"]].rename(
        columns={"value": area["naam"], "gemeente": "Gemeente", "nederland": "Nederland"}
    )
    st.bar_chart(chart, stack=False, y_label="%")
    table = part[["label", "value", "gemeente", "nederland", "status"]].copy()
    for column in ("value", "gemeente", "nederland"):
        table[column] = table[column].map(fmt_pct)
    st.dataframe(
        table.rename(
            columns={
                "label": "Indicator",
                "value": area["naam"],
                "gemeente": "Gemeente",
                "nederland": "Nederland",
                "status": "Status",
            }
        ),
        hide_index=True,
    )
    st.caption(
        f"Bron: {part['source'].iloc[0]}, {profile['year']}, "
        f"{part['vintage'].iloc[0]}. {profile['target']['tekst']}"
    )

trend = pd.DataFrame(profile["trend"])
if len(trend):
    st.subheader("Trend eenzaam (18+)")
    st.line_chart(
        trend.set_index("year")[["value", "gemeente", "nederland"]].rename(
            columns={"value": area["naam"], "gemeente": "Gemeente", "nederland": "Nederland"}
        ),
        y_label="%",
    )

st.subheader("Doelgroepen")
need = pd.DataFrame(profile["need"])
populations = pd.DataFrame(profile["populations"])
if len(need):
    merged = need.merge(populations[["group", "method", "estimated"]], on="group")
    merged = merged.assign(
        Inwoners=merged["population"].map(fmt_int),
        Eenzaam=merged["lonely"].map(fmt_int),
        Ernstig=merged["severely_lonely"].map(fmt_int),
        Percentage=merged["lonely_rate"].map(fmt_pct),
    )
    st.dataframe(
        merged[
            ["label", "Inwoners", "Eenzaam", "Ernstig", "Percentage", "estimated", "method"]
        ].rename(columns={"label": "Doelgroep", "estimated": "Soort", "method": "Methode"}),
        hide_index=True,
        width="stretch",
    )

st.subheader(f"Aanbod en hiaat voor {group_label(group)}")
gap = profile["gap"]
if gap:
    st.markdown(f"**Hiaatscore {fmt_num(gap.get('gap_score'), 0)}** (rang {gap.get('rank')})")
    st.text(str(gap.get("reason", "")))
offer = profile["offer"]["by_soort_max_per_buurt"]
st.bar_chart(pd.Series(offer, name="bereikbaar (max per buurt)"), horizontal=True)
nearest = profile["nearest"]
if nearest.get("welzijn_op_recept"):
    wor = nearest["welzijn_op_recept"]
    st.markdown(
        f"Dichtstbijzijnde Welzijn op recept: {wor['naam']} ({fmt_int(wor['afstand_m'])} m)"
    )
services = ", ".join(s["naam"] for s in nearest.get("buurtmobiel", [])) or "geen"
st.markdown(f"Buurtmobiel en vergelijkbare diensten: {services}")
if profile["no_offer_buurten"]:
    st.markdown(
        "Buurten zonder passend aanbod binnen bereik: "
        + ", ".join(b["naam"] for b in profile["no_offer_buurten"])
    )

transport = profile["transport"]
if transport:
    st.subheader("Vervoersarmoede")
    st.dataframe(
        pd.DataFrame(
            {
                "Onderdeel": [
                    "Index (0-1)",
                    "Auto's per huishouden",
                    "Afstand tot OV-halte (m)",
                    "Vertrekken per uur binnen 500 m",
                    "Moeite met rondkomen (%)",
                ],
                "Waarde": [
                    fmt_num(transport.get("index"), 2),
                    fmt_num(transport.get("autos_per_huishouden"), 1),
                    fmt_int(transport.get("afstand_ov_m")),
                    fmt_num(transport.get("vertrekken_per_uur"), 1),
                    fmt_pct(transport.get("moeite_rondkomen")),
                ],
            }
        ),
        hide_index=True,
    )
for note in profile["notes"]:
    st.caption(f"Let op: {note}")
