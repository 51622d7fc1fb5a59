"""Row rules for Lief en Leedstraten, Welzijn op recept and Buurtmobiel service areas."""

from __future__ import annotations

import re

import pandas as pd
import shapely

from geo.aanbod.coords import CoordinateProblem
from geo.aanbod.rows import OK, REJECTED, Context, Outcome, clean_text, finish_row, locate_row
from geo.io._tabular import parse_number
from geo.model.codes import niveau_of, normalise_code

DIENSTEN = ("Buurtmobiel", "AutoMaatje", "BoodschappenPlusBus", "Zonnebloemauto")


def lief_en_leed(ctx: Context) -> Outcome:
    """Lief en Leedstraten: street, buurt (code or name), potjes paid out, year."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        straat = clean_text(ctx, position, "straat", warnings)
        if not straat:
            report.append((ctx.row(position), REJECTED, "straatnaam ontbreekt", ""))
            continue
        buurt = _resolve_buurt(ctx, ctx.cell(position, "buurt"), warnings)
        try:
            geometry, _status = locate_row(ctx, position, warnings)
        except CoordinateProblem as problem:
            report.append((ctx.row(position), REJECTED, str(problem), straat))
            continue
        if buurt is None and geometry is None:
            unknown = ctx.cell(position, "buurt")
            reason = (
                f"buurt '{unknown}' niet gevonden en geen coördinaten"
                if unknown
                else "geen buurt en geen coördinaten"
            )
            report.append((ctx.row(position), REJECTED, reason, straat))
            continue
        potjes = parse_number(ctx.cell(position, "potjes") or "0")
        jaar = parse_number(ctx.cell(position, "jaar") or "")
        if potjes is None or potjes < 0:
            warnings.append(f"potjes '{ctx.cell(position, 'potjes')}' is geen aantal; 0 gebruikt")
            potjes = 0
        if jaar is None or not 2000 <= jaar <= 2100:
            warnings.append("jaar ontbreekt of is ongeldig")
            jaar = None
        records.append(
            {
                "straat": straat,
                "buurt_code": buurt,
                "potjes": int(potjes),
                "jaar": None if jaar is None else int(jaar),
                "bron": ctx.path.name,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        finish_row(report, ctx.row(position), warnings, straat)
    return records, report, None


def _resolve_buurt(ctx: Context, value: str, warnings: list[str]) -> str | None:
    if not value:
        return None
    code = normalise_code(value)
    if niveau_of(code) == "buurt":
        return code
    if ctx.areas is not None:
        buurten = ctx.areas[ctx.areas["niveau"] == "buurt"]
        hits = buurten[buurten["naam"].str.casefold() == value.casefold()]
        if len(hits) == 1:
            return str(hits["code"].iloc[0])
    warnings.append(f"buurt '{value}' niet gevonden")
    return None


def welzijn_op_recept(ctx: Context) -> Outcome:
    """Welzijn op recept locations (welzijnscoach, huisartsenpraktijk)."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        naam = clean_text(ctx, position, "naam", warnings)
        if not naam:
            report.append((ctx.row(position), REJECTED, "naam ontbreekt", ""))
            continue
        try:
            geometry, _status = locate_row(ctx, position, warnings)
        except CoordinateProblem as problem:
            report.append((ctx.row(position), REJECTED, str(problem), naam))
            continue
        adres = clean_text(ctx, position, "adres", warnings)
        if geometry is None:
            if not adres:
                report.append((ctx.row(position), REJECTED, "geen coördinaten en geen adres", naam))
                continue
            warnings.append("alleen adres: niet gelokaliseerd (geocoderen volgt)")
        soort = ctx.cell(position, "soort_locatie").lower()
        if soort not in ("welzijnscoach", "huisartsenpraktijk"):
            warnings.append(f"soort locatie '{soort}' onbekend; 'welzijnscoach' gebruikt")
            soort = "welzijnscoach"
        records.append(
            {
                "naam": naam,
                "soort_locatie": soort,
                "organisatie": clean_text(ctx, position, "organisatie", warnings),
                "adres": adres,
                "bron": ctx.path.name,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        finish_row(report, ctx.row(position), warnings, naam)
    return records, report, None


def wor_participants(ctx: Context) -> Outcome:
    """Welzijn op recept participant counts per wijk (code or name) and year."""
    rows: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    wijken = ctx.areas[ctx.areas["niveau"] == "wijk"] if ctx.areas is not None else None
    for position in range(len(ctx.table.frame)):
        text = ctx.cell(position, "wijk")
        code = normalise_code(text)
        if niveau_of(code) != "wijk" and wijken is not None:
            hits = wijken[wijken["naam"].str.casefold() == text.casefold()]
            code = str(hits["code"].iloc[0]) if len(hits) == 1 else code
        count = parse_number(ctx.cell(position, "deelnemers"))
        if niveau_of(code) != "wijk":
            report.append((ctx.row(position), REJECTED, f"wijk '{text}' niet gevonden", text))
            continue
        if count is None or count < 0:
            report.append((ctx.row(position), REJECTED, "deelnemers is geen aantal", text))
            continue
        jaar = parse_number(ctx.cell(position, "jaar") or "")
        rows.append(
            {
                "wijk_code": code,
                "jaar": None if jaar is None else int(jaar),
                "deelnemers": int(count),
                "bron": ctx.path.name,
            }
        )
        report.append((ctx.row(position), OK, "", text))
    return [], report, pd.DataFrame(rows, columns=["wijk_code", "jaar", "deelnemers", "bron"])


def buurtmobiel(ctx: Context) -> Outcome:
    """Service areas of Buurtmobiel-like services, as polygons or lists of buurt/wijk codes."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        naam = clean_text(ctx, position, "naam", warnings)
        if not naam:
            report.append((ctx.row(position), REJECTED, "naam ontbreekt", ""))
            continue
        codes = [
            normalise_code(c) for c in re.split(r"[;,\s]+", ctx.cell(position, "gebied_codes")) if c
        ]
        geometry = None if ctx.geometry is None else ctx.geometry[position]
        if geometry is not None and geometry.geom_type not in ("Polygon", "MultiPolygon"):
            report.append((ctx.row(position), REJECTED, "werkgebied moet een vlak zijn", naam))
            continue
        if geometry is None:
            if not codes:
                report.append(
                    (
                        ctx.row(position),
                        REJECTED,
                        "geen werkgebied: geef een vlak of buurt-/wijkcodes",
                        naam,
                    )
                )
                continue
            if ctx.areas is None:
                report.append(
                    (
                        ctx.row(position),
                        REJECTED,
                        "werkgebied uit codes vraagt gebiedsgrenzen",
                        naam,
                    )
                )
                continue
            members = ctx.areas[ctx.areas["code"].isin(codes)]
            missing = sorted(set(codes) - set(members["code"]))
            if missing:
                report.append(
                    (
                        ctx.row(position),
                        REJECTED,
                        f"onbekende gebiedscode(s): {', '.join(missing)}",
                        naam,
                    )
                )
                continue
            geometry = shapely.union_all(members.geometry.to_numpy())
        dienst = ctx.cell(position, "dienst") or "Buurtmobiel"
        known = next((d for d in DIENSTEN if d.lower() == dienst.lower()), None)
        if known is None:
            warnings.append(f"dienst '{dienst}' is niet een van {', '.join(DIENSTEN)}")
        records.append(
            {
                "naam": naam,
                "dienst": known or dienst,
                "dagen": ctx.cell(position, "dagen"),
                "tijden": ctx.cell(position, "tijden"),
                "doelgroep": ctx.cell(position, "doelgroep") or "ouderen",
                "gebied_codes": ";".join(codes),
                "bron": ctx.path.name,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        finish_row(report, ctx.row(position), warnings, naam)
    return records, report, None
