"""CBS/PDOK "Wijken en Buurten" downloads: the kwb figures as attributes of the features.

PDOK and CBS publish the wijk- en buurtkaart per year (2019-2025) as GeoPackage (layers
``buurten``, ``wijken``, ``gemeenten``) and GeoJSON, with the Kerncijfers as lower-case
attributes (``aantal_inwoners``, ``percentage_personen_65_jaar_en_ouder``...). This module
turns those attributes into the same population table :func:`~geo.io.kwb.population_from_kwb`
gives, so a folder holding only a PDOK download is enough for ``hiaten`` and ``profiel``.

* ``-99995`` (geheim), ``-99997`` (niet beschikbaar), ``-99999`` (onbekend) and the other
  PDOK sentinels mean *not published*: NaN, never a number.
* Ages, origin and single-person households are published as **whole-number percentages**;
  the counts derived from them (``aantal_inwoners × percentage / 100``) are *estimates*.
  Their column names are listed in ``attrs["from_percentages"]`` of the table.
* ``water == "JA"`` marks a water-only buurt (or the water part of a gemeente): not
  residential, so its counts are 0 and ``alleen_water`` is True.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from geo.errors import DataError
from geo.io.boundaries import UNREADABLE, vintage_from_name
from geo.io.kwb import POPULATION_COLUMNS
from geo.model.codes import niveau_of, normalise_code
from geo.model.figures import FIGURE_COLUMNS, NOT_PUBLISHED, PUBLISHED

logger = logging.getLogger(__name__)

SENTINELS = (
    -99995.0,
    -99996.0,
    -99997.0,
    -99998.0,
    -99999.0,
    -99999995.0,
    -99999997.0,
    -99999999.0,
)
"""PDOK/CBS codes for *not published*: -99995 geheim, -99997 niet beschikbaar, -99999 onbekend
(older editions wrote the same codes with eight digits)."""

MARKER = "aantal_inwoners"
"""A boundary file whose features carry this attribute is a PDOK kwb download."""

_CODE_NAME = (
    ("buurtcode", "buurtnaam"),
    ("wijkcode", "wijknaam"),
    ("gemeentecode", "gemeentenaam"),
)

COUNTS = {
    "aantal_inwoners": "inwoners",
    "mannen": "mannen",
    "vrouwen": "vrouwen",
    "aantal_huishoudens": "huishoudens",
    "aantal_personenautos": "personenautos",
}
"""PDOK attributes that are counts -> canonical population column."""

VALUES = {
    "gemiddelde_huishoudsgrootte": "huishoudensgrootte",
    "gemiddelde_huishoudensgrootte": "huishoudensgrootte",  # spelling up to 2021
    "personenautos_per_huishouden": "autos_per_huishouden",
    "oppervlakte_totaal_in_ha": "oppervlakte_ha",
    "oppervlakte_land_in_ha": "oppervlakte_land_ha",
    "bevolkingsdichtheid_inwoners_per_km2": "bevolkingsdichtheid",
    "stedelijkheid_adressen_per_km2": "stedelijkheid",
    "omgevingsadressendichtheid": "omgevingsadressendichtheid",
}
"""PDOK attributes taken as they are (averages, areas, densities)."""

PERCENTAGES = {
    "percentage_personen_0_tot_15_jaar": ("inwoners", "leeftijd_0_14"),
    "percentage_personen_15_tot_25_jaar": ("inwoners", "leeftijd_15_24"),
    "percentage_personen_25_tot_45_jaar": ("inwoners", "leeftijd_25_44"),
    "percentage_personen_45_tot_65_jaar": ("inwoners", "leeftijd_45_64"),
    "percentage_personen_65_jaar_en_ouder": ("inwoners", "leeftijd_65_plus"),
    "percentage_met_herkomstland_nederland": ("inwoners", "herkomst_nederland"),
    "percentage_met_herkomstland_uit_europa_excl_nl": ("inwoners", "herkomst_europa"),
    "percentage_met_herkomstland_buiten_europa": ("inwoners", "herkomst_buiten_europa"),
    # editions up to 2021 split origin into westers / niet-westers
    "percentage_westerse_migratieachtergrond": ("inwoners", "herkomst_europa"),
    "percentage_niet_westerse_migratieachtergrond": ("inwoners", "herkomst_buiten_europa"),
    "percentage_eenpersoonshuishoudens": ("huishoudens", "eenpersoonshuishoudens"),
    "percentage_huishoudens_zonder_kinderen": ("huishoudens", "huishoudens_zonder_kinderen"),
    "percentage_huishoudens_met_kinderen": ("huishoudens", "huishoudens_met_kinderen"),
}
"""PDOK whole-number percentage -> (base count, canonical column of the derived estimate)."""

PERCENT_ONLY = {"percentage_huishoudens_met_laag_inkomen": "huishoudens_laag_inkomen_pct"}
"""Percentages kept as percentages."""

DISTANCE_SUFFIX = "_gemiddelde_afstand_in_km"
"""Distance attributes (``huisartsenpraktijk_gemiddelde_afstand_in_km``) become figures."""

METHOD = (
    "CBS/PDOK Wijken en Buurten: aantal_inwoners (of aantal_huishoudens) × het gepubliceerde "
    "percentage / 100. Dat percentage is afgerond op hele procenten, dus het aantal is een "
    "schatting (± 0,5 % van de inwoners), geen telling."
)
"""Method text for every count derived from a PDOK percentage."""


def has_pdok_attributes(path: str | Path) -> bool:
    """True when a layer of the boundary file carries PDOK kwb attributes.

    GeoPackages are asked for their fields; text formats are searched for the attribute name.

    Unreadable files give False here; :func:`~geo.io.boundaries.read_spatial` reports them.
    """
    path = Path(path)
    if path.suffix.lower() in (".json", ".geojson", ".topojson"):
        # text formats: GDAL would parse every feature to learn the fields; the name is enough
        marker, tail = MARKER.encode(), b""
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                if marker in tail + chunk:
                    return True
                tail = chunk[-len(marker) :]
        return False
    try:
        for layer, _ in pyogrio.list_layers(str(path)):
            fields = pyogrio.read_info(str(path), layer=layer)["fields"]
            if MARKER in {str(f).lower() for f in fields}:
                return True
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError, ValueError):
        return False
    return False


def population_from_pdok(path: str | Path, *, gemeente_digits: str | None = None) -> pd.DataFrame:
    """Read the kwb attributes of a PDOK wijk- en buurtkaart into a population table.

    The population part of :func:`read_pdok`; see there.
    """
    return read_pdok(path, gemeente_digits=gemeente_digits)[0]


def read_pdok(
    path: str | Path, *, gemeente_digits: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the kwb attributes of a PDOK wijk- en buurtkaart: population and distances.

    Parameters
    ----------
    path
        GeoPackage (all layers are read: ``buurten``, ``wijken``, ``gemeenten``) or GeoJSON.
    gemeente_digits
        Keep only this gemeente's areas.

    Returns
    -------
    population : pandas.DataFrame
        Indexed by ``code``, the columns of :func:`~geo.io.kwb.population_from_kwb` plus
        ``alleen_water`` (water-only, not residential). ``attrs``: ``year``, ``source``,
        ``file``, ``method`` and ``from_percentages`` (the columns estimated from
        whole-number percentages).
    figures : pandas.DataFrame
        The PDOK distances (``Afstand tot huisartsenpraktijk``, km) as a figures table.

    Raises
    ------
    DataError
        A percentage outside 0-100, a negative count that is not a sentinel, a value that is
        not a number, a bad or duplicate code — naming file, layer, feature, column, value.

    Examples
    --------
    >>> pop, distances = read_pdok("wijkenbuurten_2023.gpkg")  # doctest: +SKIP
    >>> pop.attrs["from_percentages"][:2]  # doctest: +SKIP
    ['leeftijd_0_14', 'leeftijd_15_24']
    """
    path = Path(path)
    frames = []
    distances = []
    for layer, frame in _attribute_layers(path):
        if MARKER in frame.columns and len(frame):
            population, distance = _layer_population(frame, path, layer)
            frames.append(population)
            distances.append(distance)
    if not frames:
        raise DataError(
            f"geen PDOK-kerncijfers (kolom {MARKER}) in dit bestand.",
            file=path,
            hint="gebruik de PDOK/CBS-download Wijken en Buurten met de kerncijfers.",
        )
    out = pd.concat(frames)
    if gemeente_digits is not None:
        out = out[out.index.str[2:6] == gemeente_digits]
    # PDOK's gemeenten layer has a separate water feature next to the land of some gemeenten
    out = out.sort_values("alleen_water", kind="stable")
    out = out[~out.index.duplicated(keep="first")]
    year = vintage_from_name(path)
    derived = [c for c in dict.fromkeys(v for _, v in PERCENTAGES.values()) if out[c].notna().any()]
    out.attrs["year"] = int(year) if year.isdigit() else None
    out.attrs["source"] = f"CBS/PDOK Wijken en Buurten {year} (kerncijfers als kenmerken)"
    out.attrs["file"] = path.name
    out.attrs["from_percentages"] = derived
    out.attrs["method"] = METHOD
    figures = figures_from_pdok(pd.concat(distances, ignore_index=True), set(out.index), year)
    logger.info(
        "%s: PDOK-bevolking van %d gebieden (%d kolommen uit percentages geschat)",
        path.name,
        len(out),
        len(derived),
    )
    return out, figures


def figures_from_pdok(distances: pd.DataFrame, codes: set[str], year: str) -> pd.DataFrame:
    """PDOK distance attributes as the tidy figures table (unit km, group ``totaal``)."""
    part = distances[distances["code"].isin(codes)].drop_duplicates(["code", "indicator"])
    figures = pd.DataFrame(
        {
            "code": part["code"].to_numpy(dtype=object),
            "niveau": [niveau_of(c) for c in part["code"]],
            "indicator": part["indicator"].to_numpy(dtype=object),
            "group": "totaal",
            "year": int(year) if year.isdigit() else 0,
            "value": part["value"].to_numpy(dtype=float),
            "lower": np.nan,
            "upper": np.nan,
            "status": np.where(part["hidden"].to_numpy(dtype=bool), NOT_PUBLISHED, PUBLISHED),
            "unit": "km",
            "source": f"CBS/PDOK Wijken en Buurten {year}",
            "vintage": f"indeling {year}",
        }
    )
    return figures[FIGURE_COLUMNS]


def _attribute_layers(path: Path) -> list[tuple[str, pd.DataFrame]]:
    """Every layer's attributes (no geometry), column names lower-case.

    Text that is not valid UTF-8 is read as Windows-1252, as the boundary reader does.
    """
    try:
        layers = [name for name, _ in pyogrio.list_layers(str(path))]
        out = []
        for layer in layers:
            try:
                frame = pyogrio.read_dataframe(str(path), layer=layer, read_geometry=False)
            except UnicodeDecodeError:
                frame = pyogrio.read_dataframe(
                    str(path), layer=layer, read_geometry=False, encoding="cp1252"
                )
            frame = pd.DataFrame(frame)
            frame.columns = [str(c).lower() for c in frame.columns]
            out.append((str(layer), frame))
    except UNREADABLE as exc:
        raise DataError(
            f"het bestand kan niet als kaartlaag worden gelezen ({type(exc).__name__}: "
            f"{str(exc)[:200]}).",
            file=path,
            hint="het bestand is beschadigd of onvolledig; download het opnieuw van PDOK.",
        ) from exc
    return out


def _layer_population(
    frame: pd.DataFrame, path: Path, layer: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    codes, names = _codes(frame, path, layer)
    out = pd.DataFrame(index=pd.Index(codes, name="code"))
    out["naam"] = names
    out["niveau"] = [niveau_of(c) for c in codes]
    out["gemeente_naam"] = (
        frame["gemeentenaam"].astype("string").str.strip().to_numpy()
        if "gemeentenaam" in frame
        else None
    )
    water = (
        frame["water"].astype("string").str.strip().str.upper().eq("JA").fillna(False).to_numpy()
        if "water" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    for column in dict.fromkeys(POPULATION_COLUMNS.values()):
        out[column] = np.nan
    for pdok, name in {**COUNTS, **VALUES}.items():
        if pdok in frame:
            out[name] = _numbers(frame, pdok, path, layer, codes, count=pdok in COUNTS)
    for pdok, name in PERCENT_ONLY.items():
        if pdok in frame:
            out[name] = _numbers(frame, pdok, path, layer, codes, percentage=True)
    for pdok, (base, name) in PERCENTAGES.items():
        if pdok in frame:
            share = _numbers(frame, pdok, path, layer, codes, percentage=True)
            out[name] = out[base].to_numpy() * share / 100
    residents = [*COUNTS.values(), *(v for _, v in PERCENTAGES.values())]
    out.loc[water, list(dict.fromkeys(residents))] = 0.0  # water only: nobody lives there
    out["alleen_water"] = water
    return out, _distances(frame, path, layer, codes)


def _codes(frame: pd.DataFrame, path: Path, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """Per feature the finest code present (buurt, else wijk, else gemeente) and its name."""
    codes = np.full(len(frame), "", dtype=object)
    names = np.full(len(frame), "", dtype=object)
    for code_col, name_col in reversed(_CODE_NAME):
        if code_col not in frame:
            continue
        cells = frame[code_col].astype("string").str.strip().str.upper().fillna("")
        present = cells.ne("").to_numpy()
        codes[present] = cells.to_numpy()[present]
        if name_col in frame:
            label = frame[name_col].astype("string").str.strip().fillna("")
            names[present] = label.to_numpy()[present]
        else:
            names[present] = cells.to_numpy()[present]
    for position, code in enumerate(codes):
        code = normalise_code(code)
        if niveau_of(code) in ("buurt", "wijk", "gemeente"):
            continue
        raise DataError(
            f"object {position + 1} in laag '{layer}' heeft geen geldige CBS-gebiedscode.",
            file=path,
            row=position + 1,
            column="buurtcode/wijkcode/gemeentecode",
            value=code,
            hint="gebruik de originele PDOK-download; codes zien eruit als BU03440311.",
        )
    return codes, names


def _numbers(
    frame: pd.DataFrame,
    column: str,
    path: Path,
    layer: str,
    codes: np.ndarray,
    *,
    count: bool = False,
    percentage: bool = False,
) -> np.ndarray:
    """A PDOK attribute as floats: sentinels -> NaN; impossible values -> DataError."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, copy=True)
    text = raw.astype("string").str.strip().fillna("")
    wrong = np.isnan(values) & text.ne("").to_numpy() & ~text.isin(["nan", "None"]).to_numpy()
    if wrong.any():
        _fail(path, layer, codes, column, raw, int(np.flatnonzero(wrong)[0]), "dit is geen getal.")
    values[np.isin(values, SENTINELS)] = np.nan
    if percentage:
        with np.errstate(invalid="ignore"):
            bad = (values < 0) | (values > 100)
        if bad.any():
            _fail(
                path,
                layer,
                codes,
                column,
                raw,
                int(np.flatnonzero(bad)[0]),
                "een percentage moet tussen 0 en 100 liggen.",
            )
    elif count:
        with np.errstate(invalid="ignore"):
            bad = values < 0
        if bad.any():
            _fail(
                path,
                layer,
                codes,
                column,
                raw,
                int(np.flatnonzero(bad)[0]),
                "een aantal kan niet negatief zijn (alleen -99995, -99997 en -99999 betekenen "
                "'niet gepubliceerd').",
            )
    return values


def _fail(
    path: Path,
    layer: str,
    codes: np.ndarray,
    column: str,
    raw: pd.Series,
    position: int,
    message: str,
) -> None:
    raise DataError(
        f"object {position + 1} ({codes[position] or 'zonder code'}) in laag '{layer}': {message}",
        file=path,
        row=position + 1,
        column=column,
        value=raw.iloc[position],
        hint="download het bestand opnieuw van PDOK/CBS; een bewerkt bestand moet de "
        "oorspronkelijke waarden of de codes voor 'niet gepubliceerd' houden.",
    )


def _distances(frame: pd.DataFrame, path: Path, layer: str, codes: np.ndarray) -> pd.DataFrame:
    """``<voorziening>_gemiddelde_afstand_in_km`` columns as figures (``Afstand tot ...``, km)."""
    parts = []
    for column in frame.columns:
        if not column.endswith(DISTANCE_SUFFIX):
            continue
        values = _numbers(frame, column, path, layer, codes)
        hidden = pd.to_numeric(frame[column], errors="coerce").isin(SENTINELS).to_numpy()
        present = ~np.isnan(values) | hidden
        if not present.any():
            continue
        what = column[: -len(DISTANCE_SUFFIX)].replace("_", " ")
        parts.append(
            pd.DataFrame(
                {
                    "code": codes[present],
                    "indicator": f"Afstand tot {what}",
                    "value": values[present],
                    "hidden": hidden[present],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["code", "indicator", "value", "hidden"])
    return pd.concat(parts, ignore_index=True)
