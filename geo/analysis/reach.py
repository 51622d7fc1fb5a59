"""Reachable offer with the enhanced two-step floating catchment area method (E2SFCA).

Luo & Qi (2009). For demand points *i* (buurten, demand = lonely residents of a group) and
supply points *j* (activities that serve the group, supply = capacity, 1 when unknown):

1. for every activity, the weighted demand within its catchment:
   ``R_j = S_j / Σ_i P_i · W(d_ij)``;
2. for every buurt, the weighted sum of the ratios within its catchment:
   ``A_i = Σ_j R_j · W(d_ij)``.

``A_i × 1000`` is the *reachable offer per 1,000 lonely residents*. Distances are straight
lines × a detour factor, or shortest paths through a street graph when one is given.
``W`` is a step function (1, 0.68, 0.22 for the thirds of the catchment) or a Gaussian.
Residents inside a Buurtmobiel/AutoMaatje service area get a larger catchment (elderly groups).
The results equal PySAL ``access`` (``enhanced_two_stage_fca``) on the same inputs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.aanbod.schema import GROUP_DOELGROEPEN, GROUP_SOORTEN, split_keys
from geo.analysis._reach_points import (
    anchor_points,
    buurt_pairs,
    distinct_count,
    per_buurt_mean,
    to_buurten,
)
from geo.analysis.demand import DemandPoints, demand_points_from
from geo.analysis.language import OriginShares, language_weights, origin_fit
from geo.analysis.timefit import NO_OV, UNKNOWN, time_fit_summary, time_weights
from geo.settings import ELDERLY, AnalysisSettings

logger = logging.getLogger(__name__)


class WalkNetworkLike(Protocol):
    """What reach needs of a walking network (:class:`geo.analysis.network.WalkNetwork`)."""

    def snap(self, xy: np.ndarray, *, max_snap_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node per point and the snap distance (m); -1 / inf when too far."""
        ...

    def pairs(
        self,
        demand_xy: np.ndarray,
        supply_xy: np.ndarray,
        catchment: np.ndarray,
        *,
        max_snap_m: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(demand index, supply index, metres) within each demand point's catchment."""
        ...


@dataclass
class Pairs:
    """Demand-supply pairs within reach: indices, distances (m) and decay weights."""

    demand: np.ndarray
    supply: np.ndarray
    distance: np.ndarray
    weight: np.ndarray


def decay(settings: AnalysisSettings) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The distance-decay function ``W(d, catchment)`` of the settings (0 beyond the catchment).

    Examples
    --------
    >>> w = decay(AnalysisSettings())
    >>> w(np.array([100.0, 300.0, 450.0, 600.0]), np.full(4, 500.0)).tolist()
    [1.0, 0.68, 0.22, 0.0]
    """
    if settings.decay == "steps":
        steps = sorted(settings.steps)

        def stepwise(distance: np.ndarray, catchment: np.ndarray) -> np.ndarray:
            out = np.zeros(len(distance))
            assigned = np.zeros(len(distance), dtype=bool)
            for fraction, weight in steps:
                hit = ~assigned & (distance <= fraction * catchment)
                out[hit] = weight
                assigned |= hit
            return out

        return stepwise
    scale = np.log(1 / settings.gaussian_edge_weight)

    def gaussian(distance: np.ndarray, catchment: np.ndarray) -> np.ndarray:
        weight = np.exp(-scale * (distance / catchment) ** 2)
        return np.where(distance <= catchment, weight, 0.0)

    return gaussian


def straight_pairs(
    demand_xy: np.ndarray,
    supply_xy: np.ndarray,
    catchment: np.ndarray,
    *,
    detour_factor: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs within each demand point's catchment; distance = straight line × detour factor.

    Demand points without a location (NaN, a buurt without a shape) get no pairs. Demand points
    sharing a catchment (usually all, or two groups with the Buurtmobiel extension) are matched
    against the activities in one KD-tree × KD-tree search.

    Examples
    --------
    >>> straight_pairs(np.array([[0.0, 0.0]]), np.array([[300.0, 0.0], [450.0, 0.0]]),
    ...                np.array([500.0]), detour_factor=1.3)[2].round(1).tolist()
    [390.0]
    """
    empty = np.array([], dtype=int)
    if len(demand_xy) == 0 or len(supply_xy) == 0:
        return empty, empty, np.array([], dtype=float)
    located = np.isfinite(demand_xy).all(axis=1)
    supply_tree = cKDTree(supply_xy)
    values = np.unique(catchment[located])
    if len(values) > MAX_CATCHMENT_GROUPS:  # many different catchments: one ball per point
        return _ball_pairs(demand_xy, supply_tree, supply_xy, catchment, located, detour_factor)
    demand_parts, supply_parts = [empty], [empty]
    for value in values:
        rows = np.flatnonzero(located & (catchment == value))
        found = cKDTree(demand_xy[rows]).sparse_distance_matrix(
            supply_tree, value / detour_factor, output_type="ndarray"
        )
        demand_parts.append(rows[found["i"]])
        supply_parts.append(found["j"].astype(int))
    demand_idx = np.concatenate(demand_parts)
    supply_idx = np.concatenate(supply_parts)
    return _within(demand_xy, supply_xy, catchment, demand_idx, supply_idx, detour_factor)


MAX_CATCHMENT_GROUPS = 8


def _ball_pairs(
    demand_xy: np.ndarray,
    supply_tree: cKDTree,
    supply_xy: np.ndarray,
    catchment: np.ndarray,
    located: np.ndarray,
    detour_factor: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = np.flatnonzero(located)
    neighbours = supply_tree.query_ball_point(
        demand_xy[rows], r=catchment[rows] / detour_factor, workers=-1
    )
    counts = np.fromiter((len(n) for n in neighbours), dtype=int, count=len(neighbours))
    demand_idx = np.repeat(rows, counts)
    supply_idx = (
        np.concatenate([np.asarray(n, dtype=int) for n in neighbours])
        if counts.sum()
        else np.array([], dtype=int)
    )
    return _within(demand_xy, supply_xy, catchment, demand_idx, supply_idx, detour_factor)


def _within(
    demand_xy: np.ndarray,
    supply_xy: np.ndarray,
    catchment: np.ndarray,
    demand_idx: np.ndarray,
    supply_idx: np.ndarray,
    detour_factor: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    distance = np.hypot(*(demand_xy[demand_idx] - supply_xy[supply_idx]).T) * detour_factor
    keep = distance <= catchment[demand_idx]
    return demand_idx[keep], supply_idx[keep], distance[keep]


def network_pairs(
    demand_xy: np.ndarray,
    supply_xy: np.ndarray,
    catchment: np.ndarray,
    graph: object,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs by shortest path through a street graph.

    The graph is a networkx graph with node attributes ``x``/``y`` in RD and edge attribute
    ``length`` in metres. Points are snapped to their nearest node; the snapping distance is
    added to the path length.
    """
    import networkx as nx

    nodes = list(graph.nodes)  # type: ignore[attr-defined]
    node_xy = np.array([[graph.nodes[n]["x"], graph.nodes[n]["y"]] for n in nodes])  # type: ignore[attr-defined]
    tree = cKDTree(node_xy)
    located = np.isfinite(demand_xy).all(axis=1)
    d_snap, d_node = tree.query(np.where(located[:, None], demand_xy, node_xy[0]))
    s_snap, s_node = tree.query(supply_xy)
    by_node: dict[object, list[int]] = {}
    for j, node in enumerate(s_node):
        by_node.setdefault(nodes[node], []).append(j)
    demand_idx, supply_idx, distance = [], [], []
    for i, node in enumerate(d_node):
        if not located[i]:
            continue
        lengths = nx.single_source_dijkstra_path_length(
            graph, nodes[node], cutoff=float(catchment[i]), weight="length"
        )
        for target, length in lengths.items():
            for j in by_node.get(target, []):
                total = d_snap[i] + length + s_snap[j]
                if total <= catchment[i]:
                    demand_idx.append(i)
                    supply_idx.append(j)
                    distance.append(total)
    return (
        np.asarray(demand_idx, dtype=int),
        np.asarray(supply_idx, dtype=int),
        np.asarray(distance, dtype=float),
    )


def e2sfca(
    demand: np.ndarray,
    supply: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    catchment: np.ndarray,
    weight: Callable[[np.ndarray, np.ndarray], np.ndarray],
    *,
    pair_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, Pairs]:
    """E2SFCA access per demand point from precomputed pairs.

    Parameters
    ----------
    demand
        Demand per demand point (lonely residents).
    supply
        Supply per supply point (capacity).
    pairs
        ``(demand index, supply index, distance)`` within reach.
    catchment
        Catchment per demand point (m).
    weight
        ``W(distance, catchment)``.
    pair_weight
        An extra weight per pair (0-1) multiplying ``W`` in both steps: the share of the demand
        point's people the activity suits (language fit, :mod:`geo.analysis.language`).

    Returns
    -------
    access, pairs
        Supply per unit of demand reachable from each demand point, and the weighted pairs.
    """
    demand_idx, supply_idx, distance = pairs
    w = weight(distance, catchment[demand_idx])
    if pair_weight is not None:
        w = w * pair_weight
    weighted_demand = np.bincount(supply_idx, weights=demand[demand_idx] * w, minlength=len(supply))
    ratio = np.divide(
        supply, weighted_demand, out=np.zeros(len(supply), dtype=float), where=weighted_demand > 0
    )
    access = np.bincount(demand_idx, weights=ratio[supply_idx] * w, minlength=len(demand))
    return access.astype(float), Pairs(demand_idx, supply_idx, distance, w)


def serving_activities(activities: gpd.GeoDataFrame, group: str) -> gpd.GeoDataFrame:
    """Located activities whose doelgroepen and soort serve a focus group (any time)."""
    if activities.empty:
        return activities
    wanted_groups = set(GROUP_DOELGROEPEN[group])
    wanted_soorten = set(GROUP_SOORTEN[group])
    located = has_shape(activities)
    serves = _per_value(
        activities["doelgroepen"],
        lambda v: bool(set(split_keys(v) or ["iedereen"]) & wanted_groups),
    )
    soort = activities["soort"].isin(wanted_soorten).to_numpy()
    return activities[located & serves & soort]


def suitable_activities(
    activities: gpd.GeoDataFrame,
    group: str,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    stops: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Located activities that serve a focus group: doelgroepen, soort, and times that may fit.

    An activity whose known times clearly do not fit the group (time weight 0,
    :func:`~geo.analysis.timefit.time_weights`) is left out; unknown times stay in.
    """
    serving = serving_activities(activities, group)
    if serving.empty:
        return serving
    weights = time_weights(serving, group, settings=settings, stops=stops)
    return serving[weights["time_fit"].to_numpy() > 0]


def _per_value(values: pd.Series, test: Callable[[object], bool]) -> np.ndarray:
    """``test`` applied once per distinct value (fast on 100,000 rows with few distinct keys)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    answers = np.array([test(v) for v in uniques] + [test(None)], dtype=bool)
    return answers[codes]  # the sentinel -1 picks test(None)


def has_shape(frame: gpd.GeoDataFrame) -> np.ndarray:
    """True where a row has a geometry that is neither missing nor empty (nor ``POINT (NaN NaN)``).

    Examples
    --------
    >>> from shapely.geometry import Point, Polygon
    >>> shapes = [Point(0, 0), Polygon(), None, Point(float("nan"), float("nan"))]
    >>> has_shape(gpd.GeoDataFrame(geometry=shapes)).tolist()
    [True, False, False, False]
    """
    geometry = frame.geometry.to_numpy()
    nan_point = (shapely.get_type_id(geometry) == 0) & ~np.isfinite(shapely.get_x(geometry))
    return ~(shapely.is_missing(geometry) | shapely.is_empty(geometry) | nan_point)


def demand_points(buurten: gpd.GeoDataFrame) -> np.ndarray:
    """One demand point per buurt: a point guaranteed inside it (no address data is used).

    A buurt without a shape (empty geometry, e.g. collapsed by a coarse boundary file) gets
    NaN coordinates: it reaches nothing and its access is unknown (NaN).
    """
    points = buurten.geometry.representative_point()
    return np.column_stack([points.x.to_numpy(), points.y.to_numpy()])


def buurtmobiel_coverage(
    buurten: gpd.GeoDataFrame, services: gpd.GeoDataFrame, settings: AnalysisSettings
) -> pd.Series:
    """Name of the Buurtmobiel-like service whose area holds each buurt's demand point ('' none)."""
    names = service_at(demand_points(buurten), services, settings)
    return pd.Series(names, index=buurten.index, dtype=object)


def service_at(
    xy: np.ndarray, services: gpd.GeoDataFrame | None, settings: AnalysisSettings
) -> np.ndarray:
    """Name of the Buurtmobiel-like service whose area holds each point ('' none)."""
    out = np.full(len(xy), "", dtype=object)
    if services is None or services.empty:
        return out
    usable = services[services["dienst"].isin(settings.buurtmobiel_services) & has_shape(services)]
    located = np.flatnonzero(np.isfinite(xy).all(axis=1))
    if usable.empty or len(located) == 0:
        return out
    tree = shapely.STRtree(shapely.points(xy[located]))
    service_idx, point_idx = tree.query(usable.geometry.to_numpy(), predicate="contains")
    first = pd.Series(service_idx).groupby(point_idx).min()  # the first service listed wins
    names = usable["naam"].astype(str).to_numpy()
    out[located[first.index.to_numpy()]] = names[first.to_numpy()]
    return out


def reachable_offer(
    buurten: gpd.GeoDataFrame,
    need: pd.DataFrame,
    activities: gpd.GeoDataFrame,
    *,
    group: str,
    settings: AnalysisSettings = AnalysisSettings(),
    services: gpd.GeoDataFrame | None = None,
    graph: object | None = None,
    network: WalkNetworkLike | None = None,
    points: DemandPoints | None = None,
    stops: gpd.GeoDataFrame | None = None,
    origins: OriginShares | None = None,
) -> pd.DataFrame:
    """Reachable offer and coverage per buurt for one focus group, from its demand points.

    The group's lonely residents of each buurt are spread over its demand points
    (:mod:`geo.analysis.demand`); E2SFCA runs on demand-point × activity pairs and the
    results are summed back to the buurt (access weighted by the points' shares of people).

    Parameters
    ----------
    buurten
        Buurt areas (EPSG:28992) with ``code``.
    need
        Output of :func:`~geo.analysis.need.estimate_need` (demand = ``lonely`` of the group).
    activities
        The activiteiten layer.
    group
        Focus group.
    settings
        Catchments (minutes and speeds over a network, metres otherwise), decay, detour
        factor, snapping, Buurtmobiel extension.
    services
        The buurtmobiel layer (service areas): demand points inside get the larger catchment.
    graph
        Optional networkx street graph (``x``/``y``, ``length``): the old, slow network path.
    network
        The walking network of the data folder (``WalkNetwork``): shortest paths over it.
    points
        Demand points (default: one point per buurt, ``buurtmiddelpunt``).
    stops
        The ov_haltes layer: with departures per dagdeel, the OV hours of the time fit
        (:mod:`geo.analysis.timefit`) for the groups that depend on OV.
    origins
        The origin composition of each buurt's migrant elders
        (:func:`~geo.analysis.language.origin_shares`): for migrantenouderen every pair is
        weighed by the share of the buurt's migrant elders the activity's languages serve.

    Time fit: every activity's capacity is multiplied by its time weight
    (:func:`~geo.analysis.timefit.time_weights`: 1 fits, 0.5 unknown, 0 does not fit); an
    activity with weight 0 is not counted in ``reachable`` but in ``reachable_other_times``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``buurten``: ``code``, ``access``, ``reachable_offer`` (per 1,000 lonely
        residents), ``covered_lonely`` (lonely residents living within the catchment of at
        least one suitable activity), ``reachable`` (suitable activities within reach of any
        of the buurt's points), ``reachable_<soort>`` per soort, ``reachable_other_times``
        (activities in reach that serve the group at other dagdelen only),
        ``reachable_time_unknown`` and ``reachable_no_ov`` (counted ones with unknown times,
        or without OV at their hours), ``language_source`` (migrantenouderen), ``nearest_m``
        (share-weighted, straight line × detour), ``catchment_m``, ``buurtmobiel``,
        ``demand_source`` and ``demand_points``. ``attrs`` holds ``distance_method``,
        ``demand_source``, ``unsnapped`` and ``unsnapped_supply`` (demand points and
        activities too far from the network), ``pairs`` (per buurt the activities in
        reach, :func:`~geo.analysis._reach_points.buurt_pairs`), ``supply`` (per activity
        that serves the group: ``capaciteit``, ``time_fit``, ``time_status``), ``time_fit``
        and ``language_fit`` (the rules and counts, for the JSON outputs).

    Examples
    --------
    >>> offer = reachable_offer(buurten, need, layers["activiteiten"], group="ouderen")
    ... # doctest: +SKIP
    """
    demand_table = need[(need["group"] == group) & (need["niveau"] == "buurt")].set_index("code")
    totals = demand_table["lonely"].reindex(buurten["code"]).fillna(0).to_numpy(dtype=float)
    supply_frame = serving_activities(activities, group)
    supply_xy = point_xy(supply_frame)
    points = points if points is not None else demand_points_from(buurten)
    method = "hemelsbreed" if network is None and graph is None else "netwerk"
    demand = points.spread(totals, group, settings)
    base = settings.catchment(group, method)
    served_by = (
        service_at(points.xy, services, settings)
        if group in ELDERLY
        else np.full(len(points.xy), "", dtype=object)
    )
    wider = max(base, settings.buurtmobiel_catchment_m)
    catchment = np.where(served_by != "", wider, base).astype(float)
    unsnapped = unsnapped_supply = 0
    if network is not None:
        pairs = network.pairs(points.xy, supply_xy, catchment, max_snap_m=settings.max_snap_m)
        located = np.isfinite(points.xy).all(axis=1)
        # count what pairs() could not place: to the nearest street where the network can
        snapper = getattr(network, "snap_to_street", None) or network.snap
        _, snap = snapper(points.xy[located], max_snap_m=settings.max_snap_m)
        _, supply_snap = snapper(supply_xy, max_snap_m=settings.max_snap_m)
        unsnapped = int((~np.isfinite(snap)).sum())
        unsnapped_supply = int((~np.isfinite(supply_snap)).sum())
    elif graph is not None:
        pairs = network_pairs(points.xy, supply_xy, catchment, graph)
    else:
        pairs = straight_pairs(
            points.xy, supply_xy, catchment, detour_factor=settings.detour_factor
        )
    offer = offer_from_pairs(
        buurten,
        points,
        demand,
        supply_frame,
        pairs,
        catchment,
        served_by,
        group=group,
        settings=settings,
        stops=stops,
        origins=origins,
    )
    out, kept, times = offer.offer, offer.kept, offer.times
    capacity, time_fit = offer.capacity, offer.time_fit
    out = out[[*OFFER_COLUMNS, *[c for c in out.columns if c not in OFFER_COLUMNS]]]
    out.attrs.update(
        distance_method=method,
        demand_source=points.demand_source,
        unsnapped=unsnapped,
        unsnapped_supply=unsnapped_supply,
        pairs=buurt_pairs(buurten, points, kept, supply_frame),
        supply=pd.DataFrame(
            {"capaciteit": capacity, "time_fit": time_fit, "time_status": times["time_status"]},
            index=supply_frame.index,
        ),
        time_fit=time_fit_summary(times, group, settings),
        language_fit=_language_summary(group, settings, origins, offer.language),
    )
    logger.info(
        "bereik %s (%s, %s): %d vraagpunten, %d paren, %d buurten zonder passend aanbod",
        group,
        method,
        points.demand_source,
        len(points.xy),
        len(offer.weighted.demand),
        int((out["reachable"] == 0).sum()),
    )
    return out


OFFER_COLUMNS = ["code", "access", "reachable_offer", "catchment_m", "buurtmobiel"]


@dataclass
class Offer:
    """Reach of one group from given demand-point × activity pairs (:func:`offer_from_pairs`)."""

    offer: pd.DataFrame
    """Per buurt, the columns of :func:`reachable_offer` without its ``attrs``."""
    weighted: Pairs
    """Every pair with its decay (and language) weight."""
    kept: Pairs
    """The pairs that count: time weight and pair weight above 0."""
    times: pd.DataFrame
    """:func:`~geo.analysis.timefit.time_weights` of the serving activities."""
    capacity: np.ndarray
    time_fit: np.ndarray
    language: bool
    """True when the language fit weighed the pairs (migrantenouderen with origins)."""
    covered_share: np.ndarray
    """Per demand point, the share of its lonely residents that is covered (0-1)."""


def offer_from_pairs(
    buurten: gpd.GeoDataFrame,
    points: DemandPoints,
    demand: np.ndarray,
    supply: gpd.GeoDataFrame,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    catchment: np.ndarray,
    served_by: np.ndarray,
    *,
    group: str,
    settings: AnalysisSettings = AnalysisSettings(),
    stops: gpd.GeoDataFrame | None = None,
    origins: OriginShares | None = None,
) -> Offer:
    """Reach per buurt from the pairs of demand points and serving activities.

    The step of :func:`reachable_offer` after the distances: time fit, language fit, E2SFCA
    and the sums per buurt. The what-if engine (:mod:`geo.analysis.whatif`) calls it with
    its own, partly recomputed pairs, so a scenario is scored exactly as the analysis.
    """
    times = time_weights(supply, group, settings=settings, stops=stops)
    time_fit = times["time_fit"].to_numpy(dtype=float)
    capacity = (
        pd.to_numeric(supply["capaciteit"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
        if len(supply)
        else np.empty(0)
    )
    share = points.shares(group, settings)
    language = _language(buurten, points, pairs, supply, group, settings, origins)
    access_p, weighted = e2sfca(
        demand,
        capacity * time_fit,
        pairs,
        catchment,
        decay(settings),
        pair_weight=None if language is None else language[0],
    )
    kept = _subset(weighted, (time_fit[weighted.supply] > 0) & (weighted.weight > 0))
    covered = None if language is None else language[1](kept)
    out = to_buurten(buurten, points, share, demand, access_p, kept, supply, covered)
    status = times["time_status"].to_numpy(dtype=object)
    other = _subset(weighted, time_fit[weighted.supply] == 0)
    out["reachable_other_times"] = distinct_count(buurten, points, other, len(supply))
    for column, wanted in (("reachable_time_unknown", UNKNOWN), ("reachable_no_ov", NO_OV)):
        part = _subset(kept, status[kept.supply] == wanted)
        out[column] = distinct_count(buurten, points, part, len(supply))
    if language is not None and origins is not None:
        out["language_source"] = origins.source.reindex(buurten["code"]).to_numpy()
    anchor = anchor_points(points, share)
    out["catchment_m"] = catchment[anchor]
    out["buurtmobiel"] = served_by[anchor]
    out["nearest_m"] = per_buurt_mean(
        points, share, _nearest(points.xy, point_xy(supply), settings)
    )
    if covered is None:
        covered = (np.bincount(kept.demand, minlength=len(points.xy)) > 0).astype(float)
    return Offer(
        offer=out,
        weighted=weighted,
        kept=kept,
        times=times,
        capacity=capacity,
        time_fit=time_fit,
        language=language is not None,
        covered_share=np.asarray(covered, dtype=float),
    )


def point_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Coordinates (RD) of a point layer, ``(n, 2)``."""
    if len(frame) == 0:
        return np.empty((0, 2))
    return np.column_stack([frame.geometry.x, frame.geometry.y])


def _subset(pairs: Pairs, keep: np.ndarray) -> Pairs:
    return Pairs(pairs.demand[keep], pairs.supply[keep], pairs.distance[keep], pairs.weight[keep])


def _language(
    buurten: gpd.GeoDataFrame,
    points: DemandPoints,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    supply: gpd.GeoDataFrame,
    group: str,
    settings: AnalysisSettings,
    origins: OriginShares | None,
) -> tuple[np.ndarray, Callable[[Pairs], np.ndarray]] | None:
    """Language weight per pair and the covered share per demand point (migrantenouderen)."""
    if group != "migrantenouderen" or not settings.language_fit or origins is None:
        return None
    shares = origins.shares.reindex(buurten["code"].astype(str)).to_numpy(dtype=float)
    fit = origin_fit(supply, settings).reindex(columns=origins.shares.columns).to_numpy(bool)
    weights = language_weights(points.buurt[pairs[0]], pairs[1], shares, fit)

    def covered(kept: Pairs) -> np.ndarray:
        """Share of a point's migrant elders with an activity of their origin in reach."""
        any_fit = np.zeros((len(points.xy), fit.shape[1]))
        if len(kept.demand):
            np.maximum.at(any_fit, kept.demand, fit[kept.supply].astype(float))
        part = shares[points.buurt]
        known = np.isfinite(part).all(axis=1)
        reaches = (np.bincount(kept.demand, minlength=len(points.xy)) > 0).astype(float)
        return np.where(known, (np.nan_to_num(part) * any_fit).sum(axis=1), reaches)

    return weights, covered


def _language_summary(
    group: str, settings: AnalysisSettings, origins: OriginShares | None, used: bool
) -> dict[str, object]:
    """The ``language_fit`` key of the JSON outputs."""
    if group != "migrantenouderen":
        return {"used": False, "note": "Taal: alleen gewogen voor migrantenouderen."}
    if not used or origins is None:
        why = "uitgezet" if not settings.language_fit else "geen herkomstgegevens"
        return {"used": False, "note": f"Taal: niet gewogen ({why})."}
    return {
        "used": True,
        "rule": (
            "Elk paar buurt × activiteit telt voor het aandeel van de migrantenouderen in de "
            "buurt van wie de herkomst bij de talen of de gemeenschap van de activiteit past."
        ),
        "origin_languages": {k: list(v) for k, v in settings.origin_languages},
        "default_language": settings.default_language,
        "sources": {str(k): int(v) for k, v in origins.source.value_counts().items()},
        "note": origins.note,
    }


def _nearest(
    demand_xy: np.ndarray, supply_xy: np.ndarray, settings: AnalysisSettings
) -> np.ndarray:
    out = np.full(len(demand_xy), np.nan)
    located = np.isfinite(demand_xy).all(axis=1)
    if len(supply_xy) == 0 or not located.any():
        return out
    distance, _ = cKDTree(supply_xy).query(demand_xy[located])
    out[located] = np.asarray(distance) * settings.detour_factor
    return out
