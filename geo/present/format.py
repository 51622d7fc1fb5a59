"""Dutch number formatting: 1.240, 48,9 %, 0,5."""

from __future__ import annotations

import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_num(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """A number with a decimal comma and a thousands dot.

    Examples
    --------
    >>> fmt_num(0.5, 1)
    '0,5'
    >>> fmt_num(12345.678, 2)
    '12.345,68'
    """
    if _missing(value):
        return missing
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def fmt_int(value: float | None, *, missing: str = "–") -> str:
    """A whole number with a thousands dot.

    Examples
    --------
    >>> fmt_int(1240)
    '1.240'
    """
    if _missing(value):
        return missing
    return fmt_num(round(float(value)), 0)  # type: ignore[arg-type]


def fmt_pct(value: float | None, decimals: int = 1, *, missing: str = "–") -> str:
    """A percentage (given in %), Dutch style with a space before the sign.

    Examples
    --------
    >>> fmt_pct(48.9)
    '48,9 %'
    """
    if _missing(value):
        return missing
    return f"{fmt_num(value, decimals)} %"
