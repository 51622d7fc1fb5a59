"""Context: an area against the gemeente and the Netherlands, the trend, and the 2026 target.

Utrecht's goal (Uitvoeringsplan Eenzaamheid 2023-2026): fewer lonely residents than the
national average in 2026. For a focus area that is not a single wijk or buurt, the value is
recomputed from people: Σ(adults × rate) / Σ adults over its buurten (never a mean of rates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.model.dataset import Dataset
from geo.model.figures import LONELINESS, PUBLISHED, label

NATIONAL = "NL01"


def figure(dataset: Dataset, code: str, indicator: str, group: str, year: int) -> dict[str, object]:
    """One figure with its status and source (value None when absent or suppressed)."""
    f = dataset.figures
    hit = f[
        (f["code"] == code)
        & (f["indicator"] == indicator)
        & (f["group"] == group)
        & (f["year"] == year)
    ]
    if hit.empty:
        return {"value": None, "status": "ontbreekt", "source": None}
    row = hit.iloc[0]
    value = None if pd.isna(row["value"]) else float(row["value"])
    return {
        "value": value,
        "status": str(row["status"]),
        "source": str(row["source"]),
        "vintage": str(row["vintage"]),
    }


def members_value(
    dataset: Dataset, codes: list[str], indicator: str, group: str, year: int
) -> dict[str, object]:
    """A focus area's figure recomputed from its buurten (adults × rate, summed)."""
    if len(codes) == 1:
        return figure(dataset, codes[0], indicator, group, year)
    f = dataset.figures
    part = f[
        f["code"].isin(codes)
        & (f["indicator"] == indicator)
        & (f["group"] == group)
        & (f["year"] == year)
        & (f["status"] == PUBLISHED)
    ]
    population = dataset.population()
    base = (
        population["leeftijd_65_plus"]
        if group == "65+"
        else (
            population["inwoners"]
            - population["leeftijd_0_14"]
            - 0.3 * population["leeftijd_15_24"]
        )
    )
    weights = base.reindex(part["code"].astype(str)).to_numpy(dtype=float)
    ok = np.isfinite(weights) & (weights > 0)
    if not ok.any():
        return {"value": None, "status": "niet gepubliceerd", "source": None}
    value = float(np.sum(part["value"].to_numpy()[ok] * weights[ok]) / np.sum(weights[ok]))
    missing = len(codes) - int(ok.sum())
    return {
        "value": round(value, 1),
        "status": "herberekend uit buurten"
        + (f" ({missing} buurt(en) zonder cijfer)" if missing else ""),
        "source": str(part["source"].iloc[0]),
        "vintage": str(part["vintage"].iloc[0]),
    }


def compare(
    dataset: Dataset, codes: list[str], *, year: int, group: str = "18+"
) -> list[dict[str, object]]:
    """Loneliness figures of an area next to the gemeente and the Netherlands."""
    gemeente = dataset.gemeente_code or ""
    rows = []
    for indicator in LONELINESS:
        area = members_value(dataset, codes, indicator, group, year)
        if area["status"] == "ontbreekt":
            continue
        rows.append(
            {
                "indicator": indicator,
                "label": label(indicator),
                "group": group,
                "year": year,
                "value": area["value"],
                "status": area["status"],
                "source": area["source"],
                "vintage": area.get("vintage"),
                "gemeente": figure(dataset, gemeente, indicator, group, year)["value"],
                "nederland": figure(dataset, NATIONAL, indicator, group, year)["value"],
            }
        )
    return rows


def trend(
    dataset: Dataset, codes: list[str], *, indicator: str = "Eenzaam", group: str = "18+"
) -> list[dict[str, object]]:
    """The figure per RIVM edition (2012, 2016, 2020 ...), all on the 2020 boundary vintage."""
    gemeente = dataset.gemeente_code or ""
    out = []
    for year in dataset.years:
        area = members_value(dataset, codes, indicator, group, year)
        if area["status"] == "ontbreekt":
            continue
        out.append(
            {
                "year": year,
                "value": area["value"],
                "status": area["status"],
                "gemeente": figure(dataset, gemeente, indicator, group, year)["value"],
                "nederland": figure(dataset, NATIONAL, indicator, group, year)["value"],
            }
        )
    return out


def target_2026(dataset: Dataset, *, year: int) -> dict[str, object]:
    """Where the gemeente stands against the 2026 goal (below the national average, 18+)."""
    gemeente = figure(dataset, dataset.gemeente_code or "", "Eenzaam", "18+", year)["value"]
    national = figure(dataset, NATIONAL, "Eenzaam", "18+", year)["value"]
    if gemeente is None or national is None:
        return {
            "year": year,
            "gemeente": gemeente,
            "nederland": national,
            "behaald": None,
            "tekst": "Geen vergelijking mogelijk: gemeentelijk of landelijk cijfer ontbreekt.",
        }
    diff = float(gemeente) - float(national)  # type: ignore[arg-type]
    reached = diff < 0
    from geo.present.format import fmt_num, fmt_pct

    tekst = f"{year}: {fmt_pct(gemeente)} eenzaam tegen {fmt_pct(national)} landelijk — " + (
        "onder het landelijk gemiddelde (doel 2026 gehaald)."
        if reached
        else f"{fmt_num(diff, 1)} procentpunt boven het landelijk gemiddelde (doel 2026: eronder)."
    )
    return {
        "year": year,
        "gemeente": gemeente,
        "nederland": national,
        "verschil": round(diff, 1),
        "behaald": reached,
        "tekst": tekst,
    }
