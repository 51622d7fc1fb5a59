"""Row rules: the shared row context and helpers, and the rules for activiteiten.

What is required, what is repaired, what is rejected and why. The other layers live in
:mod:`geo.aanbod.layers` (Lief en Leed, Welzijn op recept, Buurtmobiel) and
:mod:`geo.aanbod.gtfs` (OV-haltes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.aanbod.coords import CoordinateProblem, classify, read_pair, repair_text, to_rd
from geo.aanbod.opening_hours import parse_opening_hours
from geo.aanbod.schema import DAGDELEN, LOCATED, NOT_LOCATED, SOORTEN
from geo.aanbod.taxonomy import match_doelgroepen, match_soort
from geo.errors import Notices
from geo.io._tabular import Table, line_number, parse_number

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
        "opening_hours",
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

    @cached_property
    def outline(self) -> shapely.Geometry | None:
        """The gemeente outline, when areas are known."""
        if self.areas is None or self.areas.empty:
            return None
        gemeente = self.areas[self.areas["niveau"] == "gemeente"]
        source = gemeente if not gemeente.empty else self.areas[self.areas["niveau"] == "buurt"]
        return shapely.union_all(source.geometry.to_numpy())


def locate_row(ctx: Context, position: int, warnings: list[str]) -> tuple[object, str]:
    """RD geometry and locatie_status of a row; raises CoordinateProblem to reject it."""
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
        km = f"{outline.distance(point) / 1000:.1f}".replace(".", ",")
        warnings.append(
            f"ligt buiten de gemeente ({km} km van de grens); controleer de coördinaten"
        )
    return point


def clean_text(ctx: Context, position: int, field: str, warnings: list[str]) -> str:
    """A text cell with mojibake repaired (``klomp├®singel`` -> ``klompésingel``), warned."""
    text = ctx.cell(position, field)
    fixed, repaired = repair_text(text)
    if repaired:
        warnings.append(f"tekens hersteld in {field}: '{text}' werd '{fixed}'")
    return fixed


def _dagdelen(value: str) -> str:
    text = value.lower()
    found = [d for d in DAGDELEN if d in text]
    if any(day in text for day in ("zaterdag", "zondag")) and "weekend" not in found:
        found.append("weekend")
    return ";".join(found)


def _times(ctx: Context, position: int, opmerking: str, warnings: list[str]) -> tuple[str, str]:
    """Dagdelen from the ``dagdelen`` cell, else from OSM ``opening_hours`` (kept in opmerking).

    An ``opening_hours`` value that cannot be read leaves the dagdelen empty (times unknown)
    with a warning in the import report.
    """
    dagdelen = _dagdelen(ctx.cell(position, "dagdelen"))
    hours = ctx.cell(position, "opening_hours")
    if not hours:
        return dagdelen, opmerking
    if not dagdelen:
        parsed = parse_opening_hours(hours)
        if parsed.warning is not None:
            warnings.append(parsed.warning)
        elif parsed.known and not parsed.dagdelen:
            warnings.append(f"openingstijden '{hours}': nooit open binnen de dagdelen")
        dagdelen = parsed.value
    return dagdelen, "; ".join(filter(None, [opmerking, f"openingstijden: {hours}"]))


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


def finish_row(
    report: list[tuple[int, str, str, str]], row: int, warnings: list[str], naam: str
) -> None:
    """Append the report line of an accepted row: with its warnings, if any."""
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
        naam = clean_text(ctx, first, "naam", warnings)
        if not naam:
            _reject(ctx, report, group, "naam ontbreekt; vul de kolom 'naam' in", naam)
            continue
        try:
            geometry, status = locate_row(ctx, first, warnings)
        except CoordinateProblem as problem:
            _reject(ctx, report, group, f"{problem}; corrigeer de coördinaten", naam)
            continue
        adres = clean_text(ctx, first, "adres", warnings)
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
        opmerking = clean_text(ctx, first, "opmerking", warnings)
        if merged:
            opmerking = "; ".join(filter(None, [opmerking, "sport: " + ", ".join(merged)]))
        dagdelen, opmerking = _times(ctx, first, opmerking, warnings)
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
                "dagdelen": dagdelen,
                "frequentie": ctx.cell(first, "frequentie"),
                "capaciteit": capaciteit,
                "organisatie": clean_text(ctx, first, "organisatie", warnings),
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
        finish_row(report, ctx.row(first), warnings, naam)
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
