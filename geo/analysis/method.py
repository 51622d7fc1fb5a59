"""How reach is measured, and stated: the folder's network and demand points, the method keys.

Every output of the gap analysis says which distance method (``distance_method``:
``netwerk``/``hemelsbreed``) and which demand points (``demand_source``:
``vierkanten``/``adressen``/``buurtmiddelpunt``) were used; :func:`method_info` is the one
place that puts it into words and numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis.demand import (
    DEMAND_LABELS,
    DemandPoints,
    demand_points_from,
    population_from_folder,
)
from geo.analysis.reach import WalkNetworkLike
from geo.errors import DataError
from geo.model.dataset import Dataset
from geo.present.format import fmt_int, fmt_num
from geo.settings import AnalysisSettings


def folder_network(path: str | Path) -> WalkNetworkLike | None:
    """The walking network of a data folder's ``netwerk/`` (built once, cached), or None."""
    from geo.analysis.network import network_from_folder

    return network_from_folder(path)


def folder_stops(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    settings: AnalysisSettings,
    notes: list[str],
) -> gpd.GeoDataFrame:
    """The OV-haltes for the analysis: the folder's GTFS timetable (``ov/``), else the layer.

    With a timetable the stops carry departures per hour per dagdeel
    (:func:`geo.io.gtfs.stops_from_gtfs`, the week of ``settings.ov_week``); the register's
    ``ov_haltes`` layer is used otherwise. A note says which.
    """
    from geo.io.gtfs import feed_in_folder, stops_from_gtfs_cached

    layer = layers.get("ov_haltes")
    feed = feed_in_folder(dataset.path) if dataset.path is not None else None
    if feed is None:
        return layer if layer is not None else gpd.GeoDataFrame(geometry=[], crs="EPSG:28992")
    try:
        stops = stops_from_gtfs_cached(feed, week=settings.ov_week)
    except DataError as error:
        notes.append(f"Dienstregeling (GTFS) niet gelezen, de laag OV-haltes is gebruikt: {error}")
        return layer if layer is not None else gpd.GeoDataFrame(geometry=[], crs="EPSG:28992")
    notes.extend(stops.attrs.get("notices", []))
    week = stops.attrs["gtfs_week"]
    notes.append(
        f"OV-haltes en vertrekken per dagdeel uit de dienstregeling {feed.name} (GTFS, "
        f"{week.text}): {len(stops)} haltes."
    )
    return stops


def folder_points(
    dataset: Dataset, buurten: gpd.GeoDataFrame, pop_year: int | None, notes: list[str]
) -> DemandPoints | None:
    """Demand points from the folder's ``bevolking/`` (None when it holds nothing usable)."""
    files = population_from_folder(dataset.path)
    notes.extend(files.notices)
    if files.squares is None and files.addresses is None:
        return None
    try:
        population = dataset.population(pop_year)
    except (DataError, KeyError):
        population = None
    return demand_points_from(
        buurten, squares=files.squares, addresses=files.addresses, population=population
    )


def method_info(
    offer: pd.DataFrame,
    settings: AnalysisSettings,
    group: str,
    network: WalkNetworkLike | None,
    points: DemandPoints | None,
) -> dict[str, Any]:
    """How reach was measured, for every output (JSON, legend, reasons, report, metadata).

    Examples
    --------
    >>> method_info(offer, AnalysisSettings(), "ouderen", None, None)["distance_method"]
    ... # doctest: +SKIP
    'hemelsbreed'
    """
    distance = str(offer.attrs.get("distance_method", "hemelsbreed"))
    demand = str(offer.attrs.get("demand_source", "buurtmiddelpunt"))
    catchment = settings.catchment(group, distance)
    speed = f"{fmt_num(settings.speed(group), 1)} km/u"
    if distance == "netwerk":
        how = (
            f"over het loopnetwerk ({getattr(network, 'source', 'straatnetwerk')}), "
            f"{settings.catchment_text(group, distance)} bij {speed}"
        )
    else:
        how = (
            f"hemelsbreed × omrijfactor {fmt_num(settings.detour_factor, 1)}, "
            f"{settings.catchment_text(group, distance)}"
        )
    return {
        "distance_method": distance,
        "demand_source": demand,
        "catchment_m": catchment,
        "catchment_text": settings.catchment_text(group, distance),
        "speed_kmh": settings.speed(group),
        "minutes": dict(settings.catchment_minutes)[group] if distance == "netwerk" else None,
        "rollator": settings.rollator,
        "max_snap_m": settings.max_snap_m if distance == "netwerk" else None,
        "network_source": getattr(network, "source", None),
        "demand_detail": points.source if points is not None else "buurtgrenzen",
        "description": f"Afstand {how}; vraag uit {DEMAND_LABELS[demand]}.",
        "legend": (
            f"afstand: {distance} ({settings.catchment_text(group, distance)}"
            + (f" bij {speed}" if distance == "netwerk" else "")
            + f"); vraag: {demand} ({DEMAND_LABELS[demand]})"
        ),
        "unsnapped": int(offer.attrs.get("unsnapped", 0)),
        "unsnapped_supply": int(offer.attrs.get("unsnapped_supply", 0)),
    }


def method_notes(method: dict[str, Any], offer: pd.DataFrame) -> list[str]:
    """Notes only when the method differs from the straight-line, centroid default."""
    notes = []
    if method["distance_method"] == "netwerk":
        notes.append(
            f"Bereik over het loopnetwerk ({method['network_source']}): "
            f"{method['catchment_text']} bij {fmt_num(method['speed_kmh'], 1)} km/u, gemeten "
            f"vanaf de vraagpunten; wie verder dan {fmt_int(method['max_snap_m'])} m van een "
            "straat woont, krijgt geen bereik."
        )
    if method["demand_source"] != "buurtmiddelpunt":
        counts = offer["demand_source"].value_counts()
        parts = ", ".join(f"{int(n)} buurt(en) {kind}" for kind, n in counts.items())
        notes.append(f"Vraag waar mensen wonen ({method['demand_detail']}): {parts}.")
    if method["unsnapped"]:
        notes.append(
            f"{method['unsnapped']} vraagpunt(en) verder dan {method['max_snap_m']:g} m van het "
            "loopnetwerk: daar geen bereik (telt als geen passend aanbod)."
        )
    if method["unsnapped_supply"]:
        notes.append(
            f"{method['unsnapped_supply']} passende activiteit(en) verder dan "
            f"{method['max_snap_m']:g} m van het loopnetwerk: voor niemand bereikbaar."
        )
    return notes


def catchment_texts(
    catchment: pd.Series, settings: AnalysisSettings, group: str, method: dict[str, Any]
) -> list[str]:
    """The catchment as the reasons say it; a Buurtmobiel-extended one in metres."""
    base = float(method["catchment_m"])
    text = str(method["catchment_text"])
    return [text if not value > base else f"{fmt_int(value)} m" for value in catchment]
