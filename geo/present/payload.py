"""A slim map payload: geometry simplified and quantised for the view, shared tooltip lines once.

A choropleth of all Dutch buurten (about 11,000 areas) sent as it is would be 7 MB of GeoJSON
to a browser: coordinates with six decimals where the view shows 500 m per pixel, and the
same source and boundary-vintage lines repeated in every tooltip. This module makes it small
without changing what a person sees:

* :func:`display_tolerance` picks the simplification tolerance from the extent of what is
  drawn: half a screen pixel two zoom levels closer than the fitted view, never below the
  city tolerance (a few metres, invisible at street zoom).
* :func:`display_decimals` rounds coordinates to the coarsest step that stays under a quarter
  of that tolerance (six decimals, about 10 cm, for a city; four, about 10 m, for the country).
* :func:`tooltip_options`: in a large layer the tooltip lines every area shares (source and
  year, boundary vintage) are sent once and appended in the browser; a small layer keeps one
  whole tooltip per area, exactly as before.

Everything here is deterministic: the same inputs give byte-identical map scripts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.utilities import JsCode

from geo.io.crs import WGS84, to_display
from geo.io.memo import by_shapes

LARGE_LAYER = 1500
"""From this many areas a layer sends its shared tooltip lines once."""

VIEW_STEPS = 5000
"""The extent divided by this is the tolerance: about half a pixel of a 620-pixel map two zoom
levels in from the fitted view."""

METRES_PER_DEGREE = 111_320.0
"""Metres per degree of latitude (and, at most, of longitude)."""

SEPARATOR = "<br>"


def display_tolerance(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, minimum_m: float) -> float:
    """Simplification tolerance in metres for drawing ``frame`` (EPSG:28992).

    Parameters
    ----------
    frame
        What is drawn; its extent sets the scale of the fitted view.
    minimum_m
        The smallest tolerance (the city tolerance); 0 keeps every vertex whatever the extent.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> city = gpd.GeoDataFrame(geometry=[box(0, 0, 15_000, 12_000)], crs="EPSG:28992")
    >>> display_tolerance(city, minimum_m=3.0)
    3.0
    >>> country = gpd.GeoDataFrame(geometry=[box(13_000, 306_000, 278_000, 620_000)],
    ...                            crs="EPSG:28992")
    >>> round(display_tolerance(country, minimum_m=3.0), 1)
    62.8
    """
    if minimum_m <= 0:
        return 0.0
    shapes = frame.geometry.to_numpy()
    shaped = shapes[~(shapely.is_missing(shapes) | shapely.is_empty(shapes))]
    if len(shaped) == 0:
        return float(minimum_m)
    minx, miny, maxx, maxy = shapely.total_bounds(shaped)
    return float(max(minimum_m, max(maxx - minx, maxy - miny) / VIEW_STEPS))


def display_decimals(tolerance_m: float) -> int:
    """Decimals of a WGS84 coordinate for a tolerance: a step of at most a quarter of it.

    Examples
    --------
    >>> display_decimals(3.0), display_decimals(62.8), display_decimals(0.0)
    (6, 4, 6)
    """
    if tolerance_m <= 0:
        return 6
    needed = math.ceil(math.log10(4 * METRES_PER_DEGREE / tolerance_m))
    return int(min(6, max(3, needed)))


def slim_for_display(frame: gpd.GeoDataFrame, *, minimum_m: float) -> gpd.GeoDataFrame:
    """Simplify in RD (topology-preserving) for the view and quantise in WGS84.

    The shapes are remembered per set of shapes (:func:`~geo.io.memo.by_shapes`): the next
    indicator, year or page on the same areas reuses them.

    Parameters
    ----------
    frame
        Areas in EPSG:28992.
    minimum_m
        The city tolerance (see :func:`display_tolerance`).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326, coordinates rounded to :func:`display_decimals`.
    """
    out = frame.copy()
    shapes = _slim_shapes(frame.geometry, minimum_m)
    out[out.geometry.name] = gpd.GeoSeries(shapes.copy(), index=out.index, crs=WGS84)
    return out.set_crs(WGS84, allow_override=True)


@by_shapes
def _slim_shapes(shapes: gpd.GeoSeries, minimum_m: float) -> np.ndarray:
    """The simplified, reprojected and rounded shapes (read-only: they are shared)."""
    tolerance = display_tolerance(shapes, minimum_m=minimum_m)
    if tolerance > 0:
        shapes = shapes.simplify(tolerance, preserve_topology=True)
    shown = to_display(gpd.GeoDataFrame(geometry=shapes))
    decimals = display_decimals(tolerance)
    rounded = shapely.transform(shown.geometry.to_numpy(), lambda xy: np.round(xy, decimals))
    rounded.flags.writeable = False
    return rounded


def script_json(value: object) -> str:
    r"""Compact JSON that is safe inside a ``<script>`` (no ``</`` or ``<!--`` in it).

    Examples
    --------
    >>> script_json({"tip": "<b>a</b></script>"})
    '{"tip":"<b>a<\\/b><\\/script>"}'
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def split_shared_lines(tips: Sequence[str]) -> tuple[list[str], str]:
    """Take the trailing tooltip lines that every tip shares off the tips.

    Returns
    -------
    tips, shared
        The tips without those lines, and the lines (with their leading separator; empty
        when nothing is shared).

    Examples
    --------
    >>> split_shared_lines(["A<br>Bron: CBS", "B<br>x<br>Bron: CBS"])
    (['A', 'B<br>x'], '<br>Bron: CBS')
    """
    if not tips:
        return [], ""
    split = [tip.split(SEPARATOR) for tip in tips]
    shared = 0
    shortest = min(len(parts) for parts in split)
    while shared < shortest - 1 and len({parts[-1 - shared] for parts in split}) == 1:
        shared += 1
    if shared == 0:
        return list(tips), ""
    head = [SEPARATOR.join(parts[:-shared]) for parts in split]
    return head, SEPARATOR + SEPARATOR.join(split[0][-shared:])


def tooltip_options(tips: Sequence[str]) -> tuple[list[str], dict[str, object]]:
    """The per-area tips to send and the tooltip arguments of ``folium.GeoJson``.

    A small layer: the tips unchanged and a ``GeoJsonTooltip`` on ``tip``. A layer of
    :data:`LARGE_LAYER` areas or more: the tips without their shared lines, and an
    ``on_each_feature`` that binds ``tip`` plus those lines (sent once) to each area. The
    tips are escaped text (:func:`~geo.present.maps.js_text`); the shared lines go into the
    script as a JSON string.
    """
    tips = list(tips)
    if len(tips) < LARGE_LAYER:
        return tips, {"tooltip": folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)}
    head, shared = split_shared_lines(tips)
    literal = script_json(shared)
    binding = JsCode(
        "function(feature, layer) {"
        f" layer.bindTooltip(feature.properties.tip + {literal}, {{sticky: true}});"
        " }"
    )
    return head, {"on_each_feature": binding}


def payload_bytes(m: folium.Map) -> int:
    """Size in bytes of the HTML and script of a map (what the browser is sent)."""
    return len(m.get_root().render().encode("utf-8"))
