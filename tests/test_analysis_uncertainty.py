"""How sure is a gap: the seeded Monte Carlo of rank ranges and certainty labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from geo.aanbod import load_aanbod
from geo.analysis.pipeline import analyse, summarise_result
from geo.analysis.uncertainty import (
    certainty_sentence,
    gap_certainty,
    rank_draws,
    rate_sd,
    summarise_ranks,
)
from geo.model.dataset import Dataset
from geo.settings import AnalysisSettings
from tests.conftest import DEMO, UTRECHT

INF = float("inf")
NO_NOISE = AnalysisSettings(rate_margin_defaults=((INF, 0.0),), estimated_population_cv=0.0)


def with_intervals(dataset: Dataset, half_width: float) -> Dataset:
    """The dataset with RIVM intervals ``value ± half_width`` on every figure row."""
    figures = dataset.figures.copy()
    figures["lower"] = figures["value"] - half_width
    figures["upper"] = figures["value"] + half_width
    return dataclasses.replace(dataset, figures=figures)


def figure_rows(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": code,
                "indicator": "Eenzaam",
                "group": "65+",
                "year": 2022,
                "value": value,
                "lower": lower,
                "upper": upper,
                "status": "gepubliceerd",
            }
            for code, value, lower, upper in rows
        ]
    )


def three_buurten() -> pd.DataFrame:
    """A: gap 100 (sure), B: gap 90 with rate 30 % (20-40), C: gap 10 (sure)."""
    return pd.DataFrame(
        {
            "code": ["BU09990101", "BU09990102", "BU09990103"],
            "wijk_code": "WK099901",
            "population": [250.0, 300.0, 100.0],
            "population_estimated": "telling",
            "lonely_rate": [40.0, 30.0, 10.0],
            "rate_from": "buurt",
            "age_group": "65+",
            "lonely": [100.0, 90.0, 10.0],
            "served_share": 0.0,
            "transport_index": 0.0,
            "gap_score": [100.0, 90.0, 10.0],
        }
    )


HAND_FIGURES = figure_rows(
    [
        ("BU09990101", 40.0, 40.0, 40.0),
        ("BU09990102", 30.0, 20.0, 40.0),
        ("BU09990103", 10.0, 10.0, 10.0),
    ]
)


def test_hand_checkable_three_buurten():
    settings = AnalysisSettings(certainty_top=(("buurt", 1),), certainty_draws=4000)
    out = gap_certainty(three_buurten(), {}, HAND_FIGURES, year=2022, settings=settings)["buurt"]
    # B beats A when its drawn rate exceeds 30 × 100 / 90 = 33.3 %: with sd = 20 / 3.92 = 5.10
    # points that is z > 0.653, a chance of 25.7 %
    expected = 1 - norm.cdf((100 / 3 - 30) / (20 / 3.919928))
    assert expected == pytest.approx(0.257, abs=0.001)
    shares = out["top_share"].tolist()
    assert shares[1] == pytest.approx(expected, abs=0.03)
    assert shares[0] == pytest.approx(1 - expected, abs=0.03)
    assert shares[2] == 0.0
    assert out["certainty"].tolist() == ["mogelijk", "mogelijk", "niet onderscheidend"]
    assert out[["rank_low", "rank_high"]].values.tolist() == [[1, 2], [1, 2], [3, 3]]


def test_interval_wins_over_the_default_and_borrowed_rates_take_the_larger():
    frame = three_buurten()
    frame.loc[2, "rate_from"] = "wijk"
    figures = pd.concat(
        [HAND_FIGURES, figure_rows([("WK099901", 20.0, 19.0, 21.0)])], ignore_index=True
    )
    sd = rate_sd(frame, figures, year=2022, settings=AnalysisSettings())
    assert sd[0] == 0.0  # published interval of zero width
    assert sd[1] == pytest.approx(20 / 3.919928)
    # borrowed: the wijk interval (2 points wide) is narrower than the default for 100
    # residents (half-width 7 points: the 100-500 band), so the default counts
    assert sd[2] == pytest.approx(7.0 / 1.959964)
    no_intervals = figures.drop(columns=["lower", "upper"])
    defaults = rate_sd(frame, no_intervals, year=2022, settings=AnalysisSettings())
    assert defaults.round(3).tolist() == [round(7.0 / 1.959964, 3)] * 3


def test_rank_draws_matches_the_point_rank_rule():
    # ties share the lowest rank; unknown scores last, as gaps._rank does
    assert rank_draws(np.array([[5.0, np.nan, 5.0, 1.0]])).tolist() == [[1, 4, 1, 3]]


def test_labels_follow_the_shares():
    ranks = np.array([[1, 2, 3]] * 95 + [[2, 1, 3]] * 5)
    table = summarise_ranks(ranks, top=1)
    assert table["certainty"].tolist() == ["robuust", "niet onderscheidend", "niet onderscheidend"]
    assert table["top_share"].tolist() == [0.95, 0.05, 0.0]


def test_zero_width_intervals_reproduce_the_point_ranking(demo_dataset):
    dataset = with_intervals(demo_dataset, 0.0)
    aanbod = load_aanbod(DEMO, areas=dataset.areas)
    for group in ("ouderen", "jongvolwassenen"):
        result = analyse(dataset, aanbod.layers, group=group, settings=NO_NOISE, hotspots=False)
        for niveau, top in (("buurt", 10), ("wijk", 3), ("gebied", 3)):
            frame = result.level(niveau)
            assert len(frame), niveau
            expected = np.where(frame["rank"] <= top, "robuust", "niet onderscheidend")
            assert frame["certainty"].tolist() == expected.tolist(), (group, niveau)
            assert (frame["rank_low"] == frame["rank"]).all()
            assert (frame["rank_high"] == frame["rank"]).all()
            assert set(frame["top_share"]) <= {0.0, 1.0}


def test_deterministic_for_a_seed_and_ranks_within_bounds(demo_dataset):
    dataset = with_intervals(demo_dataset, 8.0)
    aanbod = load_aanbod(DEMO, areas=dataset.areas)
    # top 2 of the buurten: Eendenkooi (gap 427) and Reigerhof (384; transport poverty on the
    # fixed scale) are within the noise of ±8 points
    settings = AnalysisSettings(certainty_top=(("buurt", 2), ("wijk", 3), ("gebied", 3)))
    one = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False, settings=settings)
    two = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False, settings=settings)
    columns = ["rank_low", "rank_high", "top_share", "certainty"]
    for niveau in ("buurt", "wijk", "gebied"):
        pd.testing.assert_frame_equal(one.level(niveau)[columns], two.level(niveau)[columns])
        frame = one.level(niveau)
        assert (frame["rank_low"] >= 1).all() and (frame["rank_high"] <= len(frame)).all()
        assert (frame["rank_low"] <= frame["rank"]).all()
        assert (frame["rank"] <= frame["rank_high"]).all()
        assert set(frame["certainty"]) <= {"robuust", "mogelijk", "niet onderscheidend"}
    # with real noise some buurten are neither sure nor excluded
    labels = one.buurten.set_index("naam")["certainty"]
    assert labels["Lindenlaan"] == "robuust"
    assert labels["Eendenkooi"] == "mogelijk" and labels["Reigerhof"] == "mogelijk"
    other = analyse(
        dataset,
        aanbod.layers,
        group="ouderen",
        hotspots=False,
        settings=settings.with_(seed=7),
    )
    assert not np.array_equal(one.buurten["top_share"], other.buurten["top_share"])


def test_wider_intervals_give_wider_ranges(demo_dataset):
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    spans = []
    for half in (1.0, 8.0):
        result = analyse(
            with_intervals(demo_dataset, half), aanbod.layers, group="ouderen", hotspots=False
        )
        frame = result.buurten
        spans.append(float((frame["rank_high"] - frame["rank_low"]).mean()))
    assert spans[0] < spans[1]


def test_summary_rows_carry_the_labels(demo_dataset):
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    result = analyse(demo_dataset, aanbod.layers, group="ouderen", hotspots=False)
    rows = summarise_result(result, "wijk")
    first = rows[0]
    assert first["rank"] == 1
    assert first["certainty"] in ("robuust", "mogelijk")
    assert isinstance(first["rank_low"], int) and first["rank_low"] <= 1 <= first["rank_high"]
    sentence = certainty_sentence("wijk", result.settings)
    assert "3 grootste hiaten van de wijken" in sentence
    assert sentence.endswith(".") and ". " not in sentence  # one sentence


@pytest.mark.shared
def test_utrecht_numbers_unchanged_and_labelled(utrecht_dataset):
    aanbod = load_aanbod(UTRECHT, areas=utrecht_dataset.areas)
    result = analyse(utrecht_dataset, aanbod.layers, group="ouderen", hotspots=False)
    wijken = result.wijken.set_index("naam")
    assert wijken.loc["Overvecht", "severely_lonely_published"] == pytest.approx(714.1)
    # Vleuten-De Meern and Overvecht have by far the largest gaps among the wijken
    assert wijken.loc["Vleuten-De Meern", "certainty"] == "robuust"
    assert wijken.loc["Overvecht", "certainty"] == "robuust"
    assert wijken.loc["Binnenstad", "certainty"] == "niet onderscheidend"
