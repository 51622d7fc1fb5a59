"""Hot spots: local Moran's I and Getis-Ord Gi* with false-discovery-rate control (PySAL).

Neighbours are buurten sharing a border (queen contiguity, row-standardised); buurten without
neighbours (islands) get their nearest buurten instead; buurten without a shape are left out.

* Local Moran's I: significance from conditional permutations (seeded, so reproducible);
  quadrants hoog-hoog, laag-hoog, laag-laag, hoog-laag.
* Getis-Ord Gi*: the analytical z-score with a two-sided normal p-value (Getis & Ord 1995, as
  in ArcGIS *Hot Spot Analysis*), which needs no permutations and is deterministic.

The Gi* p-values are corrected for testing many buurten at once with the Benjamini-Hochberg
false-discovery rate (``scipy.stats.false_discovery_control``); a buurt is a hot (cold) spot
when its adjusted p-value is at most the FDR alpha and its z-score is positive (negative).
"""

from __future__ import annotations

import logging
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control

from geo.analysis.reach import has_shape
from geo.settings import AnalysisSettings

logger = logging.getLogger(__name__)

QUADRANTS = {1: "hoog-hoog", 2: "laag-hoog", 3: "laag-laag", 4: "hoog-laag"}
MIN_AREAS = 5


def spatial_weights(areas: gpd.GeoDataFrame) -> object:
    """Row-standardised queen contiguity; islands are joined to their nearest neighbours."""
    from libpysal import weights

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        queen = weights.Queen.from_dataframe(
            areas.reset_index(drop=True), use_index=False, silence_warnings=True
        )
        if queen.islands:
            k = min(4, len(areas) - 1)
            knn = weights.KNN.from_dataframe(
                areas.reset_index(drop=True).set_geometry(
                    areas.geometry.representative_point().reset_index(drop=True)
                ),
                k=k,
            )
            queen = weights.w_union(queen, knn, silence_warnings=True)
    queen.transform = "r"
    return queen


def hot_spots(
    areas: gpd.GeoDataFrame,
    values: pd.Series,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    label: str = "waarde",
    weights: object | None = None,
) -> gpd.GeoDataFrame:
    """Local Moran's I and Gi* for one variable.

    Parameters
    ----------
    areas
        Buurten (EPSG:28992), aligned with ``values``.
    values
        The variable (e.g. lonely residents or gap score).
    settings
        Permutations, seed and the false-discovery rate.
    label
        Name of the variable, used in the output.
    weights
        Spatial weights of the areas that have a shape (:func:`spatial_weights` of
        ``areas[has_shape(areas)]``); computed when not given. Pass them to reuse them for
        several variables.

    Returns
    -------
    geopandas.GeoDataFrame
        Per area: ``code``, ``variable``, ``value``, ``moran_i``, ``moran_quadrant``
        (hoog-hoog ...), ``moran_p``, ``gi_z``, ``gi_p``, ``gi_p_fdr`` (BH-adjusted),
        ``significant`` (adjusted p ≤ the FDR alpha; ``gi_p`` is two-sided normal),
        ``hotspot`` (``hot``, ``cold`` or ``''``), and the geometry.
    """
    out = gpd.GeoDataFrame(
        {
            "code": areas["code"].to_numpy(),
            "variable": label,
            "value": values.to_numpy(dtype=float),
        },
        geometry=areas.geometry.to_numpy(),
        crs=areas.crs,
    )
    for column in ("moran_i", "moran_p", "gi_z", "gi_p", "gi_p_fdr"):
        out[column] = np.nan
    out["moran_quadrant"] = ""
    out["significant"] = False
    out["hotspot"] = ""
    # areas without a shape have no neighbours: they are left out of the statistics
    shaped = has_shape(areas)
    y = np.nan_to_num(out["value"].to_numpy(dtype=float))[shaped]
    if len(y) < MIN_AREAS or np.allclose(y, y[0]):
        logger.info("hot spots: te weinig gebieden of geen variatie (%d)", len(y))
        return out
    import esda

    w = spatial_weights(areas[shaped]) if weights is None else weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # one job: reproducible with the seed, and gentle on a shared machine
        moran = esda.Moran_Local(
            y,
            w,
            permutations=settings.permutations,
            seed=settings.seed,
            n_jobs=1,
            keep_simulations=False,
        )
        # binary weights: the textbook Gi* (row-standardised weights blunt its z-score)
        gi = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    rows = np.flatnonzero(shaped)
    column = out.columns.get_loc
    out.iloc[rows, column("moran_i")] = moran.Is
    out.iloc[rows, column("moran_quadrant")] = [QUADRANTS.get(int(q), "") for q in moran.q]
    out.iloc[rows, column("moran_p")] = moran.p_sim
    out.iloc[rows, column("gi_z")] = gi.Zs
    gi_p = np.minimum(1.0, 2 * gi.p_norm)  # two-sided
    out.iloc[rows, column("gi_p")] = gi_p
    adjusted = false_discovery_control(gi_p, method="bh")
    significant = adjusted <= settings.fdr_alpha
    out.iloc[rows, column("gi_p_fdr")] = adjusted
    out.iloc[rows, column("significant")] = significant
    out.iloc[rows, column("hotspot")] = np.where(
        significant & (gi.Zs > 0), "hot", np.where(significant & (gi.Zs < 0), "cold", "")
    )
    logger.info(
        "hot spots %s: %d significant (FDR %.2f)", label, int(significant.sum()), settings.fdr_alpha
    )
    return out
