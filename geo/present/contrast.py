"""Colour checks for maps and legends: WCAG contrast, colour-blindness simulation, ΔE.

Used by the tests to keep the classed palettes colour-blind safe and the legends readable:

* :func:`contrast_ratio` is the WCAG 2.1 definition (1 to 21; text needs 4.5, graphics 3).
* :func:`simulate` shows a colour as seen with protanopia, deuteranopia or tritanopia
  (Machado, Oliveira & Fernandes 2009, severity 1), so a palette can be checked for what a
  colour-blind reader still tells apart.
* :func:`delta_e` is the CIE76 colour difference in CIELAB (about 2.3 is just noticeable;
  10 or more reads as a different class at a glance).
"""

from __future__ import annotations

import re

import numpy as np

CVD_MATRICES = {
    "protanopie": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopie": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopie": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
"""Machado et al. (2009) simulation matrices at severity 1.0, on linear RGB."""

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def rgb(colour: str) -> np.ndarray:
    """``#rrggbb`` as three floats in 0-1.

    Examples
    --------
    >>> rgb("#ff8000").round(3).tolist()
    [1.0, 0.502, 0.0]
    """
    found = _HEX.fullmatch(colour.strip())
    if found is None:
        raise ValueError(f"kleur moet #rrggbb zijn, niet {colour!r}")
    text = found.group(1)
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def to_hex(values: np.ndarray) -> str:
    """Three floats in 0-1 as ``#rrggbb`` (clipped)."""
    clipped = np.clip(np.round(np.asarray(values, dtype=float) * 255), 0, 255).astype(int)
    return "#" + "".join(f"{v:02x}" for v in clipped)


def _linear(srgb: np.ndarray) -> np.ndarray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _gamma(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0, 1)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance (0 for black, 1 for white).

    Examples
    --------
    >>> relative_luminance("#ffffff"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    r, g, b = _linear(rgb(colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1-21).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    >>> round(contrast_ratio("#767676", "#ffffff"), 2)
    4.54
    """
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def simulate(colour: str, kind: str) -> str:
    """The colour as seen with a colour-vision deficiency.

    ``kind`` is ``protanopie``, ``deuteranopie`` or ``tritanopie``.

    Examples
    --------
    >>> simulate("#ffffff", "deuteranopie")
    '#ffffff'
    """
    matrix = CVD_MATRICES[kind]
    return to_hex(_gamma(matrix @ _linear(rgb(colour))))


def lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a colour: L* 0-100, a*, b*."""
    linear = _linear(rgb(colour))
    xyz = (
        np.array(
            [
                [0.4124564, 0.3575761, 0.1804375],
                [0.2126729, 0.7151522, 0.0721750],
                [0.0193339, 0.1191920, 0.9503041],
            ]
        )
        @ linear
    )
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(first: str, second: str) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB).

    Examples
    --------
    >>> delta_e("#ffffff", "#ffffff")
    0.0
    >>> round(delta_e("#000000", "#ffffff"))
    100
    """
    return float(np.linalg.norm(lab(first) - lab(second)))
