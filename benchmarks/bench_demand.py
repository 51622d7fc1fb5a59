"""Benchmark: demand points from 100 m squares against one point per buurt, same run.

Input: the real Utrecht data folder (111 buurten, the aanbod partner files) and CBS-layout
100 m squares generated over the city's bounding box (seeded, 5 % secret), written to a
GeoPackage and read through the real reader. Measured: reading the squares, clipping them to
the buurten (demand points and secret spreading), and the gap analysis for one group with
those points against the same analysis from the buurt centroids (the reference: today's
default). Checks that make the comparison meaningful: the group's people summed over the
points equal the buurt totals exactly, and the lonely totals of both runs are equal.

Usage: python benchmarks/bench_demand.py [UTRECHT_FOLDER] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geo.aanbod import load_aanbod  # noqa: E402
from geo.analysis.demand import demand_points_from  # noqa: E402
from geo.analysis.pipeline import analyse  # noqa: E402
from geo.io.folder import load_dataset  # noqa: E402
from geo.io.vierkanten import squares_from_file  # noqa: E402
from tests.population_files import grid_cells, write_squares  # noqa: E402

DEFAULT = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data")) / "utrecht"


def main() -> None:
    """Run the comparison and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.folder)
    if not folder.exists():
        sys.exit(f"map {folder} niet gevonden (zet WIJKKOMPAS_SHARED)")
    dataset = load_dataset(folder)
    aanbod = load_aanbod(folder, areas=dataset.areas, gemeente_code=dataset.gemeente_code)
    buurten = dataset.level("buurt").reset_index(drop=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_squares(
            Path(tmp) / "vierkanten.gpkg",
            grid_cells(tuple(buurten.total_bounds), seed=1),
            origin=(0.0, 0.0),
        )
        read_s = _best(lambda: squares_from_file(path), args.repeat)
        squares = squares_from_file(path)
    population = dataset.population(2023)
    points_s = _best(
        lambda: demand_points_from(buurten, squares=squares, population=population), args.repeat
    )
    points = demand_points_from(buurten, squares=squares, population=population)
    totals = np.arange(len(buurten), dtype=float) / 3
    exact = bool(
        (np.bincount(points.buurt, points.spread(totals, "ouderen"), len(buurten)) == totals).all()
    )

    def run(demand: object) -> object:
        return analyse(
            dataset, aanbod.layers, group="ouderen", points=demand, network=None, hotspots=False
        )

    centroid_s = _best(lambda: run(None), args.repeat)
    squares_s = _best(lambda: run(points), args.repeat)
    before, after = run(None), run(points)
    same_lonely = float(before.gemeente["lonely"].iloc[0]) == float(
        after.gemeente["lonely"].iloc[0]
    )
    print(f"{len(squares):,} squares, {len(points.xy):,} demand points in {len(buurten)} buurten")
    print("| stage | time (s) |\n|---|---:|")
    print(f"| read squares (GeoPackage) | {read_s:.2f} |")
    print(f"| demand points (clip to buurten, secret spreading) | {points_s:.2f} |")
    print(f"| analyse ouderen, one point per buurt (reference) | {centroid_s:.2f} |")
    print(f"| analyse ouderen, demand points from squares | {squares_s:.2f} |")
    print(f"ratio squares / reference: {squares_s / centroid_s:.2f}")
    print(f"sums over points equal buurt totals exactly: {exact}; same lonely total: {same_lonely}")
    print(
        "covered lonely 65+: "
        f"{float(before.gemeente['covered_lonely'].iloc[0]):,.0f} (centroids) vs "
        f"{float(after.gemeente['covered_lonely'].iloc[0]):,.0f} (squares) of "
        f"{float(after.gemeente['lonely'].iloc[0]):,.0f}"
    )


def _best(work: object, repeat: int) -> float:
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    main()
