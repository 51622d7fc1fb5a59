"""Progress status per indicator by the Open SDG method (Statistics Canada / Eurostat).

The observed compound annual growth rate since the base period,
``CAGR = (y_t / y_0) ** (1 / (t - t_0)) - 1``, is compared with the rate needed to reach the
target on time, ``CAGR_T = (y_T / y_0) ** (1 / (T - t_0)) - 1``; ``R = CAGR / CAGR_T``:

=================  =====================================
``R ≥ 0,95``       op koers
``0,60 ≤ R < 0,95``  vooruitgang, versnelling nodig
``0 ≤ R < 0,60``   beperkte vooruitgang
``R < 0``          achteruitgang
=================  =====================================

A latest value at or beyond the target (in the good direction) is *doel gehaald*.
Without a target the observed rate itself, signed by the direction (``d = +1`` when higher is
better, ``-1`` when lower is better), is compared with fixed thresholds:
``d·CAGR ≥ 1,5 %`` op koers, ``0,5-1,5 %`` vooruitgang, versnelling nodig, ``0-0,5 %``
beperkte vooruitgang, ``< 0`` achteruitgang. A status needs two values at different times
with a positive base value; otherwise it is *onbekend* with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

ON_TRACK = "op koers"
ACCELERATE = "vooruitgang, versnelling nodig"
LIMITED = "beperkte vooruitgang"
DETERIORATION = "achteruitgang"
ACHIEVED = "doel gehaald"
UNKNOWN = "onbekend"
STATUSES = (ACHIEVED, ON_TRACK, ACCELERATE, LIMITED, DETERIORATION, UNKNOWN)

RATIO_THRESHOLDS = (0.95, 0.60, 0.0)
"""Lower bounds of R for op koers, versnelling nodig, beperkte vooruitgang (Open SDG)."""
NO_TARGET_THRESHOLDS = (0.015, 0.005, 0.0)
"""Lower bounds of the direction-signed CAGR without a target (Open SDG)."""

COLOURS = {
    ACHIEVED: "#1a7f37",
    ON_TRACK: "#2e9e4f",
    ACCELERATE: "#e0b000",
    LIMITED: "#e07b00",
    DETERIORATION: "#c62828",
    UNKNOWN: "#8a8a8a",
}
"""Status colours (green - yellow - orange - red, grey = unknown); always shown with the words."""


@dataclass(frozen=True)
class Progress:
    """The status of one indicator and how it was reached.

    Attributes
    ----------
    status
        One of :data:`STATUSES`.
    ratio
        R (observed over required growth) with a target, else None.
    groei
        The observed CAGR (a fraction per year), or None.
    uitleg
        One Dutch sentence saying how the status follows from the numbers.
    """

    status: str
    ratio: float | None
    groei: float | None
    uitleg: str


def progress_status(
    base: tuple[float, float],
    latest: tuple[float, float],
    *,
    richting: str,
    target: tuple[float, float] | None = None,
    strict: bool = False,
) -> Progress:
    """Progress of an indicator by the Open SDG method.

    Parameters
    ----------
    base, latest
        ``(time in years, value)`` of the base and the latest measurement.
    richting
        ``hoger`` (higher is better) or ``lager``.
    target
        ``(target year, target value)``, or None without a target.
    strict
        The target is *below* (or above) the value, not *at* it: equal is not reached
        (the outcome target "onder het landelijk gemiddelde").

    Returns
    -------
    Progress

    Examples
    --------
    Base 100 in 2020, 110 in 2022, target 121 in 2024 (10 % a year needed, 4.9 % observed):

    >>> progress_status((2020, 100), (2022, 110), richting="hoger", target=(2024, 121)).status
    'vooruitgang, versnelling nodig'
    """
    (t0, y0), (t, y) = base, latest
    d = 1.0 if richting == "hoger" else -1.0
    if target is not None and ((y - target[1]) * d > 0 or (not strict and y == target[1])):
        return Progress(ACHIEVED, None, None, "De laatste waarde haalt het doel al.")
    if t <= t0:
        return Progress(UNKNOWN, None, None, "Nog geen twee metingen op verschillende momenten.")
    if y0 <= 0 or y < 0:
        return Progress(
            UNKNOWN, None, None, "Groei is niet te berekenen vanaf een beginwaarde van 0."
        )
    cagr = (y / y0) ** (1.0 / (t - t0)) - 1.0
    if target is None:
        signed = d * cagr
        status = _band(signed, NO_TARGET_THRESHOLDS)
        return Progress(
            status,
            None,
            cagr,
            f"Zonder doel: {_pct(cagr)} per jaar {'groei' if cagr >= 0 else 'daling'}"
            f" (drempels 1,5 % en 0,5 % per jaar in de goede richting).",
        )
    year_t, y_target = target
    if year_t <= t0 or y_target <= 0:
        return Progress(UNKNOWN, None, cagr, "Het doeljaar ligt niet na de basisperiode.")
    needed = (y_target / y0) ** (1.0 / (year_t - t0)) - 1.0
    if needed * d <= 0:
        # the base already met the target but the latest value fell back: any move the
        # wrong way is deterioration, standing still is limited progress
        status = DETERIORATION if cagr * d < 0 else LIMITED
        return Progress(status, None, cagr, "De basiswaarde haalde het doel al; nu niet meer.")
    ratio = cagr / needed
    return Progress(
        _band(ratio, RATIO_THRESHOLDS),
        ratio,
        cagr,
        f"Waargenomen {_pct(cagr)} per jaar, nodig {_pct(needed)} per jaar: "
        f"{_pct(ratio, 0)} van het benodigde tempo.",
    )


def _band(value: float, thresholds: tuple[float, float, float]) -> str:
    value = round(value, 9)  # 109.5/100 over 10 % is 0.95 exactly, not 0.9499999
    top, middle, zero = thresholds
    if value >= top:
        return ON_TRACK
    if value >= middle:
        return ACCELERATE
    if value >= zero:
        return LIMITED
    return DETERIORATION


def _pct(fraction: float, digits: int = 1) -> str:
    return f"{fraction * 100:.{digits}f} %".replace(".", ",")
