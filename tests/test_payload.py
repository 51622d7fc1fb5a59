"""The slim map payload: tolerance and decimals from the extent, shared tooltip lines once."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geo.present import maps, payload
from geo.present.maps import areas as area_maps
from geo.present.payload import (
    LARGE_LAYER,
    display_decimals,
    display_tolerance,
    slim_for_display,
    split_shared_lines,
    tooltip_options,
)

SOURCE = "RIVM, GGD'en, CBS (Gezondheidsmonitor), 2020"


def grid(n_side: int, size_m: float, *, x0: float = 120_000, y0: float = 450_000):
    """n_side × n_side square buurten of size_m metres, with a wobbly edge to simplify."""
    shapes, codes = [], []
    for i in range(n_side):
        for j in range(n_side):
            x, y = x0 + i * size_m, y0 + j * size_m
            square = box(x, y, x + size_m, y + size_m)
            shapes.append(square.segmentize(size_m / 20))  # extra vertices on straight edges
            codes.append(f"BU{9999_0000 + i * n_side + j:08d}")
    values = np.linspace(10, 60, len(codes))
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "naam": [f"Buurt {k}" for k in range(len(codes))],
            "value": values,
            "indeling": "2023",
        },
        geometry=shapes,
        crs="EPSG:28992",
    )


def test_city_keeps_the_city_tolerance_and_six_decimals():
    city = grid(3, 5_000)  # 15 km across
    assert display_tolerance(city, minimum_m=3.0) == 3.0
    assert display_decimals(3.0) == 6
    shown = slim_for_display(city, minimum_m=3.0)
    assert shown.crs.to_epsg() == 4326
    coords = shown.geometry.get_coordinates().to_numpy()
    assert np.allclose(coords, np.round(coords, 6))


def test_country_scale_is_simplified_more_and_rounded_to_four_decimals():
    country = grid(3, 100_000)  # 300 km across: 60 m is half a pixel two zoom levels in
    tolerance = display_tolerance(country, minimum_m=3.0)
    assert tolerance == pytest.approx(300_000 / 5000)
    assert display_decimals(tolerance) == 4
    shown = slim_for_display(country, minimum_m=3.0)
    coords = shown.geometry.get_coordinates().to_numpy()
    assert np.allclose(coords, np.round(coords, 4))
    # the straight-edge vertices (5 km apart) are gone: a square needs its 4 corners + close
    assert shown.geometry.count_coordinates().max() == 5
    assert display_tolerance(country, minimum_m=0) == 0.0  # 0 keeps every vertex


def test_empty_or_shapeless_frames_keep_the_minimum():
    empty = gpd.GeoDataFrame(geometry=[None], crs="EPSG:28992")
    assert display_tolerance(empty, minimum_m=3.0) == 3.0


def test_shared_trailing_lines_are_split_off():
    tips = ["<b>A</b><br>x<br>Bron: CBS<br>Grenzen: 2014", "<b>B</b><br>Bron: CBS<br>Grenzen: 2014"]
    head, shared = split_shared_lines(tips)
    assert head == ["<b>A</b><br>x", "<b>B</b>"]
    assert shared == "<br>Bron: CBS<br>Grenzen: 2014"
    assert split_shared_lines(["a<br>b", "c<br>d"]) == (["a<br>b", "c<br>d"], "")
    assert split_shared_lines(["same", "same"]) == (["same", "same"], "")  # never empty tips
    assert split_shared_lines([]) == ([], "")


def test_a_small_layer_keeps_one_whole_tooltip_per_area():
    tips, options = tooltip_options(["a<br>Bron: X"] * (LARGE_LAYER - 1))
    assert tips[0] == "a<br>Bron: X"
    assert isinstance(options["tooltip"], folium.GeoJsonTooltip)


def test_a_large_layer_sends_its_source_once_and_every_area_still_shows_it():
    areas = grid(40, 250)  # 1,600 buurten
    assert len(areas) >= LARGE_LAYER
    m = maps.base_map(areas)
    layer, legend = maps.choropleth(
        areas, value="value", title="Eenzaam", label="Eenzaam", source=SOURCE
    )
    layer.add_to(m)
    html = maps.render_html(m)
    tips = [f["properties"]["tip"] for f in layer.data["features"]]
    assert all("Bron:" not in tip and "Grenzen:" not in tip for tip in tips)
    assert tips[0].startswith("<b>Buurt 0</b> (BU99990000)<br>Eenzaam: <b>10,0 %</b>")
    binding = re.search(r"layer\.bindTooltip\(feature\.properties\.tip \+ (\".*?\"), ", html)
    assert binding is not None
    shared = json.loads(binding.group(1).replace("<\\/", "</"))
    assert shared == (
        '<br><span style="color:#555">Bron: RIVM, GGD&#x27;en, CBS (Gezondheidsmonitor), '
        '2020</span><br><span style="color:#555">Grenzen: indeling 2023</span>'
    )
    assert html.count("Gezondheidsmonitor") == 1  # once, not 1,600 times
    assert "GeoJsonTooltip" not in html and legend.notes == (SOURCE,)
    assert maps.clicked_area({"last_object_clicked_tooltip": tips[5] + shared}) == "BU99990005"


def test_the_shared_lines_cannot_close_the_script():
    areas = grid(40, 250)
    layer, _ = maps.choropleth(
        areas, value="value", title="t", label="x", source="</script><script>alert(1)"
    )
    m = maps.base_map(areas)
    layer.add_to(m)
    html = maps.render_html(m)
    assert "</script><script>alert" not in html
    assert "&lt;/script&gt;" in html  # escaped by js_text before it reaches the script


def test_the_slim_payload_is_smaller_than_the_reference(monkeypatch):
    areas = grid(40, 2_000)  # 80 km across

    def size() -> int:
        m = maps.base_map(areas)
        maps.choropleth(areas, value="value", title="t", label="x", source=SOURCE)[0].add_to(m)
        return payload.payload_bytes(m)

    slim = size()
    # the reference: the map as built before payload.py (3 m, six decimals, whole tooltips,
    # folium.GeoJson for every size)
    monkeypatch.setattr(area_maps, "CANVAS_FROM", 10**9)
    monkeypatch.setattr(
        area_maps, "slim_for_display", lambda f, *, minimum_m: maps.for_display(f)
    )
    monkeypatch.setattr(
        area_maps,
        "tooltip_options",
        lambda tips: (list(tips), {"tooltip": folium.GeoJsonTooltip(fields=["tip"])}),
    )
    assert slim < 0.7 * size()
