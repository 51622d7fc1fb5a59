"""Benchmark: streaming a national-size GTFS feed through ``fetch`` with bounded memory.

Input (generated, seeded; :func:`tests.gtfs_feed.write_big_feed`): a GTFS zip with
``--stops`` stops on a grid over the Netherlands and ``--trips`` trips of 20 stops, so
``stops_per_trip × trips`` stop_times rows (1.2 million by default), served by a local HTTP
server (pytest-httpserver) that streams the file in 64 KiB blocks.

Each step runs in a fresh child process, whose peak RSS (``VmHWM``) is reported:

1. ``fetch_gtfs``: download (streamed to disk) + filter to about half the country + write
   the filtered zip (:mod:`geo.sources.gtfs`);
2. ``stops_from_gtfs`` on the whole generated feed (every stop, the representative week);
3. the peer: what gtfs-kit and partridge do first — ``pandas.read_csv`` of the whole
   ``stop_times.txt`` into one DataFrame (text columns, as GTFS readers keep them);
4. the baseline: a child that only imports Wijkkompas.

The equality check: the filtered feed's departures per stop equal those read from the whole
feed for the same stops (as in ``tests/test_sources_gtfs.py``).

Run at two sizes (``--trips`` and 4 × ``--trips``): the streamed steps' peak stays about the
same while the whole-file read of the peer grows with the feed.

Usage: python benchmarks/bench_gtfs.py [--trips 60000] [--stops 20000] [--sizes 1,4] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HALF = (3.0, 50.9, 7.5, 52.15)  # lon/lat box: about the southern half of the grid


def child(step: str, feed: str, url: str, out: str) -> None:
    """Run one step and print JSON with the seconds and the peak RSS (MiB)."""
    start = time.perf_counter()
    result: dict[str, object] = {}
    if step == "baseline":
        import geo.io.gtfs  # noqa: F401
        import geo.sources.gtfs  # noqa: F401
    elif step == "fetch":
        import geopandas as gpd
        import shapely

        from geo.sources._http import HttpClient
        from geo.sources.gtfs import fetch_gtfs
        from geo.sources.settings import SourceSettings

        half = gpd.GeoSeries([shapely.box(*HALF)], crs="EPSG:4326")
        settings = SourceSettings(gtfs_url=url, cache_dir=Path(out) / "cache", retries=0)
        staging = Path(out) / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        with HttpClient(settings) as http:
            entry = fetch_gtfs(http, json.loads(half.to_json()), staging, "GM0000", buffer_m=0)
        result = {"rows": entry["rijen"], "stops": entry["haltes"]}
    elif step == "read":
        from geo.io.gtfs import stops_from_gtfs

        stops = stops_from_gtfs(feed)
        result = {
            "stops": len(stops),
            "departures_per_hour": float(stops["vertrekken_per_uur"].sum()),
        }
    elif step == "pandas":
        import zipfile

        import pandas as pd

        with zipfile.ZipFile(feed) as z, z.open("stop_times.txt") as handle:
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
        result = {"rows": len(frame)}
    seconds = time.perf_counter() - start
    peak = _peak_mib()
    print(json.dumps({"step": step, "seconds": seconds, "peak_mib": peak, **result}))


def _peak_mib() -> float:
    """Peak resident memory of this process (``VmHWM``; ``ru_maxrss`` would carry the
    parent's peak over the fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(step: str, feed: Path, url: str, out: Path) -> dict[str, object]:
    answer = subprocess.run(
        [sys.executable, __file__, "--child", step, str(feed), url, str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=60_000)
    parser.add_argument("--stops", type=int, default=20_000)
    parser.add_argument("--sizes", default="1,4", help="multiples of --trips to run")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("STEP", "FEED", "URL", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.markdown:
        print("| feed (stop_times rows) | step | time (s) | peak RSS (MiB) |\n|---|---|---:|---:|")
    for multiple in [int(m) for m in args.sizes.split(",")]:
        measure(args.stops, args.trips * multiple, markdown=args.markdown)


def measure(n_stops: int, n_trips: int, *, markdown: bool) -> None:
    """Generate one feed, run the four steps in child processes, check equality, print."""
    import pandas as pd
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from geo.io.gtfs import stops_from_gtfs
    from tests.gtfs_feed import write_big_feed

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = folder / "gtfs-nl.zip"
        start = time.perf_counter()
        rows = write_big_feed(feed, n_stops=n_stops, n_trips=n_trips, stops_per_trip=20)
        made = time.perf_counter() - start
        size = feed.stat().st_size / 2**20

        def stream(_request):  # noqa: ANN001, ANN202
            def blocks():  # noqa: ANN202
                with feed.open("rb") as handle:
                    yield from iter(lambda: handle.read(64 * 1024), b"")

            return Response(blocks(), content_type="application/zip", direct_passthrough=True)

        server = HTTPServer(host="127.0.0.1", port=0)
        server.expect_request("/nl/gtfs-nl.zip").respond_with_handler(stream)
        server.start()
        try:
            url = server.url_for("/nl/gtfs-nl.zip")
            results = [
                run_child(step, feed, url, folder)
                for step in ("baseline", "fetch", "read", "pandas")
            ]
        finally:
            server.clear()
            server.stop()
        filtered = folder / "staging" / "ov" / "gtfs_GM0000.zip"
        import geopandas as gpd
        import shapely

        area = gpd.GeoSeries([shapely.box(*HALF)], crs="EPSG:4326").to_crs("EPSG:28992").iloc[0]
        whole = stops_from_gtfs(feed, area=area).set_index("stop_id")["vertrekken_per_uur"]
        small = stops_from_gtfs(filtered).set_index("stop_id")["vertrekken_per_uur"]
        pd.testing.assert_series_equal(small.sort_index(), whole.sort_index())
    by_step = {r["step"]: r for r in results}
    labels = {
        "baseline": "import only (baseline)",
        "fetch": "fetch_gtfs: download + filter + write (streamed)",
        "read": "stops_from_gtfs on the whole feed (streamed)",
        "pandas": "peer: pandas.read_csv of all stop_times (as gtfs-kit/partridge)",
    }
    print(
        f"feed: {rows:,} stop_times rows, {n_stops:,} stops, {size:.0f} MiB zipped "
        f"(generated in {made:.1f} s); kept after filtering: {by_step['fetch']['rows']:,} rows, "
        f"{by_step['fetch']['stops']:,} stops; equality check passed",
        file=sys.stderr if markdown else sys.stdout,
    )
    for step, label in labels.items():
        r = by_step[step]
        if markdown:
            print(f"| {rows:,} | {label} | {r['seconds']:.1f} | {r['peak_mib']:.0f} |")
        else:
            print(f"{label:<70} {r['seconds']:7.1f} s {r['peak_mib']:7.0f} MiB")


if __name__ == "__main__":
    main()
