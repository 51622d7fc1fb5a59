"""The Scenario's page in a real browser: click the map to place an activity, see the
change, save the scenario, reopen it in a new page (Playwright + Debian's Chromium)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.analysis.scenario_store import open_scenarios
from tests.conftest import DEMO
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
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

# the demo's one corner where elderly residents have nothing suitable within 500 m
PLACE = (52.134945, 5.354340)

POINT = """
([lat, lng]) => {
  const point = window.map.latLngToContainerPoint([lat, lng]);
  const box = window.map.getContainer().getBoundingClientRect();
  return {x: box.left + point.x, y: box.top + point.y};
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("scenario") / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    process = start_app(data, port)
    yield f"http://127.0.0.1:{port}", data
    stop_app(process)


def _metric(page, label: str):  # noqa: ANN001, ANN202
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def test_place_on_map_save_and_reopen(server: tuple[str, Path], browser) -> None:  # noqa: ANN001, F811
    url, data = server
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{url}/scenarios?groep=ouderen", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Scenario's").wait_for(timeout=60_000)
    frame = map_frame(page)
    _metric(page, "Nieuwe activiteiten").get_by_text("0", exact=True).wait_for(timeout=30_000)
    page.locator(MAP).first.scroll_into_view_if_needed()
    target = frame.evaluate(POINT, list(PLACE))
    box = page.locator(MAP).first.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    _metric(page, "Nieuwe activiteiten").get_by_text("1", exact=True).wait_for(timeout=30_000)
    newly = _metric(page, "Eenzamen nieuw bereikt").inner_text()
    assert re.search(r"[1-9]", newly.split("\n")[-1]), newly
    shot(page, "scenario_geplaatst")
    page.get_by_label("Uw naam (auteur)").fill("anna")
    page.get_by_label("Uw naam (auteur)").press("Enter")
    page.get_by_role("button", name="Scenario opslaan").click()
    page.get_by_text("opgeslagen (versie 1)").wait_for(timeout=30_000)
    stored = open_scenarios(data, database_url="").list()
    assert [s.auteur for s in stored] == ["anna"] and len(stored[0].nieuw) == 1

    again = browser.new_page(viewport={"width": 1400, "height": 1100})
    again.goto(f"{url}/scenarios?groep=ouderen", wait_until="domcontentloaded")
    again.get_by_role("heading", name="Scenario's").wait_for(timeout=60_000)
    again.get_by_role("combobox", name="Opgeslagen scenario openen").click()
    again.get_by_role("option", name=stored[0].naam).click()
    again.get_by_role("button", name="Openen").click()
    _metric(again, "Nieuwe activiteiten").get_by_text("1", exact=True).wait_for(timeout=30_000)
    assert _metric(again, "Eenzamen nieuw bereikt").inner_text() == newly
    shot(again, "scenario_heropend")
    page.close()
    again.close()
