"""What a dataset holds: counts per level, figure coverage, what did not join (``info``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.model.dataset import Dataset
from geo.model.figures import LONELINESS, PUBLISHED

LEVELS = ("gemeente", "wijk", "buurt")


def summarise(dataset: Dataset, *, all_indicators: bool = True) -> dict[str, Any]:
    """A JSON-ready summary of a dataset.

    Returns
    -------
    dict
        ``areas`` (count per level), ``focus_areas``, ``figures`` (per indicator, group and
        year: areas with a value and areas where the value is not published, per level;
        only areas that joined to a boundary are counted), ``unmatched``, ``sources``,
        ``notices``.
    """
    areas = dataset.areas
    counts = areas["niveau"].value_counts()
    figures = dataset.figures
    if not all_indicators:
        figures = figures[figures["indicator"].isin(LONELINESS)]
    joined = figures[figures["code"].isin(set(areas["code"]))]
    coverage = []
    if len(joined):
        flags = joined.assign(published=(joined["status"] == PUBLISHED).to_numpy())
        table = (
            flags.groupby(["indicator", "group", "year", "niveau", "published"], observed=True)
            .size()
            .rename("n")
            .reset_index()
        )
        for (indicator, group, year), part in table.groupby(
            ["indicator", "group", "year"], observed=True, sort=True
        ):
            row: dict[str, Any] = {
                "indicator": str(indicator),
                "group": str(group),
                "year": int(year),
                "source": str(figures.loc[figures["indicator"] == indicator, "source"].iloc[0]),
                "with_value": dict.fromkeys(LEVELS, 0),
                "not_published": dict.fromkeys(LEVELS, 0),
            }
            for record in part.itertuples():
                key = "with_value" if record.published else "not_published"
                if record.niveau in LEVELS:
                    row[key][record.niveau] = int(record.n)
            coverage.append(row)
    national = _national(dataset)
    return {
        "dataset": str(dataset.path),
        "titel": dataset.titel,
        "demo": dataset.demo,
        "gemeente": {"code": dataset.gemeente_code, "naam": dataset.gemeente_naam},
        "areas": {level: int(counts.get(level, 0)) for level in LEVELS},
        "focus_areas": [
            {
                "naam": g.naam,
                "codes": list(g.codes),
                "buurten": len(g.buurt_codes(areas)),
                "ontbrekend": [c for c in g.codes if c not in set(areas["code"])],
                "bron": g.bron,
            }
            for g in dataset.gebieden.values()
        ],
        "figures": coverage,
        "national": national,
        "populations": {str(y): p.attrs.get("source", "") for y, p in dataset.populations.items()},
        "unmatched": dataset.unmatched.to_dict(orient="records"),
        "sources": _records(dataset.sources),
        "notices": list(dataset.notices),
    }


def _national(dataset: Dataset) -> list[dict[str, Any]]:
    rows = dataset.figures[
        dataset.figures["niveau"].astype(str).eq("land")
        & dataset.figures["indicator"].isin(LONELINESS)
    ]
    return [
        {
            "code": str(r.code),
            "indicator": str(r.indicator),
            "group": str(r.group),
            "year": int(r.year),
            "value": None if pd.isna(r.value) else float(r.value),
        }
        for r in rows.itertuples()
    ]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for record in frame.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            if isinstance(value, float) and pd.isna(value):
                continue
            clean[str(key)] = value
        out.append(clean)
    return out
