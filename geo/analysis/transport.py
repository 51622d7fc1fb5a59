"""Transport-poverty index per buurt, in the spirit of the CBS/PBL *vervoersarmoede* indicator.

Components (each kept and shown; higher = more transport-poor):

* ``weinig_autos``: cars per household (kwb ``g_pau_hh``), reversed;
* ``afstand_ov``: distance to the nearest OV-halte (m);
* ``weinig_vertrekken``: departures per hour at stops within 500 m, reversed;
* ``aandeel_65plus``: share of 65-plussers;
* ``moeite_rondkomen``: % with difficulty making ends meet (RIVM, 18+);
* ``geen_buurtmobiel``: 1 when no Buurtmobiel-like service covers the buurt.

Each component is min-max normalised over the buurten of the dataset (0 = best, 1 = worst);
the index is the weighted mean of the available components (weights in
:class:`~geo.settings.AnalysisSettings`, renormalised when a component is missing).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.analysis.reach import buurtmobiel_coverage, demand_points, has_shape
from geo.model.figures import PUBLISHED
from geo.settings import AnalysisSettings

COMPONENT_LABELS = {
    "weinig_autos": "auto's per huishouden",
    "afstand_ov": "afstand tot OV-halte (m)",
    "weinig_vertrekken": "vertrekken per uur binnen 500 m",
    "aandeel_65plus": "aandeel 65-plussers (%)",
    "moeite_rondkomen": "moeite met rondkomen (%)",
    "geen_buurtmobiel": "Buurtmobiel-dekking",
}
STOP_RADIUS_M = 500.0


def transport_poverty(
    buurten: gpd.GeoDataFrame,
    population: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    stops: gpd.GeoDataFrame | None = None,
    services: gpd.GeoDataFrame | None = None,
    year: int | None = None,
    settings: AnalysisSettings = AnalysisSettings(),
) -> pd.DataFrame:
    """Transport-poverty components and index per buurt.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``buurten``: ``code``, the raw values (``autos_per_huishouden``,
        ``afstand_ov_m``, ``vertrekken_per_uur``, ``aandeel_65plus``, ``moeite_rondkomen``,
        ``buurtmobiel``), the normalised components (:data:`COMPONENT_LABELS`) and ``index``
        (0-1).

    Examples
    --------
    >>> tp = transport_poverty(buurten, dataset.population(), dataset.figures)  # doctest: +SKIP
    """
    codes = buurten["code"].to_numpy()
    pop = population.reindex(codes)
    raw = pd.DataFrame({"code": codes}, index=buurten.index)
    raw["autos_per_huishouden"] = pop["autos_per_huishouden"].to_numpy(dtype=float)
    raw["aandeel_65plus"] = (100 * pop["leeftijd_65_plus"] / pop["inwoners"]).to_numpy(dtype=float)
    raw["moeite_rondkomen"] = _rivm(figures, codes, "MoeiteMetRondkomen", year)
    xy = demand_points(buurten)
    located = np.isfinite(xy).all(axis=1)  # buurten without a shape get NaN
    if stops is not None and len(stops):
        stops = stops[has_shape(stops)]
    if stops is not None and len(stops) and located.any():
        stop_xy = np.column_stack([stops.geometry.x, stops.geometry.y])
        tree = cKDTree(stop_xy)
        distance = np.full(len(xy), np.nan)
        distance[located] = tree.query(xy[located])[0]
        raw["afstand_ov_m"] = distance * settings.detour_factor
        freq = pd.to_numeric(stops["vertrekken_per_uur"], errors="coerce").to_numpy(dtype=float)
        if np.isfinite(freq).any():
            near = tree.query_ball_point(xy[located], r=STOP_RADIUS_M / settings.detour_factor)
            departures = np.full(len(xy), np.nan)
            departures[located] = [float(np.nansum(freq[n])) if n else 0.0 for n in near]
            raw["vertrekken_per_uur"] = departures
        else:
            raw["vertrekken_per_uur"] = np.nan
    else:
        raw["afstand_ov_m"] = np.nan
        raw["vertrekken_per_uur"] = np.nan
    raw["buurtmobiel"] = buurtmobiel_coverage(buurten, services, settings).to_numpy()
    components = pd.DataFrame(index=buurten.index)
    components["weinig_autos"] = 1 - _minmax(raw["autos_per_huishouden"])
    components["afstand_ov"] = _minmax(raw["afstand_ov_m"])
    components["weinig_vertrekken"] = 1 - _minmax(raw["vertrekken_per_uur"])
    components["aandeel_65plus"] = _minmax(raw["aandeel_65plus"])
    components["moeite_rondkomen"] = _minmax(raw["moeite_rondkomen"])
    has_services = services is not None and len(services) > 0
    components["geen_buurtmobiel"] = (
        np.where(raw["buurtmobiel"] == "", 1.0, 0.0) if has_services else np.nan
    )
    weights = pd.Series(dict(settings.transport_weights))[components.columns]
    available = components.notna().astype(float) * weights
    index = (components.fillna(0) * weights).sum(axis=1) / available.sum(axis=1).replace(0, np.nan)
    out = pd.concat([raw, components.add_prefix("c_")], axis=1)
    out["index"] = index
    return out


def _minmax(values: pd.Series) -> pd.Series:
    values = pd.to_numeric(values, errors="coerce")
    low, high = values.min(), values.max()
    if not np.isfinite(low) or high == low:
        return values * np.nan if not np.isfinite(low) else values * 0.0
    return (values - low) / (high - low)


def _rivm(figures: pd.DataFrame, codes: np.ndarray, indicator: str, year: int | None) -> np.ndarray:
    part = figures[
        (figures["indicator"] == indicator)
        & (figures["group"] == "18+")
        & (figures["status"] == PUBLISHED)
    ]
    if year is not None and (part["year"] == year).any():
        part = part[part["year"] == year]
    elif len(part):
        part = part[part["year"] == part["year"].max()]
    values = part.set_index(part["code"].astype(str))["value"]
    values = values[~values.index.duplicated()]
    return values.reindex(codes).to_numpy(dtype=float)
