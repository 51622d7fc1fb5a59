"""The table cache: a hit in a new process, a miss, invalidation, corruption, concurrent writers."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.io import cache
from geo.io.cache import (
    CacheInfo,
    TableCacheSettings,
    clear_table_cache,
    load_aanbod_cached,
    load_dataset_cached,
)
from geo.io.folder import load_dataset
from geo.model.dataset import Dataset

REPO = Path(__file__).resolve().parents[1]
RIVM_2020 = "rivm_50090NED_2020_18plus.csv"

# A new Python process: load the folder through the cache, report hit/miss, pickle the dataset.
CHILD = textwrap.dedent(
    """
    import pickle, sys
    from pathlib import Path
    from geo.io.cache import CacheInfo, TableCacheSettings, load_dataset_cached

    info = CacheInfo()
    settings = TableCacheSettings(folder=Path(sys.argv[2]))
    dataset = load_dataset_cached(sys.argv[1], settings=settings, info=info)
    if len(sys.argv) > 3:
        Path(sys.argv[3]).write_bytes(pickle.dumps(dataset))
    print("hit" if info.hit else "miss")
    """
)


def _child(folder: Path, store: Path, out: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", CHILD, str(folder), str(store)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [*args, *([str(out)] if out else [])],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_child(folder: Path, store: Path, out: Path | None = None) -> str:
    process = _child(folder, store, out)
    stdout, stderr = process.communicate(timeout=240)
    assert process.returncode == 0, stderr
    return stdout.strip()


def assert_same_dataset(left: Dataset, right: Dataset) -> None:
    """Every table equal, with its dtypes, index and attrs; the plain fields equal."""
    assert_geodataframe_equal(left.areas, right.areas)
    assert left.areas.attrs == right.areas.attrs
    for column in left.areas.columns:  # None stays None, pd.NA stays pd.NA in object columns
        if left.areas[column].dtype == object:
            assert list(map(type, left.areas[column])) == list(map(type, right.areas[column]))
    pd.testing.assert_frame_equal(left.figures, right.figures)
    pd.testing.assert_frame_equal(left.unmatched, right.unmatched)
    pd.testing.assert_frame_equal(left.sources, right.sources)
    assert left.populations.keys() == right.populations.keys()
    for year, population in left.populations.items():
        pd.testing.assert_frame_equal(population, right.populations[year])
        assert population.attrs == right.populations[year].attrs
    assert left.notices == right.notices
    assert left.gebieden == right.gebieden
    assert (left.path, left.titel, left.demo) == (right.path, right.titel, right.demo)
    assert (left.gemeente_code, left.gemeente_naam) == (right.gemeente_code, right.gemeente_naam)


@pytest.fixture()
def store(tmp_path: Path) -> TableCacheSettings:
    return TableCacheSettings(folder=tmp_path / "tabellen")


def test_second_load_in_a_new_process_is_served_from_the_cache(demo_copy, tmp_path, store):
    assert _run_child(demo_copy, store.path) == "miss"
    out = tmp_path / "dataset.pickle"
    assert _run_child(demo_copy, store.path, out) == "hit"
    served = pickle.loads(out.read_bytes())  # noqa: S301 - written by our own child process
    assert_same_dataset(served, load_dataset(demo_copy))
    assert served.demo and served.titel == "Demostad (fictief, demo)"


def test_a_miss_reads_the_files_and_writes_one_entry(demo_copy, store):
    info = CacheInfo()
    dataset = load_dataset_cached(demo_copy, settings=store, info=info)
    assert not info.hit
    assert info.file is not None and info.file.is_file()
    assert [p.name for p in store.path.iterdir()] == [info.file.name]  # no temporary left
    again = CacheInfo()
    assert_same_dataset(load_dataset_cached(demo_copy, settings=store, info=again), dataset)
    assert again.hit and again.key == info.key


def test_a_changed_file_is_read_again_even_with_the_same_size_and_time(demo_copy, store):
    rivm = demo_copy / "wijken" / RIVM_2020
    load_dataset_cached(demo_copy, settings=store)
    before = rivm.stat()
    text = rivm.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",BU99990101," in line)
    eenzaam = row.split(",")[8]
    changed = row.replace(f",{eenzaam},", ",12.3,", 1)
    assert len(changed) == len(row) and eenzaam != "12.3"
    rivm.write_text(text.replace(row, changed), encoding="utf-8")
    os.utime(rivm, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert rivm.stat().st_size == before.st_size

    info = CacheInfo()
    dataset = load_dataset_cached(demo_copy, settings=store, info=info)
    assert not info.hit
    f = dataset.figures
    value = f.loc[
        (f["code"] == "BU99990101")
        & (f["indicator"] == "Eenzaam")
        & (f["group"] == "18+")
        & (f["year"] == 2020),
        "value",
    ]
    assert value.tolist() == [12.3]
    assert_same_dataset(dataset, load_dataset(demo_copy))


def test_the_gemeente_and_dataset_toml_are_part_of_the_key(demo_copy, store):
    first = CacheInfo()
    load_dataset_cached(demo_copy, settings=store, info=first)
    other = CacheInfo()
    load_dataset_cached(demo_copy, gemeente="GM9999", settings=store, info=other)
    assert not other.hit and other.key != first.key
    toml = demo_copy / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("Demostad", "Anderstad", 1))
    renamed = CacheInfo()
    dataset = load_dataset_cached(demo_copy, settings=store, info=renamed)
    assert not renamed.hit and dataset.titel.startswith("Anderstad")


def test_focus_areas_are_read_on_every_hit(demo_copy, store):
    load_dataset_cached(demo_copy, settings=store)
    (demo_copy / "gebieden.toml").write_text(
        '[Proefgebied]\ncodes = ["BU99990101"]\nbeschrijving = "toegevoegd"\n', encoding="utf-8"
    )
    info = CacheInfo()
    dataset = load_dataset_cached(demo_copy, settings=store, info=info)
    assert info.hit
    assert list(dataset.gebieden) == ["Proefgebied"]


@pytest.mark.parametrize("damage", ["truncated", "garbled", "not a zip", "wrong format"])
def test_a_corrupted_cache_file_is_ignored_with_a_warning_and_rebuilt(demo_copy, store, damage):
    info = CacheInfo()
    expected = load_dataset_cached(demo_copy, settings=store, info=info)
    assert info.file is not None
    data = info.file.read_bytes()
    if damage == "truncated":
        info.file.write_bytes(data[: len(data) // 2])
    elif damage == "garbled":  # a flipped byte inside a member: the zip CRC no longer matches
        middle = len(data) // 3
        info.file.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif damage == "not a zip":
        info.file.write_text("geen zip", encoding="utf-8")
    else:
        with zipfile.ZipFile(info.file, "w") as archive:  # a layout this version cannot read
            archive.writestr("manifest.json", '{"format": 999}')

    again = CacheInfo()
    with pytest.warns(UserWarning, match="onleesbaar"):
        dataset = load_dataset_cached(demo_copy, settings=store, info=again)
    assert not again.hit
    assert_same_dataset(dataset, expected)
    rebuilt = CacheInfo()
    load_dataset_cached(demo_copy, settings=store, info=rebuilt)
    assert rebuilt.hit  # the damaged file was replaced by a good one


def test_a_write_that_dies_halfway_leaves_no_entry(demo_copy, store, monkeypatch):
    def die(frame: pd.DataFrame) -> bytes:
        raise OSError("schijf vol")

    monkeypatch.setattr(cache, "_frame_to_bytes", die)
    info = CacheInfo()
    load_dataset_cached(demo_copy, settings=store, info=info)
    assert list(store.path.iterdir()) == []  # neither an entry nor a temporary file


def test_concurrent_writers_do_not_corrupt_the_entry(demo_copy, tmp_path, store):
    children = [_child(demo_copy, store.path) for _ in range(4)]
    outputs = [child.communicate(timeout=240) for child in children]
    assert all(child.returncode == 0 for child in children), [err for _out, err in outputs]
    entries = sorted(store.path.iterdir())
    assert [p.suffix for p in entries] == [".zip"]  # one entry, no temporaries
    out = tmp_path / "dataset.pickle"
    assert _run_child(demo_copy, store.path, out) == "hit"
    served = pickle.loads(out.read_bytes())  # noqa: S301 - written by our own child process
    assert_same_dataset(served, load_dataset(demo_copy))


def test_switched_off_the_cache_reads_and_writes_nothing(demo_copy, store, monkeypatch):
    off = TableCacheSettings(enabled=False, folder=store.path)
    info = CacheInfo()
    load_dataset_cached(demo_copy, settings=off, info=info)
    assert not info.hit and not store.path.exists()
    monkeypatch.setenv(cache.CACHE_ENV, "uit")
    assert not TableCacheSettings.from_env().enabled
    monkeypatch.setenv(cache.CACHE_ENV, str(store.path))
    assert TableCacheSettings.from_env().path == store.path


def test_old_entries_are_pruned(demo_copy, store):
    small = TableCacheSettings(folder=store.path, max_entries=2)
    for gemeente in (None, "GM9999", "9999"):
        load_dataset_cached(demo_copy, gemeente=gemeente, settings=small)
    assert len(list(store.path.glob("*.zip"))) == 2
    assert clear_table_cache(small) == 2


def test_a_register_is_read_live_not_from_the_cache(demo_copy, store):
    dataset = load_dataset_cached(demo_copy, settings=store)
    assert (demo_copy / "aanbod" / "register.gpkg").exists()
    info = CacheInfo()
    load_aanbod_cached(demo_copy, dataset, settings=store, info=info)
    assert not info.hit and info.file is None


@pytest.mark.shared
def test_partner_files_aanbod_is_cached_and_identical(utrecht_copy, store):
    dataset = load_dataset_cached(utrecht_copy, settings=store)
    first = CacheInfo()
    expected = load_aanbod_cached(utrecht_copy, dataset, settings=store, info=first)
    assert expected.read_only and not first.hit
    again = CacheInfo()
    aanbod = load_aanbod_cached(utrecht_copy, dataset, settings=store, info=again)
    assert again.hit
    assert aanbod.layers.keys() == expected.layers.keys()
    for name, layer in expected.layers.items():
        assert_geodataframe_equal(aanbod.layers[name], layer)
        for column in layer.columns:
            if layer[column].dtype == object:
                assert list(map(type, aanbod.layers[name][column])) == list(
                    map(type, layer[column])
                )
    for name, report in expected.reports.items():
        pd.testing.assert_frame_equal(aanbod.reports[name], report)
    pd.testing.assert_frame_equal(aanbod.wor_deelnemers, expected.wor_deelnemers)
    assert aanbod.notices == expected.notices
    partner = next((utrecht_copy / "aanbod").glob("sportscholen*.csv"))
    partner.write_text(partner.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = CacheInfo()
    load_aanbod_cached(utrecht_copy, dataset, settings=store, info=changed)
    assert not changed.hit


@pytest.mark.shared
def test_utrecht_tables_round_trip(utrecht_dir, store):
    expected = load_dataset_cached(utrecht_dir, settings=store)
    info = CacheInfo()
    assert_same_dataset(load_dataset_cached(utrecht_dir, settings=store, info=info), expected)
    assert info.hit
