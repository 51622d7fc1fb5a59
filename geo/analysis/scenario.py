"""What-if scenarios for the gap analysis: add a Buurtmobiel service area, compare the ranking.

The gap analysis (:func:`~geo.analysis.pipeline.analyse`) takes the aanbod as a dict of layers.
A scenario is a modified *copy* of those layers — nothing is written to the register — that is
analysed like the real aanbod and compared with it::

    scenario = add_buurtmobiel(aanbod.layers, ["WK034403"], areas=dataset.areas)
    before = analyse(dataset, aanbod.layers, group="migrantenouderen")
    after = analyse(dataset, scenario, group="migrantenouderen")
    compare_gaps(before, after, niveau="wijk")

A Buurtmobiel service area changes two things in the analysis, for the elderly groups only:
the catchment of buurten inside it grows to ``AnalysisSettings.buurtmobiel_catchment_m``
(reachable offer), and the transport-poverty component *geen Buurtmobiel* becomes 0 there.
When the aanbod had no Buurtmobiel layer at all, that component starts to count for every
buurt (1 for the buurten outside the new service area), so their transport index rises too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aanbod.layers import DIENSTEN
from geo.aanbod.schema import BUURTMOBIEL_COLUMNS, LAYERS, SOORTEN
from geo.analysis.pipeline import GapResult, empty_layer
from geo.errors import DataError
from geo.model.codes import normalise_code

logger = logging.getLogger(__name__)

SCENARIO_SOURCE = "scenario (niet opgeslagen)"
"""``bron`` of rows added by a scenario: they never come from a partner file."""

COMPARED = ("gap_score", "unserved", "reachable_offer", "transport_index")
"""Columns of :func:`compare_gaps` shown before (``_voor``) and after (``_na``)."""


def add_buurtmobiel(
    layers: Mapping[str, gpd.GeoDataFrame] | None,
    werkgebied: shapely.Geometry | Sequence[str],
    *,
    areas: gpd.GeoDataFrame | None = None,
    naam: str = "Buurtmobiel (scenario)",
    dienst: str = "Buurtmobiel",
    dagen: str = "",
    tijden: str = "",
    doelgroep: str = "ouderen",
) -> dict[str, gpd.GeoDataFrame]:
    """A copy of the aanbod layers with one more Buurtmobiel service area.

    Parameters
    ----------
    layers
        Aanbod layers (``Aanbod.layers``); None or missing layers count as empty. Not changed.
    werkgebied
        The service area: a (Multi)Polygon in EPSG:28992, or buurt/wijk codes whose shapes
        together form it (a wijk code stands for the whole wijk; needs ``areas``).
    areas
        Canonical areas (``Dataset.areas``), needed when ``werkgebied`` is a list of codes.
    naam, dienst, dagen, tijden, doelgroep
        The service's fields (as in a partner file). ``dienst`` must be one of
        Buurtmobiel, AutoMaatje, BoodschappenPlusBus or Zonnebloemauto.

    Returns
    -------
    dict
        Every aanbod layer (copies); ``buurtmobiel`` has the new row last, with ``bron``
        :data:`SCENARIO_SOURCE` and ``id`` ``scenario-<n>``.

    Raises
    ------
    DataError
        An unknown dienst or code, codes without ``areas``, or a service area that is not a
        non-empty polygon.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> layers = add_buurtmobiel(None, box(0, 0, 1000, 1000), naam="Buurtmobiel Noord")
    >>> layers["buurtmobiel"][["naam", "dienst", "bron"]].values.tolist()
    [['Buurtmobiel Noord', 'Buurtmobiel', 'scenario (niet opgeslagen)']]
    """
    known = next((d for d in DIENSTEN if d.casefold() == dienst.strip().casefold()), None)
    if known is None:
        raise DataError(
            "deze vervoersdienst telt niet mee in de analyse.",
            value=dienst,
            hint=f"kies uit: {', '.join(DIENSTEN)}.",
        )
    geometry, codes = _service_area(werkgebied, areas)
    given = dict(layers or {})
    out = {name: layer.copy() for name, layer in given.items() if layer is not None}
    for name in LAYERS:
        out.setdefault(name, empty_layer(name))
    current = out["buurtmobiel"]
    row = {
        "id": f"scenario-{len(current) + 1}",
        "naam": naam,
        "dienst": known,
        "dagen": dagen,
        "tijden": tijden,
        "doelgroep": doelgroep,
        "gebied_codes": ";".join(codes),
        "bron": SCENARIO_SOURCE,
    }
    added = gpd.GeoDataFrame(
        {c: [row.get(c, "")] for c in BUURTMOBIEL_COLUMNS if c != "geometry"},
        geometry=[geometry],
        crs="EPSG:28992",
    )
    if current.crs is not None and current.crs != added.crs:
        added = added.to_crs(current.crs)
    frames = [f for f in (current, added) if len(f)]
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else added
    out["buurtmobiel"] = gpd.GeoDataFrame(combined, geometry="geometry", crs=added.crs)
    logger.info(
        "scenario: Buurtmobiel %r toegevoegd (%d dienst(en) in de laag)",
        naam,
        len(out["buurtmobiel"]),
    )
    return out


def compare_gaps(before: GapResult, after: GapResult, *, niveau: str = "wijk") -> pd.DataFrame:
    """The gap ranking of two analyses of the same group side by side.

    Parameters
    ----------
    before, after
        :func:`~geo.analysis.pipeline.analyse` results of one focus group (e.g. the real
        aanbod and a scenario).
    niveau
        ``buurt``, ``wijk``, ``gebied`` or ``gemeente``.

    Returns
    -------
    pandas.DataFrame
        One row per area, in the order of the ranking after: ``code``, ``naam``, ``rank_voor``,
        ``rank_na``, ``rang_verschil`` (rank after minus before: positive = the area moved
        down the gap list, its gap is now smaller relative to the others), and for each of
        :data:`COMPARED` the value before (``_voor``), after (``_na``) and the difference
        (``_verschil``, after minus before);
        ``reason_na`` is the reason text after.

    Raises
    ------
    DataError
        The analyses are of different groups.

    Examples
    --------
    >>> compare_gaps(before, after, niveau="wijk").head(3)  # doctest: +SKIP
    """
    if before.group != after.group:
        raise DataError(
            "de twee analyses gaan over verschillende doelgroepen.",
            value=f"{before.group} / {after.group}",
            hint="vergelijk analyses van dezelfde doelgroep.",
        )
    keep = ["code", "naam", "rank", *COMPARED]
    old = _plain(before.level(niveau), keep)
    new = _plain(after.level(niveau), [*keep, "reason"])
    table = new.merge(old, on="code", how="outer", suffixes=("_na", "_voor"))
    table["naam"] = table["naam_na"].fillna(table["naam_voor"])
    out = pd.DataFrame(
        {
            "code": table["code"],
            "naam": table["naam"],
            "rank_voor": table["rank_voor"].astype("Int64"),
            "rank_na": table["rank_na"].astype("Int64"),
        }
    )
    out["rang_verschil"] = out["rank_na"] - out["rank_voor"]
    for column in COMPARED:
        out[f"{column}_voor"] = pd.to_numeric(table[f"{column}_voor"], errors="coerce")
        out[f"{column}_na"] = pd.to_numeric(table[f"{column}_na"], errors="coerce")
        out[f"{column}_verschil"] = out[f"{column}_na"] - out[f"{column}_voor"]
    out["reason_na"] = table["reason"]
    return out.sort_values(["rank_na", "code"], na_position="last").reset_index(drop=True)


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The wanted columns of a level frame as a plain DataFrame (missing ones as NaN)."""
    data = {c: frame[c].to_numpy() if c in frame else np.full(len(frame), np.nan) for c in columns}
    return pd.DataFrame(data)


def _service_area(
    werkgebied: shapely.Geometry | Sequence[str], areas: gpd.GeoDataFrame | None
) -> tuple[shapely.Geometry, list[str]]:
    if isinstance(werkgebied, shapely.Geometry):
        geometry, codes = werkgebied, []
    elif isinstance(werkgebied, str):
        raise DataError(
            "geef het werkgebied als een lijst codes, niet als één tekst.",
            value=werkgebied,
            hint='bijvoorbeeld ["WK034403"].',
        )
    else:
        codes = [normalise_code(str(c)) for c in werkgebied]
        if not codes:
            raise DataError("geen werkgebied: geef een vlak of buurt-/wijkcodes.")
        if areas is None:
            raise DataError(
                "een werkgebied uit codes vraagt gebiedsgrenzen.",
                hint="geef areas=dataset.areas mee.",
            )
        members = areas[areas["code"].isin(codes)]
        missing = sorted(set(codes) - set(members["code"]))
        if missing:
            raise DataError("onbekende gebiedscode(s).", value=", ".join(missing))
        geometry = shapely.union_all(members.geometry.to_numpy())
    if (
        geometry is None
        or geometry.is_empty
        or geometry.geom_type not in ("Polygon", "MultiPolygon")
    ):
        raise DataError(
            "het werkgebied moet een vlak zijn.",
            value=None if geometry is None else geometry.geom_type,
            hint="geef een (Multi)Polygon in RD (EPSG:28992) of gebiedscodes.",
        )
    return geometry, codes


# --- stored scenarios: named sets of changes to the aanbod ----------------------------------

SCENARIO_SOORT = "ontmoeting"
"""Soort of a new activity when none is given."""

GROUP_DOELGROEP = {
    "ouderen": "ouderen_thuiswonend",
    "alleenstaande-ouderen": "ouderen_thuiswonend;alleenstaanden",
    "migrantenouderen": "migrantenouderen",
    "jongvolwassenen": "jongvolwassenen",
}
"""The doelgroepen of a new activity that serves a focus group (when none are given)."""


@dataclass(frozen=True)
class NewActivity:
    """A new activity of a scenario, placed at a point (WGS84 longitude/latitude).

    ``doelgroepen`` empty = the focus group of the analysis (:data:`GROUP_DOELGROEP`);
    ``capaciteit`` None = the median capacity of that soort in the aanbod (1 when unknown).
    """

    lon: float
    lat: float
    soort: str = SCENARIO_SOORT
    naam: str = ""
    doelgroepen: str = ""
    capaciteit: float | None = None
    dagdelen: str = ""
    talen: str = ""

    def __post_init__(self) -> None:
        if not (np.isfinite(self.lon) and np.isfinite(self.lat)):
            raise DataError(
                "een nieuwe activiteit heeft een plek nodig.", value=(self.lon, self.lat)
            )
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise DataError(
                "de plek van een nieuwe activiteit ligt niet op aarde (lengte, breedte).",
                value=f"{self.lon},{self.lat}",
                hint="geef lengtegraad,breedtegraad in WGS84, bijvoorbeeld 5.1214,52.0907.",
            )
        if self.soort not in SOORTEN:
            raise DataError(
                "onbekende soort activiteit.",
                value=self.soort,
                hint=f"kies uit: {', '.join(SOORTEN)}.",
            )


@dataclass(frozen=True)
class BuurtmobielArea:
    """A new (or wider) Buurtmobiel service area of a scenario.

    Buurt/wijk ``codes``, or a polygon ``wkt`` in EPSG:28992 (e.g. read from a file).
    """

    codes: tuple[str, ...] = ()
    naam: str = "Buurtmobiel (scenario)"
    dienst: str = "Buurtmobiel"
    wkt: str = ""


@dataclass(frozen=True)
class Scenario:
    """A named set of changes to the aanbod, applied to a copy (the register never changes).

    Attributes
    ----------
    naam
        The scenario's name (its key in the store).
    groep
        The focus group it was made for ('' = any).
    nieuw
        New activities.
    weg
        Ids of activities (activiteiten layer) that are removed or closed.
    buurtmobiel
        New or wider Buurtmobiel service areas.
    auteur, tijd, versie
        Who saved it, when (UTC, ISO 8601) and the stored version (filled by the store).
    """

    naam: str
    groep: str = ""
    nieuw: tuple[NewActivity, ...] = ()
    weg: tuple[str, ...] = ()
    buurtmobiel: tuple[BuurtmobielArea, ...] = ()
    auteur: str = ""
    tijd: str = ""
    versie: int = 0

    def changes(self) -> dict[str, object]:
        """The changes as JSON-ready data (what the store keeps)."""
        return {
            "nieuw": [asdict(a) for a in self.nieuw],
            "weg": list(self.weg),
            "buurtmobiel": [
                {"codes": list(b.codes), "naam": b.naam, "dienst": b.dienst, "wkt": b.wkt}
                for b in self.buurtmobiel
            ],
        }

    @classmethod
    def from_changes(cls, naam: str, changes: Mapping[str, Any], **fields: Any) -> Scenario:
        """A scenario from :meth:`changes` data (as stored)."""
        nieuw = tuple(NewActivity(**dict(a)) for a in changes.get("nieuw", []))
        areas = tuple(
            BuurtmobielArea(
                codes=tuple(b.get("codes", [])),
                naam=b.get("naam", "Buurtmobiel (scenario)"),
                dienst=b.get("dienst", "Buurtmobiel"),
                wkt=b.get("wkt", ""),
            )
            for b in changes.get("buurtmobiel", [])
        )
        weg = tuple(str(i) for i in changes.get("weg", []))
        return cls(naam=naam, nieuw=nieuw, weg=weg, buurtmobiel=areas, **fields)

    def with_(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (e.g. one more activity)."""
        return replace(self, **changes)


def apply_scenario(
    layers: Mapping[str, gpd.GeoDataFrame] | None,
    scenario: Scenario,
    *,
    group: str,
    areas: gpd.GeoDataFrame | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """A copy of the aanbod layers with the scenario's changes (the input is not changed).

    New activities get ``bron`` :data:`SCENARIO_SOURCE`, ids ``scenario-activiteit-<n>`` and
    index labels after the existing ones (existing rows keep theirs, so an analysis of the
    copy can be matched to the original row by row).

    Parameters
    ----------
    layers
        Aanbod layers (``Aanbod.layers``).
    scenario
        The changes.
    group
        The focus group a new activity without doelgroepen serves.
    areas
        Canonical areas (``Dataset.areas``), needed for Buurtmobiel areas given as codes.

    Raises
    ------
    DataError
        An id to remove that is not in the activiteiten layer, or a bad Buurtmobiel area.

    Examples
    --------
    >>> s = Scenario("inloop", nieuw=(NewActivity(5.12, 52.09),))
    >>> apply_scenario(None, s, group="ouderen")["activiteiten"]["soort"].tolist()
    ['ontmoeting']
    """
    given = dict(layers or {})
    out = {name: layer.copy() for name, layer in given.items() if layer is not None}
    for name in LAYERS:
        out.setdefault(name, empty_layer(name))
    activities = out["activiteiten"]
    if scenario.weg:
        ids = activities["id"].astype(str) if "id" in activities else pd.Series(dtype=str)
        missing = sorted(set(scenario.weg) - set(ids))
        if missing:
            raise DataError(
                f"scenario '{scenario.naam}': activiteit(en) om te schrappen niet gevonden.",
                column="id",
                value=", ".join(missing),
                hint="kies ids uit de laag activiteiten (wijkkompas aanbod lijst).",
            )
        activities = activities[~ids.isin(set(scenario.weg)).to_numpy()]
    if scenario.nieuw:
        activities = _with_new(activities, scenario.nieuw, group=group)
    out["activiteiten"] = activities
    for area in scenario.buurtmobiel:
        werkgebied = shapely.from_wkt(area.wkt) if area.wkt else list(area.codes)
        out = add_buurtmobiel(out, werkgebied, areas=areas, naam=area.naam, dienst=area.dienst)
    return out


def default_capacity(activities: gpd.GeoDataFrame, soort: str) -> float:
    """The median capacity of a soort in the aanbod (of all rows when the soort has none; 1).

    Examples
    --------
    >>> default_capacity(empty_layer("activiteiten"), "ontmoeting")
    1.0
    """
    if activities.empty or "capaciteit" not in activities:
        return 1.0
    capacity = pd.to_numeric(activities["capaciteit"], errors="coerce")
    same = capacity[(activities["soort"] == soort).to_numpy()].dropna()
    pool = same if len(same) else capacity.dropna()
    return float(pool.median()) if len(pool) else 1.0


def _with_new(
    activities: gpd.GeoDataFrame, nieuw: Sequence[NewActivity], *, group: str
) -> gpd.GeoDataFrame:
    xy = np.array([[a.lon, a.lat] for a in nieuw], dtype=float)
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4326")
    crs = activities.crs or "EPSG:28992"
    rows = []
    for n, activity in enumerate(nieuw, start=1):
        rows.append(
            {
                "id": f"scenario-activiteit-{n}",
                "naam": activity.naam or f"Nieuwe activiteit {n} (scenario)",
                "soort": activity.soort,
                "doelgroepen": activity.doelgroepen or GROUP_DOELGROEP[group],
                "talen": activity.talen,
                "dagdelen": activity.dagdelen,
                "capaciteit": activity.capaciteit
                if activity.capaciteit is not None
                else default_capacity(activities, activity.soort),
                "bron": SCENARIO_SOURCE,
                "locatie_status": "gelokaliseerd",
            }
        )
    start = int(np.nanmax(activities.index.to_numpy(dtype=float))) + 1 if len(activities) else 0
    added = gpd.GeoDataFrame(
        pd.DataFrame(rows, index=pd.RangeIndex(start, start + len(rows))),
        geometry=points.to_crs(crs).to_numpy(),
        crs=crs,
    )
    if activities.empty:
        return added
    combined = pd.concat([activities, added])
    return gpd.GeoDataFrame(combined, geometry=activities.geometry.name, crs=crs)
