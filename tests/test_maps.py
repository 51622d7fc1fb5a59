"""Maps and charts of the dashboard, checked on the rendered HTML and folium/Vega options."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import streamlit_folium
from shapely.geometry import Point, box

from geo.io.crs import display_bounds, to_display
from geo.present import maps
from geo.present.charts import DUTCH_LOCALE, comparison_chart, count_chart, trend_chart
from geo.present.maps import (
    aanbod_layers,
    area_values,
    base_map,
    bivariate,
    bivariate_legend_html,
    choropleth,
    classify,
    clicked_area,
    filter_activities,
    js_text,
    legend_html,
    outline_layer,
    points_layer,
    render_html,
)
from tests.conftest import REPO

XSS = '<img src=x onerror="window.__xss=1">'
TEMPLATE_XSS = "${window.__xss=1}`\\"
CDN = re.compile(r"cdn\.|cdnjs|jsdelivr|unpkg|code\.jquery|bootstrapcdn|netdna|d3js\.org")


def tiny_areas(names: list[str] | None = None) -> gpd.GeoDataFrame:
    names = names or ["Noord", "Zuid", "Oost", "West"]
    return gpd.GeoDataFrame(
        {
            "code": [f"BU0999010{i + 1}" for i in range(len(names))],
            "naam": names,
            "indeling": "2023",
            "waarde": [10.0, 20.0, np.nan, 40.0][: len(names)],
        },
        geometry=[
            box(150_000 + 1000 * i, 460_000, 151_000 + 1000 * i, 461_000) for i in range(len(names))
        ],
        crs="EPSG:28992",
    )


def scripts(html: str) -> str:
    return "\n".join(re.findall(r"<script>(.*?)</script>", html, flags=re.S))


def leaflet_script(m: folium.Map) -> str:
    """What st_folium sends to the browser as the map's script."""
    return streamlit_folium._generate_leaflet_string(m)[0]


# -- offline ---------------------------------------------------------------------------------
def test_map_loads_libraries_from_the_app_not_from_a_cdn():
    m = base_map(tiny_areas())
    points_layer(
        gpd.GeoDataFrame({"naam": ["A"]}, geometry=[Point(150_500, 460_500)], crs="EPSG:28992"),
        name="Aanbod",
        cluster=True,
    ).add_to(m)
    html = render_html(m)
    assert not CDN.search(html), CDN.search(html)
    assert '<script src="/app/static/map/map-bundle.js"></script>' in html
    assert 'href="/app/static/map/leaflet.css"' in html
    assert 'href="/app/static/map/MarkerCluster.Default.css"' in html


def test_every_local_asset_exists_with_its_licence():
    m = base_map(tiny_areas())
    cluster = points_layer(
        gpd.GeoDataFrame({"naam": ["A"]}, geometry=[Point(150_500, 460_500)], crs="EPSG:28992"),
        name="x",
        cluster=True,
    )
    cluster.add_to(m)
    urls = re.findall(r'(?:src|href)="(/app/static/[^"]+)"', render_html(m))
    assert len(urls) >= 5
    for url in urls:
        assert (REPO / "static" / url.removeprefix("/app/static/")).is_file(), url
    bundle = (REPO / "static" / "map" / "map-bundle.js").read_text(encoding="utf-8")
    assert bundle.startswith("/*! jQuery v3.7.1")
    assert "Leaflet 1.9.4" in bundle and "markercluster" in bundle.lower()
    for licence in (
        "LICENSE-leaflet.txt",
        "LICENSE-leaflet.markercluster.txt",
        "LICENSE-jquery.txt",
    ):
        assert (REPO / "static" / "map" / licence).stat().st_size > 500
    total = sum(p.stat().st_size for p in (REPO / "static").rglob("*") if p.is_file())
    assert total < 400_000  # small: one bundle, no duplicate copies


def test_streamlit_folium_gets_only_local_links(monkeypatch: pytest.MonkeyPatch):
    captured: dict[str, object] = {}

    def fake_component(**kwargs: object) -> object:
        captured.update(kwargs)
        return kwargs["default"]

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    m = base_map(tiny_areas())
    for group in aanbod_layers(activities()):
        group.add_to(m)
    folium.LayerControl().add_to(m)
    streamlit_folium.st_folium(m, key="kaart", returned_objects=["last_active_drawing"])
    js, css = captured["js_links"], captured["css_links"]
    assert js == ["/app/static/map/map-bundle.js", "/app/static/map/wijkkompas.js"]
    assert css and all(str(link).startswith("/app/static/map/") for link in css)  # type: ignore[union-attr]
    assert captured["returned_objects"] == ["last_active_drawing"]


def test_osm_background_is_attributed():
    # PDOK's BRT-Achtergrondkaart is the default; OpenStreetMap is offered as an alternative
    html = render_html(base_map(tiny_areas()))
    found = re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', html)
    attributions = [json.loads(a) for a in found]
    assert "Kadaster" in attributions[0]
    osm = [a for a in attributions if "openstreetmap.org/copyright" in a]
    assert osm and osm[0].endswith("OpenStreetMap</a>-bijdragers")


# -- choropleth ------------------------------------------------------------------------------
def test_classify_by_hand():
    classes, bins = classify(pd.Series([1.0, 2.0, None, 9.0, 10.0]), k=2)
    assert classes.tolist() == [0, 0, -1, 1, 1]
    assert bins == [2.0, 10.0]
    classes, bins = classify(pd.Series([5.0, 5.0, np.nan]), k=5)
    assert classes.tolist() == [0, 0, -1] and bins == [5.0]
    assert classify(pd.Series([np.nan, np.nan]))[1] == []


def test_classify_is_deterministic_for_many_values():
    values = pd.Series(np.random.default_rng(1).normal(47, 6, 2_000))
    first, second = classify(values), classify(values)
    assert first[1] == second[1]
    assert len(first[1]) == 5
    # quantiles above the exact-breaks limit: about a fifth of the areas per class
    counts = np.bincount(first[0])
    assert counts.min() >= 380 and counts.max() <= 420


def test_fixed_breaks_do_not_depend_on_the_data():
    """A fixed-scale index gets the same classes whatever the other areas' values are."""
    breaks = (0.2, 0.4, 0.6, 0.8, 1.0)
    low = classify(pd.Series([0.1, 0.3, 0.5]), breaks=breaks)
    wide = classify(pd.Series([0.1, 0.3, 0.5, 0.95, np.nan]), breaks=breaks)
    assert low[0].tolist() == [0, 1, 2] and wide[0].tolist() == [0, 1, 2, 4, -1]
    assert low[1] == wide[1] == list(breaks)
    frame = tiny_areas().assign(index=[0.1, 0.3, np.nan, 0.9])
    _, legend = choropleth(
        frame, value="index", title="t", label="x", unit="", breaks=breaks, decimals=1
    )
    assert [label for _, label in legend.entries][:2] == ["t/m 0,2", "0,2 – 0,4"]
    assert len(legend.entries) == 6  # five fixed classes and "geen cijfer"


def test_legend_has_dutch_classes_and_a_grey_class_for_missing():
    layer, legend = choropleth(tiny_areas(), value="waarde", title="Eenzaam", label="Eenzaam", k=3)
    assert [label for _, label in legend.entries] == [
        "t/m 10,0 %",
        "10,0 – 20,0 %",
        "20,0 – 40,0 %",
        "geen cijfer (niet gepubliceerd)",
    ]
    colours = [f["properties"]["kleur"] for f in layer.data["features"]]
    assert colours[2] == maps.MISSING
    assert len(set(colours)) == 4
    html = legend_html(legend)
    assert "20,0 – 40,0 %" in html and maps.MISSING in html


def test_area_values_note_suppressed_buurt_with_wijk_figure(demo_dataset):
    frame = area_values(
        demo_dataset.level("buurt"),
        demo_dataset.figures,
        indicator="Eenzaam",
        group="65+",
        year=2020,
    )
    row = frame.set_index("code").loc["BU99990104"]  # Stationsgebied, not published
    assert np.isnan(row["value"])
    assert row["status"] == "niet gepubliceerd"
    assert row["note"] == "niet gepubliceerd (te weinig respondenten); wijkcijfer 51,8 %"
    published = frame[frame["status"] == "gepubliceerd"]
    assert published["note"].eq("").all()
    assert len(frame) == 30 and frame.index.equals(demo_dataset.level("buurt").index)


def test_tooltip_shows_value_source_year_and_boundary_vintage(demo_dataset):
    frame = area_values(
        demo_dataset.level("buurt"),
        demo_dataset.figures,
        indicator="Eenzaam",
        group="65+",
        year=2020,
    )
    layer, _ = choropleth(
        frame,
        value="value",
        title="Eenzaam 65+ 2020",
        label="Eenzaam",
        notes=frame["note"],
        source="RIVM, GGD'en, CBS (Gezondheidsmonitor), 2020",
    )
    tips = {f["properties"]["code"]: f["properties"]["tip"] for f in layer.data["features"]}
    value = frame.set_index("code").loc["BU99990201", "value"]
    expected = f"{value:.1f}".replace(".", ",") + " %"
    assert f"Eenzaam: <b>{expected}</b>" in tips["BU99990201"]
    assert "Bron: RIVM, GGD&#x27;en, CBS (Gezondheidsmonitor), 2020" in tips["BU99990201"]
    assert "Grenzen: indeling 2023" in tips["BU99990201"]
    assert (
        "Let op: niet gepubliceerd (te weinig respondenten); wijkcijfer 51,8 %"
        in (tips["BU99990104"])
    )
    assert "geen cijfer" in tips["BU99990104"]


def test_map_script_is_identical_on_every_rerun(demo_dataset):
    """st_folium keys its state on the script: a changing script would lose every click."""

    def build() -> str:
        frame = area_values(
            demo_dataset.level("buurt"),
            demo_dataset.figures,
            indicator="Eenzaam",
            group="18+",
            year=2020,
        )
        m = base_map(frame)
        choropleth(frame, value="value", title="t", label="Eenzaam", notes=frame["note"])[0].add_to(
            m
        )
        for group in aanbod_layers(activities()):
            group.add_to(m)
        folium.LayerControl().add_to(m)
        return leaflet_script(m)

    assert build() == build()


def test_geometry_is_simplified_and_rounded_to_six_decimals(demo_dataset):
    areas = demo_dataset.level("buurt")
    layer, _ = choropleth(areas.assign(v=1.0), value="v", title="t", label="t")
    text = str(layer.data)
    assert not re.search(r"\d\.\d{7,}", text)
    simplified = maps.for_display(areas)
    assert simplified.crs.to_epsg() == 4326
    assert simplified.geometry.is_valid.all()
    # a few metres: the area hardly changes
    assert np.allclose(simplified.to_crs(28992).area, areas.area, rtol=0.01)


@pytest.mark.shared
def test_utrecht_buurt_map_payload_is_small(utrecht_dataset):
    frame = area_values(
        utrecht_dataset.level("buurt"),
        utrecht_dataset.figures,
        indicator="Eenzaam",
        group="18+",
        year=2020,
    )
    m = base_map(frame)
    choropleth(frame, value="value", title="t", label="Eenzaam", notes=frame["note"])[0].add_to(m)
    folium.LayerControl().add_to(m)
    size = len(leaflet_script(m).encode())
    assert size < 2_000_000
    unsimplified = len(
        str(to_display(utrecht_dataset.level("buurt")[["geometry"]]).to_json()).encode()
    )
    assert size < unsimplified  # simplification and rounding pay for the tooltips


# -- escaping --------------------------------------------------------------------------------
def test_js_text_escapes_html_and_template_literals():
    assert js_text(XSS) == "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
    assert js_text(TEMPLATE_XSS) == "&#36;{window.__xss=1}&#96;&#92;"
    assert js_text(None) == "" and js_text(float("nan")) == ""


def activities(names: tuple[str, ...] = ("Koffie-inloop", "Wandelclub")) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "naam": list(names),
            "soort": ["ontmoeting", "bewegen"][: len(names)] * (len(names) // 2 or 1),
            "doelgroepen": ["ouderen_thuiswonend", "jongvolwassenen"][: len(names)]
            * (len(names) // 2 or 1),
            "organisatie": "Buurtteam",
            "dagdelen": "ochtend;middag",
        },
        geometry=[Point(150_500 + 100 * i, 460_500) for i in range(len(names))],
        crs="EPSG:28992",
    )


def test_user_text_is_escaped_everywhere_and_the_script_stays_valid():
    areas = tiny_areas([XSS, TEMPLATE_XSS, "Oost", "West"])
    m = base_map(areas)
    choropleth(
        areas,
        value="waarde",
        title=XSS,
        label=XSS,
        notes=pd.Series(XSS, index=areas.index),
        source=TEMPLATE_XSS,
    )[0].add_to(m)
    outline_layer(areas.iloc[:2], name=TEMPLATE_XSS, key="naam").add_to(m)
    for group in aanbod_layers(activities((XSS, TEMPLATE_XSS))):
        group.add_to(m)
    points_layer(activities((XSS, TEMPLATE_XSS)), name=XSS, fields={"naam": XSS}).add_to(m)
    folium.LayerControl().add_to(m)
    html = render_html(m)
    assert "<img src=x" not in html
    # raw text only as JSON data (the clicked focus area goes back to Python as typed)
    code = re.sub(r'"gebied": "(?:[^"\\]|\\.)*"', '"gebied": ""', html)
    assert "${window.__xss" not in code
    shown = "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"
    assert shown.replace("&", "\\u0026") in html  # escaped, inside JSON data
    if shutil.which("node"):
        script = Path(__file__).parent / "__map_check.js"
        try:
            script.write_text(scripts(html), encoding="utf-8")
            check = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
        finally:
            script.unlink(missing_ok=True)
        assert check.returncode == 0, check.stderr


def test_legend_html_escapes():
    html = legend_html(maps.Legend(title=XSS, entries=(("#ffffff", XSS),), notes=(XSS,)))
    assert "<img" not in html and html.count("&lt;img") == 3


# -- layers ----------------------------------------------------------------------------------
def test_aanbod_layers_one_cluster_per_soort_with_its_colour():
    groups = aanbod_layers(activities())
    assert [g.layer_name for g in groups] == [
        "Aanbod: Ontmoeting / inloop (1)",
        "Aanbod: Bewegen / sport (1)",
    ]
    m = base_map(tiny_areas())
    for group in groups:
        group.add_to(m)
    html = render_html(m)
    assert html.count("L.markerClusterGroup") == 2
    assert maps.SOORT_COLOURS["ontmoeting"] in html and maps.SOORT_COLOURS["bewegen"] in html
    assert "Ontmoeting / inloop" in html and "Ouderen (thuiswonend)" in html  # Dutch labels


def test_clustered_markers_carry_their_own_popup_and_tooltip():
    # a marker cluster takes the markers out of their GeoJSON layer, which is then never on
    # the map: a popup bound to that layer would never open (seen in the browser)
    m = base_map(tiny_areas())
    for group in aanbod_layers(activities()):
        group.add_to(m)
    html = render_html(m)
    assert html.count("layer.bindPopup(feature.properties.popup") == 2
    assert html.count("layer.bindTooltip(feature.properties.tip") == 2
    assert not re.search(r"geo_json_\w+\.bindPopup\(", html)
    assert not re.search(r"geo_json_\w+\.bindTooltip\(", html)


def test_filter_activities_by_soort_and_doelgroep():
    frame = activities(("a", "b", "c", "d")).assign(
        soort=["ontmoeting", "bewegen", "ontmoeting", "cultuur"],
        doelgroepen=["ouderen_thuiswonend", "jongvolwassenen", "iedereen", None],
    )
    kept = filter_activities(
        frame, soorten=["ontmoeting", "cultuur"], doelgroepen=["jongvolwassenen"]
    )
    assert kept["naam"].tolist() == ["c", "d"]  # 'iedereen' and unknown serve everyone
    assert len(filter_activities(frame)) == 4


def test_outline_layer_carries_the_focus_area_for_clicks():
    areas = tiny_areas().assign(naam=["Overvecht", "Zuilen", "Lunetten", "Transwijk"])
    layer = outline_layer(areas, name="Aandachtsgebied", key="naam")
    assert [f["properties"]["gebied"] for f in layer.data["features"]] == list(areas["naam"])
    style = layer.style_function(layer.data["features"][0])
    assert style["fill"] is False and style["weight"] == 3.0


def test_bivariate_tertiles_and_grid_legend():
    areas = tiny_areas().assign(nood=[1.0, 5.0, 9.0, np.nan], aanbod=[9.0, 5.0, 1.0, np.nan])
    layer, legend = bivariate(areas, need="nood", offer="aanbod", title="Eenzamen × aanbod")
    colours = [f["properties"]["kleur"] for f in layer.data["features"]]
    assert colours == [
        maps.BIVARIATE[0][2],
        maps.BIVARIATE[1][1],
        maps.BIVARIATE[2][0],
        maps.MISSING,
    ]
    html = bivariate_legend_html(legend)
    assert html.count('<td style="width:22px') == 9 and "eenzamen" in html


def test_clicked_area_reads_feature_or_tooltip():
    assert (
        clicked_area({"last_active_drawing": {"properties": {"gebied": "Overvecht"}}})
        == "Overvecht"
    )
    assert clicked_area({"last_active_drawing": {"properties": {"code": "WK034403"}}}) == "WK034403"
    assert clicked_area({"last_object_clicked_tooltip": "Zuilen-Oost (BU03440411) 51,2 %"}) == (
        "BU03440411"
    )
    assert clicked_area({"last_active_drawing": {"type": "Feature", "properties": {}}}) is None
    assert clicked_area({"last_active_drawing": None, "last_object_clicked_tooltip": None}) is None


# -- charts ----------------------------------------------------------------------------------
def test_comparison_chart_order_locale_and_suppressed_values():
    spec = comparison_chart(
        [
            {"label": "Eenzaam", "value": 58.2, "gemeente": 48.9, "nederland": 47.0},
            {"label": "Ernstig eenzaam", "value": None, "gemeente": 11.6, "nederland": 11.2},
        ],
        area="Overvecht",
    )
    values = spec["data"]["values"]
    assert [v["reeks"] for v in values[:3]] == ["Overvecht", "Gemeente", "Nederland"]
    assert [v["tekst"] for v in values[:3]] == ["58,2 %", "48,9 %", "47,0 %"]
    assert values[3]["waarde"] is None and values[3]["tekst"] == "niet gepubliceerd"
    assert spec["config"]["locale"] == DUTCH_LOCALE
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Overvecht", "Gemeente", "Nederland"]


def test_trend_chart_uses_years_as_labels():
    spec = trend_chart(
        [
            {"year": 2012, "value": 45.6, "gemeente": 39.9, "nederland": 39.6},
            {"year": 2020, "value": 53.6, "gemeente": 48.9, "nederland": None},
        ],
        area="Taagdreef",
    )
    assert spec["encoding"]["x"]["type"] == "ordinal"
    assert {v["jaar"] for v in spec["data"]["values"]} == {"2012", "2020"}
    assert len(spec["data"]["values"]) == 5  # the missing national figure is left out


def test_count_chart_sorted_largest_first():
    spec = count_chart({"Samen eten": 1, "Bewegen / sport": 6, "Cultuur": 0}, title="Aantal")
    assert [v["soort"] for v in spec["data"]["values"]] == [
        "Bewegen / sport",
        "Samen eten",
        "Cultuur",
    ]


def test_display_bounds_equal_the_reprojected_frame(demo_dataset):
    """The map is fitted from the hull's vertices alone: the same box as reprojecting all."""
    for level in ("wijk", "buurt"):
        areas = demo_dataset.level(level)
        expected = to_display(areas[["geometry"]]).total_bounds
        assert np.allclose(display_bounds(areas), expected, rtol=0, atol=1e-9)
    point = gpd.GeoSeries([Point(136_000, 455_000)], crs="EPSG:28992")
    assert np.allclose(display_bounds(point), to_display(point.to_frame()).total_bounds)
    assert np.isnan(display_bounds(gpd.GeoSeries([None], crs="EPSG:28992"))).all()


def test_the_scale_bar_is_metric_only():
    html = render_html(base_map(tiny_areas()))
    assert "L.control.scale({imperial: false})" in html
    assert "L.control.scale()" not in html  # folium's own: feet and miles as well
