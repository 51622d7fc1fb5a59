"""Folium maps for the dashboard and exports (no Streamlit here), one module per job.

* :mod:`~geo.present.maps.areas`: choropleth with class breaks, outlines, the bivariate map;
* :mod:`~geo.present.maps.points`: the aanbod and other point layers;
* :mod:`~geo.present.maps.canvas`: a large area layer (the country's buurten) on a canvas;
* :mod:`~geo.present.maps.legends`: legends as HTML;
* :mod:`~geo.present.maps.clicks`: which area was clicked;
* :mod:`~geo.present.maps.kaart`: the Kaart page's map assembled from its choices;
* :mod:`~geo.present.maps._base`: what they share (assets, colours, safe text, base map).

Every public name is importable from ``geo.present.maps``.

* **Offline**: Leaflet, Leaflet.markercluster and jQuery are served by the app itself
  (``static/map/``, URL ``/app/static/map/...``) instead of a CDN, and no branca colour map
  (which pulls d3 from a CDN) is used: legends are returned as data (:class:`Legend`) and
  drawn by the caller. The background (PDOK BRT-Achtergrondkaart by default, OSM and the
  luchtfoto as alternatives) and its offline fallback come from :mod:`geo.present.basemap`.
* **Small**: geometry is simplified in RD (topology-preserving) and coordinates are rounded:
  a few metres and 6 decimals (about 10 cm) for a city, more for the whole country, and a
  large layer sends its shared tooltip lines once (:mod:`geo.present.payload`).
* **Deterministic**: the same inputs give byte-identical map scripts (no random class breaks,
  no random ids), so ``st_folium`` keeps its state and does not reload the map on a rerun.
* **Safe**: every text from a file or a user passes :func:`js_text` before it reaches a
  tooltip, popup or layer name: HTML-escaped, and neutral inside the JavaScript template
  literals folium puts popups and tooltips in (backtick, ``${`` and backslash).
"""

from __future__ import annotations

from geo.present.basemap import OSM_ATTRIBUTION
from geo.present.maps._base import (
    BIVARIATE,
    CLUSTER_CSS,
    LEGEND_BORDER,
    MAP_CSS,
    MAP_JS,
    MISSING,
    NETHERLANDS,
    PALETTE,
    SIMPLIFY_M,
    SOORT_COLOURS,
    STATIC,
    Legend,
    base_map,
    fit,
    for_display,
    js_text,
    offline,
    render_html,
)
from geo.present.maps.areas import (
    EXACT_BREAKS_MAX,
    area_layer,
    area_values,
    bivariate,
    choropleth,
    classify,
    outline_layer,
)
from geo.present.maps.canvas import CANVAS_FROM, CanvasAreas, prepare_drawing
from geo.present.maps.clicks import CODE_PATTERN, clicked_area
from geo.present.maps.kaart import KAARTLAGEN, KaartBeeld, KaartKeuze, kaart_map
from geo.present.maps.legends import (
    bivariate_legend_html,
    legend_html,
    soort_legend,
    with_offer_notes,
)
from geo.present.maps.points import BIND_POINT_TEXTS, aanbod_layers, filter_activities, points_layer

__all__ = [
    "BIND_POINT_TEXTS",
    "BIVARIATE",
    "CANVAS_FROM",
    "CLUSTER_CSS",
    "CODE_PATTERN",
    "CanvasAreas",
    "EXACT_BREAKS_MAX",
    "KAARTLAGEN",
    "KaartBeeld",
    "KaartKeuze",
    "LEGEND_BORDER",
    "Legend",
    "MAP_CSS",
    "MAP_JS",
    "MISSING",
    "NETHERLANDS",
    "OSM_ATTRIBUTION",
    "PALETTE",
    "SIMPLIFY_M",
    "SOORT_COLOURS",
    "STATIC",
    "aanbod_layers",
    "area_layer",
    "area_values",
    "base_map",
    "bivariate",
    "bivariate_legend_html",
    "choropleth",
    "classify",
    "clicked_area",
    "filter_activities",
    "fit",
    "for_display",
    "js_text",
    "kaart_map",
    "legend_html",
    "offline",
    "outline_layer",
    "points_layer",
    "prepare_drawing",
    "render_html",
    "soort_legend",
    "with_offer_notes",
]
