"""The national buurt map in a real browser: 10,500 buurten on a canvas, hover and click work.

Starts ``serve.py`` on ``../shared/data/nl`` (its warming prepares the shapes), waits for the
canvas in the map's iframe, checks every buurt is a layer with its code and colour, hovers a
buurt for its tooltip (with the source lines sent once) and clicks it to open its profile.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import NL
from tests.test_browser import CHROMIUM, MAP, free_port, shot, start_app, stop_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.shared,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

CANVAS = ".leaflet-overlay-pane canvas"

FIND_BUURT = """
() => {
  // a buurt on the canvas whose centre lies inside it, near the middle of the map
  const size = window.map.getSize();
  let best = null;
  let areas = 0;
  for (const id in window.map._layers) {
    const layer = window.map._layers[id];
    const props = layer.feature && layer.feature.properties;
    if (!props || !props.code || !props.kleur) continue;
    areas += 1;
    if (!(layer._renderer instanceof L.Canvas) || !layer._containsPoint) continue;
    const point = window.map.latLngToContainerPoint(layer.getCenter());
    if (!layer._containsPoint(window.map.latLngToLayerPoint(layer.getCenter()))) continue;
    const distance = Math.hypot(point.x - size.x / 2, point.y - size.y / 2);
    if (best === null || distance < best.distance) {
      const naam = new DOMParser().parseFromString(props.tip, "text/html").querySelector("b");
      best = {code: props.code, naam: naam.textContent, x: point.x, y: point.y,
              distance: distance};
    }
  }
  return best === null ? null : Object.assign(best, {areas: areas});
}
"""

PAINTED = """
() => {
  const canvas = document.querySelector(".leaflet-overlay-pane canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let pixels = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) pixels += 1;
  const ground = document.querySelector(".leaflet-achtergrond-pane");
  return {
    pixels: pixels,
    ground: ground ? Number(getComputedStyle(ground).zIndex) : null,
    overlays: Number(getComputedStyle(canvas.parentElement).zIndex),
    svg_over_canvas: canvas.parentElement.querySelectorAll("svg").length,
  };
}
"""


@pytest.fixture(scope="module")
def nl_server() -> Iterator[str]:
    port = free_port()
    process = start_app(NL, port)
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


def test_the_national_buurt_map_is_a_canvas_that_hovers_and_clicks(nl_server: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(nl_server, wait_until="domcontentloaded")
        page.frame_locator(MAP).first.locator(CANVAS).first.wait_for(
            state="attached", timeout=120_000
        )
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        assert frame.locator("path.leaflet-interactive").count() == 0  # no SVG per buurt
        # the canvas is painted and nothing opaque lies over it: the offline ground is in its
        # own pane below the overlays (Leaflet puts SVG above canvas within one pane)
        painted = frame.evaluate(PAINTED)
        assert painted["pixels"] > 20_000, painted
        assert painted["ground"] is not None and painted["ground"] < painted["overlays"]
        assert painted["svg_over_canvas"] == 0
        page.wait_for_timeout(500)
        shot(page, "kaart_nederland")
        # the map is fitted first; zoom in on the middle so a buurt is a few pixels across
        frame.evaluate("() => window.map.setZoom(window.map.getZoom() + 3, {animate: false})")
        page.wait_for_timeout(500)
        target = frame.evaluate(FIND_BUURT)
        assert target is not None, "geen buurt op het canvas gevonden"
        assert target["areas"] > 10_000  # every buurt is a layer with its code and colour
        box = page.locator(MAP).first.bounding_box()
        x, y = box["x"] + target["x"], box["y"] + target["y"]
        page.mouse.move(x, y)
        tooltip = frame.locator(".leaflet-tooltip").first
        tooltip.wait_for(timeout=10_000)
        text = tooltip.inner_text()
        assert target["naam"] in text and target["code"] in text
        assert "Bron:" in text and "Grenzen:" in text  # the shared lines, sent once
        page.mouse.click(x, y)
        page.get_by_role("heading", name="Gebiedsprofiel").wait_for(timeout=60_000)
        page.get_by_role("heading", name=target["naam"]).first.wait_for(timeout=60_000)
        assert f"gebied={target['code']}" in page.url
    finally:
        page.close()
