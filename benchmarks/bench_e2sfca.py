"""Benchmark: Wijkkompas E2SFCA against PySAL ``access`` on the same input, with equality check.

Two comparisons, measured in the same run:

1. **From points** (what a user has: buurt demand points, activity points, a catchment):
   Wijkkompas finds the pairs within reach with a KD-tree and runs E2SFCA on them; ``access``
   computes its distances with ``Access.create_euclidean_distance`` (a full origin × destination
   cross join, then the threshold) and runs ``enhanced_two_stage_fca``. The cross join does not
   fit in memory for all of the Netherlands (11,146 × ~23,000 pairs per group), so this
   comparison runs on the buurten in squares of growing size around Utrecht and the activities
   near them (sizes printed): the ratio grows with the area, as the cross join is n × m.
2. **Same precomputed pairs** (the E2SFCA arithmetic alone), for all of the Netherlands: both
   get the identical pair list with distances.

Data: ../shared/data/nl boundaries (CBS buurten 2014) with generated demand and 100,000
generated activities (seeded). Distances: straight line × 1.3; steps 1 / 0.68 / 0.22.

Usage: python benchmarks/bench_e2sfca.py [NL_FOLDER] [--activities 100000] [--box-km 20,40,60]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aanbod.schema import SOORTEN
from geo.analysis.reach import decay, demand_points, e2sfca, straight_pairs, suitable_activities
from geo.io.boundaries import areas_from_file
from geo.settings import AnalysisSettings

REPO = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data")) / "nl"
UTRECHT_RD = (136_000.0, 456_000.0)  # Domplein, EPSG:28992


def main() -> None:
    """Run both comparisons and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument(
        "--box-km", default="20,40,60", help="sides (km) of the squares around Utrecht"
    )
    args = parser.parse_args()
    folder = Path(args.folder)
    if not folder.exists():
        sys.exit(f"map {folder} niet gevonden (zet WIJKKOMPAS_SHARED)")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message="The inplace keyword")

    buurten = _buurten(folder)
    rng = np.random.default_rng(20231)
    demand_xy = demand_points(buurten)
    located = np.isfinite(demand_xy).all(axis=1)
    demand = rng.integers(20, 800, len(buurten)).astype(float)  # lonely residents per buurt
    activities = _activities(demand_xy[located], demand[located], args.activities, rng)
    settings = AnalysisSettings()
    print(
        f"{len(buurten):,} buurten ({int((~located).sum())} zonder vorm), "
        f"{len(activities):,} gegenereerde activiteiten"
    )
    for group in ("ouderen", "jongvolwassenen"):
        supply = suitable_activities(activities, group)
        supply_xy = np.column_stack([supply.geometry.x, supply.geometry.y])
        capacity = supply["capaciteit"].fillna(1.0).to_numpy()
        catchment = settings.catchment(group)
        print(f"\n== {group}: {len(supply):,} passende activiteiten, reikwijdte {catchment:g} m")
        row = compare_same_pairs(demand_xy, demand, supply_xy, capacity, catchment, settings)
        print("  " + describe_same_pairs(row))
        for box_km in (float(side) for side in args.box_km.split(",")):
            row = compare_from_points(
                demand_xy, demand, supply_xy, capacity, catchment, settings, box_km
            )
            print("  " + describe_from_points(row))


def _buurten(folder: Path) -> gpd.GeoDataFrame:
    start = time.perf_counter()
    path = next((folder / "wijken").glob("cbs_buurten_*.topojson"))
    frame = areas_from_file(path)  # canonical areas, EPSG:28992
    print(f"grenzen gelezen in {time.perf_counter() - start:.1f} s ({path.name})")
    return frame.reset_index(drop=True)


def _activities(
    xy: np.ndarray, weights: np.ndarray, count: int, rng: np.random.Generator
) -> gpd.GeoDataFrame:
    """Activities near buurt points, more where more people live; a third without capacity."""
    pick = rng.choice(len(xy), count, p=weights / weights.sum())
    points = xy[pick] + rng.normal(0, 300, (count, 2))
    capacity = rng.integers(5, 40, count).astype(float)
    capacity[rng.random(count) < 0.3] = np.nan
    groups = np.array(
        ["iedereen", "ouderen_thuiswonend", "jongvolwassenen", "migrantenouderen", "alleenstaanden"]
    )
    return gpd.GeoDataFrame(
        {
            "soort": rng.choice(np.array(list(SOORTEN)), count),
            "doelgroepen": rng.choice(groups, count),
            "dagdelen": rng.choice(np.array(["", "ochtend;middag", "avond", "weekend"]), count),
            "capaciteit": capacity,
        },
        geometry=gpd.points_from_xy(points[:, 0], points[:, 1]),
        crs="EPSG:28992",
    )


def _ours(demand_xy, demand, supply_xy, capacity, catchment, settings):  # noqa: ANN001, ANN202
    radius = np.full(len(demand_xy), catchment)
    pairs = straight_pairs(demand_xy, supply_xy, radius, detour_factor=settings.detour_factor)
    access, _ = e2sfca(demand, capacity, pairs, radius, decay(settings))
    return access, pairs


def _access_model(demand, capacity, cost=None, demand_geo=None, supply_geo=None):  # noqa: ANN001, ANN202
    import access

    demand_df = pd.DataFrame({"geoid": range(len(demand)), "pop": demand})
    supply_df = pd.DataFrame({"geoid": range(len(capacity)), "cap": capacity})
    if demand_geo is not None:
        demand_df = gpd.GeoDataFrame(demand_df, geometry=demand_geo, crs="EPSG:28992")
        supply_df = gpd.GeoDataFrame(supply_df, geometry=supply_geo, crs="EPSG:28992")
    kwargs = {}
    if cost is not None:
        kwargs = {
            "cost_df": cost,
            "cost_origin": "origin",
            "cost_dest": "dest",
            "cost_name": "cost",
        }
    return access.Access(
        demand_df=demand_df.set_index("geoid"),
        demand_index=True,
        demand_value="pop",
        supply_df=supply_df.set_index("geoid"),
        supply_index=True,
        supply_value="cap",
        **kwargs,
    )


def _step(catchment: float):  # noqa: ANN202
    from access import weights

    return weights.step_fn({catchment / 3: 1.0, 2 * catchment / 3: 0.68, catchment: 0.22})


def best_of(repeat: int, func, *args):  # noqa: ANN001, ANN201
    """Fastest of ``repeat`` runs (seconds) and the last result: short timings are noisy."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = func(*args)
        seconds.append(time.perf_counter() - start)
    return min(seconds), value


def difference(ours: np.ndarray, theirs: pd.Series) -> tuple[float, int]:
    """Largest absolute difference where PySAL's value is finite, and how many are not.

    PySAL divides by zero for an activity whose catchment holds no demand at all and then gives
    ``inf`` to the (zero-demand) buurten that reach it; Wijkkompas counts such an activity as
    serving nobody. Everywhere else the two agree.
    """
    values = theirs.reindex(range(len(ours))).fillna(0).to_numpy()
    finite = np.isfinite(values) & np.isfinite(ours)
    return float(np.max(np.abs(ours[finite] - values[finite]))), int((~finite).sum())


def compare_same_pairs(  # noqa: D103
    demand_xy,
    demand,
    supply_xy,
    capacity,
    catchment,
    settings,
    *,
    repeat=3,  # noqa: ANN001
) -> dict[str, float]:
    total_s, (ours, pairs) = best_of(
        repeat, _ours, demand_xy, demand, supply_xy, capacity, catchment, settings
    )
    radius = np.full(len(demand), catchment)
    core_s, _ = best_of(repeat, e2sfca, demand, capacity, pairs, radius, decay(settings))
    cost = pd.DataFrame({"origin": pairs[0], "dest": pairs[1], "cost": pairs[2]})

    def theirs() -> pd.Series:
        model = _access_model(demand, capacity, cost=cost)
        return model.enhanced_two_stage_fca(
            name="e2sfca", max_cost=catchment, weight_fn=_step(catchment)
        ).iloc[:, 0]

    access_s, result = best_of(repeat, theirs)
    diff, not_finite = difference(ours, result)
    return {
        "pairs": len(pairs[0]),
        "ours_core_s": core_s,
        "ours_total_s": total_s,
        "access_s": access_s,
        "max_diff": diff,
        "not_finite": not_finite,
    }


def compare_from_points(  # noqa: D103
    demand_xy,
    demand,
    supply_xy,
    capacity,
    catchment,
    settings,
    box_km,
    *,
    repeat=3,  # noqa: ANN001
) -> dict[str, float]:
    half = box_km * 500
    x0, y0 = UTRECHT_RD
    in_box = (np.abs(demand_xy[:, 0] - x0) <= half) & (np.abs(demand_xy[:, 1] - y0) <= half)
    margin = half + catchment
    near = (np.abs(supply_xy[:, 0] - x0) <= margin) & (np.abs(supply_xy[:, 1] - y0) <= margin)
    d_xy, d, s_xy, cap = demand_xy[in_box], demand[in_box], supply_xy[near], capacity[near]
    ours_s, (ours, _) = best_of(repeat, _ours, d_xy, d, s_xy, cap, catchment, settings)

    def theirs() -> pd.Series:
        model = _access_model(
            d,
            cap,
            demand_geo=gpd.points_from_xy(d_xy[:, 0], d_xy[:, 1]),
            supply_geo=gpd.points_from_xy(s_xy[:, 0], s_xy[:, 1]),
        )
        # straight line × detour factor <= catchment  <=>  straight line <= catchment / factor
        # (access keeps distances strictly below the threshold: add a millimetre)
        threshold = catchment / settings.detour_factor + 1e-3
        model.create_euclidean_distance(name="euclidean", threshold=threshold)
        model.cost_df["euclidean"] = model.cost_df["euclidean"] * settings.detour_factor
        return model.enhanced_two_stage_fca(
            name="e2sfca", cost="euclidean", max_cost=catchment, weight_fn=_step(catchment)
        ).iloc[:, 0]

    access_s, result = best_of(repeat, theirs)
    diff, not_finite = difference(ours, result)
    return {
        "box_km": box_km,
        "buurten": len(d),
        "activities": len(s_xy),
        "ours_s": ours_s,
        "access_s": access_s,
        "max_diff": diff,
        "not_finite": not_finite,
    }


def describe_same_pairs(row: dict[str, float]) -> str:
    """One printed line."""
    return (
        f"zelfde paren, heel NL ({row['pairs']:,} paren): Wijkkompas rekenwerk "
        f"{row['ours_core_s'] * 1000:.1f} ms (met paren zoeken {row['ours_total_s'] * 1000:.0f} "
        f"ms), access {row['access_s'] * 1000:.0f} ms -> "
        f"{row['access_s'] / row['ours_core_s']:.0f}x"
        f" (met paren zoeken {row['access_s'] / row['ours_total_s']:.1f}x); grootste verschil "
        f"{row['max_diff']:.1e}" + _not_finite(row)
    )


def describe_from_points(row: dict[str, float]) -> str:
    """One printed line."""
    return (
        f"vanaf punten, {row['box_km']:g} x {row['box_km']:g} km rond Utrecht ({row['buurten']:,} "
        f"buurten x {row['activities']:,} activiteiten): Wijkkompas {row['ours_s'] * 1000:.1f} ms,"
        f" access {row['access_s'] * 1000:.0f} ms -> {row['access_s'] / row['ours_s']:.0f}x; "
        f"grootste verschil {row['max_diff']:.1e}" + _not_finite(row)
    )


def _not_finite(row: dict[str, float]) -> str:
    count = int(row["not_finite"])
    return f" ({count} buurten inf bij access: aanbod zonder vraag)" if count else ""


if __name__ == "__main__":
    main()
