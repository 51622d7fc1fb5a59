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

from geo.model.codes import niveau_of

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
