"""Benchmark: the whole gap pipeline on the whole Netherlands.

Data: ../shared/data/nl (CBS buurten 2014 TopoJSON, RIVM 50090NED 2012-2020 for all of NL)
with generated inputs where no real ones exist for the whole country: CBS kwb populations
(the national folder has none), 100,000 activity points, 40,000 OV-haltes and 300
Buurtmobiel/AutoMaatje service areas (seeded, so every run analyses the same input).

Prints wall time and peak memory (RSS) per stage — loading, generating, and inside
:func:`geo.analysis.pipeline.analyse` (need, E2SFCA, transport poverty, gaps, hot spots) for
two focus groups — then Wijkkompas's E2SFCA against PySAL ``access`` on the same input, as
ratios measured in the same run, with the equality check (see ``bench_e2sfca.py``).

Targets on the 2-core development machine: pipeline < 30 s and < 4 GiB; E2SFCA >= 10x faster
than ``access`` with equal results.

Usage: python benchmarks/bench_pipeline.py [NL_FOLDER] [--activities 100000] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_e2sfca import (  # noqa: E402
    compare_from_points,
    compare_same_pairs,
    describe_from_points,
    describe_same_pairs,
)

from geo.aanbod.schema import SOORTEN  # noqa: E402
from geo.analysis.pipeline import analyse  # noqa: E402
from geo.analysis.reach import demand_points, suitable_activities  # noqa: E402
from geo.io.folder import load_dataset  # noqa: E402
from geo.settings import AnalysisSettings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("WIJKKOMPAS_SHARED", REPO.parent / "shared" / "data")) / "nl"
TARGET_SECONDS, TARGET_GIB, TARGET_RATIO = 30.0, 4.0, 10.0


class Stages:
    """Wall time and peak RSS per stage.

    The peak is reset before each stage through ``/proc/self/clear_refs`` (Linux), so it is the
    stage's own peak; elsewhere it is the process peak so far (marked ``*``).
    """

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []
        self._name = ""
        self._start = 0.0

    def run(self, name: str, func, *args, **kwargs):  # noqa: ANN001, ANN201
        """Time one call as a stage."""
        self.begin(name)
        value = func(*args, **kwargs)
        self.end()
        return value

    def begin(self, name: str) -> None:
        """Start a stage (ends the running one)."""
        if self._name:
            self.end()
        self._reset_peak()
        self._name, self._start = name, time.perf_counter()

    def end(self) -> None:
        """End the running stage and print it."""
        seconds = time.perf_counter() - self._start
        peak = _peak_gib()
        self.rows.append((self._name, seconds, peak))
        print(f"  {self._name:<52} {seconds:7.2f} s   piek {peak:5.2f} GiB", flush=True)
        self._name = ""

    def progress(self, prefix: str):  # noqa: ANN201
        """A ``progress`` callback for :func:`analyse` that times its steps as stages."""

        def step(name: str) -> None:
            if name == "klaar":
                self.end()
            else:
                self.begin(f"{prefix}: {name}")

        return step

    def _reset_peak(self) -> None:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass


def _peak_gib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def synthetic_population(dataset, rng: np.random.Generator) -> pd.DataFrame:  # noqa: ANN001
    """A kwb-like table for every area (generated; wijken and gemeenten are drawn alike)."""
    codes = dataset.areas["code"]
    n = len(codes)
    inwoners = np.round(rng.lognormal(7.2, 0.8, n))
    frame = pd.DataFrame(index=pd.Index(codes, name="code"))
    frame["naam"] = dataset.areas["naam"].to_numpy()
    frame["niveau"] = dataset.areas["niveau"].to_numpy()
    frame["inwoners"] = inwoners
    for column, share in (
        ("leeftijd_0_14", 0.16),
        ("leeftijd_15_24", 0.12),
        ("leeftijd_25_44", 0.25),
        ("leeftijd_45_64", 0.27),
        ("leeftijd_65_plus", 0.20),
        ("herkomst_europa", 0.1),
        ("herkomst_buiten_europa", 0.12),
        ("eenpersoonshuishoudens", 0.17),
    ):
        frame[column] = np.round(inwoners * share * rng.uniform(0.7, 1.3, n))
    frame["autos_per_huishouden"] = rng.uniform(0.3, 1.6, n).round(1)
    frame.attrs = {"year": 2023, "source": "gegenereerd (benchmark)"}
    return frame


def synthetic_layers(
    buurten: gpd.GeoDataFrame, count: int, rng: np.random.Generator
) -> dict[str, gpd.GeoDataFrame]:
    """Activities, OV-haltes and Buurtmobiel areas clustered around buurt points."""
    xy = demand_points(buurten)
    xy = xy[np.isfinite(xy).all(axis=1)]

    def around(n: int, spread: float) -> np.ndarray:
        return xy[rng.integers(0, len(xy), n)] + rng.normal(0, spread, (n, 2))

    points = around(count, 250)
    capacity = rng.integers(5, 40, count).astype(float)
    capacity[rng.random(count) < 0.3] = np.nan  # unknown capacity counts as 1
    groups = np.array(
        ["iedereen", "ouderen_thuiswonend", "jongvolwassenen", "migrantenouderen", "alleenstaanden"]
    )
    activities = gpd.GeoDataFrame(
        {
            "id": [f"act-{i:06d}" for i in range(count)],
            "naam": "activiteit",
            "soort": rng.choice(np.array(list(SOORTEN)), count),
            "doelgroepen": rng.choice(groups, count),
            "dagdelen": rng.choice(np.array(["", "", "ochtend;middag", "avond", "weekend"]), count),
            "capaciteit": capacity,
            "locatie_status": "gelokaliseerd",
        },
        geometry=gpd.points_from_xy(points[:, 0], points[:, 1]),
        crs="EPSG:28992",
    )
    stop_xy = around(40_000, 400)
    stops = gpd.GeoDataFrame(
        {"naam": "halte", "vertrekken_per_uur": rng.integers(1, 12, len(stop_xy)).astype(float)},
        geometry=gpd.points_from_xy(stop_xy[:, 0], stop_xy[:, 1]),
        crs="EPSG:28992",
    )
    centres = around(300, 0)
    services = gpd.GeoDataFrame(
        {
            "naam": [f"Buurtmobiel {i}" for i in range(len(centres))],
            "dienst": rng.choice(np.array(["Buurtmobiel", "AutoMaatje"]), len(centres)),
            "doelgroep": "ouderen",
        },
        geometry=gpd.points_from_xy(centres[:, 0], centres[:, 1]).buffer(2000),
        crs="EPSG:28992",
    )
    return {"activiteiten": activities, "ov_haltes": stops, "buurtmobiel": services}


def main() -> None:
    """Run the pipeline and the E2SFCA comparison, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--markdown", action="store_true", help="print a table for RESULTS.md")
    args = parser.parse_args()
    if not Path(args.folder).exists():
        sys.exit(f"map {args.folder} niet gevonden (zet WIJKKOMPAS_SHARED)")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message="The inplace keyword")
    rng = np.random.default_rng(1)
    settings = AnalysisSettings()
    stages = Stages()
    print("Pijplijn, heel Nederland:")
    total = time.perf_counter()
    dataset = stages.run("gegevens laden (grenzen 2014 + RIVM NL)", load_dataset, args.folder)
    stages.begin("bevolking en aanbod genereren")
    dataset.populations = {2023: synthetic_population(dataset, rng)}
    buurten = dataset.level("buurt")
    layers = synthetic_layers(buurten, args.activities, rng)
    stages.end()
    result = analyse(
        dataset, layers, group="ouderen", settings=settings, progress=stages.progress("ouderen")
    )
    analyse(
        dataset,
        layers,
        group="jongvolwassenen",
        settings=settings,
        hotspots=False,
        progress=stages.progress("jongvolwassenen"),
    )
    seconds = time.perf_counter() - total
    peak = max(row[2] for row in stages.rows)
    print(
        f"hele pijplijn: {seconds:.1f} s (doel < {TARGET_SECONDS:g} s), piek {peak:.2f} GiB "
        f"(doel < {TARGET_GIB:g} GiB); {len(buurten):,} buurten, {len(layers['activiteiten']):,} "
        f"activiteiten; {len(result.clusters)} buurten in een significant hiaat-cluster"
    )

    print("\nE2SFCA tegen PySAL access, zelfde invoer (vraag = eenzame 65-plussers):")
    supply = suitable_activities(layers["activiteiten"], "ouderen")
    supply_xy = np.column_stack([supply.geometry.x, supply.geometry.y])
    capacity = supply["capaciteit"].fillna(1.0).to_numpy()
    scored = result.buurten
    demand_xy = demand_points(scored)
    demand = scored["lonely"].fillna(0).to_numpy()
    catchment = settings.catchment("ouderen")
    same = compare_same_pairs(demand_xy, demand, supply_xy, capacity, catchment, settings)
    print("  " + describe_same_pairs(same))
    points = compare_from_points(demand_xy, demand, supply_xy, capacity, catchment, settings, 60)
    print("  " + describe_from_points(points))
    ratio = points["access_s"] / points["ours_s"]
    equal = max(same["max_diff"], points["max_diff"]) <= 1e-9
    print(
        f"doelen: pijplijn {'OK' if seconds < TARGET_SECONDS else 'NIET gehaald'}, geheugen "
        f"{'OK' if peak < TARGET_GIB else 'NIET gehaald'}, E2SFCA {ratio:.0f}x "
        f"{'OK' if ratio >= TARGET_RATIO else 'NIET gehaald'}, gelijk "
        f"{'OK' if equal else 'NIET gehaald'}"
    )
    if args.markdown:
        _markdown(stages.rows, seconds, peak, same, points)


def _markdown(rows, seconds, peak, same, points) -> None:  # noqa: ANN001
    print("\n| stage | time (s) | peak RSS (GiB) |\n|---|---:|---:|")
    for name, stage_seconds, stage_peak in rows:
        print(f"| {name} | {stage_seconds:.2f} | {stage_peak:.2f} |")
    print(f"| **whole pipeline** | **{seconds:.1f}** | **{peak:.2f}** |")
    print("\n" + describe_same_pairs(same) + "\n\n" + describe_from_points(points))


if __name__ == "__main__":
    main()
