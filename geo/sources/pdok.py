"""CBS wijk- en buurtgrenzen from PDOK: OGC API Features, with the WFS as fallback.

OGC API Features (``{pdok_url}/cbs/wijken-en-buurten-<jaar>/ogc/v1``): collections
``gemeenten``, ``wijken`` and ``buurten``; ``items?f=json&gemeentecode=GM0344&limit=1000``
answers a GeoJSON FeatureCollection in CRS84 whose ``links`` hold a ``rel="next"`` link until
the last page. The WFS 2.0 (``{pdok_wfs_url}/cbs/wijkenbuurten/<jaar>/wfs/v1_0``) is asked for
GeoJSON in RD New with an FES filter on ``gemeentecode`` and ``startIndex`` paging.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geo.sources._http import HttpClient, SourceError

logger = logging.getLogger(__name__)

COLLECTIONS = ("wijken", "buurten")
KEEP_PROPERTIES = (
    "buurtcode",
    "buurtnaam",
    "wijkcode",
    "wijknaam",
    "gemeentecode",
    "gemeentenaam",
    "jaarstatcode",
    "jrstatcode",
    "water",
)
"""Identifying properties kept from PDOK features (their statistics come from CBS OData)."""

WFS_TYPENAMES = {"wijken": "wijkenbuurten:wijken", "buurten": "wijkenbuurten:buurten"}
MAX_PAGES = 500
RD_CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}

Progress = Callable[[str, float], None]


@dataclass
class Gemeente:
    """A gemeente as the sources know it: ``code`` = ``GM0344``, ``digits`` = ``0344``."""

    code: str
    naam: str | None = None

    @property
    def digits(self) -> str:
        """The four digits of the code."""
        return self.code[2:]


@dataclass
class Boundaries:
    """One level's FeatureCollection and where it came from."""

    collection: str
    geojson: dict[str, Any]
    url: str
    service: str

    @property
    def count(self) -> int:
        """Number of features."""
        return len(self.geojson["features"])


def parse_gemeente(text: str) -> Gemeente | None:
    """``'GM0344'``, ``'0344'`` or ``'344'`` -> Gemeente; a name -> None (look it up).

    Examples
    --------
    >>> parse_gemeente("344").code
    'GM0344'
    >>> parse_gemeente("Utrecht") is None
    True
    """
    value = text.strip().upper()
    match = re.fullmatch(r"(?:GM)?(\d{1,4})", value)
    return Gemeente(code=f"GM{int(match.group(1)):04d}") if match else None


def gemeente_from_pdok(client: HttpClient, text: str, year: int) -> Gemeente:
    """Resolve a gemeente name or code with the PDOK ``gemeenten`` collection.

    Raises
    ------
    SourceError
        ``kind="leeg"`` when PDOK knows no gemeente of that name in that year.
    """
    parsed = parse_gemeente(text)
    if parsed is not None:
        return parsed
    url = f"{client.settings.ogc_api(year)}/collections/gemeenten/items"
    page = client.get_json(url, params={"f": "json", "gemeentenaam": text.strip(), "limit": 10})
    features = _features(page, url, require_geometry=False)
    wanted = text.strip().casefold()
    hits = [
        f["properties"]
        for f in features
        if str(f.get("properties", {}).get("gemeentenaam", "")).strip().casefold() == wanted
    ]
    if len(hits) != 1:
        raise SourceError(
            f"gemeente '{text}' niet gevonden bij PDOK (wijken en buurten {year}).",
            url=url,
            kind="leeg",
            hint="schrijf de naam zoals CBS die schrijft ('Utrecht', \"'s-Hertogenbosch\") of "
            "geef de code, bijvoorbeeld GM0344.",
        )
    found = parse_gemeente(str(hits[0]["gemeentecode"]))
    if found is None:
        raise SourceError(f"PDOK gaf een onbekende gemeentecode: {hits[0]['gemeentecode']}.")
    found.naam = str(hits[0]["gemeentenaam"]).strip()
    return found


def boundaries_from_pdok(
    client: HttpClient,
    gemeente: Gemeente,
    year: int,
    *,
    collection: str,
    progress: Progress | None = None,
) -> Boundaries:
    """Every wijk or buurt of a gemeente, following all pages; the WFS when the API fails.

    Parameters
    ----------
    client
        The HTTP client (its settings give the base URLs and page size).
    gemeente
        Which gemeente.
    year
        Boundary vintage (the PDOK dataset year).
    collection
        ``wijken`` or ``buurten``.
    progress
        Called with a Dutch step text and 0..1 within this download.

    Returns
    -------
    Boundaries
        The FeatureCollection with only the identifying properties.

    Raises
    ------
    SourceError
        Both services failed, or the gemeente has no areas (``kind="leeg"``).
    """
    try:
        result = _from_ogc_api(client, gemeente, year, collection, progress)
    except SourceError as exc:
        if exc.kind == "leeg":
            raise
        logger.warning("OGC API niet bruikbaar (%s); WFS als terugval", exc)
        result = _from_wfs(client, gemeente, year, collection, progress)
    if not result.geojson["features"]:
        raise SourceError(
            f"PDOK kent geen {collection} van gemeente {gemeente.code} in {year}.",
            url=result.url,
            kind="leeg",
            hint="controleer de gemeentecode (bijvoorbeeld GM0344) en of de gemeente in dat "
            "jaar bestond (na een herindeling heeft ze een nieuwe code).",
        )
    naam = result.geojson["features"][0]["properties"].get("gemeentenaam")
    if naam and gemeente.naam is None:
        gemeente.naam = str(naam).strip()
    logger.info("PDOK %s %s: %d %s", result.service, gemeente.code, result.count, collection)
    return result


def _from_ogc_api(
    client: HttpClient, gemeente: Gemeente, year: int, collection: str, progress: Progress | None
) -> Boundaries:
    first = f"{client.settings.ogc_api(year)}/collections/{collection}/items"
    params: dict[str, str | int] = {
        "f": "json",
        "gemeentecode": gemeente.code,
        "limit": client.settings.page_size,
    }
    features = ogc_api_features(client, first, params, label=collection, progress=progress)
    kept = [_slim(f) for f in features if _belongs(f, gemeente)]
    return Boundaries(collection, _collection(kept), first, "OGC API Features")


def ogc_api_features(
    client: HttpClient,
    url: str,
    params: dict[str, str | int],
    *,
    label: str,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Every feature with a geometry of an OGC API Features query, following ``rel=next``.

    ``params`` go with the first request only (the next links carry every parameter);
    ``label`` names the pages in the progress text. At most :data:`MAX_PAGES` pages.

    Raises
    ------
    SourceError
        A page is not a GeoJSON FeatureCollection.
    """
    features: list[dict[str, Any]] = []
    next_url: str | None = url
    next_params: dict[str, str | int] | None = params
    for page_number in range(MAX_PAGES):
        if next_url is None:
            break
        page = client.get_json(next_url, params=next_params)
        features.extend(_features(page, next_url))
        next_url = next(
            (
                link.get("href")
                for link in page.get("links", [])
                if isinstance(link, dict) and link.get("rel") == "next"
            ),
            None,
        )
        next_params = None  # the next link carries every parameter
        if progress is not None:
            matched = page.get("numberMatched")
            done = len(features) / matched if isinstance(matched, int) and matched else None
            progress(f"{label}: pagina {page_number + 1}", done or 0.5)
    return features


def _from_wfs(
    client: HttpClient, gemeente: Gemeente, year: int, collection: str, progress: Progress | None
) -> Boundaries:
    url = client.settings.wfs(year)
    size = client.settings.page_size
    fes = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
        "<fes:ValueReference>gemeentecode</fes:ValueReference>"
        f"<fes:Literal>{gemeente.code}</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>"
    )
    features: list[dict[str, Any]] = []
    for page_number in range(MAX_PAGES):
        params: dict[str, str | int] = {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typeNames": WFS_TYPENAMES[collection],
            "outputFormat": "application/json",
            "srsName": "EPSG:28992",
            "filter": fes,
            "count": size,
            "startIndex": len(features),
        }
        page = client.get_json(url, params=params)
        batch = _features(page, url)
        features.extend(batch)
        if progress is not None:
            progress(f"{collection} (WFS): pagina {page_number + 1}", 0.5)
        if len(batch) < size:
            break
    kept = [_slim(f) for f in features if _belongs(f, gemeente)]
    geojson = _collection(kept)
    geojson["crs"] = RD_CRS_MEMBER
    return Boundaries(collection, geojson, url, "WFS")


def _features(page: Any, url: str, *, require_geometry: bool = True) -> list[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("features"), list):
        raise SourceError(
            f"het antwoord van {url} is geen GeoJSON FeatureCollection.",
            url=url,
            kind="json",
            hint="controleer het adres van de dienst (WIJKKOMPAS_PDOK_URL).",
        )
    return [
        f
        for f in page["features"]
        if isinstance(f, dict) and (f.get("geometry") or not require_geometry)
    ]


def _belongs(feature: dict[str, Any], gemeente: Gemeente) -> bool:
    """Keep features of the gemeente (also when a server ignores the filter)."""
    props = feature.get("properties") or {}
    value = props.get("gemeentecode")
    if value is None:
        return True
    parsed = parse_gemeente(str(value))
    return parsed is not None and parsed.code == gemeente.code


def _slim(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature.get("properties") or {}
    kept = {
        k: (v.strip() if isinstance(v, str) else v)
        for k, v in props.items()
        if k in KEEP_PROPERTIES
    }
    return {"type": "Feature", "properties": kept, "geometry": feature["geometry"]}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}
