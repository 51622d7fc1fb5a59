"""Background maps: PDOK BRT by default, alternatives with attribution, the offline fallback."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
from pytest_httpserver import HTTPServer
from shapely.geometry import box, shape

from geo.present.basemap import (
    UNAVAILABLE_NOTE,
    BasemapSettings,
    background_note,
    basemaps,
    tiles_reachable,
    with_background_note,
)
from geo.present.maps import Legend, base_map, render_html
from tests.conftest import REPO

PNG = (REPO / "static" / "wijkkompas.png").read_bytes()


def two_buurten() -> gpd.GeoDataFrame:
    """Two adjacent 1 km squares (RD): together a 2 × 1 km gemeente."""
    return gpd.GeoDataFrame(
        {"code": ["BU1", "BU2"], "naam": ["West", "Oost"]},
        geometry=[box(150_000, 460_000, 151_000, 461_000), box(151_000, 460_000, 152_000, 461_000)],
        crs="EPSG:28992",
    )


def tile_layers(html: str) -> list[tuple[str, dict]]:
    """(url, options) of every L.tileLayer in a rendered map."""
    found = re.findall(r'L\.tileLayer\(\s*"([^"]+)",\s*(\{.*?\})\s*\)', html, flags=re.S)
    return [(url, json.loads(re.sub(r",\s*}$", "}", options))) for url, options in found]


def test_defaults_are_the_pdok_wmts_tiles():
    settings = BasemapSettings()
    assert settings.basemap == "brt-standaard"
    urls = {b.key: b.url for b in basemaps(settings)}
    assert urls["brt-grijs"] == (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
    )
    assert urls["luchtfoto"] == (
        "https://service.pdok.nl/hwh/luchtfotorgb/wmts/v1_0/Actueel_orthoHR/EPSG:3857/"
        "{z}/{x}/{y}.jpeg"
    )
    assert urls["osm"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_settings_from_the_environment():
    settings = BasemapSettings.from_env(
        {
            "WIJKKOMPAS_BASEMAP": "brt-pastel",
            "WIJKKOMPAS_BRT_URL": "http://127.0.0.1:1/{layer}/{z}/{x}/{y}.png",
            "WIJKKOMPAS_OFFLINE": "ja",
            "WIJKKOMPAS_CHECK_TIMEOUT_S": "0.5",
        }
    )
    assert settings.basemap == "brt-pastel"
    assert settings.offline is True
    assert settings.check_timeout_s == 0.5
    assert basemaps(settings)[2].url == "http://127.0.0.1:1/pastel/{z}/{x}/{y}.png"
    assert BasemapSettings.from_env({"WIJKKOMPAS_OFFLINE": "0"}).offline is False
    with pytest.raises(ValueError, match="onbekende achtergrondkaart 'google'.*brt-standaard"):
        BasemapSettings.from_env({"WIJKKOMPAS_BASEMAP": "google"})


def test_online_map_has_every_background_with_its_attribution_and_brt_on():
    m = base_map(two_buurten(), basemap=BasemapSettings())
    folium.LayerControl().add_to(m)  # as on the pages: the alternatives are chosen there
    html = render_html(m)
    layers = tile_layers(html)
    assert [url.split("/")[2] for url, _ in layers] == [
        "service.pdok.nl",
        "service.pdok.nl",
        "service.pdok.nl",
        "tile.openstreetmap.org",
        "service.pdok.nl",
    ]
    for url, options in layers:
        assert options["attribution"], url
        assert options["maxZoom"] == 19
    assert "Kadaster" in layers[0][1]["attribution"]
    assert "openstreetmap.org/copyright" in layers[3][1]["attribution"]
    assert "Beeldmateriaal" in layers[4][1]["attribution"]
    # only the chosen background is added to the map; the others wait in the layer control
    added = re.findall(r"(tile_layer_[0-9a-f]+)\.addTo\(map_", html)
    names = re.findall(r"var (tile_layer_[0-9a-f]+) = L\.tileLayer", html)
    assert added == [names[0]]
    assert "Achtergrond: BRT-Achtergrondkaart (grijs)" in html
    assert "Achtergrond: Luchtfoto (PDOK)" in html


def test_another_default_background():
    html = render_html(base_map(two_buurten(), basemap=BasemapSettings(basemap="luchtfoto")))
    added = re.findall(r"(tile_layer_[0-9a-f]+)\.addTo\(map_", html)
    names = re.findall(r"var (tile_layer_[0-9a-f]+) = L\.tileLayer", html)
    assert added == [names[4]]


def test_offline_fallback_is_the_gemeente_outline_and_no_tiles():
    m = base_map(two_buurten(), online=False, basemap=BasemapSettings())
    html = render_html(m)
    assert tile_layers(html) == []
    assert "tile.openstreetmap.org" not in html and "service.pdok.nl" not in html
    geojson = re.findall(r"geo_json_[0-9a-f]+_add\((\{.*?\})\);", html, flags=re.S)
    assert len(geojson) == 1
    outline = shape(json.loads(geojson[0])["features"][0]["geometry"])
    # one polygon around both buurten (the shared edge dissolved), in WGS84
    assert outline.geom_type == "Polygon"
    minx, miny, maxx, maxy = outline.bounds
    assert 5.2 < minx < maxx < 5.4 and 52.0 < miny < maxy < 52.2
    assert (maxx - minx) / (maxy - miny) == pytest.approx(2 / 0.61, rel=0.05)  # 2 km × 1 km
    assert '"interactive": false' in html  # clicks pass through to the areas


def test_forced_offline_wins_over_online():
    html = render_html(base_map(two_buurten(), online=True, basemap=BasemapSettings(offline=True)))
    assert tile_layers(html) == []


def test_no_background_at_all():
    html = render_html(base_map(two_buurten(), basemap=BasemapSettings(basemap="geen")))
    assert tile_layers(html) == [] and "geo_json_" not in html


def test_legend_note_names_the_background_or_its_absence():
    settings = BasemapSettings()
    legend = Legend("Eenzaam", (("#ffffff", "t/m 10 %"),), notes=("Bron: RIVM",))
    online = with_background_note(legend, True, settings)
    assert online.notes[0] == "Bron: RIVM"
    assert online.notes[1].startswith("Achtergrond: BRT-Achtergrondkaart (standaard); Kaart")
    assert "© Kadaster" in online.notes[1] and "<" not in online.notes[1]
    offline = with_background_note(legend, False, settings)
    assert offline.notes[1] == UNAVAILABLE_NOTE
    assert "niet beschikbaar" in UNAVAILABLE_NOTE
    assert background_note(False, BasemapSettings(basemap="geen")).startswith("Zonder")


# -- reachability (a local server stands in for PDOK) ----------------------------------------
def test_reachable_when_the_tile_server_answers(httpserver: HTTPServer):
    httpserver.expect_request("/brt/standaard/0/0/0.png").respond_with_data(
        PNG, content_type="image/png"
    )
    settings = BasemapSettings(brt_url=httpserver.url_for("/brt/{layer}/{z}/{x}/{y}.png"))
    assert tiles_reachable(settings) is True
    assert len(httpserver.log) == 1


def test_not_reachable_on_an_error_status_or_a_closed_port(httpserver: HTTPServer):
    httpserver.expect_request("/brt/standaard/0/0/0.png").respond_with_data("weg", status=503)
    assert (
        tiles_reachable(BasemapSettings(brt_url=httpserver.url_for("/brt/{layer}/{z}/{x}/{y}.png")))
        is False
    )
    closed = BasemapSettings(
        brt_url="http://127.0.0.1:9/{layer}/{z}/{x}/{y}.png", check_timeout_s=0.5
    )
    assert tiles_reachable(closed) is False


def test_forced_offline_asks_nothing(httpserver: HTTPServer):
    url = httpserver.url_for("/brt/{layer}/{z}/{x}/{y}.png")
    assert tiles_reachable(BasemapSettings(brt_url=url, offline=True)) is False
    assert tiles_reachable(BasemapSettings(brt_url=url, basemap="geen")) is False
    assert httpserver.log == []
