"""Export layers of the gap analysis: gaps per buurt, wijk and focus area; hot spots."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis.uncertainty import certainty_sentence
from geo.export._frames import rename, rivm_source, rivm_vintage, tidy, vintages
from geo.export.bundle import LayerMeta
from geo.export.labels import COLUMN_LABELS, HIATEN_COLUMNS, UNIT_COLUMNS
from geo.export.styles import categorized, graduated
from geo.export.suppression import SUPPRESSED_TEXT, suppress_layer
from geo.model.dataset import Dataset
from geo.present.format import fmt_num
from geo.settings import GROUP_LABELS

HOTSPOT_VALUES = {"hot": "hot spot", "cold": "cold spot", "": "niet significant"}
GROUP_SHORT_SHEET = {
    "ouderen": "65+",
    "alleenstaande-ouderen": "alleenstaand 65+",
    "migrantenouderen": "migrantenouderen",
    "jongvolwassenen": "jongvolwassenen",
}
"""Focus groups in Excel sheet names (at most 31 characters in all)."""


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
        f"Wijkkompas-hiatenanalyse op {rivm_source(dataset)} {result.year} en CBS-bevolking "
        f"{result.population_year}; aanbod uit het aanbodregister"
    )
    how = dict(getattr(result, "method", None) or {})
    distance = how.get("distance_method", "hemelsbreed")
    demand = how.get("demand_source", "buurtmiddelpunt")
    reach = (
        f"over het loopnetwerk ({how.get('network_source')}), {how.get('catchment_text')} bij "
        f"{fmt_num(how.get('speed_kmh'), 1)} km/u"
        if distance == "netwerk"
        else f"reikwijdte {settings.catchment(group):g} m, omrijfactor "
        f"{fmt_num(settings.detour_factor, 2)}"
    )
    method = (
        f"Behoefte = inwoners van de doelgroep × RIVM-percentage eenzaam. Bereikbaar aanbod: "
        f"E2SFCA (Luo & Qi 2009), {reach}, afstandsverval '{settings.decay}'; "
        f"distance_method={distance}; demand_source={demand} "
        f"({how.get('demand_detail', 'buurtgrenzen')}). Dekking (eenzamen_binnen_bereik) = "
        "eenzamen met minstens één passende activiteit binnen bereik. Hiaatscore = "
        f"eenzamen zonder passend aanbod × (1 + {fmt_num(settings.transport_weight_in_gap, 2)} × "
        "vervoersarmoede-index)."
    )
    vintage = vintages(dataset.areas, rivm_vintage(dataset))
    out: dict[str, tuple[gpd.GeoDataFrame, LayerMeta]] = {}
    short = GROUP_SHORT_SHEET.get(group, group)[:16]
    for level, suffix, mapping, title, niveau in (
        (result.buurten, "", HIATEN_COLUMNS, "buurt", "buurt"),
        (result.wijken, "_wijken", UNIT_COLUMNS, "wijk", "wijk"),
        (result.gebieden, "_gebieden", UNIT_COLUMNS, "aandachtsgebied", "gebied"),
    ):
        if level is None or len(level) == 0:
            continue
        frame = rename(level, mapping)
        frame.insert(2, "doelgroep", GROUP_LABELS.get(group, group))
        frame = tidy(gpd.GeoDataFrame(frame, geometry="geometry", crs=level.crs), multi=True)
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
                method=f"{method} {certainty_sentence(niveau, settings)}",
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


LEVEL_SUFFIX = {"buurt": "", "wijk": "_wijken", "gebied": "_gebieden"}


def gap_table(dataset: Dataset, result: Any, niveau: str, *, suppress: bool = True) -> pd.DataFrame:
    """The gaps of one level as the export's table: Dutch headings, small numbers suppressed.

    The Hiaten page's download: the same columns and rules as ``wijkkompas export``
    (:mod:`geo.export.suppression`: fewer than 50 residents of the group suppressed, other
    counts rounded to 5, and a column saying so). ``suppress=False`` gives the exact numbers,
    for internal use only.

    Examples
    --------
    >>> gap_table(dataset, result, "wijk").columns[:2].tolist()  # doctest: +SKIP
    ['Code', 'Naam']
    """
    name = f"hiaten_{str(result.group).replace('-', '_')}{LEVEL_SUFFIX[niveau]}"
    layers = gap_layers(dataset, result)
    if name not in layers:
        return pd.DataFrame()
    frame, meta = layers[name]
    if suppress:
        frame = suppress_layer(frame)
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out.columns = [meta.labels.get(c) or COLUMN_LABELS.get(c, c) for c in out.columns]
    out.attrs["suppression"] = SUPPRESSED_TEXT if suppress else "exacte aantallen"
    return out


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
    return tidy(out, multi=True)
