"""RIVM/CBS "Gezondheid per wijk en buurt" (50090NED, 50120NED) into the tidy figures table.

Two layouts are recognised:

* the OData/"onbewerkte dataset" CSV: ``Leeftijd`` codes (``20300``), ``Perioden``
  (``2020JJ00``), ``WijkenEnBuurten`` codes and indicator columns with a numeric suffix
  (``Eenzaam_28``) that differs between editions, so columns are matched on their stem;
* StatLine's ``;``-separated export with Dutch headers (``Leeftijd`` = ``65 jaar of ouder``,
  ``Regioaanduiding/Codering (code)``, ``Eenzaam (%)``).

``.`` means *not published* (kept as a row with NaN); an empty cell means the edition has no
such indicator (no row).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.io._tabular import Table, line_number, parse_numbers, read_table
from geo.model.codes import niveau_of, normalise_code
from geo.model.figures import FIGURE_COLUMNS, NOT_PUBLISHED, PUBLISHED

logger = logging.getLogger(__name__)

AGE_CODES = {"20300": "18+", "80200": "65+", "53115": "18-65"}
AGE_LABELS = {
    "18jaarofouder": "18+",
    "65jaarofouder": "65+",
    "18tot65jaar": "18-65",
    "18+": "18+",
    "65+": "65+",
    "18-65": "18-65",
    "1865jaar": "18-65",
}
TABLE_VINTAGE = {"50090NED": "indeling 2020", "50120NED": "indeling 2022"}
_SUFFIX = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z0-9]*?)_\d+$")
_META_STEMS = {
    "ID",
    "Leeftijd",
    "Marges",
    "WijkenEnBuurten",
    "Perioden",
    "Gemeentenaam",
    "SoortRegio",
    "Codering",
}
_PERIOD = re.compile(r"^(\d{4})(JJ00)?$")
# Dutch StatLine labels whose letters-only form differs from the OData stem.
_LABEL_ALIASES = {"zeerernstigeenzaam": "ErnstigZeerErnstigEenzaam"}


def is_rivm(columns: list[str]) -> bool:
    """True when the columns are those of a RIVM 'Gezondheid per wijk en buurt' table."""
    names = {c.strip() for c in columns}
    has_keys = "Leeftijd" in names and "Perioden" in names
    has_area = (
        "WijkenEnBuurten" in names
        or any("Codering" in c for c in names)
        or ("Wijken en buurten" in names)
    )
    has_figure = any(
        _stem(c) in ("Eenzaam", "ErvarenGezondheidGoedZeerGoed") for c in names
    ) or any(_letters(c).startswith("eenzaam") for c in names)
    return has_keys and has_area and has_figure


def figures_from_rivm(
    path: str | Path, *, gemeente_digits: str | None = None, table: Table | None = None
) -> pd.DataFrame:
    """Read a RIVM 50090NED/50120NED file into the tidy figures table.

    Parameters
    ----------
    path
        The CSV (comma OData layout or StatLine ``;`` export; ``.gz`` allowed).
    gemeente_digits
        When given, keep only that gemeente's areas and the national rows (``NL01``).
    table
        An already read table of ``path`` (saves reading twice).

    Returns
    -------
    pandas.DataFrame
        :data:`~geo.model.figures.FIGURE_COLUMNS`; ``attrs["gemeenten"]`` maps gemeente digits
        to names.

    Raises
    ------
    DataError
        Unknown age code, malformed period, non-numeric value, duplicate rows.

    Examples
    --------
    >>> f = figures_from_rivm("rivm_50090NED_2020_18plus.csv")  # doctest: +SKIP
    >>> f.query("code == 'GM0344' and indicator == 'Eenzaam'")["value"].item()  # doctest: +SKIP
    48.9
    """
    path = Path(path)
    table = read_table(path) if table is None else table
    frame = table.frame
    if frame.empty:
        raise DataError("het bestand heeft alleen een kop en geen rijen met cijfers.", file=path)
    odata = "WijkenEnBuurten" in frame.columns
    code_col = "WijkenEnBuurten" if odata else _find(frame, path, ("Codering (code)", "Codering"))
    codes = frame[code_col].map(normalise_code)
    unique_codes = pd.unique(codes)
    invalid = {c for c in unique_codes if niveau_of(c) is None}
    bad = [i for i, c in enumerate(codes) if c in invalid] if invalid else []
    if bad:
        raise DataError(
            "dit is geen CBS-gebiedscode.",
            file=path,
            row=line_number(table, bad[0]),
            column=code_col,
            value=codes.iloc[bad[0]],
            hint="de kolom moet codes bevatten als NL01, GM0344, WK034403 of BU03440311.",
        )
    keep = np.ones(len(frame), dtype=bool)
    if gemeente_digits is not None:
        keep &= (codes.str[2:6].eq(gemeente_digits) | codes.str.startswith("NL")).to_numpy()
    margins = _margins(frame)
    names = _gemeente_names(frame, codes)
    all_codes = codes
    sub, codes = _subtable(table, all_codes, keep & (margins == "value"))
    groups = _groups(sub, path)
    years = _years(sub, path)
    _check_unique(sub, codes, groups, years, path)
    key = _key(codes, groups, years)
    bounds = {
        side: _bound_table(table, all_codes, key, keep & (margins == side))
        for side in ("lower", "upper")
        if (keep & (margins == side)).any()
    }
    table_id = _table_id(path, years)
    code_codes, code_uniques = pd.factorize(codes)
    group_codes, group_uniques = pd.factorize(pd.Series(groups))
    indicators: list[str] = []
    picked: list[np.ndarray] = []
    which: list[np.ndarray] = []
    values_all: list[np.ndarray] = []
    hidden_all: list[np.ndarray] = []
    lower_all: list[np.ndarray] = []
    upper_all: list[np.ndarray] = []
    for column in _indicator_columns(sub.frame.columns, odata):
        values, hidden = parse_numbers(sub, column)
        present = ~np.isnan(values) | hidden
        if not present.any():
            continue
        idx = np.flatnonzero(present)
        lower = _bound_values(bounds.get("lower"), column, len(sub.frame))
        upper = _bound_values(bounds.get("upper"), column, len(sub.frame))
        _check_interval(bounds, column, lower, upper, path)
        picked.append(idx)
        which.append(np.full(len(idx), len(indicators)))
        indicators.append(_indicator_name(column, odata))
        values_all.append(values[idx])
        hidden_all.append(hidden[idx])
        lower_all.append(np.where(hidden[idx], np.nan, lower[idx]))
        upper_all.append(np.where(hidden[idx], np.nan, upper[idx]))
    if not indicators:
        raise DataError(
            "geen enkele kolom met cijfers gevonden.",
            file=path,
            hint="exporteer de tabel met de onderwerpen (bijvoorbeeld Eenzaam).",
        )
    rows = np.concatenate(picked)
    hidden_rows = np.concatenate(hidden_all)
    niveau_of_code = [niveau_of(c) for c in code_uniques]
    figures = pd.DataFrame(
        {
            "code": pd.Categorical.from_codes(code_codes[rows], categories=list(code_uniques)),
            "niveau": pd.Categorical([niveau_of_code[i] for i in code_codes[rows]]),
            "indicator": pd.Categorical.from_codes(np.concatenate(which), categories=indicators),
            "group": pd.Categorical.from_codes(group_codes[rows], categories=list(group_uniques)),
            "year": years[rows].astype("int16"),
            "value": np.concatenate(values_all),
            "lower": np.concatenate(lower_all),
            "upper": np.concatenate(upper_all),
            "status": pd.Categorical.from_codes(
                hidden_rows.astype(int), categories=[PUBLISHED, NOT_PUBLISHED]
            ),
        }
    )
    figures["unit"] = pd.Categorical(["%"] * len(figures))
    figures["source"] = pd.Categorical(
        [f"RIVM, GGD'en, CBS (Gezondheidsmonitor) — tabel {table_id}"] * len(figures)
    )
    vintage = TABLE_VINTAGE.get(
        table_id, f"indeling {int(years.max())}" if len(years) else "onbekend"
    )
    figures["vintage"] = pd.Categorical([vintage] * len(figures))
    figures = figures[FIGURE_COLUMNS]
    figures.attrs["gemeenten"] = names
    logger.info("%s: %d cijfers (%d gebieden)", path.name, len(figures), codes.nunique())
    return figures


def _stem(column: str) -> str:
    match = _SUFFIX.match(column.strip())
    return match.group("stem") if match else column.strip()


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9+]", "", text.lower())


def _find(frame: pd.DataFrame, path: Path, needles: tuple[str, ...]) -> str:
    for needle in needles:
        for column in frame.columns:
            if needle in column:
                return column
    raise DataError(
        f"kolom met gebiedscodes ontbreekt (gezocht: {', '.join(needles)}).",
        file=path,
        hint="exporteer de tabel met 'Regioaanduiding/Codering (code)' of gebruik de "
        "OData-kolommen (WijkenEnBuurten).",
    )


def _gemeente_names(frame: pd.DataFrame, codes: pd.Series) -> dict[str, str]:
    column = next(
        (c for c in frame.columns if _stem(c) == "Gemeentenaam" or "Gemeentenaam" in c), None
    )
    if column is None:
        return {}
    names = frame[column].astype(str).str.strip()
    digits = codes.str[2:6]
    mask = (~codes.str.startswith("NL") & names.ne("")).to_numpy()
    return dict(zip(digits[mask], names[mask], strict=False))


def _groups(table: Table, path: Path) -> np.ndarray:
    cells = table.frame["Leeftijd"].astype(str).str.strip()
    out = cells.map(lambda c: AGE_CODES.get(c) or AGE_LABELS.get(_letters(c)))
    missing = out.isna().to_numpy()
    if missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise DataError(
            "onbekende leeftijdsgroep.",
            file=path,
            row=line_number(table, position),
            column="Leeftijd",
            value=cells.iloc[position],
            hint="verwacht 20300 (18+), 80200 (65+) of 53115 (18-65), of de Nederlandse "
            "omschrijving ('65 jaar of ouder').",
        )
    return out.to_numpy(dtype=object)


def _years(table: Table, path: Path) -> np.ndarray:
    cells = table.frame["Perioden"].astype(str).str.strip()
    matched = cells.str.extract(_PERIOD)[0]
    missing = matched.isna().to_numpy()
    if missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise DataError(
            "onbekende periode.",
            file=path,
            row=line_number(table, position),
            column="Perioden",
            value=cells.iloc[position],
            hint="verwacht een jaar zoals 2020 of 2020JJ00.",
        )
    return matched.astype(int).to_numpy()


def _check_unique(
    table: Table, codes: pd.Series, groups: np.ndarray, years: np.ndarray, path: Path
) -> None:
    key = pd.DataFrame({"code": codes.to_numpy(), "group": groups, "year": years})
    duplicated = key.duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise DataError(
            f"gebied staat twee keer in de tabel voor {groups[position]} in {years[position]}.",
            file=path,
            row=line_number(table, position),
            value=codes.iloc[position],
            hint="verwijder de dubbele rij.",
        )


def _indicator_columns(columns: pd.Index, odata: bool) -> list[str]:
    out = []
    for column in columns:
        if odata:
            if _stem(column) in _META_STEMS:
                continue
        elif column in ("Leeftijd", "Marges", "Perioden", "Wijken en buurten", "ID") or (
            column.startswith("Regioaanduiding")
        ):
            continue
        out.append(column)
    return out


def _indicator_name(column: str, odata: bool) -> str:
    if odata:
        return _stem(column)
    label = column.split("/")[-1]
    label = re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()
    letters = _letters(label)
    if letters in _LABEL_ALIASES:
        return _LABEL_ALIASES[letters]
    return "".join(
        word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", label) if word
    )


EDITION_TABLES = {2020: "50090NED", 2022: "50120NED"}
"""Latest period of an edition -> its StatLine table, for files whose name lacks the id."""


def _table_id(path: Path, years: np.ndarray) -> str:
    """The table id from the file name, else from the latest period (later editions: the year).

    A later edition with the same scheme gets the boundary vintage of its latest period
    (``indeling 2024``), as 50090NED (2020) and 50120NED (2022) have.
    """
    match = re.search(r"(\d{5}NED)", path.name, flags=re.IGNORECASE)
    if match:
        return match.group(1).upper()
    latest = int(years.max()) if len(years) else 2020
    return EDITION_TABLES.get(latest, f"Gezondheid per wijk en buurt {latest}")


_MARGIN_CODES = {
    "MW00000": "value",
    "MOG0095": "lower",
    "MBG0095": "upper",
}
"""RIVM/CBS ``Marges`` codes: point estimate and the bounds of the 95 % interval."""


def _margins(frame: pd.DataFrame) -> np.ndarray:
    """Per row: ``value``, ``lower``, ``upper`` or ``other`` (a margin Wijkkompas does not use).

    The OData layout has codes (``MW00000``, ``MOG0095``, ``MBG0095``); StatLine's Dutch export
    has labels (``Waarde``, ``Ondergrens 95%-interval``, ``Bovengrens 95%-interval``).
    """
    if "Marges" not in frame.columns:
        return np.full(len(frame), "value", dtype=object)
    cells = frame["Marges"].astype(str).str.strip()
    out = cells.map(_MARGIN_CODES)
    lowered = cells.str.lower()
    out = out.mask(out.isna() & lowered.isin(["waarde", ""]), "value")
    out = out.mask(out.isna() & lowered.str.startswith("ondergrens"), "lower")
    out = out.mask(out.isna() & lowered.str.startswith("bovengrens"), "upper")
    return out.fillna("other").to_numpy(dtype=object)


def _subtable(table: Table, codes: pd.Series, mask: np.ndarray) -> tuple[Table, pd.Series]:
    positions = np.flatnonzero(mask)
    numbers = table.line_numbers
    if numbers is not None and len(numbers) == len(table.frame):
        lines = np.asarray(numbers, dtype=int)[positions]
    else:
        lines = np.array([line_number(table, int(p)) for p in positions], dtype=int)
    sub = Table(
        frame=table.frame.iloc[positions].reset_index(drop=True),
        path=table.path,
        first_row=table.first_row,
        line_numbers=lines,
    )
    return sub, codes.iloc[positions].reset_index(drop=True)


def _key(codes: pd.Series, groups: np.ndarray, years: np.ndarray) -> pd.MultiIndex:
    """The (code, group, year) key of each point-estimate row."""
    return pd.MultiIndex.from_arrays([codes.to_numpy(), groups, years])


def _bound_table(
    table: Table, codes: pd.Series, key: pd.MultiIndex, mask: np.ndarray
) -> tuple[Table, np.ndarray, np.ndarray]:
    """The rows of one interval bound: (sub-table, its matched rows, their point rows)."""
    sub, sub_codes = _subtable(table, codes, mask)
    groups = _groups(sub, table.path)
    years = _years(sub, table.path)
    _check_unique(sub, sub_codes, groups, years, table.path)
    target = key.get_indexer(_key(sub_codes, groups, years))
    matched = target >= 0
    return sub, np.flatnonzero(matched), target[matched]


def _bound_values(
    bound: tuple[Table, np.ndarray, np.ndarray] | None, column: str, size: int
) -> np.ndarray:
    out = np.full(size, np.nan)
    if bound is None or column not in bound[0].frame.columns:
        return out
    sub, rows, target = bound
    values, _hidden = parse_numbers(sub, column)
    out[target] = values[rows]
    return out


def _check_interval(
    bounds: dict[str, tuple[Table, np.ndarray, np.ndarray]],
    column: str,
    lower: np.ndarray,
    upper: np.ndarray,
    path: Path,
) -> None:
    """A lower bound above its upper bound is a damaged file, not a figure."""
    with np.errstate(invalid="ignore"):
        wrong = lower > upper
    if not wrong.any() or "lower" not in bounds:
        return
    point = int(np.flatnonzero(wrong)[0])
    sub, rows, target = bounds["lower"]
    bound_row = int(rows[np.flatnonzero(target == point)[0]])
    raise DataError(
        f"de ondergrens (MOG0095) is hoger dan de bovengrens (MBG0095: {upper[point]:g}).",
        file=path,
        row=line_number(sub, bound_row),
        column=column,
        value=sub.frame[column].iloc[bound_row],
        hint="controleer de rijen met Marges MOG0095 en MBG0095 van dit gebied; download de "
        "tabel opnieuw van CBS StatLine.",
    )
