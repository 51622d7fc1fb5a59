"""The tidy figures table and the indicators Wijkkompas knows by name.

One row per area x indicator x age group x year. ``value`` is NaN with ``status ==
"niet gepubliceerd"`` where the source suppressed the figure (small buurten); a figure the
edition does not have at all has no row. Zero is a published value.

``lower`` and ``upper`` are the bounds of the 95 % interval where the source publishes one
(RIVM ``Marges`` ``MOG0095`` / ``MBG0095``), NaN otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

FIGURE_COLUMNS = [
    "code",
    "niveau",
    "indicator",
    "group",
    "year",
    "value",
    "lower",
    "upper",
    "status",
    "unit",
    "source",
    "vintage",
]
INTERVAL_COLUMNS = ("lower", "upper")
"""Bounds of the 95 % interval (float64, NaN when the source has none)."""
FLOAT_COLUMNS = ("value", *INTERVAL_COLUMNS)
PUBLISHED = "gepubliceerd"
NOT_PUBLISHED = "niet gepubliceerd"

GROUPS = ("18+", "65+", "18-65")
"""Age groups of the RIVM figures."""

LONELINESS = ("Eenzaam", "ErnstigZeerErnstigEenzaam", "EmotioneelEenzaam", "SociaalEenzaam")
"""Loneliness indicators (RIVM stems), in % of the age group."""

INDICATOR_LABELS = {
    "Eenzaam": "Eenzaam",
    "ErnstigZeerErnstigEenzaam": "Ernstig eenzaam",
    "EmotioneelEenzaam": "Emotioneel eenzaam",
    "SociaalEenzaam": "Sociaal eenzaam",
    "MoeiteMetRondkomen": "Moeite met rondkomen",
    "Mantelzorger": "Mantelzorger",
    "Vrijwilligerswerk": "Vrijwilligerswerk",
    "ErvarenGezondheidGoedZeerGoed": "Ervaren gezondheid (zeer) goed",
    "MatigHoogRisicoOpAngstOfDepressie": "Risico op angst of depressie",
    "BeperktVanwegeGezondheid": "Beperkt vanwege gezondheid",
}
"""Dutch labels of the indicators shown most; other stems are shown as they are."""

AGE_LABELS = {"18+": "18 jaar en ouder", "65+": "65 jaar en ouder", "18-65": "18 tot 65 jaar"}
"""Dutch labels of the RIVM age groups (``age`` in the figures)."""


def label(indicator: str) -> str:
    """Dutch label of an indicator stem."""
    return INDICATOR_LABELS.get(indicator, indicator)


def empty_figures() -> pd.DataFrame:
    """An empty figures table with the canonical columns."""
    return pd.DataFrame(
        {c: pd.Series(dtype="float64" if c in FLOAT_COLUMNS else object) for c in FIGURE_COLUMNS}
    )


def with_intervals(figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` with ``lower``/``upper`` columns (NaN) added where they are missing.

    Tables written before intervals existed (or built by hand) stay usable.
    """
    missing = [c for c in INTERVAL_COLUMNS if c not in figures.columns]
    if not missing:
        return figures
    out = figures.copy()
    for column in missing:
        out[column] = np.nan
    return out


CATEGORICAL = ("code", "niveau", "indicator", "group", "status", "unit", "source", "vintage")


def concat_figures(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate figure tables fast, keeping the text columns categorical.

    Plain ``pd.concat`` turns categoricals with different categories into strings, which
    costs seconds on the national tables; ``union_categoricals`` merges the categories.
    """
    parts = [with_intervals(p) for p in parts if len(p)]
    if not parts:
        return empty_figures()
    data: dict[str, object] = {}
    for column in FIGURE_COLUMNS:
        if column in CATEGORICAL:
            pieces = [
                p[column]
                if isinstance(p[column].dtype, pd.CategoricalDtype)
                else p[column].astype(str).astype("category")
                for p in parts
            ]
            data[column] = union_categoricals(pieces, ignore_order=True)
        else:
            data[column] = np.concatenate(
                [
                    p[column].to_numpy(dtype="float64" if column in FLOAT_COLUMNS else None)
                    for p in parts
                ]
            )
    return pd.DataFrame(data)[FIGURE_COLUMNS]
