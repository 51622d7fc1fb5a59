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
