"""Coordinates and text of partner rows: RD or WGS84 by range, swapped axes, mojibake."""

from __future__ import annotations

import math
import re

import numpy as np
from pyproj import Transformer

from geo.io._tabular import parse_number
from geo.io.crs import LAT, LON, RD_X, RD_Y

_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


class CoordinateProblem(ValueError):
    """A coordinate pair that cannot be used; the message is the Dutch reason."""


def read_pair(first: str, second: str, *, lat_lon: bool) -> tuple[float, float] | None:
    """Parse two coordinate cells; ``None`` when both are empty.

    Raises
    ------
    CoordinateProblem
        One cell empty, not a number, not finite.
    """
    if not first.strip() and not second.strip():
        return None
    if not first.strip() or not second.strip():
        raise CoordinateProblem("één van de twee coördinaten ontbreekt")
    a, b = parse_number(first), parse_number(second)
    if a is None or b is None:
        bad = first if a is None else second
        raise CoordinateProblem(f"coördinaat '{bad}' is geen getal")
    if not (math.isfinite(a) and math.isfinite(b)):
        raise CoordinateProblem("coördinaat is geen eindig getal (NaN of oneindig)")
    return (b, a) if lat_lon else (a, b)


def classify(x: float, y: float) -> tuple[str, str | None]:
    """Say what a coordinate pair is: ``rd``, ``wgs84`` or ``swapped`` (+ a warning).

    Raises
    ------
    CoordinateProblem
        For (0, 0) and anything outside the Netherlands (at sea, wrong unit).
    """
    if x == 0 and y == 0:
        raise CoordinateProblem("coördinaat (0, 0) is geen locatie (lege waarde?)")
    if LON[0] <= x <= LON[1] and LAT[0] <= y <= LAT[1]:
        return "wgs84", None
    if LAT[0] <= x <= LAT[1] and LON[0] <= y <= LON[1]:
        return "swapped", "breedte- en lengtegraad waren omgewisseld; omgedraaid"
    if RD_X[0] <= x <= RD_X[1] and RD_Y[0] <= y <= RD_Y[1]:
        return "rd", None
    raise CoordinateProblem(
        f"coördinaat ({x:g}, {y:g}) ligt niet in Nederland (op zee, of verkeerde eenheid)"
    )


def to_rd(x: float, y: float, kind: str) -> tuple[float, float]:
    """RD metres for a classified pair."""
    if kind == "rd":
        return x, y
    lon, lat = (y, x) if kind == "swapped" else (x, y)
    rx, ry = _TO_RD.transform(lon, lat)
    return float(rx), float(ry)


def to_rd_many(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised WGS84 -> RD."""
    x, y = _TO_RD.transform(lon, lat)
    return np.asarray(x), np.asarray(y)


_MOJIBAKE = re.compile("[├┬─│Ã]")


def repair_text(text: str) -> tuple[str, bool]:
    """Undo UTF-8 read as cp437/cp1252 (``klomp├®singel`` -> ``klompésingel``).

    Returns
    -------
    text, repaired
    """
    if not _MOJIBAKE.search(text):
        return text, False
    for codec in ("cp850", "cp437", "cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text:
            return fixed, True
    return text, False


def normalise_name(text: str) -> str:
    """Lower-case letters and digits only, for duplicate detection."""
    return re.sub(r"[^a-z0-9]", "", text.lower())
