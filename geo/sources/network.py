"""Fetch the walking network of a gemeente into ``netwerk/``: Overpass, or a PBF extract.

The area is the gemeente's bounding box plus a buffer (:data:`NETWORK_BUFFER_M`, at least the
largest walking catchment, so that residents at the border reach activities just outside).

- Default: one Overpass query for the ways a pedestrian may use (:func:`network_query`),
  ``out geom;``, stored as ``netwerk/osm_netwerk_<GM>.json`` (Overpass's own JSON).
- With ``WIJKKOMPAS_OSM_PBF_URL`` (``SourceSettings.osm_pbf_url``, a Geofabrik-style
  ``.osm.pbf`` such as ``https://download.geofabrik.de/europe/netherlands/utrecht-latest.osm.pbf``):
  the extract is downloaded (streamed, not kept in the HTTP cache), clipped to the area with
  pyosmium (walkable ways with a vertex inside, whole) and stored as
  ``netwerk/osm_netwerk_<GM>.osm.pbf``.

Either file is read by :func:`geo.analysis.network.network_from_folder`.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from geo.io.osm import FOOT_ALLOWED, NEEDS_FOOT, WALKABLE, walk_rule, ways_from_file
from geo.sources._http import NOTHING_CHANGED, HttpClient, SourceError, download_file
from geo.sources.overpass import overpass_answer

logger = logging.getLogger(__name__)

NETWORK_DIR = "netwerk"
NETWORK_BUFFER_M = 2000.0
"""Buffer around the gemeente's box: the largest default catchment (20 minutes at 4.8 km/h =
1,600 m) with a margin for the snap distance."""

LICENCE = "ODbL 1.0 (© OpenStreetMap-bijdragers)"


def network_query(bbox: tuple[float, float, float, float], timeout_s: int = 300) -> str:
    """Overpass QL for the walkable ways in ``bbox`` = (south, west, north, east).

    The query is a superset of :func:`geo.io.osm.walk_rule` (``foot=no`` and ``access`` are
    applied when the file is read, so one stored file serves later rule changes).

    Examples
    --------
    >>> print(network_query((52.0, 5.0, 52.1, 5.1)).splitlines()[2])
      way["highway"~"^(corridor|cycleway|footway|living_street|path|pedestrian|platform|primary|primary_link|residential|road|secondary|secondary_link|service|steps|tertiary|tertiary_link|track|unclassified)$"](52.000000,5.000000,52.100000,5.100000);
    """  # noqa: E501
    box = ",".join(f"{v:.6f}" for v in bbox)
    walkable = "|".join(sorted(WALKABLE))
    needs_foot = "|".join(sorted(NEEDS_FOOT))
    allowed = "|".join(sorted(FOOT_ALLOWED))
    return (
        f"[out:json][timeout:{timeout_s}];\n(\n"
        f'  way["highway"~"^({walkable})$"]({box});\n'
        f'  way["highway"~"^({needs_foot})$"]["foot"~"^({allowed})$"]({box});\n'
        f'  way["route"="ferry"]["duration"]({box});\n'
        ");\nout geom;"
    )


def network_bbox(
    buurten: dict[str, Any], buffer_m: float = NETWORK_BUFFER_M
) -> tuple[float, float, float, float]:
    """(south, west, north, east) in WGS84 of the buurten plus ``buffer_m`` on every side."""
    frame = gpd.GeoDataFrame.from_features(buurten["features"])
    crs = buurten.get("crs", {}).get("properties", {}).get("name", "OGC:CRS84")
    frame = frame.set_crs("EPSG:28992" if "28992" in str(crs) else "OGC:CRS84").to_crs(28992)
    outline = shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))
    box = shapely.box(*outline.buffer(buffer_m).bounds)
    west, south, east, north = (
        gpd.GeoSeries([box], crs=28992).to_crs("OGC:CRS84").total_bounds.tolist()
    )
    return south, west, north, east


def fetch_network(
    http: HttpClient,
    buurten: dict[str, Any],
    staging: Path,
    gemeente_code: str,
    *,
    buffer_m: float = NETWORK_BUFFER_M,
) -> dict[str, object]:
    """Fetch the walking network into ``staging/netwerk/``; the manifest entry.

    Parameters
    ----------
    http
        The fetch's HTTP client (its settings say Overpass or a PBF URL).
    buurten
        The gemeente's buurten as GeoJSON (the area).
    staging
        The staging folder of the fetch.
    gemeente_code
        ``GM0344``: part of the file name.
    buffer_m
        Buffer around the gemeente's box, in metres.

    Returns
    -------
    dict
        ``bestand``, ``bron``, ``url``, ``tabel``, ``jaar``, ``licentie``, ``opgehaald``,
        ``rijen`` (walkable ways).

    Raises
    ------
    SourceError
        A failing service, or an answer without walkable ways.
    """
    bbox = network_bbox(buurten, buffer_m)
    folder = staging / NETWORK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    pbf_url = getattr(http.settings, "osm_pbf_url", "")
    if pbf_url:
        path = folder / f"osm_netwerk_{gemeente_code}.osm.pbf"
        download = folder / ".download.osm.pbf"
        _download(http, pbf_url, download)
        try:
            kept = clip_pbf(download, path, bbox)
        finally:
            download.unlink(missing_ok=True)
        url, bron = pbf_url, "OpenStreetMap-extract (PBF), bijgesneden tot gemeente + buffer"
    else:
        url = http.settings.overpass_url
        answer = overpass_answer(
            http,
            network_query(bbox),
            subject="bij het loopnetwerk",
            busy_hint="de server is mogelijk te druk; probeer het later opnieuw of zet "
            "WIJKKOMPAS_OSM_PBF_URL op een Geofabrik-extract.",
        )
        path = folder / f"osm_netwerk_{gemeente_code}.json"
        path.write_text(json.dumps(answer, separators=(",", ":")), encoding="utf-8")
        kept = -1
        bron = "OpenStreetMap via Overpass: loopnetwerk (gemeente + buffer)"
    try:
        ways = ways_from_file(path)
    except ValueError as error:
        raise SourceError(
            f"het opgehaalde loopnetwerk is niet bruikbaar: {error}",
            url=url,
            kind="leeg",
            hint=f"controleer de bron of haal op met --zonder-osm; {NOTHING_CHANGED}",
        ) from error
    logger.info("loopnetwerk opgehaald: %s (%d looproutes)", path.name, ways.n_ways)
    return {
        "bestand": f"{NETWORK_DIR}/{path.name}",
        "bron": f"{bron} ({buffer_m:g} m rond de gemeente)",
        "url": url,
        "tabel": None,
        "jaar": None,
        "licentie": LICENCE,
        "opgehaald": datetime.now().astimezone().isoformat(timespec="seconds"),
        "rijen": ways.n_ways if kept < 0 else kept,
    }


def clip_pbf(source: Path, target: Path, bbox: tuple[float, float, float, float]) -> int:
    """Write the walkable ways of ``source`` with a vertex in ``bbox`` to ``target``; how many.

    Ways are kept whole (a path that leaves the box still ends where it ends); nodes are
    written before ways, sorted by id, as in every OSM extract.
    """
    import osmium
    from osmium.osm.mutable import Node, Way

    south, west, north, east = bbox
    nodes: dict[int, tuple[float, float]] = {}
    ways: list[tuple[int, list[int], dict[str, str]]] = []
    try:
        processor = (
            osmium.FileProcessor(str(source), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway", "route"))
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        )
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = {tag.k: tag.v for tag in way.tags}
            if walk_rule(tags) not in ("lopen", "veer"):
                continue
            located = [(n.ref, n.lon, n.lat) for n in way.nodes if n.location.valid()]
            if not any(south <= lat <= north and west <= lon <= east for _r, lon, lat in located):
                continue
            for ref, lon, lat in located:
                nodes[ref] = (lon, lat)
            ways.append((way.id, [ref for ref, _lon, _lat in located], tags))
    except RuntimeError as error:
        raise SourceError(
            f"het gedownloade extract is geen leesbaar PBF-bestand ({error}).",
            kind="json",
            hint=f"controleer WIJKKOMPAS_OSM_PBF_URL; {NOTHING_CHANGED}",
        ) from error
    target.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(target))
    try:
        for ref in sorted(nodes):
            writer.add_node(Node(id=ref, location=nodes[ref]))
        for way_id, refs, tags in sorted(ways, key=lambda w: w[0]):
            writer.add_way(Way(id=way_id, nodes=refs, tags=tags))
    finally:
        writer.close()
    logger.info("PBF bijgesneden: %d wegen, %d knopen", len(ways), len(nodes))
    return len(ways)


def _download(http: HttpClient, url: str, target: Path) -> None:
    """Stream ``url`` to ``target`` (outside the HTTP cache), retrying like the JSON client."""
    download_file(
        http,
        url,
        target,
        what="het OSM-extract",
        hint=f"controleer WIJKKOMPAS_OSM_PBF_URL en de internetverbinding; {NOTHING_CHANGED}",
    )
