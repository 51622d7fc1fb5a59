"""The indicator catalogue: which figures the kerngroep tracks, with unit, direction and target.

A dataset may carry its own ``monitoring.toml``; without one the built-in catalogue of the
Uitvoeringsplan Eenzaamheid Utrecht 2023-2026 (``monitoring_utrecht.toml``, documented field
by field) is used. Outcome indicators (``soort = "outcome"``) name an RIVM figure and are
computed from the loaded figures; their target ``doel = "landelijk"`` means "below the
national average" and is computed too (:mod:`geo.monitoring.outcome`).
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from geo.errors import DataError
from geo.model.figures import GROUPS
from geo.monitoring.periods import parse_period

logger = logging.getLogger(__name__)

CATALOGUE_FILE = "monitoring.toml"
"""The catalogue's file name in a data folder."""
BUILT_IN_FILE = "monitoring_utrecht.toml"
NATIONAL_TARGET = "landelijk"
"""``doel`` value meaning: below the national average (computed from the figures)."""

RICHTINGEN = ("hoger", "lager")
NIVEAUS = ("gemeente", "wijk", "buurt")
SOORTEN = ("output", "outcome")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("id", "naam", "subdoel", "eenheid", "richting", "niveau", "bron", "soort")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue.

    Attributes
    ----------
    id, naam, hoofddoel, subdoel, eenheid, richting, niveau, bron, soort
        See the documented built-in ``monitoring_utrecht.toml``.
    doel
        Target value, :data:`NATIONAL_TARGET` (computed: below the national average), or None.
    doeljaar
        Year the target should be reached, or None.
    figuur, groep
        Outcome only: the RIVM indicator stem and age group in the loaded figures.
    cumulatief
        True when a value is a running total (a stand), False for a count per period.
    basis_periode, basis_waarde, basis_bron
        The starting point (e.g. the plan's "Tot nog toe"), optional.
    toelichting
        Short explanation.
    """

    id: str
    naam: str
    subdoel: str
    eenheid: str
    richting: str
    niveau: str
    bron: str
    soort: str
    hoofddoel: str = ""
    doel: float | str | None = None
    doeljaar: int | None = None
    figuur: str | None = None
    groep: str = "18+"
    cumulatief: bool = False
    basis_periode: str | None = None
    basis_waarde: float | None = None
    basis_bron: str | None = None
    toelichting: str = ""

    @property
    def is_outcome(self) -> bool:
        """True for an indicator computed from the RIVM figures."""
        return self.soort == "outcome"

    @property
    def is_count(self) -> bool:
        """True when values are counts (no negatives, whole numbers)."""
        return self.eenheid == "aantal"

    def as_dict(self) -> dict[str, Any]:
        """The indicator as plain JSON-able values (the CLI's ``indicatoren --json``)."""
        return {
            "id": self.id,
            "naam": self.naam,
            "hoofddoel": self.hoofddoel,
            "subdoel": self.subdoel,
            "eenheid": self.eenheid,
            "richting": self.richting,
            "niveau": self.niveau,
            "bron": self.bron,
            "soort": self.soort,
            "doel": self.doel,
            "doeljaar": self.doeljaar,
        }


@dataclass(frozen=True)
class Catalogue:
    """The indicators of one dataset, in catalogue order.

    Attributes
    ----------
    indicators
        The indicators.
    titel
        The plan the catalogue belongs to.
    bron
        Where the catalogue was read (a path, or ``ingebouwd: ...``).
    """

    indicators: tuple[Indicator, ...]
    titel: str = ""
    bron: str = ""

    def __iter__(self):  # noqa: D105, ANN204
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def ids(self) -> list[str]:
        """Indicator ids, catalogue order."""
        return [i.id for i in self.indicators]

    def get(self, ident: str) -> Indicator:
        """The indicator ``ident``.

        Raises
        ------
        DataError
            Unknown id; the message lists the known ones.
        """
        for indicator in self.indicators:
            if indicator.id == ident:
                return indicator
        raise DataError(
            "onbekende indicator.",
            value=ident,
            hint="kies een van: " + ", ".join(self.ids) + " (wijkkompas monitoring indicatoren).",
        )


def catalogue_from_toml(path: str | Path) -> Catalogue:
    """Read a catalogue file (``monitoring.toml``).

    Parameters
    ----------
    path
        The TOML file.

    Returns
    -------
    Catalogue

    Raises
    ------
    DataError
        Unreadable TOML, a missing field, an unknown richting/niveau/soort, a duplicate id.

    Examples
    --------
    >>> catalogue = catalogue_from_toml("data/monitoring.toml")  # doctest: +SKIP
    >>> catalogue.get("signaleringskaarten").basis_waarde  # doctest: +SKIP
    2280.0
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        return _catalogue_from_text(text, source=str(path), file=path)
    except tomllib.TOMLDecodeError as error:
        raise DataError(
            f"de monitoring-catalogus is geen geldige TOML: {error}.",
            file=path,
            hint="controleer aanhalingstekens en [[indicator]]-blokken.",
        ) from error


def built_in_catalogue() -> Catalogue:
    """The built-in catalogue of the Uitvoeringsplan Eenzaamheid Utrecht 2023-2026."""
    text = resources.files("geo.monitoring").joinpath(BUILT_IN_FILE).read_text(encoding="utf-8")
    return _catalogue_from_text(text, source=f"ingebouwd: {BUILT_IN_FILE}", file=None)


def catalogue_for(data_dir: str | Path) -> Catalogue:
    """The catalogue of a data folder: its ``monitoring.toml``, else the built-in one."""
    path = Path(data_dir) / CATALOGUE_FILE
    if path.exists():
        catalogue = catalogue_from_toml(path)
    else:
        catalogue = built_in_catalogue()
    logger.info("monitoring-catalogus %s: %d indicatoren", catalogue.bron, len(catalogue))
    return catalogue


def _catalogue_from_text(text: str, *, source: str, file: Path | None) -> Catalogue:
    raw = tomllib.loads(text)
    entries = raw.get("indicator", [])
    if not isinstance(entries, list) or not entries:
        raise DataError(
            "de monitoring-catalogus bevat geen indicatoren.",
            file=file,
            hint="voeg [[indicator]]-blokken toe (zie de ingebouwde catalogus in de README).",
        )
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        indicator = _indicator(entry, number=number, file=file)
        if indicator.id in seen:
            raise DataError(
                f"indicator {number}: het id komt twee keer voor.",
                file=file,
                column="id",
                value=indicator.id,
                hint="geef elke indicator een eigen id.",
            )
        seen.add(indicator.id)
        indicators.append(indicator)
    return Catalogue(tuple(indicators), titel=str(raw.get("titel", "")), bron=source)


def _indicator(entry: dict[str, Any], *, number: int, file: Path | None) -> Indicator:
    where = f"indicator {number}"
    for key in _REQUIRED:
        if not str(entry.get(key, "")).strip():
            raise DataError(
                f"{where}: het veld '{key}' ontbreekt.",
                file=file,
                column=key,
                hint=f"vul {key} in; verplicht zijn: {', '.join(_REQUIRED)}.",
            )
    ident = str(entry["id"])
    if not _ID.match(ident):
        raise DataError(
            f"{where}: een id bestaat uit kleine letters, cijfers en _.",
            file=file,
            column="id",
            value=ident,
            hint="bijvoorbeeld 'lief_en_leedstraten'.",
        )
    for key, allowed in (("richting", RICHTINGEN), ("niveau", NIVEAUS), ("soort", SOORTEN)):
        if entry[key] not in allowed:
            raise DataError(
                f"{where} ({ident}): onbekende waarde voor '{key}'.",
                file=file,
                column=key,
                value=entry[key],
                hint=f"kies {' of '.join(allowed)}.",
            )
    doel = entry.get("doel")
    if doel is not None and doel != NATIONAL_TARGET and not isinstance(doel, int | float):
        raise DataError(
            f"{where} ({ident}): het doel is geen getal.",
            file=file,
            column="doel",
            value=doel,
            hint=f'een getal, of "{NATIONAL_TARGET}" (onder het landelijk gemiddelde).',
        )
    if doel == NATIONAL_TARGET and entry["soort"] != "outcome":
        raise DataError(
            f'{where} ({ident}): doel "{NATIONAL_TARGET}" kan alleen bij een outcome.',
            file=file,
            column="doel",
            value=doel,
            hint="geef een getal als doel.",
        )
    if doel is not None and entry.get("doeljaar") is None:
        raise DataError(
            f"{where} ({ident}): bij een doel hoort een doeljaar.",
            file=file,
            column="doeljaar",
            hint="bijvoorbeeld doeljaar = 2026.",
        )
    if entry["soort"] == "outcome" and not entry.get("figuur"):
        raise DataError(
            f"{where} ({ident}): een outcome noemt de RIVM-indicator in 'figuur'.",
            file=file,
            column="figuur",
            hint='bijvoorbeeld figuur = "Eenzaam".',
        )
    groep = str(entry.get("groep", "18+"))
    if groep not in GROUPS:
        raise DataError(
            f"{where} ({ident}): onbekende leeftijdsgroep.",
            file=file,
            column="groep",
            value=groep,
            hint=f"kies {', '.join(GROUPS)}.",
        )
    basis = entry.get("basis") or {}
    basis_periode = basis.get("periode")
    if basis_periode is not None:
        basis_periode = parse_period(str(basis_periode)).label
    return Indicator(
        id=ident,
        naam=str(entry["naam"]),
        hoofddoel=str(entry.get("hoofddoel", "")),
        subdoel=str(entry["subdoel"]),
        eenheid=str(entry["eenheid"]),
        richting=str(entry["richting"]),
        niveau=str(entry["niveau"]),
        bron=str(entry["bron"]),
        soort=str(entry["soort"]),
        doel=doel if doel is None or isinstance(doel, str) else float(doel),
        doeljaar=None if entry.get("doeljaar") is None else int(entry["doeljaar"]),
        figuur=entry.get("figuur"),
        groep=groep,
        cumulatief=bool(entry.get("cumulatief", False)),
        basis_periode=basis_periode,
        basis_waarde=None if basis.get("waarde") is None else float(basis["waarde"]),
        basis_bron=basis.get("bron"),
        toelichting=str(entry.get("toelichting", "")),
    )
