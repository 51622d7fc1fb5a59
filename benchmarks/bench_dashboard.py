"""Dashboard speed in a real Chromium, from opening the page on a freshly started server.

Measures, in one run:

* **Utrecht, first map, cold**: a new server (``serve.py``: Streamlit plus its warming of
  imports and data folder) on ``../shared/data/utrecht``, a new browser page once the server
  has said it is warm; seconds from ``page.goto`` until the first buurt of the choropleth is
  drawn in the map's iframe (its SVG path, or for the country's buurten the first pixels on
  their canvas). With the table cache already filled (a restart: the usual cold start),
  with an empty table cache (the very first start on a machine), and once with the page
  opened as soon as the health check answers (the warming still going on).
* **Utrecht, warm**: the next pages on the same server (Streamlit's in-memory caches warm), as
  new visitors (a new browser context each) and as a returning visitor (one context, its
  browser cache holding Streamlit's and the map's static files).
* **National buurt map, cold**: the same on ``../shared/data/nl`` (about 10,500 buurten).
* **Payload**: bytes of the map script + HTML that ``st_folium`` sends, for the Utrecht and the
  national buurt map; with ``--before`` the same for the map as built before the slim payload
  (six decimals, 3 m tolerance and the whole tooltip in every area), the reference.
* **In-process AppTest** (Utrecht): first run against an indicator change with a warm cache.

Targets (issue 16): Utrecht < 3 s cold, < 1.5 s warm; national < 5 s cold. The figures depend
on the machine's load: the report prints the load average next to them.

Usage: python benchmarks/bench_dashboard.py [--runs N] [--skip-national] [--before]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data"))
CHROMIUM = Path("/usr/bin/chromium")
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 180_000


def map_payload(folder: str, *, before: bool = False) -> tuple[int, int]:
    """(bytes of the buurt map as the Kaart page builds it, number of buurten)."""
    import folium

    from geo.io.cache import load_dataset_cached
    from geo.model.figures import PUBLISHED
    from geo.present import maps
    from geo.present.payload import payload_bytes

    dataset = load_dataset_cached(folder)
    frame = maps.area_values(
        dataset.level("buurt"),
        dataset.figures,
        indicator="Eenzaam",
        group="18+",
        year=dataset.years[-1],
    )
    published = frame.loc[frame["status"] == PUBLISHED, "source"]
    source = f"{published.iloc[0]}, {dataset.years[-1]}" if len(published) else ""
    with _reference_payload() if before else contextlib.nullcontext():
        m = maps.base_map(frame)
        layer, _ = maps.choropleth(
            frame,
            value="value",
            title="Eenzaam (18 jaar en ouder)",
            label="Eenzaam",
            notes=frame["note"],
            source=source,
        )
        layer.add_to(m)
        folium.LayerControl(collapsed=True).add_to(m)
        return payload_bytes(m), len(frame)


@contextlib.contextmanager
def _reference_payload() -> Iterator[None]:
    """The map as built before geo/present/payload.py and the canvas layer: 3 m, 6 decimals,
    whole tooltips, folium.GeoJson."""
    import folium

    from geo.present.maps import areas as maps  # where choropleth looks these up

    def old_tooltips(tips: list[str]) -> tuple[list[str], dict[str, object]]:
        return list(tips), {
            "tooltip": folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
        }

    saved = maps.slim_for_display, maps.tooltip_options, maps.CANVAS_FROM
    maps.slim_for_display = lambda frame, *, minimum_m: maps.for_display(frame.copy())
    maps.tooltip_options = old_tooltips
    maps.CANVAS_FROM = 10**9  # folium.GeoJson (SVG) for every size
    try:
        yield
    finally:
        maps.slim_for_display, maps.tooltip_options, maps.CANVAS_FROM = saved


@contextlib.contextmanager
def server(folder: str, cache_dir: Path, *, wait_warm: bool = True) -> Iterator[str]:
    """A freshly started app (``serve.py``) on a free port; yields its URL.

    Ready when the health check answers and, with ``wait_warm``, when the server logged that
    its warming (imports, data folder) is done; without it the page opens at once and waits
    for whatever warming is left.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "WIJKKOMPAS_DATA": folder,
        "WIJKKOMPAS_TABLE_CACHE": str(cache_dir),
        "PYTHONPATH": str(REPO),
    }
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
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    warm = threading.Event()

    def watch_log() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("Wijkkompas voorbereid"):
                warm.set()

    threading.Thread(target=watch_log, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        if wait_warm and not warm.wait(timeout=120):
            raise RuntimeError("serve.py meldde niet dat het voorbereid was")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


AREAS = "path.leaflet-interactive, .leaflet-overlay-pane canvas"
"""The choropleth's areas: SVG paths (a city) or the canvas of a large layer (the country)."""

CANVAS_PAINTED = """() => {
  const canvas = document.querySelector(".leaflet-overlay-pane canvas");
  if (!canvas) return true;  // SVG: the first path is the first area drawn
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
  return false;
}"""


VIEWPORT = {"width": 1400, "height": 1000}


def first_map_seconds(new_page: Callable[[], Any], url: str) -> float:
    """Seconds from opening the page until the choropleth's first area is drawn in the map.

    ``new_page``: a new page of the browser (a new visitor, nothing cached) or of one browser
    context (a returning visitor: Streamlit's and the map's static files cached).
    """
    page = new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.frame_locator(MAP_FRAME).first.locator(AREAS).first.wait_for(
            state="attached", timeout=TIMEOUT_MS
        )
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        frame.wait_for_function(CANVAS_PAINTED, timeout=TIMEOUT_MS, polling="raf")
        return time.perf_counter() - start
    finally:
        page.close()


def measure(
    folder: str, cache_dir: Path, *, warm_pages: int = 1, wait_warm: bool = True
) -> tuple[float, list[float], list[float]]:
    """Seconds on a fresh server: (first page, next pages as new visitors, next pages as a
    returning visitor whose browser has Streamlit's static files cached)."""
    from playwright.sync_api import sync_playwright

    with server(folder, cache_dir, wait_warm=wait_warm) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:

            def new_visitor() -> Any:
                return browser.new_page(viewport=VIEWPORT)

            cold = first_map_seconds(new_visitor, url)
            warm = [first_map_seconds(new_visitor, url) for _ in range(warm_pages)]
            returning: list[float] = []
            if warm_pages:
                visitor = browser.new_context(viewport=VIEWPORT)
                first_map_seconds(visitor.new_page, url)  # the first visit fills the cache
                returning = [first_map_seconds(visitor.new_page, url) for _ in range(warm_pages)]
                visitor.close()
        finally:
            browser.close()
    return cold, warm, returning


def indicator_change_seconds(folder: str) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.session_state["folder"] = folder
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    at.selectbox(key="kaart_indicator").set_value("ErnstigZeerErnstigEenzaam")
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    return cold, warm


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"belasting {one:.1f} / {five:.1f} (1 / 5 min) op {os.cpu_count()} kernen"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh servers per measurement")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--before", action="store_true", help="also the reference payload")
    args = parser.parse_args()
    utrecht, nl = str(SHARED / "utrecht"), str(SHARED / "nl")
    folders = [("Utrecht", utrecht)] + ([] if args.skip_national else [("Nederland", nl)])

    for label, folder in folders:
        size, n = map_payload(folder)
        line = f"kaartlading buurtkaart {label} ({n} buurten): {size / 1e6:.2f} MB"
        if args.before:
            old, _ = map_payload(folder, before=True)
            line += f" (was {old / 1e6:.2f} MB: {old / size:.1f}× kleiner)"
        print(line, flush=True)

    if not CHROMIUM.exists():
        print("Chromium ontbreekt (/usr/bin/chromium): geen browsermeting")
        return
    cache_dir = Path(tempfile.mkdtemp(prefix="wijkkompas-bench-tabellen-"))
    try:
        for label, folder in folders:
            empty_cold, _, _ = measure(folder, cache_dir, warm_pages=0)  # fills the table cache
            print(
                f"{label}: eerste kaart, koude server en lege tabelcache: {empty_cold:.2f} s "
                f"({_load()})",
                flush=True,
            )
            direct, _, _ = measure(folder, cache_dir, warm_pages=0, wait_warm=False)
            print(
                f"{label}: eerste kaart, pagina geopend zodra de server antwoordt (opwarmen "
                f"nog bezig): {direct:.2f} s ({_load()})",
                flush=True,
            )
            colds, warms, returns = [], [], []
            for _ in range(args.runs):
                cold, warm, returning = measure(folder, cache_dir, warm_pages=2)
                colds.append(cold)
                warms.extend(warm)
                returns.extend(returning)
            target_cold = 3.0 if label == "Utrecht" else 5.0
            print(
                f"{label}: eerste kaart, vers gestarte en opgewarmde server (tabelcache gevuld): "
                "mediaan "
                f"{statistics.median(colds):.2f} s, {min(colds):.2f}–{max(colds):.2f} s over "
                f"{len(colds)} servers (doel < {target_cold:g} s); warme server: mediaan "
                f"{statistics.median(warms):.2f} s, {min(warms):.2f}–{max(warms):.2f} s "
                f"(doel Utrecht < 1,5 s); terugkerende bezoeker (browsercache): mediaan "
                f"{statistics.median(returns):.2f} s, {min(returns):.2f}–{max(returns):.2f} s "
                f"({_load()})",
                flush=True,
            )
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)

    cold, warm = indicator_change_seconds(utrecht)
    print(
        f"AppTest Utrecht: eerste run {cold:.2f} s; indicator wisselen (warme cache) "
        f"{warm:.2f} s; verhouding {cold / warm:.1f}×"
    )


if __name__ == "__main__":
    main()
