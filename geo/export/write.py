"""One entry point for every export format: to a path (CLI) or to bytes (dashboard download)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from geo.errors import DataError
from geo.export.bundle import ExportBundle
from geo.export.geojson import geojson_files, write_geojson
from geo.export.gpkg import write_gpkg
from geo.export.html_map import map_html, write_html_map
from geo.export.tabular import csv_files, write_csv, write_xlsx, xlsx_bytes, zip_bytes

FORMATS = {
    "gpkg": ("GeoPackage met QGIS-stijlen", ".gpkg", "application/geopackage+sqlite3"),
    "geojson": ("GeoJSON per laag (zip)", ".zip", "application/zip"),
    "csv": ("CSV per laag (zip)", ".zip", "application/zip"),
    "xlsx": (
        "Excel-werkmap",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "html": ("HTML-kaart", ".html", "text/html"),
}
"""Format key -> (Dutch description, file suffix of a download, MIME type)."""


def write_export(
    bundle: ExportBundle, path: str | Path, formaat: str, *, decimal_comma: bool = False
) -> Path:
    """Write a bundle in one format.

    Parameters
    ----------
    bundle
        The layers and their metadata.
    path
        Target file; for ``geojson`` and ``csv`` a folder or a ``.zip``.
    formaat
        ``gpkg``, ``geojson``, ``csv``, ``xlsx`` or ``html``.
    decimal_comma
        CSV only: ``;`` and a decimal comma for Dutch Excel.

    Returns
    -------
    Path

    Raises
    ------
    DataError
        An unknown format.

    Examples
    --------
    >>> write_export(bundle, "wijkkompas.gpkg", "gpkg")  # doctest: +SKIP
    PosixPath('wijkkompas.gpkg')
    """
    writers: dict[str, Callable[[], Path]] = {
        "gpkg": lambda: write_gpkg(bundle, path),
        "geojson": lambda: write_geojson(bundle, path),
        "csv": lambda: write_csv(bundle, path, decimal_comma=decimal_comma),
        "xlsx": lambda: write_xlsx(bundle, path),
        "html": lambda: write_html_map(bundle, path),
    }
    return writers[_check(formaat)]()


def export_bytes(
    bundle: ExportBundle, formaat: str, *, decimal_comma: bool = False
) -> tuple[bytes, str, str]:
    """A bundle in one format as bytes, with a file name and MIME type (for a download button).

    Examples
    --------
    >>> data, name, mime = export_bytes(bundle, "xlsx")  # doctest: +SKIP
    >>> name  # doctest: +SKIP
    'wijkkompas_demostad_fictief_demo_DEMO.xlsx'
    """
    formaat = _check(formaat)
    _, suffix, mime = FORMATS[formaat]
    name = file_name(bundle, suffix)
    if formaat == "gpkg":
        handle, temporary = tempfile.mkstemp(suffix=".gpkg", prefix=".wijkkompas-")
        os.close(handle)
        try:
            write_gpkg(bundle, temporary)
            data = Path(temporary).read_bytes()
        finally:
            os.unlink(temporary)
    elif formaat == "geojson":
        data = zip_bytes(geojson_files(bundle))
    elif formaat == "csv":
        data = zip_bytes(csv_files(bundle, decimal_comma=decimal_comma))
    elif formaat == "xlsx":
        data = xlsx_bytes(bundle)
    else:
        data = map_html(bundle).encode("utf-8")
    return data, name, mime


def file_name(bundle: ExportBundle, suffix: str) -> str:
    """``wijkkompas_<dataset>[_DEMO]<suffix>``, safe on every file system.

    Examples
    --------
    >>> from geo.export.bundle import ExportBundle
    >>> file_name(ExportBundle(layers={}, meta={}, titel="Utrecht"), ".gpkg")
    'wijkkompas_utrecht.gpkg'
    """
    slug = re.sub(r"[^a-z0-9]+", "_", bundle.titel.casefold()).strip("_")[:40]
    parts = ["wijkkompas", slug] + (["DEMO"] if bundle.demo else [])
    return "_".join(p for p in parts if p) + suffix


def _check(formaat: str) -> str:
    key = formaat.strip().lower().lstrip(".")
    if key not in FORMATS:
        raise DataError(
            "onbekend exportformaat.", value=formaat, hint=f"kies uit: {', '.join(FORMATS)}."
        )
    return key
