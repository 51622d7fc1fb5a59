"""Generated CBS 100 m squares and BAG verblijfsobjecten in their real layouts (for tests).

The squares carry the CBS/PDOK column names (``crs28992res100m``, ``aantal_inwoners``, the age
bands, ``aantal_eenpersoonshuishoudens``) and CBS's ``-99997`` for a secret value; the
addresses the BAG ``verblijfsobject`` columns (``identificatie``, ``gebruiksdoel``,
``status``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Point, box

SECRET = -99997
ORIGIN = (136_000.0, 455_000.0)
"""Local test metres are placed here in RD New (Utrecht), so readers see Dutch coordinates."""


def square_rows(
    cells: dict[tuple[int, int], dict[str, float]], *, origin: tuple[float, float] = ORIGIN
) -> gpd.GeoDataFrame:
    """Squares keyed by their south-west corner (local metres from ``origin``, multiples of 100)."""
    rows = []
    for (x, y), values in cells.items():
        inwoners = values.get("inwoners", 0)
        old = values.get("65plus", 0)
        band = SECRET if inwoners == SECRET else 0
        east, north = int(origin[0] + x) // 100, int(origin[1] + y) // 100
        rows.append(
            {
                "crs28992res100m": f"E{east:04d}N{north:04d}",
                "aantal_inwoners": inwoners,
                "aantal_mannen": SECRET if inwoners == SECRET else inwoners // 2,
                "aantal_inwoners_0_tot_15_jaar": values.get("0_15", band),
                "aantal_inwoners_15_tot_25_jaar": values.get("15_25", band),
                "aantal_inwoners_25_tot_45_jaar": values.get("25_45", band),
                "aantal_inwoners_45_tot_65_jaar": values.get("45_65", band),
                "aantal_inwoners_65_jaar_en_ouder": old,
                "aantal_part_huishoudens": values.get("huishoudens", band),
                "aantal_eenpersoonshuishoudens": values.get("eenpersoons", band),
                "geometry": box(
                    origin[0] + x, origin[1] + y, origin[0] + x + 100, origin[1] + y + 100
                ),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")


def write_squares(
    path: Path,
    cells: dict[tuple[int, int], dict[str, float]],
    *,
    origin: tuple[float, float] = ORIGIN,
) -> Path:
    """A GeoPackage (layer ``vierkant_100m``) or, for ``.geojson``, GeoJSON in CRS84."""
    frame = square_rows(cells, origin=origin)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gpkg":
        frame.to_file(path, layer="vierkant_100m", driver="GPKG")
    else:
        frame.to_crs("OGC:CRS84").to_file(path, driver="GeoJSON")
    return path


def grid_cells(
    bounds: tuple[float, float, float, float], *, seed: int = 1
) -> dict[tuple[int, int], dict[str, float]]:
    """Inhabited squares over a box, with random counts and a few secret ones."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = (int(v // 100 * 100) for v in bounds)
    cells: dict[tuple[int, int], dict[str, float]] = {}
    for x in range(x0, int(x1) + 1, 100):
        for y in range(y0, int(y1) + 1, 100):
            inwoners = int(rng.integers(0, 60)) * 5
            old = int(rng.integers(0, inwoners // 5 + 1)) if inwoners else 0
            young = int(rng.integers(0, inwoners // 4 + 1)) if inwoners else 0
            if inwoners and rng.random() < 0.05:
                inwoners, old = SECRET, SECRET
            cells[(x, y)] = {
                "inwoners": inwoners,
                "65plus": old,
                "15_25": young,
                "25_45": young,
            }
    return cells


def write_addresses(path: Path, homes: list[tuple[float, float, str]]) -> Path:
    """BAG verblijfsobjecten ``(x, y, gebruiksdoel)`` as a GeoPackage or a CSV with x/y."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = gpd.GeoDataFrame(
        {
            "identificatie": [f"0344010000{i:06d}" for i in range(len(homes))],
            "gebruiksdoel": [doel for _x, _y, doel in homes],
            "status": "Verblijfsobject in gebruik",
        },
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y) for x, y, _ in homes],
        crs="EPSG:28992",
    )
    if path.suffix == ".csv":
        table = frame.drop(columns="geometry")
        table["x"] = [ORIGIN[0] + x for x, _y, _ in homes]
        table["y"] = [ORIGIN[1] + y for _x, y, _ in homes]
        table.to_csv(path, index=False, sep=";")
    else:
        frame.to_file(path, layer="verblijfsobject", driver="GPKG")
    return path
