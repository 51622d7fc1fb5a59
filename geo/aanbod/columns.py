"""Tolerant column matching for partner spreadsheets (lat/latitude/breedtegraad, X_RD, ...)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from geo.errors import DataError

ALIASES: dict[str, tuple[str, ...]] = {
    "naam": (
        "naam",
        "name",
        "activiteit",
        "titel",
        "accommodatienaam",
        "locatienaam",
        "naamactiviteit",
        "voorziening",
        "stopname",
        "haltenaam",
        "halte",
    ),
    "soort": ("soort", "type", "categorie", "category", "soortactiviteit", "thema"),
    "doelgroepen": ("doelgroepen", "doelgroep", "voorwie", "targetgroup"),
    "talen": ("talen", "taal", "languages"),
    "dagdelen": ("dagdelen", "dagdeel", "wanneer", "tijdstip"),
    "frequentie": ("frequentie", "hoevaak", "frequency"),
    "opening_hours": ("openinghours", "openingstijden", "openingsuren", "openingstijd"),
    "capaciteit": ("capaciteit", "plaatsen", "aantalplaatsen", "capacity", "deelnemersmax"),
    "organisatie": ("organisatie", "aanbieder", "partner", "organisation", "organization"),
    "adres": ("adres", "address", "straatenhuisnummer", "straat"),
    "postcode": ("postcode", "zipcode", "pc"),
    "plaats": ("plaats", "plaatsnaam", "woonplaats", "city"),
    "laatst_gecontroleerd": (
        "laatstgecontroleerd",
        "gecontroleerd",
        "controledatum",
        "peildatum",
        "datum",
    ),
    "opmerking": ("opmerking", "opmerkingen", "toelichting", "notes", "omschrijving"),
    "x": ("x", "xrd", "xcoord", "xcoordinaat", "rdx", "x_rd"),
    "y": ("y", "yrd", "ycoord", "ycoordinaat", "rdy", "y_rd"),
    "lat": ("lat", "latitude", "breedtegraad", "stoplat", "breedte"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "stoplon", "lengte"),
    "bron_id": ("accommodatieid", "locatieid", "bronid", "stopid", "id"),
    "samenvoegen": ("sport", "sporten", "onderdeel"),
    "straat": ("straat", "straatnaam", "street"),
    "buurt": ("buurt", "buurtcode", "buurtnaam"),
    "wijk": ("wijk", "wijkcode", "wijknaam"),
    "potjes": ("potjes", "aantalpotjes", "uitgekeerd", "aantal"),
    "jaar": ("jaar", "year"),
    "soort_locatie": ("soortlocatie", "locatietype", "functie"),
    "deelnemers": ("deelnemers", "aantaldeelnemers", "participants"),
    "dienst": ("dienst", "vervoersdienst", "service"),
    "dagen": ("dagen", "days"),
    "tijden": ("tijden", "uren", "openingstijden", "hours"),
    "doelgroep": ("doelgroep",),
    "gebied_codes": ("gebiedcodes", "gebied", "werkgebied", "codes", "buurten"),
    "vertrekken_per_uur": ("vertrekkenperuur", "frequentieperuur", "departuresperhour"),
}
"""Canonical field -> accepted header spellings (compared without case, spaces or punctuation)."""


def normalise_header(name: str) -> str:
    """``'X_RD '`` -> ``'xrd'``; ``'Breedtegraad (WGS84)'`` -> ``'breedtegraadwgs84'``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower().replace("wgs84", "").replace("(rd)", "rd"))


def match_columns(
    columns: list[str],
    fields: tuple[str, ...],
    *,
    mapping: Mapping[str, str] | None = None,
    file: str | None = None,
) -> dict[str, str]:
    """Find the file's column for each canonical field.

    Parameters
    ----------
    columns
        Headers as found in the file.
    fields
        Canonical fields wanted (see :data:`ALIASES`).
    mapping
        Explicit ``{field: header}`` choices that override the automatic matching.

    Returns
    -------
    dict
        ``{field: header}`` for the fields found.

    Raises
    ------
    DataError
        When a mapping names a header the file does not have.

    Examples
    --------
    >>> match_columns(["Naam", "Breedtegraad", "Lengtegraad"], ("naam", "lat", "lon"))
    {'naam': 'Naam', 'lat': 'Breedtegraad', 'lon': 'Lengtegraad'}
    """
    found: dict[str, str] = {}
    normalised = {normalise_header(c): c for c in columns}
    for field, header in (mapping or {}).items():
        if header not in columns:
            raise DataError(
                f"de kolomkoppeling noemt kolom '{header}' voor '{field}', maar die bestaat niet.",
                file=file,
                hint=f"kies uit: {', '.join(columns)}.",
            )
        found[field] = header
    taken = set(found.values())
    for field in fields:
        if field in found:
            continue
        for alias in ALIASES.get(field, (field,)):
            candidate = normalised.get(alias)
            if candidate is not None and candidate not in taken:
                found[field] = candidate
                taken.add(candidate)
                break
    return found
