"""Benchmark: one edit and a 1,000-row import on the register, both backends vs the old rewrite.

Three registers get exactly the same operations in the same run:

* **rewrite** — the register of before issue 11 (``WholeFileRewriteRegister``): every change
  reads every layer and rewrites the whole GeoPackage (the reference);
* **gpkg** — ``GeoPackageRegister``: rows changed in one SQLite transaction (``BEGIN
  IMMEDIATE``);
* **postgis** — ``PostgisRegister`` on a throwaway local PostgreSQL 15 + PostGIS cluster with
  ``fsync=on`` (a commit waits for the disk, as SQLite's does), or on ``--url``.

Sizes: registers of 10,000 and 100,000 generated activities (seeded points in Utrecht).
Measured: one ``update`` of one row (median of several edits of different rows; the gpkg and
postgis edits pass the ``versie`` they read, as the app does), one ``add`` of 1,000 rows
(median), and reading the whole layer (``list``). Equality check: after the run, the three
registers hold the same rows with the same values (ids, names, capacities, points).

Usage: python benchmarks/bench_register.py [--sizes 10000,100000] [--edits 15]
[--rewrite-edits 3] [--imports 3] [--url postgresql://...] [--markdown]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from geo.aanbod.register_gpkg import GeoPackageRegister  # noqa: E402
from geo.aanbod.register_pg import PostgisRegister  # noqa: E402
from geo.aanbod.register_rewrite import WholeFileRewriteRegister  # noqa: E402
from geo.aanbod.schema import COLUMNS  # noqa: E402

LAAG = "activiteiten"
BACKENDS = ("rewrite", "gpkg", "postgis")


def activities(count: int, seed: int, prefix: str) -> gpd.GeoDataFrame:
    """``count`` activities at seeded points around Utrecht (EPSG:28992)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(128_000, 144_000, count)
    y = rng.uniform(449_000, 463_000, count)
    frame = gpd.GeoDataFrame(
        {
            "id": None,
            "naam": [f"{prefix} {i}" for i in range(count)],
            "soort": rng.choice(["ontmoeting", "bewegen", "samen_eten", "cultuur"], count),
            "doelgroepen": "ouderen_thuiswonend;iedereen",
            "talen": "nl",
            "dagdelen": "ochtend;middag",
            "frequentie": "wekelijks",
            "capaciteit": rng.integers(5, 60, count).astype(float),
            "organisatie": rng.choice(["DOCK", "Buurtteam", "Incluzio", "Al Amal"], count),
            "adres": [f"Straat {i % 200 + 1}, Utrecht" for i in range(count)],
            "postcode": "3511AA",
            "bron": "benchmark",
            "laatst_gecontroleerd": "2026-11-01",
            "locatie_status": "gelokaliseerd",
            "opmerking": None,
            "buurt_code": "BU03440000",
        },
        geometry=shapely.points(x, y),
        crs="EPSG:28992",
    )
    return frame[COLUMNS[LAAG]]


def timed(function: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run_size(size: int, registers: dict[str, Any], args: argparse.Namespace) -> list[dict]:
    """Fill the three registers with ``size`` rows, then time edits, imports and reads."""
    base = activities(size, seed=size, prefix="Activiteit")
    rows: list[dict] = []
    load = {
        name: timed(lambda r=reg: r.add(LAAG, base, user="bench"))
        for name, reg in registers.items()
    }
    ids = [
        f"act-{n:06d}" for n in np.random.default_rng(1).choice(size, args.edits, replace=False) + 1
    ]
    edits: dict[str, list[float]] = {name: [] for name in registers}
    for step, ident in enumerate(ids):
        for name, reg in registers.items():
            if name == "rewrite" and step >= args.rewrite_edits:
                # the reference is slow: fewer edits, but the same changes for the equality check
                reg.update(LAAG, ident, {"naam": f"bewerkt {step}"}, user="bench")
                continue
            if name == "rewrite":
                seconds = timed(
                    lambda r=reg, i=ident, s=step: r.update(
                        LAAG, i, {"naam": f"bewerkt {s}"}, user="bench"
                    )
                )
            else:
                seconds = timed(
                    lambda r=reg, i=ident, s=step: r.update(
                        LAAG, i, {"naam": f"bewerkt {s}"}, user="bench", versie=1
                    )
                )
            edits[name].append(seconds)
    imports: dict[str, list[float]] = {name: [] for name in registers}
    for step in range(args.imports):
        batch = activities(1_000, seed=10_000 + step, prefix=f"Import {step}")
        for name, reg in registers.items():
            imports[name].append(timed(lambda r=reg, b=batch: r.add(LAAG, b, user="bench")))
    reads = {name: timed(lambda r=reg: r.list(LAAG)) for name, reg in registers.items()}
    equal = _same_rows(registers)
    for name in registers:
        rows.append(
            {
                "size": size,
                "backend": name,
                "load_s": load[name],
                "edit_ms": 1000 * statistics.median(edits[name]),
                "edits": len(edits[name]),
                "import_ms": 1000 * statistics.median(imports[name]),
                "imports": len(imports[name]),
                "list_s": reads[name],
                "equal": equal,
            }
        )
    return rows


def _same_rows(registers: dict[str, Any]) -> bool:
    frames = []
    for reg in registers.values():
        frame = reg.list(LAAG)
        frame = pd.DataFrame(
            {
                "id": frame["id"].astype(str),
                "naam": frame["naam"].astype(str),
                "capaciteit": frame["capaciteit"].astype(float),
                "x": frame.geometry.x.round(3),
                "y": frame.geometry.y.round(3),
            }
        )
        frames.append(frame.sort_values("id").reset_index(drop=True))
    return all(frames[0].equals(other) for other in frames[1:])


def main() -> None:
    """Run every size and print the figures (``--markdown``: the RESULTS.md table)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--rewrite-edits", type=int, default=3)
    parser.add_argument("--imports", type=int, default=3)
    parser.add_argument("--url", default=None, help="an EMPTY database (default: a throwaway one)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: list[dict] = []
    with ExitStack() as stack:
        cluster = None
        if args.url is None:
            from tests.pg_cluster import missing_reason, running_cluster

            reason = missing_reason()
            if reason is not None:
                sys.exit(f"PostgreSQL ontbreekt: {reason}")
            cluster = stack.enter_context(running_cluster(durable=True))
        for size in sizes:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-reg-")))
            url = args.url if cluster is None else cluster.url(cluster.create_database())
            registers = {
                "rewrite": WholeFileRewriteRegister(folder / "rewrite" / "register.gpkg"),
                "gpkg": GeoPackageRegister(folder / "gpkg" / "register.gpkg"),
                "postgis": PostgisRegister(url),
            }
            results.extend(run_size(size, registers, args))
            registers["postgis"].close()
            print(f"{size:,} rijen klaar", file=sys.stderr)
    _report(results, markdown=args.markdown)


def _report(results: list[dict], *, markdown: bool) -> None:
    by = {(r["size"], r["backend"]): r for r in results}
    if markdown:
        print("| register | backend | one edit | vs rewrite | 1,000-row import | vs rewrite "
              "| read whole layer | initial load | same rows |")  # fmt: skip
        print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for (size, backend), row in by.items():
        ref = by[(size, "rewrite")]
        edit_ratio = ref["edit_ms"] / row["edit_ms"]
        import_ratio = ref["import_ms"] / row["import_ms"]
        cells = [
            f"{size:,}",
            backend,
            f"{row['edit_ms']:.1f} ms (median of {row['edits']})",
            "1×" if backend == "rewrite" else f"{edit_ratio:.0f}×",
            f"{row['import_ms']:.0f} ms (median of {row['imports']})",
            "1×" if backend == "rewrite" else f"{import_ratio:.1f}×",
            f"{row['list_s']:.2f} s",
            f"{row['load_s']:.1f} s",
            "yes" if row["equal"] else "NO",
        ]
        print("| " + " | ".join(cells) + " |" if markdown else "  ".join(cells))


if __name__ == "__main__":
    main()
