"""One call for the whole gap analysis of a focus group: :func:`analyse`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aanbod.schema import COLUMNS, LAYERS
from geo.analysis.completeness import offer_completeness
from geo.analysis.demand import (
    DemandPoints,
)
from geo.analysis.gaps import aggregate_gaps, score_gaps
from geo.analysis.hotspots import MIN_AREAS, hot_spots, spatial_weights
from geo.analysis.language import OriginShares, origin_shares, origins_from_folder
from geo.analysis.method import (
    catchment_texts,
    folder_network,
    folder_points,
    folder_stops,
    method_info,
    method_notes,
)
from geo.analysis.need import estimate_need, latest_year, population_year
from geo.analysis.populations import estimate_populations
from geo.analysis.reach import WalkNetworkLike, has_shape, reachable_offer
from geo.analysis.transport import transport_poverty
from geo.analysis.uncertainty import CERTAINTY_COLUMNS, gap_certainty
from geo.errors import DataError
from geo.model.dataset import Dataset
from geo.settings import GROUPS, AnalysisSettings

logger = logging.getLogger(__name__)

LEVELS = ("buurt", "wijk", "gebied", "gemeente")


@dataclass
class GapResult:
    """Everything the gap analysis found for one focus group.

    Attributes
    ----------
    group, year, population_year, settings
        What was analysed, with which assumptions.
    buurten
        Per buurt (GeoDataFrame, EPSG:28992): need, offer, transport poverty, gap, rank, reason,
        and the certainty of the rank (``rank_low``, ``rank_high``, ``top_share``,
        ``certainty``; :mod:`geo.analysis.uncertainty`) — wijken and focus areas too.
    wijken, gebieden, gemeente
        The same summed per wijk, focus area and for the gemeente (people summed, rates
        recomputed); wijken and the gemeente also carry their own published RIVM estimate
        (``lonely_published``, ``severely_lonely_published``).
    hotspots
        Local Moran's I / Gi* on lonely residents and on the gap score (``variable``).
    need
        All need rows (every group, every level) for profiles and exports.
    notes
        What the user should know (fallbacks, unreliable groups, missing layers).
    offer
        How complete the offer is for the group
        (:func:`~geo.analysis.completeness.offer_completeness`: ``offer_complete``,
        ``offer_missing_soorten``, ``offer_single_source_soorten``, ``offer_soorten``,
        ``offer_notes``); its notes are also in ``notes``.
    distance_method
        ``netwerk`` (shortest paths over the folder's walking network) or ``hemelsbreed``
        (straight line × detour factor).
    demand_source
        ``vierkanten``, ``adressen`` or ``buurtmiddelpunt``: where demand points came from
        (the best source used for any buurt; per buurt in ``buurten["demand_source"]``).
    method
        The method in words and numbers for legends, reports and export metadata
        (:func:`~geo.analysis.method.method_info`).
    reach_pairs
        Per buurt the suitable activities within reach (``code``, ``activity`` = index label
        in the activiteiten layer, ``afstand_m`` by the method used), for reports.
    time_fit
        The time-fit rule and counts (:func:`~geo.analysis.timefit.time_fit_summary`): the
        group's dagdelen, the weights, how many activities fit, are unknown, do not fit.
    language_fit
        The language-fit rule for migrantenouderen (``used``, ``rule``, ``sources``,
        ``note``; :mod:`geo.analysis.language`).
    ov_haltes
        The OV-haltes used (from the folder's GTFS timetable with departures per dagdeel,
        else the ov_haltes layer).
    transport_scale
        ``vast`` (fixed, documented thresholds) or ``relatief`` (min-max within the dataset).
    """

    group: str
    year: int
    population_year: int | None
    settings: AnalysisSettings
    buurten: gpd.GeoDataFrame
    wijken: gpd.GeoDataFrame
    gebieden: gpd.GeoDataFrame
    gemeente: pd.DataFrame
    hotspots: gpd.GeoDataFrame
    need: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    offer: dict[str, object] = field(default_factory=dict)
    distance_method: str = "hemelsbreed"
    demand_source: str = "buurtmiddelpunt"
    method: dict[str, Any] = field(default_factory=dict)
    reach_pairs: pd.DataFrame | None = None
    time_fit: dict[str, Any] = field(default_factory=dict)
    language_fit: dict[str, Any] = field(default_factory=dict)
    ov_haltes: gpd.GeoDataFrame | None = None
    transport_scale: str = "vast"

    @property
    def offer_complete(self) -> bool:
        """False when a soort that counts for the group has no or only one-source offer."""
        return bool(self.offer.get("offer_complete", True))

    def level(self, niveau: str) -> pd.DataFrame:
        """Ranked rows of one level (``buurt``, ``wijk``, ``gebied``, ``gemeente``)."""
        frames = {
            "buurt": self.buurten,
            "wijk": self.wijken,
            "gebied": self.gebieden,
            "gemeente": self.gemeente,
        }
        if niveau not in frames:
            raise DataError(
                "onbekend niveau.", value=niveau, hint="kies buurt, wijk, gebied of gemeente."
            )
        return frames[niveau].sort_values("rank") if "rank" in frames[niveau] else frames[niveau]

    @property
    def clusters(self) -> gpd.GeoDataFrame:
        """The map layer of significant "high need, low offer" clusters.

        Buurten in a Getis-Ord Gi* hot spot of the gap score (many lonely residents without
        suitable offer, in a group of such buurten), significant after the false-discovery-rate
        correction.
        """
        spots = self.hotspots
        if "hoog_nood_weinig_aanbod" not in spots:
            return spots.iloc[0:0]
        return spots[spots["hoog_nood_weinig_aanbod"].astype(bool)]

    @property
    def no_offer(self) -> gpd.GeoDataFrame:
        """Buurten where nothing suitable is within reach (and lonely residents live)."""
        frame = self.buurten
        return frame[
            (frame["reachable"] == 0) & (frame["lonely"].fillna(0) > 0) & frame["access"].notna()
        ]


def analyse(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame] | None,
    *,
    group: str,
    settings: AnalysisSettings = AnalysisSettings(),
    populations: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    graph: object | None = None,
    network: WalkNetworkLike | Literal["auto"] | None = "auto",
    points: DemandPoints | Literal["auto"] | None = "auto",
    origins: pd.DataFrame | Literal["auto"] | None = "auto",
    hotspots: bool = True,
    progress: Callable[[str], None] | None = None,
    stops: gpd.GeoDataFrame | Literal["auto"] | None = "auto",
) -> GapResult:
    """Run need, reach, transport poverty, gaps and hot spots for one focus group.

    Parameters
    ----------
    dataset
        The loaded dataset (one gemeente).
    layers
        Aanbod layers (``Aanbod.layers``); None or missing layers count as empty.
    group
        ``ouderen``, ``alleenstaande-ouderen``, ``migrantenouderen`` or ``jongvolwassenen``.
    settings
        All assumptions.
    populations
        Focus-group populations (default: estimated from kwb).
    overrides
        Better counts per area and group (:func:`~geo.analysis.populations.read_overrides`)
        that replace the kwb estimates; ignored when ``populations`` is given.
    graph
        Optional networkx street graph for network distances (slow; prefer ``network``).
    network
        The walking network; ``"auto"`` (default) reads the folder's ``netwerk/``
        (:func:`~geo.analysis.network.network_from_folder`), None = straight line × detour.
    points
        Demand points; ``"auto"`` (default) builds them from the folder's ``bevolking/``
        (CBS squares, BAG addresses), None = one point per buurt.
    origins
        Migrant elders by origin per area (:func:`~geo.analysis.language.read_origins`) for
        the language fit of migrantenouderen; ``"auto"`` (default) reads the folder's
        ``herkomst/*.csv``, else (and for buurten it lacks) the kwb split Europa / buiten
        Europa is used; None = the kwb split only.
    hotspots
        Compute hot spots (skip for speed when not needed).
    stops
        OV-haltes; ``"auto"`` (default) reads the folder's GTFS timetable (``ov/``,
        :func:`~geo.analysis.method.folder_stops`) and falls back to the ov_haltes layer;
        None = the layer.
    progress
        Called with the (Dutch) name of each step as it starts — ``behoefte``,
        ``bereik (E2SFCA)``, ``vervoersarmoede``, ``hiaten``, ``hot spots`` — and ``klaar`` at
        the end; the app maps it to a progress bar, the benchmark to stage timings.

    Returns
    -------
    GapResult

    Examples
    --------
    >>> result = analyse(dataset, aanbod.layers, group="ouderen")  # doctest: +SKIP
    >>> result.level("wijk")[["naam", "gap_score", "reason"]].head()  # doctest: +SKIP
    """
    if group not in GROUPS:
        raise DataError("onbekende doelgroep.", value=group, hint=f"kies uit: {', '.join(GROUPS)}.")
    layers = dict(layers or {})
    notes: list[str] = []
    for name in LAYERS:
        if name not in layers or layers[name] is None:
            layers[name] = empty_layer(name)
    if layers["activiteiten"].empty:
        notes.append(
            "Geen aanbod (activiteiten) in deze dataset: alle buurten tellen als "
            "'geen passend aanbod'."
        )
    completeness = offer_completeness(layers["activiteiten"], group=group)
    notes.extend(completeness["offer_notes"])  # type: ignore[arg-type]
    step = progress or (lambda _name: None)
    step("behoefte")
    year = latest_year(dataset, settings)
    pop_year = population_year(dataset, settings, year)
    if populations is None:
        populations = estimate_populations(
            dataset.population(pop_year), settings=settings, overrides=overrides
        )
    need = estimate_need(dataset, settings=settings, populations=populations)
    buurten = dataset.level("buurt").reset_index(drop=True)
    step("bereik (E2SFCA)")
    if isinstance(network, str):
        network = folder_network(dataset.path)
    if isinstance(points, str):
        points = folder_points(dataset, buurten, pop_year, notes)
    if isinstance(stops, str):  # the timetable's departures per dagdeel serve time fit too
        stops = folder_stops(dataset, layers, settings, notes)
    elif stops is None:
        stops = layers["ov_haltes"]
    offer = reachable_offer(
        buurten,
        need,
        layers["activiteiten"],
        group=group,
        settings=settings,
        services=layers["buurtmobiel"],
        graph=graph,
        network=network,
        points=points,
        stops=stops,
        origins=origins_for(dataset, buurten, group, origins, pop_year, settings),
    )
    language_note = str(offer.attrs["language_fit"].get("note") or "")
    if offer.attrs["language_fit"].get("used") and language_note:
        notes.append(language_note)
    method = method_info(offer, settings, group, network, points)
    notes.extend(method_notes(method, offer))
    step("vervoersarmoede")
    transport = transport_poverty(
        buurten,
        dataset.population(pop_year),
        dataset.figures,
        stops=stops,
        services=layers["buurtmobiel"],
        year=year,
        settings=settings,
        network=network,
        points=points,
    )
    method["transport_scale"] = transport.attrs["transport_scale"]
    method["ov_klasse"] = transport.attrs["ov_klasse"]
    step("hiaten")
    group_need = need[(need["group"] == group) & (need["niveau"] == "buurt")]
    frame = buurten[["code", "naam", "wijk_code", "geometry"]].merge(
        group_need.drop(columns=["naam", "niveau", "wijk_code"]), on="code", how="left"
    )
    frame = frame.merge(offer.drop(columns=["buurtmobiel"]), on="code", how="left")
    frame = frame.merge(
        transport[
            [
                "code",
                "autos_per_huishouden",
                "afstand_ov_m",
                "vertrekken_per_uur",
                "moeite_rondkomen",
                "buurtmobiel",
                "index",
                *[c for c in transport.columns if c.startswith("ov_")],
            ]
        ].rename(columns={"index": "transport_index"}),
        on="code",
        how="left",
    )
    supply = offer.attrs["supply"]  # capacity × time weight: the offer that fits the group
    frame["capacity_total"] = float((supply["capaciteit"] * supply["time_fit"]).sum())
    frame["niveau"] = "buurt"
    frame["catchment_text"] = catchment_texts(frame["catchment_m"], settings, group, method)
    scored = gpd.GeoDataFrame(
        score_gaps(frame, group=group, settings=settings), geometry="geometry", crs=buurten.crs
    )
    size = settings.min_group_size
    wijken = _units(dataset, scored, need, group, "wijk", size)
    gebieden = _units(dataset, scored, need, group, "gebied", size)
    gemeente = _units(dataset, scored, need, group, "gemeente", size)
    scored, wijken, gebieden = _with_certainty(
        dataset, scored, wijken, gebieden, year=year, settings=settings
    )
    if hotspots:
        step("hot spots")
    spots = (
        _hotspots(scored, settings)
        if hotspots
        else gpd.GeoDataFrame(
            columns=["code", "variable", "geometry"], geometry="geometry", crs=buurten.crs
        )
    )
    fallback = int((~scored["rate_from"].astype(str).str.startswith("buurt")).sum())
    if fallback:
        notes.append(
            f"{fallback} buurt(en) zonder gepubliceerd RIVM-cijfer: het cijfer van de "
            "wijk (of gemeente) is gebruikt."
        )
    shapeless = int(scored["access"].isna().sum())
    if shapeless:
        notes.append(
            f"{shapeless} buurt(en) zonder vorm in de grenzenkaart: bereikbaar aanbod en hiaat "
            "onbekend (onderaan de ranglijst)."
        )
    unreliable = int(scored["unreliable"].sum())
    if unreliable:
        notes.append(
            f"{unreliable} buurt(en) met minder dan {settings.min_group_size} "
            "inwoners in deze groep: uitkomst onzeker."
        )
    logger.info(
        "analyse %s: %d buurten, %d wijken, %d gebieden",
        group,
        len(scored),
        len(wijken),
        len(gebieden),
    )
    step("klaar")
    return GapResult(
        group=group,
        year=year,
        population_year=pop_year,
        settings=settings,
        buurten=scored,
        wijken=wijken,
        gebieden=gebieden,
        gemeente=gemeente,
        hotspots=spots,
        need=need,
        notes=notes,
        offer=completeness,
        distance_method=str(method["distance_method"]),
        demand_source=str(method["demand_source"]),
        method=method,
        reach_pairs=offer.attrs.get("pairs"),
        time_fit=offer.attrs["time_fit"],
        language_fit=offer.attrs["language_fit"],
        ov_haltes=stops,
        transport_scale=str(transport.attrs["transport_scale"]),
    )


def origins_for(
    dataset: Dataset,
    buurten: gpd.GeoDataFrame,
    group: str,
    origins: pd.DataFrame | Literal["auto"] | None,
    pop_year: int | None,
    settings: AnalysisSettings,
) -> OriginShares | None:
    """The origin composition for the language fit (migrantenouderen only)."""
    if group != "migrantenouderen" or not settings.language_fit:
        return None
    if isinstance(origins, str):
        origins = origins_from_folder(dataset.path)
    try:
        population = dataset.population(pop_year)
    except (DataError, KeyError):
        population = None
    return origin_shares(buurten, origins=origins, population=population)


def empty_layer(name: str) -> gpd.GeoDataFrame:
    """An empty aanbod layer with the schema's columns (EPSG:28992).

    Examples
    --------
    >>> empty_layer("ov_haltes").columns.tolist()
    ['id', 'naam', 'vertrekken_per_uur', 'bron', 'geometry']
    """
    columns = {c: pd.Series(dtype=object) for c in COLUMNS[name] if c != "geometry"}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs="EPSG:28992"))


def _units(
    dataset: Dataset,
    scored: gpd.GeoDataFrame,
    need: pd.DataFrame,
    group: str,
    niveau: str,
    min_group_size: int = 50,
) -> gpd.GeoDataFrame:
    members, names, geometry = unit_members(dataset, scored, niveau)
    units = aggregate_gaps(
        scored, members, niveau=niveau, names=names, group=group, min_group_size=min_group_size
    )
    if units.empty:
        return gpd.GeoDataFrame(units, geometry=[], crs=scored.crs)
    if niveau in ("wijk", "gemeente"):
        own = need[(need["group"] == group) & (need["niveau"] == niveau)].set_index("code")
        units["population_published"] = units["code"].map(own["population"])
        units["lonely_rate_published"] = units["code"].map(own["lonely_rate"])
        units["severely_lonely_rate_published"] = units["code"].map(own["severely_lonely_rate"])
        units["lonely_published"] = units["code"].map(own["lonely"])
        units["severely_lonely_published"] = units["code"].map(own["severely_lonely"])
    units["geometry"] = units["code"].map(geometry)
    return gpd.GeoDataFrame(units, geometry="geometry", crs=scored.crs)


def unit_members(
    dataset: Dataset, scored: pd.DataFrame, niveau: str
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, object]]:
    """Member buurt codes, names and shapes of the wijken, focus areas or gemeente.

    Returns
    -------
    members, names, geometry
        Unit code (the name for focus areas) -> buurt codes, display name, shape.
    """
    areas = dataset.areas
    if niveau == "wijk":
        wijken = areas[areas["niveau"] == "wijk"]
        by_wijk = {str(k): list(v) for k, v in scored.groupby("wijk_code")["code"]}
        members = {c: by_wijk.get(c, []) for c in wijken["code"]}
        names = dict(zip(wijken["code"], wijken["naam"], strict=True))
        geometry = dict(zip(wijken["code"], wijken.geometry, strict=True))
    elif niveau == "gemeente":
        gemeente = areas[areas["niveau"] == "gemeente"]
        in_gemeente = areas[areas["niveau"] == "buurt"].groupby("gemeente_code")["code"]
        by_gemeente = {str(k): list(v) for k, v in in_gemeente}
        members = {c: by_gemeente.get(c, []) for c in gemeente["code"]}
        names = dict(zip(gemeente["code"], gemeente["naam"], strict=True))
        geometry = dict(zip(gemeente["code"], gemeente.geometry, strict=True))
    else:
        members = {name: g.buurt_codes(areas) for name, g in dataset.gebieden.items()}
        names = {name: name for name in members}
        geometry = {name: g.geometry(areas) for name, g in dataset.gebieden.items()}
    return members, names, geometry


def _with_certainty(
    dataset: Dataset,
    scored: gpd.GeoDataFrame,
    wijken: gpd.GeoDataFrame,
    gebieden: gpd.GeoDataFrame,
    *,
    year: int,
    settings: AnalysisSettings,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Add ``rank_low``, ``rank_high``, ``top_share`` and ``certainty`` (Monte Carlo)."""
    units = {
        niveau: (frame, unit_members(dataset, scored, niveau)[0])
        for niveau, frame in (("wijk", wijken), ("gebied", gebieden))
    }
    found = gap_certainty(scored, units, dataset.figures, year=year, settings=settings)
    frames = {"buurt": scored, "wijk": wijken, "gebied": gebieden}
    out = []
    for niveau, frame in frames.items():
        frame = frame.copy()
        for column in CERTAINTY_COLUMNS:
            frame[column] = found[niveau][column].to_numpy() if len(frame) else []
        out.append(frame)
    return out[0], out[1], out[2]


def _hotspots(scored: gpd.GeoDataFrame, settings: AnalysisSettings) -> gpd.GeoDataFrame:
    parts = []
    shaped = has_shape(scored)
    weights = spatial_weights(scored[shaped]) if shaped.sum() >= MIN_AREAS else None
    for column, label in (("lonely", "eenzamen"), ("gap_score", "hiaat")):
        spots = hot_spots(
            scored, scored[column].fillna(0), settings=settings, label=label, weights=weights
        )
        spots["naam"] = scored["naam"].to_numpy()
        parts.append(spots)
    out = pd.concat(parts, ignore_index=True)
    out["hoog_nood_weinig_aanbod"] = (out["variable"] == "hiaat") & (out["hotspot"] == "hot")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=scored.crs)


def summarise_result(result: GapResult, niveau: str) -> list[dict[str, object]]:
    """JSON-ready ranked rows with plain keys (for the CLI and the API)."""
    frame = result.level(niveau)
    rows = []
    for row in frame.to_dict(orient="records"):
        rows.append(
            {
                "code": row["code"],
                "naam": row["naam"],
                "niveau": niveau,
                "group": result.group,
                "year": result.year,
                "population": _clean(row.get("population")),
                "lonely": _clean(row.get("lonely")),
                "severely_lonely": _clean(row.get("severely_lonely")),
                "lonely_rate": _clean(row.get("lonely_rate")),
                "severely_lonely_rate": _clean(row.get("severely_lonely_rate")),
                "lonely_published": _clean(row.get("lonely_published")),
                "severely_lonely_published": _clean(row.get("severely_lonely_published")),
                "lonely_rate_published": _clean(row.get("lonely_rate_published")),
                "severely_lonely_rate_published": _clean(row.get("severely_lonely_rate_published")),
                "reachable_offer": _clean(row.get("reachable_offer")),
                "covered_lonely": _clean(row.get("covered_lonely")),
                "reachable": _clean(row.get("reachable")),
                "reachable_other_times": _clean(row.get("reachable_other_times")),
                "reachable_time_unknown": _clean(row.get("reachable_time_unknown")),
                "unserved": _clean(row.get("unserved")),
                "transport_index": _clean(row.get("transport_index")),
                "transport_scale": result.transport_scale,
                "ov_klasse": _text(row.get("ov_klasse")),
                "gap_score": _clean(row.get("gap_score")),
                "rank": int(row["rank"]),
                "reason": row["reason"],
                "rate_from": _text(row.get("rate_from")),
                "population_estimated": _text(row.get("population_estimated")),
                "unreliable": bool(row.get("unreliable", False)),
                "rank_low": _whole(row.get("rank_low")),
                "rank_high": _whole(row.get("rank_high")),
                "top_share": _clean(row.get("top_share")),
                "certainty": _text(row.get("certainty")),
            }
        )
    return rows


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _whole(value: object) -> int | None:
    number = _clean(value)
    return None if number is None else int(number)


def _clean(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if not np.isfinite(number) else round(number, 3)
