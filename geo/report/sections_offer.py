"""Report sections about the offer: gap, reachable aanbod, transport, cautions, sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import geo
from geo.aanbod.schema import SOORTEN
from geo.analysis.uncertainty import certainty_text
from geo.export.attribution import attributions
from geo.present.format import fmt_int, fmt_num
from geo.report.context import (
    KIND_LABELS,
    MAX_AANBOD_ROWS,
    MAX_BUURT_ROWS,
    ReportContext,
    plain_text,
)
from geo.report.document import Bullets, Paragraph, Section, Table


def gap(ctx: ReportContext) -> Section:
    """The gap score, its rank and reasons, and the buurten of the area by gap."""
    gap = ctx.profile["gap"] or {}
    level = ctx.result.level(ctx.area["kind"]) if ctx.area["kind"] != "buurt" else None
    size = len(level) if level is not None else len(ctx.result.buurten)
    blocks: list[Any] = []
    if gap:
        blocks.append(
            Paragraph(
                f"Hiaatscore {fmt_num(gap.get('gap_score'), 0)}: rang {gap.get('rank')} van "
                f"{size} ({KIND_LABELS.get(ctx.area['kind'], ctx.area['kind'])}en in de "
                f"gemeente; 1 = grootste hiaat). {gap.get('reason', '')}."
            )
        )
        blocks.append(
            Table(
                headers=(
                    "Eenzamen",
                    "Zonder passend aanbod",
                    "Aanbod per 1.000 eenzamen",
                    "Vervoersarmoede (0-1)",
                ),
                rows=(
                    (
                        fmt_int(gap.get("lonely")),
                        fmt_int(gap.get("unserved")),
                        fmt_num(gap.get("reachable_offer"), 1),
                        fmt_num(gap.get("transport_index"), 2),
                    ),
                ),
                numeric=(True, True, True, True),
                caption=(
                    "Zonder passend aanbod: eenzamen voor wie naar verhouding geen plek "
                    "binnen bereik is, vergeleken met een gelijke spreiding van al het "
                    "passende aanbod in de gemeente."
                ),
            )
        )
        if gap.get("certainty"):
            blocks.append(
                Paragraph(
                    f"Hoe zeker is deze rang? {certainty_text(gap).capitalize()}. "
                    f"{ctx.profile.get('certainty_explanation') or ''}",
                    kind="note",
                )
            )
    else:
        blocks.append(Paragraph("Geen hiaatscore voor dit gebied.", kind="note"))
    for note in ctx.profile.get("offer_notes") or []:
        blocks.append(Paragraph(str(note), kind="warning"))
    time_note = (ctx.profile.get("time_fit") or {}).get("note")
    if time_note:
        blocks.append(Paragraph(str(time_note), kind="note"))
    language = ctx.profile.get("language_fit") or {}  # its note is among the profile's notes
    if language.get("sentence"):
        blocks.append(Paragraph(f"Taal: {language['sentence']}.", kind="note"))
    members = ctx.members.sort_values("rank").head(MAX_BUURT_ROWS)
    if len(ctx.members) > 1:
        rows = tuple(
            (
                str(r["naam"]),
                fmt_int(r["lonely"]),
                fmt_int(r["unserved"]),
                fmt_int(r["reachable"]),
                fmt_num(r["gap_score"], 0),
                certainty_text(r),
                str(r["reason"]),
            )
            for r in members.to_dict(orient="records")
        )
        blocks.append(
            Table(
                headers=(
                    "Buurt",
                    "Eenzamen",
                    "Zonder aanbod",
                    "Bereikbaar",
                    "Hiaat",
                    "Zekerheid",
                    "Waarom",
                ),
                rows=rows,
                widths=(2.0, 1.2, 1.2, 1.2, 0.9, 1.6, 3.9),
                numeric=(False, True, True, True, True, False, False),
                caption=(
                    f"Buurten van {ctx.naam} naar hiaat (grootste eerst"
                    + (f", de eerste {MAX_BUURT_ROWS}" if len(ctx.members) > MAX_BUURT_ROWS else "")
                    + "). Bereikbaar: passende activiteiten binnen "
                    f"{ctx.catchment_text}. Zekerheid: onder de "
                    f"{ctx.result.settings.certainty_top_for('buurt')} grootste hiaten van alle "
                    "buurten van de gemeente."
                ),
            )
        )
    settings = ctx.result.settings
    blocks.append(
        Paragraph(
            "Methode: bereikbaar aanbod met de E2SFCA-methode (Luo & Qi 2009): reikwijdte "
            f"{ctx.catchment_text} voor {ctx.noun}, {_distance_words(ctx)}; "
            f"{_demand_words(ctx)}; afstandsverval '{settings.decay}'; gedekt = eenzamen met "
            "minstens één passende activiteit binnen bereik (capaciteit niet gedeeld); "
            "hiaatscore = eenzamen zonder passend aanbod × (1 + "
            f"{fmt_num(settings.transport_weight_in_gap, 2)} × vervoersarmoede-index).",
            kind="note",
        )
    )
    return Section("hiaat", "Hiaat en redenen", tuple(blocks))


def aanbod(ctx: ReportContext) -> Section:
    """The suitable aanbod within reach, nearest first; Welzijn op recept, Buurtmobiel."""
    reachable = ctx.reachable
    blocks: list[Any] = []
    if reachable.empty:
        blocks.append(
            Paragraph(
                f"Geen passende activiteiten voor {ctx.noun} binnen bereik van de buurten "
                f"van {ctx.naam} ({ctx.catchment_text}).",
                kind="warning",
            )
        )
    else:
        counts = reachable["soort"].astype(str).value_counts()
        blocks.append(
            Paragraph(
                f"{len(reachable)} passende activiteiten voor {ctx.noun} liggen binnen "
                f"{ctx.catchment_text} ({_distance_words(ctx)}) van een buurt in "
                f"{ctx.naam}: "
                + ", ".join(
                    f"{SOORTEN.get(s, s).split(' (')[0].lower()} {n}" for s, n in counts.items()
                )
                + "."
            )
        )
        shown = reachable.head(MAX_AANBOD_ROWS)
        rows = tuple(
            (
                plain_text(r.get("naam")),
                SOORTEN.get(str(r.get("soort")), str(r.get("soort"))).split(" (")[0],
                plain_text(r.get("organisatie")),
                plain_text(r.get("dagdelen")).replace(";", ", "),
                fmt_int(r.get("afstand_m")),
            )
            for r in shown.to_dict(orient="records")
        )
        more = len(reachable) - len(shown)
        blocks.append(
            Table(
                headers=("Activiteit", "Soort", "Organisatie", "Wanneer", "Afstand (m)"),
                rows=rows,
                widths=(3.4, 1.8, 2.4, 1.6, 1.1),
                numeric=(False, False, False, False, True),
                caption=(
                    "Bron: aanbodregister van Wijkkompas (partners, buurtteams, open data)"
                    + (f"; en {more} meer, zie de export (laag activiteiten)" if more else "")
                    + ". Afstand tot de dichtstbijzijnde buurt van het gebied."
                ),
            )
        )
    nearest = ctx.profile.get("nearest") or {}
    extra = []
    wor = nearest.get("welzijn_op_recept")
    if wor:
        extra.append(
            f"Dichtstbijzijnde Welzijn op recept: {wor['naam']} "
            f"({fmt_int(wor['afstand_m'])} m hemelsbreed)."
        )
    services = nearest.get("buurtmobiel") or []
    if services:
        extra.append(
            "Vervoer naar activiteiten: "
            + ", ".join(f"{s['naam']} ({s['dienst']})" for s in services)
            + "."
        )
    if extra:
        blocks.append(Bullets(tuple(extra)))
    blocks.extend(completeness(ctx))
    return Section("aanbod", "Bereikbaar aanbod", tuple(blocks), new_page=True)


def completeness(ctx: ReportContext) -> list[Any]:
    """How complete the aanbod is: per soort that counts for the group, rows and sources."""
    soorten = [r for r in ctx.profile.get("offer_soorten") or [] if r["status"] != "telt niet"]
    if not soorten:
        return []
    rows = tuple(
        (
            str(r["label"]).split(" (")[0],
            fmt_int(r["activiteiten"]),
            fmt_int(r["passend"]),
            ", ".join(r["bronnen"]) or "-",
            str(r["status"]),
        )
        for r in soorten
    )
    return [
        Table(
            headers=("Soort", "Activiteiten", f"Passend voor {ctx.noun}", "Bronnen", "Dekking"),
            rows=rows,
            widths=(2.6, 1.3, 1.6, 3.6, 1.5),
            numeric=(False, True, True, False, False),
            caption=(
                "Volledigheid van het aanbod in de hele gemeente: activiteiten per soort die "
                f"voor {ctx.noun} telt, en uit welke bestanden ze komen."
            ),
        )
    ]


def no_offer(ctx: ReportContext) -> Section:
    """Buurten where nothing suitable is within reach."""
    rows = []
    nearest = ctx.members.set_index("code")["nearest_m"]
    for b in sorted(ctx.profile["no_offer_buurten"], key=lambda b: -float(b["lonely"])):
        rows.append(
            (
                str(b["naam"]),
                str(b["code"]),
                fmt_int(b["lonely"]),
                fmt_int(nearest.get(b["code"])),
            )
        )
    if not rows:
        blocks: tuple[Any, ...] = (
            Paragraph(
                f"In elke buurt van {ctx.naam} is iets passends voor {ctx.noun} binnen "
                f"{ctx.catchment_text}."
            ),
        )
    else:
        blocks = (
            Table(
                headers=(
                    "Buurt",
                    "Code",
                    f"Eenzame {ctx.noun}",
                    "Dichtstbijzijnde passende activiteit (m)",
                ),
                rows=tuple(rows),
                widths=(3.2, 1.6, 1.8, 2.8),
                numeric=(False, False, True, True),
                caption=(
                    f"Buurten waar niets passends voor {ctx.noun} binnen "
                    f"{ctx.catchment_text} ligt; kansen voor nieuw aanbod of vervoer."
                ),
            ),
        )
    return Section("zonder-aanbod", "Buurten zonder passend aanbod", blocks)


def transport(ctx: ReportContext) -> Section:
    """The components of transport poverty, weighted by lonely residents."""
    data = ctx.profile.get("transport") or {}
    if not data:
        return Section(
            "vervoer",
            "Vervoersarmoede",
            (Paragraph("Geen gegevens over vervoer voor dit gebied.", kind="note"),),
        )
    services = ", ".join(data.get("buurtmobiel") or []) or "geen"
    relative = data.get("scale") == "relatief"
    ov = ctx.profile.get("ov_klasse") or {}
    shares = ov.get("aandelen") or {}
    ov_text = (
        f"{ov.get('klasse') or '-'} ("
        + ", ".join(f"{k} {fmt_num(100 * v, 0)} %" for k, v in shares.items() if v)
        + ")"
        if shares
        else "-"
    )
    rows = (
        (
            "Vervoersarmoede-index (0 = geen, 1 = hoogste in de gemeente; relatieve schaal)"
            if relative
            else "Vervoersarmoede-index (0 = geen, 1 = zeer hoog; vaste schaal)",
            fmt_num(data.get("index"), 2),
        ),
        (f"OV-klasse ARE ({ov.get('dagdeel_label', 'werkdagen 6-22 uur')})", ov_text),
        ("Auto's per huishouden", fmt_num(data.get("autos_per_huishouden"), 2)),
        ("Afstand tot een OV-halte (m)", fmt_int(data.get("afstand_ov_m"))),
        ("OV-vertrekken per uur binnen 500 m", fmt_num(data.get("vertrekken_per_uur"), 1)),
        ("Moeite met rondkomen (%)", fmt_num(data.get("moeite_rondkomen"), 1)),
        ("Buurtmobiel/AutoMaatje", services),
    )
    return Section(
        "vervoer",
        "Vervoersarmoede",
        (
            Table(
                headers=("Onderdeel", ctx.naam),
                rows=rows,
                widths=(6.0, 2.0),
                numeric=(False, True),
                caption=(
                    "Gemiddelde over de buurten, gewogen naar het aantal eenzamen. Bronnen: "
                    "CBS Kerncijfers (auto's), OV-haltes uit het aanbodregister, RIVM "
                    "(moeite met rondkomen), OV-klasse uit de dienstregeling (GTFS) volgens "
                    "ARE ÖV-Güteklassen. Een streepje: geen gegevens. Schaal: "
                    + str(data.get("scale_text") or "")
                ),
            ),
        ),
    )


def cautions(ctx: ReportContext) -> Section:
    """What to be careful with: suppressed figures, borrowed rates, small groups, notes."""
    flags = ctx.profile.get("flags") or {}
    items = []
    for row in flags.get("suppressed_figures", []):
        items.append(f"{row['indicator']} ({row['group']}): {ctx.status(row['status'])}.")
    borrowed = flags.get("fallback_buurten", [])
    if borrowed:
        items.append(
            f"{len(borrowed)} buurt(en) zonder eigen RIVM-cijfer (te weinig respondenten): "
            "het cijfer van de wijk of gemeente is gebruikt ("
            + ", ".join(str(b["naam"]) for b in borrowed[:8])
            + _more(len(borrowed), 8)
            + ")."
        )
    small = flags.get("unreliable_buurten", [])
    if small:
        items.append(
            f"Kleine groep (minder dan {ctx.result.settings.min_group_size} {ctx.noun}), "
            "uitkomst onzeker: "
            + ", ".join(f"{b['naam']} ({fmt_int(b['population'])})" for b in small[:8])
            + _more(len(small), 8)
            + "."
        )
    shapeless = flags.get("buurten_zonder_vorm", [])
    if shapeless:
        items.append(f"{len(shapeless)} buurt(en) zonder vorm in de grenzenkaart: bereik onbekend.")
    items += [str(n) for n in ctx.profile.get("notes", [])]
    items += [str(n) for n in ctx.notices]
    blocks: tuple[Any, ...] = (
        (Bullets(tuple(dict.fromkeys(items))),) if items else (Paragraph("Geen bijzonderheden."),)
    )
    return Section("let-op", "Let op", blocks)


def sources(ctx: ReportContext, created: datetime) -> Section:
    """Files read, licences and attribution, how the report was made."""
    rows = tuple(
        (
            str(s.get("bestand", "")),
            str(s.get("titel", "")),
            str(s.get("jaar", "")),
            str(s.get("indeling", "")),
            str(s.get("bron", "")),
        )
        for s in ctx.profile["sources"]
    )
    texts = [r[4] for r in rows] + [r[0] for r in rows]
    return Section(
        "bronnen",
        "Bronnen en verantwoording",
        (
            Table(
                headers=("Bestand", "Titel", "Jaar", "Indeling", "Bron"),
                rows=rows,
                widths=(2.6, 2.4, 1.0, 1.4, 3.4),
            ),
            Bullets(tuple(attributions(texts, demo=ctx.dataset.demo))),
            Paragraph(
                f"Gemaakt op {created:%d-%m-%Y %H:%M} (UTC) met Wijkkompas "
                f"{geo.__version__}. Cijfers zijn schattingen; kleine aantallen zijn "
                "onzeker. Controleer het aanbod met de partners in de wijk.",
                kind="note",
            ),
        ),
        new_page=True,
    )


def _distance_words(ctx: ReportContext) -> str:
    """``hemelsbreed × omrijfactor 1,3`` or ``over het loopnetwerk (OpenStreetMap …)``."""
    method = ctx.result.method
    if ctx.result.distance_method == "netwerk":
        speed = fmt_num(method.get("speed_kmh"), 1)
        return (
            f"over het loopnetwerk ({method.get('network_source') or 'OpenStreetMap'}) bij "
            f"{speed} km/u (distance_method: netwerk)"
        )
    factor = fmt_num(ctx.result.settings.detour_factor, 2)
    return f"hemelsbreed × omrijfactor {factor} (distance_method: hemelsbreed)"


def _demand_words(ctx: ReportContext) -> str:
    """Where demand points come from, with the key of the exports."""
    from geo.analysis.demand import DEMAND_LABELS

    source = ctx.result.demand_source
    return f"vraag uit {DEMAND_LABELS.get(source, source)} (demand_source: {source})"


def _more(count: int, shown: int) -> str:
    """`` en 3 meer`` when a list was cut short."""
    return f" en {count - shown} meer" if count > shown else ""
