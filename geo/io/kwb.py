"""CBS Kerncijfers wijken en buurten (kwb) and CBS Nabijheid voorzieningen.

kwb gives the population per area (inhabitants, age bands, origin, households, cars);
Nabijheid gives distances to and counts of facilities, which become figures.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.io._tabular import Table, line_number, parse_numbers, read_table
from geo.io.boundaries import vintage_from_name
from geo.model.codes import niveau_of, normalise_code
from geo.model.figures import FIGURE_COLUMNS, NOT_PUBLISHED, PUBLISHED

logger = logging.getLogger(__name__)

POPULATION_COLUMNS = {
    "a_inw": "inwoners",
    "a_man": "mannen",
    "a_vrouw": "vrouwen",
    "a_00_14": "leeftijd_0_14",
    "a_15_24": "leeftijd_15_24",
    "a_25_44": "leeftijd_25_44",
    "a_45_64": "leeftijd_45_64",
    "a_65_oo": "leeftijd_65_plus",
    "a_nl_all": "herkomst_nederland",
    "a_eur_al": "herkomst_europa",
    "a_neu_al": "herkomst_buiten_europa",
    "a_hh": "huishoudens",
    "a_1p_hh": "eenpersoonshuishoudens",
    "a_hh_z_k": "huishoudens_zonder_kinderen",
    "a_hh_m_k": "huishoudens_met_kinderen",
    "g_hhgro": "huishoudensgrootte",
    "a_pau": "personenautos",
    "g_pau_hh": "autos_per_huishouden",
    "a_opp_ha": "oppervlakte_ha",
    "a_lan_ha": "oppervlakte_land_ha",
    "bev_dich": "bevolkingsdichtheid",
    "ste_mvs": "stedelijkheid",
    "ste_oad": "omgevingsadressendichtheid",
    "p_hh_li": "huishoudens_laag_inkomen_pct",
}
"""kwb column -> canonical population column (Dutch, self-explaining)."""

_KWB_ALIASES = {"a_w_all": "a_eur_al", "a_nw_all": "a_neu_al"}
_WIJK_PREFIX = re.compile(r"^Wijk\s+\d+\s+", flags=re.IGNORECASE)


def is_kwb(columns: list[str]) -> bool:
    """True when the columns are those of CBS Kerncijfers wijken en buurten."""
    lower = {c.strip().lower() for c in columns}
    return ("gwb_code_10" in lower or "gwb_code" in lower) and "a_inw" in lower


def is_nabijheid(columns: list[str]) -> bool:
    """True when the columns are those of a StatLine Nabijheid voorzieningen export."""
    return any("Codering (code)" in c for c in columns) and any("Afstand tot" in c for c in columns)


def clean_cbs_name(name: str, niveau: str | None) -> str:
    """``'Wijk 03 Overvecht'`` -> ``'Overvecht'``; other names are only stripped."""
    name = str(name).strip()
    if niveau == "wijk":
        name = _WIJK_PREFIX.sub("", name)
    return name


def population_from_kwb(
    path: str | Path, *, gemeente_digits: str | None = None, table: Table | None = None
) -> pd.DataFrame:
    """Read CBS Kerncijfers wijken en buurten into a population table.

    Parameters
    ----------
    path
        kwb CSV or xlsx (``.`` = not available; space-padded codes are fine).
    gemeente_digits
        Keep only this gemeente's areas.
    table
        An already read table of ``path``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``; columns ``naam``, ``niveau``, ``gemeente_naam`` and the
        values of :data:`POPULATION_COLUMNS` (NaN when not available). ``attrs`` hold
        ``year`` and ``source``.

    Raises
    ------
    DataError
        Missing code/inhabitant columns, bad codes, duplicates, non-numeric values.

    Examples
    --------
    >>> pop = population_from_kwb("cbs_kwb_2023_GM0344.csv")  # doctest: +SKIP
    >>> int(pop.loc["BU03440244", "inwoners"])  # doctest: +SKIP
    3775
    """
    path = Path(path)
    table = read_table(path) if table is None else table
    frame = table.frame
    if frame.empty:
        raise DataError(
            "het bestand heeft alleen een kop en geen rijen met bevolkingscijfers.",
            file=path,
            hint="het bestand is waarschijnlijk afgekapt; download het opnieuw van CBS.",
        )
    lower = {c.lower(): c for c in frame.columns}
    for alias, canonical in _KWB_ALIASES.items():
        if alias in lower and canonical not in lower:
            lower[canonical] = lower[alias]
    code_col = lower.get("gwb_code_10") or lower.get("gwb_code")
    if code_col is None or "a_inw" not in lower:
        raise DataError(
            "dit lijkt geen CBS Kerncijfers-bestand: kolom gwb_code_10 of a_inw ontbreekt.",
            file=path,
            hint="gebruik de kwb-download van CBS (csv of xlsx) met de originele koppen.",
        )
    codes = frame[code_col].map(normalise_code)
    niveaus = codes.map(niveau_of)
    for position in np.flatnonzero(niveaus.isna().to_numpy()):
        if codes.iloc[position] in ("NL00", "NL01", ""):
            continue
        raise DataError(
            "dit is geen CBS-gebiedscode.",
            file=path,
            row=line_number(table, int(position)),
            column=code_col,
            value=codes.iloc[position],
            hint="verwacht codes als GM0344, WK034403 of BU03440311.",
        )
    keep = niveaus.notna().to_numpy().copy()
    if gemeente_digits is not None:
        keep &= codes.str[2:6].eq(gemeente_digits).to_numpy()
    duplicated = codes[keep].duplicated()
    if duplicated.any():
        first = int(np.flatnonzero(keep)[np.flatnonzero(duplicated.to_numpy())[0]])
        raise DataError(
            "gebiedscode komt twee keer voor.",
            file=path,
            row=line_number(table, first),
            column=code_col,
            value=codes.iloc[first],
            hint="verwijder de dubbele rij.",
        )
    out = pd.DataFrame(index=pd.Index(codes[keep].to_numpy(), name="code"))
    names = frame[lower["regio"]] if "regio" in lower else codes
    out["naam"] = [clean_cbs_name(n, lv) for n, lv in zip(names[keep], niveaus[keep], strict=True)]
    out["niveau"] = niveaus[keep].to_numpy()
    out["gemeente_naam"] = (
        frame[lower["gm_naam"]][keep].str.strip().to_numpy() if "gm_naam" in lower else None
    )
    for kwb_col, name in POPULATION_COLUMNS.items():
        if kwb_col in lower:
            values, _ = parse_numbers(table, lower[kwb_col])
            out[name] = values[keep]
        else:
            out[name] = np.nan
    year = vintage_from_name(path)
    out.attrs["year"] = int(year) if year.isdigit() else None
    out.attrs["source"] = f"CBS Kerncijfers wijken en buurten {year}"
    out.attrs["file"] = path.name
    logger.info("%s: bevolking van %d gebieden", path.name, len(out))
    return out


def figures_from_nabijheid(
    path: str | Path, *, gemeente_digits: str | None = None, table: Table | None = None
) -> pd.DataFrame:
    """Read a CBS Nabijheid voorzieningen StatLine export into the tidy figures table.

    Indicators are named after the header (``Afstand tot huisartsenpraktijk``), units from
    the parentheses (``km``, ``aantal``); group is ``totaal``.
    """
    path = Path(path)
    table = read_table(path) if table is None else table
    frame = table.frame
    code_col = next(c for c in frame.columns if "Codering (code)" in c)
    codes = frame[code_col].map(normalise_code)
    niveaus = codes.map(niveau_of)
    keep = niveaus.notna().to_numpy().copy()
    if gemeente_digits is not None:
        keep &= (codes.str[2:6].eq(gemeente_digits) | codes.str.startswith("NL")).to_numpy()
    year = vintage_from_name(path)
    parts = []
    used: set[str] = set()
    for column in frame.columns:
        unit_match = re.search(r"\(([^)]*)\)\s*$", column)
        if column.startswith(("Wijken en buurten", "Regioaanduiding")) or unit_match is None:
            continue
        values, hidden = parse_numbers(table, column)
        present = keep & (~np.isnan(values) | hidden)
        if not present.any():
            continue
        idx = np.flatnonzero(present)
        name = _nabijheid_name(column)
        if name in used:
            name = f"{name} ({column.split('/')[-2].strip()})"
        used.add(name)
        parts.append(
            pd.DataFrame(
                {
                    "code": codes.to_numpy()[idx],
                    "indicator": name,
                    "value": values[idx],
                    "status": np.where(hidden[idx], NOT_PUBLISHED, PUBLISHED),
                    "unit": unit_match.group(1),
                }
            )
        )
    if not parts:
        raise DataError("geen kolommen met cijfers gevonden.", file=path)
    figures = pd.concat(parts, ignore_index=True)
    figures["niveau"] = figures["code"].map(niveau_of)
    figures["group"] = "totaal"
    figures["lower"] = np.nan  # StatLine publishes no intervals for distances and counts
    figures["upper"] = np.nan
    figures["year"] = int(year) if year.isdigit() else 0
    figures["source"] = f"CBS Nabijheid voorzieningen {year}"
    figures["vintage"] = f"indeling {year}"
    logger.info("%s: %d cijfers", path.name, len(figures))
    return figures[FIGURE_COLUMNS]


def _nabijheid_name(column: str) -> str:
    parts = [re.sub(r"\s*\([^)]*\)\s*$", "", p).strip() for p in column.split("/")]
    last = parts[-1]
    if last.lower().startswith("binnen") and len(parts) > 1:
        return f"{parts[-2]} {last[0].lower()}{last[1:]}"
    return last
