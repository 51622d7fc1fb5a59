"""Area profile: everything about one buurt, wijk or focus area, for the app, CLI and reports."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aanbod.schema import SOORTEN
from geo.analysis.context import compare, target_2026, trend
from geo.analysis.language import languages_in_reach, languages_sentence
from geo.analysis.need import latest_year
from geo.analysis.ov_klassen import area_summary
from geo.analysis.pipeline import GapResult, analyse
from geo.analysis.populations import no_population_note
from geo.analysis.reach import has_shape, suitable_activities
from geo.analysis.transport import COMPONENT_LABELS, scale_text
from geo.analysis.uncertainty import certainty_sentence
from geo.errors import DataError
from geo.model.dataset import Dataset
from geo.settings import GROUP_LABELS, GROUPS, AnalysisSettings


@dataclass(frozen=True)
class Area:
    """A resolved area: its kind, key (code or focus-area name), name and member buurten."""

    kind: str
    key: str
    naam: str
    codes: tuple[str, ...]
    buurten: tuple[str, ...]


def resolve_area(dataset: Dataset, query: str) -> Area:
    """Find a focus area, wijk or buurt by name or code (case-insensitive).

    Raises
    ------
    DataError
        When nothing (or more than one area) matches, with suggestions.

    Examples
    --------
    >>> resolve_area(dataset, "overvecht").kind  # doctest: +SKIP
    'gebied'
    """
    text = query.strip().casefold()
    areas = dataset.areas
    for name, gebied in dataset.gebieden.items():
        if name.casefold() == text:
            return Area("gebied", name, name, gebied.codes, tuple(gebied.buurt_codes(areas)))
    by_code = areas[areas["code"].str.casefold() == text]
    hits = by_code if len(by_code) else areas[areas["naam"].str.casefold() == text]
    if len(hits) > 1:
        hits = hits[hits["niveau"] == "wijk"] if (hits["niveau"] == "wijk").any() else hits
    if len(hits) == 1:
        row = hits.iloc[0]
        code = str(row["code"])
        if row["niveau"] == "buurt":
            members: tuple[str, ...] = (code,)
        elif row["niveau"] == "wijk":
            members = tuple(areas.loc[areas["wijk_code"] == code, "code"])
        else:
            members = tuple(areas.loc[areas["niveau"] == "buurt", "code"])
        return Area(str(row["niveau"]), code, str(row["naam"]), (code,), members)
    close = sorted(
        {str(n) for n in [*dataset.gebieden, *areas["naam"]] if text in str(n).casefold()}
    )
    raise DataError(
        "dit gebied is niet gevonden.",
        value=query,
        hint=("bedoelt u: " + ", ".join(close[:8]) + "?")
        if close
        else "geef de naam van een aandachtsgebied, wijk of buurt, of een CBS-code.",
    )


def area_profile(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame] | None,
    query: str,
    *,
    group: str = "ouderen",
    settings: AnalysisSettings = AnalysisSettings(),
    result: GapResult | None = None,
) -> dict[str, object]:
    """The profile of one area for one focus group (JSON-ready).

    Parameters
    ----------
    dataset
        The dataset.
    layers
        Aanbod layers.
    query
        Focus-area name, wijk or buurt name, or CBS code.
    group
        The focus group for need, offer and gap.
    settings
        Analysis settings.
    result
        A finished :func:`~geo.analysis.pipeline.analyse` for ``group`` (saves recomputing).

    Returns
    -------
    dict
        ``area``, ``figures`` (against gemeente and Nederland, with source, year, vintage and
        status), ``trend``, ``target``, ``populations`` (per group, with method), ``need``,
        ``offer`` (reachable aanbod by soort), ``nearest`` (Welzijn op recept, Buurtmobiel),
        ``transport``, ``gap`` (with ``rank_low``/``rank_high``/``certainty`` for buurten, wijken
        and focus areas), ``no_offer_buurten``, ``flags`` (suppressed figures, buurten
        with a borrowed rate, buurten where the group is too small, buurten without a shape),
        ``sources``, ``notes``, ``certainty_explanation`` and the offer completeness keys
        (``offer_complete``, ``offer_missing_soorten``, ``offer_single_source_soorten``,
        ``offer_soorten``, ``offer_notes``; :mod:`geo.analysis.completeness`).
        ``sources``, ``notes``, ``distance_method`` (``netwerk``/``hemelsbreed``),
        ``demand_source`` (``vierkanten``/``adressen``/``buurtmiddelpunt``), ``method``,
        ``time_fit`` (the rule, counts, and ``buurten_only_other_times``) and
        ``language_fit`` (the rule for migrantenouderen, ``languages_in_reach`` and the
        ``sentence`` "aanbod in het Turks/Arabisch binnen bereik").

    Examples
    --------
    >>> profile = area_profile(dataset, aanbod.layers, "Overvecht")  # doctest: +SKIP
    >>> profile["figures"][0]["value"], profile["figures"][0]["nederland"]  # doctest: +SKIP
    (58.2, 47.0)
    """
    if group not in GROUPS:
        raise DataError("onbekende doelgroep.", value=group, hint=f"kies uit: {', '.join(GROUPS)}.")
    area = resolve_area(dataset, query)
    if result is None and not dataset.has_population:
        return profile_without_population(dataset, layers, area, group=group, settings=settings)
    result = result or analyse(dataset, layers, group=group, settings=settings)
    year = result.year
    codes = (
        list(area.codes) if area.kind != "gebied" or len(area.codes) == 1 else list(area.buurten)
    )
    figures = compare(dataset, codes, year=year, group="18+")
    figures += compare(dataset, codes, year=year, group="65+")
    buurten = result.buurten[result.buurten["code"].isin(area.buurten)]
    unit = _unit_row(result, area)
    populations = _populations(result, area)
    layers = layers or {}
    return {
        **_published(dataset, area, codes, figures, group=group, year=year),
        "population_year": result.population_year,
        "populations": populations,
        "need": _need(result, area),
        "offer": _offer(buurten, layers.get("activiteiten"), group, result.settings),
        "nearest": _nearest(area, dataset, layers),
        "transport": _transport(buurten, result.transport_scale),
        "ov_klasse": _ov_klasse(buurten, result),
        "gap": unit,
        "no_offer_buurten": [
            {"code": r.code, "naam": r.naam, "lonely": float(r.lonely or 0)}
            for r in buurten[(buurten["reachable"] == 0) & buurten["access"].notna()].itertuples()
        ],
        "flags": _flags(result, area, figures),
        "sources": _sources(dataset, result),
        "notes": [*_figure_notes(dataset, area, figures, year), *result.notes],
        "certainty_explanation": (
            certainty_sentence(area.kind, result.settings) if area.kind != "gemeente" else None
        ),
        **result.offer,
        "distance_method": result.distance_method,
        "demand_source": result.demand_source,
        "method": result.method,
        "time_fit": _time_fit(result, buurten),
        "language_fit": _language_fit(result, area, layers.get("activiteiten")),
    }


def _time_fit(result: GapResult, buurten: pd.DataFrame) -> dict[str, object]:
    """The time-fit rule, and the area's buurten whose offer in reach is at other hours only."""
    other = (
        buurten[(buurten["reachable"] == 0) & (buurten["reachable_other_times"].fillna(0) > 0)]
        if "reachable_other_times" in buurten
        else buurten.iloc[0:0]
    )
    return {
        **result.time_fit,
        "buurten_only_other_times": [
            {"code": r.code, "naam": r.naam, "activiteiten": int(r.reachable_other_times)}
            for r in other.itertuples()
        ],
    }


def _language_fit(
    result: GapResult, area: Area, activities: gpd.GeoDataFrame | None
) -> dict[str, object]:
    """The language-fit rule and the languages other than Dutch offered within reach."""
    languages = languages_in_reach(result.reach_pairs, activities, list(area.buurten))
    return {
        **result.language_fit,
        "languages_in_reach": languages,
        "sentence": languages_sentence(languages),
    }


def _published(
    dataset: Dataset,
    area: Area,
    codes: list[str],
    figures: list[dict[str, object]],
    *,
    group: str,
    year: int,
) -> dict[str, object]:
    """The profile's keys that need no population: the area, the figures, trend and target."""
    return {
        "area": {
            "kind": area.kind,
            "key": area.key,
            "naam": area.naam,
            "codes": list(area.codes),
            "buurten": list(area.buurten),
            "gemeente": dataset.gemeente_naam,
            "demo": dataset.demo,
        },
        "group": group,
        "group_label": GROUP_LABELS[group],
        "year": year,
        "figures": figures,
        "trend": trend(dataset, codes, indicator="Eenzaam", group="18+"),
        "trend_65plus": trend(dataset, codes, indicator="Eenzaam", group="65+"),
        "target": target_2026(dataset, year=year),
    }


def _flags(result: GapResult, area: Area, figures: list[dict[str, object]]) -> dict[str, object]:
    """What to be careful with in this area: suppressed figures, borrowed rates, small groups."""
    need = result.need
    part = need[
        need["code"].isin(area.buurten)
        & (need["niveau"] == "buurt")
        & (need["group"] == result.group)
    ]
    borrowed = part[~part["rate_from"].astype(str).str.startswith("buurt")]
    scored = result.buurten[result.buurten["code"].isin(area.buurten)]
    return {
        "suppressed_figures": [
            {"indicator": row["label"], "group": row["group"], "status": row["status"]}
            for row in figures
            if row["status"] != "gepubliceerd"
        ],
        "fallback_buurten": [
            {
                "code": r.code,
                "naam": r.naam,
                "rate_from": None if pd.isna(r.rate_from) else r.rate_from,
            }
            for r in borrowed.itertuples()
        ],
        "unreliable_buurten": [
            {"code": r.code, "naam": r.naam, "population": r.population}
            for r in part[part["unreliable"]].itertuples()
        ],
        "buurten_zonder_vorm": scored.loc[scored["access"].isna(), "code"].tolist(),
    }


def _unit_row(result: GapResult, area: Area) -> dict[str, object]:
    level = {
        "buurt": result.buurten,
        "wijk": result.wijken,
        "gebied": result.gebieden,
        "gemeente": result.gemeente,
    }[area.kind]
    hit = level[level["code"] == area.key]
    if hit.empty:
        return {}
    row = hit.drop(columns="geometry").iloc[0].to_dict()
    return {
        k: (None if isinstance(v, float) and not np.isfinite(v) else v)
        for k, v in row.items()
        if not isinstance(v, shapely.Geometry)
    }


def _populations(result: GapResult, area: Area) -> list[dict[str, object]]:
    need = result.need
    rows = []
    for group in GROUPS:
        part = need[
            (need["group"] == group) & need["code"].isin(area.buurten) & (need["niveau"] == "buurt")
        ]
        if part.empty:
            continue
        rows.append(
            {
                "group": group,
                "label": GROUP_LABELS[group],
                "population": float(part["population"].sum()),
                "method": str(part["population_method"].iloc[0]),
                "estimated": str(part["population_estimated"].iloc[0]),
            }
        )
    return rows


def _need(result: GapResult, area: Area) -> list[dict[str, object]]:
    need = result.need
    rows = []
    for group in GROUPS:
        part = need[
            (need["group"] == group) & need["code"].isin(area.buurten) & (need["niveau"] == "buurt")
        ]
        if part.empty:
            continue
        population = float(part["population"].sum())
        lonely = float(part["lonely"].sum())
        severe = float(part["severely_lonely"].sum())
        rows.append(
            {
                "group": group,
                "label": GROUP_LABELS[group],
                "population": population,
                "lonely": lonely,
                "severely_lonely": severe,
                "lonely_rate": 100 * lonely / population if population else None,
                "severely_lonely_rate": 100 * severe / population if population else None,
                "age_group": str(part["age_group"].iloc[0]),
                "fallback_buurten": int((part["rate_from"] != "buurt").sum()),
            }
        )
    return rows


def _offer(
    buurten: pd.DataFrame,
    activities: gpd.GeoDataFrame | None,
    group: str,
    settings: AnalysisSettings,
) -> dict[str, object]:
    by_soort = {
        SOORTEN[s]: int(buurten[f"reachable_{s}"].max()) if len(buurten) else 0 for s in SOORTEN
    }
    inside = 0
    if activities is not None and len(activities) and len(buurten):
        suitable = suitable_activities(activities, group, settings=settings)
        inside = (
            int(suitable["buurt_code"].isin(buurten["code"]).sum())
            if "buurt_code" in suitable
            else 0
        )
    return {
        "by_soort_max_per_buurt": by_soort,
        "suitable_inside_area": inside,
        "covered_lonely": float(buurten["covered_lonely"].sum())
        if "covered_lonely" in buurten and len(buurten)
        else None,
        "reachable_offer": float(
            (buurten["access"] * buurten["lonely"].fillna(0)).sum()
            / max(buurten["lonely"].fillna(0).sum(), 1e-9)
            * 1000
        )
        if len(buurten)
        else None,
    }


def _nearest(
    area: Area, dataset: Dataset, layers: dict[str, gpd.GeoDataFrame]
) -> dict[str, object]:
    shape = shapely.union_all(
        dataset.areas[dataset.areas["code"].isin(area.buurten)].geometry.to_numpy()
    )
    centre = shape.representative_point() if not shape.is_empty else None
    out: dict[str, object] = {"welzijn_op_recept": None, "buurtmobiel": []}
    wor = layers.get("welzijn_op_recept")
    if centre is not None and wor is not None and len(wor):
        located = wor[has_shape(wor)]
        if len(located):
            distances = located.geometry.distance(centre)
            best = distances.idxmin()
            out["welzijn_op_recept"] = {
                "naam": str(located.loc[best, "naam"]),
                "afstand_m": float(distances[best]),
            }
    services = layers.get("buurtmobiel")
    if services is not None and len(services) and not shape.is_empty:
        out["buurtmobiel"] = [
            {"naam": str(s.naam), "dienst": str(s.dienst)}
            for s in services.itertuples()
            if s.geometry is not None and s.geometry.intersects(shape)
        ]
    return out


def _ov_klasse(buurten: pd.DataFrame, result: GapResult) -> dict[str, object]:
    """OV-klasse shares of the area (ARE ÖV-Güteklassen), weighted by the focus group."""
    summary = area_summary(buurten, buurten.get("population", pd.Series(1.0, index=buurten.index)))
    if summary:
        info = result.method.get("ov_klasse", {}) if isinstance(result.method, dict) else {}
        summary["distance_method"] = info.get("distance_method")
        summary["demand_source"] = info.get("demand_source")
        summary["bron"] = (
            "ARE ÖV-Güteklassen (zoals GOAT): haltecategorie uit modaliteit en interval, "
            "klasse A-F naar loopafstand"
        )
    return summary


def _transport(buurten: pd.DataFrame, scale: str = "vast") -> dict[str, object]:
    if buurten.empty:
        return {}
    weights = buurten["lonely"].fillna(0)
    weights = weights if weights.sum() > 0 else pd.Series(1.0, index=buurten.index)

    def mean(column: str) -> float | None:
        values = pd.to_numeric(buurten[column], errors="coerce")
        ok = values.notna()
        return (
            float(np.average(values[ok], weights=weights[ok]))
            if ok.any() and weights[ok].sum() > 0
            else None
        )

    return {
        "index": mean("transport_index"),
        "autos_per_huishouden": mean("autos_per_huishouden"),
        "afstand_ov_m": mean("afstand_ov_m"),
        "vertrekken_per_uur": mean("vertrekken_per_uur"),
        "moeite_rondkomen": mean("moeite_rondkomen"),
        "buurtmobiel": sorted(set(buurten["buurtmobiel"]) - {""}),
        "labels": COMPONENT_LABELS,
        "scale": scale,
        "scale_text": scale_text(scale),
    }


def _source_rows(dataset: Dataset) -> list[dict[str, object]]:
    rows = dataset.sources.to_dict(orient="records")
    return [
        {
            k: v
            for k, v in row.items()
            if k != "zonder_vorm" and not (isinstance(v, float) and np.isnan(v))
        }
        for row in rows
    ]


def _sources(dataset: Dataset, result: GapResult) -> list[dict[str, object]]:
    return _source_rows(dataset) + [
        {
            "bestand": "",
            "soort": "methode",
            "titel": "Wijkkompas hiatenanalyse",
            "jaar": str(result.year),
            "indeling": "",
            "bron": (
                f"RIVM {result.year} × CBS bevolking {result.population_year}; E2SFCA "
                f"({result.settings.decay}), omrijfactor {result.settings.detour_factor:g}"
            ),
        }
    ]


def profile_without_population(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame] | None,
    area: Area,
    *,
    group: str,
    settings: AnalysisSettings,
) -> dict[str, object]:
    """The profile when the data has no population: the published figures, not the need.

    The RIVM percentages, the comparison with gemeente and Nederland, the trend and the offer
    in the area need no population; need in people, the gap and its reason do, so they are
    empty and ``population_missing`` (also the first note) says what is missing and how to
    add it. Same keys as :func:`area_profile`.
    """
    year = latest_year(dataset, settings)
    codes = (
        list(area.codes) if area.kind != "gebied" or len(area.codes) == 1 else list(area.buurten)
    )
    figures = compare(dataset, codes, year=year, group="18+")
    figures += compare(dataset, codes, year=year, group="65+")
    layers = layers or {}
    note = no_population_note()
    return {
        **_published(dataset, area, codes, figures, group=group, year=year),
        "population_year": None,
        "population_missing": note,
        "populations": [],
        "need": [],
        "offer": _offer_inside(area, layers.get("activiteiten"), group),
        "nearest": _nearest(area, dataset, layers),
        "transport": {},
        "gap": {},
        "no_offer_buurten": [],
        "flags": {
            "suppressed_figures": [
                {"indicator": row["label"], "group": row["group"], "status": row["status"]}
                for row in figures
                if row["status"] != "gepubliceerd"
            ],
            "fallback_buurten": [],
            "unreliable_buurten": [],
            "buurten_zonder_vorm": [],
        },
        "sources": _source_rows(dataset),
        "notes": [note, *_figure_notes(dataset, area, figures, year)],
    }


def _offer_inside(area: Area, activities: gpd.GeoDataFrame | None, group: str) -> dict[str, object]:
    """Suitable activities located in the area's buurten, by soort (no reach without people)."""
    by_soort = dict.fromkeys(SOORTEN.values(), 0)
    inside = 0
    if activities is not None and len(activities) and "buurt_code" in activities:
        suitable = suitable_activities(activities, group)
        here = suitable[suitable["buurt_code"].isin(area.buurten)]
        inside = len(here)
        for soort, count in here["soort"].astype(str).value_counts().items():
            if soort in SOORTEN:
                by_soort[SOORTEN[soort]] = int(count)
    return {
        "by_soort_max_per_buurt": {},
        "by_soort_inside_area": by_soort,
        "suitable_inside_area": inside,
        "reachable_offer": None,
    }


def _figure_notes(
    dataset: Dataset, area: Area, figures: list[dict[str, object]], year: int
) -> list[str]:
    """Say why an area has no RIVM figure, or no shape (usually another boundary vintage)."""
    if dataset.areas["geometry"].isna().all():
        return [
            f"Geen grenzen van {area.naam} in de kaarten in wijken/ (andere indeling): de "
            "gepubliceerde cijfers staan per code, zonder kaart en zonder bereik."
        ]
    if figures:
        return []
    vintages = ", ".join(sorted(set(dataset.areas["indeling"].astype(str))))
    editions = ", ".join(sorted(set(dataset.figures["vintage"].astype(str)))) or "geen"
    return [
        f"Geen RIVM-cijfers voor {area.naam} ({area.key}) in {year}: de grenzen hebben indeling "
        f"{vintages}, de cijfers {editions}; deze code komt in de cijfers niet voor. Gebruik "
        "grenzen van dezelfde indeling als de cijfers."
    ]
