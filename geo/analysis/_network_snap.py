"""Snapping points onto the streets (the nearest point of the nearest way), and splitting edges.

A walking network's edges run between junctions; their shape is kept as straight segments
(:class:`Streets`). A point is snapped to the nearest point on any segment — not to the
nearest junction, which on a long street can be hundreds of metres away — and, for the
shortest paths, becomes a node of its own that splits its edge: the pieces of the edge keep its
cost, so paths through the edge are unchanged, and two points on one edge reach each other
along it.

The nearest segment is found exactly with a KD-tree over pieces of at most :data:`PIECE_M`:
the nearest point of the nearest segment lies on a piece whose midpoint is at most
``distance + PIECE_M / 2`` away, so after the ``k`` nearest pieces a point is settled when the
``k``-th is farther than that; the rare point that is not is searched again with a ball.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

PIECE_M = 20.0
"""Longest piece of a segment in the snapping index (m)."""

NEIGHBOURS = 8


@dataclass(frozen=True)
class Streets:
    """The shape of every edge, as straight segments, with the cost along them.

    Attributes
    ----------
    edge_u, edge_v
        Nodes at the start and end of each edge (a way between two junctions).
    edge_cost
        Cost of each edge (m; a ferry's minutes at walking speed).
    seg_xy
        ``(k, 4)``: x0, y0, x1, y1 of every segment (RD New, m).
    seg_edge
        Edge of each segment.
    seg_start
        Cost from ``edge_u`` to the start of each segment.
    seg_cost
        Cost of each segment (its length, scaled for ferries).
    seg_snappable
        Whether points may be snapped onto the segment (not onto a ferry in mid-river).
    """

    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_cost: np.ndarray
    seg_xy: np.ndarray
    seg_edge: np.ndarray
    seg_start: np.ndarray
    seg_cost: np.ndarray
    seg_snappable: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name (for the cache)."""
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value.dtype.kind == "i":  # node and edge numbers fit in int32 (as in the CSR)
                value = value.astype(np.int32)
            out[f"streets_{name}"] = value
        return out

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray]) -> Streets:
        """The inverse of :meth:`arrays`."""
        return cls(**{k: np.asarray(data[f"streets_{k}"]) for k in cls.__dataclass_fields__})


def streets_from_edges(
    node_xy: np.ndarray, u: np.ndarray, v: np.ndarray, cost: np.ndarray
) -> Streets:
    """Streets whose edges are straight lines between their nodes."""
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    cost = np.asarray(cost, dtype=float)
    return Streets(
        edge_u=u,
        edge_v=v,
        edge_cost=cost,
        seg_xy=np.column_stack([node_xy[u], node_xy[v]]).reshape(-1, 4),
        seg_edge=np.arange(len(u), dtype=np.int64),
        seg_start=np.zeros(len(u)),
        seg_cost=cost,
        seg_snappable=np.ones(len(u), dtype=bool),
    )


def stretch(streets: Streets) -> float:
    """The smallest cost per metre of straight line of any segment (at most 1).

    No path of cost ``c`` reaches farther than ``c / stretch`` from its start, also for pieces
    of edges between snapped points.
    """
    xy = streets.seg_xy
    length = np.hypot(xy[:, 2] - xy[:, 0], xy[:, 3] - xy[:, 1])
    moved = length > 1e-6
    if not moved.any():
        return 1.0
    return float(min(1.0, (streets.seg_cost[moved] / length[moved]).min()))


class SnapIndex:
    """KD-tree over short pieces of the segments; exact nearest segment per point."""

    def __init__(self, streets: Streets) -> None:
        self.streets = streets
        xy = streets.seg_xy
        length = np.hypot(xy[:, 2] - xy[:, 0], xy[:, 3] - xy[:, 1])
        parts = np.maximum(1, np.ceil(length / PIECE_M)).astype(np.int64)
        parts[~streets.seg_snappable.astype(bool)] = 0
        self.piece_seg = np.repeat(np.arange(len(xy)), parts)
        first = np.repeat(np.cumsum(parts) - parts, parts)
        middle = (np.arange(parts.sum()) - first + 0.5) / parts[self.piece_seg]
        seg = xy[self.piece_seg]
        mid = seg[:, :2] + middle[:, None] * (seg[:, 2:] - seg[:, :2])
        used = parts > 0
        self.half = float((length[used] / parts[used]).max() / 2) if used.any() else 0.0
        self.tree = cKDTree(mid) if len(mid) else None

    def nearest(
        self, xy: np.ndarray, max_snap_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per point: segment (-1 if none within ``max_snap_m``), position 0..1, distance, xy."""
        n = len(xy)
        seg = np.full(n, -1, dtype=np.int64)
        t = np.zeros(n)
        dist = np.full(n, np.inf)
        where = np.full((n, 2), np.nan)
        located = np.flatnonzero(np.isfinite(xy).all(axis=1))
        if self.tree is None or len(located) == 0:
            return seg, t, dist, where
        k = min(NEIGHBOURS, self.tree.n)
        bound = max_snap_m + self.half
        mid_d, piece = self.tree.query(xy[located], k=k, distance_upper_bound=bound, workers=-1)
        mid_d = mid_d.reshape(len(located), k)
        piece = piece.reshape(len(located), k)
        valid = np.isfinite(mid_d)
        cand = np.where(valid, self.piece_seg[np.minimum(piece, self.tree.n - 1)], -1)
        d, tt = _distance(self.streets.seg_xy, xy[located][:, None, :], np.maximum(cand, 0))
        d = np.where(valid, d, np.inf)
        best = np.argmin(d, axis=1)
        rows = np.arange(len(located))
        best_d = d[rows, best]
        seg[located] = np.where(np.isfinite(best_d), cand[rows, best], -1)
        t[located] = tt[rows, best]
        dist[located] = best_d
        # not settled: all k pieces lie within best + half, a nearer segment may lie beyond
        reach = np.minimum(best_d, max_snap_m) + self.half
        unsettled = np.flatnonzero(valid[:, -1] & (mid_d[:, -1] <= reach))
        for row in unsettled.tolist():
            point = xy[located[row]]
            radius = min(best_d[row], max_snap_m) + self.half
            pieces = np.asarray(self.tree.query_ball_point(point, radius), dtype=np.int64)
            segs = np.unique(self.piece_seg[pieces])
            dd, t2 = _distance(self.streets.seg_xy, point[None, None, :], segs[None, :])
            j = int(np.argmin(dd[0]))
            if dd[0, j] < dist[located[row]]:
                seg[located[row]] = segs[j]
                t[located[row]] = t2[0, j]
                dist[located[row]] = dd[0, j]
        far = dist > max_snap_m
        seg[far] = -1
        dist[far] = np.inf
        ok = seg >= 0
        s = self.streets.seg_xy[seg[ok]]
        where[ok] = s[:, :2] + t[ok, None] * (s[:, 2:] - s[:, :2])
        return seg, t, dist, where


def split_edges(
    graph: sparse.csr_array,
    node_xy: np.ndarray,
    streets: Streets,
    seg: np.ndarray,
    t: np.ndarray,
    where: np.ndarray,
) -> tuple[sparse.csr_array, np.ndarray]:
    """The graph with one extra node per snapped point (``seg >= 0``), splitting its edge.

    The extra nodes are numbered ``n, n + 1, ...`` in the order of the snapped points; their
    coordinates are the snapped positions.
    """
    n = graph.shape[0]
    rows = np.flatnonzero(seg >= 0)
    node = n + np.arange(len(rows))
    edge = streets.seg_edge[seg[rows]]
    along = streets.seg_start[seg[rows]] + t[rows] * streets.seg_cost[seg[rows]]
    order = np.lexsort((along, edge))
    edge, along, node = edge[order], along[order], node[order]
    first = np.ones(len(edge), dtype=bool)
    first[1:] = edge[1:] != edge[:-1]
    last = np.ones(len(edge), dtype=bool)
    last[:-1] = edge[1:] != edge[:-1]
    inner = ~last
    a = np.concatenate([streets.edge_u[edge[first]], node[inner], node[last]])
    b = np.concatenate([node[first], node[1:][inner[:-1]], streets.edge_v[edge[last]]])
    cost = np.concatenate(
        [
            along[first],
            along[1:][inner[:-1]] - along[:-1][inner[:-1]],
            streets.edge_cost[edge[last]] - along[last],
        ]
    )
    cost = np.maximum(cost, 0.0)  # scipy's csgraph keeps explicit zeros as edges
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    weight = np.concatenate([cost, cost])
    pick = np.lexsort((weight, dst, src))
    src, dst, weight = src[pick], dst[pick], weight[pick]
    keep = np.ones(len(src), dtype=bool)
    keep[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
    base = graph.tocoo()
    size = n + len(rows)
    grown = sparse.csr_array(
        (
            np.concatenate([base.data, weight[keep]]),
            (np.concatenate([base.row, src[keep]]), np.concatenate([base.col, dst[keep]])),
        ),
        shape=(size, size),
    )
    return grown, np.vstack([node_xy, where[rows]])


def _distance(
    seg_xy: np.ndarray, point: np.ndarray, seg: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distance from ``point`` (…, 1, 2) to segments ``seg`` (…, k), and the position 0..1."""
    s = seg_xy[seg]
    a = s[..., :2]
    ab = s[..., 2:] - a
    squared = (ab**2).sum(axis=-1)
    t = np.where(
        squared > 0,
        ((point - a) * ab).sum(axis=-1) / np.where(squared > 0, squared, 1.0),
        0.0,
    )
    t = np.clip(t, 0.0, 1.0)
    gap = point - (a + t[..., None] * ab)
    return np.hypot(gap[..., 0], gap[..., 1]), t
