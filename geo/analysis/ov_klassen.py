"""OV-bereikbaarheid per buurt: the Swiss ARE *ÖV-Güteklassen*, as GOAT implements them.

Method (ARE 2022, *ÖV-Güteklassen Berechnungsmethodik*; GOAT's ``oev_gueteklasse`` tool):

1. **Interval per halte** for a dagdeel: the departures per hour of the stop's station (the
   GTFS ``parent_station``, else the stop itself) summed over its stops; a station with more
   than one stop serves both directions, so its sum is halved (as GOAT does). Interval
   (minutes) = 60 / departures per hour.
2. **Haltecategorie** (I-VII) from the interval and the mode group of the best mode at the
   station — group A: trein, metro; B: tram; C: bus, veerboot, overig:

   =====================  ====  ====  ====
   interval (minuten)      A     B     C
   =====================  ====  ====  ====
   < 5                     I     I     II
   5 tot 10                I     II    III
   10 tot 20               II    III   IV
   20 tot 40               III   IV    V
   40 tot 60               IV    V     VI
   60 tot 120              V     VI    VII
   120 of meer             —     —     —
   =====================  ====  ====  ====

3. **OV-klasse** (A-F) of a location from the category and the walking distance to the stop
   (over the walking network when the data folder has one, else straight line × detour
   factor); a location takes the best class of all stops within 1,000 m; none = ``geen``:

   ===========  ========  ==========  ==========  ============
   categorie    ≤ 300 m   300-500 m   500-750 m   750-1000 m
   ===========  ========  ==========  ==========  ============
   I            A         A           B           C
   II           A         B           C           D
   III          B         C           D           E
   IV           C         D           E           F
   V            D         E           F           —
   VI           E         F           —           —
   VII          F         —           —           —
   ===========  ========  ==========  ==========  ============

4. **Share of residents per class** per buurt: over the demand points of
   :mod:`geo.analysis.demand` (CBS 100 m squares or BAG addresses, weighted by residents)
   when present, else the buurt's own point (one class for the whole buurt). The buurt's
   ``ov_klasse`` is the class that at least half its residents have or better.

Dagdelen: ``dag`` (weekdays 06-22 h, as ARE's weekday daytime), ``ochtend``, ``middag``,
``avond``, ``weekend`` (:data:`geo.io.gtfs.DEPARTURE_COLUMNS`). GOAT's two deviations from
ARE are kept: the departures are counted for a chosen window, and the mode groups are rail
and metro (A), tram (B) and bus (C); ferries count as C, as ARE groups ships with buses.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.analysis.demand import DemandPoints
from geo.analysis.reach import WalkNetworkLike, demand_points, has_shape
from geo.io.gtfs import DEPARTURE_COLUMNS
from geo.settings import AnalysisSettings

CLASSES = ("A", "B", "C", "D", "E", "F")
NONE = "geen"
MODE_GROUPS = {"trein": "A", "metro": "A", "tram": "B", "bus": "C", "veerboot": "C", "overig": "C"}
"""Mode → ARE group (A rail/metro, B tram, C bus/ship); a stop without a mode counts as bus."""
INTERVAL_LIMITS = (5.0, 10.0, 20.0, 40.0, 60.0, 120.0)
"""Upper limits (minutes, exclusive) of the interval rows of the category table."""
CATEGORIES = ((1, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 6), (5, 6, 7))
"""Per interval row, the category (1 = I … 7 = VII) for groups A, B, C."""
BANDS_M = (300.0, 500.0, 750.0, 1000.0)
"""Upper limits (metres, inclusive) of the distance bands."""
CLASS_TABLE = {1: "AABC", 2: "ABCD", 3: "BCDE", 4: "CDEF", 5: "DEF", 6: "EF", 7: "F"}
"""Category → class per distance band (a shorter string: no class in the outer bands)."""
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII"}


def stop_categories(stops: gpd.GeoDataFrame, dagdeel: str = "dag") -> pd.DataFrame:
    """Interval (minutes) and ARE category (1-7, 0 = none) of every stop for a dagdeel.

    Examples
    --------
    >>> stops = pd.DataFrame({"modus": ["tram"], "vertrekken_per_uur": [6.0]})
    >>> stop_categories(stops).to_dict("records")  # every 10 minutes, tram: row 10-20, B
    [{'interval_min': 10.0, 'categorie': 3}]
    """
    column = DEPARTURE_COLUMNS[dagdeel]
    values = stops[column] if column in stops else pd.Series(np.nan, index=stops.index)
    per_hour = pd.to_numeric(values, errors="coerce").astype(float)
    station = (
        stops["station"].astype(str)
        if "station" in stops
        else pd.Series(np.arange(len(stops)).astype(str), index=stops.index)
    )
    modes = stops["modus"] if "modus" in stops else pd.Series("bus", index=stops.index)
    group = modes.map(lambda m: MODE_GROUPS.get(str(m), "C"))
    summed = per_hour.groupby(station).transform("sum")
    members = per_hour.groupby(station).transform("size")
    best = group.groupby(station).transform("min")  # "A" < "B" < "C": the best group
    directional = np.where(members > 1, summed / 2, summed)
    with np.errstate(divide="ignore"):
        interval = np.where(directional > 0, 60.0 / directional, np.inf)
    interval = np.where(per_hour.isna(), np.nan, interval)
    rows = np.searchsorted(np.asarray(INTERVAL_LIMITS), interval, side="right")
    column_of = {"A": 0, "B": 1, "C": 2}
    category = [
        CATEGORIES[r][column_of[g]] if np.isfinite(i) and r < len(CATEGORIES) else 0
        for r, g, i in zip(rows, best, interval, strict=True)
    ]
    return pd.DataFrame({"interval_min": interval, "categorie": category}, index=stops.index)


def location_class(category: int, distance_m: float) -> str:
    """The class (A-F, ``geen``) of a location at ``distance_m`` from a stop of ``category``.

    Examples
    --------
    >>> location_class(2, 450), location_class(5, 800), location_class(0, 10)
    ('B', 'geen', 'geen')
    """
    if category < 1 or not np.isfinite(distance_m):
        return NONE
    band = int(np.searchsorted(np.asarray(BANDS_M), distance_m, side="left"))
    row = CLASS_TABLE[category]
    return row[band] if band < len(row) else NONE


def ov_klassen(
    buurten: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame | None,
    *,
    dagdeel: str = "dag",
    other_dagdelen: tuple[str, ...] = ("ochtend", "middag", "avond", "weekend"),
    network: WalkNetworkLike | None = None,
    points: DemandPoints | None = None,
    settings: AnalysisSettings = AnalysisSettings(),
) -> pd.DataFrame:
    """Share of residents per OV-klasse (A-F, ``geen``) per buurt.

    Parameters
    ----------
    buurten
        Buurt areas (EPSG:28992) with ``code``.
    stops
        OV-haltes with departures per hour (:func:`geo.io.gtfs.stops_from_gtfs`; a layer
        with only ``vertrekken_per_uur`` works for ``dag``). None or no departures: unknown.
    dagdeel
        The dagdeel of ``ov_klasse`` and the shares.
    other_dagdelen
        Dagdelen whose class is added as ``ov_klasse_<dagdeel>`` (when the stops have them).
    network
        Walking network: distances over it; None = straight line × detour factor.
    points
        Demand points; None = one point per buurt.
    settings
        Detour factor and snapping distance.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``buurten``: ``code``, ``ov_klasse``, ``ov_aandeel_A`` … ``ov_aandeel_F``,
        ``ov_aandeel_geen`` (0-1 of residents) and ``ov_klasse_<dagdeel>``; all NaN/None when
        the stops carry no departures. ``attrs``: ``dagdeel``, ``distance_method``,
        ``demand_source``.

    Examples
    --------
    >>> klassen = ov_klassen(buurten, stops_from_gtfs("ov/gtfs.zip"))  # doctest: +SKIP
    >>> klassen[["code", "ov_klasse", "ov_aandeel_A"]].head()  # doctest: +SKIP
    """
    out = pd.DataFrame({"code": buurten["code"].to_numpy()}, index=buurten.index)
    columns = [f"ov_aandeel_{k}" for k in (*CLASSES, NONE)]
    usable = _usable(stops, dagdeel)
    if points is None:
        xy = demand_points(buurten)
        buurt = np.arange(len(buurten))
        weight = np.ones(len(buurten))
        demand_source = "buurtmiddelpunt"
    else:
        xy, buurt, demand_source = points.xy, points.buurt, points.demand_source
        weight = _resident_weights(points)
    out.attrs.update(
        dagdeel=dagdeel,
        distance_method="netwerk" if network is not None else "hemelsbreed",
        demand_source=demand_source,
    )
    if usable is None:
        out["ov_klasse"] = None
        for column in columns:
            out[column] = np.nan
        for other in other_dagdelen:
            out[f"ov_klasse_{other}"] = None
        return out
    pairs = stop_pairs(xy, usable, network, settings)
    for name in (dagdeel, *other_dagdelen):
        if name != dagdeel and DEPARTURE_COLUMNS[name] not in usable:
            continue
        categories = stop_categories(usable, name)["categorie"].to_numpy()
        best = _best_class(len(xy), pairs, categories)
        shares = _shares(best, buurt, weight, len(buurten))
        klasse = _median_class(shares)
        located = np.zeros(len(buurten), dtype=bool)
        located[buurt[np.isfinite(xy).all(axis=1)]] = True
        klasse[~located] = None
        if name == dagdeel:
            out["ov_klasse"] = klasse
            for k, column in enumerate(columns):
                out[column] = np.where(located, shares[:, k], np.nan)
        else:
            out[f"ov_klasse_{name}"] = klasse
    return out


def _usable(stops: gpd.GeoDataFrame | None, dagdeel: str) -> gpd.GeoDataFrame | None:
    if stops is None or stops.empty:
        return None
    stops = stops[has_shape(stops)]
    column = DEPARTURE_COLUMNS[dagdeel]
    if column not in stops or not pd.to_numeric(stops[column], errors="coerce").notna().any():
        return None
    return stops.reset_index(drop=True)


def _resident_weights(points: DemandPoints) -> np.ndarray:
    for column in ("inwoners", "woningen"):
        if column in points.weights:
            values = pd.to_numeric(points.weights[column], errors="coerce").to_numpy(float)
            if np.isfinite(values).any():
                return np.where(np.isfinite(values), values, 0.0)
    return np.ones(len(points.xy))


def stop_pairs(
    xy: np.ndarray,
    stops: gpd.GeoDataFrame,
    network: WalkNetworkLike | None,
    settings: AnalysisSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of points and stops within the last distance band, with their walking distance.

    Over the walking network when given, else straight line × the detour factor; the same
    distances serve the OV-klasse and the transport-poverty distance to a halte.
    """
    stop_xy = np.column_stack([stops.geometry.x, stops.geometry.y])
    located = np.isfinite(xy).all(axis=1)
    limit = BANDS_M[-1]
    if network is not None:
        return network.pairs(xy, stop_xy, np.full(len(xy), limit), max_snap_m=settings.max_snap_m)
    tree = cKDTree(stop_xy)
    demand, supply = [], []
    where = np.flatnonzero(located)
    for i, near in zip(
        where, tree.query_ball_point(xy[located], r=limit / settings.detour_factor), strict=True
    ):
        demand.extend([i] * len(near))
        supply.extend(near)
    d = np.asarray(demand, dtype=int)
    s = np.asarray(supply, dtype=int)
    distance = (
        np.hypot(*(xy[d] - stop_xy[s]).T) * settings.detour_factor if len(d) else np.array([])
    )
    return d, s, distance


def _best_class(
    n_points: int, pairs: tuple[np.ndarray, np.ndarray, np.ndarray], categories: np.ndarray
) -> np.ndarray:
    """Per point the index of its best class (0 = A … 5 = F, 6 = geen)."""
    best = np.full(n_points, len(CLASSES), dtype=int)
    demand, supply, distance = pairs
    if not len(demand):
        return best
    band = np.searchsorted(np.asarray(BANDS_M), distance, side="left")
    classes = _CLASS_INDEX[categories[supply].astype(int), np.minimum(band, len(BANDS_M))]
    np.minimum.at(best, demand, classes)
    return best


def _class_index() -> np.ndarray:
    """Class index per (category 0-7, band 0-4): :data:`CLASS_TABLE` as an array (6 = geen)."""
    table = np.full((8, len(BANDS_M) + 1), len(CLASSES), dtype=int)
    for category, row in CLASS_TABLE.items():
        for band, klasse in enumerate(row):
            table[category, band] = CLASSES.index(klasse)
    return table


_CLASS_INDEX = _class_index()


def _shares(best: np.ndarray, buurt: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    k = len(CLASSES) + 1
    sums = np.zeros((n, k))
    np.add.at(sums, (buurt, best), weight)
    totals = sums.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, sums / totals, np.nan)
    return shares


def _median_class(shares: np.ndarray) -> np.ndarray:
    labels = np.array([*CLASSES, NONE], dtype=object)
    cumulative = np.cumsum(np.nan_to_num(shares), axis=1)
    position = (cumulative >= 0.5 - 1e-9).argmax(axis=1)
    out = labels[position]
    out[~np.isfinite(shares).all(axis=1)] = None
    return out


DAGDEEL_LABELS = {
    "dag": "werkdagen 6-22 uur",
    "ochtend": "werkdagen 7-12 uur",
    "middag": "werkdagen 12-17 uur",
    "avond": "werkdagen 17-22 uur",
    "weekend": "weekend 7-22 uur",
}


def area_summary(
    buurten: pd.DataFrame, weights: pd.Series, *, dagdeel: str = "dag"
) -> dict[str, object]:
    """The OV-klasse of an area from its buurten (for profiles and reports).

    Parameters
    ----------
    buurten
        Rows with ``ov_aandeel_<K>``, ``ov_klasse`` and ``ov_klasse_<dagdeel>`` columns.
    weights
        Residents per buurt to weigh the shares with (e.g. the focus group).

    Returns
    -------
    dict
        ``dagdeel``, ``dagdeel_label``, ``klasse`` (at least half the residents have this
        class or better), ``aandelen`` (class → share 0-1), ``per_dagdeel`` (dagdeel → the
        class most residents live in), or ``{}`` when no classes are known.

    Examples
    --------
    >>> frame = pd.DataFrame({"ov_aandeel_A": [1.0, 0.0], "ov_aandeel_geen": [0.0, 1.0]})
    >>> area_summary(frame, pd.Series([3.0, 1.0]))["aandelen"]["A"]
    0.75
    """
    columns = [f"ov_aandeel_{k}" for k in (*CLASSES, NONE)]
    if buurten.empty or not any(c in buurten for c in columns):
        return {}
    present = [c for c in columns if c in buurten]
    shares = buurten.reindex(columns=columns).apply(pd.to_numeric, errors="coerce")
    known = shares[present].notna().all(axis=1)
    shares = shares.fillna(0.0)  # a class column that is absent holds nobody
    w = pd.to_numeric(weights, errors="coerce").fillna(0).reindex(buurten.index).fillna(0)
    w = w[known] if w[known].sum() > 0 else pd.Series(1.0, index=buurten.index[known])
    if not known.any():
        return {}
    mean = (shares[known].mul(w, axis=0).sum() / w.sum()).to_numpy()
    klasse = _median_class(mean[None, :])[0]
    per_dagdeel: dict[str, str | None] = {}
    for name in DAGDEEL_LABELS:
        column = f"ov_klasse_{name}"
        if column in buurten:
            found = buurten.loc[known, column].dropna()
            per_dagdeel[name] = (
                str(w.reindex(found.index).groupby(found).sum().idxmax()) if len(found) else None
            )
    return {
        "dagdeel": dagdeel,
        "dagdeel_label": DAGDEEL_LABELS[dagdeel],
        "klasse": klasse,
        "aandelen": {k: round(float(v), 4) for k, v in zip((*CLASSES, NONE), mean, strict=True)},
        "per_dagdeel": per_dagdeel,
    }
