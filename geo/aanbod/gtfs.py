"""Row rules for OV-haltes: a point file or a GTFS ``stops.txt`` (+ ``stop_times.txt``)."""

from __future__ import annotations

from typing import cast

import pandas as pd

from geo.aanbod.coords import CoordinateProblem
from geo.aanbod.rows import REJECTED, Context, Outcome, clean_text, finish_row, locate_row
from geo.io._tabular import parse_number, read_table

GTFS_DAY_HOURS = 16.0
"""Departures per hour at a GTFS stop = its stop_times over a 16-hour service day (06-22)."""


def ov_haltes(ctx: Context) -> Outcome:
    """Public-transport stops from a point file (optional departures per hour)."""
    records: list[dict[str, object]] = []
    report: list[tuple[int, str, str, str]] = []
    for position in range(len(ctx.table.frame)):
        warnings: list[str] = []
        naam = clean_text(ctx, position, "naam", warnings)
        try:
            geometry, _status = locate_row(ctx, position, warnings)
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
        finish_row(report, ctx.row(position), warnings, naam)
    return records, report, None


def gtfs_stops(ctx: Context) -> Outcome:
    """GTFS ``stops.txt`` (+ ``stop_times.txt`` beside it for departures per hour)."""
    frame = ctx.table.frame
    departures: dict[str, float] = {}
    times = ctx.path.with_name("stop_times.txt")
    if times.exists():
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
        position = cast(int, record["_report"])  # report and frame rows align one-to-one here
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
