"""Row rules per aanbod layer: what is required, what is repaired, what is rejected and why."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.aanbod.coords import CoordinateProblem, classify, read_pair, repair_text, to_rd
from geo.aanbod.schema import DAGDELEN, DOELGROEPEN, LOCATED, NOT_LOCATED, SOORTEN
from geo.errors import Notices
from geo.io._tabular import Table, line_number, parse_number
from geo.model.codes import niveau_of, normalise_code

OK = "geaccepteerd"
WARNING = "geaccepteerd met waarschuwing"
REJECTED = "afgewezen"

_POINT_FIELDS = ("x", "y", "lat", "lon", "adres", "postcode", "plaats")
FIELDS: dict[str, tuple[str, ...]] = {
    "activiteiten": (
        "naam",
        "soort",
        "doelgroepen",
        "talen",
        "dagdelen",
        "frequentie",
        "capaciteit",
        "organisatie",
        "laatst_gecontroleerd",
        "opmerking",
        "bron_id",
        "samenvoegen",
        *_POINT_FIELDS,
    ),
    "lief_en_leed": ("straat", "buurt", "potjes", "jaar", "x", "y", "lat", "lon"),
    "welzijn_op_recept": (
        "naam",
        "soort_locatie",
        "organisatie",
        "deelnemers",
        "wijk",
        "jaar",
        *_POINT_FIELDS,
    ),
    "buurtmobiel": ("naam", "dienst", "dagen", "tijden", "doelgroep", "gebied_codes"),
    "ov_haltes": ("naam", "vertrekken_per_uur", "bron_id", "x", "y", "lat", "lon"),
}

SOORT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ontmoeting": (
        "ontmoet",
        "inloop",
        "koffie",
        "buurtcentrum",
        "buurthuis",
        "huiskamer",
        "soos",
        "bingo",
        "spelmiddag",
        "taalcafe",
        "buurtkamer",
    ),
    "maatjes": ("maatje", "buddy", "bezoek", "vriendschap", "vriendendienst", "automaatje"),
    "samen_eten": ("eten", "eettafel", "maaltijd", "diner", "lunch", "kook", "buurtrestaurant"),
    "bewegen": (
        "sport",
        "beweeg",
        "bewegen",
        "wandel",
        "yoga",
        "fitness",
        "gym",
        "crossfit",
        "zwem",
        "dans",
        "fiets",
        "tennis",
        "voetbal",
        "golf",
        "hockey",
        "atletiek",
        "vechtsport",
        "shape",
        "pilates",
        "zumba",
        "basketbal",
        "volleybal",
        "handbal",
        "korfbal",
        "honkbal",
        "rugby",
        "schaats",
        "roei",
        "turn",
        "judo",
        "karate",
        "boks",
        "squash",
        "badminton",
        "personal",
        "bootcamp",
        "kickbox",
    ),
    "cultuur": (
        "cultuur",
        "creatief",
        "muziek",
        "koor",
        "theater",
        "schilder",
        "handwerk",
        "museum",
        "film",
        "knutsel",
        "kunst",
        "zang",
    ),
    "informatie": (
        "informatie",
        "advies",
        "wijkinformatiepunt",
        "infopunt",
        "spreekuur",
        "loket",
        "inlichting",
    ),
    "training": ("training", "lezing", "cursus", "workshop", "voorlichting", "les"),
    "vervoer": ("vervoer", "buurtmobiel", "rit", "plusbus", "taxi"),
}
DOELGROEP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "jongvolwassenen": ("jongvolwassen", "jongeren", "student", "jong", "18-27"),
    "migrantenouderen": ("migrant", "turks", "marokkaans", "surinaams", "nieuwkomer"),
    "ouderen_thuiswonend": ("ouderen", "senior", "65+", "thuiswonend", "oudere"),
    "alleenstaanden": ("alleenstaand", "alleen", "weduw", "single"),
    "iedereen": ("iedereen", "alle", "buurtbewoners", "bewoners", "algemeen"),
}
DIENSTEN = ("Buurtmobiel", "AutoMaatje", "BoodschappenPlusBus", "Zonnebloemauto")
GTFS_DAY_HOURS = 16.0
"""Departures per hour at a GTFS stop = its stop_times over a 16-hour service day (06-22)."""

Outcome = tuple[list[dict[str, object]], list[tuple[int, str, str, str]], pd.DataFrame | None]


@dataclass
class Context:
    """What a row handler needs: the table, matched fields, optional geometry and areas."""

    table: Table
    geometry: np.ndarray | None
    path: Path
    areas: gpd.GeoDataFrame | None
    notices: Notices
    fields: dict[str, str]

    def cell(self, position: int, field: str) -> str:
        """Stripped text of a field in a row ('' when the file lacks the field)."""
        column = self.fields.get(field)
        if column is None:
            return ""
        value = self.table.frame.iat[position, self.table.frame.columns.get_loc(column)]
        return "" if value is None else str(value).strip()

    def row(self, position: int) -> int:
        """Spreadsheet row number (or feature number for spatial files)."""
        if self.geometry is not None:
            return position + 1
        return line_number(self.table, position)

    @property
    def outline(self) -> shapely.Geometry | None:
        """The gemeente outline, when areas are known."""
        if self.areas is None or self.areas.empty:
            return None
        gemeente = self.areas[self.areas["niveau"] == "gemeente"]
        source = gemeente if not gemeente.empty else self.areas[self.areas["niveau"] == "buurt"]
        return shapely.union_all(source.geometry.to_numpy())


def _point(ctx: Context, position: int, warnings: list[str]) -> tuple[object, str]:
    """Geometry and locatie_status of a row; raises CoordinateProblem to reject it."""
    if ctx.geometry is not None:
        geom = ctx.geometry[position]
        if geom is None or geom.is_empty:
            return None, NOT_LOCATED
        if geom.geom_type != "Point":
            warnings.append("vorm is geen punt; het middelpunt is gebruikt")
            geom = geom.representative_point()
        return _check_inside(ctx, geom, warnings), LOCATED
    pair = None
    if ctx.fields.get("lat") and ctx.fields.get("lon"):
        pair = read_pair(ctx.cell(position, "lat"), ctx.cell(position, "lon"), lat_lon=True)
    if pair is None and ctx.fields.get("x") and ctx.fields.get("y"):
        pair = read_pair(ctx.cell(position, "x"), ctx.cell(position, "y"), lat_lon=False)
    if pair is None:
        return None, NOT_LOCATED
    kind, warning = classify(*pair)
    if warning:
        warnings.append(warning)
    return _check_inside(ctx, Point(*to_rd(pair[0], pair[1], kind)), warnings), LOCATED


def _check_inside(ctx: Context, point: Point, warnings: list[str]) -> Point:
    outline = ctx.outline
    if outline is not None and not outline.covers(point):
        distance = outline.distance(point)
        warnings.append(
            f"ligt buiten de gemeente ({distance / 1000:.1f} km van de grens); controleer de "
            "coördinaten".replace(".", ",", 1)
        )
    return point


def _text(ctx: Context, position: int, field: str, warnings: list[str]) -> str:
    text = ctx.cell(position, field)
    fixed, repaired = repair_text(text)
    if repaired:
        warnings.append(f"tekens hersteld in {field}: '{text}' werd '{fixed}'")
    return fixed


def match_soort(value: str) -> tuple[str | None, bool]:
    """Soort key for free text: exact key/label first, then keywords. ``(key, exact)``."""
    text = value.strip().lower()
    if not text:
        return None, False
    for key, label in SOORTEN.items():
        if text in (key, label.lower(), key.replace("_", " ")):
            return key, True
    for key, words in SOORT_KEYWORDS.items():
        if any(word in text for word in words):
            return key, False
    return None, False


def match_doelgroepen(value: str) -> tuple[list[str], list[str]]:
    """Doelgroep keys for free text (``;``, ``,`` or ``/`` separated) and unknown parts."""
    keys: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;,/|]", value):
        part = part.strip().lower()
        if not part:
            continue
        if part in DOELGROEPEN:
            keys.append(part)
            continue
        hit = next(
            (k for k, words in DOELGROEP_KEYWORDS.items() if any(w in part for w in words)), None
        )
        if hit is None:
            unknown.append(part)
        elif hit not in keys:
            keys.append(hit)
    return keys, unknown


def _dagdelen(value: str) -> str:
    text = value.lower()
    found = [d for d in DAGDELEN if d in text]
    if any(day in text for day in ("zaterdag", "zondag")) and "weekend" not in found:
        found.append("weekend")
    return ";".join(found)


def _date(value: str) -> str | None:
    for pattern, order in (
        (r"^(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", "dmy"),
    ):
        match = re.match(pattern, value.strip())
        if match:
            a, b, c = (int(g) for g in match.groups())
            y, m, d = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(y, m, d).isoformat()
            except ValueError:
                return None
    return None


def _finish(
    report: list[tuple[int, str, str, str]], row: int, warnings: list[str], naam: str
) -> None:
    report.append((row, WARNING if warnings else OK, "; ".join(warnings), naam))


def activiteiten(ctx: Context) -> Outcome:
    """Activities and facilities: one location per row, or per repeated source id."""
    frame = ctx.table.frame
    groups = _groups(ctx)
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    has_soort = "soort" in ctx.fields
    if not has_soort:
        default = "bewegen" if "samenvoegen" in ctx.fields else "overig"
        ctx.notices.add(
            f"{ctx.path.name}: geen kolom 'soort'; alle rijen krijgen soort '{default}'."
        )
    for group in groups:
        first = group[0]
        warnings: list[str] = []
        naam = _text(ctx, first, "naam", warnings)
        if not naam:
            _reject(ctx, report, group, "naam ontbreekt; vul de kolom 'naam' in", naam)
            continue
        try:
            geometry, status = _point(ctx, first, warnings)
        except CoordinateProblem as problem:
            _reject(ctx, report, group, f"{problem}; corrigeer de coördinaten", naam)
            continue
        adres = _text(ctx, first, "adres", warnings)
        postcode = ctx.cell(first, "postcode") or _postcode_in(adres)
        if geometry is None:
            if not (adres or postcode):
                _reject(ctx, report, group, "geen coördinaten en geen adres of postcode", naam)
                continue
            warnings.append("alleen adres: niet gelokaliseerd (geocoderen volgt)")
        soort = _soort(ctx, first, warnings, has_soort)
        groepen, unknown = match_doelgroepen(ctx.cell(first, "doelgroepen"))
        if unknown:
            warnings.append(f"onbekende doelgroep(en) genegeerd: {', '.join(unknown)}")
        capaciteit = _capacity(ctx.cell(first, "capaciteit"), warnings)
        checked_text = ctx.cell(first, "laatst_gecontroleerd")
        checked = _date(checked_text) if checked_text else None
        if checked_text and checked is None:
            warnings.append(f"datum '{checked_text}' niet herkend (gebruik dd-mm-jjjj)")
        merged = sorted({ctx.cell(p, "samenvoegen") for p in group} - {""})
        opmerking = _text(ctx, first, "opmerking", warnings)
        if merged:
            opmerking = "; ".join(filter(None, [opmerking, "sport: " + ", ".join(merged)]))
        if len(group) > 1 and ctx.geometry is None:
            coords = {(ctx.cell(p, "x"), ctx.cell(p, "y")) for p in group}
            if len(coords) > 1:
                warnings.append(
                    "rijen met dezelfde id hebben verschillende coördinaten; de eerste is gebruikt"
                )
        records.append(
            {
                "naam": naam,
                "soort": soort,
                "doelgroepen": ";".join(groepen or ["iedereen"]),
                "talen": ctx.cell(first, "talen"),
                "dagdelen": _dagdelen(ctx.cell(first, "dagdelen")),
                "frequentie": ctx.cell(first, "frequentie"),
                "capaciteit": capaciteit,
                "organisatie": _text(ctx, first, "organisatie", warnings),
                "adres": adres,
                "postcode": postcode.upper().replace(" ", ""),
                "bron": ctx.path.name,
                "laatst_gecontroleerd": checked,
                "locatie_status": status,
                "opmerking": opmerking,
                "buurt_code": None,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        _finish(report, ctx.row(first), warnings, naam)
        for other in group[1:]:
            report.append(
                (
                    ctx.row(other),
                    report[-1][1],
                    f"samengevoegd met rij {ctx.row(first)} (zelfde {ctx.fields['bron_id']})",
                    naam,
                )
            )
    del frame
    return records, report, None


_POSTCODE = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")


def _postcode_in(address: str) -> str:
    """A Dutch postcode inside an address line (``'..., 3555 GH Utrecht'`` -> ``'3555GH'``)."""
    match = _POSTCODE.search(address)
    return f"{match.group(1)}{match.group(2).upper()}" if match else ""


def _groups(ctx: Context) -> list[list[int]]:
    n = len(ctx.table.frame)
    column = ctx.fields.get("bron_id")
    if column is None:
        return [[i] for i in range(n)]
    ids = ctx.table.frame[column].astype(str).str.strip()
    if not ids.duplicated().any() or ids.eq("").any():
        return [[i] for i in range(n)]
    order: dict[str, list[int]] = {}
    for position, ident in enumerate(ids):
        order.setdefault(ident, []).append(position)
    return list(order.values())


def _reject(
    ctx: Context, report: list[tuple[int, str, str, str]], group: list[int], reason: str, naam: str
) -> None:
    for position in group:
        report.append((ctx.row(position), REJECTED, reason, naam))


def _soort(ctx: Context, position: int, warnings: list[str], has_soort: bool) -> str:
    if not has_soort:
        return "bewegen" if "samenvoegen" in ctx.fields else "overig"
    text = ctx.cell(position, "soort")
    key, _exact = match_soort(text)
    if key is None:
        warnings.append(
            f"onbekende soort '{text}'; opgeslagen als 'overig' (geldig: {', '.join(SOORTEN)})"
        )
        return "overig"
    return key


def _capacity(text: str, warnings: list[str]) -> float:
    if not text:
        return float("nan")
    value = parse_number(text)
    if value is None or not np.isfinite(value) or value < 0:
        warnings.append(f"capaciteit '{text}' is geen aantal; genegeerd")
        return float("nan")
    return value


def lief_en_leed(ctx: Context) -> Outcome:
    """Lief en Leedstraten: street, buurt (code or name), potjes paid out, year."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        straat = _text(ctx, position, "straat", warnings)
        if not straat:
            report.append((ctx.row(position), REJECTED, "straatnaam ontbreekt", ""))
            continue
        buurt = _resolve_buurt(ctx, ctx.cell(position, "buurt"), warnings)
        try:
            geometry, _status = _point(ctx, position, warnings)
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
        _finish(report, ctx.row(position), warnings, straat)
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
        naam = _text(ctx, position, "naam", warnings)
        if not naam:
            report.append((ctx.row(position), REJECTED, "naam ontbreekt", ""))
            continue
        try:
            geometry, _status = _point(ctx, position, warnings)
        except CoordinateProblem as problem:
            report.append((ctx.row(position), REJECTED, str(problem), naam))
            continue
        adres = _text(ctx, position, "adres", warnings)
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
                "organisatie": _text(ctx, position, "organisatie", warnings),
                "adres": adres,
                "bron": ctx.path.name,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        _finish(report, ctx.row(position), warnings, naam)
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
        naam = _text(ctx, position, "naam", warnings)
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
        _finish(report, ctx.row(position), warnings, naam)
    return records, report, None


def ov_haltes(ctx: Context) -> Outcome:
    """Public-transport stops from a point file (optional departures per hour)."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        naam = _text(ctx, position, "naam", warnings)
        try:
            geometry, _status = _point(ctx, position, warnings)
        except CoordinateProblem as problem:
            report.append((ctx.row(position), REJECTED, str(problem), naam))
            continue
        if geometry is None:
            report.append((ctx.row(position), REJECTED, "halte zonder coördinaten", naam))
            continue
        freq_text = ctx.cell(position, "vertrekken_per_uur")
        frequency = parse_number(freq_text) if freq_text else None
        records.append(
            {
                "id": None,
                "naam": naam or "(halte zonder naam)",
                "vertrekken_per_uur": float("nan") if frequency is None else frequency,
                "bron": ctx.path.name,
                "geometry": geometry,
                "_report": len(report),
            }
        )
        _finish(report, ctx.row(position), warnings, naam)
    return records, report, None


def gtfs_stops(ctx: Context) -> Outcome:
    """GTFS ``stops.txt`` (+ ``stop_times.txt`` beside it for departures per hour)."""
    frame = ctx.table.frame
    departures: dict[str, float] = {}
    times = ctx.path.with_name("stop_times.txt")
    if times.exists():
        from geo.io._tabular import read_table

        stop_times = read_table(times).frame
        counts = stop_times["stop_id"].value_counts()
        departures = (counts / GTFS_DAY_HOURS).to_dict()
        ctx.notices.add(
            f"{times.name}: vertrekken per uur = vertrekken per dag / "
            f"{GTFS_DAY_HOURS:g} uur (06-22 uur)."
        )
    fields = dict(ctx.fields)
    fields.update({"naam": "stop_name", "lat": "stop_lat", "lon": "stop_lon"})
    ctx = Context(ctx.table, ctx.geometry, ctx.path, ctx.areas, ctx.notices, fields)
    records, report, _ = ov_haltes(ctx)
    stations = frame.get("location_type", pd.Series("", index=frame.index)).astype(str)
    kept_records = []
    for record in records:
        position = int(record["_report"])  # report and frame rows align one-to-one here
        stop_id = str(frame["stop_id"].iloc[position])
        if stations.iloc[position] not in ("", "0"):
            row, _s, _r, naam = report[position]
            report[position] = (
                row,
                REJECTED,
                "geen halte maar station/ingang (location_type)",
                naam,
            )
            continue
        record["vertrekken_per_uur"] = departures.get(stop_id, record["vertrekken_per_uur"])
        record["id"] = None
        kept_records.append(record)
    return kept_records, report, None


HANDLERS: dict[str, Callable[[Context], Outcome]] = {
    "activiteiten": activiteiten,
    "lief_en_leed": lief_en_leed,
    "welzijn_op_recept": welzijn_op_recept,
    "buurtmobiel": buurtmobiel,
    "ov_haltes": ov_haltes,
}
