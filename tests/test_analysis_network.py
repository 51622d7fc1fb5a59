"""The walking network: reach over generated OSM towns, equality with networkx, snapping."""

from __future__ import annotations

import numpy as np
import pytest

from geo.analysis.network import (
    NETWORK_DIR,
    network_from_edges,
    network_from_file,
    network_from_folder,
)
from geo.analysis.reach import straight_pairs
from tests.osm_town import points, town_ways, write_overpass, write_pbf, write_xml

WRITERS = {
    "xml": ("stad.osm", write_xml),
    "pbf": ("stad.osm.pbf", write_pbf),
    "json": ("stad.json", write_overpass),
}


@pytest.fixture(params=sorted(WRITERS))
def town(request, tmp_path):
    name, write = WRITERS[request.param]
    folder = tmp_path / "data" / NETWORK_DIR
    folder.mkdir(parents=True)
    path = write(folder / name, town_ways())
    return network_from_file(path, cache_dir=tmp_path / "cache")


def test_canal_separates_what_the_straight_line_joins(town):
    home = points((1000, 1000))  # west bank
    club = points((1250, 1000))  # east bank, 250 m away in a straight line
    catchment = np.array([800.0])
    d, s, m = town.pairs(home, club, catchment, max_snap_m=50)
    assert len(d) == 0  # not reachable: 2250 m over the bridge
    sd, ss, sm = straight_pairs(home, club, catchment, detour_factor=1.3)
    assert sd.tolist() == [0] and ss.tolist() == [0]
    assert sm[0] == pytest.approx(325.0, abs=0.1)
    # with a catchment of 2.5 km it is reachable, over the bridge: 1000 + 250 + 1000 m
    d, s, m = town.pairs(home, club, np.array([2500.0]), max_snap_m=50)
    assert d.tolist() == [0] and m[0] == pytest.approx(2250.0, abs=0.5)


def test_points_between_junctions_walk_along_their_street(town):
    # halfway between junctions on the streets along both banks: 950 + 250 + 950 m
    d, _s, m = town.pairs(
        points((1000, 1050)), points((1250, 1050)), np.array([2500.0]), max_snap_m=50
    )
    assert m.tolist() == pytest.approx([2150.0], abs=0.5)
    # a house at (970, 1975): 25 m to the street y = 2000, 30 m to the bridge, 250 m over it,
    # 25 m down the east bank street
    d, _s, m = town.pairs(
        points((970, 1975)), points((1250, 1975)), np.array([800.0]), max_snap_m=50
    )
    assert m.tolist() == pytest.approx([25 + 30 + 250 + 25], abs=0.5)


def test_missing_file_is_a_clear_message(tmp_path):
    from geo.errors import DataError

    with pytest.raises(DataError, match="bestaat niet"):
        network_from_file(tmp_path / "weg.osm.pbf", cache_dir=tmp_path / "cache")


def test_railway_is_crossed_by_the_tunnel_only(town):
    d, s, m = town.pairs(
        points((1500, 400)), points((1500, 600)), np.array([2000.0]), max_snap_m=50
    )
    assert d.tolist() == [0]
    assert m[0] == pytest.approx(750 + 200 + 750, abs=0.5)


def test_tag_rules_shape_the_graph(town):
    # 2 x 21 rows + 5 west columns (21 nodes each) ... counted from the drawn town
    assert town.source.startswith("OpenStreetMap (stad.")
    # the four forbidden crossings would each join (1000, y) and (1250, y) directly
    for y in (1000, 1100, 1200, 1300):
        d, _s, _m = town.pairs(
            points((1000, y)), points((1250, y)), np.array([1000.0]), max_snap_m=5
        )
        assert len(d) == 0, y


def test_network_from_folder(tmp_path):
    assert network_from_folder(tmp_path, cache_dir=tmp_path / "cache") is None
    (tmp_path / NETWORK_DIR).mkdir()
    write_xml(tmp_path / NETWORK_DIR / "stad.osm", town_ways())
    net = network_from_folder(tmp_path, cache_dir=tmp_path / "cache")
    assert net is not None and net.n_nodes > 0


def test_snap_cap_and_distance():
    net = network_from_edges(np.array([[0.0, 0.0], [100.0, 0.0]]), [0], [1], [100.0])
    node, dist = net.snap(np.array([[10.0, 30.0], [50.0, 300.0], [np.nan, 0.0]]), max_snap_m=250)
    assert node.tolist() == [0, -1, -1]
    assert dist[0] == pytest.approx(np.hypot(10, 30))
    assert np.isinf(dist[1:]).all()


def _random_network(seed, n=120, k=260):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 2000, (n, 2))
    u = rng.integers(0, n, k)
    v = rng.integers(0, n, k)
    # a length at least the straight line (a street is never shorter than the crow flies)
    length = np.hypot(*(xy[u] - xy[v]).T) * rng.uniform(1.0, 1.5, k)
    return xy, u, v, length


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_pairs_equal_networkx_dijkstra(seed):
    nx = pytest.importorskip("networkx")
    xy, u, v, length = _random_network(seed)
    net = network_from_edges(xy, u, v, length)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(xy)))
    for a, b, w in zip(u.tolist(), v.tolist(), length.tolist(), strict=True):
        if a != b and (not graph.has_edge(a, b) or graph[a][b]["weight"] > w):
            graph.add_edge(a, b, weight=w)
    rng = np.random.default_rng(100 + seed)
    demand = rng.uniform(0, 2000, (200, 2))
    supply = rng.uniform(0, 2000, (40, 2))
    catchment = rng.choice([400.0, 700.0, 1200.0], len(demand))
    d, s, m = net.pairs(
        demand, supply, catchment, max_snap_m=150, batch_bytes=8 * 120 * 3, snap_to="node"
    )
    d_node, d_snap = net.snap(demand, max_snap_m=150)
    s_node, s_snap = net.snap(supply, max_snap_m=150)
    expected = {}
    for i in range(len(demand)):
        if d_node[i] < 0:
            continue
        lengths = nx.single_source_dijkstra_path_length(graph, int(d_node[i]), weight="weight")
        for j in range(len(supply)):
            if s_node[j] >= 0 and int(s_node[j]) in lengths:
                total = d_snap[i] + lengths[int(s_node[j])] + s_snap[j]
                if total <= catchment[i]:
                    expected[(i, j)] = total
    assert len(expected) > 20  # the comparison is not empty
    got = {(i, j): dist for i, j, dist in zip(d.tolist(), s.tolist(), m.tolist(), strict=True)}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9)
    assert (np.diff(d) >= 0).all()  # sorted by demand point, then activity


def test_pairs_edge_cases():
    net = network_from_edges(np.array([[0.0, 0.0], [100.0, 0.0]]), [0], [1], [100.0])
    empty = net.pairs(np.empty((0, 2)), np.array([[0.0, 0.0]]), np.empty(0), max_snap_m=10)
    assert all(len(part) == 0 for part in empty)
    # a demand point off the network and one without a place get no pairs
    d, s, m = net.pairs(
        np.array([[0.0, 500.0], [np.nan, np.nan], [0.0, 0.0]]),
        np.array([[100.0, 0.0], [100.0, 3.0]]),
        np.full(3, 150.0),
        max_snap_m=10,
    )
    assert d.tolist() == [2, 2] and s.tolist() == [0, 1]
    assert m.tolist() == pytest.approx([100.0, 103.0])
    # the snap distances count against the catchment: 100 + 3 > 102
    d, s, m = net.pairs(
        np.array([[0.0, 0.0]]), np.array([[100.0, 3.0]]), np.array([102.0]), max_snap_m=10
    )
    assert len(d) == 0


def test_parallel_ways_keep_the_shortest():
    net = network_from_edges(
        np.array([[0.0, 0.0], [100.0, 0.0]]), [0, 1, 0], [1, 0, 1], [180.0, 120.0, 150.0]
    )
    assert net.graph[0, 1] == 120.0 and net.graph[1, 0] == 120.0
    assert net.n_edges == 1


def test_an_edge_shorter_than_the_crow_flies_is_not_cut_off_by_the_tiles():
    # a ferry of 3 km that costs 300 m (its minutes at walking speed) between two streets
    xy = np.array([[0.0, 0.0], [100.0, 0.0], [3100.0, 0.0], [3200.0, 0.0]])
    net = network_from_edges(xy, [0, 1, 2], [1, 2, 3], [100.0, 300.0, 100.0])
    d, s, m = net.pairs(xy[[0]], xy[[3]], np.array([600.0]), max_snap_m=10)
    assert d.tolist() == [0] and m.tolist() == pytest.approx([500.0])


def test_spread_out_activities_match_one_dijkstra_on_the_whole_graph():
    from scipy.sparse.csgraph import dijkstra

    side, spacing = 60, 50.0  # a 3 km grid; activities far apart land in different tiles
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    xy = np.column_stack([jj.ravel() * spacing, ii.ravel() * spacing])
    ids = ii * side + jj
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    rng = np.random.default_rng(9)
    length = spacing * rng.uniform(1.0, 1.3, len(u))
    net = network_from_edges(xy, u, v, length)
    supply = rng.uniform(0, 2950, (30, 2)).round(-1)
    demand = rng.uniform(0, 2950, (300, 2)).round(-1)
    d, s, m = net.pairs(demand, supply, np.full(300, 700.0), max_snap_m=40, snap_to="node")
    d_node, d_snap = net.snap(demand, max_snap_m=40)
    s_node, s_snap = net.snap(supply, max_snap_m=40)
    full = dijkstra(net.graph, indices=s_node)  # every source over the whole graph
    total = d_snap[None, :] + full[:, d_node] + s_snap[:, None]
    js, is_ = np.nonzero(total <= 700.0)
    order = np.lexsort((js, is_))
    assert d.tolist() == is_[order].tolist() and s.tolist() == js[order].tolist()
    np.testing.assert_allclose(m, total[js[order], is_[order]], atol=1e-9)
    assert len(d) > 100


def test_threads_give_the_same_pairs():
    xy, u, v, length = _random_network(11, n=400, k=1200)
    net = network_from_edges(xy, u, v, length)
    rng = np.random.default_rng(5)
    demand = rng.uniform(0, 2000, (300, 2))
    supply = rng.uniform(0, 2000, (60, 2))
    one = net.pairs(demand, supply, np.full(300, 600.0), max_snap_m=100, workers=1)
    two = net.pairs(demand, supply, np.full(300, 600.0), max_snap_m=100, workers=2)
    assert len(one[0]) > 50
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(a, b)


def _nearest_on_segments(a, b, point):
    """Brute force: distance and position 0..1 of ``point`` to every segment a[i]-b[i]."""
    ab = b - a
    t = np.clip(((point - a) * ab).sum(axis=1) / (ab**2).sum(axis=1), 0, 1)
    return np.hypot(*(point - (a + t[:, None] * ab)).T), t


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_street_snapping_equals_networkx_on_split_edges(seed):
    nx = pytest.importorskip("networkx")
    xy, u, v, length = _random_network(seed, n=80, k=160)
    net = network_from_edges(xy, u, v, length)
    upper = [(a, b, w) for (a, b), w in net.graph.todok().items() if a < b]
    a_xy = np.array([xy[a] for a, _b, _w in upper])
    b_xy = np.array([xy[b] for _a, b, _w in upper])
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 2000, (70, 2))
    supply = rng.uniform(0, 2000, (20, 2))
    catchment = np.full(len(demand), 900.0)
    graph = nx.Graph()
    graph.add_weighted_edges_from(upper)
    snapped = {}  # point -> (virtual node, snap distance)
    on_edge: dict[int, list[tuple[float, object]]] = {}
    for kind, places in (("d", demand), ("s", supply)):
        for i, point in enumerate(places):
            dist, t = _nearest_on_segments(a_xy, b_xy, point)
            e = int(np.argmin(dist))
            if dist[e] <= 120:
                snapped[(kind, i)] = ((kind, i), float(dist[e]))
                on_edge.setdefault(e, []).append((float(t[e]) * upper[e][2], (kind, i)))
    for e, members in on_edge.items():
        a, b, w = upper[e]
        chain = [(0.0, a), *sorted(members, key=lambda m: m[0]), (w, b)]
        for (pos0, n0), (pos1, n1) in zip(chain[:-1], chain[1:], strict=True):
            graph.add_edge(n0, n1, weight=pos1 - pos0)
    expected = {}
    for i in range(len(demand)):
        if ("d", i) not in snapped:
            continue
        lengths = nx.single_source_dijkstra_path_length(graph, ("d", i), weight="weight")
        for j in range(len(supply)):
            if ("s", j) in snapped and ("s", j) in lengths:
                total = snapped[("d", i)][1] + lengths[("s", j)] + snapped[("s", j)][1]
                if total <= catchment[i]:
                    expected[(i, j)] = total
    d, s, m = net.pairs(demand, supply, catchment, max_snap_m=120)
    got = {(i, j): dist for i, j, dist in zip(d.tolist(), s.tolist(), m.tolist(), strict=True)}
    assert len(expected) > 10
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9)


def test_two_points_on_one_street_reach_each_other_along_it():
    # one 1 km street between two junctions: node snapping would send both to an end
    net = network_from_edges(np.array([[0.0, 0.0], [1000.0, 0.0]]), [0], [1], [1000.0])
    d, s, m = net.pairs(
        np.array([[450.0, 10.0]]), np.array([[550.0, -20.0]]), np.array([300.0]), max_snap_m=50
    )
    assert m.tolist() == pytest.approx([10 + 100 + 20])
    assert (
        len(
            net.pairs(
                np.array([[450.0, 10.0]]),
                np.array([[550.0, -20.0]]),
                np.array([300.0]),
                max_snap_m=50,
                snap_to="node",
            )[0]
        )
        == 0
    )
    where, dist = net.snap_to_street(np.array([[450.0, 10.0], [450.0, 80.0]]), max_snap_m=50)
    assert where[0].tolist() == [450.0, 0.0] and dist[0] == 10.0
    assert np.isnan(where[1]).all() and np.isinf(dist[1])


def test_points_snap_onto_the_shape_of_a_way(tmp_path):
    # one footway bending at (0, 300): junctions only at its ends
    ways = [
        ({"highway": "footway"}, [(0.0, 0.0), (0.0, 300.0), (400.0, 300.0)]),
        ({"route": "ferry", "duration": "PT2M"}, [(400.0, 300.0), (400.0, 900.0)]),
        ({"highway": "footway"}, [(400.0, 900.0), (600.0, 900.0)]),
    ]
    path = write_pbf(tmp_path / "bocht.osm.pbf", ways)
    for _run in range(2):  # built, then from the cache with the shapes
        net = network_from_file(path, cache_dir=tmp_path / "cache")
        assert net.n_nodes == 4
        d, s, m = net.pairs(
            points((200, 310)), points((0, 0), (600, 900)), np.array([1000.0]), max_snap_m=50
        )
        # 10 m to the way, 200 m back to the bend, 300 m down; the ferry (2 min at 3.6 km/h
        # = 120 m) and 200 m to the other activity
        assert s.tolist() == [0, 1]
        assert m.tolist() == pytest.approx([10 + 200 + 300, 10 + 200 + 120 + 200], abs=0.05)
        # nobody is snapped onto the ferry in mid-river
        where, dist = net.snap_to_street(points((420, 600)), max_snap_m=250)
        assert np.isinf(dist[0])
