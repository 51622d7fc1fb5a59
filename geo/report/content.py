"""The wijkpropositie of one area and focus group, as a :class:`~geo.report.document.Report`.

Everything comes from the analysis (:func:`~geo.analysis.pipeline.analyse` and
:func:`~geo.analysis.profile.area_profile`); this module only chooses, formats (Dutch numbers)
and words it, with the source, year and boundary vintage next to every table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

import geo
from geo.analysis.pipeline import GapResult, analyse
from geo.analysis.profile import area_profile, resolve_area
from geo.analysis.reach import demand_points, has_shape, straight_pairs, suitable_activities
from geo.analysis.scenario import Scenario
from geo.errors import DataError
from geo.model.dataset import Dataset
from geo.report.context import KIND_LABELS, ReportContext
from geo.report.document import Report, Section
from geo.report.sections_need import key_figures, need, summary, trend
from geo.report.sections_notes import heard
from geo.report.sections_offer import aanbod, cautions, gap, no_offer, sources, transport
from geo.settings import GROUP_LABELS, GROUPS, AnalysisSettings

logger = logging.getLogger(__name__)

MAX_AANBOD_ROWS = 40
MAX_BUURT_ROWS = 12


def build_report(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame] | None,
    gebied: str,
    *,
    group: str = "ouderen",
    settings: AnalysisSettings = AnalysisSettings(),
    result: GapResult | None = None,
    notices: Iterable[str] = (),
    progress: Callable[[str], None] | None = None,
    local_notes: pd.DataFrame | None = None,
    scenario: Scenario | None = None,
) -> Report:
    """The wijkpropositie of an area (focus area, wijk or buurt) for one focus group.

    Parameters
    ----------
    dataset
        The loaded dataset (one gemeente).
    layers
        Aanbod layers (``Aanbod.layers``); None counts as no aanbod (said in the report).
    gebied
        Focus-area name, wijk or buurt name, or CBS code.
    group
        ``ouderen``, ``alleenstaande-ouderen``, ``migrantenouderen`` or ``jongvolwassenen``.
    settings
        Analysis settings.
    result
        A finished analysis of ``group`` (saves recomputing; the dashboard has one cached).
    notices
        Extra remarks for the "Let op" section (e.g. aanbod files that could not be read).
    progress
        Called with the Dutch name of each step (the analysis' steps, then
        ``gebiedsprofiel`` and ``kaart en rapport``); the app maps it to a progress bar.
    local_notes
        Local-knowledge notes (:meth:`geo.monitoring.store.MonitoringStore.notes`); when
        given, the report has a section "Wat we horen in de wijk" with the area's notes.
    scenario
        A (stored) scenario: the report gets a section with its before/after figures for
        the area, a map of the newly covered and the reasons per new activity.

    Returns
    -------
    Report

    Raises
    ------
    DataError
        An unknown area or focus group.

    Examples
    --------
    >>> report = build_report(dataset, aanbod.layers, "Overvecht", group="ouderen")
    ... # doctest: +SKIP
    >>> report.title  # doctest: +SKIP
    'Wijkpropositie Overvecht'
    """
    if group not in GROUPS:
        raise DataError("onbekende doelgroep.", value=group, hint=f"kies uit: {', '.join(GROUPS)}.")
    area = resolve_area(dataset, gebied)
    layers = dict(layers or {})
    step = progress or (lambda _name: None)
    if result is None or result.group != group:
        result = analyse(
            dataset, layers, group=group, settings=settings, hotspots=False, progress=progress
        )
    step("gebiedsprofiel")
    profile = area_profile(
        dataset, layers, gebied, group=group, settings=result.settings, result=result
    )
    created = datetime.now(UTC).replace(microsecond=0)
    reachable = reachable_aanbod(result, layers.get("activiteiten"), area.buurten)
    ctx = ReportContext(dataset, result, profile, reachable, list(notices))
    step("kaart en rapport")
    sections = (
        summary(ctx),
        key_figures(ctx),
        trend(ctx),
        need(ctx),
        gap(ctx),
        aanbod(ctx),
        no_offer(ctx),
        transport(ctx),
        *(() if local_notes is None else (heard(ctx, local_notes),)),
        *(
            ()
            if scenario is None
            else (_scenario(dataset, layers, group, settings, scenario, area, ctx),)
        ),
        cautions(ctx),
        sources(ctx, created),
    )
    info: dict[str, Any] = profile["area"]  # type: ignore[assignment]
    vintage = ", ".join(sorted(set(dataset.areas["indeling"].astype(str))))
    meta = (
        f"RIVM-cijfers {result.year} · CBS-bevolking {result.population_year} · grenzen "
        f"{vintage} · gemaakt op {created:%d-%m-%Y} met Wijkkompas {geo.__version__}"
    )
    report = Report(
        title=f"Wijkpropositie {info['naam']}",
        subtitle=(
            f"Eenzaamheid en aanbod voor {GROUP_LABELS[group]} · "
            f"{KIND_LABELS.get(info['kind'], info['kind'])} in gemeente "
            f"{info['gemeente'] or dataset.titel}"
        ),
        meta=meta,
        demo=dataset.demo,
        sections=sections,
        area=str(info["naam"]),
        group=group,
        created=created,
        version=geo.__version__,
    )
    logger.info("wijkpropositie %s (%s): %d secties", report.area, group, len(sections))
    return report


def _scenario(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    group: str,
    settings: AnalysisSettings,
    scenario: Scenario,
    area: Any,
    ctx: ReportContext,
) -> Section:
    from geo.analysis.whatif import prepare_whatif
    from geo.report.sections_scenario import scenario_section

    whatif = prepare_whatif(dataset, layers, group=group, settings=settings)
    return scenario_section(whatif, scenario, list(area.buurten), area.naam)


def reachable_aanbod(
    result: GapResult, activities: gpd.GeoDataFrame | None, buurt_codes: Iterable[str]
) -> gpd.GeoDataFrame:
    """Suitable activities within reach of at least one of the buurten, nearest first.

    Uses the analysis' own rules: :func:`~geo.analysis.reach.suitable_activities` for the
    group, each buurt's catchment (``catchment_m``, larger with a Buurtmobiel) and the
    straight-line distance × the detour factor from a point inside the buurt; over a walking
    network the analysis' own pairs (``result.reach_pairs``: from where people live, over the
    streets).

    Returns
    -------
    geopandas.GeoDataFrame
        The activities with ``afstand_m`` (to the nearest of the buurten) and ``buurten``
        (how many of them reach it).

    Examples
    --------
    >>> reachable_aanbod(result, aanbod.layers["activiteiten"], ["BU03440311"])
    ... # doctest: +SKIP
    """
    codes = set(buurt_codes)
    buurten = result.buurten[result.buurten["code"].isin(codes)].reset_index(drop=True)
    empty = gpd.GeoDataFrame(
        {"naam": [], "soort": [], "afstand_m": [], "buurten": []},
        geometry=gpd.GeoSeries([], crs="EPSG:28992"),
    )
    if activities is None or activities.empty or buurten.empty:
        return empty
    if result.distance_method == "netwerk" and result.reach_pairs is not None:
        return _from_pairs(result.reach_pairs, activities, codes, empty)
    suitable = suitable_activities(activities, result.group, settings=result.settings)
    suitable = suitable[has_shape(suitable)].reset_index(drop=True)
    if suitable.empty:
        return empty
    supply = np.column_stack([suitable.geometry.x, suitable.geometry.y])
    catchment = buurten["catchment_m"].to_numpy(dtype=float)
    demand_idx, supply_idx, distance = straight_pairs(
        demand_points(buurten), supply, catchment, detour_factor=result.settings.detour_factor
    )
    if len(supply_idx) == 0:
        return empty
    pairs = pd.DataFrame({"supply": supply_idx, "distance": distance, "demand": demand_idx})
    best = pairs.groupby("supply").agg(afstand_m=("distance", "min"), buurten=("demand", "nunique"))
    out = suitable.iloc[best.index.to_numpy()].copy()
    out["afstand_m"] = best["afstand_m"].to_numpy()
    out["buurten"] = best["buurten"].to_numpy()
    return out.sort_values(["afstand_m", "naam"]).reset_index(drop=True)


def _from_pairs(
    pairs: pd.DataFrame,
    activities: gpd.GeoDataFrame,
    codes: set[str],
    empty: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    part = pairs[pairs["code"].isin(codes) & pairs["activity"].isin(activities.index)]
    if part.empty:
        return empty
    best = part.groupby("activity").agg(afstand_m=("afstand_m", "min"), buurten=("code", "nunique"))
    out = activities.loc[best.index.to_numpy()].copy()
    out["afstand_m"] = best["afstand_m"].to_numpy()
    out["buurten"] = best["buurten"].to_numpy()
    return out.sort_values(["afstand_m", "naam"]).reset_index(drop=True)
