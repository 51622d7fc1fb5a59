"""Benchmark: recommended locations (MCLP) and what-if updates on Utrecht at demand-point level.

Input: the real Utrecht data folder (111 buurten, RIVM 2020, CBS kwb 2023, the aanbod partner
files — sports accommodations that count as *bewegen*) with CBS-layout 100 m squares
generated over the city's bounding box (seeded), read through the real reader and clipped
to the buurten: ~12,500 demand points. Candidates: the 100 m grid over the buurten where the
group lives plus the existing venues (``beide``). Focus group: alleenstaande ouderen;
k = 5 for the whole gemeente; straight line × detour (the folder has no walking network).

Measured: preparing the cached analysis (once per group and folder), the MCLP (candidate
pairs, reductions, model build, HiGHS solve — the solver's own figures), the greedy
algorithm on the same instance and the MILP's gain over it, and the what-if update for one
placed activity (evaluate + compare; best and median of ``--repeat`` different places).
Checks: the solution placed as a scenario covers exactly what the MCLP claimed.

Usage: python benchmarks/bench_mclp.py [UTRECHT_FOLDER] [--repeat 10] [--k 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geo.aanbod import load_aanbod  # noqa: E402
from geo.analysis.advies import recommend  # noqa: E402
from geo.analysis.demand import demand_points_from  # noqa: E402
from geo.analysis.scenario import NewActivity, Scenario  # noqa: E402
from geo.analysis.whatif import compare, prepare_whatif  # noqa: E402
from geo.io.folder import load_dataset  # noqa: E402
from geo.io.vierkanten import squares_from_file  # noqa: E402
from tests.population_files import grid_cells, write_squares  # noqa: E402

DEFAULT = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data")) / "utrecht"
GROUP = "alleenstaande-ouderen"


def main() -> None:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument(
        "--dashboard",
        action="store_true",
        help="also time the Scenario's page (AppTest, in process) on the folder as it is",
    )
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
        squares = squares_from_file(path)
    points = demand_points_from(buurten, squares=squares, population=dataset.population(2023))

    start = time.perf_counter()
    whatif = prepare_whatif(dataset, aanbod.layers, group=GROUP, network=None, points=points)
    prepare_s = time.perf_counter() - start

    start = time.perf_counter()
    import pulp  # noqa: F401  (imported once per process: the app and CLI pay it once)
    import spopt.locate  # noqa: F401

    import_s = time.perf_counter() - start
    start = time.perf_counter()
    advice = recommend(whatif, aantal=args.k, kandidaten="beide")
    mclp_s = time.perf_counter() - start
    start = time.perf_counter()
    greedy = recommend(whatif, aantal=args.k, kandidaten="beide", solver="greedy")
    greedy_s = time.perf_counter() - start
    placed = compare(whatif, whatif.evaluate(advice.scenario()))
    consistent = abs(placed.newly_covered_lonely - advice.total_newly_covered) < 1e-6

    rng = np.random.default_rng(14)
    xmin, ymin, xmax, ymax = dataset.level("buurt").to_crs(4326).total_bounds
    times = []
    for n in range(args.repeat):
        lon, lat = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        start = time.perf_counter()
        compare(whatif, whatif.evaluate(Scenario(f"wat-als {n}", nieuw=(NewActivity(lon, lat),))))
        times.append(time.perf_counter() - start)

    f = advice.figures
    print(
        f"{len(whatif.points.xy):,} demand points in {len(buurten)} buurten, "
        f"{advice.candidates:,} candidates, k = {args.k}, group {GROUP}\n"
    )
    print("| stage | result |\n|---|---:|")
    print(f"| prepare what-if (analysis + pairs, once) | {prepare_s:.2f} s |")
    print(f"| import spopt + PuLP + HiGHS (once per process) | {import_s:.2f} s |")
    print(f"| MCLP total (candidates, pairs, reduction, model, HiGHS) | {mclp_s:.2f} s |")
    print(
        f"|   open demand points → merged rows | {f['demand_points_open']:,} → "
        f"{f['demand_rows']:,} |"
    )
    print(f"|   candidates in the model (cover someone new) | {f['candidates_in_model']:,} |")
    print(f"|   coverage pairs | {f['coverage_pairs']:,} |")
    print(f"|   candidates not dominated (kept) | {f['candidates_undominated']:,} |")
    print(
        f"|   model build (spopt FacilityModelBuilder + sparse rows) | {f.get('build_seconds')} s |"
    )
    print(f"|   HiGHS solve (its own run time) | {f.get('solve_seconds')} s |")
    print(f"|   HiGHS status, branch-and-bound nodes | {f.get('status')}, {f.get('nodes')} |")
    print(f"|   optimality gap (HiGHS mip_gap) | {advice.optimality_gap} |")
    print(f"| newly covered, MCLP | {advice.total_newly_covered:,.1f} |")
    print(
        f"| newly covered, greedy ({greedy_s:.2f} s; stated gap ≤ {greedy.optimality_gap}) | "
        f"{greedy.total_newly_covered:,.1f} |"
    )
    print(f"| placed as a scenario: same number | {consistent} |")
    print(
        f"| what-if update, one activity (evaluate + compare), best / median of {args.repeat} | "
        f"{min(times) * 1000:.0f} / {statistics.median(times) * 1000:.0f} ms |"
    )
    if args.dashboard:
        _dashboard(folder, args.repeat)


def _dashboard(folder: Path, repeat: int) -> None:
    """Server time of the Scenario's page: a rerun that changes nothing, and one placement."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.session_state["folder"] = str(folder)
    at.session_state["group"] = GROUP
    at.switch_page("app_pages/scenarios.py")
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    rng = np.random.default_rng(15)
    dataset = load_dataset(folder)
    xmin, ymin, xmax, ymax = dataset.level("buurt").to_crs(4326).total_bounds
    times = []
    for _ in range(repeat):
        at.number_input(key="scenario_lon").set_value(float(rng.uniform(xmin, xmax)))
        at.number_input(key="scenario_lat").set_value(float(rng.uniform(ymin, ymax)))
        start = time.perf_counter()
        at.button(key="scenario_plaats").click().run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    print(
        f"\nScenario's page ({folder.name}, {GROUP}, AppTest in process): first run {cold:.2f} s "
        f"(analysis + what-if cache), rerun without change {warm:.2f} s, one activity placed "
        f"best / median of {repeat}: {min(times):.2f} / {statistics.median(times):.2f} s"
    )


if __name__ == "__main__":
    main()
