"""Vega-Lite specs for the Monitoring page: a sparkline per card and a trend per indicator.

Same conventions as :mod:`geo.present.charts`: plain dicts, the Dutch number locale, texts
from the register as data values (Vega renders them as text, never as HTML).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo.present.charts import AREA_COLOUR, DUTCH_LOCALE, NEDERLAND_COLOUR


def sparkline_spec(reeks: Sequence[Mapping[str, Any]], *, colour: str) -> dict[str, object]:
    """A small line of the series (``periode``, ``waarde``) without axes, for a card.

    Examples
    --------
    >>> spec = sparkline_spec([{"periode": "2023", "waarde": 5}], colour="#2e9e4f")
    >>> spec["mark"]["color"]
    '#2e9e4f'
    """
    return {
        "config": {"locale": DUTCH_LOCALE, "view": {"stroke": None}},
        "height": 40,
        "data": {"values": [{"periode": p["periode"], "waarde": p["waarde"]} for p in reeks]},
        "mark": {"type": "line", "point": True, "color": colour, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "periode", "type": "ordinal", "axis": None, "sort": None},
            "y": {"field": "waarde", "type": "quantitative", "axis": None,
                  "scale": {"zero": False}},
            "tooltip": [{"field": "periode", "title": "Periode"},
                        {"field": "waarde", "title": "Waarde", "format": ",.1~f"}],
        },
    }


def indicator_trend_spec(row: Mapping[str, Any]) -> dict[str, object]:
    """The series of one indicator with its target (a dashed rule) and, for an outcome, NL.

    Parameters
    ----------
    row
        A :func:`geo.monitoring.summary.status_rows` row (``reeks``, ``doel``, ``eenheid``,
        ``naam``; outcome rows may carry ``landelijk`` per point in ``reeks_landelijk``).
    """
    values = [{"periode": p["periode"], "waarde": p["waarde"], "reeks": "Waarde"}
              for p in row["reeks"]]
    values += [{"periode": p["periode"], "waarde": p["waarde"], "reeks": "Nederland"}
               for p in row.get("reeks_landelijk", [])]
    layers: list[dict[str, object]] = [{
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "periode", "type": "ordinal", "title": "Periode", "sort": None},
            "y": {"field": "waarde", "type": "quantitative", "title": row["eenheid"],
                  "scale": {"zero": False}},
            "color": {"field": "reeks", "type": "nominal", "title": None,
                      "scale": {"domain": ["Waarde", "Nederland"],
                                "range": [AREA_COLOUR, NEDERLAND_COLOUR]}},
            "tooltip": [{"field": "reeks", "title": "Reeks"},
                        {"field": "periode", "title": "Periode"},
                        {"field": "waarde", "title": "Waarde", "format": ",.1~f"}],
        },
    }]
    if row.get("doel") is not None:
        layers.append({
            "data": {"values": [{"doel": row["doel"], "tekst": f"doel {row['doeljaar']}"}]},
            "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#444"},
            "encoding": {"y": {"field": "doel", "type": "quantitative"},
                         "tooltip": [{"field": "tekst", "title": "Doel"},
                                     {"field": "doel", "title": "Waarde", "format": ",.1~f"}]},
        })
    return {
        "config": {"locale": DUTCH_LOCALE},
        "title": str(row["naam"]),
        "height": 220,
        "data": {"values": values},
        "layer": layers,
    }
