"""Layer styles as data: one description drives the QGIS style (QML/SLD) and the HTML map.

A :class:`LayerStyle` says how a layer is drawn: a graduated choropleth on a numeric column
(classes as in the dashboard: natural breaks, the same orange-red palette, missing values grey),
symbols categorised by a text column (the aanbod soorten), or one symbol for every feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from geo.present.format import fmt_num
from geo.present.maps import MISSING, PALETTE, classify

Kind = Literal["graduated", "categorized", "single"]
Geometry = Literal["polygon", "point", "line"]

OTHER = "#bbbbbb"
"""Colour of values outside the categories."""
MISSING_LABEL = "geen cijfer (niet gepubliceerd of onbekend)"


@dataclass(frozen=True)
class StyleClass:
    """One legend entry: a colour and a Dutch label, with a value range or a category value."""

    colour: str
    label: str
    lower: float | None = None
    upper: float | None = None
    value: str | None = None


@dataclass(frozen=True)
class LayerStyle:
    """How a layer is drawn.

    Attributes
    ----------
    kind
        ``graduated`` (numeric classes), ``categorized`` (one symbol per value) or ``single``.
    geometry
        ``polygon``, ``point`` or ``line``.
    column
        The column that is classified or categorised (None for ``single``).
    title
        Legend title (Dutch).
    classes
        The legend entries, in drawing order.
    colour
        Colour of a single symbol (and of outlines).
    outline
        Draw polygons as outlines only (focus areas, service areas).
    missing
        Graduated: features without a value get a grey class with this label.
    """

    kind: Kind
    geometry: Geometry
    column: str | None = None
    title: str = ""
    classes: tuple[StyleClass, ...] = ()
    colour: str = "#1f77b4"
    outline: bool = False
    missing: str | None = MISSING_LABEL


def graduated(
    values: pd.Series,
    *,
    column: str,
    title: str,
    unit: str = "",
    decimals: int = 1,
    k: int = 5,
) -> LayerStyle:
    """A graduated polygon style on ``column``: natural breaks, the dashboard's palette.

    Parameters
    ----------
    values
        The column's values (NaN = missing, drawn grey).
    column
        Column name in the layer.
    title
        Legend title.
    unit
        Unit after the numbers in the labels (``%``).
    decimals
        Decimals in the labels.
    k
        Number of classes (fewer when there are few distinct values).

    Returns
    -------
    LayerStyle

    Examples
    --------
    >>> style = graduated(pd.Series([10.0, 20.0, 30.0]), column="x", title="X", unit="%", k=3)
    >>> [c.label for c in style.classes]
    ['t/m 10,0 %', '10,0 – 20,0 %', '20,0 – 30,0 %']
    """
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    _, bins = classify(numbers, k=k)
    palette = _palette(len(bins))
    classes = []
    lower = float(numbers.min()) if len(bins) else None
    for i, (colour, upper) in enumerate(zip(palette, bins, strict=False)):
        if i == 0:
            text = f"t/m {fmt_num(upper, decimals)} {unit}"
        else:
            text = f"{fmt_num(lower, decimals)} – {fmt_num(upper, decimals)} {unit}"
        classes.append(
            StyleClass(colour=colour, label=text.strip(), lower=lower, upper=float(upper))
        )
        lower = float(upper)
    return LayerStyle(
        kind="graduated", geometry="polygon", column=column, title=title, classes=tuple(classes)
    )


def categorized(
    column: str,
    *,
    title: str,
    colours: dict[str, str],
    labels: dict[str, str],
    geometry: Geometry = "point",
) -> LayerStyle:
    """One symbol per value of ``column`` (every key of ``labels``); other values grey.

    Examples
    --------
    >>> style = categorized("soort", title="Soort", colours={"a": "#ff0000"}, labels={"a": "A"})
    >>> [(c.value, c.colour) for c in style.classes]
    [('a', '#ff0000')]
    """
    classes = tuple(
        StyleClass(colour=colours.get(key, OTHER), label=text, value=key)
        for key, text in labels.items()
    )
    return LayerStyle(
        kind="categorized", geometry=geometry, column=column, title=title, classes=classes
    )


def single(geometry: Geometry, *, title: str, colour: str, outline: bool = False) -> LayerStyle:
    """One symbol for every feature (points, or polygons drawn as outline on request).

    Examples
    --------
    >>> single("point", title="OV-haltes", colour="#444444").kind
    'single'
    """
    return LayerStyle(
        kind="single",
        geometry=geometry,
        title=title,
        colour=colour,
        outline=outline,
        classes=(StyleClass(colour=colour, label=title),),
    )


def missing_sentinel(style: LayerStyle) -> float:
    """The number a missing value is replaced by in the QGIS expression (below every class).

    Examples
    --------
    >>> missing_sentinel(graduated(pd.Series([0.0, 5.0]), column="x", title="X", k=2))
    -1.0
    """
    lowest = min((c.lower for c in style.classes if c.lower is not None), default=0.0)
    return float(np.floor(min(lowest, 0.0)) - 1.0)


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` -> ``(r, g, b)``.

    Examples
    --------
    >>> rgb("#a51c30")
    (165, 28, 48)
    """
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _palette(n: int) -> list[str]:
    if n == len(PALETTE):
        return list(PALETTE)
    if n <= 1:
        return [PALETTE[-2]]
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return [PALETTE[i] for i in idx]


__all__ = [
    "MISSING",
    "LayerStyle",
    "StyleClass",
    "categorized",
    "graduated",
    "missing_sentinel",
    "rgb",
    "single",
]
