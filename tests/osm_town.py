"""Generated OSM extracts of a small town in the real formats (OSM XML, PBF, Overpass JSON).

The town (local metres, placed at RD (136000, 455000) in Utrecht):

- a canal runs north-south between x = 1000 and x = 1250; the only crossing a pedestrian may
  use is a bridge at y = 2000 (steps up, a footway, steps down);
- a motorway (y = 1000), a private service road (y = 1100), a cycleway with ``foot=no``
  (y = 1200) and a ferry without a stated time (y = 1300) also cross the canal — none may be
  walked;
- west of the canal: streets every 100 m east-west (x 0..1000, y 0..2000) and every 250 m
  north-south;
- east of the canal (x 1250..2250) the same, but a railway runs east-west at y = 500: the
  north-south streets stop at y = 400 and y = 600, except at x = 2250 where a footway tunnel
  passes under the railway.

So (1000, 1000) -> (1250, 1000) is 250 m in a straight line but 1000 + 250 + 1000 = 2250 m
over the bridge; (1500, 400) -> (1500, 600) is 200 m straight, 750 + 200 + 750 = 1700 m by
the tunnel.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pyproj import Transformer

ORIGIN = (136_000.0, 455_000.0)
_TO_WGS = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)

Way = tuple[dict[str, str], list[tuple[float, float]]]


def rd(x: float, y: float) -> tuple[float, float]:
    """Local town metres -> RD New."""
    return ORIGIN[0] + x, ORIGIN[1] + y


def town_ways() -> list[Way]:
    ways: list[Way] = []
    street = {"highway": "residential"}
    for x0 in (0.0, 1250.0):
        for y in range(0, 2001, 100):
            if x0 > 0 and y == 500:
                continue
            ways.append((dict(street), [(x0 + x, float(y)) for x in range(0, 1001, 250)]))
        for x in range(0, 1001, 250):
            if x0 == 0:
                ways.append((dict(street), [(float(x), float(y)) for y in range(0, 2001, 100)]))
            elif x < 1000:
                ways.append((dict(street), [(x0 + x, float(y)) for y in range(0, 401, 100)]))
                ways.append((dict(street), [(x0 + x, float(y)) for y in range(600, 2001, 100)]))
    east = 2250.0
    ways.append((dict(street), [(east, float(y)) for y in range(0, 401, 100)]))
    ways.append(
        ({"highway": "footway", "tunnel": "yes", "layer": "-1"}, [(east, 400.0), (east, 600.0)])
    )
    ways.append((dict(street), [(east, float(y)) for y in range(600, 2001, 100)]))
    # the bridge: steps, a footway, steps
    ways.append(({"highway": "steps"}, [(1000.0, 2000.0), (1020.0, 2000.0)]))
    ways.append(({"highway": "footway", "bridge": "yes"}, [(1020.0, 2000.0), (1230.0, 2000.0)]))
    ways.append(({"highway": "steps"}, [(1230.0, 2000.0), (1250.0, 2000.0)]))
    # crossings nobody may walk
    ways.append(({"highway": "motorway", "bridge": "yes"}, [(1000.0, 1000.0), (1250.0, 1000.0)]))
    ways.append(({"highway": "service", "access": "private"}, [(1000.0, 1100.0), (1250.0, 1100.0)]))
    ways.append(({"highway": "cycleway", "foot": "no"}, [(1000.0, 1200.0), (1250.0, 1200.0)]))
    ways.append(({"route": "ferry"}, [(1000.0, 1300.0), (1250.0, 1300.0)]))
    ways.append(({"railway": "rail"}, [(1250.0, 500.0), (2250.0, 500.0)]))
    return ways


def _nodes(ways: list[Way]) -> tuple[dict[tuple[float, float], int], list[list[int]]]:
    ids: dict[tuple[float, float], int] = {}
    refs = []
    for _tags, points in ways:
        refs.append([ids.setdefault((round(x, 3), round(y, 3)), len(ids) + 1) for x, y in points])
    return ids, refs


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS.transform(*rd(x, y))
    return round(float(lon), 7), round(float(lat), 7)


def write_xml(path: Path, ways: list[Way]) -> Path:
    """OSM XML written as text, the way the OSM API and JOSM write it."""
    ids, refs = _nodes(ways)
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="test">']
    for (x, y), node in ids.items():
        lon, lat = _lonlat(x, y)
        lines.append(f'  <node id="{node}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for index, ((tags, _points), nodes) in enumerate(zip(ways, refs, strict=True)):
        lines.append(f'  <way id="{index + 1}" version="1">')
        lines += [f'    <nd ref="{n}"/>' for n in nodes]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_pbf(path: Path, ways: list[Way]) -> Path:
    """PBF written with pyosmium's writer."""
    import osmium
    from osmium.osm.mutable import Node
    from osmium.osm.mutable import Way as OsmWay

    ids, refs = _nodes(ways)
    if path.exists():
        path.unlink()
    writer = osmium.SimpleWriter(str(path))
    try:
        for (x, y), node in ids.items():
            writer.add_node(Node(id=node, location=_lonlat(x, y)))
        for index, ((tags, _points), nodes) in enumerate(zip(ways, refs, strict=True)):
            writer.add_way(OsmWay(id=index + 1, nodes=nodes, tags=tags))
    finally:
        writer.close()
    return path


def overpass_answer(ways: list[Way], *, geom: bool = True) -> dict:
    """Overpass's JSON: ways with ``geometry`` (``out geom;``) or nodes + ways (``out body;``)."""
    ids, refs = _nodes(ways)
    position = {node: _lonlat(x, y) for (x, y), node in ids.items()}
    elements: list[dict] = []
    if not geom:
        for node, (lon, lat) in position.items():
            elements.append({"type": "node", "id": node, "lat": lat, "lon": lon})
    for index, ((tags, _points), nodes) in enumerate(zip(ways, refs, strict=True)):
        element: dict = {"type": "way", "id": index + 1, "nodes": nodes, "tags": tags}
        if geom:
            lons = [position[n][0] for n in nodes]
            lats = [position[n][1] for n in nodes]
            element["bounds"] = {
                "minlat": min(lats),
                "minlon": min(lons),
                "maxlat": max(lats),
                "maxlon": max(lons),
            }
            element["geometry"] = [{"lat": position[n][1], "lon": position[n][0]} for n in nodes]
        elements.append(element)
    return {
        "version": 0.6,
        "generator": "Overpass API 0.7.62.1 084b4234",
        "osm3s": {
            "timestamp_osm_base": "2026-12-01T10:00:00Z",
            "copyright": "The data included in this document is from www.openstreetmap.org."
            " The data is made available under ODbL.",
        },
        "elements": elements,
    }


def write_overpass(path: Path, ways: list[Way], *, geom: bool = True) -> Path:
    path.write_text(json.dumps(overpass_answer(ways, geom=geom)), encoding="utf-8")
    return path


def points(*local: tuple[float, float]) -> np.ndarray:
    """Town metres -> RD New array."""
    return np.array([rd(x, y) for x, y in local])


_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def grid_answer(bbox: tuple[float, float, float, float], spacing_m: float = 150.0) -> dict:
    """Overpass ``out geom;`` JSON of a street grid filling ``bbox`` = (south, west, north, east).

    What the local stand-in of Overpass answers to the walking-network query: residential
    streets every ``spacing_m`` metres (RD New), plus one motorway the reader must drop.
    """
    south, west, north, east = bbox
    x0, y0 = _TO_RD.transform(west, south)
    x1, y1 = _TO_RD.transform(east, north)
    xs = np.arange(np.ceil(x0 / spacing_m) * spacing_m, x1, spacing_m)
    ys = np.arange(np.ceil(y0 / spacing_m) * spacing_m, y1, spacing_m)
    ways: list[Way] = []
    for y in ys:
        ways.append(({"highway": "residential"}, [(x - ORIGIN[0], y - ORIGIN[1]) for x in xs]))
    for x in xs:
        ways.append(({"highway": "residential"}, [(x - ORIGIN[0], y - ORIGIN[1]) for y in ys]))
    ways.append(
        (
            {"highway": "motorway"},
            [(xs[0] - ORIGIN[0], ys[0] - ORIGIN[1]), (xs[-1] - ORIGIN[0], ys[-1] - ORIGIN[1])],
        )
    )
    return overpass_answer(ways)
