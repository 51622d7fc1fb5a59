"""Benchmark: network reach (scipy CSR, bounded multi-source Dijkstra) against networkx.

Input (generated, seeded): a city-sized walking network — a perturbed square grid of
``--side`` × ``--side`` nodes ``--spacing`` m apart, with diagonals in most blocks and gaps
(missing street pieces), written once as a real ``.osm.pbf`` with pyosmium so that reading
the PBF is measured too; 10,000 demand points and 2,000 activities spread over the city; three
groups with catchments of 600, 800 and 1,600 m; snapping capped at 250 m.

Measured in one run:

1. building the graph from the PBF (no cache), and again from the cache (second run);
2. snapping all points onto the streets (builds the snapping index once);
3. per group: ``WalkNetwork.pairs`` (snapping, edge splitting, tiled bounded Dijkstra) and
   E2SFCA on the pairs — wall and CPU time (the machine is shared; CPU time is the steadier
   figure) and peak memory (tracemalloc);
4. the reference, osmnx-style: per demand point one networkx
   ``single_source_dijkstra_path_length(G, node, cutoff=catchment - snap)`` on the same graph
   (with the points snapped onto the streets and their edges split, as Wijkkompas does), then
   the activities at the reached nodes. It runs on a seeded sample of demand points
   (``--sample``) and is extrapolated to all of them (printed); the pairs of the sample must
   equal Wijkkompas's (same pairs, distances to 1e-6 m).

Usage: python benchmarks/bench_network.py [--side 400] [--sample 300] [--markdown]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np

from geo.analysis import _network_snap
from geo.analysis.network import WalkNetwork, network_from_file
from geo.analysis.reach import decay, e2sfca
from geo.settings import AnalysisSettings

ORIGIN = (128_000.0, 450_000.0)  # south-west corner in RD New (Utrecht region)
GROUPS = {
    "ouderen (600 m)": 600.0,
    "alleenstaande ouderen (800 m)": 800.0,
    "jongvolwassenen (1,600 m)": 1600.0,
}
MAX_SNAP_M = 250.0


def city_pbf(path: Path, side: int, spacing: float, seed: int) -> tuple[int, int]:
    """Write the generated city as a PBF; (nodes, ways)."""
    import osmium
    from osmium.osm.mutable import Node, Way
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    x = ORIGIN[0] + jj * spacing + rng.uniform(-0.2, 0.2, ii.shape) * spacing
    y = ORIGIN[1] + ii * spacing + rng.uniform(-0.2, 0.2, ii.shape) * spacing
    lon, lat = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True).transform(x, y)
    ids = (ii * side + jj + 1).astype(np.int64)
    if path.exists():
        path.unlink()
    writer = osmium.SimpleWriter(str(path))
    ways = 0
    for node, lo, la in zip(
        ids.ravel().tolist(), lon.ravel().tolist(), lat.ravel().tolist(), strict=True
    ):
        writer.add_node(Node(id=node, location=(lo, la)))

    def add(refs: list[int], highway: str) -> None:
        nonlocal ways
        if len(refs) >= 2:
            ways += 1
            writer.add_way(Way(id=ways, nodes=refs, tags={"highway": highway}))

    gap = 0.04  # street pieces missing (a canal, a fence, a building block)
    for line in (ids, ids.T):  # rows, then columns: one way per run between gaps
        kinds = rng.choice(["residential", "footway", "service", "tertiary"], len(line))
        for k, refs in enumerate(line.tolist()):
            missing = rng.random(len(refs) - 1) < gap
            start = 0
            for cut in np.flatnonzero(missing).tolist() + [len(refs) - 1]:
                add(refs[start : cut + 1], str(kinds[k]))
                start = cut + 1
    # diagonal footpaths through most blocks (either direction)
    block = rng.random((side - 1, side - 1))
    flip = rng.random((side - 1, side - 1)) < 0.5
    for i, j in zip(*np.nonzero(block < 0.7), strict=True):
        if flip[i, j]:
            add([int(ids[i, j]), int(ids[i + 1, j + 1])], "footway")
        else:
            add([int(ids[i + 1, j]), int(ids[i, j + 1])], "path")
    # ways nobody may walk: they must not count
    for k in range(0, side - 1, 50):
        writer.add_way(
            Way(
                id=10**9 + k,
                nodes=[int(ids[k, 0]), int(ids[k + 1, side - 1])],
                tags={"highway": "motorway"},
            )
        )
    writer.close()
    return side * side, ways


def networkx_pairs(
    net: WalkNetwork,
    demand_xy: np.ndarray,
    supply_xy: np.ndarray,
    catchment: float,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """osmnx-style reference: one bounded single-source Dijkstra per demand point.

    It gets the same input as ``WalkNetwork.pairs``: the graph with the points snapped onto
    the streets and their edges split there (built with the same helpers, not timed), so the
    comparison is of the shortest-path search and the pair assembly.
    """
    index = net._snap_index()
    seg, t, dist, where = index.nearest(np.vstack([demand_xy, supply_xy]), MAX_SNAP_M)
    graph_csr, _xy = _network_snap.split_edges(net.graph, net.node_xy, index.streets, seg, t, where)
    virtual = np.full(len(seg), -1, dtype=np.int64)
    virtual[seg >= 0] = net.n_nodes + np.arange(int((seg >= 0).sum()))
    d_node, s_node = virtual[: len(demand_xy)], virtual[len(demand_xy) :]
    d_snap, s_snap = dist[: len(demand_xy)], dist[len(demand_xy) :]
    coo = graph_csr.tocoo()
    upper = coo.row < coo.col
    graph = nx.Graph()
    graph.add_nodes_from(range(graph_csr.shape[0]))
    graph.add_weighted_edges_from(
        zip(coo.row[upper].tolist(), coo.col[upper].tolist(), coo.data[upper].tolist(), strict=True)
    )
    at_node: dict[int, list[int]] = {}
    for index_s in np.flatnonzero(s_node >= 0).tolist():
        at_node.setdefault(int(s_node[index_s]), []).append(index_s)
    out_d, out_s, out_m = [], [], []
    start, cpu = time.perf_counter(), time.process_time()
    for row in rows.tolist():
        if d_node[row] < 0:
            continue
        lengths = nx.single_source_dijkstra_path_length(
            graph, int(d_node[row]), cutoff=catchment - d_snap[row], weight="weight"
        )
        for node, length in lengths.items():
            for supply in at_node.get(node, ()):
                total = d_snap[row] + length + s_snap[supply]
                if total <= catchment:
                    out_d.append(row)
                    out_s.append(supply)
                    out_m.append(total)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    order = np.lexsort((out_s, out_d))
    return (
        np.asarray(out_d)[order],
        np.asarray(out_s)[order],
        np.asarray(out_m)[order],
        elapsed,
        cpu,
    )


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=400, help="grid side (nodes)")
    parser.add_argument("--spacing", type=float, default=25.0, help="grid spacing (m)")
    parser.add_argument("--demand", type=int, default=10_000)
    parser.add_argument("--supply", type=int, default=2_000)
    parser.add_argument("--sample", type=int, default=300, help="demand points for networkx")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(20261202)
    lines: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-netwerk-") as tmp:
        folder = Path(tmp)
        pbf = folder / "stad.osm.pbf"
        t0 = time.perf_counter()
        n_written, n_ways = city_pbf(pbf, args.side, args.spacing, seed=7)
        print(
            f"PBF geschreven: {n_written:,} knopen, {n_ways:,} wegen, "
            f"{pbf.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - t0:.1f} s"
        )
        cache = folder / "cache"
        t0, c0 = time.perf_counter(), time.process_time()
        net = network_from_file(pbf, cache_dir=cache)
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        again = network_from_file(pbf, cache_dir=cache)
        warm, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert (again.graph != net.graph).nnz == 0
        print(f"graaf: {net.n_nodes:,} knopen, {net.n_edges:,} verbindingen")
        lines.append(
            (
                "graph from PBF, no cache (read + build + store)",
                f"{cold:.2f} s (CPU {cold_cpu:.2f} s)",
                f"{net.n_nodes:,} nodes, {net.n_edges:,} edges, "
                f"{pbf.stat().st_size / 2**20:.1f} MiB PBF",
            )
        )
        lines.append(
            (
                "graph from the cached PBF (second run: hash + load)",
                f"{warm:.3f} s (CPU {warm_cpu:.3f} s)",
                "target < 1 s",
            )
        )
        lo = net.node_xy.min(axis=0)
        hi = net.node_xy.max(axis=0)
        demand_xy = rng.uniform(lo, hi, (args.demand, 2))
        supply_xy = rng.uniform(lo, hi, (args.supply, 2))
        lonely = rng.integers(1, 40, args.demand).astype(float)
        capacity = np.ones(args.supply)
        weight = decay(AnalysisSettings())
        sample = np.sort(rng.choice(args.demand, args.sample, replace=False))
        wall, cpu = time.perf_counter(), time.process_time()
        _where, snap_d = net.snap_to_street(
            np.vstack([demand_xy, supply_xy]), max_snap_m=MAX_SNAP_M
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        lines.append(
            (
                f"snapping {args.demand + args.supply:,} points onto the streets "
                "(index built once)",
                f"{wall:.2f} s (CPU {cpu:.2f} s)",
                f"median snap {np.median(snap_d):.1f} m",
            )
        )
        for group, catchment in GROUPS.items():
            catch = np.full(args.demand, catchment)
            tracemalloc.start()
            wall, cpu = time.perf_counter(), time.process_time()
            d, s, m = net.pairs(demand_xy, supply_xy, catch, max_snap_m=MAX_SNAP_M)
            access, _weighted = e2sfca(lonely, capacity, (d, s, m), catch, weight)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rd, rs, rm, nx_time, nx_cpu = networkx_pairs(
                net, demand_xy, supply_xy, catchment, sample
            )
            mine = np.isin(d, sample)
            equal = (
                np.array_equal(d[mine], rd)
                and np.array_equal(s[mine], rs)
                and np.allclose(m[mine], rm, rtol=0, atol=1e-6)
            )
            largest = float(np.abs(m[mine] - rm).max()) if equal and len(rm) else 0.0
            nx_full = nx_time * args.demand / args.sample
            nx_full_cpu = nx_cpu * args.demand / args.sample
            print(
                f"{group}: {wall:.2f} s (CPU {cpu:.2f} s), piek {peak / 2**20:.0f} MiB, "
                f"{len(d):,} paren, {int((access > 0).sum()):,} punten met aanbod; "
                f"networkx {nx_time:.1f} s voor {args.sample} punten -> {nx_full:.0f} s "
                f"voor {args.demand:,} ({nx_full / wall:.0f}×; CPU {nx_full_cpu:.0f} s, "
                f"{nx_full_cpu / cpu:.0f}×); gelijk: {equal} "
                f"(grootste verschil {largest:.1e} m)"
            )
            lines.append(
                (
                    f"{group}: snap + pairs + E2SFCA, {args.demand:,} × {args.supply:,}",
                    f"{wall:.2f} s (CPU {cpu:.2f} s), peak {peak / 2**20:.0f} MiB",
                    f"{len(d):,} pairs; networkx {nx_full:.0f} s, CPU {nx_full_cpu:.0f} s "
                    f"(extrapolated from {args.sample} points) → {nx_full / wall:.0f}× "
                    f"(CPU {nx_full_cpu / cpu:.0f}×); "
                    f"equal: {'yes' if equal else 'NO'} (largest difference "
                    f"{largest:.1e} m)",
                )
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    lines.append(("peak RSS of the whole run", f"{rss:.2f} GiB", ""))
    if args.markdown:
        print("\n| step | result | notes |\n|---|---:|---|")
        for row in lines:
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
