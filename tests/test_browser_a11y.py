"""Accessibility in a real browser: axe-core (WCAG 2.1 AA rules) on every page and the map.

Starts the app on a copy of the demo data and of the real Utrecht data, opens each page in
Debian's Chromium, waits until Streamlit has finished running it, and runs axe-core (through
``axe-playwright-python``) on the main document and, where there is one, inside the map's
iframe. Any *serious* or *critical* violation fails the test, with axe's own report (rule,
element, message) in the failure. Each page is also checked to be served in Dutch
(``lang="nl"``) with its title and description.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from app_pages._head import PAGE_DESCRIPTIONS
from tests.conftest import DEMO, UTRECHT
from tests.test_browser import (
    CHROMIUM,
    MAP,
    free_port,
    start_app,
    stop_app,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

PAGES = {  # url path -> (title, whether the page has a map: yes, no, or when the data has one)
    "": ("Kaart", "ja"),
    "hiaten": ("Hiaten", "ja"),
    "profiel": ("Gebiedsprofiel", "ja"),
    "aanbod": ("Aanbod", "nee"),
    "scenarios": ("Scenario's", "ja"),
    "export": ("Export", "nee"),
    "monitoring": ("Monitoring", "misschien"),  # the wijk map needs measurements per wijk
    "over": ("Over de data", "nee"),
}
STRUCTURE = ("heading-order", "page-has-heading-one", "empty-heading", "empty-table-header")
"""Best-practice rules run as well and failing at any impact: headings in order, one h1."""
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {rule: {"enabled": True} for rule in STRUCTURE},
    "resultTypes": ["violations"],
}
FRAME_OPTIONS = {**AXE_OPTIONS, "rules": {"heading-order": {"enabled": True}}}
"""Inside the map iframe: the WCAG rules and heading order (a map has no h1 of its own)."""
BLOCKING = {"serious", "critical"}
DATASETS = {"demo": DEMO, "utrecht": UTRECHT}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    source = DATASETS[request.param]
    if not source.exists():
        pytest.skip(f"echte data niet gevonden in {source}")
    data = tmp_path_factory.mktemp(f"a11y_{request.param}") / request.param
    shutil.copytree(source, data)
    port = free_port()
    process = start_app(data, port, WIJKKOMPAS_DATABASE_URL="")
    yield f"http://127.0.0.1:{port}"
    stop_app(process)


def settle(page) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished running the page (no running indicator, no spinner)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-testid="stSpinner"]')
                 && !document.querySelector('[data-stale="true"]')""",
        timeout=120_000,
    )
    # elements fade while a rerun runs and fade back after it: wait until all are opaque again,
    # or axe measures the contrast of half-transparent text
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.element-container,'
                 + ' [data-testid="stCaptionContainer"]'))
                 .every(e => getComputedStyle(e).opacity === '1')""",
        timeout=60_000,
    )
    page.wait_for_timeout(500)


def blocking(results: dict) -> list[dict]:  # type: ignore[type-arg]
    """Serious and critical violations, and any of the structure rules."""
    return [v for v in results["violations"] if v.get("impact") in BLOCKING or v["id"] in STRUCTURE]


def report(where: str, violations: list[dict]) -> str:  # type: ignore[type-arg]
    lines = [f"{where}: {len(violations)} ernstige/kritieke axe-bevinding(en)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"      {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", list(PAGES))
def test_page_and_map_have_no_serious_axe_violations(server: str, browser, path: str) -> None:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    title, has_map = PAGES[path]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=120_000)
        if has_map == "ja":
            page.frame_locator(MAP).first.locator("path.leaflet-interactive").first.wait_for(
                state="attached", timeout=120_000
            )
        settle(page)
        if has_map == "misschien" and page.locator(MAP).count():
            page.frame_locator(MAP).first.locator("path.leaflet-interactive").first.wait_for(
                state="attached", timeout=120_000
            )
            settle(page)
        # a Dutch page (WCAG 3.1.1: read with Dutch pronunciation), named and described
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert page.title() == f"{title} · Wijkkompas"
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert description == PAGE_DESCRIPTIONS[title]
        axe = Axe()
        found = {f"{title} (pagina)": blocking(axe.run(page, options=AXE_OPTIONS).response)}
        maps = [f for f in page.frames if "streamlit_folium" in f.url]
        assert maps or has_map != "ja", f"{title}: geen kaart"
        for frame in maps:
            found[f"{title} (kaart-iframe)"] = blocking(
                axe.run(frame, options=FRAME_OPTIONS).response
            )
        problems = [report(where, v) for where, v in found.items() if v]
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def test_axe_finds_a_planted_violation(browser) -> None:  # noqa: ANN001
    """The check can fail: an image without alt text and grey-on-white text are reported."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="nl"><head><title>t</title></head><body><main><h1>Test</h1>'
            '<img src="data:image/png;base64,iVBORw0KGgo=">'
            '<p style="color:#bbb;background:#fff">lichtgrijze tekst</p></main></body></html>'
        )
        ids = {v["id"] for v in blocking(Axe().run(page, options=AXE_OPTIONS).response)}
        assert {"image-alt", "color-contrast"} <= ids
    finally:
        page.close()


def test_kaart_table_is_a_captioned_table_scrolled_with_the_keyboard(server: str, browser) -> None:  # noqa: ANN001
    """The map's figures as a table: a <table> with <caption> and header cells, in a region
    that takes the focus and scrolls with the arrow keys (nothing only on the map)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(server, wait_until="domcontentloaded")
        region = page.get_by_role("region", name="Eenzaam per buurt", exact=False).first
        region.wait_for(timeout=120_000)
        table = page.get_by_role("table", name="Eenzaam per buurt", exact=False).first
        assert table.locator("caption").inner_text().startswith("Eenzaam per buurt:")
        assert table.get_by_role("columnheader", name="Code").count() == 1
        assert table.get_by_role("rowheader").count() >= 30
        region.focus()
        assert page.evaluate("() => document.activeElement.classList.contains('wk-tabel')")
        for _ in range(5):
            page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
        assert region.evaluate("(el) => el.scrollTop") > 0
    finally:
        page.close()
