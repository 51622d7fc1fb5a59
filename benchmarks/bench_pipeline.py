"""Benchmark: the whole gap pipeline on the whole Netherlands.

Data: ../shared/data/nl (CBS buurten 2014 TopoJSON, RIVM 50090NED for all of NL), with
100,000 generated activity points and generated populations (the national folder has no CBS
kwb counts). Prints time and peak memory per stage, and the E2SFCA time of Wijkkompas against
PySAL ``access`` on the same input, as a ratio measured in the same run.

Usage: python benchmarks/bench_pipeline.py [NL_FOLDER] [--activities 100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aanbod.schema import SOORTEN
from geo.analysis.pipeline import analyse
from geo.analysis.reach import decay, e2sfca, straight_pairs
from geo.model.dataset import load_dataset
from geo.settings import AnalysisSettings

REPO = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data")) / "nl"


class Stages:
    """Wall time and peak Python memory per stage, plus the process's peak RSS."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def run(self, name: str, func, *args, **kwargs):  # noqa: ANN001, ANN201
        tracemalloc.start()
        start = time.perf_counter()
        value = func(*args, **kwargs)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.rows.append((name, seconds, peak / 2**20))
        print(f"{name:<44} {seconds:8.2f} s   piek {peak / 2**20:8.1f} MiB", flush=True)
        return value


def synthetic_population(dataset, rng: np.random.Generator) -> pd.DataFrame:  # noqa: ANN001
    codes = dataset.areas["code"]
    n = len(codes)
    inwoners = np.round(rng.lognormal(7.2, 0.8, n))
    frame = pd.DataFrame(index=pd.Index(codes, name="code"))
    frame["naam"] = dataset.areas["naam"].to_numpy()
    frame["niveau"] = dataset.areas["niveau"].to_numpy()
    frame["inwoners"] = inwoners
    for column, share in (("leeftijd_0_14", 0.16), ("leeftijd_15_24", 0.12),
                          ("leeftijd_25_44", 0.25), ("leeftijd_45_64", 0.27),
                          ("leeftijd_65_plus", 0.20), ("herkomst_europa", 0.1),
                          ("herkomst_buiten_europa", 0.12), ("eenpersoonshuishoudens", 0.17)):
        frame[column] = np.round(inwoners * share * rng.uniform(0.7, 1.3, n))
    frame["autos_per_huishouden"] = rng.uniform(0.3, 1.6, n).round(1)
    frame.attrs = {"year": 2023, "source": "gegenereerd (benchmark)"}
    return frame


def synthetic_activities(buurten: gpd.GeoDataFrame, count: int,
                         rng: np.random.Generator) -> gpd.GeoDataFrame:
    points = buurten.geometry.representative_point()  # activities cluster around buurten
    xy = np.column_stack([points.x, points.y])
    xy = xy[np.isfinite(xy).all(axis=1)]
    pick = rng.integers(0, len(xy), count)
    jitter = rng.normal(0, 250, (count, 2))
    coords = xy[pick] + jitter
    soorten = np.array(list(SOORTEN))
    groups = np.array(["iedereen", "ouderen_thuiswonend", "jongvolwassenen", "migrantenouderen",
                       "alleenstaanden"])
    return gpd.GeoDataFrame({
        "id": [f"act-{i:06d}" for i in range(count)],
        "naam": "activiteit", "soort": soorten[rng.integers(0, len(soorten), count)],
        "doelgroepen": groups[rng.integers(0, len(groups), count)], "dagdelen": "",
        "capaciteit": rng.integers(5, 40, count).astype(float), "locatie_status": "gelokaliseerd",
    }, geometry=gpd.points_from_xy(coords[:, 0], coords[:, 1]), crs="EPSG:28992")


def access_reference(demand, supply, pairs, catchment):  # noqa: ANN001, ANN201
    import access
    from access import weights

    cost = pd.DataFrame({"origin": pairs[0], "dest": pairs[1], "cost": pairs[2]})
    c = float(catchment[0])
    model = access.Access(
        demand_df=pd.DataFrame({"geoid": range(len(demand)), "pop": demand}),
        demand_index="geoid", demand_value="pop",
        supply_df=pd.DataFrame({"geoid": range(len(supply)), "cap": supply}),
        supply_index="geoid", supply_value="cap",
        cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost")
    result = model.enhanced_two_stage_fca(
        name="e2sfca", max_cost=c, weight_fn=weights.step_fn({c / 3: 1.0, 2 * c / 3: 0.68,
                                                              c: 0.22}))
    return result.iloc[:, 0].reindex(range(len(demand))).fillna(0).to_numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    if not Path(args.folder).exists():
        sys.exit(f"map {args.folder} niet gevonden (zet WIJKKOMPAS_SHARED)")
    rng = np.random.default_rng(1)
    stages = Stages()
    total = time.perf_counter()
    dataset = stages.run("gegevens laden (grenzen 2014 + RIVM NL)", load_dataset, args.folder)
    dataset.populations = {2023: synthetic_population(dataset, rng)}
    buurten = dataset.level("buurt")
    activities = stages.run(f"{args.activities:,} activiteiten genereren", synthetic_activities,
                            buurten, args.activities, rng)
    layers = {"activiteiten": activities}
    settings = AnalysisSettings()
    result = stages.run("analyse ouderen (behoefte, E2SFCA, hiaten, hot spots)", analyse,
                        dataset, layers, group="ouderen", settings=settings)
    stages.run("analyse jongvolwassenen (zonder hot spots)", analyse, dataset, layers,
               group="jongvolwassenen", settings=settings, hotspots=False)
    pipeline_seconds = time.perf_counter() - total
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"\nhele pijplijn: {pipeline_seconds:.1f} s, piek geheugen (RSS) {peak_rss:.2f} GiB "
          f"voor {len(buurten):,} buurten en {len(activities):,} activiteiten")
    print(f"grootste hiaat: {result.level('buurt').iloc[0]['naam']}")

    # E2SFCA: ours vs PySAL access on the same pairs.
    lonely = result.buurten["lonely"].fillna(0).to_numpy()
    demand_xy = np.column_stack([result.buurten.geometry.representative_point().x,
                                 result.buurten.geometry.representative_point().y])
    supply_xy = np.column_stack([activities.geometry.x, activities.geometry.y])
    capacity = activities["capaciteit"].to_numpy()
    catchment = np.full(len(lonely), 500.0)
    start = time.perf_counter()
    pairs = straight_pairs(demand_xy, supply_xy, catchment, detour_factor=settings.detour_factor)
    ours, _ = e2sfca(lonely, capacity, pairs, catchment, decay(settings))
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    theirs = access_reference(lonely, capacity, pairs, catchment)
    access_seconds = time.perf_counter() - start
    difference = float(np.max(np.abs(ours - theirs)))
    print(f"E2SFCA Wijkkompas (incl. afstanden): {ours_seconds:.3f} s; PySAL access (zelfde "
          f"paren, zonder afstanden): {access_seconds:.2f} s; verhouding "
          f"{access_seconds / ours_seconds:.0f}×; grootste verschil {difference:.2e} "
          f"({len(pairs[0]):,} paren)")


if __name__ == "__main__":
    main()
