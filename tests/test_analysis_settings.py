"""The analysis settings: documented defaults, frozen, and refusing nonsense."""

from __future__ import annotations

import dataclasses

import pytest

from geo.settings import GROUPS, AnalysisSettings


def test_defaults_of_the_issue():
    settings = AnalysisSettings()
    assert settings.catchment("ouderen") == 500 and settings.catchment("jongvolwassenen") == 1500
    assert settings.minutes(500) == pytest.approx(500 / 60)  # 3.6 km/h = 60 m a minute
    assert settings.detour_factor == 1.3 and settings.min_group_size == 50
    assert settings.shrinkage is False and settings.decay == "steps"
    assert sum(w for _, w in settings.transport_weights) == pytest.approx(1.0)
    assert {group for group, _ in settings.catchment_m} == set(GROUPS)
    # gap certainty: 1,000 draws, top 10 buurten / 3 wijken / 3 focus areas, 90 % and 10 %
    assert settings.certainty_draws == 1000
    assert [settings.certainty_top_for(n) for n in ("buurt", "wijk", "gebied")] == [10, 3, 3]
    assert (settings.certainty_robust_share, settings.certainty_possible_share) == (0.9, 0.1)


def test_frozen_and_copied_with_changes():
    settings = AnalysisSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.detour_factor = 2.0  # type: ignore[misc]
    wider = settings.with_(detour_factor=1.5)
    assert wider.detour_factor == 1.5 and settings.detour_factor == 1.3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"decay": "linear"}, "afstandsverval"),
        ({"detour_factor": 0.8}, "omrijfactor"),
        ({"catchment_m": (("ouderen", 500.0),)}, "reikwijdte"),
        ({"fdr_alpha": 1.5}, "FDR-alfa"),
        ({"permutations": 0}, "permutaties"),
        ({"certainty_draws": 5}, "trekkingen"),
        ({"certainty_possible_share": 0.95}, "zekerheidsgrenzen"),
        ({"certainty_range": 1.0}, "rangbereik"),
        ({"certainty_top": (("buurt", 0),)}, "top N"),
        ({"rate_margin_defaults": ((100.0, 5.0),)}, "standaardmarges"),
        ({"estimated_population_cv": -0.1}, "variatiecoëfficiënt"),
    ],
)
def test_nonsense_is_refused_in_dutch(changes: dict[str, object], message: str):
    with pytest.raises(ValueError, match=message):
        AnalysisSettings(**changes)  # type: ignore[arg-type]
