"""serve.py's warming: the pages' imports and the shared caches a first visitor uses."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from app_pages import _common
from app_pages._warm import COMPONENTS, page_imports, warm_up
from tests.conftest import DEMO, REPO


def test_page_imports_are_every_top_level_import_of_the_pages():
    names = page_imports()
    kaart = ast.parse((REPO / "app_pages" / "kaart.py").read_text(encoding="utf-8"))
    for node in kaart.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            assert COMPONENTS.get(node.module, node.module) in names
    assert "streamlit_folium" not in names  # a component registers only inside a script run
    assert len(names) == len(set(names))


def test_warm_up_fills_the_cache_the_first_session_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    _common.cached_dataset.clear()
    _common.cached_aanbod.clear()
    summary = warm_up(str(folder))
    assert "vooraf geladen" in summary and "modules geladen" in summary
    # the keys current() uses for a new session: a hit, not a new load
    stamp = _common.folder_stamp(str(folder))
    calls = []
    original = _common.load_dataset_cached
    monkeypatch.setattr(
        _common, "load_dataset_cached", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    dataset = _common.cached_dataset(str(folder), None, stamp)
    assert calls == [] and dataset.demo


def test_warm_up_builds_the_map_a_new_sessions_kaart_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from streamlit.testing.v1 import AppTest

    import geo.present.maps.kaart as kaart

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    _common.cached_kaart.clear()
    _common.warm_caches(str(folder))
    built: list[object] = []
    original = kaart.kaart_map
    monkeypatch.setattr(kaart, "kaart_map", lambda *a, **k: built.append(a) or original(*a, **k))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["folder"] = str(folder)
    at.run()
    assert not at.exception
    assert built == []  # the page found the warmed map: its choices are the new session's
    at.selectbox(key="kaart_indicator").set_value("ErnstigZeerErnstigEenzaam").run()
    assert len(built) == 1  # another choice: built once, then shared


def test_warm_up_leaves_an_unreadable_folder_to_the_page(tmp_path: Path):
    summary = _common.warm_caches(str(tmp_path / "bestaat-niet"))
    assert summary.startswith("gegevens niet vooraf geladen")
