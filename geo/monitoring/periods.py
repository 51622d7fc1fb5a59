"""Periods of a measurement: a year ``2024``, a half ``2024H1`` or a quarter ``2024Q3``.

For the progress status a period is placed on the time axis at its start, in years:
``2024`` → 2024.0, ``2024H2`` → 2024.5, ``2024Q3`` → 2024.5. A target year ``2026`` is 2026.0,
so a yearly series and its target are compared year against year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import DataError

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:([HhQqKk])\s*([1-4]))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period; orders by time.

    Attributes
    ----------
    start
        The period's start in years (2024.5 for ``2024H2``).
    label
        The canonical spelling (``2024``, ``2024H1``, ``2024Q3``).
    """

    start: float
    label: str

    @property
    def year(self) -> int:
        """The calendar year."""
        return int(self.start)


def parse_period(text: str) -> Period:
    """Parse ``2024``, ``2024H1``/``2024H2`` or ``2024Q1`` … ``2024Q4`` (``K`` for kwartaal too).

    Raises
    ------
    DataError
        Anything else (a month, a range, a typo).

    Examples
    --------
    >>> parse_period("2024q3")
    Period(start=2024.5, label='2024Q3')
    """
    match = _PERIOD.match(str(text))
    if match is None:
        raise DataError(
            "de periode is geen jaar, halfjaar of kwartaal.",
            value=str(text),
            hint="schrijf 2024, 2024H1 (halfjaar) of 2024Q3 (kwartaal).",
        )
    year, kind, number = int(match.group(1)), match.group(2), match.group(3)
    if not 1900 <= year <= 2100:
        raise DataError(
            "het jaar van de periode ligt niet tussen 1900 en 2100.",
            value=str(text),
            hint="schrijf het jaar voluit, bijvoorbeeld 2024.",
        )
    if kind is None:
        return Period(float(year), str(year))
    kind = kind.upper()
    index = int(number)
    if kind == "H":
        if index > 2:
            raise DataError(
                "een jaar heeft twee halfjaren.", value=str(text), hint="schrijf 2024H1 of 2024H2."
            )
        return Period(year + (index - 1) / 2, f"{year}H{index}")
    return Period(year + (index - 1) / 4, f"{year}Q{index}")
