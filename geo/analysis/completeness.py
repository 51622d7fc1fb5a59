"""How complete is the offer? Activities per soort and doelgroep, and from how many sources.

A gap is "many lonely residents, little suitable offer within reach". When the aanbod holds
no activity of a soort that counts for the group (or only one source delivered that soort),
"nothing within reach" is a statement about the data, not about the wijk: on the real
Utrecht folder the only offer is sports accommodations (Mulier) and a list of sports
schools, so every "geen ontmoetingsplek binnen 500 m" says that nobody has delivered the
ontmoetingsplekken yet. :func:`offer_completeness` says so, per soort, in plain Dutch.

JSON keys (``hiaten --json`` and ``profiel --json``, top level):

* ``offer_complete`` — False when a soort that counts for the group has no suitable activity
  or only activities from one source (``bron``);
* ``offer_missing_soorten`` — those soorten without any suitable activity (soort keys);
* ``offer_single_source_soorten`` — those soorten whose suitable activities all come from
  one source;
* ``offer_soorten`` — per soort of the taxonomy: ``activiteiten`` (all rows), ``passend``
  (suitable for the group), ``bronnen`` (sources of the suitable rows; of all rows when none
  is suitable), ``per_doelgroep`` (rows per doelgroep; no doelgroep counts as ``iedereen``)
  and ``status`` (``geen``, ``één bron``, ``meerdere bronnen``; ``telt niet`` for soorten
  that do not count for the group);
* ``offer_notes`` — the Dutch sentences shown in tables, legends, profiles and reports.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.aanbod.schema import DOELGROEPEN, GROUP_SOORTEN, SOORTEN, split_keys
from geo.analysis.reach import suitable_activities

logger = logging.getLogger(__name__)

SOORT_PLURALS = {
    "ontmoeting": "ontmoetingsplekken",
    "maatjes": "maatjesprojecten",
    "samen_eten": "plekken om samen te eten",
    "bewegen": "beweeg- en sportactiviteiten",
    "cultuur": "cultuur- en creatieve activiteiten",
    "informatie": "informatiepunten",
    "training": "trainingen en lezingen",
    "vervoer": "vervoersdiensten",
    "overig": "overige activiteiten",
}
"""Soort -> the Dutch plural used in the sentences ("het aanbod bevat geen ...")."""

DATA_NOT_WIJK = "dit hiaat zegt iets over de gegevens, niet over de wijk"
NONE, ONE, MANY, NOT_COUNTED = "geen", "één bron", "meerdere bronnen", "telt niet"


def offer_completeness(activities: gpd.GeoDataFrame | None, *, group: str) -> dict[str, object]:
    """Per soort: how many activities, for which doelgroepen, from which sources.

    Parameters
    ----------
    activities
        The activiteiten layer (None or empty: no offer at all).
    group
        The focus group whose suitable soorten matter (``GROUP_SOORTEN``).

    Returns
    -------
    dict
        ``offer_complete``, ``offer_missing_soorten``, ``offer_single_source_soorten``,
        ``offer_soorten`` and ``offer_notes`` (see the module docstring).

    Examples
    --------
    >>> info = offer_completeness(aanbod.layers["activiteiten"], group="ouderen")
    ... # doctest: +SKIP
    >>> info["offer_missing_soorten"][:2]  # doctest: +SKIP
    ['ontmoeting', 'maatjes']
    """
    frame = activities if activities is not None else gpd.GeoDataFrame()
    wanted = GROUP_SOORTEN[group]
    suitable = suitable_activities(frame, group) if len(frame) else frame
    by_soort, suitable_by_soort = _by_soort(frame), _by_soort(suitable)
    rows: list[dict[str, Any]] = []
    for soort, label in SOORTEN.items():
        mine = by_soort.get(soort, _NO_ROWS)
        fitting = suitable_by_soort.get(soort, _NO_ROWS)
        sources = _sources(fitting if len(fitting) else mine)
        if soort not in wanted:
            status = NOT_COUNTED
        elif len(fitting) == 0:
            status = NONE
        elif len(_sources(fitting)) == 1:
            status = ONE
        else:
            status = MANY
        rows.append(
            {
                "soort": soort,
                "label": label,
                "activiteiten": len(mine),
                "passend": len(fitting),
                "bronnen": sources,
                "per_doelgroep": _per_doelgroep(mine),
                "status": status,
            }
        )
    missing = [r["soort"] for r in rows if r["status"] == NONE]
    single = [r["soort"] for r in rows if r["status"] == ONE]
    notes = offer_notes(missing, single, {r["soort"]: r["bronnen"] for r in rows})
    logger.info("aanbod %s: zonder %s, één bron %s", group, missing, single)
    return {
        "offer_complete": not missing and not single,
        "offer_missing_soorten": missing,
        "offer_single_source_soorten": single,
        "offer_soorten": rows,
        "offer_notes": notes,
    }


def offer_notes(
    missing: list[str], single: list[str], sources: dict[str, list[str]] | None = None
) -> list[str]:
    """The plain Dutch sentences about soorten without offer or with one source.

    Examples
    --------
    >>> note = offer_notes(["ontmoeting", "maatjes"], [])[0]
    >>> note.split(":")[0]
    'Het aanbod bevat geen ontmoetingsplekken en maatjesprojecten'
    >>> note.split(": ")[1]
    'dit hiaat zegt iets over de gegevens, niet over de wijk.'
    """
    notes = []
    if missing:
        names = _list(SOORT_PLURALS[s] for s in missing)
        notes.append(f"Het aanbod bevat geen {names}: {DATA_NOT_WIJK}.")
    for soort in single:
        bron = ", ".join((sources or {}).get(soort, [])) or "één bestand"
        notes.append(
            f"Het aanbod aan {SOORT_PLURALS[soort]} komt uit één bron ({bron}): een hiaat daarin "
            "kan ook iets over de gegevens zeggen in plaats van over de wijk."
        )
    return notes


_NO_ROWS = pd.DataFrame({"bron": [], "doelgroepen": []})


def _by_soort(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each soort (only the columns counted here: no geometry copied per soort)."""
    if not len(frame) or "soort" not in frame:
        return {}
    counted = pd.DataFrame({c: frame[c].to_numpy() for c in ("bron", "doelgroepen") if c in frame})
    return dict(tuple(counted.groupby(frame["soort"].astype(str).to_numpy(), sort=False)))


def _sources(frame: pd.DataFrame) -> list[str]:
    if not len(frame) or "bron" not in frame:
        return []
    values = frame["bron"].dropna().astype(str).str.strip()
    return sorted({v for v in values if v})


def _per_doelgroep(frame: pd.DataFrame) -> dict[str, int]:
    counts = dict.fromkeys(DOELGROEPEN, 0)
    if not len(frame):
        return counts
    column = frame["doelgroepen"] if "doelgroepen" in frame else pd.Series([None] * len(frame))
    for value in column:
        for key in split_keys(value) or ["iedereen"]:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _list(items: object) -> str:
    """``a, b en c``."""
    words = list(items)  # type: ignore[call-overload]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]
