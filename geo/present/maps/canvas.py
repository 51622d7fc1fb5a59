"""A large area layer (thousands of buurten) drawn on a canvas from a compact script.

``folium.GeoJson`` serialises every feature on every render (three times inside
``st_folium``), sends each area's style through a ``switch`` over all codes and draws each area
as an SVG path: for the 10,500 Dutch buurten that was 5 s on the server and 2 s in the browser
per page. :class:`CanvasAreas` sends

* the shapes once, as a compact JSON array simplified and quantised for the view
  (:func:`~geo.present.payload.slim_for_display`) and remembered per set of shapes
  (:func:`~geo.io.memo.by_shapes`): another indicator, year or page reuses the text;
* per area only its code, a colour index and its tooltip, with the tooltip lines every area
  shares (source, boundary vintage) and the colours sent once;

and draws them with Leaflet's canvas renderer. Tooltip, highlight and click (the area's
``code`` in ``st_folium``'s ``last_active_drawing``) work as on the SVG layer; small layers
keep ``folium.GeoJson`` (and SVG paths, which tests and screen magnifiers can inspect).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.utilities import get_obj_in_upper_tree
from jinja2 import Template

from geo.io.crs import display_bounds
from geo.io.memo import by_shapes
from geo.present.basemap import fallback_outline
from geo.present.maps._base import SIMPLIFY_M
from geo.present.payload import LARGE_LAYER, script_json, slim_for_display, split_shared_lines

CANVAS_FROM = LARGE_LAYER
"""From this many areas a layer is drawn on a canvas (:class:`CanvasAreas`)."""


@by_shapes  # the same buurten for every indicator, year and page
def shapes_json(shapes: gpd.GeoSeries, minimum_m: float) -> str:
    """The shapes (EPSG:28992) as a JSON array of WGS84 GeoJSON geometries for the view.

    Simplified and quantised as :func:`~geo.present.payload.slim_for_display` does; a missing
    or empty shape is ``null`` (Leaflet skips it).

    Examples
    --------
    >>> shapes_json(gpd.GeoSeries.from_wkt(["POINT (155000 463000)", None], crs="EPSG:28992"),
    ...             3.0)
    '[{"type":"Point","coordinates":[5.387204,52.155172]},null]'
    """
    shown = slim_for_display(
        gpd.GeoDataFrame(geometry=shapes.to_numpy(), crs=shapes.crs), minimum_m=minimum_m
    )
    geometries = shown.geometry.to_numpy()
    drawn = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    texts = np.full(len(geometries), "null", dtype=object)
    texts[drawn] = shapely.to_geojson(geometries[drawn])
    return "[" + ",".join(texts) + "]"


class ScriptText(Element):
    """A script added to the figure as the text it is.

    branca adds every element's rendered script to the figure as a new *template*, compiled
    by Jinja: for a layer whose script holds its data that is a lexer pass over the data (0.7 s
    for the country's buurten, 0.15 s for a city's, on every page).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        """The text, as it is."""
        return self.text


class ScriptAsText(folium.GeoJson):
    """A ``folium.GeoJson`` whose script reaches the figure as text (:class:`ScriptText`)."""

    def render(self, **kwargs: object) -> None:  # type: ignore[override]  # as folium's
        """Render as ``GeoJson.render`` does, without compiling the script.

        The style map, the adding to the map and the children as folium does them; the same
        script text in the figure.
        """
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)  # type: ignore[assignment]
        if (self.style or self.highlight) and self.data["features"]:
            mapper = folium.features.GeoJsonStyleMapper(self.data, self.feature_identifier, self)
            if self.style:
                self.style_map = mapper.get_style_map(self.style_function)
            if self.highlight:
                self.highlight_map = mapper.get_highlight_map(self.highlight_function)
        if self.show:
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(),
                    element_parent_name=self._parent.get_name(),  # type: ignore[union-attr]
                ),
                name=self.get_name() + "_add",
            )
        script = self._template.module.script(self, kwargs)
        figure = self.get_root()
        figure.script.add_child(ScriptText(script), name=self.get_name())  # type: ignore[attr-defined]
        for child in self._children.values():
            child.render(**kwargs)


class CanvasAreas(ScriptAsText):
    """Areas on Leaflet's canvas renderer, from shapes sent once and a few values per area.

    Parameters
    ----------
    areas
        Areas in EPSG:28992 with ``code``.
    colours
        Fill colour per area (aligned with ``areas``).
    tips
        Escaped tooltip HTML per area (:func:`~geo.present.maps.js_text`); the lines every
        tip ends with are sent once.
    name
        Layer name (already escaped).
    fill, highlight
        Leaflet path style of every area (without ``fillColor``) and under the mouse.
    minimum_m
        The city simplification tolerance (:func:`~geo.present.payload.display_tolerance`).

    ``data`` holds the features' properties (``code``, ``kleur``, ``tip``) without geometry:
    the shapes are in the script as :func:`shapes_json` made them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            renderer: L.canvas({padding: 0.5}),
            style: function(feature) {
                return Object.assign({fillColor: feature.properties.kleur}, {{ this.fill_js }});
            },
            onEachFeature: function(feature, layer) {
                layer.bindTooltip(feature.properties.tip + {{ this.shared_js }}, {sticky: true});
                layer.on({
                    mouseover: function(e) { e.target.setStyle({{ this.highlight_js }}); },
                    mouseout: function(e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
            }
        });
        (function() {
            var shapes = {{ this.shapes_js }};
            var areas = {{ this.values_js }};
            var features = new Array(shapes.length);
            for (var i = 0; i < shapes.length; i++) {
                features[i] = {type: "Feature", geometry: shapes[i], properties: {
                    code: areas.code[i], kleur: areas.palette[areas.kleur[i]], tip: areas.tip[i]
                }};
            }
            {{ this.get_name() }}.addData({type: "FeatureCollection", features: features});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        areas: gpd.GeoDataFrame,
        *,
        colours: Sequence[str],
        tips: Sequence[str],
        name: str,
        fill: Mapping[str, object],
        highlight: Mapping[str, object],
        minimum_m: float,
    ) -> None:
        codes = [str(c) for c in areas["code"]]
        head, shared = split_shared_lines(list(tips))
        palette, index = np.unique(np.asarray(list(colours), dtype=object), return_inverse=True)
        super().__init__(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": None, "properties": props}
                    for props in (
                        {"code": c, "kleur": k, "tip": t}
                        for c, k, t in zip(codes, colours, head, strict=True)
                    )
                ],
            },
            name=name,
        )
        self._name = "CanvasAreas"
        self.shapes_js = shapes_json(areas.geometry, minimum_m)
        self.values_js = script_json(
            {"code": codes, "palette": palette.tolist(), "kleur": index.tolist(), "tip": head}
        )
        self.shared_js = script_json(shared)
        self.fill_js = script_json(dict(fill))
        self.highlight_js = script_json(dict(highlight))
        minx, miny, maxx, maxy = display_bounds(areas)
        self._bounds = [[miny, minx], [maxy, maxx]] if np.isfinite(miny) else [[None, None]] * 2

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._bounds  # type: ignore[return-value]


def prepare_drawing(areas: gpd.GeoDataFrame) -> None:
    """Work out once what drawing these areas costs whatever is shown on them.

    The bounds a map is fitted to, the outline of the offline background and, for a large
    layer, the shapes of :class:`CanvasAreas`: all remembered per set of shapes, so a server
    that prepares its data folder's levels as it starts draws the first map as fast as the
    next (``app_pages._common.warm_caches``).
    """
    display_bounds(areas)
    fallback_outline(areas.geometry)
    if len(areas) >= CANVAS_FROM:
        shapes_json(areas.geometry, SIMPLIFY_M)
