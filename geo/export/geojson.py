"""GeoJSON per layer, as RFC 7946 asks: WGS84 longitude/latitude, no ``crs`` member.

GDAL's GeoJSON driver writes it (``RFC7946=YES``): coordinates reprojected to EPSG:4326 in
longitude, latitude order, polygons with the right-hand rule (exterior rings
counter-clockwise), 6 decimals (about 10 cm), a ``bbox``. The layer's title, source, year and
boundary vintage go into the top-level ``description`` (a foreign member RFC 7946 allows);
demo data says DEMO there.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pyogrio

from geo.export.bundle import ExportBundle
from geo.export.tabular import _write_files, readme

logger = logging.getLogger(__name__)

DECIMALS = 6


def geojson_bytes(bundle: ExportBundle, name: str) -> bytes:
    """One layer as an RFC 7946 GeoJSON document.

    Examples
    --------
    >>> import json
    >>> doc = json.loads(geojson_bytes(bundle, "wijken"))  # doctest: +SKIP
    >>> "crs" in doc  # doctest: +SKIP
    False
    """
    frame = bundle.in_rd(name)
    meta = bundle.meta[name]
    description = (
        f"{meta.title}. Bron: {meta.source}. Jaar: {meta.year}. Indeling: {meta.vintage}. "
        f"Wijkkompas {bundle.version}, {bundle.created.isoformat()}."
    )
    if bundle.demo:
        description = f"{bundle.label}. {description}"
    handle, temporary = tempfile.mkstemp(suffix=".geojson", prefix=".wijkkompas-")
    os.close(handle)
    os.unlink(temporary)
    try:
        pyogrio.write_dataframe(
            frame,
            temporary,
            layer=name,
            driver="GeoJSON",
            layer_options={
                "RFC7946": "YES",
                "COORDINATE_PRECISION": str(DECIMALS),
                "WRITE_BBOX": "YES",
                "DESCRIPTION": description,
            },
        )
        return Path(temporary).read_bytes()
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def geojson_files(bundle: ExportBundle) -> dict[str, bytes]:
    """File name -> GeoJSON bytes for every layer, plus ``LEESMIJ.txt``."""
    prefix = "DEMO_" if bundle.demo else ""
    files = {f"{prefix}{name}.geojson": geojson_bytes(bundle, name) for name in bundle.layers}
    files["LEESMIJ.txt"] = readme(bundle).encode("utf-8")
    return files


def write_geojson(bundle: ExportBundle, path: str | Path) -> Path:
    """One GeoJSON file per layer, in a folder or a ``.zip``.

    Examples
    --------
    >>> write_geojson(bundle, "export/geojson")  # doctest: +SKIP
    """
    target = _write_files(geojson_files(bundle), Path(path))
    logger.info("GeoJSON %s: %d lagen", target, len(bundle.layers))
    return target
