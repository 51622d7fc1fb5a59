"""The background map in a real browser: PDOK's WMTS (a local stand-in) online, fallback offline.

A local HTTP server (pytest-httpserver) plays PDOK's BRT-Achtergrondkaart WMTS: the app is
pointed at it with ``WIJKKOMPAS_BRT_URL``, finds it reachable, and the map in Chromium loads
its tiles and shows the Kadaster attribution. With the tile URL on a closed port the app is
offline: no tiles, the gemeente outline as a light fallback, and the legend says so.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import DEMO, REPO
from tests.test_browser import (
    CHROMIUM,
    MAP,
    free_port,
    map_frame,
    shot,
    start_app,
    stop_app,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

TILE = (REPO / "static" / "wijkkompas.png").read_bytes()


@pytest.fixture(scope="module")
def wmts() -> Iterator[HTTPServer]:
    """A stand-in for PDOK's WMTS: any BRT tile path answers with a PNG."""
    server = HTTPServer(host="127.0.0.1", port=free_port())
    server.expect_request(
        re.compile(r"^/brt/achtergrondkaart/wmts/v2_0/.+\.png$")
    ).respond_with_data(TILE, content_type="image/png")
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def serve(tmp_path_factory: pytest.TempPathFactory, name: str, **env: str):  # noqa: ANN201
    data = tmp_path_factory.mktemp(name) / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    return f"http://127.0.0.1:{port}", start_app(data, port, WIJKKOMPAS_DATABASE_URL="", **env)


def test_online_the_pdok_tiles_load_with_their_attribution(
    wmts: HTTPServer,
    browser,  # noqa: ANN001
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    brt = wmts.url_for("/brt/achtergrondkaart/wmts/v2_0/{layer}/EPSG:3857/{z}/{x}/{y}.png")
    url, process = serve(tmp_path_factory, "basemap_online", WIJKKOMPAS_BRT_URL=brt)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url, wait_until="domcontentloaded")
        frame = map_frame(page)
        frame.wait_for_function(
            "() => document.querySelectorAll('img.leaflet-tile-loaded').length > 0",
            timeout=60_000,
        )
        tiles = frame.evaluate(
            "() => Array.from(document.querySelectorAll('img.leaflet-tile')).map(i => i.src)"
        )
        assert tiles and all(t.startswith(wmts.url_for("/brt/")) for t in tiles)
        assert all("/standaard/EPSG:3857/" in t for t in tiles)  # the default style
        attribution = frame.locator(".leaflet-control-attribution").inner_text()
        assert "Kadaster" in attribution and "PDOK" in attribution
        requested = [str(request.path) for request, _ in wmts.log]
        assert "/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/0/0/0.png" in requested
        page.get_by_text("Achtergrond: BRT-Achtergrondkaart (standaard)").first.wait_for()
        assert page.get_by_text("Achtergrondkaart niet beschikbaar").count() == 0
        # the alternatives are offered in the layer control
        frame.locator(".leaflet-control-layers").hover()
        for name in ("(grijs)", "(pastel)", "OpenStreetMap", "Luchtfoto (PDOK)"):
            assert frame.get_by_text(name, exact=False).count() >= 1, name
        shot(page, "kaart_pdok")
        page.close()
    finally:
        stop_app(process)


def test_offline_the_gemeente_outline_and_a_legend_note(
    browser,  # noqa: ANN001
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/brt/{{layer}}/EPSG:3857/{{z}}/{{x}}/{{y}}.png"
    url, process = serve(tmp_path_factory, "basemap_offline", WIJKKOMPAS_BRT_URL=closed)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url, wait_until="domcontentloaded")
        frame = map_frame(page)
        page.get_by_text("Achtergrondkaart niet beschikbaar").first.wait_for(timeout=60_000)
        assert frame.locator("img.leaflet-tile").count() == 0
        # the fallback: one non-interactive outline under the (interactive) areas
        outlines = frame.evaluate(
            """() => Array.from(document.querySelectorAll('path'))
                 .filter(p => !p.classList.contains('leaflet-interactive'))
                 .map(p => p.getAttribute('stroke'))"""
        )
        assert "#4d4d4d" in outlines
        assert frame.locator("path.leaflet-interactive").count() >= 30
        page.frame_locator(MAP).first.locator(".leaflet-container").wait_for()
        shot(page, "kaart_offline")
        page.close()
    finally:
        stop_app(process)
