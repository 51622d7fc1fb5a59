"""OpenStreetMap via the Overpass API: candidate aanbod and public-transport stops.

One Overpass QL query per kind, POSTed as ``data=`` with ``[out:json]``, limited to the
gemeente's bounding box; ways and relations come back with ``out center``. Points outside the
gemeente outline are dropped here (the box is larger than the gemeente). Tags are mapped onto
the aanbod taxonomy (:data:`TAG_SOORTEN`) and written as CSVs the aanbod importer reads.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import Point

from geo.sources._http import HttpClient, SourceError

logger = logging.getLogger(__name__)

BRON = "OpenStreetMap"
LICENCE = "ODbL 1.0 (© OpenStreetMap-bijdragers)"

TAG_SOORTEN: dict[tuple[str, str], tuple[str, str]] = {
    ("amenity", "community_centre"): ("ontmoeting", "buurthuis"),
    ("amenity", "social_centre"): ("ontmoeting", "sociaal centrum"),
    ("amenity", "place_of_worship"): ("ontmoeting", "gebedshuis"),
    ("amenity", "social_facility"): ("ontmoeting", "welzijnsvoorziening"),
    ("amenity", "library"): ("informatie", "bibliotheek"),
    ("amenity", "arts_centre"): ("cultuur", "cultuurcentrum"),
    ("leisure", "sports_centre"): ("bewegen", "sportcentrum"),
    ("leisure", "sports_hall"): ("bewegen", "sporthal"),
    ("leisure", "fitness_centre"): ("bewegen", "fitnesscentrum"),
}
"""(key, value) of an OSM tag -> (aanbod soort, Dutch label for unnamed objects)."""

RESIDENTIAL_CARE = {"nursing_home", "assisted_living", "group_home", "shelter", "hospice"}
"""``social_facility`` values that are places to live, not aanbod for people living at home."""

SENIOR = {"senior", "elderly", "seniors"}
YOUTH = {"juvenile", "youth", "young_adults", "student"}

STOP_FILTERS = (
    'node["public_transport"="platform"]',
    'node["highway"="bus_stop"]',
    'node["railway"~"^(station|halt|tram_stop)$"]',
)
STOP_DEDUPLICATE_M = 40.0
"""Stops with the same name this close are one halte (platform and pole of one stop)."""


def aanbod_query(bbox: tuple[float, float, float, float], timeout_s: int = 180) -> str:
    """Overpass QL for the candidate aanbod in ``bbox`` = (south, west, north, east)."""
    box = ",".join(f"{v:.6f}" for v in bbox)
    keys: dict[str, list[str]] = {}
    for key, value in TAG_SOORTEN:
        keys.setdefault(key, []).append(value)
    lines = [f'  nwr["{key}"~"^({"|".join(values)})$"]({box});' for key, values in keys.items()]
    return f"[out:json][timeout:{timeout_s}];\n(\n" + "\n".join(lines) + "\n);\nout center tags;"


def stops_query(bbox: tuple[float, float, float, float], timeout_s: int = 180) -> str:
    """Overpass QL for the public-transport stops in ``bbox``."""
    box = ",".join(f"{v:.6f}" for v in bbox)
    lines = [f"  {selector}({box});" for selector in STOP_FILTERS]
    return f"[out:json][timeout:{timeout_s}];\n(\n" + "\n".join(lines) + "\n);\nout tags;"


def overpass_elements(client: HttpClient, query: str) -> list[dict[str, Any]]:
    """Run an Overpass query; its ``elements``.

    Raises
    ------
    SourceError
        When the answer has no ``elements`` list or reports a runtime error.
    """
    return overpass_answer(client, query)["elements"]


def overpass_answer(
    client: HttpClient,
    query: str,
    *,
    subject: str = "",
    busy_hint: str = "de server is mogelijk te druk; probeer het later opnieuw.",
) -> dict[str, Any]:
    """Run an Overpass query; the whole checked answer (``elements`` and Overpass' metadata).

    ``subject`` names what was asked in the error message (``bij het loopnetwerk``);
    ``busy_hint`` is the advice when Overpass reports a runtime error.

    Raises
    ------
    SourceError
        When the answer has no ``elements`` list or reports a runtime error.
    """
    url = client.settings.overpass_url
    answer = client.get_json(url, data={"data": query})
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise SourceError(
            f"het antwoord van {url} is geen Overpass-JSON (geen 'elements').",
            url=url,
            kind="json",
            hint="controleer het adres (WIJKKOMPAS_OVERPASS_URL).",
        )
    remark = str(answer.get("remark", ""))
    if "runtime error" in remark.lower():
        where = f" {subject}" if subject else ""
        raise SourceError(
            f"Overpass meldt een fout{where}: {remark[:200]}", url=url, hint=busy_hint
        )
    return answer


def aanbod_from_osm(
    elements: list[dict[str, Any]], outline: shapely.Geometry | None
) -> pd.DataFrame:
    """Map OSM elements onto aanbod rows (naam, soort, doelgroepen, lat, lon, ...).

    Parameters
    ----------
    elements
        Overpass ``elements`` (nodes with ``lat``/``lon``, ways/relations with ``center``).
    outline
        The gemeente in WGS84 (lon/lat); elements outside are left out. None keeps all.

    Returns
    -------
    pandas.DataFrame
        One row per element, in the columns the aanbod importer matches; ``opening_hours``
        is the raw OSM tag, which the importer turns into dagdelen
        (:mod:`geo.aanbod.opening_hours`) and keeps in ``opmerking``.

    Examples
    --------
    >>> rows = aanbod_from_osm([{"type": "node", "id": 1, "lat": 52.1, "lon": 5.1,
    ...     "tags": {"amenity": "library", "name": "Bieb"}}], None)
    >>> rows.loc[0, ["naam", "soort", "doelgroepen"]].tolist()
    ['Bieb', 'informatie', 'iedereen']
    """
    records = []
    for element in elements:
        tags = element.get("tags") or {}
        match = next(((k, v) for (k, v) in TAG_SOORTEN if tags.get(k) == v), None)
        if match is None:
            continue
        if (
            match == ("amenity", "social_facility")
            and tags.get("social_facility") in RESIDENTIAL_CARE
        ):
            continue
        where = _position(element)
        if where is None or (outline is not None and not outline.covers(Point(where[1], where[0]))):
            continue
        soort, label = TAG_SOORTEN[match]
        served = {
            part.strip().lower()
            for key in ("social_facility:for", "community_centre:for")
            for part in str(tags.get(key, "")).split(";")
        }
        doelgroepen = []
        if served & SENIOR:
            doelgroepen.append("ouderen_thuiswonend")
        if served & YOUTH:
            doelgroepen.append("jongvolwassenen")
        records.append(
            {
                "naam": str(tags.get("name") or f"{label} (naam onbekend)").strip(),
                "soort": soort,
                "doelgroepen": ";".join(doelgroepen or ["iedereen"]),
                "organisatie": str(tags.get("operator", "")).strip(),
                "adres": _address(tags),
                "postcode": str(tags.get("addr:postcode", "")).replace(" ", "").upper(),
                "opening_hours": str(tags.get("opening_hours", "")).strip(),
                "lat": round(where[0], 7),
                "lon": round(where[1], 7),
                "opmerking": f"OpenStreetMap {element.get('type')}/{element.get('id')} "
                f"({match[0]}={match[1]})",
            }
        )
    logger.info("OSM: %d aanbod-kandidaten uit %d elementen", len(records), len(elements))
    return pd.DataFrame(
        records,
        columns=[
            "naam",
            "soort",
            "doelgroepen",
            "organisatie",
            "adres",
            "postcode",
            "opening_hours",
            "lat",
            "lon",
            "opmerking",
        ],
    )


def stops_from_osm(
    elements: list[dict[str, Any]], outline: shapely.Geometry | None
) -> pd.DataFrame:
    """OV-haltes as a GTFS-like ``stops`` table (stop_id, stop_name, stop_lat, stop_lon).

    Platforms and poles of the same stop (same name within :data:`STOP_DEDUPLICATE_M`) are
    kept once.
    """
    kept: list[dict[str, object]] = []
    seen: dict[str, list[tuple[float, float]]] = {}
    for element in elements:
        where = _position(element)
        if where is None or (outline is not None and not outline.covers(Point(where[1], where[0]))):
            continue
        tags = element.get("tags") or {}
        name = str(tags.get("name") or "").strip()
        if name:
            near = [
                1
                for lat, lon in seen.get(name.casefold(), [])
                if ((lat - where[0]) * 111_000) ** 2 + ((lon - where[1]) * 68_000) ** 2
                <= STOP_DEDUPLICATE_M**2
            ]
            if near:
                continue
            seen.setdefault(name.casefold(), []).append(where)
        kept.append(
            {
                "stop_id": f"osm-{element.get('type')}-{element.get('id')}",
                "stop_name": name or "(halte zonder naam)",
                "stop_lat": round(where[0], 7),
                "stop_lon": round(where[1], 7),
                "location_type": "",
            }
        )
    logger.info("OSM: %d ov-haltes uit %d elementen", len(kept), len(elements))
    return pd.DataFrame(
        kept, columns=["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"]
    )


def _position(element: dict[str, Any]) -> tuple[float, float] | None:
    if "lat" in element and "lon" in element:
        return float(element["lat"]), float(element["lon"])
    center = element.get("center")
    if isinstance(center, dict) and "lat" in center and "lon" in center:
        return float(center["lat"]), float(center["lon"])
    return None


def _address(tags: dict[str, str]) -> str:
    street = " ".join(p for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p)
    place = " ".join(p for p in (tags.get("addr:postcode"), tags.get("addr:city")) if p)
    return ", ".join(p for p in (street, place) if p)
