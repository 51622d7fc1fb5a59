"""Need: expected lonely and severely lonely residents per focus group and area.

need = residents of the group × the RIVM rate of the best-matching age group (65+ for the
elderly groups; 18-65 where the edition has it, else 18+, for young adults). A buurt whose
figure is not published borrows its wijk's rate, else the gemeente's, and says so.
Aggregation sums people and recomputes rates; rates are never averaged.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from geo.analysis.populations import estimate_populations
from geo.model.dataset import Dataset
from geo.model.figures import PUBLISHED
from geo.settings import AnalysisSettings

logger = logging.getLogger(__name__)

LONELY = "Eenzaam"
SEVERE = "ErnstigZeerErnstigEenzaam"
NEED_COLUMNS = [
    "code",
    "naam",
    "niveau",
    "wijk_code",
    "group",
    "population",
    "age_group",
    "year",
    "lonely_rate",
    "severely_lonely_rate",
    "rate_from",
    "lonely",
    "severely_lonely",
    "unreliable",
    "population_method",
    "population_estimated",
    "population_from_percentages",
]


def age_group_for(group: str, figures: pd.DataFrame, year: int) -> str:
    """RIVM age group that best matches a focus group in a given edition."""
    if group != "jongvolwassenen":
        return "65+"
    groups = set(
        figures.loc[(figures["year"] == year) & (figures["indicator"] == LONELY), "group"].astype(
            str
        )
    )
    return "18-65" if "18-65" in groups else "18+"


def latest_year(dataset: Dataset, settings: AnalysisSettings) -> int:
    """The RIVM edition to use (settings.year, else the most recent)."""
    years = dataset.years
    if not years:
        from geo.errors import DataError

        raise DataError(
            "de dataset heeft geen RIVM-eenzaamheidscijfers.",
            hint="zet een RIVM-tabel 50090NED in de map wijken/.",
        )
    if settings.year is not None:
        if settings.year not in years:
            from geo.errors import DataError

            raise DataError(
                f"geen RIVM-cijfers voor {settings.year}.",
                hint=f"beschikbaar: {', '.join(map(str, years))}.",
            )
        return settings.year
    return years[-1]


def population_year(dataset: Dataset, settings: AnalysisSettings, year: int) -> int | None:
    """Kwb year to use: settings.population_year, else the one nearest the RIVM edition."""
    if settings.population_year is not None or not dataset.populations:
        return settings.population_year
    return min(dataset.populations, key=lambda y: (abs(y - year), -y))


def rate_table(figures: pd.DataFrame, *, year: int, age_group: str) -> pd.DataFrame:
    """Published ``lonely_rate`` and ``severely_lonely_rate`` (%) per code (NaN = suppressed)."""
    part = figures[
        (figures["year"] == year)
        & (figures["group"] == age_group)
        & figures["indicator"].isin([LONELY, SEVERE])
    ]
    part = part[part["status"] == PUBLISHED]
    wide = part.pivot_table(
        index=part["code"].astype(str),
        columns=part["indicator"].astype(str),
        values="value",
        aggfunc="first",
        observed=True,
    )
    wide = wide.reindex(columns=[LONELY, SEVERE])
    wide.columns = ["lonely_rate", "severely_lonely_rate"]
    return wide


def estimate_need(
    dataset: Dataset,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    populations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Expected lonely people per focus group for every buurt, wijk and the gemeente.

    Parameters
    ----------
    dataset
        Areas, figures and the kwb population.
    settings
        Year, population year, shrinkage, reliability threshold.
    populations
        Focus-group populations (default: :func:`estimate_populations` of the kwb table).

    Returns
    -------
    pandas.DataFrame
        :data:`NEED_COLUMNS`. ``rate_from`` says where the rate came from (``buurt``,
        ``wijk`` or ``gemeente`` — a fallback when it differs from ``niveau`` — and
        ``+ krimp`` when empirical-Bayes shrinkage was applied).

    Examples
    --------
    >>> need = estimate_need(dataset)  # doctest: +SKIP
    >>> need.query("code == 'WK034403' and group == 'ouderen'")["severely_lonely"].round()
    ... # doctest: +SKIP
    714.0
    """
    year = latest_year(dataset, settings)
    if populations is None:
        populations = estimate_populations(
            dataset.population(population_year(dataset, settings, year)), settings=settings
        )
    areas = dataset.areas[["code", "naam", "niveau", "wijk_code", "gemeente_code"]]
    parts = []
    for group, pops in populations.groupby("group", sort=False):
        age_group = age_group_for(str(group), dataset.figures, year)
        rates = rate_table(dataset.figures, year=year, age_group=age_group)
        if "from_percentages" not in pops:
            pops = pops.assign(from_percentages=False)
        frame = areas.merge(
            pops[["code", "population", "method", "estimated", "from_percentages"]],
            on="code",
            how="left",
        )
        frame["group"] = group
        frame["age_group"] = age_group
        frame["year"] = year
        parts.append(_rates_with_fallback(frame, rates, settings))
    need = pd.concat(parts, ignore_index=True)
    need["lonely"] = need["population"] * need["lonely_rate"] / 100
    need["severely_lonely"] = need["population"] * need["severely_lonely_rate"] / 100
    need["unreliable"] = need["population"].fillna(0) < settings.min_group_size
    need = need.rename(
        columns={
            "method": "population_method",
            "estimated": "population_estimated",
            "from_percentages": "population_from_percentages",
        }
    )
    need["population_from_percentages"] = (
        need["population_from_percentages"].astype("boolean").fillna(False).astype(bool)
    )
    logger.info(
        "behoefte: %d rijen (%d fallback)",
        len(need),
        int((need["rate_from"] != need["niveau"]).sum()),
    )
    return need[NEED_COLUMNS]


def _rates_with_fallback(
    frame: pd.DataFrame, rates: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    out = frame.copy()
    own = rates.reindex(out["code"])
    wijk = rates.reindex(out["wijk_code"].fillna(""))
    gemeente = rates.reindex(out["gemeente_code"].fillna(out["code"]))
    for column in ("lonely_rate", "severely_lonely_rate"):
        values = own[column].to_numpy(copy=True)
        source = np.where(np.isnan(values), "", out["niveau"].to_numpy())
        for fallback, label in ((wijk, "wijk"), (gemeente, "gemeente")):
            fill = np.isnan(values) & ~np.isnan(fallback[column].to_numpy())
            values[fill] = fallback[column].to_numpy()[fill]
            source = np.where(fill & (source == ""), label, source)
        if settings.shrinkage:
            values, shrunk = _shrink(out, values, wijk[column].to_numpy(), settings)
            source = np.where(shrunk, np.char.add(source.astype(str), " + krimp"), source)
        out[column] = values
        if column == "lonely_rate":
            out["rate_from"] = source
    return out


def _shrink(
    frame: pd.DataFrame, values: np.ndarray, wijk_values: np.ndarray, settings: AnalysisSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Empirical-Bayes shrinkage of buurt rates toward the wijk: w = n / (n + prior)."""
    n = frame["population"].fillna(0).to_numpy(dtype=float)
    weight = n / (n + settings.shrinkage_prior)
    is_buurt = (frame["niveau"] == "buurt").to_numpy() & ~np.isnan(wijk_values)
    out = values.copy()
    out[is_buurt] = (
        weight[is_buurt] * values[is_buurt] + (1 - weight[is_buurt]) * wijk_values[is_buurt]
    )
    return out, is_buurt


def aggregate_need(
    need: pd.DataFrame,
    members: dict[str, list[str]],
    *,
    niveau: str,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Sum buurt need into larger units and recompute the rates.

    Parameters
    ----------
    need
        Buurt rows of :func:`estimate_need` (any number of groups).
    members
        Unit code or name -> buurt codes.
    niveau
        Level label of the units (``wijk``, ``gemeente``, ``gebied``).
    names
        Unit -> display name.

    Returns
    -------
    pandas.DataFrame
        Per unit and group: summed ``population``, ``lonely``, ``severely_lonely`` and the
        recomputed ``lonely_rate`` / ``severely_lonely_rate`` (people / people × 100).
    """
    buurten = need[need["niveau"] == "buurt"]
    rows = []
    for unit, codes in members.items():
        part = buurten[buurten["code"].isin(codes)]
        for group, rows_of_group in part.groupby("group", sort=False):
            population = rows_of_group["population"].sum()
            lonely = rows_of_group["lonely"].sum()
            severe = rows_of_group["severely_lonely"].sum()
            rows.append(
                {
                    "code": unit,
                    "naam": (names or {}).get(unit, unit),
                    "niveau": niveau,
                    "group": group,
                    "population": population,
                    "lonely": lonely,
                    "severely_lonely": severe,
                    "lonely_rate": 100 * lonely / population if population else np.nan,
                    "severely_lonely_rate": 100 * severe / population if population else np.nan,
                    "buurten": len(rows_of_group),
                    "fallback_buurten": int((rows_of_group["rate_from"] != "buurt").sum()),
                }
            )
    return pd.DataFrame(rows)
