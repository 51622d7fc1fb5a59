"""CBS area codes: ``NL01``, ``GM0344``, ``WK034403``, ``BU03440311`` and their hierarchy."""

from __future__ import annotations

import re

import pandas as pd

NIVEAUS = ("land", "gemeente", "wijk", "buurt")
"""Levels from coarse to fine."""

_PATTERNS = {
    "land": re.compile(r"^NL\d{2}$"),
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "buurt": re.compile(r"^BU\d{8}$"),
}
_PREFIX = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}

AREA_COLUMNS = [
    "code",
    "naam",
    "niveau",
    "gemeente_code",
    "wijk_code",
    "naam_bron",
    "bron",
    "indeling",
    "geometry",
]
"""Columns of the canonical areas table (geometry in EPSG:28992)."""


def normalise_code(code: object) -> str:
    """Strip padding and upper-case a code (``' gm0344  '`` -> ``'GM0344'``)."""
    return str(code).strip().upper()


def niveau_of(code: str) -> str | None:
    """Level of a CBS code, or ``None`` when the code is not CBS style.

    Examples
    --------
    >>> niveau_of("WK034403")
    'wijk'
    >>> niveau_of("0344") is None
    True
    """
    for niveau, pattern in _PATTERNS.items():
        if pattern.match(code):
            return niveau
    return None


def gemeente_digits(code: str) -> str | None:
    """The four gemeente digits of a gemeente, wijk or buurt code."""
    if niveau_of(code) in ("gemeente", "wijk", "buurt"):
        return code[2:6]
    return None


def parent_codes(code: str) -> tuple[str | None, str | None]:
    """``(gemeente_code, wijk_code)`` of a code; parts above the code's own level.

    Examples
    --------
    >>> parent_codes("BU03440311")
    ('GM0344', 'WK034403')
    >>> parent_codes("WK034403")
    ('GM0344', None)
    """
    niveau = niveau_of(code)
    if niveau == "buurt":
        return "GM" + code[2:6], "WK" + code[2:8]
    if niveau == "wijk":
        return "GM" + code[2:6], None
    return None, None


def make_code(niveau: str, digits: str) -> str:
    """Build a CBS code from a level and its digits (``make_code('wijk', '034403')``)."""
    return _PREFIX[niveau] + digits


def niveau_series(codes: pd.Series) -> pd.Series:
    """Vectorised :func:`niveau_of`."""
    out = pd.Series(None, index=codes.index, dtype=object)
    for niveau, pattern in _PATTERNS.items():
        out[codes.str.match(pattern.pattern)] = niveau
    return out


def in_gemeente(codes: pd.Series, digits: str | None) -> pd.Series:
    """True where a code belongs to the gemeente with these four digits (all when None)."""
    if digits is None:
        return pd.Series(True, index=codes.index)
    return codes.str[2:6].eq(digits) & ~codes.str.startswith("NL")
