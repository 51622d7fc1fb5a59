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


def stretch(graph: sparse.csr_array, node_xy: np.ndarray) -> float:
    """The smallest ratio edge length / straight line between its nodes (at most 1)."""
    coo = graph.tocoo()
    straight = np.hypot(*(node_xy[coo.row] - node_xy[coo.col]).T)
    moved = straight > 0
    if not moved.any():
        return 1.0
    return float(min(1.0, (coo.data[moved] / straight[moved]).min()))


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

    def run(members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lo = where[members].min(axis=0) - reach
        hi = where[members].max(axis=0) + reach
        near = np.flatnonzero(((target_xy >= lo) & (target_xy <= hi)).all(axis=1))
        if len(near) == 0:
            return _EMPTY, _EMPTY, np.array([], dtype=float)
        inside = ((node_xy >= lo) & (node_xy <= hi)).all(axis=1)
        local = np.cumsum(inside) - 1
        sub = graph[inside][:, inside] if inside.sum() < n else graph
        near_local = local[targets[near]]
        rows_per_batch = max(1, int(batch_bytes // (8 * max(sub.shape[0], 1))))
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for first in range(0, len(members), rows_per_batch):
            batch = members[first : first + rows_per_batch]
            dist = dijkstra(sub, directed=True, indices=local[sources[batch]], limit=limit)
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
