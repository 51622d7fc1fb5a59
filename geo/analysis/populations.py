"""Focus-group populations per area from CBS Kerncijfers, each with its method stated."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.io._tabular import line_number, parse_numbers, read_table, require_columns
from geo.model.codes import niveau_of, normalise_code
from geo.settings import GROUPS, AnalysisSettings

logger = logging.getLogger(__name__)

REQUIRED = [
    "niveau",
    "inwoners",
    "leeftijd_0_14",
    "leeftijd_15_24",
    "leeftijd_25_44",
    "leeftijd_65_plus",
    "herkomst_europa",
    "herkomst_buiten_europa",
    "eenpersoonshuishoudens",
]
"""kwb columns the estimates need (NaN values are allowed: the estimate is then NaN)."""

POPULATION_COLUMNS = [
    "code",
    "niveau",
    "group",
    "population",
    "method",
    "estimated",
    "from_percentages",
]
"""Columns of the focus-group table. ``from_percentages`` is True where the count rests on
CBS/PDOK whole-number percentages (``aantal_inwoners × percentage / 100``), so it is itself an
estimate with a rounding error of up to 0.5 % of the base count, even for ``ouderen``."""

USES = {
    "ouderen": ("leeftijd_65_plus",),
    "jongvolwassenen": ("leeftijd_15_24", "leeftijd_25_44"),
    "alleenstaande-ouderen": (
        "eenpersoonshuishoudens",
        "leeftijd_65_plus",
        "leeftijd_0_14",
        "leeftijd_15_24",
    ),
    "migrantenouderen": ("leeftijd_65_plus", "herkomst_europa", "herkomst_buiten_europa"),
}
"""Population columns each focus group's count is built from."""

PDOK_NOTE = (
    " De onderliggende aantallen zijn afgeleid uit hele percentages van CBS/PDOK "
    "(aantal_inwoners × percentage / 100): een schatting, geen telling."
)


PDOK_METHOD_OUDEREN = (
    "Schatting uit CBS/PDOK Wijken en Buurten: aantal_inwoners × "
    "percentage_personen_65_jaar_en_ouder / 100. Het percentage is afgerond op hele procenten "
    "(± 0,5 % van de inwoners), dus dit is geen telling."
)


NO_POPULATION = (
    "er zijn geen (bruikbare) CBS-bevolkingscijfers in deze gegevens, dus Wijkkompas kan niet "
    "uitrekenen hoeveel eenzamen er per doelgroep wonen, en ook geen hiaten of redenen bepalen."
)
"""What is missing without any population (the RIVM percentages are still shown)."""

ADD_POPULATION = (
    "zet een CBS Kerncijfers wijken en buurten-tabel (cbs_kwb_JJJJ_GMxxxx.csv of .xlsx) of een "
    "PDOK-download Wijken en Buurten met kerncijfers (GeoPackage of GeoJSON) in de map wijken/, "
    "of haal alles op met 'wijkkompas fetch --gemeente <naam>'; eigen aantallen per doelgroep "
    "kunnen met --aantallen."
)
"""How to add a population (Dutch)."""


def no_population_error() -> DataError:
    """The error of a command that needs a population when the data has none."""
    return DataError(NO_POPULATION, hint=ADD_POPULATION)


def no_population_note() -> str:
    """The note a command that degrades without a population shows."""
    return f"Geen bevolkingscijfers: {NO_POPULATION} Oplossing: {ADD_POPULATION}"


def methods(settings: AnalysisSettings) -> dict[str, str]:
    """How each focus group is counted (Dutch, shown with every number)."""
    return {
        "ouderen": "CBS Kerncijfers: inwoners van 65 jaar of ouder (telling).",
        "jongvolwassenen": (
            f"Schatting: {settings.young_adult_share_15_24 * 100:.0f} % van de 15-24-jarigen + "
            f"{settings.young_adult_share_25_44 * 100:.0f} % van de 25-44-jarigen (18-27 jaar; "
            "aangenomen dat leeftijden gelijk verdeeld zijn binnen een band)."
        ),
        "alleenstaande-ouderen": (
            "Schatting: eenpersoonshuishoudens × aandeel 65-plussers onder volwassenen × "
            f"{settings.single_elderly_factor:g} (ouderen wonen vaker alleen), hoogstens 60 % "
            "van de 65-plussers. Alleen thuiswonenden tellen als huishouden."
        ),
        "migrantenouderen": (
            "Schatting: 65-plussers × aandeel inwoners met een migratieachtergrond × "
            f"{settings.migrant_elderly_factor:g} (onder ouderen is dat aandeel kleiner)."
        ),
    }


def estimate_populations(
    population: pd.DataFrame,
    *,
    settings: AnalysisSettings = AnalysisSettings(),
    overrides: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Residents per focus group per area.

    Parameters
    ----------
    population
        CBS kwb table (``Dataset.population()``), indexed by code.
    settings
        Shares and factors of the estimates.
    overrides
        Better counts (columns ``code``, ``group``, ``population``) that replace estimates.

    Returns
    -------
    pandas.DataFrame
        :data:`POPULATION_COLUMNS`; ``estimated`` is ``"schatting"``, ``"telling"`` or
        ``"opgegeven"``; ``from_percentages`` marks counts resting on PDOK percentages.

    Raises
    ------
    DataError
        When the kwb table lacks a column of :data:`REQUIRED` (e.g. no kwb file at all).

    Examples
    --------
    >>> pops = estimate_populations(dataset.population())  # doctest: +SKIP
    >>> pops.query("code == 'WK034403' and group == 'ouderen'")["population"].item()
    ... # doctest: +SKIP
    4825.0
    """
    missing = [c for c in REQUIRED if c not in population.columns]
    if len(missing) == len(REQUIRED) or population.empty:
        raise no_population_error()
    if missing:
        raise DataError(
            "er zijn geen (bruikbare) CBS-bevolkingscijfers: kolom(men) "
            f"{', '.join(missing)} ontbreken.",
            hint="zet een CBS Kerncijfers wijken en buurten-bestand (cbs_kwb_JJJJ_GMxxxx.csv) in "
            "wijken/, of geef de aantallen per doelgroep zelf op.",
        )
    p = population
    adults = (p["inwoners"] - p["leeftijd_0_14"] - 0.3 * p["leeftijd_15_24"]).clip(lower=1)
    share65 = (p["leeftijd_65_plus"] / adults).clip(upper=1)
    migration = (
        (p["herkomst_europa"] + p["herkomst_buiten_europa"]) / p["inwoners"].clip(lower=1)
    ).clip(upper=1)
    counts = {
        "ouderen": p["leeftijd_65_plus"],
        "jongvolwassenen": settings.young_adult_share_15_24 * p["leeftijd_15_24"]
        + settings.young_adult_share_25_44 * p["leeftijd_25_44"],
        "alleenstaande-ouderen": np.minimum(
            p["eenpersoonshuishoudens"] * share65 * settings.single_elderly_factor,
            0.6 * p["leeftijd_65_plus"],
        ),
        "migrantenouderen": p["leeftijd_65_plus"] * migration * settings.migrant_elderly_factor,
    }
    text = methods(settings)
    derived = set(population.attrs.get("from_percentages", ()))
    parts = []
    for group in GROUPS:
        from_percentages = bool(derived & set(USES[group]))
        method = text[group]
        estimated = "telling" if group == "ouderen" else "schatting"
        if from_percentages:
            estimated = "schatting"
            method = (
                PDOK_METHOD_OUDEREN
                if group == "ouderen"
                else method.replace("CBS Kerncijfers", "CBS/PDOK")
            ) + ("" if group == "ouderen" else PDOK_NOTE)
        parts.append(
            pd.DataFrame(
                {
                    "code": p.index.astype(str),
                    "niveau": p["niveau"].to_numpy(),
                    "group": group,
                    "population": counts[group].round(0).to_numpy(dtype=float),
                    "method": method,
                    "estimated": estimated,
                    "from_percentages": from_percentages,
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    if overrides is not None and len(overrides):
        out = _apply_overrides(out, overrides)
    return out[POPULATION_COLUMNS]


def _apply_overrides(out: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    key = out.set_index(["code", "group"]).index
    for row in overrides.itertuples():
        where = key.get_indexer([(row.code, row.group)])[0]
        if where < 0:
            continue
        out.iat[where, out.columns.get_loc("population")] = float(row.population)
        out.iat[where, out.columns.get_loc("estimated")] = "opgegeven"
        out.iat[where, out.columns.get_loc("method")] = "Opgegeven door de gebruiker."
        out.iat[where, out.columns.get_loc("from_percentages")] = False
    return out


def read_overrides(path: str | Path) -> pd.DataFrame:
    """Read a CSV ``code;groep;aantal`` with better counts per area and group.

    Raises
    ------
    DataError
        Unknown code, group or a count that is not a number, naming the row.
    """
    table = read_table(path)
    lower = require_columns(
        table, ("code", "groep", "aantal"), hint="gebruik de kolommen code;groep;aantal."
    )
    values, _ = parse_numbers(table, lower["aantal"], required=True)
    rows = []
    for position, (code, group) in enumerate(
        zip(table.frame[lower["code"]], table.frame[lower["groep"]], strict=True)
    ):
        code = normalise_code(code)
        if niveau_of(code) not in ("buurt", "wijk", "gemeente"):
            raise DataError(
                "dit is geen gebiedscode.",
                file=path,
                row=line_number(table, position),
                column=lower["code"],
                value=code,
            )
        if group not in GROUPS:
            raise DataError(
                "onbekende doelgroep.",
                file=path,
                row=line_number(table, position),
                column=lower["groep"],
                value=group,
                hint=f"kies uit: {', '.join(GROUPS)}.",
            )
        rows.append({"code": code, "group": group, "population": values[position]})
    return pd.DataFrame(rows, columns=["code", "group", "population"])
