"""Shared helpers of the layer builders: plain dtypes, column order, source texts."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.model.dataset import Dataset


def rename(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    present = [c for c in mapping if c in frame.columns]
    out = pd.DataFrame(frame[present]).rename(columns=mapping).reset_index(drop=True)
    out["geometry"] = frame.geometry.to_numpy()
    return out


def tidy(frame: gpd.GeoDataFrame, *, multi: bool = False) -> gpd.GeoDataFrame:
    """Plain dtypes that survive every format: text as ``str``, numbers as float/int, bool."""
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == object:
            if series.dtype == object and all_bool(series):
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


def geometry_last(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns in file order: attributes first, the geometry last (as files read back)."""
    name = frame.geometry.name
    return frame[[c for c in frame.columns if c != name] + [name]]


def all_bool(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) == len(series) and values.map(lambda v: isinstance(v, bool | np.bool_)).all()


def rivm_source(dataset: Dataset) -> str:
    """The source text of the RIVM loneliness figures (with DEMO for demo data)."""
    figures = dataset.figures
    local = figures[
        (figures["indicator"] == "Eenzaam").to_numpy() & (figures["niveau"] != "land").to_numpy()
    ]
    sources = sorted(set(local["source"].astype(str)))
    return join(sources) or "RIVM, GGD'en, CBS (Gezondheidsmonitor)"


def rivm_vintage(dataset: Dataset) -> pd.Series:
    figures = dataset.figures
    return figures.loc[(figures["indicator"] == "Eenzaam").to_numpy(), "vintage"]


def vintages(areas: pd.DataFrame, figure_vintages: pd.Series | None = None) -> str:
    """``grenzen 2023; cijfers indeling 2020``: the boundary and the figures' vintage."""
    grenzen = ", ".join(sorted(set(areas["indeling"].astype(str)))) if len(areas) else "onbekend"
    cijfers = (
        ", ".join(sorted(set(figure_vintages.astype(str))))
        if figure_vintages is not None and len(figure_vintages)
        else ""
    )
    return f"grenzen {grenzen}; cijfers {cijfers}" if cijfers else f"grenzen {grenzen}"


def join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)
