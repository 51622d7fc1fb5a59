"""Read area boundaries (wijk- en buurtkaart) from GeoJSON, GeoPackage, Shapefile or TopoJSON.

Columns are recognised by their names, so files from CBS/PDOK (``statcode``/``statnaam``,
``buurtcode``/``buurtnaam``, ``BU_CODE``...), from the Gemeente Utrecht (``KODE``,
``WIJKKODE``, ``NAAM``) and Wijkkompas' own exports (``code``/``naam``) need no configuration.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.errors import DataError, Notices
from geo.io._tabular import sniff_kind, suffix_of
from geo.io.crs import to_rd
from geo.model.codes import AREA_COLUMNS, niveau_of, parent_codes

logger = logging.getLogger(__name__)

SPATIAL_SUFFIXES = (".geojson", ".json", ".topojson", ".gpkg", ".shp", ".zip", ".shp.zip", ".fgb")

# (code column, name column) pairs in order of preference, lower-case.
_CODE_NAME = [
    ("code", "naam"),
    ("statcode", "statnaam"),
    ("buurtcode", "buurtnaam"),
    ("bu_code", "bu_naam"),
    ("wijkcode", "wijknaam"),
    ("wk_code", "wk_naam"),
    ("gemeentecode", "gemeentenaam"),
    ("gm_code", "gm_naam"),
    ("gwb_code_10", "regio"),
]
_DIGIT_LEVELS = {8: "BU", 6: "WK", 4: "GM"}
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
MUNICIPAL_NAME_LENGTH = 20
MAX_SPATIAL_BYTES = 2_000_000_000
"""Largest boundary file Wijkkompas reads (the national PDOK GeoPackage is ~0.5 GB)."""
UNREADABLE = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    UnicodeDecodeError,
    ValueError,
    OSError,
    shapely.errors.GEOSException,
)
"""What GDAL/pyogrio/shapely raise on a damaged file (ValueError covers bad WKB)."""


def vintage_from_name(path: Path) -> str:
    """Boundary vintage (year) from a file name such as ``cbs_buurten_2014.topojson``."""
    match = _YEAR.search(path.name)
    return match.group(1) if match else "onbekend"


def read_spatial(path: str | Path, *, notices: Notices | None = None) -> gpd.GeoDataFrame:
    """Read every layer of a spatial file into one frame, checking the content matches the name.

    Text that is not valid UTF-8 is read as Windows-1252 (with a notice); a file larger than
    :data:`MAX_SPATIAL_BYTES` is refused.

    Raises
    ------
    DataError
        When the file is empty, too large, not what its extension says, or unreadable.
    """
    path = Path(path)
    if not path.exists():
        raise DataError("bestand bestaat niet.", file=path, hint="controleer het pad.")
    if path.stat().st_size > MAX_SPATIAL_BYTES:
        raise DataError(
            f"het bestand is {path.stat().st_size / 1e6:.0f} MB; Wijkkompas leest kaartlagen tot "
            f"{MAX_SPATIAL_BYTES / 1e6:.0f} MB.",
            file=path,
            hint="gebruik de download van één gemeente of knip de kaart op.",
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise DataError("het bestand is leeg.", file=path, hint="exporteer het bestand opnieuw.")
    suffix = suffix_of(path)
    kind = sniff_kind(path, head)
    expected = {
        ".geojson": "json",
        ".json": "json",
        ".topojson": "json",
        ".gpkg": "sqlite",
        ".zip": "zip",
        ".shp.zip": "zip",
    }.get(suffix)
    if expected is not None and kind != expected:
        raise DataError(
            f"de extensie is '{suffix}', maar de inhoud is geen {expected.upper()} "
            f"(gevonden: {kind}).",
            file=path,
            hint="controleer of u het juiste bestand koos, of geef het de juiste extensie.",
        )
    source = str(path)
    if suffix == ".topojson" or (kind == "json" and _is_topojson(path)):
        source = f"TopoJSON:{path}"
    try:
        layers = [name for name, _ in pyogrio.list_layers(source)]
        try:
            frames = [gpd.read_file(source, layer=layer) for layer in layers]
        except UnicodeDecodeError:
            frames = [gpd.read_file(source, layer=layer, encoding="cp1252") for layer in layers]
            if notices is not None:
                notices.add(
                    f"{path.name}: tekst is geen geldige UTF-8; gelezen als Windows-1252. "
                    "Controleer namen met accenten."
                )
    except UNREADABLE as exc:
        raise DataError(
            f"het bestand kan niet als kaartlaag worden gelezen ({type(exc).__name__}: "
            f"{str(exc)[:200]}).",
            file=path,
            hint="het bestand is beschadigd of onvolledig; download of exporteer het opnieuw "
            "(GeoJSON, GeoPackage, TopoJSON of een gezipte shapefile).",
        ) from exc
    frames = [f for f in frames if len(f)]
    if not frames:
        raise DataError("het bestand bevat geen objecten.", file=path)
    shapeless = [f for f in frames if not _has_geometry(f)]
    frames = [f for f in frames if _has_geometry(f)]  # a table without shapes is no boundary
    if not frames:
        raise DataError(
            "een laag van dit bestand heeft geen geometriekolom (kolommen: "
            f"{', '.join(map(str, shapeless[0].columns[:8]))}).",
            file=path,
            hint="het bestand is beschadigd of bevat een tabel zonder vormen; gebruik de "
            "grenzen met geometrie.",
        )
    crs = frames[0].crs
    frame = pd.concat(
        [f.set_crs(crs, allow_override=True) if f.crs != crs else f for f in frames],
        ignore_index=True,
    )
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=crs)


def _has_geometry(frame: pd.DataFrame) -> bool:
    """True for a GeoDataFrame with an active geometry column (a damaged file may lack it)."""
    if not isinstance(frame, gpd.GeoDataFrame):
        return False
    try:
        frame.geometry  # noqa: B018 — raises AttributeError without an active geometry
    except AttributeError:
        return False
    return True


def _is_topojson(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
        handle.seek(max(0, path.stat().st_size - 4096))
        tail = handle.read()
    return b'"Topology"' in head or b'"Topology"' in tail


def areas_from_file(
    path: str | Path,
    *,
    gemeente_digits: str | None = None,
    notices: Notices | None = None,
) -> gpd.GeoDataFrame:
    """Read a boundary file into the canonical areas table.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage, TopoJSON or (zipped) Shapefile with CBS-style or municipal columns.
    gemeente_digits
        Four digits of the gemeente (``"0344"``); needed for municipal files whose codes lack
        them (``KODE`` = ``0311``). When given, areas of other gemeenten are left out.
    notices
        Collects what the user should be told (inferred CRS, repaired polygons).

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`AREA_COLUMNS`, in EPSG:28992, one row per area.

    Raises
    ------
    DataError
        Unknown columns, empty or duplicate codes, missing or non-polygon geometry.

    Examples
    --------
    >>> areas = areas_from_file("gemeente-utrecht_buurten_2013.geojson",
    ...                         gemeente_digits="0344")  # doctest: +SKIP
    >>> areas.loc[0, "code"]  # doctest: +SKIP
    'BU03440111'
    """
    path = Path(path)
    notices = Notices() if notices is None else notices
    raw = _drop_water_twins(read_spatial(path, notices=notices), path, notices)
    codes, names, naam_bron = _recognise(raw, path, gemeente_digits)
    areas = gpd.GeoDataFrame(
        {"code": codes, "naam": names, "naam_bron": naam_bron},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    if gemeente_digits is not None:
        keep = areas["code"].str[2:6].eq(gemeente_digits)
        areas = areas[keep.to_numpy()]
        if areas.empty:
            return _empty_areas()
    areas = _drop_empty(areas, path, notices)
    _check_geometry(areas, path)
    areas = to_rd(areas, source=path.name, notices=notices)
    areas = _repair(areas, path, notices)
    areas = _drop_empty(areas, path, notices, after_repair=True)
    areas["niveau"] = areas["code"].map(niveau_of)
    parents = [parent_codes(code) for code in areas["code"]]
    areas["gemeente_code"] = [p[0] for p in parents]
    areas["wijk_code"] = [p[1] for p in parents]
    areas["bron"] = path.name
    areas["indeling"] = vintage_from_name(path)
    _check_duplicates(areas, path)
    logger.info(
        "%s: %d gebieden gelezen (%s)",
        path.name,
        len(areas),
        areas["niveau"].value_counts().to_dict(),
    )
    out = areas[AREA_COLUMNS].reset_index(drop=True)
    out.attrs["zonder_vorm"] = areas.attrs.get("zonder_vorm", [])
    return out


def _drop_water_twins(raw: gpd.GeoDataFrame, path: Path, notices: Notices) -> gpd.GeoDataFrame:
    """PDOK gives some gemeenten a land and a water feature with one code: keep the land.

    A water-only buurt (``water == "JA"`` and no land twin) stays: it is on the map, but its
    population is 0 (see :mod:`geo.io.pdok`).
    """
    lower = {str(c).lower(): c for c in raw.columns if c != "geometry"}
    if "water" not in lower:
        return raw
    water = raw[lower["water"]].astype("string").str.strip().str.upper().eq("JA").fillna(False)
    key = next((lower[c] for c in ("buurtcode", "wijkcode", "gemeentecode") if c in lower), None)
    if key is None or not water.any():
        return raw
    pieces = [
        raw[lower[c]].astype("string").fillna("")
        for c in ("buurtcode", "wijkcode", "gemeentecode")
        if c in lower
    ]
    own = pieces[0]
    for piece in pieces[1:]:
        own = own.mask(own.str.strip().eq(""), piece)
    land = set(own[~water].str.strip().str.upper())
    twins = water & own.str.strip().str.upper().isin(land)
    if not twins.any():
        return raw
    notices.add(
        f"{path.name}: {int(twins.sum())} waterdeel/waterdelen naast het land met dezelfde code "
        "weggelaten (PDOK-kenmerk water = JA)."
    )
    return raw[~twins.to_numpy()].reset_index(drop=True)


def _empty_areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in AREA_COLUMNS[:-1]}, geometry=[], crs="EPSG:28992")


def _recognise(
    raw: gpd.GeoDataFrame, path: Path, gemeente_digits: str | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    lower = {str(c).lower(): c for c in raw.columns if c != "geometry"}
    if "kode" in lower and "naam" in lower:
        return _municipal(raw, lower, path, gemeente_digits)
    pdok = [pair for pair in _PDOK_CODE_NAME if pair[0] in lower]
    if pdok and not {"code", "statcode"} & set(lower):
        return _pdok_codes(raw, lower, pdok, path)
    for code_col, name_col in _CODE_NAME:
        if code_col in lower:
            codes = raw[lower[code_col]].astype("string").str.strip().str.upper()
            codes = _complete_codes(codes, raw, lower[code_col], path)
            if name_col in lower:
                names = raw[lower[name_col]].astype("string").str.strip()
            else:
                names = codes.copy()
            return codes, names, pd.Series("kaart", index=raw.index)
    raise DataError(
        "geen kolom met gebiedscodes gevonden (kolommen: "
        f"{', '.join(map(str, lower.values())) or 'geen'}).",
        file=path,
        hint="gebruik een CBS/PDOK wijk- en buurtkaart (statcode/buurtcode/wijkcode) of "
        "een gemeentelijk bestand met KODE en NAAM.",
    )


_PDOK_CODE_NAME = [
    ("buurtcode", "buurtnaam"),
    ("wijkcode", "wijknaam"),
    ("gemeentecode", "gemeentenaam"),
]


def _pdok_codes(
    raw: gpd.GeoDataFrame, lower: dict[str, str], pairs: list[tuple[str, str]], path: Path
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """PDOK layers: per feature the finest code it has (a GeoPackage's layers are stacked).

    A buurt feature also carries its wijkcode and gemeentecode; a wijk feature has no
    buurtcode; so the first non-empty of buurtcode, wijkcode, gemeentecode is the feature's own.
    """
    codes = pd.Series(pd.NA, index=raw.index, dtype="string")
    names = pd.Series(pd.NA, index=raw.index, dtype="string")
    for code_col, name_col in pairs:
        cells = raw[lower[code_col]].astype("string").str.strip().str.upper()
        cells = cells.mask(cells.eq(""))
        take = codes.isna() & cells.notna()
        codes = codes.mask(take, cells)
        if name_col in lower:
            label = raw[lower[name_col]].astype("string").str.strip()
            names = names.mask(take, label)
    names = names.fillna(codes)
    codes = _complete_codes(codes, raw, "/".join(c for c, _ in pairs), path)
    return codes, names, pd.Series("kaart", index=raw.index)


def _complete_codes(codes: pd.Series, raw: pd.DataFrame, column: str, path: Path) -> pd.Series:
    out = codes.copy()
    for position, code in enumerate(codes.to_numpy()):
        if code is pd.NA or code == "" or code is None:
            raise DataError(
                "gebiedscode ontbreekt.",
                file=path,
                row=position + 1,
                column=column,
                hint="vul de CBS-code in (bijvoorbeeld BU03440311).",
            )
        if niveau_of(code) is None:
            if code.isdigit() and len(code) in _DIGIT_LEVELS:
                out.iloc[position] = _DIGIT_LEVELS[len(code)] + code
                continue
            raise DataError(
                "dit is geen CBS-gebiedscode.",
                file=path,
                row=position + 1,
                column=column,
                value=code,
                hint="gebruik codes als GM0344, WK034403 of BU03440311.",
            )
    return out


def _municipal(
    raw: gpd.GeoDataFrame, lower: dict[str, str], path: Path, gemeente_digits: str | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    kode = raw[lower["kode"]].astype("string").str.strip()
    names = raw[lower["naam"]].astype("string").str.strip()
    has_wijk = "wijkkode" in lower
    lengths = set(kode.str.len().dropna().astype(int))
    if lengths == {4} and not has_wijk:
        codes = "GM" + kode
    else:
        if gemeente_digits is None:
            raise DataError(
                "dit gemeentelijke bestand heeft codes zonder gemeentenummer (KODE "
                f"'{kode.iloc[0]}'), en het gemeentenummer is onbekend.",
                file=path,
                column=lower["kode"],
                hint="zet een CBS- of RIVM-tabel van deze gemeente in dezelfde map, "
                "of geef --gemeente met de CBS-code (bijvoorbeeld GM0344).",
            )
        if lengths == {4} and has_wijk:
            codes = "BU" + gemeente_digits + kode
        elif lengths == {2}:
            codes = "WK" + gemeente_digits + kode
        else:
            raise DataError(
                f"KODE heeft een onverwachte lengte ({sorted(lengths)}); verwacht 2 (wijk) of "
                "4 tekens (buurt).",
                file=path,
                column=lower["kode"],
                hint="controleer of dit een wijk- of buurtbestand van de gemeente is.",
            )
    truncated = names.str.len() >= MUNICIPAL_NAME_LENGTH
    upper = names.str.isupper()
    naam_bron = pd.Series("gemeente", index=raw.index).mask(truncated, "gemeente (afgekort)")
    names = names.mask(upper, names.str.title())
    return codes.astype("string"), names, naam_bron


def _drop_empty(
    areas: gpd.GeoDataFrame, path: Path, notices: Notices, *, after_repair: bool = False
) -> gpd.GeoDataFrame:
    """Leave out areas without a shape (coarse national files collapse tiny buurten), and say so."""
    missing = (areas.geometry.isna() | areas.geometry.is_empty).to_numpy()
    if not missing.any():
        return areas
    if missing.all():
        raise DataError(
            "geen enkel gebied in dit bestand heeft een vorm (geometrie).",
            file=path,
            column="geometry",
            hint="exporteer de grenzen opnieuw, met geometrie.",
        )
    codes = list(areas.loc[missing, "code"])
    why = " (na herstel van een ongeldige vorm bleef niets over)" if after_repair else ""
    notices.add(
        f"{path.name}: {len(codes)} gebied(en) zonder vorm overgeslagen{why} "
        f"({', '.join(codes[:8])}{' ...' if len(codes) > 8 else ''})."
    )
    kept = areas[~missing].copy()
    kept.attrs["zonder_vorm"] = list(areas.attrs.get("zonder_vorm", [])) + codes
    return kept


def _check_geometry(areas: gpd.GeoDataFrame, path: Path) -> None:
    kinds = set(areas.geom_type)
    if not kinds <= {"Polygon", "MultiPolygon"}:
        wrong = sorted(kinds - {"Polygon", "MultiPolygon"})
        position = int(
            (~areas.geom_type.isin(["Polygon", "MultiPolygon"])).to_numpy().nonzero()[0][0]
        )
        raise DataError(
            f"gebiedsgrenzen moeten vlakken zijn, maar het bestand bevat {', '.join(wrong)}.",
            file=path,
            row=position + 1,
            column="geometry",
            value=areas["code"].iloc[position],
            hint="gebruik een bestand met (multi)polygonen van de wijken of buurten.",
        )


def _repair(areas: gpd.GeoDataFrame, path: Path, notices: Notices) -> gpd.GeoDataFrame:
    invalid = ~areas.geometry.is_valid
    if not invalid.any():
        return areas
    polygonal = [_make_valid(g) for g in areas.geometry.to_numpy()[invalid.to_numpy()]]
    areas = areas.copy()
    areas.loc[invalid, "geometry"] = polygonal
    codes = ", ".join(areas.loc[invalid, "code"].head(10))
    more = "" if invalid.sum() <= 10 else f" en {int(invalid.sum()) - 10} andere"
    notices.add(
        f"{path.name}: {int(invalid.sum())} ongeldige vorm(en) hersteld (make_valid): "
        f"{codes}{more}."
    )
    return areas


def _make_valid(geometry: shapely.Geometry) -> shapely.Geometry:
    try:
        fixed = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    except shapely.errors.GEOSException:
        fixed = shapely.make_valid(geometry.buffer(0))
    return _polygonal(fixed)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else geometry


def _check_duplicates(areas: gpd.GeoDataFrame, path: Path) -> None:
    duplicated = areas["code"].duplicated(keep=False)
    if duplicated.any():
        code = areas.loc[duplicated, "code"].iloc[0]
        rows = [i + 1 for i in (areas["code"] == code).to_numpy().nonzero()[0]]
        raise DataError(
            f"gebiedscode komt meer dan eens voor (objecten {', '.join(map(str, rows))}).",
            file=path,
            column="code",
            value=code,
            hint="voeg de delen samen tot één (multi)polygoon per code, of verwijder dubbelen.",
        )
