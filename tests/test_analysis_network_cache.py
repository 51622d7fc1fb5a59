"""The cache of built walking graphs: hit, miss, invalidation, corruption, no writes in data."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest

from geo.analysis import network as network_module
from geo.analysis.network import NETWORK_DIR, network_from_file, network_from_folder
from tests.osm_town import points, town_ways, write_pbf


def _snapshot(folder):
    return {
        (p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture()
def extract(tmp_path):
    folder = tmp_path / "data"
    (folder / NETWORK_DIR).mkdir(parents=True)
    write_pbf(folder / NETWORK_DIR / "stad.osm.pbf", town_ways())
    return folder


def test_hit_after_miss(extract, tmp_path, caplog):
    cache = tmp_path / "cache"
    with caplog.at_level(logging.INFO, logger="geo.analysis.network"):
        first = network_from_folder(extract, cache_dir=cache)
    assert not any("uit de cache" in r.getMessage() for r in caplog.records)
    files = list(cache.glob("*.npz"))
    assert len(files) == 1
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="geo.analysis.network"):
        second = network_from_folder(extract, cache_dir=cache)
    assert any("uit de cache" in r.getMessage() for r in caplog.records)
    assert (first.graph != second.graph).nnz == 0
    np.testing.assert_array_equal(first.node_xy, second.node_xy)
    assert second.source == first.source
    assert "stad.osm.pbf" in second.source and "sha256" in second.source


def test_changed_file_is_a_miss(extract, tmp_path):
    cache = tmp_path / "cache"
    path = extract / NETWORK_DIR / "stad.osm.pbf"
    before = network_from_file(path, cache_dir=cache)
    # the town gets a second bridge at y = 1000: the canal pair is now 250 m apart
    ways = town_ways() + [({"highway": "footway"}, [(1000.0, 1000.0), (1250.0, 1000.0)])]
    write_pbf(path, ways)
    after = network_from_file(path, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 2
    assert after.n_edges == before.n_edges + 1
    d, _s, m = after.pairs(
        points((1000, 1000)), points((1250, 1000)), np.array([800.0]), max_snap_m=50
    )
    assert m.tolist() == pytest.approx([250.0], abs=0.5)


def test_new_format_version_is_a_miss(extract, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    network_from_folder(extract, cache_dir=cache)
    from geo.analysis import _network_cache

    monkeypatch.setattr(_network_cache, "FORMAT_VERSION", _network_cache.FORMAT_VERSION + 1)
    network_from_folder(extract, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_corrupt_cache_is_a_warning_and_a_rebuild(extract, tmp_path, damage):
    cache = tmp_path / "cache"
    good = network_from_folder(extract, cache_dir=cache)
    (cached,) = cache.glob("*.npz")
    content = cached.read_bytes()
    cached.write_bytes(
        {"garbage": b"\x00niet een npz" * 10, "truncated": content[:200], "empty": b""}[damage]
    )
    with pytest.warns(UserWarning, match="onleesbaar"):
        rebuilt = network_from_folder(extract, cache_dir=cache)
    assert (rebuilt.graph != good.graph).nnz == 0
    assert cached.read_bytes() == content  # written again, whole


def test_reading_never_writes_in_the_data_folder(extract, tmp_path):
    before = _snapshot(extract)
    network_from_folder(extract, cache_dir=tmp_path / "cache")
    network_from_folder(extract, cache_dir=tmp_path / "cache")
    assert _snapshot(extract) == before


def test_default_cache_dir_follows_the_environment(extract, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "eigen"))
    assert network_module.default_cache_dir() == tmp_path / "eigen" / "netwerk"
    network_from_folder(extract)
    assert len(list((tmp_path / "eigen" / "netwerk").glob("*.npz"))) == 1
    monkeypatch.delenv("WIJKKOMPAS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert network_module.default_cache_dir() == tmp_path / "xdg" / "wijkkompas" / "netwerk"


def test_unwritable_cache_still_gives_the_network(extract, tmp_path):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")  # a file where the cache folder should be
    net = network_from_folder(extract, cache_dir=blocked / "netwerk")
    assert net is not None and net.n_nodes > 0
    assert os.path.isfile(blocked)
