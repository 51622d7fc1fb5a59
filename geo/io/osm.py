"""Read walkable ways from an OpenStreetMap extract: ``.osm.pbf``, OSM XML or Overpass JSON.

PBF and XML are read with pyosmium (node locations cached in memory); Overpass JSON (``out
geom;`` or nodes + ways with ``out body;``) is parsed here. Only ways a pedestrian may use
are kept (:func:`walk_rule`), coordinates are projected to EPSG:28992 (RD New, metres) and
returned as flat arrays, ready for :func:`geo.analysis.network.network_from_ways`.

Tag rules
---------
- kept: ``highway`` in :data:`WALKABLE` (footway, path, pedestrian, steps, residential,
  living_street, service, unclassified, tertiary/secondary/primary and their links, track,
  road, platform, corridor), ``cycleway`` unless ``foot=no``, ``bridleway`` only with an
  explicit foot permission;
- ``motorway``, ``motorway_link``, ``trunk``, ``trunk_link`` only with
  ``foot=yes|designated|permissive``;
- excluded: ``foot=no|private|use_sidepath``; ``access=no|private`` unless
  ``foot=yes|designated|permissive``; construction, proposed, abandoned, raceway, bus-only;
- ferries (``route=ferry``) only with a ``duration`` tag (``PT15M``, ``0:15``, ``15``); their
  cost is that time converted to metres at ``ferry_speed_kmh`` (default 3.6 km/h, the
  elderly walking speed), spread over the ferry's length.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import Transformer

from geo.errors import DataError

logger = logging.getLogger(__name__)

WALKABLE = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "residential",
        "living_street",
        "service",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "track",
        "road",
        "platform",
        "corridor",
        "cycleway",
    }
)
"""``highway`` values a pedestrian may use unless other tags forbid it."""

NEEDS_FOOT = frozenset({"motorway", "motorway_link", "trunk", "trunk_link", "bridleway"})
"""``highway`` values kept only with an explicit ``foot=yes|designated|permissive``."""

FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
FOOT_FORBIDDEN = frozenset({"no", "private", "use_sidepath", "discouraged"})
ACCESS_FORBIDDEN = frozenset({"no", "private"})

DEFAULT_FERRY_SPEED_KMH = 3.6
"""A ferry's stated minutes are converted to metres at this speed (the elderly walking speed,
so a ferry costs in the graph what the same minutes of walking cost for ouderen)."""

PBF_SUFFIXES = (".osm.pbf", ".pbf")
XML_SUFFIXES = (".osm", ".osm.xml", ".xml")
JSON_SUFFIXES = (".json", ".osm.json")

_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@dataclass(frozen=True)
class WalkWays:
    """Walkable ways as flat arrays in EPSG:28992.

    Attributes
    ----------
    node_id
        OSM node id per way vertex, all ways concatenated.
    xy
        RD New coordinates (m) per vertex, shape (m, 2).
    way_start
        Offsets into ``node_id``: way ``k`` is ``way_start[k]:way_start[k + 1]``.
    fixed_cost
        Per way: the cost in metres of a ferry (its stated time at the ferry speed), NaN for
        ways that cost their length.
    counts
        Ways kept and left out per reason (for the log and the source text).
    """

    node_id: np.ndarray
    xy: np.ndarray
    way_start: np.ndarray
    fixed_cost: np.ndarray
    counts: dict[str, int]

    @property
    def n_ways(self) -> int:
        """Number of kept ways (pieces of ways cut at missing nodes count separately)."""
        return len(self.way_start) - 1


def walk_rule(tags: Mapping[str, str]) -> str:
    """Why a way is kept or left out: ``"lopen"``, ``"veer"`` or a reason it is left out.

    Examples
    --------
    >>> walk_rule({"highway": "footway"}), walk_rule({"highway": "motorway"})
    ('lopen', 'autosnelweg')
    >>> walk_rule({"highway": "service", "access": "private", "foot": "yes"})
    'lopen'
    >>> walk_rule({"route": "ferry", "duration": "PT10M"}), walk_rule({"route": "ferry"})
    ('veer', 'veer zonder duur')
    """
    foot = tags.get("foot", "")
    if tags.get("route") == "ferry":
        if foot in FOOT_FORBIDDEN:
            return "voetgangers verboden"
        return "veer" if ferry_minutes(tags.get("duration")) is not None else "veer zonder duur"
    highway = tags.get("highway")
    if highway is None:
        return "geen weg"
    if foot in FOOT_FORBIDDEN:
        return "voetgangers verboden"
    if highway in NEEDS_FOOT:
        if foot in FOOT_ALLOWED:
            return "lopen"
        return "fietspad/ruiterpad" if highway == "bridleway" else "autosnelweg"
    if highway not in WALKABLE:
        return "geen looproute"
    if tags.get("access") in ACCESS_FORBIDDEN and foot not in FOOT_ALLOWED:
        return "geen toegang"
    return "lopen"


def ferry_minutes(duration: str | None) -> float | None:
    """Minutes of an OSM ``duration`` (``PT1H5M``, ``1:05``, ``01:05:00``, ``65``), or None.

    Examples
    --------
    >>> ferry_minutes("PT1H5M"), ferry_minutes("0:15"), ferry_minutes("7"), ferry_minutes("x")
    (65.0, 15.0, 7.0, None)
    """
    if duration is None:
        return None
    text = duration.strip().upper()
    iso = re.fullmatch(r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", text)
    if iso and any(iso.groups()):
        h, m, s = (float(g) if g else 0.0 for g in iso.groups())
        return h * 60 + m + s / 60
    clock = re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", text)
    if clock:
        return int(clock[1]) * 60 + int(clock[2]) + (int(clock[3] or 0)) / 60
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    return None


def ways_from_file(
    path: str | Path, *, ferry_speed_kmh: float = DEFAULT_FERRY_SPEED_KMH
) -> WalkWays:
    """The walkable ways of an OSM extract (``.osm.pbf``, ``.osm`` XML or Overpass ``.json``).

    Parameters
    ----------
    path
        The extract. The format is recognised by the name, and by the content for ``.json``.
    ferry_speed_kmh
        Walking speed at which a ferry's stated minutes become metres.

    Returns
    -------
    WalkWays

    Raises
    ------
    DataError
        When the file cannot be read as OSM data or holds no walkable way.

    Examples
    --------
    >>> ways = ways_from_file("netwerk/utrecht.osm.pbf")  # doctest: +SKIP
    >>> ways.counts["lopen"]  # doctest: +SKIP
    48213
    """
    path = Path(path)
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        try:
            answer = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DataError(
                f"dit is geen leesbare Overpass-JSON ({error}).",
                file=path,
                hint="haal het netwerk opnieuw op met 'wijkkompas fetch', of gebruik een "
                ".osm.pbf-extract.",
            ) from error
        ways = ways_from_overpass(answer, ferry_speed_kmh=ferry_speed_kmh, file=path)
    elif name.endswith(PBF_SUFFIXES + XML_SUFFIXES):
        ways = _ways_from_osmium(path, ferry_speed_kmh)
    else:
        raise DataError(
            "onbekend netwerkbestand: verwacht .osm.pbf, .osm (OSM XML) of .json (Overpass).",
            file=path,
            hint="geef het bestand een van deze extensies of verwijder het uit netwerk/.",
        )
    if ways.n_ways == 0:
        raise DataError(
            "het bestand bevat geen wegen of paden waarover gelopen kan worden "
            f"(weggelaten: {_reasons(ways.counts)}).",
            file=path,
            hint="gebruik een extract met highway-wegen van het gebied.",
        )
    logger.info(
        "OSM %s: %d looproutes, %d punten (weggelaten: %s)",
        path.name,
        ways.n_ways,
        len(ways.node_id),
        _reasons(ways.counts),
    )
    return ways


def ways_from_overpass(
    answer: object,
    *,
    ferry_speed_kmh: float = DEFAULT_FERRY_SPEED_KMH,
    file: str | Path | None = None,
) -> WalkWays:
    """The walkable ways of an Overpass JSON answer (``out geom;`` or nodes + ways).

    Examples
    --------
    >>> answer = {"elements": [
    ...     {"type": "way", "id": 1, "nodes": [1, 2], "tags": {"highway": "footway"},
    ...      "geometry": [{"lat": 52.09, "lon": 5.12}, {"lat": 52.091, "lon": 5.12}]}]}
    >>> ways_from_overpass(answer).n_ways
    1
    """
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise DataError(
            "dit is geen Overpass-JSON: de lijst 'elements' ontbreekt.",
            file=file,
            hint="vraag het netwerk op met [out:json] en 'out geom;'.",
        )
    elements = answer["elements"]
    located: dict[int, tuple[float, float]] = {}
    for element in elements:
        if isinstance(element, dict) and element.get("type") == "node" and "lat" in element:
            located[int(element["id"])] = (float(element["lon"]), float(element["lat"]))

    def ways() -> Iterable[tuple[Mapping[str, str], list[tuple[int, float, float] | None]]]:
        for element in elements:
            if not isinstance(element, dict) or element.get("type") != "way":
                continue
            refs = [int(r) for r in element.get("nodes") or []]
            geometry = element.get("geometry")
            points: list[tuple[int, float, float] | None] = []
            if isinstance(geometry, list) and geometry:
                if len(refs) != len(geometry):  # no ids: identify vertices by their position
                    refs = [_position_id(g) if g else 0 for g in geometry]
                for ref, where in zip(refs, geometry, strict=True):
                    if where:
                        points.append((ref, float(where["lon"]), float(where["lat"])))
                    else:
                        points.append(None)
            else:
                for ref in refs:
                    lonlat = located.get(ref)
                    points.append((ref, *lonlat) if lonlat else None)
            yield element.get("tags") or {}, points

    return _collect(ways(), ferry_speed_kmh)


def _ways_from_osmium(path: Path, ferry_speed_kmh: float) -> WalkWays:
    import osmium

    def ways() -> Iterable[tuple[Mapping[str, str], list[tuple[int, float, float] | None]]]:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway", "route"))
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        )
        for way in processor:
            if not isinstance(way, osmium.osm.Way):  # the entity filter passes ways only
                continue
            tags = {tag.k: tag.v for tag in way.tags}
            if walk_rule(tags) not in ("lopen", "veer"):
                yield tags, []
                continue
            yield (
                tags,
                [(n.ref, n.lon, n.lat) if n.location.valid() else None for n in way.nodes],
            )

    try:
        return _collect(ways(), ferry_speed_kmh)
    except RuntimeError as error:  # libosmium: unreadable or truncated file
        raise DataError(
            f"dit bestand kan niet als OpenStreetMap-extract worden gelezen ({error}).",
            file=path,
            hint="download het extract opnieuw (bijvoorbeeld van Geofabrik) of haal het op met "
            "'wijkkompas fetch'.",
        ) from error


def _collect(
    ways: Iterable[tuple[Mapping[str, str], list[tuple[int, float, float] | None]]],
    ferry_speed_kmh: float,
) -> WalkWays:
    """Flatten kept ways; a way is cut where a node has no location (edge of an extract)."""
    counts: Counter[str] = Counter()
    ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    starts: list[int] = [0]
    costs: list[float] = []
    metres_per_minute = ferry_speed_kmh * 1000 / 60
    for tags, points in ways:
        rule = walk_rule(tags)
        counts[rule] += 1
        if rule not in ("lopen", "veer"):
            continue
        cost = np.nan
        if rule == "veer":
            cost = float(ferry_minutes(tags.get("duration")) or 0.0) * metres_per_minute
        piece: list[tuple[int, float, float]] = []
        for point in [*points, None]:
            if point is not None:
                if not piece or piece[-1][0] != point[0]:
                    piece.append(point)
                continue
            if len(piece) >= 2:
                for ref, lon, lat in piece:
                    ids.append(ref)
                    lons.append(lon)
                    lats.append(lat)
                starts.append(len(ids))
                costs.append(cost)
            piece = []
    x, y = _TO_RD.transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return WalkWays(
        node_id=np.asarray(ids, dtype=np.int64),
        xy=np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)]).reshape(-1, 2),
        way_start=np.asarray(starts, dtype=np.int64),
        fixed_cost=np.asarray(costs, dtype=float),
        counts=dict(counts),
    )


def _position_id(where: Mapping[str, float]) -> int:
    """A stable negative id for a vertex given only by its position (7 decimals, as OSM)."""
    return -(
        int(round(float(where["lat"]) * 1e7)) * 4_000_000_000
        + int(round(float(where["lon"]) * 1e7))
        + 2_000_000_000
    )


def _reasons(counts: Mapping[str, int]) -> str:
    left_out = {k: v for k, v in counts.items() if k not in ("lopen", "veer")}
    return ", ".join(f"{k} {v}" for k, v in sorted(left_out.items())) or "niets"


__all__ = [
    "DEFAULT_FERRY_SPEED_KMH",
    "WALKABLE",
    "WalkWays",
    "ferry_minutes",
    "walk_rule",
    "ways_from_file",
    "ways_from_overpass",
]
