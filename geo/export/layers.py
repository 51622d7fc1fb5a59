"""Assemble the export layers from a dataset, its aanbod and the gap analysis.

:func:`collect_layers` is the one place that knows the other modules' outputs; the writers
only see an :class:`~geo.export.bundle.ExportBundle`. Column names are short Dutch
``snake_case`` (QGIS and GeoJSON friendly); :data:`COLUMN_LABELS` gives the Dutch labels used
as Excel/CSV headers and QGIS aliases.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aanbod.schema import LAYER_LABELS, LAYERS, SOORTEN
from geo.export.bundle import DEMO_LABEL, ExportBundle, LayerMeta
from geo.export.labels import COLUMN_LABELS, HIATEN_COLUMNS, UNIT_COLUMNS, figure_label
from geo.export.styles import LayerStyle, categorized, graduated, single
from geo.io.crs import RD
from geo.model.dataset import Dataset
from geo.model.figures import LONELINESS, NOT_PUBLISHED, label
from geo.present.format import fmt_num
from geo.present.maps import SOORT_COLOURS
from geo.settings import GROUP_LABELS

logger = logging.getLogger(__name__)

FIGURE_INDICATORS = (*LONELINESS, "MoeiteMetRondkomen")
INDICATOR_SHORT = {
    "Eenzaam": "eenzaam",
    "ErnstigZeerErnstigEenzaam": "ernstig_eenzaam",
    "EmotioneelEenzaam": "emotioneel_eenzaam",
    "SociaalEenzaam": "sociaal_eenzaam",
    "MoeiteMetRondkomen": "moeite_rondkomen",
}
GROUP_SHORT = {"18+": "18plus", "65+": "65plus", "18-65": "18_65"}
POPULATION_COLUMNS = {
    "inwoners": "inwoners",
    "leeftijd_65_plus": "inwoners_65_plus",
    "eenpersoonshuishoudens": "eenpersoonshuishoudens",
    "autos_per_huishouden": "autos_per_huishouden",
}
HOTSPOT_VALUES = {"hot": "hot spot", "cold": "cold spot", "": "niet significant"}
GROUP_SHORT_SHEET = {
    "ouderen": "65+",
    "alleenstaande-ouderen": "alleenstaand 65+",
    "migrantenouderen": "migrantenouderen",
    "jongvolwassenen": "jongvolwassenen",
}
"""Focus groups in Excel sheet names (at most 31 characters in all)."""
LAYER_STYLES = {
    "lief_en_leed": ("point", "#d62728"),
    "welzijn_op_recept": ("point", "#00441b"),
    "ov_haltes": ("point", "#444444"),
    "buurtmobiel": ("polygon", "#6a3d9a"),
}


def figure_column(indicator: str, group: str, year: int) -> str:
    """The export column of one RIVM figure.

    Examples
    --------
    >>> figure_column("Eenzaam", "18+", 2020)
    'eenzaam_18plus_2020'
    """
    short = INDICATOR_SHORT.get(indicator, indicator.lower())
    return f"{short}_{GROUP_SHORT.get(group, group.replace('+', 'plus'))}_{int(year)}"


def collect_layers(
    dataset: Dataset,
    aanbod: Any = None,
    results: Any = None,
    *,
    indicator: str = "Eenzaam",
    age: str = "18+",
    year: int | None = None,
    lagen: Iterable[str] | None = None,
) -> ExportBundle:
    """All export layers of a dataset: areas with figures, focus areas, gaps, hot spots, aanbod.

    Parameters
    ----------
    dataset
        The loaded dataset.
    aanbod
        An :class:`~geo.aanbod.Aanbod`, a dict of aanbod layers, or None (no aanbod layers).
    results
        Gap analyses: one :class:`~geo.analysis.pipeline.GapResult`, several, a dict of them,
        or None (no gap layers). Each gives ``hiaten_<groep>`` (buurten), ``..._wijken``,
        ``..._gebieden`` and ``hotspots_<groep>``.
    indicator, age, year
        The figure the areas are coloured by (the current map view); default: loneliness 18+
        of the latest year.
    lagen
        Only these layers (names as in the bundle), in this order.

    Returns
    -------
    ExportBundle

    Raises
    ------
    DataError
        An unknown layer name in ``lagen``.

    Examples
    --------
    >>> bundle = collect_layers(dataset, aanbod, [result])  # doctest: +SKIP
    >>> list(bundle.layers)[:3]  # doctest: +SKIP
    ['buurten', 'wijken', 'gemeente']
    """
    layers: dict[str, gpd.GeoDataFrame] = {}
    meta: dict[str, LayerMeta] = {}
    notes: list[str] = []
    year = year or (max(dataset.years) if dataset.years else None)
    for niveau, name in (("buurt", "buurten"), ("wijk", "wijken"), ("gemeente", "gemeente")):
        frame, info = area_layer(dataset, niveau, indicator=indicator, age=age, year=year)
        if len(frame):
            layers[name], meta[name] = frame, info
    frame, info = focus_area_layer(dataset)
    if len(frame):
        layers["aandachtsgebieden"], meta["aandachtsgebieden"] = frame, info
    for result in _results(results):
        for name, (frame, info) in gap_layers(dataset, result).items():
            layers[name], meta[name] = frame, info
    aanbod_layers, aanbod_notes = _aanbod_layers(aanbod)
    notes.extend(aanbod_notes)
    for laag in LAYERS:
        source = aanbod_layers.get(laag)
        if source is None:
            continue
        if source.empty:
            notes.append(f"Laag '{LAYER_LABELS[laag]}' is leeg en niet geëxporteerd.")
            continue
        layers[laag], meta[laag] = aanbod_layer(dataset, laag, source)
    if dataset.demo:
        layers = {name: frame.assign(let_op=DEMO_LABEL) for name, frame in layers.items()}
    layers = {name: _geometry_last(frame) for name, frame in layers.items()}
    sources = dataset.sources.drop(columns=["zonder_vorm"], errors="ignore")
    bundle = ExportBundle(
        layers=layers,
        meta=meta,
        titel=dataset.titel,
        demo=dataset.demo,
        sources=sources,
        notes=[*notes, *dataset.notices],
    )
    logger.info("export: %s", {name: len(frame) for name, frame in layers.items()})
    return bundle.select(lagen)


def area_layer(
    dataset: Dataset,
    niveau: str,
    *,
    indicator: str = "Eenzaam",
    age: str = "18+",
    year: int | None = None,
) -> tuple[gpd.GeoDataFrame, LayerMeta]:
    """Areas of one level with every RIVM loneliness figure (wide) and CBS population counts.

    A suppressed figure is empty (NaN) and named in the column ``niet_gepubliceerd``.

    Examples
    --------
    >>> frame, meta = area_layer(dataset, "wijk")  # doctest: +SKIP
    >>> frame.loc[frame["code"] == "WK034403", "eenzaam_18plus_2020"].item()  # doctest: +SKIP
    58.2
    """
    areas = dataset.level(niveau)
    keep = ["code", "naam", "gemeente_code", "wijk_code", "indeling", "geometry"]
    if niveau != "buurt":
        keep.remove("wijk_code")
    frame = areas[keep].reset_index(drop=True)
    figures = dataset.figures
    part = figures[
        figures["code"].isin(frame["code"]).to_numpy()
        & figures["indicator"].isin(FIGURE_INDICATORS).to_numpy()
    ]
    part = pd.DataFrame(
        {
            "code": part["code"].astype(str).to_numpy(),
            "indicator": part["indicator"].astype(str).to_numpy(),
            "group": part["group"].astype(str).to_numpy(),
            "year": part["year"].to_numpy(dtype=int),
            "value": part["value"].to_numpy(dtype=float),
            "status": part["status"].astype(str).to_numpy(),
            "source": part["source"].astype(str).to_numpy(),
            "vintage": part["vintage"].astype(str).to_numpy(),
        }
    )
    order = {ind: i for i, ind in enumerate(FIGURE_INDICATORS)}
    groups = {g: i for i, g in enumerate(GROUP_SHORT)}
    keys = part[["indicator", "group", "year"]].drop_duplicates()
    keys = keys.assign(
        _o=keys["indicator"].map(order), _g=keys["group"].map(groups).fillna(9)
    ).sort_values(["_o", "_g", "year"])
    labels = {c: COLUMN_LABELS[c] for c in keep if c in COLUMN_LABELS}
    columns: dict[str, pd.Series] = {}
    suppressed = pd.Series("", index=frame.index, dtype=object)
    by_code = frame["code"].astype(str)
    for ind, grp, yr in keys[["indicator", "group", "year"]].itertuples(index=False):
        rows = part[(part["indicator"] == ind) & (part["group"] == grp) & (part["year"] == yr)]
        rows = rows.drop_duplicates("code").set_index("code")
        column = figure_column(ind, grp, yr)
        columns[column] = by_code.map(rows["value"]).astype(float)
        labels[column] = figure_label(label(ind), grp, int(yr))
        hidden = by_code.map(rows["status"]).eq(NOT_PUBLISHED).to_numpy()
        suppressed[hidden] = suppressed[hidden] + f"{label(ind)} {grp} {yr}; "
    population = dataset.population() if dataset.populations else pd.DataFrame()
    pop_year = max(dataset.populations) if dataset.populations else None
    for source_column, column in POPULATION_COLUMNS.items():
        if source_column in population.columns:
            columns[column] = by_code.map(population[source_column]).astype(float)
            labels[column] = f"{COLUMN_LABELS[column]} (CBS {pop_year})"
    frame = pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
    frame["niet_gepubliceerd"] = suppressed.str.rstrip("; ").astype("str")
    labels["niet_gepubliceerd"] = COLUMN_LABELS["niet_gepubliceerd"]
    frame = _tidy(gpd.GeoDataFrame(frame, geometry="geometry", crs=areas.crs), multi=True)
    source = _join(sorted(set(part["source"]))) or _rivm_source(dataset)
    vintage = _vintages(areas, part["vintage"])
    years = ", ".join(str(y) for y in sorted(set(part["year"])))
    style = _area_style(frame, indicator=indicator, age=age, year=year, labels=labels)
    notes = []
    count = int((frame["niet_gepubliceerd"] != "").sum())
    if count:
        notes.append(
            f"{count} gebied(en) met een of meer niet-gepubliceerde cijfers (te weinig "
            "respondenten): leeg gelaten, zie kolom 'niet gepubliceerd'."
        )
    info = LayerMeta(
        title={"buurt": "Buurten", "wijk": "Wijken", "gemeente": "Gemeente"}[niveau]
        + " met eenzaamheidscijfers",
        source=source
        + (f"; bevolking: CBS Kerncijfers wijken en buurten {pop_year}" if pop_year else ""),
        year=years,
        vintage=vintage,
        method="RIVM-schattingen voor kleine gebieden (Gezondheidsmonitor), in % van de "
        "leeftijdsgroep; een groep met te weinig respondenten is niet gepubliceerd.",
        style=style,
        labels=labels,
        notes=tuple(notes),
        sheet={"buurt": "Buurten", "wijk": "Wijken", "gemeente": "Gemeente"}[niveau],
    )
    return frame, info


def focus_area_layer(dataset: Dataset) -> tuple[gpd.GeoDataFrame, LayerMeta]:
    """The focus areas (aandachtsgebieden) as polygons with their member codes.

    Examples
    --------
    >>> frame, _ = focus_area_layer(dataset)  # doctest: +SKIP
    >>> frame["naam"].tolist()  # doctest: +SKIP
    ['Overvecht', 'Zuilen', 'Lunetten', 'Transwijk']
    """
    rows = []
    areas = dataset.areas
    for name, gebied in dataset.gebieden.items():
        rows.append(
            {
                "naam": name,
                "codes": ";".join(gebied.codes),
                "aantal_buurten": len(gebied.buurt_codes(areas)),
                "beschrijving": gebied.beschrijving,
                "bron": gebied.bron,
                "geometry": gebied.geometry(areas),
            }
        )
    frame = gpd.GeoDataFrame(
        pd.DataFrame(
            rows, columns=["naam", "codes", "aantal_buurten", "beschrijving", "bron", "geometry"]
        ),
        geometry="geometry",
        crs=RD,
    )
    frame = _tidy(frame, multi=True)
    labels = {c: COLUMN_LABELS[c] for c in frame.columns if c in COLUMN_LABELS}
    info = LayerMeta(
        title="Aandachtsgebieden",
        source=_join(sorted({g.bron for g in dataset.gebieden.values() if g.bron}))
        or "gebieden.toml",
        year="n.v.t.",
        vintage=_vintages(areas),
        method="Vereniging van de vormen van de genoemde wijken en buurten.",
        style=single("polygon", title="Aandachtsgebieden", colour="#000000", outline=True),
        labels=labels,
    )
    return frame, info


def gap_layers(dataset: Dataset, result: Any) -> dict[str, tuple[gpd.GeoDataFrame, LayerMeta]]:
    """The gap analysis of one focus group: buurten, wijken, focus areas and hot spots.

    Examples
    --------
    >>> sorted(gap_layers(dataset, result))  # doctest: +SKIP
    ['hiaten_ouderen', 'hiaten_ouderen_gebieden', 'hiaten_ouderen_wijken', 'hotspots_ouderen']
    """
    group = str(result.group)
    key = group.replace("-", "_")
    noun = GROUP_LABELS.get(group, group)
    settings = result.settings
    source = (
        f"Wijkkompas-hiatenanalyse op {_rivm_source(dataset)} {result.year} en CBS-bevolking "
        f"{result.population_year}; aanbod uit het aanbodregister"
    )
    method = (
        f"Behoefte = inwoners van de doelgroep × RIVM-percentage eenzaam. Bereikbaar aanbod: "
        f"E2SFCA (Luo & Qi 2009), reikwijdte {settings.catchment(group):g} m, afstandsverval "
        f"'{settings.decay}', omrijfactor {fmt_num(settings.detour_factor, 2)}. Hiaatscore = "
        f"eenzamen zonder passend aanbod × (1 + {fmt_num(settings.transport_weight_in_gap, 2)} × "
        "vervoersarmoede-index)."
    )
    vintage = _vintages(dataset.areas, _rivm_vintage(dataset))
    out: dict[str, tuple[gpd.GeoDataFrame, LayerMeta]] = {}
    short = GROUP_SHORT_SHEET.get(group, group)[:16]
    for level, suffix, mapping, title in (
        (result.buurten, "", HIATEN_COLUMNS, "buurt"),
        (result.wijken, "_wijken", UNIT_COLUMNS, "wijk"),
        (result.gebieden, "_gebieden", UNIT_COLUMNS, "aandachtsgebied"),
    ):
        if level is None or len(level) == 0:
            continue
        frame = _rename(level, mapping)
        frame.insert(2, "doelgroep", GROUP_LABELS.get(group, group))
        frame = _tidy(gpd.GeoDataFrame(frame, geometry="geometry", crs=level.crs), multi=True)
        labels = {c: COLUMN_LABELS.get(c, c) for c in frame.columns if c != "geometry"}
        style = graduated(
            frame["hiaatscore"], column="hiaatscore", title=f"Hiaatscore {noun}", decimals=0
        )
        out[f"hiaten_{key}{suffix}"] = (
            frame,
            LayerMeta(
                title=f"Hiaten {noun} per {title}",
                source=source,
                year=str(result.year),
                vintage=vintage,
                method=method,
                style=style,
                labels=labels,
                notes=tuple(result.notes),
                sheet=f"Hiaten {short} {title.replace('aandachts', '')}",
            ),
        )
    spots = _hotspot_layer(result)
    if spots is not None:
        out[f"hotspots_{key}"] = (
            spots,
            LayerMeta(
                title=f"Hot spots {noun}",
                source=source,
                year=str(result.year),
                vintage=vintage,
                method=(
                    "Getis-Ord Gi* (binaire buurgewichten, analytische z-score) met "
                    "Benjamini-Hochberg-correctie (FDR "
                    f"{fmt_num(settings.fdr_alpha, 2)}); lokale Moran's I met "
                    f"{settings.permutations} permutaties."
                ),
                style=categorized(
                    "hotspot_hiaat",
                    title=f"Hot spots van het hiaat ({noun})",
                    colours={
                        "hot spot": "#d7301f",
                        "cold spot": "#2b8cbe",
                        "niet significant": "#eeeeee",
                    },
                    labels={v: v for v in HOTSPOT_VALUES.values()},
                    geometry="polygon",
                ),
                labels={c: COLUMN_LABELS.get(c, c) for c in spots.columns if c != "geometry"},
                sheet=f"Hot spots {short}",
            ),
        )
    return out


def aanbod_layer(
    dataset: Dataset, laag: str, source: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, LayerMeta]:
    """One aanbod layer for export (Lief en Leedstraten without a location: buurt centre).

    Examples
    --------
    >>> frame, meta = aanbod_layer(dataset, "activiteiten", aanbod.layers["activiteiten"])
    ... # doctest: +SKIP
    """
    frame = source.to_crs(RD) if source.crs is not None else source.set_crs(RD)
    frame = frame.reset_index(drop=True)
    notes = []
    if laag == "lief_en_leed":
        frame = _place_at_buurt(frame, dataset)
        placed = int((frame["locatie"] != "opgegeven").sum())
        if placed:
            notes.append(
                f"{placed} straat/straten zonder coördinaten: getekend in het midden van de buurt "
                "(kolom 'locatie')."
            )
    missing = int((frame.geometry.isna() | frame.geometry.is_empty).sum())
    if missing:
        notes.append(f"{missing} rij(en) zonder locatie: geometrie leeg, wel in de tabel.")
    polygonal = laag == "buurtmobiel"
    frame = _tidy(frame, multi=polygonal)
    labels = {c: COLUMN_LABELS.get(c, c) for c in frame.columns if c != "geometry"}
    style: LayerStyle
    if laag == "activiteiten":
        style = categorized(
            "soort", title="Soort aanbod", colours=SOORT_COLOURS, labels=dict(SOORTEN)
        )
    else:
        geometry, colour = LAYER_STYLES.get(laag, ("point", "#1f77b4"))
        style = single(
            "polygon" if geometry == "polygon" else "point",
            title=LAYER_LABELS[laag],
            colour=colour,
            outline=geometry == "polygon",
        )
    bronnen = sorted({str(b) for b in frame.get("bron", pd.Series(dtype=str)).dropna() if b})
    info = LayerMeta(
        title=LAYER_LABELS[laag],
        source=_join(bronnen[:6]) + (f" en {len(bronnen) - 6} meer" if len(bronnen) > 6 else "")
        or "aanbodregister",
        year="stand bij export",
        vintage=f"buurtcodes: {_vintages(dataset.areas)}",
        method="Zoals ingevoerd of geïmporteerd; gecontroleerd op coördinaten en codes.",
        style=style,
        labels=labels,
        notes=tuple(notes),
    )
    return frame, info


def _area_style(
    frame: gpd.GeoDataFrame,
    *,
    indicator: str,
    age: str,
    year: int | None,
    labels: dict[str, str],
) -> LayerStyle:
    wanted = figure_column(indicator, age, year) if year is not None else ""
    candidates = [wanted] + [c for c in frame.columns if c.startswith("eenzaam_18plus_")][::-1]
    column = next((c for c in candidates if c in frame.columns and frame[c].notna().any()), None)
    if column is None:
        return single("polygon", title="Gebieden", colour="#555555", outline=True)
    return graduated(frame[column], column=column, title=labels.get(column, column), unit="%")


def _hotspot_layer(result: Any) -> gpd.GeoDataFrame | None:
    spots = result.hotspots
    if spots is None or spots.empty or "variable" not in spots:
        return None
    base = result.buurten[["code", "naam", "geometry"]].reset_index(drop=True)
    frame = pd.DataFrame({"code": base["code"].astype(str), "naam": base["naam"].astype(str)})
    for variable in ("hiaat", "eenzamen"):
        part = spots[spots["variable"] == variable].drop_duplicates("code").set_index("code")
        if part.empty:
            continue
        codes = frame["code"]
        frame[f"hotspot_{variable}"] = codes.map(
            part["hotspot"].astype(str).map(lambda v: HOTSPOT_VALUES.get(v, v))
        ).fillna("niet significant")
        frame[f"gi_z_{variable}"] = codes.map(part["gi_z"]).astype(float)
        frame[f"gi_p_fdr_{variable}"] = codes.map(part["gi_p_fdr"]).astype(float)
        frame[f"lisa_{variable}"] = codes.map(part["moran_quadrant"].astype(str)).fillna("")
    if "hotspot_hiaat" not in frame:
        return None
    out = gpd.GeoDataFrame(frame, geometry=base.geometry.to_numpy(), crs=result.buurten.crs)
    return _tidy(out, multi=True)


def _rename(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    present = [c for c in mapping if c in frame.columns]
    out = pd.DataFrame(frame[present]).rename(columns=mapping).reset_index(drop=True)
    out["geometry"] = frame.geometry.to_numpy()
    return out


def _place_at_buurt(frame: gpd.GeoDataFrame, dataset: Dataset) -> gpd.GeoDataFrame:
    centres = dataset.areas.set_index("code").geometry.representative_point()
    geometry = frame.geometry.to_numpy()
    absent = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    codes = frame["buurt_code"].astype(str).to_numpy() if "buurt_code" in frame else None
    placed = np.array(geometry, dtype=object)
    where = np.full(len(frame), "opgegeven", dtype=object)
    if codes is not None:
        for i in np.flatnonzero(absent):
            centre = centres.get(codes[i])
            if centre is not None:
                placed[i] = centre
                where[i] = "midden van de buurt (geen coördinaten)"
            else:
                where[i] = "onbekend"
    out = frame.copy()
    out["locatie"] = where
    return out.set_geometry(gpd.GeoSeries(placed, crs=frame.crs, index=frame.index))


def _tidy(frame: gpd.GeoDataFrame, *, multi: bool = False) -> gpd.GeoDataFrame:
    """Plain dtypes that survive every format: text as ``str``, numbers as float/int, bool."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == object:
            if series.dtype == object and _all_bool(series):
                out[column] = series.astype(bool)
                continue
            numbers = pd.to_numeric(series, errors="coerce") if series.dtype == object else None
            if (
                numbers is not None
                and series.notna().any()
                and numbers.notna().equals(series.notna())
                and not series.dropna().map(lambda v: isinstance(v, str)).any()
            ):
                out[column] = numbers.astype(float)
                continue
            out[column] = series.astype(object).where(series.notna(), None).astype("str")
        elif pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.astype("str")
        elif pd.api.types.is_integer_dtype(series.dtype):
            out[column] = series.astype("int64")
    if multi:
        geometry = out.geometry.to_numpy()
        polygon = shapely.get_type_id(geometry) == 3
        geometry = np.array(geometry, dtype=object)
        geometry[polygon] = (
            shapely.multipolygons([[g] for g in geometry[polygon]])
            if polygon.any()
            else geometry[polygon]
        )
        out = out.set_geometry(gpd.GeoSeries(geometry, crs=frame.crs, index=out.index))
    return out


def _geometry_last(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns in file order: attributes first, the geometry last (as files read back)."""
    name = frame.geometry.name
    return frame[[c for c in frame.columns if c != name] + [name]]


def _all_bool(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) == len(series) and values.map(lambda v: isinstance(v, bool | np.bool_)).all()


def _results(results: Any) -> list[Any]:
    if results is None:
        return []
    if isinstance(results, Mapping):
        return list(results.values())
    if hasattr(results, "buurten"):
        return [results]
    return list(results)


def _aanbod_layers(aanbod: Any) -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    if aanbod is None:
        return {}, []
    if isinstance(aanbod, Mapping):
        return dict(aanbod), []
    return dict(getattr(aanbod, "layers", {}) or {}), list(getattr(aanbod, "notices", []))


def _rivm_source(dataset: Dataset) -> str:
    """The source text of the RIVM loneliness figures (with DEMO for demo data)."""
    figures = dataset.figures
    local = figures[
        (figures["indicator"] == "Eenzaam").to_numpy() & (figures["niveau"] != "land").to_numpy()
    ]
    sources = sorted(set(local["source"].astype(str)))
    return _join(sources) or "RIVM, GGD'en, CBS (Gezondheidsmonitor)"


def _rivm_vintage(dataset: Dataset) -> pd.Series:
    figures = dataset.figures
    return figures.loc[(figures["indicator"] == "Eenzaam").to_numpy(), "vintage"]


def _vintages(areas: pd.DataFrame, figure_vintages: pd.Series | None = None) -> str:
    """``grenzen 2023; cijfers indeling 2020``: the boundary and the figures' vintage."""
    grenzen = ", ".join(sorted(set(areas["indeling"].astype(str)))) if len(areas) else "onbekend"
    cijfers = (
        ", ".join(sorted(set(figure_vintages.astype(str))))
        if figure_vintages is not None and len(figure_vintages)
        else ""
    )
    return f"grenzen {grenzen}; cijfers {cijfers}" if cijfers else f"grenzen {grenzen}"


def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)
