"""An export restricted to one area: a focus area, wijk or buurt instead of the whole gemeente.

Area layers (buurten, wijken, gaps, hot spots) keep the rows of the area's own codes: its
buurten, the wijken they lie in and the area itself. Every other layer (aanbod, Lief en
Leedstraten, Welzijn op recept, Buurtmobiel areas, OV-haltes, focus areas) keeps what lies in
or overlaps the area; an aanbod row without a location stays when its buurt is in the area.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import geopandas as gpd
import numpy as np
import shapely

from geo.analysis.profile import Area, resolve_area
from geo.errors import DataError
from geo.export.bundle import ExportBundle
from geo.model.dataset import Dataset

logger = logging.getLogger(__name__)

EDGE_M = 1.0
"""Polygons that only share an edge with the area (its neighbours) do not count as inside."""


def restrict_to_area(bundle: ExportBundle, dataset: Dataset, gebied: str) -> ExportBundle:
    """The bundle with only what lies in one focus area, wijk or buurt.

    Parameters
    ----------
    bundle
        A bundle of the whole dataset (:func:`~geo.export.layers.collect_layers`).
    dataset
        The dataset the bundle was made from (for the area's buurten and outline).
    gebied
        Focus-area name, wijk or buurt name, or CBS code; a gemeente code returns the bundle
        unchanged.

    Returns
    -------
    ExportBundle
        A new bundle (the input is not changed); its title names the area and every layer's
        notes say that it was restricted. Layers left empty are dropped and named in the notes.

    Raises
    ------
    DataError
        An unknown area, or an area without any boundary to select by.

    Examples
    --------
    >>> part = restrict_to_area(bundle, dataset, "Overvecht")  # doctest: +SKIP
    >>> part.titel  # doctest: +SKIP
    'Utrecht – Overvecht'
    """
    area = resolve_area(dataset, gebied)
    if area.kind == "gemeente":
        return bundle
    codes = _codes(dataset, area)
    outline = _outline(dataset, area)
    note = f"Beperkt tot {area.naam}."
    layers: dict[str, gpd.GeoDataFrame] = {}
    meta = {}
    dropped = []
    for name, frame in bundle.layers.items():
        if name == "gemeente":
            dropped.append(name)
            continue
        kept = frame[_keep(bundle.in_rd(name), name, area, codes, outline)].copy()
        if kept.empty:
            dropped.append(name)
            continue
        layers[name] = kept
        info = bundle.meta[name]
        meta[name] = replace(info, notes=(*info.notes, note))
    notes = [note, *bundle.notes]
    if dropped:
        notes.append("Geen rijen in dit gebied, niet geëxporteerd: " + ", ".join(dropped) + ".")
    logger.info("export restricted to %s: %s", area.naam, {n: len(f) for n, f in layers.items()})
    return replace(
        bundle,
        layers=layers,
        meta=meta,
        titel=f"{bundle.titel} – {area.naam}" if bundle.titel else area.naam,
        notes=notes,
    )


def _codes(dataset: Dataset, area: Area) -> set[str]:
    areas = dataset.areas
    members = set(area.buurten)
    wijken = areas.loc[areas["code"].isin(members), "wijk_code"].dropna().astype(str)
    return members | set(wijken) | set(area.codes) | {area.key}


def _outline(dataset: Dataset, area: Area) -> shapely.Geometry:
    areas = dataset.areas
    shapes = areas.loc[areas["code"].isin(area.buurten), "geometry"]
    shapes = shapes[shapes.notna() & ~shapes.is_empty]
    if shapes.empty:
        raise DataError(
            f"'{area.naam}' heeft geen grenzen in de gegevens; de export kan niet op dit gebied "
            "worden beperkt.",
            value=area.key,
            hint="voeg een wijk- en buurtkaart toe aan wijken/, of exporteer de hele gemeente.",
        )
    return shapely.union_all(np.asarray(shapes.to_numpy()))


def _keep(
    frame: gpd.GeoDataFrame, name: str, area: Area, codes: set[str], outline: shapely.Geometry
) -> np.ndarray:
    """Which rows of a layer (in EPSG:28992) belong to the area."""
    if "code" in frame.columns:
        return frame["code"].astype(str).isin(codes).to_numpy()
    if name == "aandachtsgebieden" and area.kind == "gebied":
        return (frame["naam"].astype(str) == area.key).to_numpy()
    geometry = frame.geometry
    located = geometry.notna().to_numpy() & ~geometry.is_empty.to_numpy()
    inner = outline.buffer(-EDGE_M)
    target = np.where(geometry.geom_type.isin(["Point", "MultiPoint"]).to_numpy(), outline, inner)
    inside = np.zeros(len(frame), dtype=bool)
    inside[located] = shapely.intersects(geometry.to_numpy()[located], target[located])
    if "buurt_code" in frame.columns:
        inside |= ~located & frame["buurt_code"].astype(str).isin(area.buurten).to_numpy()
    return inside
