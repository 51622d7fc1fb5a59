"""Table cache: loading a data folder in a new process, first time against second time.

Each measurement is a fresh Python process (``python -c``) that loads the folder through
:func:`geo.io.cache.load_dataset_cached`, so nothing is warm in memory. The reference is the
first load (a miss: the official files are read and the cache entry written); the second
process reads the entry. Reported: the seconds of the load call in each process, the whole
process wall time, and their ratios; the equality check (every table of the second load equals
the first, dtypes included) makes the ratio meaningful. Target (issue 16): ≥ 5× for
``../shared/data/nl``.

Usage: python benchmarks/bench_cache.py [FOLDER] [--runs N]   (default ../shared/data/nl)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data"))

CHILD = """
import json, pickle, sys, time
from pathlib import Path
start = time.perf_counter()
from geo.io.cache import CacheInfo, TableCacheSettings, load_dataset_cached
imported = time.perf_counter()
info = CacheInfo()
dataset = load_dataset_cached(sys.argv[1], settings=TableCacheSettings(folder=Path(sys.argv[2])),
                              info=info)
loaded = time.perf_counter()
Path(sys.argv[3]).write_bytes(pickle.dumps(dataset))
print(json.dumps({"hit": info.hit, "import_s": imported - start, "load_s": loaded - imported}))
"""


def run(folder: str, cache_dir: Path, out: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    answer = subprocess.run(
        [sys.executable, "-c", CHILD, folder, str(cache_dir), str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(answer.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - start
    return result


def same(first: Path, second: Path) -> None:
    """Every table of the second load equals the first (dtypes, index, attrs)."""
    import pickle

    import pandas as pd
    from geopandas.testing import assert_geodataframe_equal

    a = pickle.loads(first.read_bytes())  # noqa: S301 - our own child processes wrote these
    b = pickle.loads(second.read_bytes())  # noqa: S301
    assert_geodataframe_equal(a.areas, b.areas)
    pd.testing.assert_frame_equal(a.figures, b.figures)
    pd.testing.assert_frame_equal(a.unmatched, b.unmatched)
    pd.testing.assert_frame_equal(a.sources, b.sources)
    for year, population in a.populations.items():
        pd.testing.assert_frame_equal(population, b.populations[year])
    assert a.notices == b.notices and a.gebieden == b.gebieden


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(SHARED / "nl"))
    parser.add_argument("--runs", type=int, default=3, help="miss/hit pairs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wijkkompas-bench-cache-"))
    misses, hits = [], []
    try:
        for i in range(args.runs):
            cache_dir = work / f"tabellen-{i}"
            miss = run(args.folder, cache_dir, work / "first.pickle")
            hit = run(args.folder, cache_dir, work / "second.pickle")
            assert not miss["hit"] and hit["hit"], (miss, hit)
            same(work / "first.pickle", work / "second.pickle")
            misses.append(miss)
            hits.append(hit)
        entry = next((work / "tabellen-0").glob("*.zip"))
        print(f"map: {args.folder}; cache-item {entry.stat().st_size / 1e6:.1f} MB")
        for key, label in (("load_s", "laden"), ("process_s", "heel proces")):
            first = statistics.median(m[key] for m in misses)
            second = statistics.median(h[key] for h in hits)
            print(
                f"{label}: eerste keer {first:.2f} s, tweede keer (nieuw proces) {second:.2f} s: "
                f"{first / second:.1f}× sneller (mediaan van {args.runs}; doel ≥ 5×)"
            )
        one, five, _ = os.getloadavg()
        print(
            f"belasting van de machine: {one:.1f} / {five:.1f} (1 / 5 min), {os.cpu_count()} kernen"
        )
        ratio = statistics.median(m["load_s"] for m in misses) / statistics.median(
            h["load_s"] for h in hits
        )
        if ratio < 5:
            raise SystemExit(f"te traag: {ratio:.1f}× < 5×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
