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
import pandas as pd

from geo.aanbod.schema import LAYER_LABELS, LAYERS
from geo.export._frames import geometry_last, join, rivm_source, tidy, vintages
from geo.export.aanbod_layers import aanbod_layer
from geo.export.bundle import DEMO_LABEL, ExportBundle, LayerMeta
from geo.export.gap_layers import gap_layers
from geo.export.labels import COLUMN_LABELS, figure_label
from geo.export.styles import LayerStyle, graduated, single
from geo.export.suppression import exact_numbers, suppress_small_numbers
from geo.io.crs import RD
from geo.model.dataset import Dataset
from geo.model.figures import LONELINESS, NOT_PUBLISHED, label

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
    suppress: bool = True,
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
    suppress
        Suppress counts under 50 residents and round the others to 5
        (:func:`~geo.export.suppression.suppress_small_numbers`, the default); False exports
        exact numbers for internal use. Either way the choice is in the metadata.

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
    layers = {name: geometry_last(frame) for name, frame in layers.items()}
    sources = dataset.sources.drop(columns=["zonder_vorm"], errors="ignore")
    bundle = ExportBundle(
        layers=layers,
        meta=meta,
        titel=dataset.titel,
        demo=dataset.demo,
        sources=sources,
        notes=[*notes, *dataset.notices],
    )
    bundle = suppress_small_numbers(bundle) if suppress else exact_numbers(bundle)
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
            "lower": part["lower"].to_numpy(dtype=float),
            "upper": part["upper"].to_numpy(dtype=float),
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
        if rows["lower"].notna().any():  # the edition publishes a 95 % interval: export it
            for bound, word in (("lower", "ondergrens"), ("upper", "bovengrens")):
                columns[f"{column}_{word}"] = by_code.map(rows[bound]).astype(float)
                labels[f"{column}_{word}"] = f"{labels[column]}, {word} 95 %-interval"
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
    frame = tidy(gpd.GeoDataFrame(frame, geometry="geometry", crs=areas.crs), multi=True)
    source = join(sorted(set(part["source"]))) or rivm_source(dataset)
    vintage = vintages(areas, part["vintage"])
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
        + (
            f"; bevolking: {population.attrs.get('source') or f'CBS Kerncijfers {pop_year}'}"
            + (
                " (leeftijden en herkomst geschat uit hele percentages)"
                if population.attrs.get("from_percentages")
                else ""
            )
            if pop_year
            else ""
        ),
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
    frame = tidy(frame, multi=True)
    labels = {c: COLUMN_LABELS[c] for c in frame.columns if c in COLUMN_LABELS}
    info = LayerMeta(
        title="Aandachtsgebieden",
        source=join(sorted({g.bron for g in dataset.gebieden.values() if g.bron}))
        or "gebieden.toml",
        year="n.v.t.",
        vintage=vintages(areas),
        method="Vereniging van de vormen van de genoemde wijken en buurten.",
        style=single("polygon", title="Aandachtsgebieden", colour="#000000", outline=True),
        labels=labels,
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
