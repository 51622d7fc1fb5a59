"""The dashboard in a real browser: Debian's Chromium driven by Playwright, headless.

Starts ``streamlit run app.py`` on a free port with a copy of the demo data, waits for the map,
switches the indicator, clicks a buurt to open its profile, logs in and uploads an aanbod file,
and checks that an activity named ``<img src=x onerror=...>`` renders as text. Screenshots go
to ``test-artifacts/``.
"""

from __future__ import annotations

import os
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("browser") / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    env = {**os.environ, "WIJKKOMPAS_DATA": str(data), "WIJKKOMPAS_WACHTWOORD": "geheim"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit startte niet")
    yield url, data
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield instance
        instance.close()


def map_frame(page):  # noqa: ANN001, ANN201
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first


def shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_map_indicator_click_profile(server: tuple[str, Path], browser) -> None:  # noqa: ANN001
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url, wait_until="domcontentloaded")
    areas = map_frame(page).locator("path.leaflet-interactive")
    areas.first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(1500)
    assert areas.count() >= 30
    shot(page, "kaart")
    page.get_by_role("combobox", name="Indicator").click()
    page.get_by_role("option", name="Ernstig eenzaam").click()
    page.get_by_text("Ernstig eenzaam 18+").first.wait_for(timeout=30_000)
    map_frame(page).locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=30_000
    )
    page.wait_for_timeout(1500)
    shot(page, "kaart_ernstig")
    # choose a buurt under the map and open its profile (its code travels in the URL)
    chooser = page.get_by_role("combobox", name="Gebiedsprofiel van een buurt openen")
    chooser.click()
    chooser.fill("Reigerhof")
    page.get_by_role("option", name="Reigerhof (BU99990203)").click()
    # wait until the link is redrawn with the chosen buurt, then follow it
    page.locator('a[href*="BU99990203"]').filter(has_text="Open profiel").click(timeout=60_000)
    page.get_by_role("heading", name="Gebiedsprofiel").wait_for(timeout=30_000)
    shot(page, "profiel_link")
    page.get_by_role("heading", name="Reigerhof").wait_for(timeout=30_000)
    assert "gebied=" in page.url
    page.get_by_text("Eenzaamheid tegen gemeente en Nederland").wait_for(timeout=30_000)
    shot(page, "profiel")
    page.close()


def test_upload_as_logged_in_user_and_xss(
    server: tuple[str, Path],
    browser,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    url, data = server
    upload = tmp_path / "nieuw_aanbod.csv"
    upload.write_text(
        "naam;soort;doelgroepen;x;y\n"
        f"{XSS_NAME};ontmoeting;iedereen;151000;460500\n"
        "Koffie-inloop Markt;ontmoeting;ouderen;151100;460600\n",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/aanbod", wait_until="domcontentloaded")
    page.get_by_label("Wachtwoord om aanbod te wijzigen").fill("geheim")
    page.get_by_role("button", name="Inloggen").click()
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("Controlerapport nieuw_aanbod.csv").wait_for(timeout=30_000)
    shot(page, "aanbod_rapport")
    page.get_by_role("button", name="Bevestig: 2 rij(en) opslaan").click()
    page.get_by_text("2 rij(en) opgeslagen.").wait_for(timeout=30_000)
    from geo.aanbod import GeoPackageRegister, register_path

    stored = GeoPackageRegister(register_path(data)).list("activiteiten")
    assert XSS_NAME in set(stored["naam"])  # stored verbatim
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2000)
    for target in [page, *page.frames]:
        assert target.evaluate("() => window.__xss") is None
    html = "".join(f.content() for f in page.frames if "st_folium" in (f.url or "") or True)
    assert 'onerror="window.__xss=1"' not in html.replace("&quot;", "'")
    shot(page, "kaart_na_upload")
    page.close()
