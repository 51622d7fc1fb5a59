"""Layout in a real browser: a phone (390 × 844), printing the Gebiedsprofiel on A4, the toolbar.

* Phone: on the Kaart and the Gebiedsprofiel nothing is wider than the screen (no horizontal
  scrolling), the title and the map are on screen; a screenshot is saved in pytest's tmp dir.
* Print: with the print stylesheet the profile keeps its title, map and tables and loses the
  sidebar, the widgets and the toolbar; Chromium's own PDF of it has A4 pages.
* The toolbar has no Deploy button (``client.toolbarMode = "viewer"``); the browser tab names
  the page; keyboard focus shows a 3 px outline.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO
from tests.test_browser import CHROMIUM, MAP, free_port, start_app, stop_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

PHONE = {"width": 390, "height": 844}
A4_POINTS = (595.3, 841.9)

OVERFLOW = """() => {
  // elements of the main area that stick out to the right of the screen
  const width = document.documentElement.clientWidth;
  const wide = [];
  // (a table that scrolls sideways inside its own frame is fine: everything is reachable)
  const scrolls = el => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== 'fixed'
        && !scrolls(el)) {
      wide.push((el.getAttribute('data-testid') || el.tagName) + ' ' + Math.round(box.right));
    }
  }
  return {scroll: document.scrollingElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("layout") / "demo"
    shutil.copytree(DEMO, data)
    port = free_port()
    process = start_app(data, port, WIJKKOMPAS_DATABASE_URL="")
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


def wait_for_map(page) -> None:  # noqa: ANN001
    page.frame_locator(MAP).first.locator("path.leaflet-interactive").first.wait_for(
        state="attached", timeout=120_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(800)


@pytest.mark.parametrize(("path", "title"), [("", "Kaart"), ("profiel", "Gebiedsprofiel")])
def test_phone_layout_has_no_horizontal_overflow(
    server: str,
    browser,  # noqa: ANN001
    tmp_path: Path,
    path: str,
    title: str,
) -> None:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        heading = page.get_by_role("heading", name=title, exact=True).first
        heading.wait_for(timeout=120_000)
        wait_for_map(page)
        screenshot = tmp_path / f"telefoon_{title.lower()}.png"
        page.screenshot(path=str(screenshot), full_page=False)
        assert screenshot.stat().st_size > 10_000
        found = page.evaluate(OVERFLOW)
        assert found["width"] == PHONE["width"]
        assert found["scroll"] <= found["width"], found
        assert found["wide"] == [], found
        # the main content is visible: the title on screen, the sidebar folded away
        box = heading.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
        assert box["y"] < PHONE["height"]
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.count() == 0 or sidebar.get_attribute("aria-expanded") != "true"
        frame = page.locator(MAP).first.bounding_box()
        assert frame is not None and frame["width"] <= PHONE["width"] and frame["height"] >= 300
    finally:
        context.close()


def test_profile_prints_on_a4_with_map_and_tables_without_widgets(
    server: str,
    browser,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    try:
        page.goto(f"{server}/profiel?gebied=Noordhoek", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Noordhoek").wait_for(timeout=120_000)
        wait_for_map(page)
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        page.emulate_media(media="print")
        visible = page.evaluate(
            """() => {
          const shown = sel => Array.from(document.querySelectorAll(sel))
            .some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0);
          return {
            sidebar: shown('[data-testid="stSidebar"]'),
            selectbox: shown('[data-testid="stSelectbox"]'),
            button: shown('[data-testid="stButton"], [data-testid="stDownloadButton"]'),
            toolbar: shown('[data-testid="stToolbar"]'),
            title: shown('h1'),
            map: shown('iframe[title="streamlit_folium.st_folium"]'),
            table: shown('.wk-tabel table'),
          };
        }"""
        )
        assert visible == {
            "sidebar": False,
            "selectbox": False,
            "button": False,
            "toolbar": False,
            "title": True,
            "map": True,
            "table": True,
        }
        pdf = tmp_path / "gebiedsprofiel.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        for sheet in reader.pages:
            width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
            assert (width, height) == pytest.approx(A4_POINTS, abs=1.5)
        text = "".join(sheet.extract_text() for sheet in reader.pages)
        assert "Noordhoek" in text and "Eenzaamheid tegen gemeente en Nederland" in text
        assert "Datamap" not in text  # the sidebar's widgets are not printed
        # the tables are HTML tables: printed whole, as text, with their captions
        assert "Eenzaamheid in Noordhoek tegen gemeente en Nederland" in text
        assert "Doelgroepen in Noordhoek: inwoners en eenzamen" in text
    finally:
        page.close()


def test_toolbar_has_no_deploy_button_and_focus_is_visible(server: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/over", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Over de data", exact=True).wait_for(timeout=120_000)
        page.wait_for_timeout(1000)
        assert page.get_by_role("button", name="Deploy").count() == 0
        assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
        assert page.title() == "Over de data · Wijkkompas"
        # the app's stylesheet arrives with the page script (st.html): wait for its focus rule
        page.wait_for_function(
            """() => [...document.styleSheets].some(sheet => {
                   try { return [...sheet.cssRules].some(rule =>
                           rule.cssText.includes(':focus-visible')
                           && rule.cssText.includes('rgb(11, 92, 173)')); }
                   catch (e) { return false; } })""",
            timeout=60_000,
        )
        # keyboard focus is visible: a 3 px outline on whatever Tab reaches
        outlines = []
        for _ in range(6):
            page.keyboard.press("Tab")
            outlines.append(
                page.evaluate(
                    """() => { const e = document.activeElement; const s = getComputedStyle(e);
                       return [e.tagName, s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
                )
            )
        focused = [o for o in outlines if o[0] != "BODY"]
        assert focused, outlines
        for _tag, style, width, colour in focused:
            assert (style, width, colour) == ("solid", "3px", "rgb(11, 92, 173)"), outlines
    finally:
        page.close()
