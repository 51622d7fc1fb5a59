"""The walking network: a scipy CSR graph in metres, snapping, bounded multi-source paths.

Nodes are the OSM nodes where ways meet or end; an edge is the stretch of a way between two
such nodes, with its real length along the way's vertices (EPSG:28992). Parallel edges keep
the shortest. The graph is built once per extract and cached outside the data folder
(:mod:`geo.analysis._network_cache`, keyed by the file's content hash and
:data:`FORMAT_VERSION`).

:meth:`WalkNetwork.pairs` answers the same question as
:func:`geo.analysis.reach.straight_pairs`: which (demand, supply) pairs lie within the demand
point's catchment, now over the streets. Both ends are snapped onto the nearest point of the
nearest street (:mod:`geo.analysis._network_snap`, which splits the edge there); the distance
is both snap distances plus the shortest path, from ``scipy.sparse.csgraph.dijkstra`` run
from the activities with ``limit=``, tile by tile and in batches so that the dense distance
rows stay within a memory budget (:mod:`geo.analysis._network_paths`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from geo.analysis import _network_cache, _network_paths, _network_snap
from geo.analysis._network_snap import Streets
from geo.errors import DataError
from geo.io.osm import (
    DEFAULT_FERRY_SPEED_KMH,
    JSON_SUFFIXES,
    PBF_SUFFIXES,
    XML_SUFFIXES,
    WalkWays,
    ways_from_file,
)

logger = logging.getLogger(__name__)

NETWORK_DIR = "netwerk"
"""The folder of a dataset that holds the OSM extract."""

FORMAT_VERSION = _network_cache.FORMAT_VERSION

MIN_EDGE_M = 0.01
"""Edges between distinct nodes at the same position cost this much: positive, so that the
edge survives anything that drops explicit zeros from a sparse matrix."""

BATCH_BYTES = 64 * 2**20
"""Memory budget of one Dijkstra batch (the dense rows ``sources × nodes`` of float64)."""


MAX_WORKERS = 4
"""Most threads one :meth:`WalkNetwork.pairs` call uses (a server serves several users)."""


@dataclass(frozen=True, eq=False)
class WalkNetwork:
    """Walking network in EPSG:28992: CSR adjacency of edge lengths in metres.

    Immutable; compared and hashed by identity (the arrays are large), so it can be cached
    (``st.cache_resource``) and shared between users of one server.

    Attributes
    ----------
    graph
        ``(n, n)`` edge lengths in metres; symmetric (walking has no one-way streets).
    node_xy
        ``(n, 2)`` RD New coordinates of the nodes (m).
    source
        Where it comes from, e.g. ``"OpenStreetMap (utrecht.osm.pbf, sha256 ab12…)"``.
    streets
        The shape of the edges (for snapping onto streets); None: straight edges.
    """

    graph: sparse.csr_array
    node_xy: np.ndarray
    source: str
    streets: Streets | None = field(default=None, repr=False, compare=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_xy.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return int(self.graph.nnz // 2)

    def snap(self, xy: np.ndarray, *, max_snap_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node per point and the snap distance (m); -1 / inf beyond max_snap_m or NaN xy.

        Examples
        --------
        >>> net = network_from_edges(np.array([[0.0, 0.0], [100.0, 0.0]]), [0], [1], [100.0])
        >>> node, dist = net.snap(np.array([[90.0, 5.0], [50.0, 400.0]]), max_snap_m=250)
        >>> node.tolist(), dist.round(2).tolist()
        ([1, -1], [11.18, inf])
        """
        points = np.asarray(xy, dtype=float).reshape(-1, 2)
        node = np.full(len(points), -1, dtype=np.int64)
        dist = np.full(len(points), np.inf)
        located = np.isfinite(points).all(axis=1)
        if self.n_nodes == 0 or not located.any():
            return node, dist
        found_d, found_i = self._tree().query(
            points[located], distance_upper_bound=max_snap_m, workers=-1
        )
        ok = np.isfinite(found_d)
        rows = np.flatnonzero(located)
        node[rows[ok]] = found_i[ok]
        dist[rows[ok]] = found_d[ok]
        return node, dist

    def pairs(
        self,
        demand_xy: np.ndarray,
        supply_xy: np.ndarray,
        catchment: np.ndarray,
        *,
        max_snap_m: float,
        batch_bytes: int = BATCH_BYTES,
        workers: int = 1,
        snap_to: str = "street",
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(demand index, supply index, distance m) with distance <= catchment[demand index].

        The distance is the snap distance of the demand point + the shortest path between the
        two snapped places + the snap distance of the activity. By default a point is snapped
        to the nearest point of the nearest street (its edge is split there, so two points on
        one street reach each other along it); ``snap_to="node"`` snaps to the nearest
        junction instead (as :meth:`snap`). Same contract as
        :func:`geo.analysis.reach.straight_pairs`: sorted by demand, then supply index; points
        that cannot be snapped get no pairs.

        Parameters
        ----------
        demand_xy, supply_xy
            RD New coordinates, shape (n, 2); NaN for an unknown place.
        catchment
            Per demand point, the largest distance counted (m).
        max_snap_m
            Points farther than this from the network are not on it.
        batch_bytes
            Memory budget of one batch of Dijkstra rows (per worker).
        workers
            Threads for the shortest paths (scipy's Dijkstra releases the GIL); default 1.
            On the shared 2-core development machine 2 threads were not faster (see
            ``benchmarks/RESULTS.md``); on a dedicated multi-core server they can be.
        snap_to
            ``"street"`` (default) or ``"node"``.

        Examples
        --------
        >>> net = network_from_edges(np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 100.0]]),
        ...                          [0, 1], [1, 2], [100.0, 100.0])
        >>> d, s, m = net.pairs(np.array([[0.0, 0.0]]), np.array([[100.0, 110.0]]),
        ...                     np.array([250.0]), max_snap_m=50)
        >>> d.tolist(), s.tolist(), m.tolist()
        ([0], [0], [210.0])
        >>> net.pairs(np.array([[30.0, 5.0]]), np.array([[60.0, -5.0]]), np.array([250.0]),
        ...           max_snap_m=50)[2].tolist()  # 5 + 30 along the street + 5
        [40.0]
        """
        demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
        supply_xy = np.asarray(supply_xy, dtype=float).reshape(-1, 2)
        catchment = np.broadcast_to(np.asarray(catchment, dtype=float), (len(demand_xy),))
        threads = min(max(workers, 1), MAX_WORKERS)
        if snap_to == "node":
            d_node, d_snap = self.snap(demand_xy, max_snap_m=max_snap_m)
            s_node, s_snap = self.snap(supply_xy, max_snap_m=max_snap_m)
            graph, node_xy = self.graph, self.node_xy
        elif snap_to == "street":
            index = self._snap_index()
            seg, t, dist, where = index.nearest(np.vstack([demand_xy, supply_xy]), max_snap_m)
            graph, node_xy = _network_snap.split_edges(
                self.graph, self.node_xy, index.streets, seg, t, where
            )
            virtual = np.full(len(seg), -1, dtype=np.int64)
            virtual[seg >= 0] = self.n_nodes + np.arange(int((seg >= 0).sum()))
            d_node, s_node = virtual[: len(demand_xy)], virtual[len(demand_xy) :]
            d_snap, s_snap = dist[: len(demand_xy)], dist[len(demand_xy) :]
        else:
            raise ValueError(f"snap_to moet 'street' of 'node' zijn, niet {snap_to!r}")
        return _network_paths.point_pairs(
            graph,
            node_xy,
            (d_node, d_snap, catchment),
            (s_node, s_snap),
            ratio=self._stretch(),
            batch_bytes=batch_bytes,
            workers=threads,
        )

    def snap_to_street(self, xy: np.ndarray, *, max_snap_m: float) -> tuple[np.ndarray, np.ndarray]:
        """The nearest point on any street per point, and the distance to it (m).

        NaN / inf beyond ``max_snap_m`` or for NaN input.

        Examples
        --------
        >>> net = network_from_edges(np.array([[0.0, 0.0], [100.0, 0.0]]), [0], [1], [100.0])
        >>> where, dist = net.snap_to_street(np.array([[40.0, 12.0]]), max_snap_m=50)
        >>> where.tolist(), dist.tolist()
        ([[40.0, 0.0]], [12.0])
        """
        points = np.asarray(xy, dtype=float).reshape(-1, 2)
        _seg, _t, dist, where = self._snap_index().nearest(points, max_snap_m)
        return where, dist

    def _streets(self) -> Streets:
        if self.streets is not None:
            return self.streets
        upper = sparse.triu(self.graph, k=1).tocoo()
        return _network_snap.streets_from_edges(self.node_xy, upper.row, upper.col, upper.data)

    def _snap_index(self) -> _network_snap.SnapIndex:
        index = self.__dict__.get("_street_index")
        if index is None:
            index = _network_snap.SnapIndex(self._streets())
            object.__setattr__(self, "_street_index", index)
        return index

    def _stretch(self) -> float:
        value = self.__dict__.get("_stretch_ratio")
        if value is None:
            value = _network_snap.stretch(self._snap_index().streets)
            object.__setattr__(self, "_stretch_ratio", value)
        return float(value)

    def _tree(self) -> cKDTree:
        tree = self.__dict__.get("_kdtree")
        if tree is None:
            tree = cKDTree(self.node_xy)
            object.__setattr__(self, "_kdtree", tree)
        return tree


def network_from_edges(
    node_xy: np.ndarray,
    u: np.ndarray | list[int],
    v: np.ndarray | list[int],
    length: np.ndarray | list[float],
    *,
    source: str = "",
    streets: Streets | None = None,
) -> WalkNetwork:
    """A network from undirected edges ``u[i] — v[i]`` of ``length[i]`` metres.

    Parallel edges keep the shortest; self-loops are dropped. ``streets`` gives the edges'
    shapes; without it they are straight lines.

    Examples
    --------
    >>> net = network_from_edges(np.zeros((2, 2)), [0, 1], [1, 0], [5.0, 3.0])
    >>> net.graph.toarray().tolist()
    [[0.0, 3.0], [3.0, 0.0]]
    """
    node_xy = np.asarray(node_xy, dtype=float).reshape(-1, 2)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    length = np.maximum(np.asarray(length, dtype=float), MIN_EDGE_M)
    keep = u != v
    u, v, length = u[keep], v[keep], length[keep]
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    weight = np.concatenate([length, length])
    order = np.lexsort((weight, cols, rows))
    rows, cols, weight = rows[order], cols[order], weight[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    n = len(node_xy)
    graph = sparse.csr_array((weight[first], (rows[first], cols[first])), shape=(n, n))
    graph.sort_indices()
    return WalkNetwork(graph=graph, node_xy=node_xy, source=source, streets=streets)


def network_from_ways(ways: WalkWays, *, source: str = "") -> WalkNetwork:
    """The junction graph of walkable ways: nodes where ways meet or end, real edge lengths.

    Examples
    --------
    >>> from geo.io.osm import WalkWays
    >>> ways = WalkWays(node_id=np.array([1, 2, 3, 2, 4]),
    ...                 xy=np.array([[0, 0], [3, 0], [3, 4], [3, 0], [6, 0.0]]),
    ...                 way_start=np.array([0, 3, 5]), fixed_cost=np.array([np.nan, np.nan]),
    ...                 counts={})
    >>> net = network_from_ways(ways)
    >>> net.n_nodes, net.n_edges, sorted(net.graph.data.tolist())
    (4, 3, [3.0, 3.0, 3.0, 3.0, 4.0, 4.0])
    """
    ids = ways.node_id
    m = len(ids)
    if m == 0:
        return network_from_edges(np.empty((0, 2)), [], [], [], source=source)
    way_of = np.repeat(np.arange(ways.n_ways), np.diff(ways.way_start))
    first = np.zeros(m, dtype=bool)
    first[ways.way_start[:-1]] = True
    last = np.zeros(m, dtype=bool)
    last[ways.way_start[1:] - 1] = True
    unique_ids, inverse, count = np.unique(ids, return_inverse=True, return_counts=True)
    is_node = (count[inverse] >= 2) | first | last
    # length along the way up to every vertex
    step = np.zeros(m)
    step[1:] = np.hypot(*(ways.xy[1:] - ways.xy[:-1]).T)
    step[first] = 0.0
    along = np.cumsum(step)
    kept = np.flatnonzero(is_node)
    same_way = way_of[kept[1:]] == way_of[kept[:-1]]
    a, b = kept[:-1][same_way], kept[1:][same_way]
    geometry = along[b] - along[a]
    length = geometry.copy()
    fixed = ways.fixed_cost[way_of[a]]
    ferry = np.isfinite(fixed)
    if ferry.any():  # a ferry costs its stated time, spread over its stretches
        way_length = along[ways.way_start[1:] - 1] - along[ways.way_start[:-1]]
        share = length[ferry] / np.maximum(way_length[way_of[a[ferry]]], MIN_EDGE_M)
        length[ferry] = fixed[ferry] * share
    # the shape of every edge: its segments, with the cost from the edge's start
    scale = np.where(geometry > 0, length / np.where(geometry > 0, geometry, 1.0), 1.0)
    seg = np.flatnonzero(~last)
    k = np.cumsum(is_node)[seg] - 1  # the edge starts at the last graph node at or before
    seg_edge = (np.cumsum(same_way) - 1)[k]
    # compact node numbering: only ids that are graph nodes
    node_ids, node_index = np.unique(inverse[kept], return_inverse=True)
    position = np.empty(len(unique_ids), dtype=np.int64)
    position[node_ids] = np.arange(len(node_ids))
    xy = np.empty((len(node_ids), 2))
    xy[node_index] = ways.xy[kept]
    u = position[inverse[a]]
    v = position[inverse[b]]
    streets = Streets(
        edge_u=u,
        edge_v=v,
        edge_cost=length,
        seg_xy=np.column_stack([ways.xy[seg], ways.xy[seg + 1]]),
        seg_edge=seg_edge,
        seg_start=(along[seg] - along[kept[k]]) * scale[seg_edge],
        seg_cost=step[seg + 1] * scale[seg_edge],
        seg_snappable=~ferry[seg_edge],
    )
    network = network_from_edges(xy, u, v, length, source=source, streets=streets)
    logger.info(
        "loopnetwerk: %d knopen, %d verbindingen uit %d wegen",
        network.n_nodes,
        network.n_edges,
        ways.n_ways,
    )
    return network


def network_from_file(
    path: str | Path,
    *,
    cache_dir: Path | None = None,
    ferry_speed_kmh: float = DEFAULT_FERRY_SPEED_KMH,
) -> WalkNetwork:
    """The walking network of an OSM extract, from the cache when it was built before.

    Parameters
    ----------
    path
        ``.osm.pbf``, ``.osm`` (OSM XML) or Overpass ``.json``.
    cache_dir
        Where built graphs are kept; default :func:`default_cache_dir` (never the data
        folder). A corrupt cache file is a warning and a rebuild.
    ferry_speed_kmh
        Speed at which a ferry's stated minutes become metres.

    Returns
    -------
    WalkNetwork

    Raises
    ------
    DataError
        When the file is not a readable OSM extract or holds no walkable way.

    Examples
    --------
    >>> net = network_from_file("data/utrecht/netwerk/utrecht.osm.pbf")  # doctest: +SKIP
    >>> net.source  # doctest: +SKIP
    'OpenStreetMap (utrecht.osm.pbf, sha256 3f2a91c0…)'
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            "het netwerkbestand bestaat niet.",
            file=path,
            hint="zet een .osm.pbf-, .osm- of Overpass-.json-extract in netwerk/ of haal het op "
            "met 'wijkkompas fetch'.",
        )
    digest = _network_cache.file_digest(path)
    key = _network_cache.cache_key(digest, ferry_speed_kmh)
    folder = default_cache_dir() if cache_dir is None else Path(cache_dir)
    cached = _network_cache.load(folder, key)
    source = f"OpenStreetMap ({path.name}, sha256 {digest[:8]}…)"
    if cached is not None:
        graph, node_xy, extra = cached
        logger.info("loopnetwerk uit de cache: %s (%d knopen)", path.name, len(node_xy))
        try:
            streets = Streets.from_arrays(extra)
        except KeyError:  # an older cache without the street shapes: straight edges
            streets = None
        return WalkNetwork(graph=graph, node_xy=node_xy, source=source, streets=streets)
    ways = ways_from_file(path, ferry_speed_kmh=ferry_speed_kmh)
    network = network_from_ways(ways, source=source)
    _network_cache.store(folder, key, network.graph, network.node_xy, network._streets().arrays())
    return network


def network_from_folder(
    data_dir: str | Path,
    *,
    cache_dir: Path | None = None,
    ferry_speed_kmh: float = DEFAULT_FERRY_SPEED_KMH,
) -> WalkNetwork | None:
    """The network in data_dir/netwerk/ (first .osm.pbf, .osm or Overpass .json), or None."""
    path = network_file(data_dir)
    if path is None:
        return None
    return network_from_file(path, cache_dir=cache_dir, ferry_speed_kmh=ferry_speed_kmh)


def network_file(data_dir: str | Path) -> Path | None:
    """The extract :func:`network_from_folder` reads: PBF before XML before JSON, by name."""
    folder = Path(data_dir) / NETWORK_DIR
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for suffixes in (PBF_SUFFIXES, XML_SUFFIXES, JSON_SUFFIXES):
        for candidate in files:
            if candidate.name.lower().endswith(suffixes):
                return candidate
    return None


def default_cache_dir() -> Path:
    """The folder of cached graphs: ``netwerk/`` in the user cache.

    ``WIJKKOMPAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/wijkkompas``, else
    ``~/.cache/wijkkompas``; never inside a data folder.
    """
    return _network_cache.default_cache_dir()


__all__ = [
    "FORMAT_VERSION",
    "NETWORK_DIR",
    "WalkNetwork",
    "default_cache_dir",
    "network_file",
    "network_from_edges",
    "network_from_file",
    "network_from_folder",
    "network_from_ways",
]
