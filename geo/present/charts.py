"""Charts as Vega-Lite specifications (plain dicts; no Streamlit, no Altair needed).

The app draws them with ``st.vega_lite_chart``; a report can render the same spec. Every
spec carries a Dutch number locale (decimal comma, thousands dot), so axes and tooltips read
``48,9`` rather than ``48.9``, and years are shown as labels (``2020``, not ``2,020``).
Texts from files (area names) are data values, which Vega renders as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from geo.present.format import fmt_pct, fmt_pct_interval

DUTCH_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["€ ", ""],
    }
}
FIT = {"type": "fit-x", "contains": "padding"}
"""Axis labels and legend inside the chart's width: no chart sticks out on a phone."""
AREA_COLOUR = "#c8102e"
GEMEENTE_COLOUR = "#1f4e79"
NEDERLAND_COLOUR = "#9bb7d4"


def comparison_chart(
    rows: Sequence[Mapping[str, object]], *, area: str, gemeente: str = "Gemeente"
) -> dict[str, object]:
    """Key figures of an area against the gemeente and Nederland (grouped horizontal bars).

    Parameters
    ----------
    rows
        ``area_profile(...)["figures"]`` rows of one age group: ``label``, ``value``,
        ``gemeente``, ``nederland``, ``status``.
    area
        The area's name (first series).
    gemeente
        Name of the gemeente series.

    Returns
    -------
    dict
        A Vega-Lite spec; suppressed values have no bar and say so in the tooltip.

    Examples
    --------
    >>> spec = comparison_chart(
    ...     [{"label": "Eenzaam", "value": 58.2, "gemeente": 48.9, "nederland": 47.0}],
    ...     area="Overvecht",
    ... )
    >>> [v["reeks"] for v in spec["data"]["values"]]
    ['Overvecht', 'Gemeente', 'Nederland']
    """
    series = [(area, "value"), (gemeente, "gemeente"), ("Nederland", "nederland")]
    values = []
    for row in rows:
        for order, (name, key) in enumerate(series):
            number = _number(row.get(key))
            values.append(
                {
                    "indicator": str(row.get("label", "")),
                    "reeks": name,
                    "volgorde": order,
                    "waarde": number,
                    "tekst": fmt_pct(number) if number is not None else "niet gepubliceerd",
                }
            )
    domain = [name for name, _ in series]
    return {
        "config": {"locale": DUTCH_LOCALE},
        "autosize": FIT,
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": "indicator",
                "type": "nominal",
                "title": None,
                "sort": None,
                "axis": {"labelLimit": 220},
            },
            "yOffset": {"field": "reeks", "sort": domain},
            "x": {
                "field": "waarde",
                "type": "quantitative",
                "title": "% van de leeftijdsgroep",
                "axis": {"format": ",.0f"},
            },
            "color": {
                "field": "reeks",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": domain,
                    "range": [AREA_COLOUR, GEMEENTE_COLOUR, NEDERLAND_COLOUR],
                },
                "legend": {"orient": "bottom", "direction": "vertical"},  # fits a phone
            },
            "tooltip": [
                {"field": "reeks", "title": "Gebied"},
                {"field": "indicator", "title": "Indicator"},
                {"field": "tekst", "title": "Waarde"},
            ],
        },
    }


def trend_chart(
    rows: Sequence[Mapping[str, object]], *, area: str, gemeente: str = "Gemeente"
) -> dict[str, object]:
    """The trend over the RIVM editions (2012, 2016, 2020, ...) against gemeente and NL.

    Parameters
    ----------
    rows
        ``area_profile(...)["trend"]`` rows: ``year``, ``value``, ``gemeente``, ``nederland``
        (and ``lower``/``upper``: the area's tooltip then shows the 95 % interval).
    area
        The area's name (first series).
    gemeente
        Name of the gemeente series.

    Examples
    --------
    >>> spec = trend_chart([{"year": 2012, "value": 45.6, "gemeente": 39.9,
    ...                      "nederland": 39.6}], area="Taagdreef")
    >>> spec["encoding"]["x"]["type"]
    'ordinal'
    """
    series = [(area, "value"), (gemeente, "gemeente"), ("Nederland", "nederland")]
    values = []
    for row in rows:
        for name, key in series:
            number = _number(row.get(key))
            if number is not None:
                values.append(
                    {
                        "jaar": str(row.get("year", "")),
                        "reeks": name,
                        "waarde": number,
                        # the area's own figure with its 95 % interval where published
                        "tekst": fmt_pct_interval(number, row.get("lower"), row.get("upper"))
                        if key == "value"
                        else fmt_pct(number),
                    }
                )
    domain = [name for name, _ in series]
    return {
        "config": {"locale": DUTCH_LOCALE},
        "autosize": FIT,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 60}},
        "encoding": {
            "x": {"field": "jaar", "type": "ordinal", "title": "Editie", "axis": {"labelAngle": 0}},
            "y": {
                "field": "waarde",
                "type": "quantitative",
                "title": "% eenzaam",
                "scale": {"zero": False},
                "axis": {"format": ",.0f"},
            },
            "color": {
                "field": "reeks",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": domain,
                    "range": [AREA_COLOUR, GEMEENTE_COLOUR, NEDERLAND_COLOUR],
                },
                "legend": {"orient": "bottom", "direction": "vertical"},  # fits a phone
            },
            "tooltip": [
                {"field": "reeks", "title": "Gebied"},
                {"field": "jaar", "title": "Editie"},
                {"field": "tekst", "title": "Eenzaam"},
            ],
        },
    }


def count_chart(counts: Mapping[str, float], *, title: str) -> dict[str, object]:
    """Counts per category as horizontal bars, largest first (e.g. reachable aanbod by soort).

    Examples
    --------
    >>> spec = count_chart({"Bewegen / sport": 6, "Samen eten": 0}, title="Activiteiten")
    >>> [v["soort"] for v in spec["data"]["values"]]
    ['Bewegen / sport', 'Samen eten']
    """
    values = [
        {"soort": str(name), "aantal": float(number or 0)}
        for name, number in sorted(counts.items(), key=lambda item: -(item[1] or 0))
    ]
    return {
        "config": {"locale": DUTCH_LOCALE},
        "autosize": FIT,
        "data": {"values": values},
        "mark": {"type": "bar", "color": GEMEENTE_COLOUR, "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": "soort",
                "type": "nominal",
                "title": None,
                "sort": "-x",
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "aantal",
                "type": "quantitative",
                "title": title,
                "axis": {"format": ",d", "tickMinStep": 1},
            },
            "tooltip": [
                {"field": "soort", "title": "Soort"},
                {"field": "aantal", "title": "Aantal", "format": ",d"},
            ],
        },
    }


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
