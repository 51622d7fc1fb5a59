"""Time fit: whether an activity runs at the hours a focus group goes out.

Per activity and group a weight on the supply side of reach (:mod:`geo.analysis.reach`):

* **1** (``past``) when one of its dagdelen is one of the group's preferred dagdelen
  (:attr:`~geo.settings.AnalysisSettings.time_fit_dagdelen`);
* :attr:`~geo.settings.AnalysisSettings.time_fit_unknown_weight` (``onbekend``, 0.5) when its
  times are unknown (no ``dagdelen``, nothing readable in ``frequentie``);
* **0** (``past niet``) when its times are known and none fits;
* :attr:`~geo.settings.AnalysisSettings.time_fit_no_ov_weight` (``past, geen OV``) for the
  groups that depend on public transport when the haltes carry departures per dagdeel
  (``vertrekken_ochtend`` … ``vertrekken_weekend``, per hour) and no halte within
  :attr:`~geo.settings.AnalysisSettings.time_fit_ov_radius_m` of the activity has a departure
  in any of the fitting dagdelen. Haltes without those columns: OV hours are not used.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.aanbod.schema import DAGDELEN, split_keys
from geo.present.format import fmt_int, fmt_num
from geo.settings import AnalysisSettings

logger = logging.getLogger(__name__)

FITS = "past"
UNKNOWN = "onbekend"
NO_FIT = "past niet"
NO_OV = "past, geen OV"
STATUS_LABELS = {
    FITS: "tijden passen bij de doelgroep",
    UNKNOWN: "tijden onbekend",
    NO_FIT: "tijden passen niet bij de doelgroep",
    NO_OV: "tijden passen, maar dan rijdt er geen OV in de buurt",
}
OV_COLUMNS = {d: f"vertrekken_{d}" for d in DAGDELEN}
"""Per-dagdeel departures per hour of a halte (the GTFS contract of the haltes layer)."""

DAGDEEL_WORDS = {"ochtend": "de ochtend", "middag": "de middag", "avond": "de avond"}


def activity_dagdelen(dagdelen: object, frequentie: object = None) -> tuple[str, ...] | None:
    """The dagdelen an activity runs in, None when unknown.

    From the ``dagdelen`` column, else from words in ``frequentie`` (``elke dinsdagavond``,
    ``zaterdagochtend`` -> weekend: the weekend is any time on Saturday or Sunday).

    Examples
    --------
    >>> activity_dagdelen("ochtend;middag")
    ('ochtend', 'middag')
    >>> activity_dagdelen("", "elke dinsdagavond")
    ('avond',)
    >>> activity_dagdelen("", "wekelijks") is None
    True
    """
    keys = tuple(d for d in split_keys(dagdelen) if d in DAGDELEN)
    if keys:
        return keys
    text = "" if frequentie is None or frequentie != frequentie else str(frequentie).lower()
    weekend = any(day in text for day in ("zaterdag", "zondag", "weekend"))
    found = tuple(d for d in DAGDELEN[:3] if d in text and not weekend)
    if weekend:
        return ("weekend",)
    return found or None


def time_weights(
    activities: gpd.GeoDataFrame,
    group: str,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    stops: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Time weight of every activity for a focus group.

    Parameters
    ----------
    activities
        The activiteiten layer (``dagdelen``, ``frequentie``; EPSG:28992 points).
    group
        Focus group.
    settings
        Preferred dagdelen, the unknown and no-OV weights, the OV groups and radius.
    stops
        The ov_haltes layer; its ``vertrekken_<dagdeel>`` columns are used when present.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``activities``: ``time_fit`` (weight 0-1), ``time_status``
        (:data:`STATUS_LABELS` keys) and ``tijden`` (the dagdelen read, '' when unknown).

    Examples
    --------
    >>> acts = gpd.GeoDataFrame({"dagdelen": ["avond", "ochtend", ""], "frequentie": ""},
    ...                         geometry=gpd.points_from_xy([0, 0, 0], [0, 0, 0]))
    >>> time_weights(acts, "jongvolwassenen")["time_fit"].tolist()
    [1.0, 0.0, 0.5]
    """
    preferred = set(settings.preferred_dagdelen(group))
    n = len(activities)
    if n == 0:
        return pd.DataFrame(
            {"time_fit": pd.Series(dtype=float), "time_status": pd.Series(dtype=object)}
            | {"tijden": pd.Series(dtype=object)},
            index=activities.index,
        )
    blank = pd.Series("", index=activities.index, dtype=object)
    frequentie = activities["frequentie"] if "frequentie" in activities else blank
    dagdelen = activities["dagdelen"] if "dagdelen" in activities else blank
    dagdelen_text = dagdelen.fillna("").astype(str).to_numpy()
    frequentie_text = frequentie.fillna("").astype(str).to_numpy()
    codes, uniques = pd.factorize(pd.Series(dagdelen_text) + "\x1f" + frequentie_text)
    first = pd.Series(np.arange(n)).groupby(codes).first().to_numpy()
    read = [activity_dagdelen(dagdelen_text[i], frequentie_text[i]) for i in first]
    fits = [None if t is None else tuple(d for d in t if d in preferred) for t in read]
    unique_weight = np.array(
        [settings.time_fit_unknown_weight if f is None else (1.0 if f else 0.0) for f in fits]
    )
    unique_status = np.array(
        [UNKNOWN if f is None else (FITS if f else NO_FIT) for f in fits], dtype=object
    )
    weight = unique_weight[codes].astype(float)
    status = unique_status[codes]
    if not settings.time_fit:
        weight = np.ones(n)
        status = np.full(n, FITS, dtype=object)
    elif group in settings.time_fit_ov_groups:
        runs = ov_dagdelen(activities, stops, settings)
        if runs is not None:
            for i, running in enumerate(runs):
                f = fits[codes[i]]
                if f and running is not None and not set(f) & running:
                    weight[i] = settings.time_fit_no_ov_weight
                    status[i] = NO_OV
    tijden = np.array([";".join(t) if t else "" for t in read], dtype=object)
    out = pd.DataFrame(
        {"time_fit": weight, "time_status": status, "tijden": tijden[codes]},
        index=activities.index,
    )
    logger.info(
        "tijden %s: %d passen, %d onbekend, %d passen niet, %d zonder OV",
        group,
        int((status == FITS).sum()),
        int((status == UNKNOWN).sum()),
        int((status == NO_FIT).sum()),
        int((status == NO_OV).sum()),
    )
    return out


def ov_dagdelen(
    activities: gpd.GeoDataFrame, stops: gpd.GeoDataFrame | None, settings: AnalysisSettings
) -> list[set[str] | None] | None:
    """Per activity the dagdelen with an OV departure at a halte near it.

    None when the haltes carry no per-dagdeel departures (the rule is then not used); per
    activity None when none of its near haltes has a known figure (not used for it), an empty
    set when no halte is near or none runs.
    """
    if stops is None or stops.empty:
        return None
    columns = {d: c for d, c in OV_COLUMNS.items() if c in stops.columns}
    if not columns:
        return None
    from geo.analysis.reach import has_shape

    stops = stops[has_shape(stops)]
    values = {
        d: pd.to_numeric(stops[c], errors="coerce").to_numpy(dtype=float)
        for d, c in columns.items()
    }
    if not any(np.isfinite(v).any() for v in values.values()):
        return None
    tree = cKDTree(np.column_stack([stops.geometry.x, stops.geometry.y]))
    located = has_shape(activities)
    out: list[set[str] | None] = [None] * len(activities)
    geometry = activities.geometry.to_numpy()
    xy = np.column_stack([shapely.get_x(geometry), shapely.get_y(geometry)])
    xy = np.where(located[:, None] & np.isfinite(xy), xy, 0.0)
    near = tree.query_ball_point(xy, r=settings.time_fit_ov_radius_m)
    for i, found in enumerate(near):
        if not located[i]:
            continue
        known = [d for d, v in values.items() if found and np.isfinite(v[found]).any()]
        if found and not known:
            continue
        out[i] = {d for d in known if np.nansum(values[d][found]) > 0}
    return out


def missing_dagdelen_text(group: str, settings: AnalysisSettings) -> str:
    """``in de avond of het weekend``: the group's dagdelen in words, for reasons.

    Examples
    --------
    >>> missing_dagdelen_text("jongvolwassenen", AnalysisSettings())
    'in de avond of het weekend'
    >>> missing_dagdelen_text("ouderen", AnalysisSettings())
    'in de ochtend, de middag of het weekend'
    """
    words = [DAGDEEL_WORDS.get(d, "het weekend") for d in settings.preferred_dagdelen(group)]
    if len(words) == 1:
        return f"in {words[0]}"
    return "in " + ", ".join(words[:-1]) + " of " + words[-1]


def time_fit_summary(weights: pd.DataFrame, group: str, settings: AnalysisSettings) -> dict:
    """The ``time_fit`` key of the JSON outputs: the rule, the weights and the counts."""
    counts = weights["time_status"].value_counts() if len(weights) else pd.Series(dtype=int)
    return {
        "enabled": settings.time_fit,
        "preferred_dagdelen": list(settings.preferred_dagdelen(group)),
        "unknown_weight": settings.time_fit_unknown_weight,
        "no_ov_weight": settings.time_fit_no_ov_weight,
        "ov_hours_used": group in settings.time_fit_ov_groups,
        "activities": {status: int(counts.get(status, 0)) for status in STATUS_LABELS},
        "note": (
            f"Tijden: activiteiten {missing_dagdelen_text(group, settings)} tellen volledig, "
            f"met onbekende tijden voor {fmt_num(settings.time_fit_unknown_weight, 1)}, op "
            "andere dagdelen niet."
            + (
                " Past het tijdstip maar rijdt er dan geen OV binnen "
                f"{fmt_int(settings.time_fit_ov_radius_m)} m: "
                f"{fmt_num(settings.time_fit_no_ov_weight, 1)}."
                if group in settings.time_fit_ov_groups
                else ""
            )
            if settings.time_fit
            else "Tijden: niet gebruikt (elke activiteit telt volledig)."
        ),
    }
