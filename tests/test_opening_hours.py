"""OSM opening_hours to dagdelen, on values as they are found in OpenStreetMap."""

from __future__ import annotations

import logging

import pytest

from geo.aanbod.opening_hours import parse_opening_hours

# (value as tagged in OSM, expected dagdelen); weekday parts: ochtend 7-12, middag 12-17,
# avond 17-22; weekend: Saturday or Sunday between 7 and 22.
KNOWN = [
    ("Mo-Fr 09:00-17:00; Sa 10:00-14:00", ("ochtend", "middag", "weekend")),
    ("Mo-Fr 09:00-17:00; PH off", ("ochtend", "middag")),
    ("Mo,We,Fr 09:00-12:00", ("ochtend",)),
    ("Mo-Fr 09:00-12:00,13:00-17:00", ("ochtend", "middag")),
    ("Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00; Su,PH off", ("ochtend", "middag", "weekend")),
    ("24/7", ("ochtend", "middag", "avond", "weekend")),
    ("Tu,Th 19:00-21:30", ("avond",)),
    ("Mo-Su 09:00-22:00; Sa,Su off", ("ochtend", "middag", "avond")),
    ("Mo-Fr 09:00-18:00; We 09:00-12:00", ("ochtend", "middag", "avond")),
    ("Fr 20:00-02:00", ("avond",)),
    ("Sa-Su 10:00-16:00", ("weekend",)),
    ("Su-Tu 20:00-23:00", ("avond", "weekend")),
    ("09:00-17:00", ("ochtend", "middag", "weekend")),
    ("Mo-Fr", ("ochtend", "middag", "avond")),
    ("Mo-Fr 12:00-13:00", ("middag",)),
    ("Mo-Fr 07:30-11:00", ("ochtend",)),
    ("Mo-Fr 06:00-07:00", ()),
    ("Mo-Fr 09:00-17:00, Sa 10:00-12:00", ("ochtend", "middag", "weekend")),
    ("Mo-Fr 9:00-17:00", ("ochtend", "middag")),
    ('Mo-Fr 10:00-16:00 "op afspraak buiten deze tijden"', ("ochtend", "middag")),
    ("Mo[1] 14:00-16:00", ("middag",)),
    ("Sa 10:00-12:00; PH 10:00-12:00", ("weekend",)),
    ("off", ()),
    ("closed", ()),
]
UNKNOWN = [
    "sunrise-sunset",
    "Mo-Fr 10:00-sunset",
    "Jan-Mar Mo 10:00-12:00",
    "week 01-26 Mo 10:00-12:00",
    "Mo-Fr 10:00+",
    "PH off",
    "by appointment",
    "op afspraak",
    "Mo-Fr 25:00-26:00",
    'Mo-Fr 09:00-17:00 || "bel eerst"',
]


@pytest.mark.parametrize(("value", "expected"), KNOWN)
def test_common_forms_give_the_dagdelen(value, expected):
    parsed = parse_opening_hours(value)
    assert parsed.known, parsed.warning
    assert parsed.dagdelen == expected
    assert parsed.value == ";".join(expected)
    assert parsed.warning is None


@pytest.mark.parametrize("value", UNKNOWN)
def test_unreadable_values_are_unknown_with_a_dutch_warning(value, caplog):
    with caplog.at_level(logging.WARNING, logger="geo.aanbod.opening_hours"):
        parsed = parse_opening_hours(value)
    assert not parsed.known and parsed.dagdelen == () and parsed.value == ""
    assert parsed.warning is not None and "niet herkend" in parsed.warning
    assert value in parsed.warning and "tijden onbekend" in parsed.warning
    assert any("niet herkend" in r.message for r in caplog.records)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_no_value_is_unknown_without_a_warning(value):
    parsed = parse_opening_hours(value)
    assert not parsed.known and parsed.warning is None
