"""OpenStreetMap ``opening_hours`` to the aanbod dagdelen (ochtend, middag, avond, weekend).

The common forms of the `OSM opening_hours syntax
<https://wiki.openstreetmap.org/wiki/Key:opening_hours>`_ are read: rules separated by ``;``
(a later rule replaces the hours of the days it names), day ranges and lists (``Mo-Fr``,
``Mo,We,Fr``, ``Mo-We,Sa``), several time ranges (``09:00-12:00,13:00-17:00``), past
midnight (``20:00-02:00``), ``24/7``, ``off``/``closed``, and public/school holidays
(``PH off``, ``PH 10:00-12:00``: ignored, a holiday says nothing about the normal week).
A rule without days holds every day; days without times are open all day.

Anything else — ``sunrise``/``sunset``, months or weeks (``Jan-Mar``, ``week 1-26``), open
ends (``10:00+``), free text (``op afspraak``) — makes the times *unknown*, with a warning;
an unknown time is never guessed (:mod:`geo.analysis.timefit` gives it a partial weight).

The dagdelen follow the aanbod schema: ``ochtend`` 7-12, ``middag`` 12-17 and ``avond`` 17-22
on weekdays (Monday to Friday), ``weekend`` any time on Saturday or Sunday between 7 and 22.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
WEEKEND_DAYS = ("Sa", "Su")
DAGDEEL_HOURS = {"ochtend": (7, 12), "middag": (12, 17), "avond": (17, 22)}
"""Weekday dagdelen as ``[start, end)`` hours; ``weekend`` is Saturday/Sunday 7-22."""
WEEKEND_HOURS = (7, 22)

_TIME = r"(\d{1,2}):(\d{2})"
_SPAN = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
_DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:\[[-\d,]+\])?(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")
_HOLIDAY = re.compile(r"^(PH|SH)$")
_COMMENT = re.compile(r'"[^"]*"')
_ADDITIONAL = re.compile(r"(?<=\d)\s*,\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)\b)")
"""``Mo-Fr 09:00-17:00, Sa 10:00-12:00``: an additional rule (adds hours, replaces none)."""
_UNSUPPORTED = re.compile(
    r"sunrise|sunset|dawn|dusk|\bweek\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b|"
    r"\d{4}|\+|\|\||easter",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OpeningHours:
    """What an ``opening_hours`` value says about the dagdelen.

    Attributes
    ----------
    text
        The value as given.
    dagdelen
        The dagdelen it is open in (empty when closed or unknown), in schema order.
    known
        False when (part of) the value could not be read: the times are unknown.
    warning
        Dutch warning for the import report when not ``known``.
    """

    text: str
    dagdelen: tuple[str, ...]
    known: bool
    warning: str | None = None

    @property
    def value(self) -> str:
        """``;``-separated dagdelen for the aanbod ``dagdelen`` column ('' when unknown)."""
        return ";".join(self.dagdelen) if self.known else ""


def parse_opening_hours(text: object) -> OpeningHours:
    """Read an OSM ``opening_hours`` value into dagdelen.

    Parameters
    ----------
    text
        The tag value (``None``/empty: unknown, without a warning).

    Returns
    -------
    OpeningHours
        ``known`` False (and a warning, also logged) for what is not understood.

    Examples
    --------
    >>> parse_opening_hours("Mo-Fr 09:00-17:00; Sa 10:00-14:00").dagdelen
    ('ochtend', 'middag', 'weekend')
    >>> parse_opening_hours("Tu,Th 19:00-21:30; PH off").value
    'avond'
    >>> parse_opening_hours("sunrise-sunset").known
    False
    """
    raw = "" if text is None or (isinstance(text, float) and text != text) else str(text)
    value = _COMMENT.sub(" ", raw).strip()
    if not value:
        return OpeningHours(raw, (), False, None)
    week: dict[str, list[tuple[int, int]]] = {day: [] for day in DAYS}
    try:
        if _UNSUPPORTED.search(value):
            raise ValueError("niet-ondersteunde vorm")
        touched = False
        for rule in (part.strip() for part in value.split(";")):
            for number, part in enumerate(_ADDITIONAL.split(rule)):
                if part.strip():
                    touched |= _apply(part.strip(), week, add=number > 0)
        if not touched:
            raise ValueError("alleen feestdagen, niets over de gewone week")
    except ValueError as problem:
        warning = (
            f"openingstijden '{raw}' niet herkend ({problem}): tijden onbekend; "
            "schrijf bijvoorbeeld 'Mo-Fr 09:00-17:00; Sa 10:00-14:00'"
        )
        logger.warning("%s", warning)
        return OpeningHours(raw, (), False, warning)
    return OpeningHours(raw, _dagdelen(week), True, None)


def _apply(rule: str, week: dict[str, list[tuple[int, int]]], *, add: bool = False) -> bool:
    """Apply one rule to the week (a later rule replaces the days it names, unless ``add``).

    Returns False for a holiday-only rule (it leaves the normal week as it is).
    """
    if rule == "24/7":
        for day in DAYS:
            week[day] = [(0, 24 * 60)]
        return True
    tokens = rule.replace(", ", ",").split()
    if tokens and tokens[-1].lower() == "open":
        tokens = tokens[:-1]
    closed = bool(tokens) and tokens[-1].lower() in ("off", "closed")
    if closed:
        tokens = tokens[:-1]
    days: list[str] | None = None
    holiday_only = False
    if tokens and not tokens[0][0].isdigit():
        days, holiday_only = _days(tokens.pop(0))
    spans = [] if closed or not tokens else _spans(",".join(tokens))
    if holiday_only:
        return False  # a holiday rule says nothing about the normal week
    if not closed and not tokens:
        if days is None:
            raise ValueError(f"regel '{rule}' zonder dagen of tijden")
        spans = [(0, 24 * 60)]
    for day in days if days is not None else DAYS:
        week[day] = [*week[day], *spans] if add else list(spans)
    return True


def _days(selector: str) -> tuple[list[str], bool]:
    """``Mo-Fr,PH`` -> (the week days named, True when only holidays are named)."""
    days: list[str] = []
    holiday = False
    for part in selector.split(","):
        if _HOLIDAY.match(part):
            holiday = True
            continue
        match = _DAY_PART.match(part)
        if match is None:
            raise ValueError(f"dagen '{part}' onbekend")
        start = DAYS.index(match.group(1))
        end = DAYS.index(match.group(2)) if match.group(2) else start
        span = range(start, end + 1) if end >= start else [*range(start, 7), *range(0, end + 1)]
        days.extend(DAYS[i] for i in span if DAYS[i] not in days)
    return days, holiday and not days


def _spans(text: str) -> list[tuple[int, int]]:
    """``09:00-12:00,13:00-17:00`` -> minutes since midnight (past midnight: to 24:00)."""
    spans = []
    for part in text.split(","):
        match = _SPAN.match(part.strip())
        if match is None:
            raise ValueError(f"tijd '{part}' onbekend")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 24 or h2 > 48 or m1 > 59 or m2 > 59:
            raise ValueError(f"tijd '{part}' bestaat niet")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:  # past midnight: the evening part counts (the night adds no dagdeel)
            end = 24 * 60
        spans.append((start, min(end, 24 * 60)))
    return spans


def _dagdelen(week: dict[str, list[tuple[int, int]]]) -> tuple[str, ...]:
    found = []
    for name, (low, high) in DAGDEEL_HOURS.items():
        if any(_overlaps(s, low, high) for day in DAYS[:5] for s in week[day]):
            found.append(name)
    low, high = WEEKEND_HOURS
    if any(_overlaps(s, low, high) for day in WEEKEND_DAYS for s in week[day]):
        found.append("weekend")
    return tuple(found)


def _overlaps(span: tuple[int, int], low: int, high: int) -> bool:
    return span[0] < high * 60 and span[1] > low * 60
