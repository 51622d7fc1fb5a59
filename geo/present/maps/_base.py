"""What every map shares: offline Leaflet assets, colours, the Legend, safe text, the base map."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from geo.aanbod.schema import DOELGROEPEN, SOORTEN, split_keys
from geo.io.crs import display_bounds, to_display
from geo.present.basemap import OSM_ATTRIBUTION as OSM_ATTRIBUTION  # public name, kept
from geo.present.basemap import BasemapSettings, add_basemap
from geo.present.format import fmt_num
from geo.present.safe_text import html_text

STATIC = "/app/static/map"


MAP_JS = [
    ("wijkkompas_map_bundle", f"{STATIC}/map-bundle.js"),
    ("wijkkompas_map_fixes", f"{STATIC}/wijkkompas.js"),
]
"""jQuery 3.7.1 (folium popups), Leaflet 1.9.4 and Leaflet.markercluster 1.5.3 in one file,
then our fix for clicks on a map that is partly out of view (``static/map/wijkkompas.js``)."""


MAP_CSS = [("leaflet_css", f"{STATIC}/leaflet.css")]


CLUSTER_CSS = [
    ("markercluster_css", f"{STATIC}/MarkerCluster.css"),
    ("markercluster_default_css", f"{STATIC}/MarkerCluster.Default.css"),
]


PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
"""Sequential classes, light to dark: ColorBrewer OrRd, 5 classes (colour-blind safe, print
friendly); lightness falls monotonically, also for red-green colour blindness
(``tests/test_contrast.py``)."""


MISSING = "#c8c8c8"


SOORT_COLOURS = {
    "ontmoeting": "#1f77b4",
    "maatjes": "#9467bd",
    "samen_eten": "#ff7f0e",
    "bewegen": "#2ca02c",
    "cultuur": "#e377c2",
    "informatie": "#17becf",
    "training": "#8c564b",
    "vervoer": "#7f7f7f",
    "overig": "#bcbd22",
}


BIVARIATE = (  # rows: need low..high; columns: offer low..high
    ("#cabed0", "#89a1c8", "#4885c1"),
    ("#bc7c8f", "#806a8a", "#435786"),
    ("#ae3a4e", "#77324c", "#3f2949"),
)
"""3 × 3 need × offer ("DkViolet", biscale): every pair of cells differs by ΔE ≥ 12 also for
protanopia, deuteranopia and tritanopia (``tests/test_contrast.py``); many lonely residents
with little offer (the gap) is the red corner."""


LEGEND_BORDER = "#595959"
"""Border of legend swatches: 7:1 against the white legend, so light classes stay visible."""


SIMPLIFY_M = 3.0
"""Display tolerance in metres (RD): invisible at city zoom, halves the payload."""


@dataclass(frozen=True)
class Legend:
    """A legend drawn next to the map: a title, (colour, label) entries and notes."""

    title: str
    entries: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def js_text(value: object) -> str:
    """Text that is safe in folium's HTML *and* inside its JavaScript template literals.

    Folium writes tooltips and popups into JavaScript template literals (`` `...` ``), where
    a backtick ends the string and ``${...}`` runs code; HTML escaping alone does not stop
    that. ``None`` and NaN become an empty string.

    Examples
    --------
    >>> js_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> js_text("${alert(1)}`")
    '&#36;{alert(1)}&#96;'
    """
    return html_text(value).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


class MetricScale(folium.MacroElement):
    """Leaflet's scale bar in metres only (folium's ``control_scale`` adds feet and miles)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


def offline(m: folium.Map) -> folium.Map:
    """Point the map's JavaScript and CSS at the files the app serves itself."""
    m.default_js = list(MAP_JS)
    m.default_css = list(MAP_CSS)
    return m


def for_display(frame: gpd.GeoDataFrame, *, simplify_m: float = SIMPLIFY_M) -> gpd.GeoDataFrame:
    """Simplify in RD (topology-preserving) and convert to WGS84 with 6-decimal coordinates.

    Parameters
    ----------
    frame
        Areas or points in EPSG:28992.
    simplify_m
        Tolerance in metres; 0 keeps every vertex.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326.
    """
    out = frame.copy()
    if simplify_m > 0:
        out["geometry"] = out.geometry.simplify(simplify_m, preserve_topology=True)
    out = to_display(out)
    out["geometry"] = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, 6))
    return out


NETHERLANDS = [52.2, 5.3]
"""Map centre (lat, lon) when nothing has a shape."""


def base_map(
    frame: gpd.GeoDataFrame,
    *,
    tiles: bool = True,
    online: bool = True,
    basemap: BasemapSettings | None = None,
) -> folium.Map:
    """An offline-ready map fitted to a frame (EPSG:28992), with its background.

    Parameters
    ----------
    frame
        The areas shown: the map is fitted to them.
    tiles
        False: no background at all.
    online
        False: no tiles but the light offline fallback (the outline of ``frame``).
    basemap
        Which background and where its tiles are (default ``BasemapSettings.from_env()``).

    Examples
    --------
    >>> m = base_map(dataset.level("buurt"))  # doctest: +SKIP
    """
    settings = basemap or BasemapSettings.from_env()
    minx, miny, maxx, maxy = display_bounds(frame)
    shaped = bool(np.isfinite([minx, miny, maxx, maxy]).all())
    m = offline(
        folium.Map(
            location=[round(float(miny + maxy) / 2, 6), round(float(minx + maxx) / 2, 6)]
            if shaped
            else NETHERLANDS,  # no area has a shape (figures without boundaries)
            zoom_start=12 if shaped else 7,
            tiles=None,
            zoom_snap=0.25,  # fit the area snugly, not at the next lower whole zoom level
        )
    )
    MetricScale().add_to(m)
    # folium gives max_zoom only to its own tiles; Leaflet needs it on the map when there are
    # none (offline), or marker clusters fail with "Map has no maxZoom specified"
    m.options["max_zoom"] = settings.max_zoom
    if tiles:
        add_basemap(m, frame, settings=settings, online=online)
    fit(m, frame)
    return m


def fit(m: folium.Map, frame: gpd.GeoDataFrame | shapely.Geometry) -> folium.Map:
    """Zoom the map to a frame or geometry in EPSG:28992."""
    shapes = (
        gpd.GeoSeries([frame], crs="EPSG:28992") if isinstance(frame, shapely.Geometry) else frame
    )
    minx, miny, maxx, maxy = (round(v, 6) for v in display_bounds(shapes))
    if np.isfinite([minx, miny, maxx, maxy]).all():
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def render_html(m: folium.Map) -> str:
    """The complete standalone HTML of a map (for exports, tests and payload sizes)."""
    return m.get_root().render()


def _tip(
    naam: object,
    code: object,
    label: str,
    value: float,
    unit: str,
    decimals: int,
    remark: str,
    source: str,
    vintage: str,
    interval: str = "",
) -> str:
    shown = f"{fmt_num(value, decimals)} {unit}".strip() if pd.notna(value) else "geen cijfer"
    parts = [
        f"<b>{js_text(naam)}</b> ({js_text(code)})",
        f"{js_text(label)}: <b>{js_text(shown)}</b>",
    ]
    if interval:
        parts.append(f"95 %-interval: {js_text(interval)}")
    if remark:
        parts.append(f"<i>Let op: {js_text(remark)}</i>")
    if source:
        parts.append(f'<span style="color:#555">Bron: {js_text(source)}</span>')
    if vintage and vintage != "nan":
        parts.append(f'<span style="color:#555">Grenzen: indeling {js_text(vintage)}</span>')
    return "<br>".join(parts)


def _features(frame: gpd.GeoDataFrame) -> dict[str, object]:
    return json.loads(frame.to_json(drop_id=True))


def _spread(n: int) -> tuple[str, ...]:
    if n <= 1:
        return (PALETTE[-2],)
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return tuple(PALETTE[i] for i in idx)


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and np.isnan(value):
        return False
    return str(value).strip() != ""


def _shown_value(column: str, value: object) -> str:
    if column == "soort":
        return SOORTEN.get(str(value), str(value))
    if column == "doelgroepen":
        return ", ".join(DOELGROEPEN.get(k, k) for k in split_keys(value))
    if column == "dagdelen":
        return ", ".join(split_keys(value))
    if column == "talen":
        from geo.analysis.language import LANGUAGE_LABELS, activity_languages

        return ", ".join(LANGUAGE_LABELS.get(k, k) for k in sorted(activity_languages(value)))
    return str(value)
