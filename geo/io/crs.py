"""The one place where coordinates are checked, inferred and reprojected.

Policy: compute in EPSG:28992 (RD New, metres); show in EPSG:4326.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo.errors import DataError, Notices
from geo.io.memo import by_shapes

RD = "EPSG:28992"
WGS84 = "EPSG:4326"

# Generous ranges that contain the Netherlands (incl. the Wadden and the North Sea coast).
RD_X = (-7_000.0, 300_000.0)
RD_Y = (289_000.0, 629_000.0)
LON = (3.0, 7.3)
LAT = (50.7, 53.7)


def guess_crs(bounds: tuple[float, float, float, float]) -> str | None:
    """Guess the CRS of coordinates in the Netherlands from their range.

    Returns ``"EPSG:28992"``, ``"EPSG:4326"``, ``"swapped"`` (latitude/longitude reversed),
    or ``None`` when the range fits neither.
    """
    minx, miny, maxx, maxy = bounds
    if LON[0] <= minx and maxx <= LON[1] and LAT[0] <= miny and maxy <= LAT[1]:
        return WGS84
    if LAT[0] <= minx and maxx <= LAT[1] and LON[0] <= miny and maxy <= LON[1]:
        return "swapped"
    if RD_X[0] <= minx and maxx <= RD_X[1] and RD_Y[0] <= miny and maxy <= RD_Y[1]:
        return RD
    return None


def to_rd(frame: gpd.GeoDataFrame, *, source: str, notices: Notices) -> gpd.GeoDataFrame:
    """Return ``frame`` in EPSG:28992, inferring or correcting its CRS from coordinate ranges.

    A missing CRS is inferred (and the user told); a declared CRS that the coordinates
    contradict (RD numbers labelled as degrees, or degrees in the wrong order) is corrected
    with a notice. Coordinates that fit nothing raise :class:`DataError`.
    """
    geoms = frame.geometry
    present = geoms[~(geoms.isna() | geoms.is_empty)]
    if present.empty:
        return frame.set_crs(RD, allow_override=True) if frame.crs is None else frame.to_crs(RD)
    bounds = tuple(float(v) for v in present.total_bounds)
    guess = guess_crs(bounds)  # type: ignore[arg-type]
    declared = frame.crs
    if guess == "swapped":
        notices.add(
            f"{source}: breedte- en lengtegraad stonden omgewisseld; "
            "Wijkkompas heeft ze omgedraaid."
        )
        frame = frame.set_geometry(
            shapely.transform(frame.geometry.to_numpy(), lambda xy: xy[:, ::-1]), crs=WGS84
        )
        return frame.to_crs(RD)
    if declared is None:
        if guess is None:
            raise DataError(
                "het bestand heeft geen coördinatenstelsel en de coördinaten passen niet bij "
                f"RD (EPSG:28992) of WGS84 in Nederland (bereik {_fmt(bounds)}).",
                file=source,
                hint="sla het bestand op met een .prj of 'crs', in EPSG:28992 of EPSG:4326.",
            )
        notices.add(
            f"{source}: geen coördinatenstelsel opgegeven; afgeleid uit het bereik: {guess}."
        )
        return frame.set_crs(guess).to_crs(RD)
    epsg = declared.to_epsg()
    if declared.is_geographic and guess == RD:
        notices.add(
            f"{source}: het bestand noemt {declared.name}, maar de coördinaten zijn RD-meters; "
            "gelezen als EPSG:28992."
        )
        return frame.set_crs(RD, allow_override=True)
    if epsg == 28992 and guess == WGS84:
        notices.add(
            f"{source}: het bestand noemt RD (EPSG:28992), maar de coördinaten zijn graden; "
            "gelezen als EPSG:4326."
        )
        return frame.set_crs(WGS84, allow_override=True).to_crs(RD)
    out = frame.to_crs(RD)
    check = guess_crs(tuple(float(v) for v in out.geometry.dropna().total_bounds))  # type: ignore[arg-type]
    if check != RD:
        raise DataError(
            f"na omrekenen naar RD liggen de coördinaten niet in Nederland (bereik {_fmt(bounds)} "
            f"in {declared.name}).",
            file=source,
            hint="controleer het coördinatenstelsel van het bestand.",
        )
    return out


def _fmt(bounds: tuple[float, ...]) -> str:
    return f"x {bounds[0]:.6g}..{bounds[2]:.6g}, y {bounds[1]:.6g}..{bounds[3]:.6g}"


def to_display(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy in EPSG:4326 for maps and GeoJSON export.

    From RD through :func:`_rd_to_wgs84` (the same coordinates as ``to_crs``, without
    building a transformer in every page's thread); other systems through ``to_crs``.
    """
    if frame.crs is None or frame.crs != _rd_crs():
        return frame.to_crs(WGS84)
    transformer = _rd_to_wgs84()

    def reproject(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    out = frame.copy()
    shapes = shapely.transform(out.geometry.to_numpy(), reproject)
    out[out.geometry.name] = gpd.GeoSeries(shapes, index=out.index, crs=WGS84)
    return out.set_crs(WGS84, allow_override=True)


@by_shapes  # the same shapes are fitted again on every page and choice
def display_bounds(geometries: gpd.GeoSeries | gpd.GeoDataFrame) -> tuple[float, ...]:
    """(min lon, min lat, max lon, max lat) of shapes in EPSG:28992, NaN when none has a shape.

    Equal to ``to_display(frame).total_bounds`` but reprojects only the vertices of the
    convex hull: a map is fitted without reprojecting every area (0.1 s for Utrecht's
    buurten, 5 ms this way).

    Examples
    --------
    >>> lon0, lat0, lon1, lat1 = display_bounds(gpd.GeoSeries.from_wkt(
    ...     ["POINT (136000 455000)", "POINT (137000 456000)"], crs=RD))
    >>> round(lon0, 3), round(lat1, 3)
    (5.11, 52.092)
    """
    shapes = geometries.geometry.to_numpy()
    shapes = shapes[~(shapely.is_missing(shapes) | shapely.is_empty(shapes))]
    if len(shapes) == 0:
        return (np.nan,) * 4
    hull = shapely.convex_hull(
        shapely.multipoints(shapely.get_coordinates(shapely.convex_hull(shapes)))
    )
    xy = shapely.get_coordinates(hull)
    lon, lat = _rd_to_wgs84().transform(xy[:, 0], xy[:, 1])
    return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())


@functools.cache
def _rd_to_wgs84() -> pyproj.Transformer:
    """The RD → WGS84 transformer, built once.

    pyproj builds a transformer anew in every thread that uses it, and Streamlit runs every
    page in a new thread: from the coordinate systems that took 30-170 ms of every map page,
    from the operation's PROJ pipeline 0.4 ms. The pipeline is the one ``from_crs`` chooses
    (the most accurate available), checked to give the same coordinates; else ``from_crs``.
    """
    chosen = pyproj.Transformer.from_crs(RD, WGS84, always_xy=True)
    probe = (
        np.array([13_000.0, 155_000.0, 278_000.0]),
        np.array([306_000.0, 463_000.0, 620_000.0]),
    )
    expected = np.column_stack(chosen.transform(*probe))
    for candidate in pyproj.transformer.TransformerGroup(RD, WGS84, always_xy=True).transformers:
        try:
            piped = pyproj.Transformer.from_pipeline(candidate.definition)
        except pyproj.exceptions.ProjError:
            continue
        if np.array_equal(np.column_stack(piped.transform(*probe)), expected):
            return piped
    return chosen


@functools.cache
def _rd_crs() -> pyproj.CRS:
    return pyproj.CRS.from_user_input(RD)


def is_finite_point(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """True where both coordinates are finite numbers."""
    return np.isfinite(x) & np.isfinite(y)
