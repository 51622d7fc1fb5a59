"""Class breaks of the choropleths: Fisher-Jenks and quantiles, as mapclassify computes them.

A port of ``mapclassify.classifiers._fisher_jenks_means`` and ``quantile`` (BSD-3-Clause,
PySAL developers), arithmetic included (float32 sums, scipy's ``scoreatpercentile``
interpolation), so the breaks are the same to the bit. Importing mapclassify costs seconds
(it loads scipy.stats, scikit-learn and matplotlib), all of them on the path to the first map
of a freshly started dashboard; ``tests/test_breaks.py`` checks the equality against
mapclassify itself.
"""

from __future__ import annotations

import numpy as np


def fisher_jenks_bins(values: np.ndarray, k: int) -> list[float]:
    """Upper bounds of ``k`` Fisher-Jenks classes (``mapclassify.FisherJenks(values, k).bins``).

    Examples
    --------
    >>> fisher_jenks_bins(np.array([1.0, 2.0, 9.0, 10.0]), 2)
    [2.0, 10.0]
    """
    x = np.sort(np.asarray(values, dtype="f8"))
    n = len(x)
    mat1 = np.zeros((n + 1, k + 1), dtype=np.int32)
    mat2 = np.zeros((n + 1, k + 1), dtype=np.float32)
    mat1[1, 1:] = 1
    mat2[2:, 1:] = np.inf
    v = np.float32(0)
    for last in range(2, n + 1):
        s1 = np.float32(0)
        s2 = np.float32(0)
        w = np.float32(0)
        for m in range(1, last + 1):
            i3 = last - m + 1
            val = np.float32(x[i3 - 1])
            s2 += val * val
            s1 += val
            w += np.float32(1)
            v = s2 - (s1 * s1) / w
            i4 = i3 - 1
            if i4 != 0:
                for j in range(2, k + 1):
                    if mat2[last, j] >= (v + mat2[i4, j - 1]):
                        mat1[last, j] = i3
                        mat2[last, j] = v + mat2[i4, j - 1]
        mat1[last, 1] = 1
        mat2[last, 1] = v
    bounds = np.zeros(k + 1, dtype=x.dtype)
    bounds[k] = x[n - 1]
    bounds[0] = x[0]
    row = n
    for count in range(k, 1, -1):
        pivot = mat1[row, count]
        bounds[count - 1] = x[int(pivot - 2)]
        row = int(pivot - 1)
    return [float(b) for b in bounds[1:]]


def quantile_bins(values: np.ndarray, k: int) -> list[float]:
    """Distinct upper bounds of ``k`` quantile classes (``mapclassify.Quantiles(values, k)``).

    Examples
    --------
    >>> quantile_bins(np.arange(1000.0), 4)
    [249.75, 499.5, 749.25, 999.0]
    """
    x = np.sort(np.asarray(values, dtype="f8"))
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    return sorted({float(_score_at_percentile(x, p)) for p in percents})


def _score_at_percentile(ordered: np.ndarray, percent: float) -> float:
    """``scipy.stats.scoreatpercentile`` (interpolation ``fraction``) of sorted values."""
    index = percent / 100.0 * (len(ordered) - 1)
    low = int(index)
    if low == index:
        return float(np.add.reduce(ordered[low : low + 1] * np.array(1)) / 1.0)
    high = low + 1
    weights = np.array([(high - index), (index - low)], float)
    return float(np.add.reduce(ordered[low : low + 2] * weights) / weights.sum())
