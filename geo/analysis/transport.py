"""Transport-poverty index per buurt, in the spirit of the CBS/PBL *vervoersarmoede* indicator.

Components (each kept and shown; higher = more transport-poor):

* ``weinig_autos``: cars per household (kwb ``g_pau_hh``), reversed;
* ``afstand_ov``: walking distance to the nearest OV-halte (m): over the walking network when
  the folder has one (up to the last OV-klasse band; further counts as at least that band),
  else straight line × the detour factor;
* ``ov_klasse``: the OV-klasse (ARE ÖV-Güteklassen, :mod:`geo.analysis.ov_klassen`) of the
  buurt's residents, from the timetable (fixed scale only);
* ``weinig_vertrekken``: departures per hour at stops within 500 m, reversed (relative
  scale only);
* ``aandeel_65plus``: share of 65-plussers;
* ``moeite_rondkomen``: % with difficulty making ends meet (RIVM, 18+);
* ``geen_buurtmobiel``: 1 when no Buurtmobiel-like service covers the buurt.

Two scales (``transport_scale`` in the output's ``attrs`` and in every JSON):

* ``vast`` (default): each component mapped to 0-1 by the absolute thresholds of
  :class:`~geo.settings.TransportScales` (e.g. 0 cars per household → 1, 1.2 or more → 0),
  so a buurt's score depends only on its own facts: the same buurt scores the same in a
  one-gemeente run and in a national run, and adding a Buurtmobiel area changes only the
  buurten it covers.
* ``relatief`` (``relative=True``, CLI ``--relatief``; for comparison only): the old index,
  each component min-max normalised over the buurten of the dataset (0 = best in the
  dataset, 1 = worst), so scores move when anything changes anywhere.

The index is the weighted mean of the available components (weights in
:class:`~geo.settings.AnalysisSettings`, renormalised per buurt when a component is missing;
on the fixed scale ``ov_klasse`` takes the weight of ``weinig_vertrekken``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.analysis.demand import DemandPoints
from geo.analysis.ov_klassen import BANDS_M, CLASSES, NONE, ov_klassen, stop_pairs
from geo.analysis.reach import WalkNetworkLike, buurtmobiel_coverage, demand_points, has_shape
from geo.model.figures import PUBLISHED
from geo.settings import AnalysisSettings

COMPONENT_LABELS = {
    "weinig_autos": "auto's per huishouden",
    "afstand_ov": "afstand tot OV-halte (m)",
    "ov_klasse": "OV-klasse (ARE) van de bewoners",
    "weinig_vertrekken": "vertrekken per uur binnen 500 m",
    "aandeel_65plus": "aandeel 65-plussers (%)",
    "moeite_rondkomen": "moeite met rondkomen (%)",
    "geen_buurtmobiel": "Buurtmobiel-dekking",
}
STOP_RADIUS_M = 500.0
SCALES = ("vast", "relatief")
"""``vast``: fixed, documented thresholds (default); ``relatief``: min-max within the dataset."""


def transport_poverty(
    buurten: gpd.GeoDataFrame,
    population: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    stops: gpd.GeoDataFrame | None = None,
    services: gpd.GeoDataFrame | None = None,
    year: int | None = None,
    settings: AnalysisSettings = AnalysisSettings(),
    relative: bool | None = None,
    network: WalkNetworkLike | None = None,
    points: DemandPoints | None = None,
) -> pd.DataFrame:
    """Transport-poverty components and index per buurt.

    Parameters
    ----------
    buurten, population, figures
        Buurt areas (EPSG:28992), kwb population per code, RIVM figures.
    stops
        OV-haltes (``vertrekken_per_uur``; with the dagdeel columns of
        :func:`geo.io.gtfs.stops_from_gtfs` when read from a timetable).
    services
        The buurtmobiel layer.
    year
        RIVM edition of ``moeite_rondkomen`` (default the latest).
    settings
        Weights, fixed scales, detour factor.
    relative
        True: the old relative (min-max) index; None: ``settings.transport_relative``.
    network, points
        Walking network and demand points for the distance and the OV-klasse (None: straight
        line × detour factor from one point per buurt).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``buurten``: ``code``, the raw values (``autos_per_huishouden``,
        ``afstand_ov_m``, ``vertrekken_per_uur``, ``aandeel_65plus``, ``moeite_rondkomen``,
        ``buurtmobiel``), the OV-klasse columns (``ov_klasse``, ``ov_aandeel_A`` …), the
        components as ``c_<name>`` (:data:`COMPONENT_LABELS`) and ``index`` (0-1).
        ``attrs["transport_scale"]`` is ``vast`` or ``relatief``.

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
        distance[located] = tree.query(xy[located])[0] * settings.detour_factor
        if network is not None:  # walked where a halte is within the last OV-klasse band
            d, _s, walked = stop_pairs(xy, stops, network, settings)
            nearest = np.full(len(xy), np.inf)
            np.minimum.at(nearest, d, walked)
            beyond = max(BANDS_M)  # further than the scale's worst end: never shorter
            distance = np.where(np.isfinite(nearest), nearest, np.maximum(distance, beyond))
        raw["afstand_ov_m"] = distance
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
    klassen = ov_klassen(buurten, stops, network=network, points=points, settings=settings)
    raw = pd.concat([raw, klassen.drop(columns=["code"])], axis=1)
    relative = settings.transport_relative if relative is None else relative
    has_services = services is not None and len(services) > 0
    if relative:
        components = _relative(raw, has_services)
    else:
        components = _fixed(raw, settings)
    weights = dict(settings.transport_weights)
    weights.setdefault("ov_klasse", weights.get("weinig_vertrekken", 0.0))
    weight = pd.Series(weights)[components.columns]
    available = components.notna().astype(float) * weight
    index = (components.fillna(0) * weight).sum(axis=1) / available.sum(axis=1).replace(0, np.nan)
    out = pd.concat([raw, components.add_prefix("c_")], axis=1)
    out["index"] = index
    out.attrs["transport_scale"] = "relatief" if relative else "vast"
    out.attrs["ov_klasse"] = dict(klassen.attrs)
    return out


def scale_text(scale: str) -> str:
    """The scale in words, for legends, reports and JSON notes.

    Examples
    --------
    >>> scale_text("vast")[:30]
    'vaste schaal (absolute drempel'
    """
    if scale == "relatief":
        return (
            "relatieve schaal (min-max binnen deze dataset; alleen ter vergelijking: "
            "scores veranderen als er elders iets verandert)"
        )
    return (
        "vaste schaal (absolute drempels, bijv. 0 auto's per huishouden = 1, 1,2 of meer = 0; "
        "een buurtscore hangt alleen af van de buurt zelf)"
    )


def _fixed(raw: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Components on the absolute scales of :class:`~geo.settings.TransportScales`."""
    scales = settings.transport_scales
    components = pd.DataFrame(index=raw.index)
    worst, best = scales.autos_per_huishouden
    components["weinig_autos"] = _linear(raw["autos_per_huishouden"], best, worst)
    components["afstand_ov"] = _linear(raw["afstand_ov_m"], *scales.afstand_ov_m)
    scores = dict(scales.ov_klasse)
    shares = raw[[f"ov_aandeel_{k}" for k in (*CLASSES, NONE)]].to_numpy(dtype=float)
    weights = np.array([scores[k] for k in (*CLASSES, NONE)])
    components["ov_klasse"] = np.where(np.isfinite(shares).all(axis=1), shares @ weights, np.nan)
    components["aandeel_65plus"] = _linear(raw["aandeel_65plus"], *scales.aandeel_65plus)
    components["moeite_rondkomen"] = _linear(raw["moeite_rondkomen"], *scales.moeite_rondkomen)
    components["geen_buurtmobiel"] = np.where(raw["buurtmobiel"] == "", 1.0, 0.0)
    return components


def _relative(raw: pd.DataFrame, has_services: bool) -> pd.DataFrame:
    """The old components: min-max within the dataset (for comparison only)."""
    components = pd.DataFrame(index=raw.index)
    components["weinig_autos"] = 1 - _minmax(raw["autos_per_huishouden"])
    components["afstand_ov"] = _minmax(raw["afstand_ov_m"])
    components["weinig_vertrekken"] = 1 - _minmax(raw["vertrekken_per_uur"])
    components["aandeel_65plus"] = _minmax(raw["aandeel_65plus"])
    components["moeite_rondkomen"] = _minmax(raw["moeite_rondkomen"])
    components["geen_buurtmobiel"] = (
        np.where(raw["buurtmobiel"] == "", 1.0, 0.0) if has_services else np.nan
    )
    return components


def _linear(values: pd.Series, zero_at: float, one_at: float) -> pd.Series:
    """0 at ``zero_at``, 1 at ``one_at``, linear between and clipped beyond (NaN stays NaN).

    Examples
    --------
    >>> _linear(pd.Series([0.0, 0.6, 2.0]), 1.2, 0.0).tolist()
    [1.0, 0.5, 0.0]
    """
    values = pd.to_numeric(values, errors="coerce").astype(float)
    return ((values - zero_at) / (one_at - zero_at)).clip(0.0, 1.0)


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
