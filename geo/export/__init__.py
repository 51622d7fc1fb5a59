"""Exports for planners: GeoPackage (with QGIS styles), GeoJSON, CSV, Excel and an HTML map.

Typical use (CLI, dashboard Export page)::

    bundle = collect_layers(dataset, aanbod, results)      # what to export, with sources
    bundle = restrict_to_area(bundle, dataset, "Zuilen")    # optional: one area only
    write_export(bundle, "wijkkompas.gpkg", "gpkg")         # to a file
    data, name, mime = export_bytes(bundle, "xlsx")         # for a download button
"""

from __future__ import annotations

from geo.export.area import restrict_to_area
from geo.export.bundle import DEMO_LABEL, ExportBundle, LayerMeta
from geo.export.layers import collect_layers, figure_column
from geo.export.write import FORMATS, export_bytes, file_name, write_export

__all__ = [
    "DEMO_LABEL",
    "FORMATS",
    "ExportBundle",
    "LayerMeta",
    "collect_layers",
    "export_bytes",
    "figure_column",
    "file_name",
    "restrict_to_area",
    "write_export",
]
