"""Remember what was computed from a set of shapes, keyed by the shapes' content.

Drawing the map of all Dutch buurten again for another indicator, year or page redoes work
that depends on the shapes alone: the outline of the whole area, the bounds of the view, the
simplified and quantised geometry the browser is sent. :func:`by_shapes` keeps the last few
such results keyed by a hash of the shapes' WKB (16 ms for 10,500 buurten, against 0.1-0.8 s
for the work itself), so a result is reused exactly when the shapes are the same, whichever
frame or process step they come from, and never when a boundary changed. The shapes of one
loaded dataset are found by the identity of their objects first, without hashing them.

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
import numpy as np
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

    Looked up first by the identity of the shapely objects (shapes taken from the same loaded
    dataset, through copies of its frames, are the same objects: 1 ms for 10,500 buurten),
    then by their content (:func:`shapes_key`). An entry holds the objects it was keyed by,
    so their identities cannot be reused by other shapes while it exists. The other arguments
    must be hashable. Thread-safe (Streamlit runs sessions in threads); two threads asking at
    once may both compute, and either answer is kept.
    """
    by_content: OrderedDict[tuple[Hashable, ...], R] = OrderedDict()
    by_identity: OrderedDict[tuple[Hashable, ...], tuple[R, object, tuple[Hashable, ...]]] = (
        OrderedDict()
    )
    lock = threading.Lock()

    def remember(table: OrderedDict, key: tuple[Hashable, ...], value: object) -> None:
        table[key] = value
        table.move_to_end(key)
        while len(table) > KEEP:
            table.popitem(last=False)

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        shapes, *rest = args
        extra = (*rest, *sorted(kwargs.items()))  # type: ignore[arg-type]
        series = shapes.geometry  # type: ignore[attr-defined]
        objects = series.to_numpy()
        identity = (_identity_key(objects), str(series.crs), *extra)
        with lock:
            if identity in by_identity:
                by_identity.move_to_end(identity)
                known, _objects, seen_as = by_identity[identity]
                if seen_as in by_content:
                    by_content.move_to_end(seen_as)  # one recency for both tables
                return known
        content = (shapes_key(series), *extra)
        with lock:
            found = content in by_content
            value = by_content[content] if found else None
        if not found:
            value = function(*args, **kwargs)
        with lock:
            remember(by_content, content, value)
            remember(by_identity, identity, (value, objects, content))
        return value  # type: ignore[return-value]

    def cache_clear() -> None:
        with lock:
            by_content.clear()
            by_identity.clear()

    wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
    return wrapper


def _identity_key(objects: np.ndarray) -> bytes:
    """The identities of the shapely objects, in order (None has one identity too)."""
    ids = np.fromiter((id(g) for g in objects), dtype=np.uint64, count=len(objects))
    return hashlib.blake2b(ids.tobytes(), digest_size=16).digest()
