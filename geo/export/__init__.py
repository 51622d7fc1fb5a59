"""Exports for planners: GeoPackage (with QGIS styles), GeoJSON, CSV, Excel and an HTML map."""

from __future__ import annotations
