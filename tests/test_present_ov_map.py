"""The OV-klasse map layer: colours per class, escaped tooltips with shares, the legend."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
from shapely.geometry import box

from geo.present.maps import base_map, render_html
from geo.present.ov_map import CLASS_COLOURS, ov_klasse_layer


def test_layer_colours_buurten_by_class_and_escapes_names():
    buurten = gpd.GeoDataFrame(
        {
            "code": ["BU1", "BU2", "BU3"],
            "naam": ["Noord <script>", "Zuid", "Ver"],
            "ov_klasse": ["A", "geen", None],
            "ov_aandeel_A": [0.75, 0.0, np.nan],
            "ov_aandeel_C": [0.25, 0.0, np.nan],
            "ov_aandeel_geen": [0.0, 1.0, np.nan],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs="EPSG:28992",
    )
    buurten.geometry = buurten.geometry.translate(130_000, 450_000)
    layer, legend = ov_klasse_layer(buurten, source="GTFS test")
    features = layer.data["features"]
    assert [f["properties"]["kleur"] for f in features] == [
        CLASS_COLOURS["A"],
        CLASS_COLOURS["geen"],
        "#c8c8c8",
    ]
    tip = features[0]["properties"]["tip"]
    assert "<script>" not in tip and "&lt;script&gt;" in tip
    assert "OV-klasse (werkdagen 6-22 uur): <b>A</b>" in tip
    assert "A 75" in tip and "C 25" in tip
    assert "onbekend" in features[2]["properties"]["tip"]
    assert legend.title == "OV-klasse (werkdagen 6-22 uur)"
    assert [label for _c, label in legend.entries][:2] == ["klasse A", "klasse B"]
    assert legend.entries[-1][1].startswith("onbekend") and "GTFS test" in legend.notes
    m = base_map(buurten, tiles=False)
    layer.add_to(m)
    folium.LayerControl().add_to(m)
    html = render_html(m)
    assert "OV-klasse (ARE)" in html and CLASS_COLOURS["A"] in html
