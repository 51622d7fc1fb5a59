"""The OV-klasse map layer: per buurt the ARE class (A-F) that half its residents have or better.

Kept beside :mod:`geo.present.maps` (it uses that module's GeoJSON helpers) so the map module
stays one job per function; every text in a tooltip is escaped (:func:`maps.js_text`).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo.analysis.ov_klassen import CLASSES, DAGDEEL_LABELS, NONE
from geo.present.format import fmt_pct
from geo.present.maps._base import MISSING, Legend, js_text
from geo.present.maps.areas import area_layer

CLASS_COLOURS = {
    "A": "#1a9850",
    "B": "#91cf60",
    "C": "#d9ef8b",
    "D": "#fee08b",
    "E": "#fc8d59",
    "F": "#d73027",
    NONE: "#737373",
}
"""Green (A, very good service) to red (F); dark grey: no class within 1,000 m."""


def ov_klasse_layer(
    buurten: gpd.GeoDataFrame,
    *,
    dagdeel: str = "dag",
    source: str = "",
    name: str = "OV-klasse (ARE)",
) -> tuple[folium.GeoJson, Legend]:
    """A categorical layer of ``ov_klasse`` per buurt and its legend.

    Parameters
    ----------
    buurten
        Buurten (EPSG:28992) with ``code``, ``naam``, ``ov_klasse`` and the shares
        ``ov_aandeel_A`` … ``ov_aandeel_geen`` (:func:`geo.analysis.ov_klassen.ov_klassen`).
    dagdeel
        The dagdeel the classes are for (legend and tooltip).
    source
        Source and method, in every tooltip and under the legend.

    Examples
    --------
    >>> layer, legend = ov_klasse_layer(result.buurten, source="GTFS, ARE")  # doctest: +SKIP
    """
    klasse = buurten.get("ov_klasse", pd.Series(None, index=buurten.index))
    tips = []
    for position, (naam, code, value) in enumerate(
        zip(buurten["naam"], buurten["code"], klasse, strict=True)
    ):
        parts = [f"<b>{js_text(naam)}</b> ({js_text(code)})"]
        if value is None or (isinstance(value, float) and pd.isna(value)):
            parts.append("OV-klasse: onbekend (geen vertrekken bekend)")
        else:
            parts.append(f"OV-klasse ({js_text(DAGDEEL_LABELS[dagdeel])}): <b>{js_text(value)}</b>")
            shares = [
                f"{k} {fmt_pct(100 * float(buurten[f'ov_aandeel_{k}'].iloc[position]))}"
                for k in (*CLASSES, NONE)
                if f"ov_aandeel_{k}" in buurten
                and float(buurten[f"ov_aandeel_{k}"].iloc[position] or 0) > 0
            ]
            if shares:
                parts.append(f"Bewoners per klasse: {js_text(', '.join(shares))}")
        if source:
            parts.append(f'<span style="color:#555">Bron: {js_text(source)}</span>')
        tips.append("<br>".join(parts))
    colours = [
        CLASS_COLOURS.get(str(v), MISSING) if isinstance(v, str) else MISSING for v in klasse
    ]
    layer = area_layer(buurten, colours=colours, tips=tips, name=js_text(name))
    entries = [(CLASS_COLOURS[k], f"klasse {k}") for k in CLASSES] + [
        (CLASS_COLOURS[NONE], "geen klasse (geen halte binnen 1.000 m)")
    ]
    if any(c == MISSING for c in colours):
        entries.append((MISSING, "onbekend (geen dienstregeling)"))
    notes = (
        "A = zeer goed bediend … F = matig; de klasse die minstens de helft van de bewoners haalt.",
    )
    return layer, Legend(
        title=f"OV-klasse ({DAGDEEL_LABELS[dagdeel]})",
        entries=tuple(entries),
        notes=(*notes, source) if source else notes,
    )
