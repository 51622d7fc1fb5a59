"""Remember what was computed from a set of shapes, keyed by the shapes' content.

Drawing the map of all Dutch buurten again for another indicator, year or page redoes work
that depends on the shapes alone: the outline of the whole area, the bounds of the view, the
simplified and quantised geometry the browser is sent. :func:`by_shapes` keeps the last few
such results keyed by a hash of the shapes' WKB (16 ms for 10,500 buurten, against 0.1-0.8 s
for the work itself), so a result is reused exactly when the shapes are the same, whichever
frame or process step they come from, and never when a boundary changed.

The results must be immutable (tuples, strings, shapely geometries): they are shared.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import ParamSpec, TypeVar

import geopandas as gpd
import shapely

P = ParamSpec("P")
R = TypeVar("R")

KEEP = 16
"""Results kept per function (the least recently used goes first)."""


def shapes_key(geometries: gpd.GeoSeries | gpd.GeoDataFrame) -> str:
    """A hash of the shapes (geometry, order and CRS), not of their other columns.

    Examples
    --------
    >>> a = gpd.GeoSeries.from_wkt(["POINT (1 2)"], crs="EPSG:28992")
    >>> shapes_key(a) == shapes_key(a.copy()), shapes_key(a) == shapes_key(a.translate(1))
    (True, False)
    """
    series = geometries.geometry
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(series.crs).encode())
    for wkb in shapely.to_wkb(series.to_numpy()):
        digest.update(b"-" if wkb is None else wkb)
    return digest.hexdigest()


def by_shapes(function: Callable[P, R]) -> Callable[P, R]:
    """Memoise ``function(shapes, *args, **kwargs)`` on the shapes' content and the arguments.

    The other arguments must be hashable. Thread-safe (Streamlit runs sessions in threads);
    two threads asking at once may both compute, and either answer is kept.
    """
    results: OrderedDict[tuple[Hashable, ...], R] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        shapes, *rest = args
        key = (shapes_key(shapes), *rest, *sorted(kwargs.items()))  # type: ignore[arg-type]
        with lock:
            if key in results:
                results.move_to_end(key)
                return results[key]
        value = function(*args, **kwargs)
        with lock:
            results[key] = value
            while len(results) > KEEP:
                results.popitem(last=False)
        return value

    wrapper.cache_clear = results.clear  # type: ignore[attr-defined]
    return wrapper
