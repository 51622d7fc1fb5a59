"""In a real browser: a note with a script payload stays text in the Gebiedsprofiel."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from geo.monitoring.store import open_monitoring
from tests.conftest import DEMO
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, shot, start_app, stop_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> **vet**'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("browser_monitoring") / "demo"
    shutil.copytree(DEMO, data)
    open_monitoring(data, database_url="").add_note(
        "WK999902", PAYLOAD, auteur="Wijkgesprek <b>Noord</b>", datum="2025-04-01"
    )
    port = free_port()
    process = start_app(data, port, WIJKKOMPAS_DATABASE_URL="")
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


def test_note_with_script_payload_stays_text(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        page.goto(f"{server}/profiel?gebied=WK999902", wait_until="domcontentloaded")
        heading = page.get_by_text("Wat we horen in de wijk")
        heading.first.wait_for(timeout=120_000)
        note = page.get_by_text("window.__xss=1", exact=False).first
        note.wait_for(timeout=60_000)
        text = note.inner_text()
        shot(page, "profiel_notitie")
        assert "<script>window.__xss=1</script>" in text
        assert '<img src=x onerror="window.__xss=2">' in text and "**vet**" in text
        assert "Wijkgesprek <b>Noord</b>" in text
        assert page.evaluate("() => window.__xss === undefined")
        assert page.locator('img[src="x"]').count() == 0
        assert page.locator("strong", has_text="vet").count() == 0
        browser.close()
