"""CBS "vierkantstatistieken": residents per 100 m square (PDOK/CBS download layout).

One polygon per 100 m square (GeoPackage or GeoJSON, EPSG:28992 or CRS84) with the CBS
column names: ``crs28992res100m`` (the square's code), ``aantal_inwoners``, the age bands
``aantal_inwoners_0_tot_15_jaar`` … ``aantal_inwoners_65_jaar_en_ouder``,
``aantal_part_huishoudens`` and ``aantal_eenpersoonshuishoudens``. CBS publishes a negative
number (``-99997``, ``-99995``…) where a value is *geheim* (too few residents to publish); it
is read as NaN and marked, so the demand step can spread the buurt total over those squares
(:mod:`geo.analysis.demand`). Columns are renamed to the names of the kwb population table
(``inwoners``, ``leeftijd_65_plus``...), so a square and a buurt speak the same language.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import DataError, Notices
from geo.io._layers import read_recognised_layer
from geo.io.crs import to_rd

logger = logging.getLogger(__name__)

SQUARE_COLUMNS = {
    "aantal_inwoners": "inwoners",
    "aantal_inwoners_0_tot_15_jaar": "leeftijd_0_14",
    "aantal_inwoners_15_tot_25_jaar": "leeftijd_15_24",
    "aantal_inwoners_25_tot_45_jaar": "leeftijd_25_44",
    "aantal_inwoners_45_tot_65_jaar": "leeftijd_45_64",
    "aantal_inwoners_65_jaar_en_ouder": "leeftijd_65_plus",
    "aantal_part_huishoudens": "huishoudens",
    "aantal_eenpersoonshuishoudens": "eenpersoonshuishoudens",
}
"""CBS column -> the kwb population name used in Wijkkompas."""

CODE_COLUMN = "crs28992res100m"
SQUARE_SUFFIXES = (".gpkg", ".geojson", ".json")


def is_squares(columns: list[str] | pd.Index) -> bool:
    """True when the columns are those of CBS vierkantstatistieken.

    Examples
    --------
    >>> is_squares(["crs28992res100m", "aantal_inwoners", "geometry"])
    True
    >>> is_squares(["gebruiksdoel", "geometry"])
    False
    """
    lower = {str(c).lower() for c in columns}
    return CODE_COLUMN in lower or (
        "aantal_inwoners" in lower and "aantal_inwoners_65_jaar_en_ouder" in lower
    )


def squares_from_file(
    path: str | Path, *, layer: str | None = None, notices: Notices | None = None
) -> gpd.GeoDataFrame:
    """Read CBS 100 m squares into ``vierkant``, the kwb-named counts and ``geometry`` (RD).

    Parameters
    ----------
    path
        A GeoPackage or GeoJSON in the CBS/PDOK layout.
    layer
        GeoPackage layer (default: the first layer with the CBS columns).
    notices
        Collects what the user should know (secret squares, an inferred CRS).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per square with residents (squares without any residents are dropped);
        counts are floats, NaN where CBS marks them secret (a count the file lacks is left
        out); ``geheim`` is True on rows with at least one secret count;
        ``attrs["source"]`` names the file.

    Raises
    ------
    DataError
        Not the CBS layout, a count that is not a number, or geometry that is not polygons.

    Examples
    --------
    >>> squares = squares_from_file("bevolking/cbs_vierkanten_100m_2023.gpkg")  # doctest: +SKIP
    >>> squares[["vierkant", "inwoners", "leeftijd_65_plus"]].head()  # doctest: +SKIP
    """
    path = Path(path)
    notices = notices if notices is not None else Notices()
    frame = read_recognised_layer(
        path,
        layer,
        recognises=is_squares,
        hint="sla de vierkanten op als GeoPackage (.gpkg) of GeoJSON.",
    )
    lower = {str(c).lower(): c for c in frame.columns}
    if not is_squares(list(lower)):
        raise DataError(
            "geen CBS-vierkantstatistieken: de kolommen crs28992res100m en aantal_inwoners "
            "ontbreken.",
            file=path,
            hint="gebruik de download 'CBS Vierkantstatistieken 100m' van PDOK/CBS.",
        )
    kinds = frame.geometry.geom_type.dropna().unique().tolist()
    if set(kinds) - {"Polygon", "MultiPolygon"}:
        raise DataError(
            f"vierkanten moeten vlakken zijn, gevonden: {', '.join(kinds)}.",
            file=path,
            column="geometry",
            hint="gebruik de vlakkenlaag (één vierkant van 100 bij 100 m per rij).",
        )
    frame = to_rd(frame, source=path.name, notices=notices)
    out = pd.DataFrame(index=frame.index)
    code = lower.get(CODE_COLUMN)
    out["vierkant"] = frame[code].astype(str) if code else frame.index.astype(str)
    secret = np.zeros(len(frame), dtype=bool)
    for cbs_name, name in SQUARE_COLUMNS.items():
        if cbs_name not in lower:
            continue  # absent (not secret): the demand step falls back to another weight
        values = _numbers(frame[lower[cbs_name]], path, lower[cbs_name])
        hidden = values < 0
        secret |= hidden
        out[name] = np.where(hidden, np.nan, values)
    out["geheim"] = secret
    result = gpd.GeoDataFrame(out, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    residents = result["inwoners"] if "inwoners" in result else pd.Series(np.nan, result.index)
    inhabited = ~(residents.fillna(1) <= 0) & ~result.geometry.is_empty
    result = result[inhabited.to_numpy()].reset_index(drop=True)
    if secret.any():
        notices.add(
            f"{path.name}: {int(result['geheim'].sum())} vierkant(en) met geheime aantallen "
            "(CBS: te weinig inwoners); verdeeld vanuit het buurttotaal."
        )
    result.attrs["source"] = f"CBS Vierkantstatistieken 100 m ({path.name})"
    logger.info("vierkanten %s: %d bewoonde vierkanten", path.name, len(result))
    return result


def _numbers(values: pd.Series, path: Path, column: str) -> np.ndarray:
    """Counts as floats; missing stays NaN; text that is not a number is an error."""
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float)
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(text, errors="coerce")
    bad = parsed.isna() & text.notna() & (text != "")
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            "verwacht een aantal (een getal; negatief = geheim).",
            file=path,
            row=first + 2,
            column=column,
            value=values.iloc[first],
            hint="corrigeer de cel of gebruik de ongewijzigde CBS-download.",
        )
    return parsed.to_numpy(dtype=float)
