"""Dutch number formatting: 1.240, 48,9 %, 0,5.

Rounding is half up (2,5 -> 3), as people expect when they check a figure by hand, not
Python's half-to-even. Missing values (None, NaN, ``pd.NA``, infinities) print as a dash.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "–"


def as_number(value: object) -> float | None:
    """The value as a finite float, or None when it is missing or not a number.

    Examples
    --------
    >>> as_number("3"), as_number(float("nan")), as_number(None)
    (3.0, None, None)
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt_num(value: object, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A number with a decimal comma and a thousands dot.

    Parameters
    ----------
    value
        The number (anything ``float()`` accepts); missing values give ``missing``.
    decimals
        Digits after the comma.
    missing
        Text for a missing value.

    Examples
    --------
    >>> fmt_num(0.5, 1)
    '0,5'
    >>> fmt_num(12345.678, 2)
    '12.345,68'
    >>> fmt_num(1.25, 1), fmt_num(2.675, 2)
    ('1,3', '2,68')
    """
    number = as_number(value)
    if number is None:
        return missing
    shortest = repr(number)
    _, _, fraction = shortest.partition(".")
    if len(fraction) == decimals + 1 and fraction.endswith("5") and "e" not in shortest:
        # a tie as people read it (2,675 -> 2,68), which binary floats may round down
        try:
            rounded = Decimal(shortest).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        except InvalidOperation:  # more digits than Decimal's context allows
            rounded = Decimal(f"{number:.{decimals}f}")
        text = f"{rounded:,.{decimals}f}"
    else:
        text = f"{number:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0,0"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def fmt_int(value: object, *, missing: str = MISSING) -> str:
    """A whole number with a thousands dot.

    Examples
    --------
    >>> fmt_int(1240)
    '1.240'
    >>> fmt_int(713.6)
    '714'
    """
    return fmt_num(value, 0, missing=missing)


def fmt_pct(value: object, decimals: int = 1, *, missing: str = MISSING) -> str:
    """A percentage (given in %), Dutch style with a space before the sign.

    Examples
    --------
    >>> fmt_pct(48.9)
    '48,9 %'
    """
    if as_number(value) is None:
        return missing
    return f"{fmt_num(value, decimals)} %"


def fmt_pct_interval(
    value: object, lower: object, upper: object, decimals: int = 1, *, missing: str = MISSING
) -> str:
    """A percentage with its 95 % interval when there is one: ``58,2 % (55,1-61,3)``.

    Examples
    --------
    >>> fmt_pct_interval(58.2, 55.1, 61.3)
    '58,2 % (55,1-61,3)'
    >>> fmt_pct_interval(48.9, None, None)
    '48,9 %'
    """
    text = fmt_pct(value, decimals, missing=missing)
    if as_number(value) is None or as_number(lower) is None or as_number(upper) is None:
        return text
    return f"{text} ({fmt_num(lower, decimals)}-{fmt_num(upper, decimals)})"
