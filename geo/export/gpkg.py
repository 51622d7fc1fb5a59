"""GeoPackage export: every layer in EPSG:28992, QGIS styles embedded, a metadata table.

* Layers are written with pyogrio; each layer's title and source go into ``gpkg_contents``
  (``identifier``, ``description``) and its metadata into ``gpkg_metadata`` (GDAL).
* ``layer_styles`` is the table QGIS itself writes when a style is saved "in the database"
  (the QGIS GeoPackage styling extension): one default style per styled layer, with QML and
  SLD. QGIS applies it when the layer is opened.
* ``wijkkompas_metadata`` is a plain attribute table (one row per layer): source, year,
  boundary vintage, method, export time and Wijkkompas version, readable in QGIS and Excel.

The file is written next to the target and moved into place at the end, so a failed export
never leaves a half-written GeoPackage behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio

from geo.export.bundle import ExportBundle
from geo.export.qgis import to_qml, to_sld

logger = logging.getLogger(__name__)

STYLES_TABLE = "layer_styles"
METADATA_TABLE = "wijkkompas_metadata"
STYLE_COLUMNS = [
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
]


def write_gpkg(bundle: ExportBundle, path: str | Path) -> Path:
    """Write every layer of a bundle to one GeoPackage, with QGIS styles and metadata.

    Parameters
    ----------
    bundle
        The layers and their metadata.
    path
        Target ``.gpkg`` file (replaced when it exists).

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> write_gpkg(bundle, "wijkkompas.gpkg")  # doctest: +SKIP
    PosixPath('wijkkompas.gpkg')
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".gpkg", dir=target.parent, prefix=".wijkkompas-")
    os.close(handle)
    os.unlink(temporary)  # GDAL creates the file itself
    try:
        _write(bundle, Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    logger.info("GeoPackage %s: %d lagen", target, len(bundle.layers))
    return target


def _write(bundle: ExportBundle, path: Path) -> None:
    geometry_columns: dict[str, str] = {}
    for name in bundle.layers:
        frame = bundle.in_rd(name)
        meta = bundle.meta[name]
        title = f"{meta.title} (DEMO)" if bundle.demo else meta.title
        description = f"Bron: {meta.source}. Jaar: {meta.year}. Indeling: {meta.vintage}."
        if bundle.demo:
            description = f"{bundle.label}. {description}"
        pyogrio.write_dataframe(
            frame,
            path,
            layer=name,
            driver="GPKG",
            layer_options={"IDENTIFIER": title, "DESCRIPTION": description},
            layer_metadata={
                "titel": meta.title,
                "bron": meta.source,
                "jaar": meta.year,
                "indeling": meta.vintage,
                "methode": meta.method,
                "opmerkingen": "; ".join(meta.notes),
                "dataset": bundle.label,
                "onderdrukking": bundle.suppression,
                "exporttijd": bundle.created.isoformat(),
                "wijkkompas_versie": bundle.version,
            },
        )
        geometry_columns[name] = pyogrio.read_info(path, layer=name)["geometry_name"] or "geom"
    pyogrio.write_dataframe(
        bundle.metadata_table(),
        path,
        layer=METADATA_TABLE,
        driver="GPKG",
        layer_options={
            "IDENTIFIER": "Wijkkompas: bronnen en metadata per laag",
            "DESCRIPTION": bundle.label,
        },
    )
    styles = style_table(bundle, geometry_columns)
    if len(styles):
        pyogrio.write_dataframe(
            styles, path, layer=STYLES_TABLE, driver="GPKG", layer_options={"FID": "id"}
        )


def style_table(bundle: ExportBundle, geometry_columns: dict[str, str]) -> pd.DataFrame:
    """The ``layer_styles`` rows: one default QGIS style (QML + SLD) per styled layer.

    Examples
    --------
    >>> style_table(bundle, {"buurten": "geom"})["f_table_name"].tolist()  # doctest: +SKIP
    ['buurten']
    """
    rows = []
    for name in bundle.layers:
        meta = bundle.meta[name]
        if meta.style is None:
            continue
        aliases = {c: meta.label(c) for c in bundle.layers[name].columns if c in meta.labels}
        rows.append(
            {
                "f_table_catalog": "",
                "f_table_schema": "",
                "f_table_name": name,
                "f_geometry_column": geometry_columns.get(name, "geom"),
                "styleName": name[:30],
                "styleQML": to_qml(meta.style, aliases=aliases),
                "styleSLD": to_sld(meta.style, layer=name),
                "useAsDefault": True,
                "description": f"Wijkkompas {bundle.version}: {meta.style.title or meta.title}",
                "owner": "",
                "ui": "",
                "update_time": pd.Timestamp(bundle.created).tz_convert("UTC").tz_localize(None),
            }
        )
    return pd.DataFrame(rows, columns=STYLE_COLUMNS)


def read_styles(path: str | Path) -> pd.DataFrame:
    """The ``layer_styles`` table of a GeoPackage (empty when it has none).

    Examples
    --------
    >>> read_styles("wijkkompas.gpkg")["f_table_name"].tolist()  # doctest: +SKIP
    """
    layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    if STYLES_TABLE not in layers:
        return pd.DataFrame(columns=STYLE_COLUMNS)
    return pyogrio.read_dataframe(path, layer=STYLES_TABLE, read_geometry=False)


def read_metadata(path: str | Path) -> pd.DataFrame:
    """The Wijkkompas metadata table of an exported GeoPackage.

    Examples
    --------
    >>> read_metadata("wijkkompas.gpkg")[["laag", "bron"]]  # doctest: +SKIP
    """
    return pyogrio.read_dataframe(path, layer=METADATA_TABLE, read_geometry=False)
