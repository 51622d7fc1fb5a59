"""Read the layer of a spatial file that a reader recognises by its columns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.errors import DataError


def read_recognised_layer(
    path: Path,
    layer: str | None,
    *,
    recognises: Callable[[list[str]], bool],
    hint: str,
) -> gpd.GeoDataFrame:
    """The given layer, or in a GeoPackage the first layer whose columns ``recognises``.

    A file GDAL cannot open is a :class:`~geo.errors.DataError` naming the file, with ``hint``
    as the advice.
    """
    try:
        if layer is None and path.suffix.lower() == ".gpkg":
            for name, _kind in pyogrio.list_layers(path):
                if recognises(list(pyogrio.read_info(path, layer=name)["fields"])):
                    layer = str(name)
                    break
        return gpd.read_file(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise DataError(
            f"het bestand kan niet worden gelezen ({exc}).", file=path, hint=hint
        ) from exc
