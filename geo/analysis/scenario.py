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

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aanbod.layers import DIENSTEN
from geo.aanbod.schema import BUURTMOBIEL_COLUMNS, LAYERS
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
