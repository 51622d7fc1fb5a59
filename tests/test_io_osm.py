"""Reading walkable ways from OSM XML, PBF (pyosmium) and Overpass JSON; the tag rules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geo.analysis.network import network_from_ways
from geo.errors import DataError
from geo.io.osm import ferry_minutes, walk_rule, ways_from_file, ways_from_overpass
from tests.osm_town import overpass_answer, town_ways, write_overpass, write_pbf, write_xml


@pytest.mark.parametrize(
    ("tags", "rule"),
    [
        ({"highway": "footway"}, "lopen"),
        ({"highway": "steps"}, "lopen"),
        ({"highway": "pedestrian"}, "lopen"),
        ({"highway": "residential"}, "lopen"),
        ({"highway": "living_street"}, "lopen"),
        ({"highway": "service"}, "lopen"),
        ({"highway": "track"}, "lopen"),
        ({"highway": "cycleway"}, "lopen"),
        ({"highway": "cycleway", "foot": "no"}, "voetgangers verboden"),
        ({"highway": "footway", "foot": "no"}, "voetgangers verboden"),
        ({"highway": "service", "access": "private"}, "geen toegang"),
        ({"highway": "service", "access": "no"}, "geen toegang"),
        ({"highway": "service", "access": "private", "foot": "yes"}, "lopen"),
        ({"highway": "path", "access": "no", "foot": "designated"}, "lopen"),
        ({"highway": "motorway"}, "autosnelweg"),
        ({"highway": "motorway_link"}, "autosnelweg"),
        ({"highway": "trunk"}, "autosnelweg"),
        ({"highway": "trunk", "foot": "yes"}, "lopen"),
        ({"highway": "bridleway"}, "fietspad/ruiterpad"),
        ({"highway": "construction"}, "geen looproute"),
        ({"highway": "proposed"}, "geen looproute"),
        ({"railway": "rail"}, "geen weg"),
        ({"route": "ferry"}, "veer zonder duur"),
        ({"route": "ferry", "duration": "PT10M"}, "veer"),
        ({"route": "ferry", "duration": "00:10", "foot": "no"}, "voetgangers verboden"),
    ],
)
def test_walk_rule(tags, rule):
    assert walk_rule(tags) == rule


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("PT15M", 15.0),
        ("PT1H", 60.0),
        ("PT1H30M", 90.0),
        ("PT90S", 1.5),
        ("0:20", 20.0),
        ("01:05:30", 65.5),
        ("12", 12.0),
        ("", None),
        ("kwartier", None),
        (None, None),
    ],
)
def test_ferry_minutes(text, minutes):
    assert ferry_minutes(text) == minutes


def _line(y, x0, x1, step=100.0):
    return [(float(x), float(y)) for x in np.arange(x0, x1 + step / 2, step)]


def _ferry_ways(duration):
    ferry = {"route": "ferry", "foot": "yes"}
    if duration is not None:
        ferry["duration"] = duration
    return [
        ({"highway": "residential"}, _line(0, 0, 500)),
        (ferry, [(500.0, 0.0), (900.0, 0.0)]),
        ({"highway": "residential"}, _line(0, 900, 1400)),
    ]


@pytest.mark.parametrize("write", [write_xml, write_pbf, write_overpass])
def test_ferry_costs_its_stated_time(tmp_path, write):
    from tests.osm_town import points

    path = write(
        tmp_path
        / ("veer" + {write_xml: ".osm", write_pbf: ".osm.pbf", write_overpass: ".json"}[write]),
        _ferry_ways("PT5M"),
    )
    net = network_from_ways(ways_from_file(path, ferry_speed_kmh=3.6))
    # 500 m street + 5 minutes at 3.6 km/h (= 300 m) + 500 m street
    d, s, m = net.pairs(points((0, 0)), points((1400, 0)), np.array([2000.0]), max_snap_m=5)
    assert m.tolist() == pytest.approx([1300.0], abs=0.05)
    # at 4.8 km/h the same 5 minutes count for 400 m
    net = network_from_ways(ways_from_file(path, ferry_speed_kmh=4.8))
    d, s, m = net.pairs(points((0, 0)), points((1400, 0)), np.array([2000.0]), max_snap_m=5)
    assert m.tolist() == pytest.approx([1400.0], abs=0.05)


def test_ferry_without_time_is_left_out(tmp_path):
    from tests.osm_town import points

    path = write_xml(tmp_path / "veer.osm", _ferry_ways(None))
    ways = ways_from_file(path)
    assert ways.counts == {"lopen": 2, "veer zonder duur": 1}
    net = network_from_ways(ways)
    d, _s, _m = net.pairs(points((0, 0)), points((1400, 0)), np.array([5000.0]), max_snap_m=5)
    assert len(d) == 0


def test_the_three_formats_give_the_same_ways(tmp_path):
    ways = town_ways()
    read = [
        ways_from_file(write_xml(tmp_path / "stad.osm", ways)),
        ways_from_file(write_pbf(tmp_path / "stad.osm.pbf", ways)),
        ways_from_file(write_overpass(tmp_path / "stad.json", ways)),
        ways_from_file(write_overpass(tmp_path / "body.json", ways, geom=False)),
    ]
    first = read[0]
    # kept: every street piece, the tunnel and the bridge (steps, footway, steps)
    assert first.counts == {
        "lopen": first.n_ways,
        "autosnelweg": 1,
        "geen toegang": 1,
        "voetgangers verboden": 1,
        "veer zonder duur": 1,
    }
    for other in read[1:]:
        assert other.n_ways == first.n_ways
        np.testing.assert_array_equal(other.node_id, first.node_id)
        np.testing.assert_allclose(other.xy, first.xy, atol=1e-6)
    # coordinates are RD New metres: the town's south-west corner is RD (136000, 455000)
    assert first.xy.min(axis=0) == pytest.approx([136_000.0, 455_000.0], abs=0.02)


def test_way_is_cut_where_a_node_lies_outside_the_extract(tmp_path):
    answer = overpass_answer([({"highway": "footway"}, _line(0, 0, 400))], geom=False)
    # drop the middle node (200, 0): the extract ends there
    answer["elements"] = [
        e for e in answer["elements"] if not (e["type"] == "node" and e["id"] == 3)
    ]
    ways = ways_from_overpass(answer)
    assert ways.n_ways == 2
    assert np.diff(ways.way_start).tolist() == [2, 2]


def test_overpass_geom_with_null_vertices():
    answer = overpass_answer([({"highway": "path"}, _line(0, 0, 300))])
    answer["elements"][0]["geometry"][1] = None  # out geom(bbox) leaves vertices outside null
    ways = ways_from_overpass(answer)
    assert np.diff(ways.way_start).tolist() == [2]  # the piece of one vertex is dropped


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("kapot.osm.pbf", b"dit is geen pbf", "OpenStreetMap-extract"),
        ("kapot.osm", b"<osm><way id='1'", "OpenStreetMap-extract"),
        ("kapot.json", b"{niet json", "Overpass-JSON"),
        ("leeg.json", json.dumps({"remark": "x"}).encode(), "'elements'"),
        (
            "geen-wegen.json",
            json.dumps(
                {
                    "elements": [
                        {"type": "way", "id": 1, "nodes": [1, 2], "tags": {"building": "yes"}}
                    ]
                }
            ).encode(),
            "geen wegen of paden",
        ),
        ("stad.shp", b"", "onbekend netwerkbestand"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        ways_from_file(path)
    assert words in str(info.value)
    assert name in str(info.value)
