"""The choropleth class breaks equal mapclassify's, to the bit, without importing it."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest

from geo.present._breaks import fisher_jenks_bins, quantile_bins


def samples():
    rng = np.random.default_rng(16)
    yield np.array([1.0, 2.0, 9.0, 10.0])
    yield np.round(rng.normal(47, 6, 111), 1)  # like Utrecht buurt percentages: many ties
    yield np.round(rng.uniform(0, 100, 300), 0)
    yield rng.lognormal(3, 1, 57)
    yield np.repeat([5.0, 6.0, 7.0, 50.0], [20, 1, 1, 3])
    yield np.round(rng.normal(47, 9, 10_575), 1)  # national: quantiles


@pytest.mark.parametrize("k", [2, 3, 5])
def test_fisher_jenks_equals_mapclassify(k):
    for values in samples():
        if len(values) > 300 or len(np.unique(values)) < k:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = mapclassify.FisherJenks(values, k=k).bins.tolist()
        assert fisher_jenks_bins(values, k) == expected


@pytest.mark.parametrize("k", [2, 4, 5, 7])
def test_quantiles_equal_mapclassify(k):
    for values in samples():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = sorted(set(mapclassify.Quantiles(values, k=k).bins.tolist()))
        assert quantile_bins(values, k) == expected


def test_the_map_module_does_not_import_mapclassify():
    import subprocess
    import sys

    code = "import sys, geo.present.maps; print('mapclassify' in sys.modules)"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.stdout.strip() == "False", answer.stderr
