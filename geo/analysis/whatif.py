"""Fast what-if: a scenario's effect on reach, coverage and gaps from a cached analysis.

:func:`prepare_whatif` runs the gap analysis once and keeps what reach was computed from —
demand points, the group's lonely (and severely lonely) residents per point, catchments, the
suitable activities and their demand-supply pairs. :meth:`WhatIf.evaluate` then applies a
:class:`~geo.analysis.scenario.Scenario` and recomputes only what it touches:

* a new activity: its pairs with the demand points within straight-line reach of it (a walk
  over the network is never shorter than the straight line), by the same method as the
  analysis (network or straight line × detour);
* a removed activity: its pairs are dropped;
* a new Buurtmobiel area: the demand points whose catchment grows get new pairs, and the
  transport-poverty index is recomputed.

E2SFCA, coverage and the gap scores are then recomputed from the pairs (sums over arrays; a
few milliseconds). "Covered" is the analysis's own notion (``covered_lonely``): a demand
point is covered when at least one suitable activity is within its catchment — so a what-if
gives the same numbers as a full :func:`~geo.analysis.pipeline.analyse` of the changed aanbod
(tested). The rank certainty (Monte Carlo) and hot spots are not recomputed for a what-if.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.aanbod.schema import LAYERS
from geo.analysis.demand import DemandPoints, demand_points_from
from geo.analysis.gaps import aggregate_gaps, score_gaps
from geo.analysis.language import OriginShares
from geo.analysis.method import catchment_texts, folder_network, folder_points
from geo.analysis.pipeline import GapResult, analyse, empty_layer, origins_for, unit_members
from geo.analysis.reach import (
    WalkNetworkLike,
    offer_from_pairs,
    point_xy,
    service_at,
    serving_activities,
    straight_pairs,
)
from geo.analysis.scenario import Scenario, apply_scenario
from geo.analysis.transport import transport_poverty
from geo.model.dataset import Dataset
from geo.settings import ELDERLY, AnalysisSettings

logger = logging.getLogger(__name__)

SCORE_COLUMNS = ("reference_offer", "served_share", "unserved", "gap_score", "rank", "reason")
TRANSPORT_COLUMNS = (
    "autos_per_huishouden",
    "afstand_ov_m",
    "vertrekken_per_uur",
    "moeite_rondkomen",
    "buurtmobiel",
    "transport_index",
)


@dataclass
class Outcome:
    """A scenario's analysis and its demand points' coverage.

    ``result`` is a :class:`GapResult` without rank certainty and hot spots.
    """

    result: GapResult
    covered: np.ndarray
    """Per demand point: at least one suitable activity within its catchment."""
    layers: dict[str, gpd.GeoDataFrame] = field(repr=False, default_factory=dict)


@dataclass
class WhatIf:
    """A cached analysis of one focus group that evaluates scenarios quickly.

    Build with :func:`prepare_whatif`. Attributes are the inputs of reach, per demand point
    (``demand``, ``severe``, ``catchment``, ``served_by``) and per suitable activity
    (``supply``, ``capacity``), and the base pairs.
    """

    dataset: Dataset
    layers: dict[str, gpd.GeoDataFrame]
    base: GapResult
    settings: AnalysisSettings
    network: WalkNetworkLike | None
    points: DemandPoints
    buurten: gpd.GeoDataFrame
    demand: np.ndarray
    severe: np.ndarray
    catchment: np.ndarray
    served_by: np.ndarray
    supply: gpd.GeoDataFrame
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray]
    covered: np.ndarray
    origins: OriginShares | None = None

    @property
    def group(self) -> str:
        """The focus group."""
        return self.base.group

    @property
    def method(self) -> str:
        """``netwerk`` or ``hemelsbreed``."""
        return "hemelsbreed" if self.network is None else "netwerk"

    def pairs_to(
        self, xy: np.ndarray, *, rows: np.ndarray | None = None, catchment: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs of demand points (all, or ``rows``) with the places ``xy`` (RD).

        By the analysis's distance method; demand indices are positions in :attr:`points`.

        Only demand points within straight-line reach of one of the places are routed.
        """
        catchment = self.catchment if catchment is None else catchment
        empty = (np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=float))
        if len(xy) == 0:
            return empty
        candidates = np.arange(len(self.points.xy)) if rows is None else np.asarray(rows)
        located = candidates[np.isfinite(self.points.xy[candidates]).all(axis=1)]
        if len(located) == 0:
            return empty
        reach = float(catchment[located].max())
        near = cKDTree(xy).query_ball_point(self.points.xy[located], r=reach)
        keep = located[np.fromiter((len(n) > 0 for n in near), dtype=bool, count=len(near))]
        if len(keep) == 0:
            return empty
        if self.network is not None:
            d, s, m = self.network.pairs(
                self.points.xy[keep], xy, catchment[keep], max_snap_m=self.settings.max_snap_m
            )
        else:
            d, s, m = straight_pairs(
                self.points.xy[keep], xy, catchment[keep], detour_factor=self.settings.detour_factor
            )
        return keep[d], s, m

    def evaluate(self, scenario: Scenario) -> Outcome:
        """The analysis with the scenario's changes, from the cached pairs.

        Examples
        --------
        >>> whatif = prepare_whatif(dataset, aanbod.layers, group="ouderen")  # doctest: +SKIP
        >>> outcome = whatif.evaluate(Scenario("inloop", nieuw=(NewActivity(5.1, 52.1),)))
        ... # doctest: +SKIP
        """
        group = self.group
        layers = apply_scenario(self.layers, scenario, group=group, areas=self.dataset.areas)
        after = serving_activities(layers["activiteiten"], group)
        position = pd.Series(np.arange(len(self.supply)), index=self.supply.index)
        old_labels = after.index[after.index.isin(self.supply.index)]
        new_labels = after.index[~after.index.isin(self.supply.index)]
        order = [*old_labels, *new_labels]
        after = after.loc[order]
        remap = np.full(len(self.supply), -1, dtype=int)
        remap[position[old_labels].to_numpy()] = np.arange(len(old_labels))
        catchment, served_by = self.catchment, self.served_by
        # a service area changes the transport index of every group, the catchment of the
        # elderly groups only (as in the analysis)
        services_changed = bool(scenario.buurtmobiel)
        if services_changed and group in ELDERLY:
            served_by = service_at(self.points.xy, layers["buurtmobiel"], self.settings)
            base = self.settings.catchment(group, self.method)
            wider = max(base, self.settings.buurtmobiel_catchment_m)
            catchment = np.where(served_by != "", wider, base).astype(float)
        changed = np.flatnonzero(catchment != self.catchment)
        demand_idx, supply_idx, distance = self.pairs
        keep = remap[supply_idx] >= 0
        if len(changed):
            keep &= ~np.isin(demand_idx, changed)
        parts = [(demand_idx[keep], remap[supply_idx[keep]], distance[keep])]
        xy_after = point_xy(after)
        if len(new_labels):
            unchanged = np.setdiff1d(np.arange(len(self.points.xy)), changed)
            d, s, m = self.pairs_to(
                xy_after[len(old_labels) :], rows=unchanged, catchment=catchment
            )
            parts.append((d, s + len(old_labels), m))
        if len(changed):
            parts.append(self.pairs_to(xy_after, rows=changed, catchment=catchment))
        pairs = tuple(np.concatenate([p[k] for p in parts]) for k in range(3))
        result, covered = self._result(layers, after, pairs, catchment, served_by, services_changed)
        logger.info(
            "what-if %r: %d nieuw, %d weg, %d buurtmobiel; %d paren (%d punten opnieuw)",
            scenario.naam,
            len(scenario.nieuw),
            len(scenario.weg),
            len(scenario.buurtmobiel),
            len(pairs[0]),
            len(changed),
        )
        return Outcome(result=result, covered=covered, layers=layers)

    def _result(
        self,
        layers: dict[str, gpd.GeoDataFrame],
        supply: gpd.GeoDataFrame,
        pairs: tuple[np.ndarray, ...],
        catchment: np.ndarray,
        served_by: np.ndarray,
        services_changed: bool,
    ) -> tuple[GapResult, np.ndarray]:
        group, settings, points = self.group, self.settings, self.points
        reach = offer_from_pairs(
            self.buurten,
            points,
            self.demand,
            supply,
            (pairs[0], pairs[1], pairs[2]),
            catchment,
            served_by,
            group=group,
            settings=settings,
            stops=self._stops(layers),
            origins=self.origins,
        )
        offer = reach.offer.drop(columns=["buurtmobiel"])
        base = self.base.buurten
        frame = base.drop(
            columns=[c for c in base.columns if c in offer.columns and c != "code"]
            + [c for c in (*SCORE_COLUMNS, "catchment_text", "rank_low", "rank_high") if c in base]
            + [c for c in ("top_share", "certainty") if c in base]
        )
        frame = frame.merge(offer, on="code", how="left")
        if services_changed:
            frame = self._transport(frame, layers)
        frame["capacity_total"] = float((reach.capacity * reach.time_fit).sum())
        frame["catchment_text"] = catchment_texts(
            frame["catchment_m"], settings, group, self.base.method
        )
        scored = gpd.GeoDataFrame(
            score_gaps(frame, group=group, settings=settings), geometry="geometry", crs=base.crs
        )
        units = {n: self._units(scored, n) for n in LEVELS[1:]}
        covered = reach.covered_share > 0
        result = replace(
            self.base,
            buurten=scored,
            wijken=units["wijk"],
            gebieden=units["gebied"],
            gemeente=units["gemeente"],
            hotspots=self.base.hotspots.iloc[0:0],
            reach_pairs=None,
        )
        return result, covered

    def _units(self, scored: gpd.GeoDataFrame, niveau: str) -> gpd.GeoDataFrame:
        """Wijken, focus areas or the gemeente summed from scored buurten.

        As the analysis does (:func:`~geo.analysis.gaps.aggregate_gaps`), with the members,
        shapes and published figures of the base analysis (they do not change).
        """
        members, names = self._members(niveau)
        units = aggregate_gaps(
            scored,
            members,
            niveau=niveau,
            names=names,
            group=self.group,
            min_group_size=self.settings.min_group_size,
        )
        base = self.base.level(niveau).set_index("code")
        if units.empty:
            return gpd.GeoDataFrame(units, geometry=[], crs=scored.crs)
        for column in [c for c in base.columns if c.endswith("_published")]:
            units[column] = units["code"].map(base[column])
        units["geometry"] = units["code"].map(base.geometry)
        return gpd.GeoDataFrame(units, geometry="geometry", crs=scored.crs)

    def _members(self, niveau: str) -> tuple[dict[str, list[str]], dict[str, str]]:
        cache = self.__dict__.setdefault("_member_cache", {})
        if niveau not in cache:
            members, names, _ = unit_members(self.dataset, self.base.buurten, niveau)
            cache[niveau] = (members, names)
        return cache[niveau]  # type: ignore[no-any-return]

    def _stops(self, layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
        """The analysis's stops (its timetable when the folder has one; scenarios keep them)."""
        return self.base.ov_haltes if self.base.ov_haltes is not None else layers["ov_haltes"]

    def _transport(
        self, frame: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame]
    ) -> gpd.GeoDataFrame:
        year, pop_year = self.base.year, self.base.population_year
        transport = transport_poverty(
            self.buurten,
            self.dataset.population(pop_year),
            self.dataset.figures,
            stops=self._stops(layers),
            services=layers["buurtmobiel"],
            year=year,
            settings=self.settings,
            network=self.network,
            points=self.points,
        ).rename(columns={"index": "transport_index"})
        frame = frame.drop(columns=[c for c in TRANSPORT_COLUMNS if c in frame])
        return frame.merge(transport[["code", *TRANSPORT_COLUMNS]], on="code", how="left")


LEVELS = ("buurt", "wijk", "gebied", "gemeente")


def prepare_whatif(
    dataset: Dataset,
    layers: Mapping[str, gpd.GeoDataFrame] | None,
    *,
    group: str,
    settings: AnalysisSettings = AnalysisSettings(),
    network: WalkNetworkLike | Literal["auto"] | None = "auto",
    points: DemandPoints | Literal["auto"] | None = "auto",
) -> WhatIf:
    """Analyse once (without hot spots) and keep what a what-if needs.

    Parameters are those of :func:`~geo.analysis.pipeline.analyse` (``"auto"`` reads the
    folder's ``netwerk/`` and ``bevolking/``).

    Returns
    -------
    WhatIf

    Examples
    --------
    >>> whatif = prepare_whatif(dataset, aanbod.layers, group="alleenstaande-ouderen")
    ... # doctest: +SKIP
    """
    given = {name: layer for name, layer in dict(layers or {}).items() if layer is not None}
    for name in LAYERS:
        given.setdefault(name, empty_layer(name))
    buurten = dataset.level("buurt").reset_index(drop=True)
    if isinstance(network, str):
        network = folder_network(dataset.path)
    if isinstance(points, str):
        points = folder_points(dataset, buurten, _population_year(dataset, settings), [])
    points = points if points is not None else demand_points_from(buurten)
    base = analyse(
        dataset,
        given,
        group=group,
        settings=settings,
        network=network,
        points=points,
        hotspots=False,
    )
    need = base.need[(base.need["group"] == group) & (base.need["niveau"] == "buurt")]
    need = need.set_index("code")
    lonely = need["lonely"].reindex(buurten["code"]).fillna(0).to_numpy(dtype=float)
    severe = need["severely_lonely"].reindex(buurten["code"]).fillna(0).to_numpy(dtype=float)
    method = base.distance_method
    served_by = (
        service_at(points.xy, given["buurtmobiel"], settings)
        if group in ELDERLY
        else np.full(len(points.xy), "", dtype=object)
    )
    catchment_base = settings.catchment(group, method)
    wider = max(catchment_base, settings.buurtmobiel_catchment_m)
    catchment = np.where(served_by != "", wider, catchment_base).astype(float)
    supply = serving_activities(given["activiteiten"], group)
    whatif = WhatIf(
        dataset=dataset,
        layers=given,
        base=base,
        settings=settings,
        network=network,
        points=points,
        buurten=buurten,
        demand=points.spread(lonely, group, settings),
        severe=points.spread(severe, group, settings),
        catchment=catchment,
        served_by=served_by,
        supply=supply,
        pairs=(np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=float)),
        covered=np.zeros(len(points.xy), dtype=bool),
        origins=origins_for(dataset, buurten, group, "auto", base.population_year, settings),
    )
    whatif.pairs = whatif.pairs_to(point_xy(supply))
    _, whatif.covered = whatif._result(
        given, supply, whatif.pairs, catchment, served_by, services_changed=False
    )
    logger.info(
        "what-if voorbereid: %s, %d vraagpunten, %d activiteiten, %d paren",
        group,
        len(points.xy),
        len(supply),
        len(whatif.pairs[0]),
    )
    return whatif


def point_units(whatif: WhatIf, niveau: str) -> dict[str, np.ndarray]:
    """Per unit of a level (code, or name for focus areas) the positions of its demand points."""
    cache = whatif.__dict__.setdefault("_point_cache", {})
    if niveau in cache:
        return cache[niveau]  # type: ignore[no-any-return]
    codes = whatif.buurten["code"].to_numpy()[whatif.points.buurt]
    by_buurt = {str(k): v.to_numpy() for k, v in pd.Series(np.arange(len(codes))).groupby(codes)}
    if niveau == "buurt":
        out = by_buurt
    else:
        members, _ = whatif._members(niveau)
        empty = np.array([], dtype=int)
        out = {
            str(unit): np.concatenate([by_buurt.get(c, empty) for c in buurt_codes] or [empty])
            for unit, buurt_codes in members.items()
        }
    cache[niveau] = out
    return out


def _population_year(dataset: Dataset, settings: AnalysisSettings) -> int | None:
    from geo.analysis.need import latest_year, population_year

    return population_year(dataset, settings, latest_year(dataset, settings))


@dataclass
class Comparison:
    """Before and after a scenario, for one focus group.

    Attributes
    ----------
    newly_covered_lonely, no_longer_covered_lonely
        Lonely residents of the group (all areas) whose demand point is covered after and not
        before, and the other way round.
    newly_covered_severely
        Of the newly covered, the severely lonely.
    areas
        One row per buurt, wijk, focus area and the gemeente (``niveau``): ``code``, ``naam``,
        ``covered_before``, ``covered_after``, ``newly_covered``, ``no_longer_covered``,
        ``offer_before``, ``offer_after`` (reachable offer per 1,000 lonely residents),
        ``gap_before``, ``gap_after``, ``rank_before``, ``rank_after``, ``rank_change``
        (after minus before: positive = lower on the gap list).
    """

    group: str
    newly_covered_lonely: float
    no_longer_covered_lonely: float
    newly_covered_severely: float
    areas: pd.DataFrame


def compare(whatif: WhatIf, outcome: Outcome) -> Comparison:
    """What a scenario changes: coverage, reachable offer, gap score and rank per area.

    Examples
    --------
    >>> found = compare(whatif, whatif.evaluate(scenario))  # doctest: +SKIP
    >>> round(found.newly_covered_lonely)  # doctest: +SKIP
    214
    """
    gained = outcome.covered & ~whatif.covered
    lost = whatif.covered & ~outcome.covered
    rows = []
    before, after = whatif.base, outcome.result
    for niveau in LEVELS:
        old = before.level(niveau).set_index("code")
        new = after.level(niveau).set_index("code")
        units = point_units(whatif, niveau)
        for code in new.index:
            idx = units.get(str(code), np.array([], dtype=int))
            rows.append(
                {
                    "niveau": niveau,
                    "code": str(code),
                    "naam": str(new.loc[code, "naam"]),
                    "covered_before": _num(old.loc[code, "covered_lonely"]),
                    "covered_after": _num(new.loc[code, "covered_lonely"]),
                    "newly_covered": float(whatif.demand[idx][gained[idx]].sum()),
                    "no_longer_covered": float(whatif.demand[idx][lost[idx]].sum()),
                    "offer_before": _num(old.loc[code, "reachable_offer"]),
                    "offer_after": _num(new.loc[code, "reachable_offer"]),
                    "gap_before": _num(old.loc[code, "gap_score"]),
                    "gap_after": _num(new.loc[code, "gap_score"]),
                    "rank_before": int(old.loc[code, "rank"]),
                    "rank_after": int(new.loc[code, "rank"]),
                }
            )
    areas = pd.DataFrame(rows)
    areas["rank_change"] = areas["rank_after"] - areas["rank_before"]
    return Comparison(
        group=whatif.group,
        newly_covered_lonely=float(whatif.demand[gained].sum()),
        no_longer_covered_lonely=float(whatif.demand[lost].sum()),
        newly_covered_severely=float(whatif.severe[gained].sum()),
        areas=areas,
    )


def _num(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return number
