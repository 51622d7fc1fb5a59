"""Recognise what an official file is by its columns, not its name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataError
from geo.io._tabular import TABULAR_SUFFIXES, Table, read_table, suffix_of
from geo.io.boundaries import SPATIAL_SUFFIXES
from geo.io.kwb import is_kwb, is_nabijheid
from geo.io.rivm import is_rivm

KINDS = ("grenzen", "rivm", "kwb", "nabijheid")


class UnknownFileError(DataError):
    """A readable file whose columns match no known official format."""


@dataclass
class Recognised:
    """A file and what it is; ``table`` is kept for tabular files so they are read once."""

    path: Path
    kind: str
    table: Table | None = None


def recognise(path: str | Path) -> Recognised:
    """Say what a data file is: ``grenzen``, ``rivm``, ``kwb`` or ``nabijheid``.

    Raises
    ------
    DataError
        When the file is of no known kind (the message lists what was found).
    """
    path = Path(path)
    suffix = suffix_of(path)
    if suffix in SPATIAL_SUFFIXES:
        return Recognised(path, "grenzen")
    if suffix not in TABULAR_SUFFIXES:
        raise DataError(
            f"onbekend bestandstype '{suffix}'.",
            file=path,
            hint="gebruik CSV, xlsx, GeoJSON, GeoPackage, TopoJSON of een gezipte shapefile.",
        )
    table = read_table(path)
    columns = [str(c) for c in table.frame.columns]
    if is_rivm(columns):
        return Recognised(path, "rivm", table)
    if is_kwb(columns):
        return Recognised(path, "kwb", table)
    if is_nabijheid(columns):
        return Recognised(path, "nabijheid", table)
    shown = ", ".join(columns[:8]) + (" ..." if len(columns) > 8 else "")
    raise UnknownFileError(
        f"onbekende kolommen ({shown}); dit is geen RIVM-, CBS Kerncijfers- of Nabijheid-tabel.",
        file=path,
        hint="gebruik de originele download van CBS/RIVM (OData-kolommen zoals Eenzaam_28, of "
        "kwb-kolommen zoals gwb_code_10 en a_inw), of haal het bestand uit de map wijken/.",
    )
