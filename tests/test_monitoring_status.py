"""Progress status by the Open SDG method: one hand-computed case per band."""

from __future__ import annotations

import pytest

from geo.monitoring.status import (
    ACCELERATE,
    ACHIEVED,
    DETERIORATION,
    LIMITED,
    ON_TRACK,
    UNKNOWN,
    progress_status,
)

# Base 100 in 2020, target 121 in 2022: 10 % a year needed ((121/100)^(1/2) - 1).
TARGET = (2022.0, 121.0)


@pytest.mark.parametrize(
    ("latest", "band", "ratio"),
    [
        # 2021: 110 → 10 % a year observed → R = 1.00
        (110.0, ON_TRACK, 1.0),
        # 2021: 109.5 → 9.5 % → R = 0.95 exactly: still op koers (≥ 95 %)
        (109.5, ON_TRACK, 0.95),
        # 2021: 107 → 7 % → R = 0.70
        (107.0, ACCELERATE, 0.70),
        # 2021: 106 → R = 0.60 exactly: versnelling nodig (≥ 60 %)
        (106.0, ACCELERATE, 0.60),
        # 2021: 103 → R = 0.30
        (103.0, LIMITED, 0.30),
        # 2021: 100 → R = 0: beperkte vooruitgang (0-60 %)
        (100.0, LIMITED, 0.0),
        # 2021: 95 → -5 % → R = -0.5
        (95.0, DETERIORATION, -0.5),
    ],
)
def test_bands_with_a_target(latest, band, ratio):
    progress = progress_status((2020.0, 100.0), (2021.0, latest), richting="hoger", target=TARGET)
    assert progress.status == band
    assert progress.ratio == pytest.approx(ratio)


def test_target_reached_and_lower_is_better():
    reached = progress_status((2020.0, 100.0), (2021.0, 125.0), richting="hoger", target=TARGET)
    assert reached.status == ACHIEVED
    # lower is better: 50 → 40.5 needed in two years (-10 %/yr); 45 after one year = -10 %
    down = progress_status((2020.0, 50.0), (2021.0, 45.0), richting="lager", target=(2022.0, 40.5))
    assert down.status == ON_TRACK and down.ratio == pytest.approx(1.0)
    worse = progress_status((2020.0, 50.0), (2021.0, 55.0), richting="lager", target=(2022.0, 40.5))
    assert worse.status == DETERIORATION and worse.ratio == pytest.approx(-1.0)


def test_strict_target_is_not_reached_when_equal():
    equal = progress_status(
        (2012.0, 110.0), (2020.0, 100.0), richting="lager", target=(2026.0, 100.0), strict=True
    )
    assert equal.status != ACHIEVED
    loose = progress_status(
        (2012.0, 110.0), (2020.0, 100.0), richting="lager", target=(2026.0, 100.0)
    )
    assert loose.status == ACHIEVED


@pytest.mark.parametrize(
    ("latest", "band"),
    [
        (102.0, ON_TRACK),  # 2 % a year ≥ 1.5 %
        (101.5, ON_TRACK),  # exactly 1.5 %
        (101.0, ACCELERATE),  # 1 %: 0.5-1.5 %
        (100.2, LIMITED),  # 0.2 %: 0-0.5 %
        (99.0, DETERIORATION),  # -1 %
    ],
)
def test_bands_without_a_target(latest, band):
    progress = progress_status((2023.0, 100.0), (2024.0, latest), richting="hoger")
    assert progress.status == band
    assert progress.groei == pytest.approx(latest / 100 - 1)


def test_without_target_lower_is_better_flips_the_sign():
    assert progress_status((2023.0, 100.0), (2024.0, 98.0), richting="lager").status == ON_TRACK
    assert progress_status((2023.0, 100.0), (2024.0, 102.0), richting="lager").status == (
        DETERIORATION
    )


def test_unknown_without_two_points_or_from_zero():
    assert progress_status((2024.0, 5.0), (2024.0, 5.0), richting="hoger").status == UNKNOWN
    assert progress_status((2023.0, 0.0), (2024.0, 5.0), richting="hoger").status == UNKNOWN


def test_half_years_count_as_half_a_year():
    # 100 in 2024H1 (2024.0), 105 in 2024H2 (2024.5): (1.05)^2 - 1 = 10.25 % a year
    progress = progress_status((2024.0, 100.0), (2024.5, 105.0), richting="hoger")
    assert progress.groei == pytest.approx(0.1025)
