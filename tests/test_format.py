"""Dutch number formatting used in reasons, the CLI, the dashboard and exports."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import geo.present.format as fmt
from geo.present.format import fmt_int, fmt_num, fmt_pct


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1240, "1.240"),
        (1234567, "1.234.567"),
        (0, "0"),
        (713.6, "714"),
        (2.5, "3"),
        (-1240.4, "-1.240"),
        (-0.4, "0"),
        (np.int64(5), "5"),
        (np.float32(12.0), "12"),
    ],
)
def test_fmt_int(value: object, expected: str):
    assert fmt_int(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.5, 1, "0,5"),
        (12345.678, 2, "12.345,68"),
        (1.25, 1, "1,3"),
        (0.05, 1, "0,1"),
        (-0.04, 1, "0,0"),
        (1000.0, 0, "1.000"),
        (3, 2, "3,00"),
    ],
)
def test_fmt_num(value: float, decimals: int, expected: str):
    assert fmt_num(value, decimals) == expected


def test_fmt_pct():
    assert fmt_pct(48.9) == "48,9 %"
    assert fmt_pct(14.84, 0) == "15 %"
    assert fmt_pct(100) == "100,0 %"


@pytest.mark.parametrize(
    "missing", [None, float("nan"), np.nan, pd.NA, np.float32("nan"), float("inf"), "geen getal"]
)
def test_missing_values_print_a_dash(missing: object):
    assert fmt_int(missing) == "–"
    assert fmt_num(missing) == "–"
    assert fmt_pct(missing) == "–"
    assert fmt_num(missing, missing="n.b.") == "n.b."


def test_docstring_examples():
    assert doctest.testmod(fmt).failed == 0
