"""A large area layer on a canvas: shapes sent once and remembered, a few values per area."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import shapely

from geo.io import memo
from geo.io.crs import display_bounds
from geo.present import maps
from geo.present.maps import areas as area_maps
from geo.present.maps import canvas
from geo.present.payload import LARGE_LAYER
from tests.test_payload import SOURCE, grid


def large_map(areas: gpd.GeoDataFrame) -> tuple[folium.GeoJson, str]:
    m = maps.base_map(areas)
    layer, _ = maps.choropleth(
        areas, value="value", title="Eenzaam", label="Eenzaam", source=SOURCE
    )
    layer.add_to(m)
    return layer, maps.render_html(m)


def script_values(html: str) -> dict[str, list[object]]:
    found = re.search(r"var areas = (\{.*?\});\n", html)
    assert found is not None
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_a_large_choropleth_is_drawn_on_a_canvas_with_each_value_once():
    areas = grid(40, 250)  # 1,600 buurten
    assert len(areas) >= canvas.CANVAS_FROM == LARGE_LAYER
    layer, html = large_map(areas)
    assert isinstance(layer, maps.CanvasAreas)
    assert "L.canvas(" in html
    assert "switch(" not in html  # no per-code style map
    values = script_values(html)
    assert values["code"] == list(areas["code"])
    colours = [values["palette"][k] for k in values["kleur"]]  # type: ignore[index]
    assert len(set(colours)) == 5 and colours == [
        f["properties"]["kleur"] for f in layer.data["features"]
    ]
    assert values["tip"][0] == "<b>Buurt 0</b> (BU99990000)<br>Eenzaam: <b>10,0 %</b>"
    assert html.count("Gezondheidsmonitor") == 1  # the shared lines once
    # the shapes: one GeoJSON geometry per area, in order, quantised for the view
    shapes = json.loads(re.search(r"var shapes = (\[.*?\]);\n", html).group(1))  # type: ignore[union-attr]
    assert len(shapes) == len(areas) and shapes[0]["type"] == "Polygon"
    lon, lat = shapes[0]["coordinates"][0][0]
    assert len(str(lon).split(".")[1]) <= 6 and 52 < lat < 53  # a city: 6 decimals
    # bounds without parsing the features: those of the areas
    (south, west), (north, east) = layer.get_bounds()
    lon0, lat0, lon1, lat1 = display_bounds(areas)
    assert (south, west, north, east) == (lat0, lon0, lat1, lon1)


def test_a_small_layer_keeps_folium_geojson_and_svg():
    areas = grid(10, 250)
    layer, html = large_map(areas)
    assert isinstance(layer, folium.GeoJson) and not isinstance(layer, maps.CanvasAreas)
    assert "L.canvas(" not in html and "switch(" in html  # folium's style map, SVG paths


def test_the_canvas_script_is_the_same_for_the_same_inputs():
    areas = grid(40, 250)
    first = large_map(areas)[1]
    again = large_map(areas.copy())[1]
    assert re.sub(r"_[0-9a-f]{32}", "", first) == re.sub(r"_[0-9a-f]{32}", "", again)


def test_names_in_the_canvas_script_are_escaped():
    areas = grid(40, 250)
    areas.loc[0, "naam"] = "</script><img src=x onerror=alert(1)>"
    html = large_map(areas)[1]
    assert "</script><img" not in html and "onerror=alert(1)>" not in html
    assert script_values(html)["tip"][0].startswith("<b>&lt;/script&gt;&lt;img")


def test_a_large_bivariate_map_is_drawn_on_a_canvas_too():
    areas = grid(40, 250).assign(need=range(1600), offer=range(1600, 0, -1))
    layer, legend = maps.bivariate(areas, need="need", offer="offer", title="Hiaten")
    assert isinstance(layer, maps.CanvasAreas) and len(legend.entries) == 9
    tip = layer.data["features"][0]["properties"]["tip"]
    assert tip.startswith("<b>Buurt 0</b> (BU99990000)<br>Eenzamen: 0")


def test_missing_and_empty_shapes_are_null_and_skipped_by_leaflet():
    shapes = gpd.GeoSeries(
        [shapely.box(120_000, 450_000, 120_100, 450_100), None, shapely.Polygon()],
        crs="EPSG:28992",
    )
    parsed = json.loads(canvas.shapes_json(shapes, 3.0))
    assert parsed[0]["type"] == "Polygon" and parsed[1:] == [None, None]


def test_the_shapes_are_remembered_by_content_and_redone_when_a_boundary_changes(monkeypatch):
    calls: list[int] = []
    original = canvas.slim_for_display

    def counting(frame, *, minimum_m):  # noqa: ANN001, ANN202
        calls.append(len(frame))
        return original(frame, minimum_m=minimum_m)

    monkeypatch.setattr(canvas, "slim_for_display", counting)
    canvas.shapes_json.cache_clear()  # type: ignore[attr-defined]
    areas = grid(5, 250)
    first = canvas.shapes_json(areas.geometry, 3.0)
    assert canvas.shapes_json(areas.copy().geometry, 3.0) is first  # same shapes: reused
    assert calls == [25]
    moved = areas.geometry.translate(xoff=500)
    assert canvas.shapes_json(moved, 3.0) != first  # a changed boundary is redone
    assert canvas.shapes_json(areas.geometry, 10.0) is not first  # another tolerance too
    assert calls == [25, 25, 25]


def test_shapes_key_covers_order_crs_and_missing_shapes():
    a = gpd.GeoSeries.from_wkt(["POINT (1 2)", "POINT (3 4)"], crs="EPSG:28992")
    assert memo.shapes_key(a) != memo.shapes_key(a.iloc[::-1])
    assert memo.shapes_key(a) != memo.shapes_key(a.set_crs("EPSG:4326", allow_override=True))
    with_missing = gpd.GeoSeries([None, shapely.Point(1, 2)], crs="EPSG:28992")
    assert memo.shapes_key(with_missing) != memo.shapes_key(a)


def test_by_shapes_keeps_the_most_recent_results(monkeypatch):
    monkeypatch.setattr(memo, "KEEP", 2)
    seen: list[float] = []

    @memo.by_shapes
    def width(shapes: gpd.GeoSeries, *, scale: float = 1.0) -> float:
        seen.append(scale)
        return float(shapes.total_bounds[2] - shapes.total_bounds[0]) * scale

    a = gpd.GeoSeries.from_wkt(["LINESTRING (0 0, 10 0)"], crs="EPSG:28992")
    assert width(a) == 10 and width(a, scale=2.0) == 20 and width(a) == 10
    assert seen == [1.0, 2.0]
    width(a, scale=3.0)  # a third result: the least recently used (scale 2) goes
    width(a)
    width(a, scale=2.0)
    assert seen == [1.0, 2.0, 3.0, 2.0]


def test_prepare_drawing_fills_what_the_first_map_needs(monkeypatch):
    areas = grid(40, 250)
    canvas.shapes_json.cache_clear()  # type: ignore[attr-defined]
    canvas.prepare_drawing(areas)
    monkeypatch.setattr(canvas, "slim_for_display", lambda *a, **k: 1 / 0)  # not called again
    layer, _ = large_map(areas)
    assert isinstance(layer, maps.CanvasAreas)


def test_the_script_reaches_the_figure_as_the_text_folium_renders(monkeypatch):
    """ScriptAsText skips only the compiling: the map's HTML is what folium.GeoJson gives."""
    areas = grid(10, 250)
    ours = large_map(areas)[1]
    monkeypatch.setattr(area_maps, "ScriptAsText", folium.GeoJson)
    theirs = large_map(areas)[1]
    assert re.sub(r"_[0-9a-f]{32}", "", ours) == re.sub(r"_[0-9a-f]{32}", "", theirs)


def test_shapes_of_one_dataset_are_found_by_identity_without_hashing(monkeypatch):
    areas = grid(5, 250)
    canvas.shapes_json.cache_clear()  # type: ignore[attr-defined]
    first = canvas.shapes_json(areas.geometry, 3.0)
    monkeypatch.setattr(memo, "shapes_key", lambda *a: 1 / 0)  # not hashed again
    assert canvas.shapes_json(areas[["geometry"]].copy().geometry, 3.0) is first
