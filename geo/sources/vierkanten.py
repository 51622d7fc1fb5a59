"""CBS Vierkantstatistieken 100 m from PDOK (OGC API Features), for demand where people live.

``{pdok_url}/cbs/vierkantstatistieken100m/ogc/v1/collections/vierkant_100m/items`` answers a
GeoJSON FeatureCollection in CRS84, one polygon per inhabited 100 m square with the CBS
columns (``crs28992res100m``, ``aantal_inwoners``, ``aantal_inwoners_65_jaar_en_ouder``…;
negative = geheim) and ``jaarcode``; ``links`` hold ``rel="next"`` until the last page. The
squares are asked for the gemeente's bounding box (``bbox``, CRS84) and kept when they touch
the gemeente; when the collection holds several years, the requested year is kept (or the
latest before it, said in a notice). The result is written by ``wijkkompas fetch`` to
``bevolking/`` and read by :mod:`geo.io.vierkanten`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from geo.sources._http import HttpClient
from geo.sources.pdok import Progress, ogc_api_features

logger = logging.getLogger(__name__)

API_PATH = "/cbs/vierkantstatistieken100m/ogc/v1"
COLLECTION = "vierkant_100m"
LICENCE = "CC BY 4.0 (Bron: CBS, Kadaster/PDOK)"
YEAR_PROPERTY = "jaarcode"


@dataclass
class Squares:
    """The squares of a gemeente as a FeatureCollection (CRS84), where from, and notices."""

    geojson: dict[str, Any]
    url: str
    year: int | None
    notices: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of squares."""
        return len(self.geojson["features"])


def squares_url(client: HttpClient) -> str:
    """The items URL of the 100 m squares (under the configurable PDOK base)."""
    return f"{client.settings.pdok_url}{API_PATH}/collections/{COLLECTION}/items"


def squares_from_pdok(
    client: HttpClient,
    outline: shapely.Geometry,
    year: int,
    *,
    progress: Progress | None = None,
) -> Squares:
    """Every 100 m square touching a gemeente, following all pages.

    Parameters
    ----------
    client
        The HTTP client (base URL, page size, cache).
    outline
        The gemeente in CRS84 (lon/lat).
    year
        The wanted year; the latest year up to it is kept when the service has several.
    progress
        Called with a Dutch step text and 0..1 within this download.

    Returns
    -------
    Squares

    Raises
    ------
    SourceError
        The service failed or answered something that is not a FeatureCollection.

    Examples
    --------
    >>> squares = squares_from_pdok(client, outline, 2023)  # doctest: +SKIP
    >>> squares.count  # doctest: +SKIP
    4213
    """
    first = squares_url(client)
    west, south, east, north = outline.bounds
    params: dict[str, str | int] = {
        "f": "json",
        "bbox": f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}",
        "limit": client.settings.page_size,
    }
    features = ogc_api_features(client, first, params, label="vierkanten", progress=progress)
    notices: list[str] = []
    features, kept_year = _one_year(features, year, notices)
    features = _touching(features, outline)
    logger.info("PDOK vierkanten: %d vierkanten van 100 m (%s)", len(features), kept_year)
    return Squares({"type": "FeatureCollection", "features": features}, first, kept_year, notices)


def _one_year(
    features: list[dict[str, Any]], year: int, notices: list[str]
) -> tuple[list[dict[str, Any]], int | None]:
    years = sorted(
        {
            int(y)
            for f in features
            if str(y := (f.get("properties") or {}).get(YEAR_PROPERTY, "")).isdigit()
        }
    )
    if not years:
        return features, None
    usable = [y for y in years if y <= year] or years[:1]
    kept = usable[-1]
    if kept != year:
        notices.append(
            f"CBS-vierkanten: geen cijfers voor {year}; die van {kept} zijn gebruikt "
            f"(beschikbaar: {', '.join(map(str, years))})."
        )
    return [
        f for f in features if str((f.get("properties") or {}).get(YEAR_PROPERTY)) == str(kept)
    ], kept


def _touching(features: list[dict[str, Any]], outline: shapely.Geometry) -> list[dict[str, Any]]:
    if not features:
        return features
    shapes = gpd.GeoDataFrame.from_features(features).geometry.to_numpy()
    touching = shapely.intersects(shapes, outline)
    return [f for f, keep in zip(features, touching, strict=True) if keep]
