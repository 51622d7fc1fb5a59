"""Import partner files into aanbod layers, with a per-row validation report.

Every row gets a status — ``geaccepteerd``, ``geaccepteerd met waarschuwing`` or
``afgewezen`` — and a Dutch reason. Rows are never dropped silently: a row with only an
address is kept as *niet gelokaliseerd*. Nothing is stored here; the register stores the
accepted rows (see :mod:`geo.aanbod.register`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.aanbod import gtfs, layers
from geo.aanbod import rows as row_rules
from geo.aanbod.columns import match_columns
from geo.aanbod.coords import normalise_name
from geo.aanbod.rows import OK, REJECTED, WARNING
from geo.aanbod.schema import COLUMNS, LAYERS
from geo.errors import DataError, Notices
from geo.io._tabular import TABULAR_SUFFIXES, Table, read_table, suffix_of
from geo.io.boundaries import SPATIAL_SUFFIXES, read_spatial
from geo.io.crs import RD
from geo.io.crs import to_rd as frame_to_rd

logger = logging.getLogger(__name__)

DUPLICATE_DISTANCE_M = 25.0

LAAG_NAMES = {
    "activiteiten": "activiteiten",
    "lief-en-leed": "lief_en_leed",
    "welzijn-op-recept": "welzijn_op_recept",
    "buurtmobiel": "buurtmobiel",
    "ov-haltes": "ov_haltes",
    **{layer: layer for layer in LAYERS},
}
"""CLI spelling (``lief-en-leed``) and layer name (``lief_en_leed``) -> layer name."""


@dataclass
class ImportResult:
    """The outcome of reading one partner file.

    Attributes
    ----------
    laag
        Layer name.
    frame
        Accepted rows in the layer schema (EPSG:28992; ``id`` is assigned by the register).
    report
        One row per input row: ``row`` (spreadsheet row), ``status``, ``reason``, ``naam``.
    source
        File name.
    notices
        File-level remarks (inferred CRS, default soort...).
    wor_deelnemers
        Welzijn op recept participant counts per wijk, when the file holds them.
    """

    laag: str
    frame: gpd.GeoDataFrame
    report: pd.DataFrame
    source: str
    notices: list[str] = field(default_factory=list)
    wor_deelnemers: pd.DataFrame | None = None

    @property
    def counts(self) -> dict[str, int]:
        """``{"accepted", "warnings", "rejected"}`` row counts of the report."""
        status = self.report["status"]
        return {
            "accepted": int((status == OK).sum()),
            "warnings": int((status == WARNING).sum()),
            "rejected": int((status == REJECTED).sum()),
        }

    def report_csv(self) -> bytes:
        """The validation report as CSV (UTF-8 with BOM, ``;``) for Excel."""
        from geo.present.safe_text import neutralise_formula

        safe = self.report.map(neutralise_formula)
        return safe.to_csv(index=False, sep=";").encode("utf-8-sig")


def laag_name(laag: str) -> str:
    """Layer name from a CLI/UI spelling; DataError for an unknown layer."""
    try:
        return LAAG_NAMES[laag]
    except KeyError:
        raise DataError(
            "onbekende laag.",
            value=laag,
            hint="kies activiteiten, lief-en-leed, welzijn-op-recept, buurtmobiel of ov-haltes.",
        ) from None


def import_file(
    path: str | Path,
    *,
    laag: str | None = None,
    areas: gpd.GeoDataFrame | None = None,
    mapping: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    existing: gpd.GeoDataFrame | None = None,
) -> ImportResult:
    """Read and validate a partner file for one aanbod layer.

    Parameters
    ----------
    path
        CSV (``,``/``;``, decimal comma, UTF-8 with or without BOM, cp1252), xlsx, GeoJSON,
        GeoPackage, zipped Shapefile, or a GTFS ``stops.txt``.
    laag
        Layer (``activiteiten``, ``lief-en-leed``, ``welzijn-op-recept``, ``buurtmobiel``,
        ``ov-haltes``); default: guessed from the columns.
    areas
        Canonical areas of the gemeente: points outside it are flagged, buurt codes and names
        are resolved, Buurtmobiel code lists become polygons.
    mapping
        ``{field: header}`` to override the automatic column matching.
    sheet
        Excel sheet name or 0-based index.
    existing
        Rows already in the register, for duplicate warnings (same name within 25 m).

    Returns
    -------
    ImportResult

    Raises
    ------
    DataError
        When the file as a whole cannot be read (empty, not what its extension says, no
        usable columns). Problems of single rows end up in the report instead.

    Examples
    --------
    >>> result = import_file("activiteiten.csv", laag="activiteiten")  # doctest: +SKIP
    >>> result.counts  # doctest: +SKIP
    {'accepted': 12, 'warnings': 1, 'rejected': 0}
    """
    path = Path(path)
    notices = Notices()
    table, geometry = _read(path, sheet, notices)
    columns = [str(c) for c in table.frame.columns]
    layer = laag_name(laag) if laag else guess_layer(columns, path)
    if table.frame.empty:
        raise DataError(
            "het bestand heeft alleen een kop en geen rijen.",
            file=path,
            hint="vul de rijen in of kies een ander bestand.",
        )
    context = row_rules.Context(
        table=table,
        geometry=geometry,
        path=path,
        areas=areas,
        notices=notices,
        fields=match_columns(columns, row_rules.FIELDS[layer], mapping=mapping, file=str(path)),
    )
    if layer == "ov_haltes" and "stop_id" in columns:
        result = gtfs.gtfs_stops(context)
    elif layer == "welzijn_op_recept" and "deelnemers" in context.fields:
        result = layers.wor_participants(context)
    else:
        result = _HANDLERS[layer](context)
    records, report, extra = result
    frame = _frame(layer, records)
    if layer == "activiteiten":
        frame = _assign_buurt(frame, areas)
    report_frame = pd.DataFrame(report, columns=["row", "status", "reason", "naam"])
    _flag_duplicates(frame, report_frame, existing)
    frame.attrs.pop("_report_index", None)
    logger.info(
        "%s: %d rijen gelezen, %s",
        path.name,
        len(report_frame),
        report_frame["status"].value_counts().to_dict(),
    )
    return ImportResult(
        laag=layer,
        frame=frame,
        report=report_frame,
        source=path.name,
        notices=list(notices),
        wor_deelnemers=extra,
    )


def guess_layer(columns: list[str], path: Path | None = None) -> str:
    """Guess the layer of a partner file from its columns."""
    fields = match_columns(
        columns,
        ("potjes", "deelnemers", "soort_locatie", "dienst", "gebied_codes", "vertrekken_per_uur"),
    )
    lower = {c.lower() for c in columns}
    if "stop_id" in lower or "vertrekken_per_uur" in fields:
        return "ov_haltes"
    if "potjes" in fields:
        return "lief_en_leed"
    if "deelnemers" in fields or "soort_locatie" in fields:
        return "welzijn_op_recept"
    if "dienst" in fields or "gebied_codes" in fields:
        return "buurtmobiel"
    return "activiteiten"


def _read(path: Path, sheet: str | int | None, notices: Notices) -> tuple[Table, np.ndarray | None]:
    suffix = suffix_of(path)
    if suffix in SPATIAL_SUFFIXES:
        frame = read_spatial(path)
        frame = frame_to_rd(frame, source=path.name, notices=notices)
        attributes = frame.drop(columns=frame.geometry.name).astype(object)
        attributes = attributes.where(attributes.notna(), "").astype(str)
        return Table(frame=attributes.reset_index(drop=True), path=path), frame.geometry.to_numpy()
    if suffix in TABULAR_SUFFIXES:
        table = read_table(path, sheet=sheet)
        for notice in table.notices:
            notices.add(notice)
        return table, None
    raise DataError(
        f"onbekend bestandstype '{suffix}'.",
        file=path,
        hint="gebruik CSV, Excel (.xlsx), GeoJSON, GeoPackage of een gezipte shapefile.",
    )


def _frame(layer: str, records: list[dict[str, object]]) -> gpd.GeoDataFrame:
    columns = COLUMNS[layer]
    data = {c: [r.get(c) for r in records] for c in columns if c != "geometry"}
    geometry = [r.get("geometry") for r in records]
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=RD), crs=RD)[columns]
    frame.attrs["_report_index"] = [r.get("_report") for r in records]
    return frame


def _assign_buurt(frame: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if areas is None or frame.empty:
        return frame
    buurten = areas[areas["niveau"] == "buurt"]
    located = frame.geometry.notna() & ~frame.geometry.is_empty
    if not located.any() or buurten.empty:
        return frame
    joined = gpd.sjoin(
        frame[located][["geometry"]], buurten[["code", "geometry"]], how="left", predicate="within"
    )
    joined = joined[~joined.index.duplicated()]
    frame = frame.copy()
    frame.loc[joined.index, "buurt_code"] = joined["code"]
    return frame


def _flag_duplicates(
    frame: gpd.GeoDataFrame, report: pd.DataFrame, existing: gpd.GeoDataFrame | None
) -> None:
    """Warn (in place, in ``report``) for rows with the same name within 25 m."""
    if frame.empty or "naam" not in frame.columns or "_report_index" not in frame.attrs:
        return
    index = frame.attrs["_report_index"]
    names = frame["naam"].astype(str).map(normalise_name).to_numpy()
    geoms = frame.geometry.to_numpy()
    seen: dict[str, list[tuple[int, Point]]] = {}
    pools: list[tuple[str, object, str]] = []
    if existing is not None and not existing.empty and "naam" in existing.columns:
        for ident, name, geom in zip(
            existing["id"], existing["naam"], existing.geometry, strict=True
        ):
            if geom is not None and not geom.is_empty:
                pools.append((normalise_name(str(name)), geom, f"bestaand id {ident}"))
    for position, (name, geom) in enumerate(zip(names, geoms, strict=True)):
        if geom is None or geom.is_empty or not name:
            continue
        match = None
        for other_pos, other in seen.get(name, []):
            if shapely.distance(geom, other) <= DUPLICATE_DISTANCE_M:
                match = f"rij {report.at[index[other_pos], 'row']}"
                break
        if match is None:
            for pool_name, pool_geom, label in pools:
                if pool_name == name and shapely.distance(geom, pool_geom) <= DUPLICATE_DISTANCE_M:
                    match = label
                    break
        seen.setdefault(name, []).append((position, geom))
        if match is not None:
            at = index[position]
            report.at[at, "status"] = WARNING
            extra = f"mogelijk dubbel: zelfde naam binnen 25 m van {match}"
            reason = report.at[at, "reason"]
            report.at[at, "reason"] = f"{reason}; {extra}" if reason else extra


_HANDLERS: dict[str, Callable[[row_rules.Context], row_rules.Outcome]] = {
    "activiteiten": row_rules.activiteiten,
    "lief_en_leed": layers.lief_en_leed,
    "welzijn_op_recept": layers.welzijn_op_recept,
    "buurtmobiel": layers.buurtmobiel,
    "ov_haltes": gtfs.ov_haltes,
}

__all__ = [
    "OK",
    "WARNING",
    "REJECTED",
    "DUPLICATE_DISTANCE_M",
    "ImportResult",
    "import_file",
    "guess_layer",
    "laag_name",
]
