"""``wijkkompas aanbod geocode``: locate the register's *niet gelokaliseerd* rows.

Every address-only activity is looked up in the PDOK Locatieserver
(:mod:`geo.sources.locatieserver`). Clear matches get their point, ``gelokaliseerd`` and the
match (address and score) in ``opmerking``; ambiguous ones and addresses without a match stay
*niet gelokaliseerd* with the reason in ``opmerking``, for review on the Aanbod page.
Each change is a normal register change (history, undo).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo.errors import DataError
from geo.sources._http import HttpClient
from geo.sources.locatieserver import LOCATED, Match, address_query, candidates, decide
from geo.sources.settings import SourceSettings

logger = logging.getLogger(__name__)

NOTE_PREFIX = "geocoderen: "
"""Start of the ``opmerking`` part written by the geocoder (replaced on a new run)."""

Progress = Callable[[str, float], None]


@dataclass
class GeocodeResult:
    """Per row: ``id``, ``naam``, ``adres``, ``status``, ``reden``, ``score``."""

    rows: list[dict[str, object]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status."""
        out: dict[str, int] = {}
        for row in self.rows:
            out[str(row["status"])] = out.get(str(row["status"]), 0) + 1
        return out


def geocode_register(
    data_dir: str | Path,
    *,
    settings: SourceSettings | None = None,
    client: HttpClient | None = None,
    user: str | None = None,
    progress: Progress | None = None,
) -> GeocodeResult:
    """Locate the *niet gelokaliseerd* activiteiten of a data folder's register.

    Parameters
    ----------
    data_dir
        Data folder with ``aanbod/register.gpkg``.
    settings, client
        Where the Locatieserver is; an existing HTTP client.
    user
        Recorded in the register history.
    progress
        ``progress(step, fraction)``.

    Returns
    -------
    GeocodeResult

    Raises
    ------
    DataError
        No register in the folder; :class:`~geo.sources.SourceError` when the Locatieserver
        cannot be used (rows changed before that are kept: each is its own change).

    Examples
    --------
    >>> geocode_register("mijn-data").counts  # doctest: +SKIP
    {'gelokaliseerd': 9, 'controleren': 1, 'geen match': 1}
    """
    from geo.aanbod import open_register
    from geo.aanbod.schema import NOT_LOCATED

    register = open_register(data_dir)
    if not register.exists:
        raise DataError(
            "deze datamap heeft nog geen aanbodregister.",
            file=register.location,
            hint="importeer eerst een bestand met 'wijkkompas aanbod import'.",
        )
    frame = register.list("activiteiten")
    todo = frame[frame["locatie_status"].astype(str) == NOT_LOCATED]
    buurten = _buurten(data_dir)
    result = GeocodeResult()
    own = client is None
    http = client or HttpClient(settings or SourceSettings.from_env())
    try:
        for number, row in enumerate(todo.itertuples(index=False), start=1):
            adres, postcode = _text(row.adres), _text(row.postcode)
            if progress is not None:
                progress(f"Geocoderen: {row.naam}", (number - 1) / max(len(todo), 1))
            if adres or postcode:
                match = decide(candidates(http, address_query(adres, postcode)), adres, postcode)
            else:
                match = Match("geen match", "geen adres of postcode")
            changes = _changes(match, _text(row.opmerking), buurten)
            if changes:
                register.update("activiteiten", str(row.id), changes, user=user)
            result.rows.append(
                {
                    "id": row.id,
                    "naam": row.naam,
                    "adres": adres,
                    "status": match.status,
                    "reden": match.reason,
                    "score": match.score,
                }
            )
    finally:
        if own:
            http.close()
    logger.info("geocoderen: %s", result.counts)
    return result


def _changes(match: Match, opmerking: str, buurten: gpd.GeoDataFrame | None) -> dict[str, object]:
    parts = [p for p in opmerking.split("; ") if p and not p.startswith(NOTE_PREFIX)]
    parts.append(NOTE_PREFIX + match.reason)
    changes: dict[str, object] = {"opmerking": "; ".join(parts)}
    if match.status == LOCATED and match.point is not None:
        changes["geometry"] = match.point
        changes["locatie_status"] = LOCATED
        if buurten is not None:
            hit = buurten[buurten.covers(match.point)]
            changes["buurt_code"] = str(hit["code"].iloc[0]) if len(hit) else None
    elif changes["opmerking"] == opmerking:
        return {}
    return changes


def _buurten(data_dir: str | Path) -> gpd.GeoDataFrame | None:
    from geo.io.folder import load_dataset

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        logger.info("geen buurten voor buurtcodes: %s", exc)
        return None
    return dataset.level("buurt")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
