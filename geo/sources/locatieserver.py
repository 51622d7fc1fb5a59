"""Locate address-only aanbod with the PDOK Locatieserver (``free`` search, type ``adres``).

``{locatieserver_url}/free?q=<adres>&fq=type:adres&rows=5`` answers
``{"response": {"docs": [...]}}``; each doc has ``weergavenaam``, ``score``, ``postcode``,
``huisnummer``, ``huisletter`` and ``centroide_rd`` (``"POINT(x y)"`` in RD New). A match is
accepted only when it is unambiguous: the best candidate agrees with the row's postcode and
house number (when the row has them) and scores clearly above the next, different address.
Everything else is left *niet gelokaliseerd* with the reason, for a person to review.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from shapely.geometry import Point

from geo.sources._http import HttpClient, SourceError

logger = logging.getLogger(__name__)

LOCATED = "gelokaliseerd"
REVIEW = "controleren"
NO_MATCH = "geen match"

CLEAR_MARGIN = 1.15
"""The best candidate must score at least this many times the next different address."""

_POINT = re.compile(r"POINT\s*\(\s*([-\d.]+)\s+([-\d.]+)\s*\)")
_POSTCODE = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")
_HOUSE_NUMBER = re.compile(r"[A-Za-z.)]\s+(\d{1,5})\s*([A-Za-z]?)\b")


@dataclass
class Match:
    """The outcome for one address.

    Attributes
    ----------
    status
        ``gelokaliseerd``, ``controleren`` (ambiguous or disagreeing) or ``geen match``.
    reason
        Dutch explanation.
    point
        RD New point of the accepted match.
    score
        Locatieserver score of the best candidate.
    weergavenaam
        The best candidate's address as PDOK writes it.
    """

    status: str
    reason: str
    point: Point | None = None
    score: float | None = None
    weergavenaam: str = ""


def address_query(adres: str, postcode: str) -> str:
    """The search text: the address, with the postcode added when it is not in it."""
    text = adres.strip()
    if postcode and _normal_postcode(postcode) not in _normal_postcode(text):
        text = f"{text} {postcode}".strip()
    return text


def candidates(client: HttpClient, query: str, *, rows: int = 5) -> list[dict[str, Any]]:
    """Locatieserver address candidates for a query, best first.

    Raises
    ------
    SourceError
        When the answer is not the documented ``response.docs`` structure.
    """
    url = f"{client.settings.locatieserver_url}/free"
    answer = client.get_json(url, params={"q": query, "fq": "type:adres", "rows": rows})
    docs = answer.get("response", {}).get("docs") if isinstance(answer, dict) else None
    if not isinstance(docs, list):
        raise SourceError(
            f"het antwoord van {url} heeft geen 'response.docs'.",
            url=url,
            kind="json",
            hint="controleer het adres (WIJKKOMPAS_LOCATIESERVER_URL).",
        )
    return sorted((d for d in docs if isinstance(d, dict)), key=lambda d: -float(d.get("score", 0)))


def decide(docs: list[dict[str, Any]], adres: str, postcode: str) -> Match:
    """Accept the best candidate only when it is unambiguous and agrees with the row.

    Examples
    --------
    >>> doc = {"weergavenaam": "Havenweg 6, 3555HA Utrecht", "score": 12.0,
    ...        "postcode": "3555HA", "huisnummer": 6, "centroide_rd": "POINT(134000 458000)"}
    >>> decide([doc], "Havenweg 6", "3555 HA").status
    'gelokaliseerd'
    """
    if not docs:
        return Match(NO_MATCH, "de Locatieserver vond geen adres")
    best = docs[0]
    score = float(best.get("score", 0.0))
    name = str(best.get("weergavenaam", ""))
    wanted_postcode = _normal_postcode(postcode or _postcode_in(adres))
    wanted_number = _house_number(adres)
    if wanted_number is None:
        return Match(REVIEW, "adres zonder huisnummer; kies zelf de locatie", None, score, name)
    found_postcode = _normal_postcode(str(best.get("postcode", "")))
    if wanted_postcode and found_postcode and found_postcode != wanted_postcode:
        return Match(
            REVIEW,
            f"beste kandidaat '{name}' heeft postcode {found_postcode}, verwacht {wanted_postcode}",
            None,
            score,
            name,
        )
    if str(best.get("huisnummer", "")).strip() != wanted_number[0]:
        return Match(
            REVIEW, f"beste kandidaat '{name}' heeft een ander huisnummer", None, score, name
        )
    others = [d for d in docs[1:] if str(d.get("weergavenaam", "")) != name]
    if others:
        second = float(others[0].get("score", 0.0))
        if second > 0 and score < CLEAR_MARGIN * second:
            return Match(
                REVIEW,
                f"meerdere kandidaten liggen dicht bij elkaar: '{name}' ({score:.1f}) en "
                f"'{others[0].get('weergavenaam', '')}' ({second:.1f})",
                None,
                score,
                name,
            )
    point = _point(str(best.get("centroide_rd", "")))
    if point is None:
        return Match(REVIEW, f"kandidaat '{name}' heeft geen RD-coördinaat", None, score, name)
    return Match(LOCATED, f"PDOK Locatieserver: {name} (score {score:.1f})", point, score, name)


def _point(wkt: str) -> Point | None:
    match = _POINT.search(wkt)
    return Point(float(match.group(1)), float(match.group(2))) if match else None


def _normal_postcode(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


def _postcode_in(text: str) -> str:
    match = _POSTCODE.search(text)
    return f"{match.group(1)}{match.group(2)}" if match else ""


def _house_number(adres: str) -> tuple[str, str] | None:
    street_part = _POSTCODE.sub("", adres).split(",")[0]
    match = _HOUSE_NUMBER.search(street_part)
    return (match.group(1), match.group(2).upper()) if match else None
