"""The dashboard in a real browser: Debian's Chromium driven by Playwright, headless.

Starts ``streamlit run app.py`` on a free port with a copy of the demo data, waits for the
map, switches the indicator, clicks a buurt on the map and sees its profile, logs in and
uploads an aanbod file, and checks that activities named ``<img src=x onerror=...>`` and
``${...}`` render as text without running, and downloads an export (a GeoPackage that opens).
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
XSS_NAME = '<img src=x onerror="window.__xss=1">'
TEMPLATE_NAME = "Inloop ${window.__xss=2} `x`"
MAP = 'iframe[title="streamlit_folium.st_folium"]'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(data: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    """``python serve.py`` (as ``make run``) on a port with the data folder; back once up."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "serve.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env={**os.environ, "WIJKKOMPAS_DATA": str(data), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit startte niet binnen 60 s")


def stop_app(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("browser") / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    process = start_app(data, port, WIJKKOMPAS_WACHTWOORD="geheim")
    yield f"http://127.0.0.1:{port}", data
    stop_app(process)


def shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def map_frame(page):  # noqa: ANN001, ANN201
    """The map's iframe once Leaflet has drawn the areas."""
    page.frame_locator(MAP).first.locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=60_000
    )
    return next(f for f in page.frames if "streamlit_folium" in f.url)


FIND_AREA = """
() => {
  // a choropleth area whose centre is not covered by a marker or an outline
  for (const id in window.map._layers) {
    const layer = window.map._layers[id];
    const props = layer.feature && layer.feature.properties;
    if (!props || !props.code || !props.kleur || !layer._path) continue;
    const point = window.map.latLngToContainerPoint(layer.getCenter());
    const box = window.map.getContainer().getBoundingClientRect();
    const x = box.left + point.x, y = box.top + point.y;
    if (document.elementFromPoint(x, y) === layer._path) {
      const naam = new DOMParser().parseFromString(props.tip, "text/html").querySelector("b");
      return {code: props.code, naam: naam.textContent, x: x, y: y};
    }
  }
  return null;
}
"""


NAMED_MARKERS = """
  // helpers shared by the scripts below; every wait is bounded, so a cluster that never
  // settles fails the test instead of hanging it
  const wait = ms => new Promise(r => setTimeout(r, ms));
  const show = (group, marker) =>
    Promise.race([new Promise(done => group.zoomToShowLayer(marker, done)), wait(3000)]);
  // [cluster, marker] of every clustered marker whose tooltip text is one of the names
  const named = names => {
    const found = [];
    for (const id in window.map._layers) {
      const group = window.map._layers[id];
      if (!(group instanceof L.MarkerClusterGroup)) continue;
      for (const marker of group.getLayers()) {
        const props = marker.feature && marker.feature.properties;
        if (!props || !props.tip) continue;
        const tip = new DOMParser().parseFromString(props.tip, "text/html").body.textContent;
        if (names.includes(tip)) found.push([group, marker]);
      }
    }
    return found;
  };
"""

OPEN_POPUPS = (
    "async (names) => {"
    + NAMED_MARKERS
    + """
  // zoom to each named marker (out of its cluster) and open its popup
  const found = [];
  for (const [group, marker] of named(names)) {
    window.map.closePopup();
    let popup = null;
    for (let attempt = 0; attempt < 10 && popup === null; attempt++) {
      if (!marker._map) await show(group, marker);
      marker.openPopup();
      await wait(300);
      popup = document.querySelector(".leaflet-popup-content");
    }
    if (popup === null) { found.push({text: "", images: -1}); continue; }
    found.push({text: popup.textContent, images: popup.querySelectorAll("img").length});
  }
  return found;
}"""
)

SHOW_MARKER = (
    "async (name) => {"
    + NAMED_MARKERS
    + """
  // where the named marker is once its cluster has opened (container pixels), or null
  for (const [group, marker] of named([name])) {
    window.map.closePopup();
    await show(group, marker);
    await wait(800);
    const point = window.map.latLngToContainerPoint(marker.getLatLng());
    return {x: point.x, y: point.y};
  }
  return null;
}"""
)


def test_map_indicator_click_opens_profile(server: tuple[str, Path], browser) -> None:  # noqa: ANN001
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() >= 30  # 30 demo buurten
    page.get_by_text("Eenzaam (18 jaar en ouder), 2020").wait_for()
    shot(page, "kaart")

    page.get_by_role("combobox", name="Indicator").click()
    page.get_by_role("option", name="Ernstig eenzaam").click()
    page.get_by_text("Ernstig eenzaam (18 jaar en ouder), 2020").wait_for(timeout=30_000)
    frame = map_frame(page)
    page.wait_for_timeout(500)
    shot(page, "kaart_ernstig")

    target = frame.evaluate(FIND_AREA)
    assert target is not None, "geen klikbare buurt gevonden"
    box = page.locator(MAP).first.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.get_by_role("heading", name="Gebiedsprofiel").wait_for(timeout=30_000)
    page.get_by_role("heading", name=target["naam"]).wait_for(timeout=30_000)
    assert f"gebied={target['code']}" in page.url
    page.get_by_text("Eenzaamheid tegen gemeente en Nederland").wait_for()
    page.wait_for_timeout(500)
    shot(page, "profiel")

    # back to the map: the old click must not send us to the profile again
    page.get_by_role("link", name="Kaart").click()
    map_frame(page)
    page.wait_for_timeout(1500)
    assert "profiel" not in page.url
    assert page.get_by_role("heading", name="Kaart").is_visible()
    page.close()


def test_shared_profile_link(server: tuple[str, Path], browser) -> None:  # noqa: ANN001
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/profiel?gebied=Noordhoek&groep=jongvolwassenen", wait_until="load")
    page.get_by_role("heading", name="Noordhoek").wait_for(timeout=60_000)
    page.get_by_text("Aanbod voor jongvolwassenen (18-27 jaar)").wait_for()
    assert "groep=jongvolwassenen" in page.url
    page.close()


def test_upload_as_logged_in_user_and_names_render_as_text(
    server: tuple[str, Path],
    browser,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    url, data = server
    upload = tmp_path / "nieuw_aanbod.csv"
    upload.write_text(
        "naam;soort;doelgroepen;x;y\n"
        f'"{XSS_NAME.replace(chr(34), chr(34) * 2)}";ontmoeting;iedereen;151000;460500\n'
        f"{TEMPLATE_NAME};ontmoeting;ouderen_thuiswonend;151100;460600\n",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/aanbod", wait_until="domcontentloaded")
    page.get_by_label("Wachtwoord om aanbod te wijzigen").fill("geheim")
    assert page.locator('input[type="file"]').count() == 0  # no upload before logging in
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Ingelogd als redactie").wait_for(timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("Controlerapport nieuw_aanbod.csv").wait_for(timeout=30_000)
    page.get_by_text("2 geaccepteerd").wait_for()
    shot(page, "aanbod_rapport")
    page.get_by_role("button", name="Bevestig: 2 rij(en) opslaan").click()
    page.get_by_text("2 rij(en) opgeslagen.").wait_for(timeout=30_000)

    from geo.aanbod import GeoPackageRegister, register_path

    stored = set(GeoPackageRegister(register_path(data)).list("activiteiten")["naam"])
    assert {XSS_NAME, TEMPLATE_NAME} <= stored  # stored verbatim, escaped only on output

    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    texts = frame.evaluate(OPEN_POPUPS, [XSS_NAME, TEMPLATE_NAME])
    page.wait_for_timeout(500)
    shot(page, "kaart_popup_xss")
    assert len(texts) == 2
    for found in texts:
        assert found["images"] == 0
    assert any(XSS_NAME in found["text"] for found in texts)
    assert any(TEMPLATE_NAME in found["text"] for found in texts)
    # and with the mouse: a click on the marker opens its popup, the name still as text
    point = frame.evaluate(SHOW_MARKER, XSS_NAME)
    assert point is not None
    box = page.locator(MAP).first.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    popup = page.frame_locator(MAP).first.locator(".leaflet-popup-content")
    popup.wait_for(timeout=15_000)
    assert XSS_NAME in popup.text_content()
    assert popup.locator("img").count() == 0
    for target in [page, *page.frames]:
        assert target.evaluate("() => window.__xss") is None
    page.close()


def test_export_download_is_a_real_geopackage(
    server: tuple[str, Path],
    browser,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    import pyogrio

    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{url}/export", wait_until="domcontentloaded")
    page.get_by_role("button", name="Maak export").click(timeout=60_000)
    button = page.get_by_role("button", name="Download wijkkompas")
    button.wait_for(timeout=60_000)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "wijkkompas_demostad_fictief_demo_DEMO.gpkg"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    assert {"buurten", "hiaten_ouderen", "activiteiten", "layer_styles"} <= layers
    assert len(pyogrio.read_dataframe(path, layer="buurten")) == 30
    page.close()


def test_served_app_is_warmed_and_its_map_component_still_works(
    tmp_path: Path,
    browser,  # noqa: ANN001
) -> None:
    """serve.py logs its warming (modules, the data folder) and the first page draws the map.

    The map is a Streamlit component: importing it during the warming would leave it
    unregistered (404 in the iframe), so the first map drawn is the proof it was left alone.
    """
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "serve.py"), "--server.port", str(port)],
        cwd=REPO,
        env={**os.environ, "WIJKKOMPAS_DATA": str(data)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.time() + 120
        while time.time() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if line.startswith("Wijkkompas voorbereid"):
                break
        ready = lines[-1]
        assert ready.startswith("Wijkkompas voorbereid"), lines
        assert "modules geladen" in ready and "Demostad vooraf geladen" in ready
        frozen = re.search(r"; (\d+) objecten buiten de garbage collector", ready)
        assert frozen is not None and int(frozen.group(1)) > 100_000  # gc.freeze() after warming
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        map_frame(page)
        page.close()
    finally:
        stop_app(process)  # type: ignore[arg-type]
