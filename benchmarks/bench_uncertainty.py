"""Benchmark: the gap-certainty Monte Carlo on a Netherlands-sized input, against a plain loop.

Input (seeded, generated): 11,146 buurten (the number of CBS buurten 2014 with a code in
../shared/data/nl) in 2,800 wijken, each with a focus-group population, a RIVM rate with a
95 % interval, a served share, a transport index and its gap score; a third of the
populations are estimates. Both implementations get the same seeded draws
(:func:`~geo.analysis.uncertainty.simulate_gaps`), so the comparison is about the ranking
and aggregation:

* **Wijkkompas** (:func:`~geo.analysis.uncertainty.gap_certainty`): blocks of 100 draws,
  ``scipy.stats.rankdata`` along the draws, wijk sums as one sparse matrix product;
* **reference**: the obvious code — per draw a pandas ``Series.rank`` of the buurten and a
  ``groupby`` sum per wijk, then the same percentiles and shares.

The equality check compares every ``rank_low``, ``rank_high``, ``top_share`` and label.

Usage: python benchmarks/bench_uncertainty.py [--buurten 11146] [--draws 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from geo.analysis.uncertainty import (
    gap_certainty,
    population_sigma,
    rate_sd,
    simulate_gaps,
    summarise_ranks,
)
from geo.settings import AnalysisSettings


def synthetic(buurten: int, wijken: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scored buurt rows and their figures (with intervals), seeded."""
    rng = np.random.default_rng(seed)
    wijk = rng.integers(0, wijken, buurten)
    population = rng.gamma(2.0, 300.0, buurten).round()
    rate = rng.uniform(30, 65, buurten).round(1)
    served = rng.uniform(0, 1, buurten) * (rng.uniform(size=buurten) > 0.3)
    transport = rng.uniform(0, 1, buurten)
    lonely = population * rate / 100
    gap = lonely * (1 - served) * (1 + 0.5 * transport)
    codes = [f"BU{i:08d}" for i in range(buurten)]
    frame = pd.DataFrame(
        {
            "code": codes,
            "wijk_code": [f"WK{w:06d}" for w in wijk],
            "population": population,
            "population_estimated": np.where(
                rng.uniform(size=buurten) < 1 / 3, "schatting", "telling"
            ),
            "lonely_rate": rate,
            "rate_from": "buurt",
            "age_group": "65+",
            "lonely": lonely,
            "served_share": served,
            "transport_index": transport,
            "gap_score": gap,
        }
    )
    half = rng.uniform(2, 9, buurten)
    figures = pd.DataFrame(
        {
            "code": codes,
            "indicator": "Eenzaam",
            "group": "65+",
            "year": 2022,
            "value": rate,
            "lower": rate - half,
            "upper": rate + half,
            "status": "gepubliceerd",
        }
    )
    return frame, figures


def reference(
    frame: pd.DataFrame, figures: pd.DataFrame, settings: AnalysisSettings
) -> dict[str, pd.DataFrame]:
    """Per draw: pandas rank of the buurten, groupby sum and rank of the wijken."""
    sd = rate_sd(frame, figures, year=2022, settings=settings)
    sigma = population_sigma(frame, settings)
    rng = np.random.default_rng(settings.seed)
    wijk_point = frame.groupby("wijk_code", sort=True)["gap_score"].sum()
    buurt_ranks, wijk_ranks = [], []
    left = settings.certainty_draws
    while left > 0:
        block = min(100, left)
        left -= block
        draws = simulate_gaps(
            frame, rate_sd=sd, population_sigma=sigma, draws=block, rng=rng, transport_weight=0.5
        )
        for row in draws:
            scores = pd.Series(row)
            buurt_ranks.append(scores.rank(ascending=False, method="min").to_numpy(int))
            sums = scores.groupby(frame["wijk_code"].to_numpy()).sum()
            scaled = wijk_point * (sums / wijk_point)  # as gap_certainty scales to the point
            wijk_ranks.append(scaled.rank(ascending=False, method="min").to_numpy(int))
    return {
        "buurt": summarise_ranks(np.array(buurt_ranks), top=10, settings=settings),
        "wijk": summarise_ranks(np.array(wijk_ranks), top=3, settings=settings),
    }


def main() -> None:
    """Time both and check they agree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buurten", type=int, default=11_146)
    parser.add_argument("--wijken", type=int, default=2_800)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    settings = AnalysisSettings(certainty_draws=args.draws)
    frame, figures = synthetic(args.buurten, args.wijken)
    wijken = pd.DataFrame({"code": sorted(frame["wijk_code"].unique())}).assign(
        gap_score=lambda w: w["code"].map(frame.groupby("wijk_code")["gap_score"].sum())
    )
    members = {str(k): list(v) for k, v in frame.groupby("wijk_code")["code"]}
    start = time.perf_counter()
    ours = gap_certainty(frame, {"wijk": (wijken, members)}, figures, year=2022, settings=settings)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    theirs = reference(frame, figures, settings)
    slow = time.perf_counter() - start
    for niveau in ("buurt", "wijk"):
        pd.testing.assert_frame_equal(
            ours[niveau].reset_index(drop=True), theirs[niveau].reset_index(drop=True)
        )
    labels = ours["buurt"]["certainty"].value_counts().to_dict()
    print(
        f"{args.buurten:,} buurten in {len(wijken):,} wijken × {args.draws:,} trekkingen: "
        f"Wijkkompas {fast:.2f} s, per-draw pandas loop {slow:.2f} s, ratio {slow / fast:.1f}×; "
        f"identical rank ranges and labels ({labels})"
    )


if __name__ == "__main__":
    main()
