"""Export layers of the aanbod: activities, Lief en Leedstraten, Welzijn op recept, vervoer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.aanbod.schema import LAYER_LABELS, SOORTEN
from geo.export._frames import join, tidy, vintages
from geo.export.bundle import LayerMeta
from geo.export.labels import COLUMN_LABELS
from geo.export.styles import LayerStyle, categorized, single
from geo.io.crs import RD
from geo.model.dataset import Dataset
from geo.present.maps import SOORT_COLOURS

LAYER_STYLES = {
    "lief_en_leed": ("point", "#d62728"),
    "welzijn_op_recept": ("point", "#00441b"),
    "ov_haltes": ("point", "#444444"),
    "buurtmobiel": ("polygon", "#6a3d9a"),
}


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
    frame = tidy(frame, multi=polygonal)
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
        source=join(bronnen[:6]) + (f" en {len(bronnen) - 6} meer" if len(bronnen) > 6 else "")
        or "aanbodregister",
        year="stand bij export",
        vintage=f"buurtcodes: {vintages(dataset.areas)}",
        method="Zoals ingevoerd of geïmporteerd; gecontroleerd op coördinaten en codes.",
        style=style,
        labels=labels,
        notes=tuple(notes),
    )
    return frame, info


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
