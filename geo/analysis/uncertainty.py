"""How sure is a gap? A seeded Monte Carlo over the uncertain inputs of need → gap.

The gap score of a buurt is ``lonely × (1 − served_share) × (1 + w × transport index)`` with
``lonely = population × rate / 100`` (:mod:`geo.analysis.gaps`). Two inputs are uncertain:

* the RIVM rate (``lonely_rate``): a small-area model estimate. Its standard deviation is
  taken from the published 95 % interval (``lower``/``upper`` on the figure rows:
  ``sd = (upper − lower) / 3.92``); where the edition has no interval, or the buurt borrows
  the rate of its wijk or gemeente (its own rate is then unknown), from the documented
  default half-widths by group size (:attr:`~geo.settings.AnalysisSettings.rate_margin_defaults`);
  a borrowed rate takes the larger of the two;
* the group population where it is an estimate (``population_estimated`` other than
  ``telling`` or ``opgegeven``): log-normal with the coefficient of variation
  :attr:`~geo.settings.AnalysisSettings.estimated_population_cv`.

Each of :attr:`~geo.settings.AnalysisSettings.certainty_draws` draws (seeded, vectorised)
rescales every buurt's gap score by ``(population draw / population) × (rate draw / rate)``;
the served share and the transport index stay those of the point estimate (a first-order
approximation: the offer is spread over the same residents). Wijken and focus areas sum the
drawn buurt scores, as :func:`~geo.analysis.gaps.aggregate_gaps` sums the point scores. Draws
are independent between buurten (the RIVM model errors of neighbouring buurten are in truth
positively correlated, so the ranges of wijken are, if anything, too narrow).

Per row: ``rank_low``/``rank_high`` (the central :attr:`certainty_range` of its rank over the
draws), ``top_share`` (share of draws in the top N) and ``certainty``: ``robuust`` (top N in at
least :attr:`certainty_robust_share` of the draws), ``mogelijk`` (at least
:attr:`certainty_possible_share`) or ``niet onderscheidend``. With zero-width intervals every
draw equals the point estimate, so the labels are exactly the point ranking's top N.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy import sparse

from geo.analysis.need import LONELY
from geo.model.figures import PUBLISHED
from geo.present.format import fmt_int
from geo.settings import AnalysisSettings

logger = logging.getLogger(__name__)

ROBUUST = "robuust"
MOGELIJK = "mogelijk"
NIET_ONDERSCHEIDEND = "niet onderscheidend"
CERTAINTY_LABELS = (ROBUUST, MOGELIJK, NIET_ONDERSCHEIDEND)
CERTAINTY_COLUMNS = ["rank_low", "rank_high", "top_share", "certainty"]
Z95 = 1.959964
COUNTED = ("telling", "opgegeven")
"""``population_estimated`` values that are counts, not estimates."""
CHUNK = 100
"""Draws per block (bounds memory on all of the Netherlands: 100 × 14,000 floats)."""
LEVEL_NOUNS = {"buurt": "buurten", "wijk": "wijken", "gebied": "aandachtsgebieden"}


def rate_sd(
    buurten: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    year: int,
    settings: AnalysisSettings = AnalysisSettings(),
) -> np.ndarray:
    """Standard deviation (percentage points) of each buurt's ``lonely_rate``.

    Parameters
    ----------
    buurten
        Scored buurt rows with ``code``, ``wijk_code``, ``population``, ``age_group`` and
        ``rate_from`` (:func:`~geo.analysis.need.estimate_need`).
    figures
        The figures table; ``lower``/``upper`` are used where present and not NaN.
    year
        The RIVM edition of the rates.
    settings
        :attr:`~geo.settings.AnalysisSettings.rate_margin_defaults`.

    Returns
    -------
    numpy.ndarray
        One value per row, aligned to ``buurten``.

    Examples
    --------
    >>> rate_sd(frame, figures, year=2022)  # doctest: +SKIP
    """
    default = default_rate_sd(buurten["population"].to_numpy(dtype=float), settings)
    interval = _interval_sd(buurten, figures, year)
    rate_from = buurten.get("rate_from", pd.Series("buurt", index=buurten.index))
    borrowed = ~rate_from.astype(str).str.startswith("buurt").to_numpy()
    out = np.where(np.isnan(interval), default, interval)
    return np.where(borrowed, np.fmax(interval, default), out)


def default_rate_sd(population: np.ndarray, settings: AnalysisSettings) -> np.ndarray:
    """The default sd of a rate by the size of the group (no published interval).

    Examples
    --------
    >>> default_rate_sd(np.array([80.0, 3000.0]), AnalysisSettings()).round(2).tolist()
    [4.59, 2.04]
    """
    population = np.nan_to_num(population, nan=0.0)
    half = np.full(len(population), float(settings.rate_margin_defaults[-1][1]))
    for limit, margin in reversed(settings.rate_margin_defaults):
        half = np.where(population < limit, margin, half)
    return half / Z95


def population_sigma(buurten: pd.DataFrame, settings: AnalysisSettings) -> np.ndarray:
    """Log-normal sigma of each buurt's population (0 for counts, from the cv for estimates)."""
    estimated = buurten.get("population_estimated", pd.Series("telling", index=buurten.index))
    is_estimate = ~estimated.astype(str).isin(COUNTED).to_numpy()
    sigma = np.sqrt(np.log1p(settings.estimated_population_cv**2))
    return np.where(is_estimate, sigma, 0.0)


def simulate_gaps(
    buurten: pd.DataFrame,
    *,
    rate_sd: np.ndarray,
    population_sigma: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    transport_weight: float = 0.5,
) -> np.ndarray:
    """Drawn gap scores, shape ``(draws, buurten)``; NaN where the point gap is NaN.

    With ``rate_sd`` and ``population_sigma`` all zero every draw equals ``gap_score``
    exactly (the factor is 1.0).
    """
    gap = buurten["gap_score"].to_numpy(dtype=float)
    population = np.nan_to_num(buurten["population"].to_numpy(dtype=float), nan=0.0)
    rate = np.nan_to_num(buurten["lonely_rate"].to_numpy(dtype=float), nan=0.0)
    served = np.nan_to_num(buurten["served_share"].to_numpy(dtype=float), nan=0.0)
    transport = np.nan_to_num(buurten["transport_index"].to_numpy(dtype=float), nan=0.0)
    per_lonely = (1 - served) * (1 + transport_weight * transport)  # gap of one lonely resident
    positive = (population > 0) & (rate > 0)
    n = len(gap)
    rate_d = np.clip(rate + rate_sd * rng.standard_normal((draws, n)), 0.0, 100.0)
    pop_d = np.broadcast_to(population, (draws, n)).copy()
    varies = np.flatnonzero(population_sigma > 0)  # only estimated populations are drawn
    sigma = population_sigma[varies]
    z_pop = rng.standard_normal((draws, len(varies)))
    pop_d[:, varies] = population[varies] * np.exp(sigma * z_pop - sigma**2 / 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # the factor is used only where positive
        factor = (pop_d / population) * (rate_d / rate)
        out = np.where(positive, gap * factor, pop_d * rate_d / 100 * per_lonely)
    out[:, np.isnan(gap)] = np.nan
    return out


def rank_draws(scores: np.ndarray) -> np.ndarray:
    """Rank per draw (1 = largest; ties share the lowest rank; NaN last), as in the point rank.

    Examples
    --------
    >>> rank_draws(np.array([[3.0, 1.0, np.nan, 3.0]])).tolist()
    [[1, 3, 4, 1]]
    """
    keyed = np.where(np.isnan(scores), np.inf, -scores)
    order = np.argsort(keyed, axis=1)  # quicksort: 5× faster than rankdata's stable sort
    ordered = np.take_along_axis(keyed, order, axis=1)
    position = np.broadcast_to(np.arange(keyed.shape[1], dtype=np.int32), keyed.shape)
    new = np.ones(keyed.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(new, position, 0), axis=1)  # ties: lowest rank
    ranks = np.empty(keyed.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def summarise_ranks(
    ranks: np.ndarray, *, top: int, settings: AnalysisSettings = AnalysisSettings()
) -> pd.DataFrame:
    """``rank_low``, ``rank_high``, ``top_share`` and ``certainty`` per column of ``ranks``.

    Examples
    --------
    >>> ranks = np.array([[1, 2], [1, 3], [2, 1]] * 10)
    >>> summarise_ranks(ranks, top=1)["certainty"].tolist()
    ['mogelijk', 'mogelijk']
    """
    if ranks.shape[1] == 0:
        return pd.DataFrame(columns=CERTAINTY_COLUMNS)
    tail = (1 - settings.certainty_range) / 2
    low = np.quantile(ranks, tail, axis=0, method="lower")
    high = np.quantile(ranks, 1 - tail, axis=0, method="higher")
    share = (ranks <= top).mean(axis=0)
    label = np.where(
        share >= settings.certainty_robust_share,
        ROBUUST,
        np.where(share >= settings.certainty_possible_share, MOGELIJK, NIET_ONDERSCHEIDEND),
    )
    return pd.DataFrame(
        {
            "rank_low": low.astype(int),
            "rank_high": high.astype(int),
            "top_share": share,
            "certainty": label,
        }
    )


def gap_certainty(
    buurten: pd.DataFrame,
    units: dict[str, tuple[pd.DataFrame, dict[str, list[str]]]],
    figures: pd.DataFrame,
    *,
    year: int,
    settings: AnalysisSettings = AnalysisSettings(),
) -> dict[str, pd.DataFrame]:
    """Rank ranges and certainty labels of buurten, wijken and focus areas.

    Parameters
    ----------
    buurten
        Scored buurt rows (:func:`~geo.analysis.gaps.score_gaps`).
    units
        Level (``wijk``, ``gebied``) -> (its aggregated rows with ``code`` and ``gap_score``,
        unit code -> member buurt codes).
    figures
        The figures table (intervals in ``lower``/``upper`` when present).
    year
        RIVM edition.
    settings
        Number of draws, top N per level, thresholds, default margins, seed.

    Returns
    -------
    dict
        Level (``buurt`` and every key of ``units``) -> :data:`CERTAINTY_COLUMNS`, aligned
        to the level's rows.

    Examples
    --------
    >>> out = gap_certainty(scored, {"wijk": (wijken, members)}, dataset.figures, year=2020)
    ... # doctest: +SKIP
    >>> out["wijk"]["certainty"].value_counts()  # doctest: +SKIP
    """
    frame = buurten.reset_index(drop=True)
    sd = rate_sd(frame, figures, year=year, settings=settings)
    sigma = population_sigma(frame, settings)
    position = {str(code): i for i, code in enumerate(frame["code"])}
    matrices = {
        niveau: _membership(rows, members, position) for niveau, (rows, members) in units.items()
    }
    points = {
        niveau: (matrices[niveau] @ np.nan_to_num(frame["gap_score"].to_numpy(dtype=float)))
        for niveau in units
    }
    rng = np.random.default_rng(settings.seed)
    ranks: dict[str, list[np.ndarray]] = {"buurt": [], **{niveau: [] for niveau in units}}
    left = settings.certainty_draws
    while left > 0:
        block = min(CHUNK, left)
        left -= block
        draws = simulate_gaps(
            frame,
            rate_sd=sd,
            population_sigma=sigma,
            draws=block,
            rng=rng,
            transport_weight=settings.transport_weight_in_gap,
        )
        ranks["buurt"].append(rank_draws(draws))
        filled = np.nan_to_num(draws)
        for niveau, (rows, _members) in units.items():
            if not len(rows):
                continue
            sums = (matrices[niveau] @ filled.T).T
            ranks[niveau].append(rank_draws(_rescaled(sums, points[niveau], rows)))
    out = {}
    for niveau, parts in ranks.items():
        top = settings.certainty_top_for(niveau)
        index = buurten.index if niveau == "buurt" else units[niveau][0].index
        if not parts:
            out[niveau] = pd.DataFrame(columns=CERTAINTY_COLUMNS, index=index)
            continue
        table = summarise_ranks(np.concatenate(parts), top=top, settings=settings)
        out[niveau] = table.set_axis(index)
    logger.info(
        "zekerheid: %d trekkingen, %s",
        settings.certainty_draws,
        {n: dict(t["certainty"].value_counts()) for n, t in out.items()},
    )
    return out


def certainty_sentence(niveau: str, settings: AnalysisSettings = AnalysisSettings()) -> str:
    """The one Dutch sentence that explains the labels of a level.

    Examples
    --------
    >>> certainty_sentence("wijk")[:60]
    "Zekerheid: 'robuust' = in ten minste 90 % van 1.000 trekking"
    """
    top = settings.certainty_top_for(niveau)
    noun = LEVEL_NOUNS.get(niveau, niveau)
    robust = round(100 * settings.certainty_robust_share)
    possible = round(100 * settings.certainty_possible_share)
    spread = round(100 * settings.certainty_range)
    return (
        f"Zekerheid: 'robuust' = in ten minste {robust} % van {fmt_int(settings.certainty_draws)} "
        f"trekkingen bij de {top} grootste hiaten van de {noun}, 'mogelijk' = in {possible} tot "
        f"{robust} %, 'niet onderscheidend' = minder vaak; elke trekking varieert de "
        "RIVM-percentages binnen hun 95 %-interval (zonder gepubliceerd interval: een vuistregel "
        "naar groepsgrootte) en geschatte aantallen inwoners met "
        f"{round(100 * settings.estimated_population_cv)} %, en 'rang van-tot' is het "
        f"{spread} %-bereik van de rang."
    )


def certainty_text(row: dict[str, object]) -> str:
    """``robuust (rang 1-2)``: the label with its rank range, for tables and reports."""
    label = row.get("certainty")
    if not isinstance(label, str) or not label:
        return ""
    low, high = row.get("rank_low"), row.get("rank_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):  # type: ignore[call-overload]
        return label
    span = f"{int(low)}" if low == high else f"{int(low)}-{int(high)}"  # type: ignore[call-overload]
    return f"{label} (rang {span})"


def _interval_sd(buurten: pd.DataFrame, figures: pd.DataFrame, year: int) -> np.ndarray:
    """Sd (points) from the published interval of the rate each buurt uses (NaN: none)."""
    out = np.full(len(buurten), np.nan)
    if "lower" not in figures.columns or "upper" not in figures.columns or buurten.empty:
        return out
    part = figures[
        (figures["year"] == year).to_numpy()
        & (figures["indicator"] == LONELY).to_numpy()
        & (figures["status"] == PUBLISHED).to_numpy()
    ]
    if part.empty:
        return out
    width = pd.DataFrame(
        {
            "code": part["code"].astype(str).to_numpy(),
            "group": part["group"].astype(str).to_numpy(),
            "width": part["upper"].to_numpy(dtype=float) - part["lower"].to_numpy(dtype=float),
        }
    ).drop_duplicates(["code", "group"])
    table = width.set_index(["code", "group"])["width"]
    rate_from = buurten.get("rate_from", pd.Series("buurt", index=buurten.index)).astype(str)
    source = rate_from.str.split(" ").str[0]
    code = buurten["code"].astype(str)
    gemeente = "GM" + code.str[2:6]  # BU0344xxxx lies in GM0344
    lender = np.where(
        source == "wijk",
        buurten["wijk_code"].astype(str),
        np.where(source == "gemeente", gemeente, code),
    )
    age = buurten.get("age_group", pd.Series("65+", index=buurten.index)).astype(str)
    keys = pd.MultiIndex.from_arrays([pd.Index(lender).astype(str), age.to_numpy()])
    found = np.array(table.reindex(keys).to_numpy(dtype=float), copy=True)
    found[found < 0] = np.nan
    return found / (2 * Z95)


def _membership(
    rows: pd.DataFrame, members: dict[str, list[str]], position: dict[str, int]
) -> sparse.csr_matrix:
    """Units × buurten 0/1 matrix in the order of ``rows``."""
    row_idx, col_idx = [], []
    for i, code in enumerate(rows["code"].astype(str) if len(rows) else []):
        for member in dict.fromkeys(members.get(code, [])):
            j = position.get(str(member))
            if j is not None:
                row_idx.append(i)
                col_idx.append(j)
    return sparse.csr_matrix(
        (np.ones(len(row_idx)), (row_idx, col_idx)), shape=(len(rows), len(position))
    )


def _rescaled(sums: np.ndarray, point_sums: np.ndarray, rows: pd.DataFrame) -> np.ndarray:
    """Drawn unit sums scaled to the units' own point gap scores (exact when nothing varies)."""
    if not len(rows):
        return sums
    own = rows["gap_score"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = own * (sums / point_sums)
    out = np.where(point_sums > 0, scaled, sums)
    out[:, np.isnan(own)] = np.nan
    return out
