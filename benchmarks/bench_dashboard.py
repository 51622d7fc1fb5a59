"""Dashboard performance on the real Utrecht data (buurt level).

Measures, in one run:

* the map payload: the folium script + HTML that ``st_folium`` sends to the browser;
* time to the first map visible in headless Chromium after the page starts loading;
* server time to change the indicator with a warm cache (AppTest, in process), against a
  cold first run as the reference in the same process.

Usage: python benchmarks/bench_dashboard.py [DATA]   (default ../shared/data/utrecht)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data"))


def payload_bytes(folder: str) -> int:
    import folium

    from geo.model.dataset import load_dataset
    from geo.present.maps import base_map, choropleth

    dataset = load_dataset(folder)
    areas = dataset.level("buurt").copy()
    f = dataset.figures
    part = f[(f["indicator"] == "Eenzaam") & (f["group"] == "18+")
             & (f["year"] == dataset.years[-1])]
    areas["waarde"] = areas["code"].map(part.set_index(part["code"].astype(str))["value"])
    m = base_map(areas)
    layer, _ = choropleth(areas, value="waarde", title="Eenzaam", label="Eenzaam")
    layer.add_to(m)
    folium.LayerControl().add_to(m)
    return len(m.get_root().render().encode())


def first_map_seconds(folder: str) -> float:
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "WIJKKOMPAS_DATA": folder}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
                               "--server.port", str(port), "--server.headless", "true"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            timings = []
            for _ in range(2):  # the first run warms the server cache
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first.locator(
                    "path.leaflet-interactive").first.wait_for(state="attached",
                                                               timeout=120_000)
                timings.append(time.perf_counter() - start)
                page.close()
            browser.close()
        return timings[-1]
    finally:
        server.terminate()


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


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else str(SHARED / "utrecht")
    size = payload_bytes(folder)
    print(f"kaartlading buurtniveau: {size / 2**20:.2f} MiB (doel < 2 MB)")
    cold, warm = indicator_change_seconds(folder)
    print(f"eerste run (koude cache): {cold:.2f} s; indicator wisselen (warme cache): "
          f"{warm:.2f} s (doel < 1 s); verhouding {cold / warm:.1f}×")
    if Path("/usr/bin/chromium").exists():
        print(f"eerste kaart zichtbaar in Chromium (warme server): "
              f"{first_map_seconds(folder):.2f} s (doel < 3 s)")


if __name__ == "__main__":
    main()
