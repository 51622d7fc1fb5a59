"""The outcome indicators (loneliness itself), computed from the loaded RIVM figures.

The plan's ambition — fewer lonely Utrechters than the national average in 2026 — is a
target computed per edition: the gemeente's figure against the NL01 figure of the same
edition and age group. Nothing is typed in: the values are the published percentages.
"""

from __future__ import annotations

import logging
from typing import Any

from geo.analysis.context import NATIONAL, figure
from geo.model.dataset import Dataset
from geo.monitoring.catalogue import NATIONAL_TARGET, Indicator
from geo.monitoring.status import ACHIEVED, Progress, progress_status

logger = logging.getLogger(__name__)


def outcome_series(dataset: Dataset, indicator: Indicator) -> list[dict[str, Any]]:
    """The gemeente's figure per RIVM edition next to the national one.

    Parameters
    ----------
    dataset
        The loaded dataset (one gemeente).
    indicator
        An outcome indicator (``figuur``, ``groep``).

    Returns
    -------
    list of dict
        Per edition with a gemeente value: ``periode`` (the year as text), ``jaar``,
        ``waarde`` and ``landelijk`` (in % as published; ``landelijk`` None when absent),
        ``onder_landelijk`` (None without a national figure), ``bron``.

    Examples
    --------
    >>> outcome_series(utrecht, catalogue.get("eenzaam_18plus"))[-1]  # doctest: +SKIP
    {'periode': '2020', 'jaar': 2020, 'waarde': 48.9, 'landelijk': 47.0, ...}
    """
    if indicator.figuur is None:
        return []
    gemeente = dataset.gemeente_code or ""
    rows: list[dict[str, Any]] = []
    for year in dataset.years:
        own = figure(dataset, gemeente, indicator.figuur, indicator.groep, year)
        value = own["value"]
        if not isinstance(value, float):
            continue
        found = figure(dataset, NATIONAL, indicator.figuur, indicator.groep, year)["value"]
        national = found if isinstance(found, float) else None
        rows.append(
            {
                "periode": str(year),
                "jaar": year,
                "waarde": value,
                "landelijk": national,
                "onder_landelijk": None if national is None else value < national,
                "bron": f"{own['source']} ({own.get('vintage')})",
            }
        )
    logger.info("outcome %s: %d edities", indicator.id, len(rows))
    return rows


def outcome_target(indicator: Indicator, series: list[dict[str, Any]]) -> float | None:
    """The target value: the national figure of the latest edition for ``doel = "landelijk"``."""
    if indicator.doel == NATIONAL_TARGET:
        return series[-1]["landelijk"] if series else None
    return indicator.doel if isinstance(indicator.doel, float) else None


def outcome_progress(indicator: Indicator, series: list[dict[str, Any]]) -> Progress:
    """Status of an outcome against its target.

    For ``doel = "landelijk"`` the status is computed on the index gemeente / NL × 100 per
    edition (100 = the national average), so a national figure that moves between editions
    moves the target with it: base = the first edition with both figures, latest = the last,
    target = an index of 100 in the target year, reached only when strictly below. A numeric
    ``doel`` is used as it is on the published percentages.
    """
    if indicator.doel == NATIONAL_TARGET:
        paired = [row for row in series if row["landelijk"]]
        if not paired:
            return progress_status((0, 0), (0, 0), richting=indicator.richting)
        if paired[-1]["onder_landelijk"]:
            return Progress(ACHIEVED, None, None, "Onder het landelijk gemiddelde: doel gehaald.")
        first, last = paired[0], paired[-1]
        progress = progress_status(
            (float(first["jaar"]), 100.0 * first["waarde"] / first["landelijk"]),
            (float(last["jaar"]), 100.0 * last["waarde"] / last["landelijk"]),
            richting=indicator.richting,
            target=None if indicator.doeljaar is None else (float(indicator.doeljaar), 100.0),
            strict=True,
        )
        return Progress(
            progress.status,
            progress.ratio,
            progress.groei,
            f"Index gemeente/landelijk {_index(first)} in {first['periode']}, "
            f"{_index(last)} in {last['periode']} (doel: onder 100 in {indicator.doeljaar}). "
            + progress.uitleg,
        )
    if not series:
        return progress_status((0, 0), (0, 0), richting=indicator.richting)
    target = outcome_target(indicator, series)
    first, last = series[0], series[-1]
    return progress_status(
        (float(first["jaar"]), float(first["waarde"])),
        (float(last["jaar"]), float(last["waarde"])),
        richting=indicator.richting,
        target=None
        if target is None or indicator.doeljaar is None
        else (float(indicator.doeljaar), float(target)),
    )


def _index(row: dict[str, Any]) -> str:
    return f"{100.0 * row['waarde'] / row['landelijk']:.1f}".replace(".", ",")
