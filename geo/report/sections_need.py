"""Report sections about the people: summary, key figures, trend, need."""

from __future__ import annotations

from typing import Any

from geo.analysis.context import NATIONAL, figure
from geo.present.format import as_number, fmt_int, fmt_pct, fmt_pct_interval
from geo.report.charts import trend_chart
from geo.report.context import (
    ReportContext,
)
from geo.report.document import Bullets, Image, Paragraph, Section, Table


def summary(ctx: ReportContext) -> Section:
    """Summary bullets (figures, need, gap, buurten without offer, 2026 target) and the map."""
    items = []
    adults = ctx.figure("Eenzaam", "18+")
    if adults is not None:
        items.append(
            f"In {ctx.naam} is {ctx.value(adults)} van de volwassenen (18+) eenzaam "
            f"({ctx.result.year}); gemeente {fmt_pct(adults['gemeente'])}, Nederland "
            f"{fmt_pct(adults['nederland'])}."
        )
    need = ctx.need_row()
    if need is not None:
        items.append(
            f"Naar schatting {fmt_int(need['lonely'])} van de {fmt_int(need['population'])} "
            f"{ctx.noun} ({fmt_pct(need['lonely_rate'])}) zijn eenzaam, van wie "
            f"{fmt_int(need['severely_lonely'])} ernstig."
        )
    gap = ctx.profile["gap"] or {}
    if gap.get("reason"):
        items.append(f"Hiaat: {gap['reason']}.")
    total = len(ctx.members)
    without = len(ctx.profile["no_offer_buurten"])
    items.append(
        f"{without} van de {total} buurten {'heeft' if without == 1 else 'hebben'} niets "
        f"passends voor {ctx.noun} binnen "
        f"{ctx.catchment_text}."
        if without
        else f"Elke buurt heeft iets passends voor {ctx.noun} binnen bereik."
    )
    items.append(str(ctx.profile["target"]["tekst"]))
    blocks: list[Any] = [Bullets(tuple(items))]
    blocks.append(ctx.map())
    return Section("samenvatting", "Samenvatting", tuple(blocks))


def key_figures(ctx: ReportContext) -> Section:
    """Loneliness of the area next to the gemeente and Nederland, with sources."""
    rows = []
    for row in ctx.profile["figures"]:
        rows.append(
            (
                str(row["label"]),
                str(row["group"]),
                ctx.value(row),
                fmt_pct(row["gemeente"]),
                fmt_pct(row["nederland"]),
                ctx.status(row["status"]),
            )
        )
    first = ctx.profile["figures"][0] if ctx.profile["figures"] else {}
    national = figure(ctx.dataset, NATIONAL, "Eenzaam", "18+", ctx.result.year)
    caption = (
        f"Bron: {first.get('source') or 'RIVM'}, {ctx.result.year}, "
        f"{first.get('vintage') or ''}; grenzen {ctx.vintage}. Landelijk: "
        f"{national.get('source') or 'niet beschikbaar'}."
    )
    blocks: list[Any] = [
        Paragraph(
            f"Eenzaamheid in {ctx.naam} in {ctx.result.year}, in procenten van de "
            "leeftijdsgroep, naast de gemeente en heel Nederland."
        ),
        Table(
            headers=("Indicator", "Leeftijd", ctx.naam, "Gemeente", "Nederland", "Status"),
            rows=tuple(rows),
            widths=(3.0, 1.2, 1.6, 1.6, 1.6, 2.6),
            numeric=(False, False, True, True, True, False),
            caption=caption,
        ),
    ]
    if ctx.area["kind"] == "gebied" and len(ctx.area["codes"]) > 1:
        blocks.append(
            Paragraph(
                "Het cijfer van een aandachtsgebied is herberekend uit zijn buurten "
                "(inwoners × percentage, opgeteld), geen gemiddelde van percentages.",
                kind="note",
            )
        )
    return Section("kerncijfers", "Kerncijfers", tuple(blocks), new_page=True)


def trend(ctx: ReportContext) -> Section:
    """The RIVM editions (2012, 2016, 2020...) of the area, the gemeente and Nederland."""
    adults = ctx.profile["trend"]
    elderly = ctx.profile.get("trend_65plus") or []
    years = sorted({int(t["year"]) for t in [*adults, *elderly]})
    by_year = {int(t["year"]): t for t in adults}
    by_year_65 = {int(t["year"]): t for t in elderly}
    rows = []
    for year in years:
        a, e = by_year.get(year, {}), by_year_65.get(year, {})
        rows.append(
            (
                str(year),
                fmt_pct_interval(a.get("value"), a.get("lower"), a.get("upper")),
                str(a.get("change") or ""),
                fmt_pct(a.get("gemeente")),
                fmt_pct(a.get("nederland")),
                fmt_pct_interval(e.get("value"), e.get("lower"), e.get("upper")),
                fmt_pct(e.get("gemeente")),
                fmt_pct(e.get("nederland")),
            )
        )
    series = {
        f"{ctx.naam} 18+": [(int(t["year"]), as_number(t.get("value"))) for t in adults],
        "Gemeente 18+": [(int(t["year"]), as_number(t.get("gemeente"))) for t in adults],
        "Nederland 18+": [(int(t["year"]), as_number(t.get("nederland"))) for t in adults],
    }
    blocks: list[Any] = [
        Table(
            headers=(
                "Jaar",
                f"{ctx.naam} 18+",
                "Verandering 18+",
                "Gemeente 18+",
                "Nederland 18+",
                f"{ctx.naam} 65+",
                "Gemeente 65+",
                "Nederland 65+",
            ),
            rows=tuple(rows),
            numeric=(False, True, False, True, True, True, True, True),
            caption=(
                f"Bron: {_editions(ctx)}. Tussen haakjes het 95 %-interval waar RIVM dat "
                "publiceert; een stijging of daling heet alleen zo als de intervallen van twee "
                "edities elkaar niet overlappen, anders 'geen duidelijke verandering'."
            ),
        )
    ]
    if adults:
        blocks.append(
            Image(
                trend_chart(series, title=f"Eenzaam (18+), {years[0]}–{years[-1]}"),
                caption=f"Trend eenzaamheid 18+: {ctx.naam}, gemeente en Nederland.",
                alt=f"Lijngrafiek van het percentage eenzamen in {ctx.naam}, de gemeente "
                "en Nederland per editie van de Gezondheidsmonitor.",
                width=0.8,
            )
        )
    blocks.append(Paragraph(f"Doel 2026: {ctx.profile['target']['tekst']}"))
    return Section("trend", "Trend", tuple(blocks))


def _editions(ctx: ReportContext) -> str:
    """The RIVM tables and boundary vintages behind the trend, e.g. 'tabel 50090NED ...'."""
    f = ctx.dataset.figures
    part = f[(f["indicator"] == "Eenzaam") & f["niveau"].isin(["gemeente", "wijk", "buurt"])]
    pairs = part[["source", "vintage"]].astype(str).drop_duplicates()
    if pairs.empty:
        return "RIVM, GGD'en, CBS (Gezondheidsmonitor)"
    return "; ".join(f"{s} ({v})" for s, v in pairs.itertuples(index=False))


def need(ctx: ReportContext) -> Section:
    """Need in people: residents and lonely residents per focus group."""
    methods = {p["group"]: p for p in ctx.profile["populations"]}
    rows, emphasis = [], []
    for index, row in enumerate(ctx.profile["need"]):
        if row["group"] == ctx.group:
            emphasis.append(index)
        rows.append(
            (
                str(row["label"]),
                fmt_int(row["population"]),
                fmt_int(row["lonely"]),
                fmt_int(row["severely_lonely"]),
                fmt_pct(row["lonely_rate"]),
                str(methods.get(row["group"], {}).get("estimated", "")),
            )
        )
    notes = [f"{p['label']}: {p['method']}" for p in ctx.profile["populations"] if p.get("method")]
    blocks: list[Any] = [
        Paragraph(
            f"Behoefte in mensen: inwoners per doelgroep (CBS {ctx.result.population_year}) "
            f"× het RIVM-percentage eenzaam van hun buurt ({ctx.result.year}). De gekozen "
            "doelgroep is vet."
        ),
        Table(
            headers=(
                "Doelgroep",
                "Inwoners",
                "Eenzaam",
                "Ernstig eenzaam",
                "% eenzaam",
                "Bevolking",
            ),
            rows=tuple(rows),
            widths=(3.2, 1.3, 1.3, 1.5, 1.3, 1.4),
            numeric=(False, True, True, True, True, False),
            emphasis=tuple(emphasis),
            caption=(
                f"Bron: CBS Kerncijfers wijken en buurten {ctx.result.population_year}; "
                f"RIVM {ctx.result.year}; grenzen {ctx.vintage}. Afgerond op hele mensen."
            ),
        ),
    ]
    if notes:
        blocks.append(Bullets(tuple(notes)))
    return Section("behoefte", "Behoefte in mensen", tuple(blocks), new_page=True)
