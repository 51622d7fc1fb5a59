"""Gebiedsprofiel: one buurt, wijk or focus area. The choice lives in the URL (shareable)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from app_pages._common import (
    AGE_LABELS,
    analysis,
    area_options,
    background,
    current,
    demo_banner,
    group_label,
    md,
    page_header,
    show_map,
    show_table,
)
from geo.analysis.profile import area_profile
from geo.analysis.uncertainty import certainty_text
from geo.errors import DataError
from geo.model.figures import PUBLISHED
from geo.monitoring.notes import area_notes
from geo.present.basemap import with_background_note
from geo.present.charts import comparison_chart, count_chart, trend_chart
from geo.present.format import fmt_int, fmt_num, fmt_pct, fmt_pct_interval
from geo.present.maps import area_values, base_map, choropleth, fit, legend_html, outline_layer
from geo.report import build_report, report_bytes
from geo.settings import AnalysisSettings

KINDS = {"gebied": "aandachtsgebied", "wijk": "wijk", "buurt": "buurt", "gemeente": "gemeente"}

dataset, aanbod, choice = current()
page_header("Gebiedsprofiel")
demo_banner(dataset)

options, labels = area_options(dataset)
wanted = str(st.query_params.get("gebied", options[0] if options else ""))
if wanted not in labels:  # a name instead of a code, or another spelling
    match = [o for o in options if wanted.casefold() in (o.casefold(), labels[o].casefold())]
    match += [o for o in options if labels[o].casefold().startswith(wanted.casefold() + " (")]
    if not match and wanted:
        st.warning(f"Gebied ‘{md(wanted)}’ niet gevonden; kies een gebied.")
    wanted = match[0] if match else options[0]
if st.session_state.get("profiel_gebied") not in labels or st.session_state.get(
    "profiel_url"
) != st.query_params.get("gebied"):
    st.session_state["profiel_gebied"] = wanted  # the URL wins when it changed
chosen = st.selectbox("Gebied", options, format_func=labels.get, key="profiel_gebied")
group, age = str(choice["group"]), str(choice["age"])
st.query_params.update(
    {"gebied": chosen, "groep": group, "jaar": str(choice["year"]), "leeftijd": age}
)
st.session_state["profiel_url"] = chosen

try:
    result = analysis(choice) if dataset.has_population else None
    profile = area_profile(dataset, aanbod.layers, chosen, group=group, result=result)
except DataError as exc:
    st.error(str(exc))
    st.stop()
area = profile["area"]
naam = str(area["naam"])
st.header(md(naam), anchor=False)
st.caption(
    f"{KINDS.get(str(area['kind']), area['kind'])} · {len(area['buurten'])} buurt(en) · "
    f"gemeente {md(area['gemeente'] or '–')} · RIVM {profile['year']} · bevolking (CBS) "
    f"{profile['population_year'] or 'ontbreekt'} · doelgroep {md(group_label(group))}"
)
missing = profile.get("population_missing")
if missing:
    st.info(md(str(missing)))

figures = pd.DataFrame(profile["figures"])
need = pd.DataFrame(profile["need"])
gap = profile["gap"] or {}
mine = need[need["group"] == group] if len(need) else need
one, two, three, four = st.columns(4)
if len(figures):
    row = figures[(figures["group"] == "18+") & (figures["indicator"] == "Eenzaam")]
    if len(row):
        value, gemeente = row["value"].iloc[0], row["gemeente"].iloc[0]
        one.metric(
            "Eenzaam (18+)",
            fmt_pct(value),
            f"{fmt_num(value - gemeente, 1)} %-punt t.o.v. gemeente"
            if pd.notna(value) and pd.notna(gemeente)
            else None,
            delta_color="inverse",
        )
if len(mine):
    two.metric(f"Eenzame {md(group_label(group))}", fmt_int(mine["lonely"].iloc[0]))
    three.metric("Waarvan ernstig eenzaam", fmt_int(mine["severely_lonely"].iloc[0]))
if gap:
    four.metric(
        "Hiaatscore (rang)",
        f"{fmt_int(gap.get('gap_score'))} ({gap.get('rank', '–')})",
        help=profile.get("certainty_explanation"),
    )
    if gap.get("certainty"):
        four.caption(f"Zekerheid: {md(certainty_text(gap))}")

st.subheader("Kaart van het gebied")
buurten = dataset.level("buurt")
members = buurten[buurten["code"].astype(str).isin([str(b) for b in area["buurten"]])]
members = members[members.geometry.notna() & ~members.geometry.is_empty]
if len(members):
    minx, miny, maxx, maxy = members.total_bounds  # the area and 1 km around it, not all
    nearby = buurten.cx[minx - 1000 : maxx + 1000, miny - 1000 : maxy + 1000]
    shown = area_values(
        nearby, dataset.figures, indicator="Eenzaam", group="18+", year=profile["year"]
    )
    shown = shown[shown.geometry.notna() & ~shown.geometry.is_empty]
    tiles, online = background()
    area_map = base_map(members, online=online, basemap=tiles)
    published = shown.loc[shown["status"] == PUBLISHED, "source"]
    layer, map_legend = choropleth(
        shown,
        value="value",
        title=f"Eenzaam (18 jaar en ouder), {profile['year']}",
        label="Eenzaam",
        notes=shown["note"],
        source=f"{published.iloc[0]}, {profile['year']}" if len(published) else "",
    )
    layer.add_to(area_map)
    outline_layer(
        gpd.GeoDataFrame({"naam": [naam]}, geometry=[members.union_all()], crs=buurten.crs),
        name="Dit gebied",
        colour="#0b5cad",
        weight=4,
    ).add_to(area_map)
    fit(area_map, members)
    map_column, legend_column = st.columns([3, 1])
    with map_column:
        show_map(area_map, key="profiel_kaart", height=380, returned=[])
    legend_column.html(legend_html(with_background_note(map_legend, online, tiles)))
    st.caption(
        f"{md(naam)} (blauwe lijn) met de eenzaamheid per buurt; de cijfers van het gebied staan "
        "in de tabel hieronder."
    )
else:
    st.caption("Geen grenzen van dit gebied in de gegevens: geen kaart.")

st.subheader("Eenzaamheid tegen gemeente en Nederland")
if len(figures):
    shown_age = age if age in set(figures["group"]) else "18+"
    part = figures[figures["group"] == shown_age]
    st.vega_lite_chart(
        comparison_chart(part.to_dict(orient="records"), area=naam),
        width="stretch",
    )
    table = pd.DataFrame(
        {
            "Indicator": part["label"],
            naam: [
                fmt_pct_interval(v, lo, hi)
                for v, lo, hi in zip(part["value"], part["lower"], part["upper"], strict=True)
            ],
            "Gemeente": part["gemeente"].map(fmt_pct),
            "Nederland": part["nederland"].map(fmt_pct),
            "Status": part["status"],
        }
    )
    show_table(
        table,
        f"Eenzaamheid in {naam} tegen gemeente en Nederland, "
        f"{AGE_LABELS.get(shown_age, shown_age).lower()}, {profile['year']}",
        numeric=(naam, "Gemeente", "Nederland"),
        row_header="Indicator",
    )
    st.caption(
        f"{AGE_LABELS.get(shown_age, shown_age)} · Bron: {md(part['source'].iloc[0])}, "
        f"{profile['year']}, {md(part['vintage'].iloc[0])}. Tussen haakjes het 95 %-interval "
        f"waar RIVM dat publiceert. {md(profile['target']['tekst'])}"
    )
else:
    st.info("Geen RIVM-cijfers voor dit gebied.")

trend = pd.DataFrame(profile["trend_65plus"] if age == "65+" else profile["trend"])
if len(trend) > 1:
    st.subheader(f"Trend eenzaam ({'65+' if age == '65+' else '18+'})")
    st.vega_lite_chart(trend_chart(trend.to_dict(orient="records"), area=naam), width="stretch")
    show_table(  # the chart's numbers as a table (text alternative)
        pd.DataFrame(
            {
                "Editie": trend["year"].astype(str),
                naam: [
                    fmt_pct_interval(v, lo, hi)
                    for v, lo, hi in zip(
                        trend["value"], trend["lower"], trend["upper"], strict=True
                    )
                ],
                "Gemeente": trend["gemeente"].map(fmt_pct),
                "Nederland": trend["nederland"].map(fmt_pct),
            }
        ),
        f"Trend eenzaam ({'65+' if age == '65+' else '18+'}) in {naam}, gemeente en Nederland "
        "per editie (de cijfers van de grafiek)",
        numeric=(naam, "Gemeente", "Nederland"),
        row_header="Editie",
    )
    changes = [
        f"{year}: {md(change)}"
        for year, change in zip(trend["year"], trend["change"], strict=True)
        if isinstance(change, str)
    ]
    st.caption(
        "Edities " + ", ".join(str(y) for y in trend["year"]) + " van de Gezondheidsmonitor, "
        "herberekend naar de gebiedsindeling van 2020. Verandering t.o.v. de vorige editie "
        "(een stijging of daling alleen als de 95 %-intervallen elkaar niet overlappen): "
        + "; ".join(changes)
        + "."
    )

st.subheader("Doelgroepen")
populations = pd.DataFrame(profile["populations"])
if len(need):
    merged = need.merge(populations[["group", "method", "estimated"]], on="group", how="left")
    show_table(
        pd.DataFrame(
            {
                "Doelgroep": merged["label"],
                "Inwoners": merged["population"].map(fmt_int),
                "Eenzaam": merged["lonely"].map(fmt_int),
                "Ernstig eenzaam": merged["severely_lonely"].map(fmt_int),
                "Percentage eenzaam": merged["lonely_rate"].map(fmt_pct),
                "Aantal": merged["estimated"],
                "Hoe bepaald": merged["method"],
            }
        ),
        f"Doelgroepen in {naam}: inwoners en eenzamen",
        numeric=("Inwoners", "Eenzaam", "Ernstig eenzaam", "Percentage eenzaam"),
        row_header="Doelgroep",
    )
    st.caption(
        "‘telling’ komt rechtstreeks uit CBS Kerncijfers; ‘schatting’ is afgeleid (zie de "
        "methode). Eenzaam = inwoners × het RIVM-percentage van de best passende leeftijdsgroep."
    )
elif missing:
    st.caption("Zonder bevolkingscijfers geen aantallen per doelgroep (zie hierboven).")

st.subheader(f"Aanbod voor {md(group_label(group))}")
for note in profile.get("offer_notes") or []:
    st.warning(md(note), icon=":material/database:")
offer = profile["offer"]
left, right = st.columns([3, 2])
with left:
    counts = {k: v for k, v in offer["by_soort_max_per_buurt"].items() if v}
    inside = {k: v for k, v in (offer.get("by_soort_inside_area") or {}).items() if v}
    if missing and inside:
        st.vega_lite_chart(
            count_chart(inside, title="Passende activiteiten in het gebied"), width="stretch"
        )
    elif missing:
        st.info("Geen passende activiteiten in dit gebied in de gegevens.")
    elif counts:
        st.vega_lite_chart(
            count_chart(counts, title="Bereikbare activiteiten (meeste in één buurt)"),
            width="stretch",
        )
    shown_counts = inside if missing else counts
    if shown_counts:
        show_table(  # the chart's numbers as a table (text alternative)
            pd.DataFrame(
                {"Soort": list(shown_counts), "Activiteiten": list(shown_counts.values())}
            ),
            "Passende activiteiten in het gebied per soort"
            if missing
            else "Bereikbare activiteiten per soort (meeste in één buurt)",
            numeric=("Activiteiten",),
            row_header="Soort",
        )
    else:
        st.info("Geen passend aanbod binnen bereik van dit gebied.")
with right:
    st.markdown(
        f"- **{fmt_int(offer['suitable_inside_area'])}** passende activiteiten in het gebied\n"
        f"- **{fmt_int(offer['reachable_offer'])}** plaatsen per 1.000 eenzamen binnen bereik"
        + (
            f"\n- **{fmt_int(offer['covered_lonely'])}** van de "
            f"{fmt_int(sum(r['lonely'] or 0 for r in profile['need'] if r['group'] == group))}"
            f" eenzamen wonen binnen {md(profile['method']['catchment_text'])} van passend aanbod"
            if offer.get("covered_lonely") is not None and profile.get("method")
            else ""
        )
    )
    if profile.get("method"):
        st.caption(md(profile["method"]["description"]))
    language = profile.get("language_fit") or {}
    if language.get("sentence"):
        st.markdown(f"- Taal: {md(language['sentence'])}")
    if (profile.get("time_fit") or {}).get("note"):
        st.caption(md(profile["time_fit"]["note"]))
    nearest = profile["nearest"]
    wor = nearest.get("welzijn_op_recept")
    if wor:
        st.markdown(
            f"- Dichtstbijzijnde Welzijn op recept: **{md(wor['naam'])}** "
            f"({fmt_int(wor['afstand_m'])} m hemelsbreed)"
        )
    else:
        st.markdown("- Geen Welzijn op recept-locaties in de gegevens")
    services = [f"{md(s['naam'])} ({md(s['dienst'])})" for s in nearest.get("buurtmobiel", [])]
    st.markdown(
        "- Buurtmobiel en vergelijkbare vervoersdiensten: "
        + (", ".join(services) if services else "geen in dit gebied")
    )
    if profile["no_offer_buurten"]:
        st.markdown(
            "- Buurten zonder passend aanbod binnen bereik: "
            + ", ".join(md(b["naam"]) for b in profile["no_offer_buurten"])
        )
if gap.get("reason"):
    st.caption(f"Waarom deze hiaatscore: {md(gap['reason'])}")
if gap.get("certainty"):
    st.caption(md(str(profile.get("certainty_explanation") or "")))

transport = profile["transport"]
if transport:
    st.subheader("Vervoersarmoede")
    show_table(
        pd.DataFrame(
            {
                "Onderdeel": [
                    "Index (0 = geen, 1 = sterk)",
                    "Auto's per huishouden",
                    "Afstand tot OV-halte (m)",
                    "Vertrekken per uur binnen 500 m",
                    "Moeite met rondkomen",
                    "Buurtmobiel",
                ],
                "Waarde": [
                    fmt_num(transport.get("index"), 2),
                    fmt_num(transport.get("autos_per_huishouden"), 1),
                    fmt_int(transport.get("afstand_ov_m")),
                    fmt_num(transport.get("vertrekken_per_uur"), 1),
                    fmt_pct(transport.get("moeite_rondkomen")),
                    ", ".join(transport.get("buurtmobiel") or []) or "geen",
                ],
            }
        ),
        f"Vervoersarmoede in {naam}",
        numeric=("Waarde",),
        row_header="Onderdeel",
    )
    st.caption(
        "Gemiddelden over de buurten, gewogen naar het aantal eenzamen. Een streepje: "
        "niet in de gegevens (bijvoorbeeld geen OV-haltes geladen). Schaal: "
        + md(str(transport.get("scale_text") or ""))
    )
ov = profile.get("ov_klasse") or {}
if ov.get("aandelen"):
    shares = ", ".join(f"{k} {fmt_pct(100 * v)}" for k, v in ov["aandelen"].items() if v)
    per_dagdeel = ", ".join(f"{d} {k or '-'}" for d, k in (ov.get("per_dagdeel") or {}).items())
    st.markdown(
        f"**OV-klasse ({md(ov['dagdeel_label'])}): {md(ov.get('klasse') or '-')}** — "
        f"bewoners per klasse: {md(shares)}"
    )
    st.caption(
        f"Per dagdeel: {md(per_dagdeel)}. Bron: {md(ov.get('bron') or '')}; A = zeer goed "
        "bediend … F = matig, geen = geen halte binnen 1.000 m."
    )

flags = profile["flags"]
warnings_ = []
if flags["suppressed_figures"]:
    warnings_.append(
        "niet gepubliceerd: "
        + ", ".join(f"{md(f['indicator'])} ({f['group']})" for f in flags["suppressed_figures"])
    )
if flags["fallback_buurten"]:
    warnings_.append(
        f"{len(flags['fallback_buurten'])} buurt(en) met het cijfer van de wijk of gemeente"
    )
if flags["unreliable_buurten"]:
    warnings_.append(f"{len(flags['unreliable_buurten'])} buurt(en) met een kleine doelgroep")
if flags["buurten_zonder_vorm"]:
    warnings_.append(f"{len(flags['buurten_zonder_vorm'])} buurt(en) zonder grens")
shown_offer = set(profile.get("offer_notes") or [])
for note in warnings_ + [md(n) for n in profile["notes"] if n not in shown_offer]:
    st.caption(f"Let op: {note}")
with st.expander("Bronnen van dit profiel"):
    show_table(pd.DataFrame(profile["sources"]), f"Bronnen van het profiel van {naam}")

st.subheader("Wat we horen in de wijk")
heard = area_notes(dataset, area)
for note in heard.itertuples():
    url = str(note.link).replace(" ", "%20").replace(")", "%29") if note.link else ""
    link = f" · [link]({url})" if url.startswith(("http://", "https://")) else ""
    st.markdown(
        f"**{md(note.datum)} · {md(note.auteur)}** over {md(note.over)}: {md(note.tekst)}{link}"
    )
if heard.empty:
    st.caption("Nog geen notities over dit gebied (toevoegen op de pagina Monitoring).")

st.subheader("Wijkpropositie")
st.markdown(
    f"Een rapport van dit profiel voor **{md(group_label(group))}** om mee te nemen naar "
    "partners: kerncijfers tegen gemeente en Nederland, trend, behoefte, hiaat met "
    "toelichting, bereikbaar aanbod, vervoersarmoede en bronnen, met een kaart."
)
# a made report belongs to the area, group and data it was made from
wanted = (choice["stamp"], chosen, group, choice["year"])
if missing:
    st.info(
        "De wijkpropositie rekent met aantallen per doelgroep: voeg eerst bevolkingscijfers toe."
    )
elif st.button("Maak wijkpropositie", type="primary", key="profiel_rapport"):
    bar = st.progress(0.0, text="Wijkpropositie maken…")
    steps: list[str] = []

    def _step(name: str) -> None:
        steps.append(name)
        bar.progress(min(len(steps) / 3, 0.95), text=f"Wijkpropositie: {name}…")

    try:
        report = build_report(
            dataset,
            aanbod.layers,
            chosen,
            group=group,
            settings=AnalysisSettings(year=choice["year"]),  # type: ignore[arg-type]
            result=analysis(choice),
            notices=aanbod.notices,
            progress=_step,
            local_notes=area_notes(dataset, None),
        )
        st.session_state["profiel_rapport_bestanden"] = (
            wanted,
            [report_bytes(report, "pdf"), report_bytes(report, "html")],
        )
    except DataError as exc:
        st.error(str(exc))
    bar.empty()
made = st.session_state.get("profiel_rapport_bestanden")
if made is not None and made[0] == wanted:
    pdf, html_ = made[1]
    one, two = st.columns(2)
    for column, (data, name, mime), label in ((one, pdf, "PDF"), (two, html_, "HTML")):
        column.download_button(
            f"Download {label} ({name})",
            data,
            file_name=name,
            mime=mime,
            key=f"rapport_{label}",
            on_click="ignore",
        )
