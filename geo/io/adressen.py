"""BAG verblijfsobjecten with a woonfunctie: the address points where people live.

The PDOK BAG GeoPackage (layer ``verblijfsobject``, points in EPSG:28992) or a CSV export of
it: a column ``gebruiksdoel`` (one or more of ``woonfunctie``, ``winkelfunctie``…, separated
by commas) and either a point geometry or coordinates (``x``/``y`` in RD, or
``lon``/``lat``). Only objects whose gebruiksdoel contains ``woonfunctie`` are kept; with a
``status`` column only those in use (``Verblijfsobject in gebruik``, also *niet ingemeten*,
and *Verbouwing verblijfsobject*).
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import DataError, Notices
from geo.io._layers import read_recognised_layer
from geo.io._tabular import read_table
from geo.io.crs import to_rd

logger = logging.getLogger(__name__)

ADDRESS_SUFFIXES = (".gpkg", ".geojson", ".json", ".csv")
IN_USE = ("verblijfsobject in gebruik", "verbouwing verblijfsobject")
_XY = (("x", "y"), ("x_rd", "y_rd"), ("rd_x", "rd_y"), ("lon", "lat"), ("longitude", "latitude"))


def is_addresses(columns: list[str] | pd.Index) -> bool:
    """True when the columns are those of BAG verblijfsobjecten (a ``gebruiksdoel`` column).

    Examples
    --------
    >>> is_addresses(["identificatie", "gebruiksdoel", "geometry"])
    True
    """
    return "gebruiksdoel" in {str(c).lower() for c in columns}


def addresses_from_file(
    path: str | Path, *, layer: str | None = None, notices: Notices | None = None
) -> gpd.GeoDataFrame:
    """Read the dwellings (verblijfsobjecten with a woonfunctie) as points in EPSG:28992.

    Parameters
    ----------
    path
        BAG GeoPackage / GeoJSON, or a CSV with ``gebruiksdoel`` and coordinates.
    layer
        GeoPackage layer (default: the first with a ``gebruiksdoel`` column).
    notices
        Collects what the user should know.

    Returns
    -------
    geopandas.GeoDataFrame
        ``identificatie`` (or the row number) and ``geometry``; ``attrs["source"]``.

    Raises
    ------
    DataError
        No ``gebruiksdoel`` column, no coordinates, or a coordinate that is not a number.

    Examples
    --------
    >>> homes = addresses_from_file("bevolking/bag_verblijfsobjecten.gpkg")  # doctest: +SKIP
    """
    path = Path(path)
    notices = notices if notices is not None else Notices()
    if path.suffix.lower() == ".csv":
        frame = _from_csv(path)
    else:
        frame = read_recognised_layer(
            path,
            layer,
            recognises=is_addresses,
            hint="sla de adressen op als GeoPackage, GeoJSON of CSV met x/y.",
        )
    lower = {str(c).lower(): c for c in frame.columns}
    if not is_addresses(list(lower)):
        raise DataError(
            "geen BAG-verblijfsobjecten: de kolom 'gebruiksdoel' ontbreekt.",
            file=path,
            hint="gebruik de BAG-laag verblijfsobject (PDOK BAG GeoPackage).",
        )
    doel = frame[lower["gebruiksdoel"]].astype("string").str.lower().fillna("")
    keep = doel.str.contains("woonfunctie", regex=False).to_numpy()
    if "status" in lower:
        status = frame[lower["status"]].astype("string").str.strip().str.lower().fillna("")
        keep &= status.str.startswith(IN_USE).to_numpy() | (status == "").to_numpy()
    homes = frame[keep]
    homes = homes[~(homes.geometry.isna() | homes.geometry.is_empty).to_numpy()]
    homes = to_rd(homes, source=path.name, notices=notices)
    ident = lower.get("identificatie")
    out = gpd.GeoDataFrame(
        {"identificatie": homes[ident].astype(str) if ident else homes.index.astype(str)},
        geometry=homes.geometry.to_numpy(),
        crs=homes.crs,
    ).reset_index(drop=True)
    if len(out) and set(out.geometry.geom_type.unique()) != {"Point"}:
        out = out.set_geometry(out.geometry.representative_point())
    out.attrs["source"] = f"BAG verblijfsobjecten met woonfunctie ({path.name})"
    logger.info("adressen %s: %d woningen van %d objecten", path.name, len(out), len(frame))
    return out


def _from_csv(path: Path) -> gpd.GeoDataFrame:
    table = read_table(path)
    frame = table.frame
    lower = {str(c).lower(): c for c in frame.columns}
    pair = next(((x, y) for x, y in _XY if x in lower and y in lower), None)
    if pair is None:
        raise DataError(
            "geen coördinaten: verwacht kolommen x en y (RD) of lon en lat.",
            file=path,
            hint="voeg de coördinaten van elk verblijfsobject toe.",
        )
    columns = [lower[pair[0]], lower[pair[1]]]
    numbers = []
    for column in columns:
        text = frame[column].astype("string").str.strip().str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & (text.fillna("") != "")
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                "verwacht een coördinaat (een getal).",
                file=path,
                row=table.row_number(first),
                column=str(column),
                value=frame[column].iloc[first],
                hint="corrigeer de cel.",
            )
        numbers.append(values.to_numpy(dtype=float))
    located = np.isfinite(numbers[0]) & np.isfinite(numbers[1])
    geometry = gpd.points_from_xy(numbers[0], numbers[1])
    geometry[~located] = None
    crs = "EPSG:4326" if pair[0] in ("lon", "longitude") else "EPSG:28992"
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)
