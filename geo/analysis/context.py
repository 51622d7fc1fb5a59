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
        return {"value": None, "lower": None, "upper": None, "status": "ontbreekt", "source": None}
    row = hit.iloc[0]
    value = None if pd.isna(row["value"]) else float(row["value"])
    return {
        "value": value,
        "lower": _bound(row, "lower"),
        "upper": _bound(row, "upper"),
        "status": str(row["status"]),
        "source": str(row["source"]),
        "vintage": str(row["vintage"]),
    }


def _bound(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


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
    if not dataset.populations:
        return {
            "value": None,
            "status": "niet te herberekenen zonder bevolkingscijfers",
            "source": str(part["source"].iloc[0]) if len(part) else None,
            "vintage": str(part["vintage"].iloc[0]) if len(part) else None,
        }
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
        "lower": None,  # the buurten's intervals cannot simply be combined
        "upper": None,
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
                "lower": area.get("lower"),
                "upper": area.get("upper"),
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
    """The figure per RIVM edition (2012, 2016, 2020, 2022 ...), with the change since the last.

    Each row has ``lower``/``upper`` (the 95 % interval, None when not published) and
    ``change`` against the previous edition with a value (:func:`change_between`; None for the
    first).
    """
    gemeente = dataset.gemeente_code or ""
    out: list[dict[str, object]] = []
    for year in dataset.years:
        area = members_value(dataset, codes, indicator, group, year)
        if area["status"] == "ontbreekt":
            continue
        previous = next((r for r in reversed(out) if r["value"] is not None), None)
        out.append(
            {
                "year": year,
                "value": area["value"],
                "lower": area.get("lower"),
                "upper": area.get("upper"),
                "status": area["status"],
                "change": None if previous is None else change_between(previous, area),
                "gemeente": figure(dataset, gemeente, indicator, group, year)["value"],
                "nederland": figure(dataset, NATIONAL, indicator, group, year)["value"],
            }
        )
    return out


RISE = "stijging"
FALL = "daling"
NO_CLEAR_CHANGE = "geen duidelijke verandering"
NO_INTERVAL = "niet te beoordelen (geen interval gepubliceerd)"


def change_between(before: dict[str, object], after: dict[str, object]) -> str | None:
    """Call a change a rise or fall only when the 95 % intervals do not overlap.

    Parameters
    ----------
    before, after
        Figures with ``value``, ``lower`` and ``upper`` (None when absent).

    Returns
    -------
    str or None
        ``"stijging"``, ``"daling"``, ``"geen duidelijke verandering"`` (the intervals
        overlap), :data:`NO_INTERVAL` when either edition has no interval, None when a value
        is missing.

    Examples
    --------
    >>> change_between({"value": 53.9, "lower": 51.0, "upper": 56.8},
    ...                {"value": 58.2, "lower": 57.0, "upper": 59.4})
    'stijging'
    >>> change_between({"value": 53.9, "lower": 51.0, "upper": 56.8},
    ...                {"value": 55.0, "lower": 52.0, "upper": 58.0})
    'geen duidelijke verandering'
    """
    if before.get("value") is None or after.get("value") is None:
        return None
    bounds = [before.get("lower"), before.get("upper"), after.get("lower"), after.get("upper")]
    if any(b is None for b in bounds):
        return NO_INTERVAL
    low0, high0, low1, high1 = (float(b) for b in bounds)  # type: ignore[arg-type]
    if low1 > high0:
        return RISE
    if high1 < low0:
        return FALL
    return NO_CLEAR_CHANGE


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


def context_table(
    dataset: Dataset,
    *,
    indicator: str = "Eenzaam",
    group: str = "18+",
    niveau: str = "wijk",
) -> pd.DataFrame:
    """Every area of a level: the figure per RIVM edition, the change, and the comparison.

    All editions are on the 2020 boundary vintage (RIVM 50090NED, *indeling 2020*), so an
    area's figures can be compared over time.

    Parameters
    ----------
    dataset
        The dataset.
    indicator, group
        RIVM indicator stem and age group (``18+``, ``65+``, ``18-65``).
    niveau
        ``buurt``, ``wijk`` or ``gemeente``.

    Returns
    -------
    pandas.DataFrame
        Indexed by code: ``naam``, one column per year (NaN = not published or absent),
        ``verandering`` (percentage points, first to last edition with a value; NaN with fewer
        than two), ``gemeente``
        and ``nederland`` (the latest edition), ``verschil_nederland`` and
        ``onder_landelijk`` (the 2026 target: below the national figure).

    Examples
    --------
    >>> table = context_table(dataset, niveau="wijk")  # doctest: +SKIP
    >>> table.loc["WK034403", [2012, 2016, 2020]].tolist()  # doctest: +SKIP
    [53.4, 53.9, 58.2]
    """
    years = dataset.years
    areas = dataset.areas[dataset.areas["niveau"] == niveau].set_index("code")
    f = dataset.figures
    part = f[(f["indicator"] == indicator) & (f["group"] == group) & f["year"].isin(years)]
    part = part[part["code"].isin(list(areas.index))]
    wide = part.pivot_table(
        index=part["code"].astype(str),
        columns="year",
        values="value",
        aggfunc="first",
        observed=True,
    ).reindex(index=areas.index, columns=years)
    out = pd.DataFrame({"naam": areas["naam"]}, index=areas.index)
    out[years] = wide.to_numpy(dtype=float)
    values = out[years]
    first = values.bfill(axis=1).iloc[:, 0] if years else pd.Series(np.nan, index=out.index)
    last = values.ffill(axis=1).iloc[:, -1] if years else pd.Series(np.nan, index=out.index)
    out["verandering"] = (last - first).round(1).where(values.notna().sum(axis=1) >= 2)
    latest = years[-1] if years else None
    gemeente = (
        figure(dataset, dataset.gemeente_code or "", indicator, group, latest)["value"]
        if latest is not None
        else None
    )
    national = (
        figure(dataset, NATIONAL, indicator, group, latest)["value"] if latest is not None else None
    )
    out["gemeente"] = np.nan if gemeente is None else gemeente
    out["nederland"] = np.nan if national is None else national
    out["verschil_nederland"] = (last - out["nederland"]).round(1)
    out["onder_landelijk"] = (last < out["nederland"]).where(
        last.notna() & out["nederland"].notna()
    )
    out.index.name = "code"
    return out
