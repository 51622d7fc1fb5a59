"""Shared fixtures: paths to the demo and the real data, tiny hand-drawn areas."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data"
SHARED = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data"))
UTRECHT = SHARED / "utrecht"
NL = SHARED / "nl"


# No test goes online: the app's connection check (and anything else that reads the PDOK URL
# from the environment) meets a closed local port unless a test points it at its own server.
# Set at import, so the app servers the browser tests start inherit it too.
os.environ.setdefault("WIJKKOMPAS_PDOK_URL", "http://127.0.0.1:9")
# The table cache (geo/io/cache.py) of a test run lives in a temporary folder of its own,
# never in the user's cache; app servers started by browser tests inherit it.
os.environ.setdefault("WIJKKOMPAS_TABLE_CACHE", tempfile.mkdtemp(prefix="wijkkompas-tabellen-"))
# The same for the background map's tiles: the app's reachability check fails at once and the
# maps in the browser tests use the offline fallback (a test serves its own tiles to go online).
for _name, _path in (("BRT", "brt/{layer}"), ("OSM", "osm"), ("LUCHTFOTO", "luchtfoto")):
    os.environ.setdefault(
        f"WIJKKOMPAS_{_name}_URL", f"http://127.0.0.1:9/{_path}/{{z}}/{{x}}/{{y}}.png"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked ``shared`` when ../shared/data is absent (always present in CI)."""
    if SHARED.exists():
        return
    skip = pytest.mark.skip(reason=f"echte data niet gevonden in {SHARED} (WIJKKOMPAS_SHARED)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def utrecht_dir() -> Path:
    return UTRECHT


@pytest.fixture(scope="session")
def nl_dir() -> Path:
    return NL


@pytest.fixture()
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo dataset."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target)
    return target


@pytest.fixture()
def utrecht_copy(tmp_path: Path) -> Path:
    """A writable copy of the real Utrecht data (tests never write into ../shared)."""
    target = tmp_path / "utrecht"
    shutil.copytree(UTRECHT, target)
    return target


@pytest.fixture(scope="session")
def demo_dataset():
    from geo.io.folder import load_dataset

    return load_dataset(DEMO)


@pytest.fixture(scope="session")
def utrecht_dataset():
    from geo.io.folder import load_dataset

    if not UTRECHT.exists():
        pytest.skip(f"echte data niet gevonden in {SHARED}")
    return load_dataset(UTRECHT)


@pytest.fixture()
def tiny_buurten() -> gpd.GeoDataFrame:
    """Four 1 km square buurten in two wijken of gemeente 0999, in RD."""
    return gpd.GeoDataFrame(
        {
            "buurtcode": ["BU09990101", "BU09990102", "BU09990201", "BU09990202"],
            "buurtnaam": ["Noord", "Zuid", "Oost", "West"],
        },
        geometry=[
            box(150_000, 460_000, 151_000, 461_000),
            box(150_000, 459_000, 151_000, 460_000),
            box(151_000, 460_000, 152_000, 461_000),
            box(151_000, 459_000, 152_000, 460_000),
        ],
        crs="EPSG:28992",
    )




@pytest.fixture(autouse=True)
def _main_is_not_the_app(monkeypatch):
    """Keep a spawned process from re-running the Streamlit app.

    AppTest runs ``app.py`` as ``__main__`` in the test process and leaves it there; a
    ``multiprocessing`` spawn child re-runs the main module's file first, crashes outside a
    Streamlit runtime and the pool waits for it forever.
    """
    main = sys.modules.get("__main__")
    path = str(getattr(main, "__file__", "") or "")
    if main is not None and getattr(main, "__spec__", None) is None and (
        path.endswith("app.py") or "app_pages" in path
    ):
        monkeypatch.delattr(main, "__file__")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Playwright) for the browser tests of one module."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


from tests.pg_cluster import pg_cluster, pg_url  # noqa: E402, F401  (throwaway PostgreSQL)
from tests.register_backends import register  # noqa: E402, F401  (the backend fixture)
