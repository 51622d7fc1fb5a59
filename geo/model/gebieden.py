"""Focus areas (gebieden): named sets of wijken/buurten, stored per dataset in ``gebieden.toml``.

A gebied lists CBS codes, or names a polygon file (then its buurten are those whose interior
point lies inside the polygon). For Utrecht (GM0344) the four areas of the Uitvoeringsplan
Eenzaamheid are built in and used when a dataset has no ``gebieden.toml`` of its own.

Example ``gebieden.toml``::

    [Overvecht]
    codes = ["WK034403"]
    beschrijving = "De eenzaamste wijk"

    [Mijn gebied]
    bestand = "mijn_gebied.geojson"
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import shapely
import tomli_w

from geo.errors import DataError
from geo.model.codes import niveau_of, normalise_code

GEBIEDEN_FILE = "gebieden.toml"
BUILT_IN = {"GM0344": "gebieden_utrecht.toml"}


@dataclass(frozen=True)
class Gebied:
    """A named focus area.

    Attributes
    ----------
    naam
        Display name (``Zuilen``).
    codes
        Member wijk/buurt codes as listed (a wijk stands for all its buurten).
    beschrijving
        Why it is a focus area.
    bestand
        Polygon file the gebied was defined by, if any.
    bron
        Where the definition came from (file name, or 'ingebouwd').
    """

    naam: str
    codes: tuple[str, ...]
    beschrijving: str = ""
    bestand: str | None = None
    bron: str = ""
    ontbrekend: tuple[str, ...] = field(default=())

    def buurt_codes(self, areas: gpd.GeoDataFrame) -> list[str]:
        """Codes of the buurten that make up this gebied (wijken expanded to their buurten)."""
        buurten = areas[areas["niveau"] == "buurt"]
        out: list[str] = []
        for code in self.codes:
            if niveau_of(code) == "wijk":
                out.extend(buurten.loc[buurten["wijk_code"] == code, "code"])
            elif niveau_of(code) == "buurt":
                out.append(code)
        return sorted(set(out))

    def geometry(self, areas: gpd.GeoDataFrame) -> shapely.Geometry | None:
        """Union of the member areas' shapes (EPSG:28992), or None when none are known."""
        members = areas[areas["code"].isin(self.codes)]
        if members.empty:
            return None
        return shapely.union_all(members.geometry.to_numpy())


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
    from geo.errors import Notices
    from geo.io.boundaries import read_spatial
    from geo.io.crs import to_rd

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


def built_in_gebieden(gemeente_code: str | None) -> dict[str, Gebied]:
    """The focus areas Wijkkompas knows for a gemeente (Utrecht: Overvecht, Zuilen, ...)."""
    name = BUILT_IN.get(gemeente_code or "")
    if name is None:
        return {}
    text = resources.files("geo.model").joinpath(name).read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    return {
        naam: Gebied(
            naam=naam,
            codes=tuple(spec["codes"]),
            beschrijving=spec.get("beschrijving", ""),
            bron="ingebouwd (Uitvoeringsplan Eenzaamheid Utrecht 2023-2026)",
        )
        for naam, spec in raw.items()
    }


def save_gebied(data_dir: str | Path, gebied: Gebied) -> Path:
    """Add or replace a gebied in the dataset's ``gebieden.toml`` (atomic write).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(data_dir) / GEBIEDEN_FILE
    raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    spec: dict[str, object] = {}
    if gebied.bestand:
        spec["bestand"] = gebied.bestand
    else:
        spec["codes"] = list(gebied.codes)
    if gebied.beschrijving:
        spec["beschrijving"] = gebied.beschrijving
    raw[gebied.naam] = spec
    text = tomli_w.dumps(raw)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gebieden-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
