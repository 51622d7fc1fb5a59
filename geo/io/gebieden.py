"""Read focus areas (aandachtsgebieden) from a folder's ``gebieden.toml``.

A gebied is a list of wijk/buurt codes, or a polygon file whose buurten (by their
representative point) make up the gebied. The canonical :class:`~geo.model.gebieden.Gebied`
and the built-in Utrecht focus areas live in :mod:`geo.model.gebieden`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import geopandas as gpd
import shapely

from geo.errors import DataError, Notices
from geo.io.boundaries import read_spatial
from geo.io.crs import to_rd
from geo.model.codes import niveau_of, normalise_code
from geo.model.gebieden import Gebied


def gebieden_from_file(
    path: str | Path, *, areas: gpd.GeoDataFrame | None = None
) -> dict[str, Gebied]:
    """Read focus areas from a ``gebieden.toml``.

    Parameters
    ----------
    path
        The TOML file.
    areas
        Canonical areas, needed for gebieden defined by a polygon file.

    Raises
    ------
    DataError
        Malformed TOML, a gebied without codes or file, codes that are not CBS codes.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(
            f"het bestand is geen geldige TOML ({exc}).",
            file=path,
            hint="zie de README voor een voorbeeld van gebieden.toml.",
        ) from exc
    out: dict[str, Gebied] = {}
    for naam, spec in raw.items():
        if not isinstance(spec, dict):
            raise DataError(
                "verwacht een kopje [naam] met codes = [...] of bestand = '...'.",
                file=path,
                value=naam,
            )
        beschrijving = str(spec.get("beschrijving", ""))
        if "bestand" in spec:
            out[naam] = _from_polygon(
                naam,
                path.parent / str(spec["bestand"]),
                areas,
                beschrijving=beschrijving,
                bron=path.name,
            )
            continue
        codes = spec.get("codes")
        if not isinstance(codes, list) or not codes:
            raise DataError(
                f"gebied '{naam}' heeft geen codes.",
                file=path,
                column="codes",
                hint='schrijf codes = ["BU03440231", ...] of bestand = "gebied.geojson".',
            )
        clean = tuple(normalise_code(c) for c in codes)
        for code in clean:
            if niveau_of(code) not in ("wijk", "buurt"):
                raise DataError(
                    f"gebied '{naam}': dit is geen wijk- of buurtcode.",
                    file=path,
                    column="codes",
                    value=code,
                    hint="gebruik CBS-codes als WK034403 of BU03440231.",
                )
        out[naam] = Gebied(naam=naam, codes=clean, beschrijving=beschrijving, bron=path.name)
    return out


def _from_polygon(
    naam: str, polygon_file: Path, areas: gpd.GeoDataFrame | None, *, beschrijving: str, bron: str
) -> Gebied:
    if areas is None:
        raise DataError(
            f"gebied '{naam}' uit een vormbestand heeft gebiedsgrenzen nodig.", file=polygon_file
        )
    shape = to_rd(read_spatial(polygon_file), source=polygon_file.name, notices=Notices())
    polygon = shapely.union_all(shape.geometry.to_numpy())
    buurten = areas[areas["niveau"] == "buurt"]
    inside = shapely.contains(polygon, buurten.geometry.representative_point().to_numpy())
    codes = tuple(sorted(buurten.loc[inside, "code"]))
    if not codes:
        raise DataError(
            f"gebied '{naam}': de vorm bevat geen enkele buurt.",
            file=polygon_file,
            hint="controleer het coördinatenstelsel en of de vorm in deze gemeente ligt.",
        )
    return Gebied(
        naam=naam, codes=codes, beschrijving=beschrijving, bestand=polygon_file.name, bron=bron
    )
