"""Demand-point results of the reach step summed to buurten (private to :mod:`reach`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aanbod.schema import SOORTEN
from geo.analysis.demand import DemandPoints

if TYPE_CHECKING:
    from geo.analysis.reach import Pairs


def to_buurten(
    buurten: gpd.GeoDataFrame,
    points: DemandPoints,
    share: np.ndarray,
    demand: np.ndarray,
    access_p: np.ndarray,
    weighted: Pairs,
    supply_frame: gpd.GeoDataFrame,
    covered_share: np.ndarray | None = None,
) -> pd.DataFrame:
    """Point results summed to buurten (one point per buurt: the point's values, unchanged).

    ``covered_share`` is per demand point the share of its people with suitable offer in
    reach (default: 1 when any pair reaches it, else 0).
    """
    n = len(buurten)
    located_p = np.isfinite(points.xy).all(axis=1)
    access = np.bincount(points.buurt, weights=share * access_p, minlength=n)
    located = np.bincount(points.buurt, weights=located_p.astype(float), minlength=n) > 0
    access[~located] = np.nan
    out = pd.DataFrame(
        {
            "code": buurten["code"].to_numpy(),
            "access": access,
            "reachable_offer": access * 1000,
        },
        index=buurten.index,
    )
    reaches = (
        np.bincount(weighted.demand, minlength=len(points.xy)) > 0
        if covered_share is None
        else covered_share
    )
    out["covered_lonely"] = np.bincount(points.buurt, weights=demand * reaches, minlength=n)
    buurt_of_pair = points.buurt[weighted.demand]
    distinct = _distinct_pairs(buurt_of_pair, weighted.supply, len(supply_frame))
    out["reachable"] = np.bincount(buurt_of_pair[distinct], minlength=n)
    soorten = supply_frame["soort"].to_numpy() if len(supply_frame) else np.array([])
    for soort in SOORTEN:
        mask = distinct & (soorten[weighted.supply] == soort) if len(weighted.supply) else distinct
        out[f"reachable_{soort}"] = np.bincount(buurt_of_pair[mask], minlength=n)
    out["demand_source"] = points.buurt_method()
    out["demand_points"] = np.bincount(points.buurt, minlength=n)
    return out


def distinct_count(
    buurten: gpd.GeoDataFrame, points: DemandPoints, pairs: Pairs, n_supply: int
) -> np.ndarray:
    """Per buurt the number of distinct activities among ``pairs``."""
    buurt_of_pair = points.buurt[pairs.demand]
    distinct = _distinct_pairs(buurt_of_pair, pairs.supply, n_supply)
    return np.bincount(buurt_of_pair[distinct], minlength=len(buurten))


def _distinct_pairs(buurt: np.ndarray, supply: np.ndarray, n_supply: int) -> np.ndarray:
    """True on the first pair of every (buurt, activity) combination."""
    keys = buurt.astype(np.int64) * max(n_supply, 1) + supply
    _, first = np.unique(keys, return_index=True)
    out = np.zeros(len(keys), dtype=bool)
    out[first] = True
    return out


def anchor_points(points: DemandPoints, share: np.ndarray) -> np.ndarray:
    """Per buurt the point holding the largest share of its people (its catchment, service)."""
    order = np.lexsort((-share, points.buurt))
    first = np.ones(len(order), dtype=bool)
    first[1:] = points.buurt[order][1:] != points.buurt[order][:-1]
    anchor = np.zeros(points.n_buurten, dtype=int)
    anchor[points.buurt[order][first]] = order[first]
    return anchor


def per_buurt_mean(points: DemandPoints, share: np.ndarray, values: np.ndarray) -> np.ndarray:
    known = np.isfinite(values)
    weight = np.bincount(points.buurt, weights=share * known, minlength=points.n_buurten)
    total = np.bincount(
        points.buurt, weights=share * np.where(known, values, 0.0), minlength=points.n_buurten
    )
    return np.divide(total, weight, out=np.full(points.n_buurten, np.nan), where=weight > 0)


def buurt_pairs(
    buurten: gpd.GeoDataFrame, points: DemandPoints, weighted: Pairs, supply: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Per buurt the suitable activities within reach of any of its points, and how far.

    ``code``, ``activity`` (the index label in the activiteiten layer) and ``afstand_m``
    (the shortest distance from one of the buurt's demand points, by the method used).
    """
    frame = pd.DataFrame(
        {
            "code": buurten["code"].to_numpy()[points.buurt[weighted.demand]],
            "supply": weighted.supply,
            "afstand_m": weighted.distance,
        }
    )
    best = frame.groupby(["code", "supply"], as_index=False, sort=True)["afstand_m"].min()
    best.insert(1, "activity", supply.index.to_numpy()[best.pop("supply").to_numpy()])
    return best
