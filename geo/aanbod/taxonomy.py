"""Free partner text to the fixed soort and doelgroep keys of :mod:`geo.aanbod.schema`.

Obvious Dutch synonyms are mapped (``inloop`` -> ``ontmoeting``, ``sport`` -> ``bewegen``,
``eettafel`` -> ``samen_eten``); what matches nothing is left to the caller, which stores an
unknown soort as ``overig`` with a warning naming the valid soorten.
"""

from __future__ import annotations

import re

from geo.aanbod.schema import DOELGROEPEN, SOORTEN

SOORT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ontmoeting": (
        "ontmoet",
        "inloop",
        "koffie",
        "buurtcentrum",
        "buurthuis",
        "huiskamer",
        "soos",
        "bingo",
        "spelmiddag",
        "taalcafe",
        "buurtkamer",
    ),
    "maatjes": ("maatje", "buddy", "bezoek", "vriendschap", "vriendendienst", "automaatje"),
    "samen_eten": ("eten", "eettafel", "maaltijd", "diner", "lunch", "kook", "buurtrestaurant"),
    "bewegen": (
        "sport",
        "beweeg",
        "bewegen",
        "wandel",
        "yoga",
        "fitness",
        "gym",
        "crossfit",
        "zwem",
        "dans",
        "fiets",
        "tennis",
        "voetbal",
        "golf",
        "hockey",
        "atletiek",
        "vechtsport",
        "shape",
        "pilates",
        "zumba",
        "basketbal",
        "volleybal",
        "handbal",
        "korfbal",
        "honkbal",
        "rugby",
        "schaats",
        "roei",
        "turn",
        "judo",
        "karate",
        "boks",
        "squash",
        "badminton",
        "personal",
        "bootcamp",
        "kickbox",
    ),
    "cultuur": (
        "cultuur",
        "creatief",
        "muziek",
        "koor",
        "theater",
        "schilder",
        "handwerk",
        "museum",
        "film",
        "knutsel",
        "kunst",
        "zang",
    ),
    "informatie": (
        "informatie",
        "advies",
        "wijkinformatiepunt",
        "infopunt",
        "spreekuur",
        "loket",
        "inlichting",
    ),
    "training": ("training", "lezing", "cursus", "workshop", "voorlichting", "les"),
    "vervoer": ("vervoer", "buurtmobiel", "rit", "plusbus", "taxi"),
}
DOELGROEP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "jongvolwassenen": ("jongvolwassen", "jongeren", "student", "jong", "18-27"),
    "migrantenouderen": ("migrant", "turks", "marokkaans", "surinaams", "nieuwkomer"),
    "ouderen_thuiswonend": ("ouderen", "senior", "65+", "thuiswonend", "oudere"),
    "alleenstaanden": ("alleenstaand", "alleen", "weduw", "single"),
    "iedereen": ("iedereen", "alle", "buurtbewoners", "bewoners", "algemeen"),
}


def match_soort(value: str) -> tuple[str | None, bool]:
    """Soort key for free text: exact key/label first, then keywords.

    Parameters
    ----------
    value
        The partner's soort text (``'Inloop'``, ``'sport'``, ``'eettafel'``...).

    Returns
    -------
    tuple[str | None, bool]
        ``(key, exact)``; ``key`` is None when nothing matches.

    Examples
    --------
    >>> match_soort("Inloop")
    ('ontmoeting', False)
    >>> match_soort("samen eten")
    ('samen_eten', True)
    """
    text = value.strip().lower()
    if not text:
        return None, False
    for key, label in SOORTEN.items():
        if text in (key, label.lower(), key.replace("_", " ")):
            return key, True
    for key, words in SOORT_KEYWORDS.items():
        if any(word in text for word in words):
            return key, False
    return None, False


def match_doelgroepen(value: str) -> tuple[list[str], list[str]]:
    """Doelgroep keys for free text (``;``, ``,`` or ``/`` separated) and unknown parts.

    Examples
    --------
    >>> match_doelgroepen("Ouderen; studenten, katten")
    (['ouderen_thuiswonend', 'jongvolwassenen'], ['katten'])
    """
    keys: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;,/|]", value):
        part = part.strip().lower()
        if not part:
            continue
        if part in DOELGROEPEN:
            keys.append(part)
            continue
        hit = next(
            (k for k, words in DOELGROEP_KEYWORDS.items() if any(w in part for w in words)), None
        )
        if hit is None:
            unknown.append(part)
        elif hit not in keys:
            keys.append(hit)
    return keys, unknown
