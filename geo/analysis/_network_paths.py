"""Bounded multi-source shortest paths between node sets, tiled to stay small and fast.

``scipy.sparse.csgraph.dijkstra(indices=..., limit=...)`` returns dense rows of length n (the
whole graph) per source; for 2,000 activities in a city of 150,000 nodes most of the time goes
into filling those rows with ``inf``. No path of length <= ``limit`` leaves the disc of radius
``limit / stretch`` around its source (``stretch`` = the smallest edge length / straight-line
ratio of the graph, 1 for streets, less for a ferry that costs its time), so the sources are
grouped in square tiles and each tile runs on the subgraph of the nodes within that distance of
the tile. The answer is exactly that of the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

CELL_FACTOR = 2.0
"""Tile side in units of the reach (tested: see benchmarks/RESULTS.md)."""


def point_pairs(
    graph: sparse.csr_array,
    node_xy: np.ndarray,
    demand: tuple[np.ndarray, np.ndarray, np.ndarray],
    supply: tuple[np.ndarray, np.ndarray],
    *,
    ratio: float,
    batch_bytes: int,
    workers: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point pairs within the demand point's catchment, sorted by demand, then supply.

    ``demand`` = (node per point or -1, snap distance, catchment); ``supply`` = (node, snap
    distance). Points sharing a node share its Dijkstra run.
    """
    d_node, d_snap, catchment = demand
    s_node, s_snap = supply
    empty = np.array([], dtype=np.int64)
    d_rows = np.flatnonzero((d_node >= 0) & np.isfinite(catchment))
    s_rows = np.flatnonzero(s_node >= 0)
    if len(d_rows) == 0 or len(s_rows) == 0:
        return empty, empty, np.array([], dtype=float)
    limit = float(catchment[d_rows].max() - d_snap[d_rows].min())
    if limit < 0:
        return empty, empty, np.array([], dtype=float)
    sources, s_of_source = np.unique(s_node[s_rows], return_inverse=True)
    targets, d_of_target = np.unique(d_node[d_rows], return_inverse=True)
    # points per unique node, CSR-like: the points of node k are order[start[k]:start[k + 1]]
    s_order, s_start = _group(s_of_source, len(sources))
    d_order, d_start = _group(d_of_target, len(targets))
    one_point_per_node = len(sources) == len(s_rows) and len(targets) == len(d_rows)
    parts_d, parts_s, parts_m = [empty], [empty], [np.array([], dtype=float)]
    for src_k, tgt_k, path in node_paths(
        graph,
        node_xy,
        sources,
        targets,
        limit,
        ratio=ratio,
        batch_bytes=batch_bytes,
        workers=workers,
    ):
        if one_point_per_node:  # snapped onto streets: every point has a node of its own
            supply_idx = s_rows[s_order[src_k]]
            demand_idx = d_rows[d_order[tgt_k]]
            total = d_snap[demand_idx] + path + s_snap[supply_idx]
        else:  # expand node pairs to point pairs
            n_s = s_start[src_k + 1] - s_start[src_k]
            n_d = d_start[tgt_k + 1] - d_start[tgt_k]
            reps = n_s * n_d
            pair = np.repeat(np.arange(len(src_k)), reps)
            within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
            s_pos = s_start[src_k[pair]] + within // n_d[pair]
            d_pos = d_start[tgt_k[pair]] + within % n_d[pair]
            supply_idx = s_rows[s_order[s_pos]]
            demand_idx = d_rows[d_order[d_pos]]
            total = d_snap[demand_idx] + path[pair] + s_snap[supply_idx]
        keep = total <= catchment[demand_idx]
        parts_d.append(demand_idx[keep])
        parts_s.append(supply_idx[keep])
        parts_m.append(total[keep])
    demand_idx = np.concatenate(parts_d)
    supply_idx = np.concatenate(parts_s)
    distance = np.concatenate(parts_m)
    order = np.lexsort((supply_idx, demand_idx))
    return demand_idx[order], supply_idx[order], distance[order]


def _group(labels: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(labels, kind="stable")
    start = np.zeros(n + 1, dtype=np.int64)
    start[1:] = np.cumsum(np.bincount(labels, minlength=n))
    return order, start


def node_paths(
    graph: sparse.csr_array,
    node_xy: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    limit: float,
    *,
    ratio: float,
    batch_bytes: int,
    workers: int = 1,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per tile of sources: (source position, target position, path length) with length <= limit.

    Positions index ``sources`` and ``targets`` (arrays of node numbers). Tiles run on
    ``workers`` threads (scipy's Dijkstra releases the GIL); each holds at most
    ``batch_bytes`` of dense distance rows at a time.
    """
    n = graph.shape[0]
    reach = limit / max(ratio, 1e-9)
    cell = max(reach * CELL_FACTOR, 200.0)
    where = node_xy[sources]
    tile = np.floor((where - where.min(axis=0)) / cell).astype(np.int64)
    keys = tile[:, 0] * (int(tile[:, 1].max()) + 1) + tile[:, 1]
    order = np.argsort(keys, kind="stable")
    tiles = np.split(order, np.flatnonzero(np.diff(keys[order])) + 1)
    target_xy = node_xy[targets]
    by_x = np.argsort(node_xy[:, 0], kind="stable")  # nodes in a box: an x slice, then y
    sorted_x = node_xy[by_x, 0]

    def run(members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo = where[members].min(axis=0) - reach
        hi = where[members].max(axis=0) + reach
        near = np.flatnonzero(((target_xy >= lo) & (target_xy <= hi)).all(axis=1))
        if len(near) == 0:
            return _EMPTY, _EMPTY, np.array([], dtype=float)
        column = by_x[np.searchsorted(sorted_x, lo[0]) : np.searchsorted(sorted_x, hi[0], "right")]
        y = node_xy[column, 1]
        inside = np.sort(column[(y >= lo[1]) & (y <= hi[1])])
        if len(inside) < n:
            sub = graph[inside][:, inside]
            local_sources = np.searchsorted(inside, sources[members])
            near_local = np.searchsorted(inside, targets[near])
        else:
            sub, local_sources, near_local = graph, sources[members], targets[near]
        rows_per_batch = max(1, int(batch_bytes // (8 * max(sub.shape[0], 1))))
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for first in range(0, len(members), rows_per_batch):
            batch = members[first : first + rows_per_batch]
            indices = local_sources[first : first + rows_per_batch]
            dist = dijkstra(sub, directed=True, indices=indices, limit=limit)
            found = dist[:, near_local]
            src_k, tgt_k = np.nonzero(np.isfinite(found))
            parts.append((batch[src_k], near[tgt_k], found[src_k, tgt_k]))
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]

    if workers <= 1 or len(tiles) == 1:
        yield from map(run, tiles)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run, tiles)


_EMPTY = np.array([], dtype=np.int64)
