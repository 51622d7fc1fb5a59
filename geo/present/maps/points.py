"""Point layers: aanbod per soort (clustered), OV-haltes and other points, with safe popups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import folium
import geopandas as gpd
import pandas as pd
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from geo.aanbod.schema import SOORTEN, split_keys
from geo.present.contrast import contrast_ratio
from geo.present.maps._base import (
    CLUSTER_CSS,
    SOORT_COLOURS,
    _features,
    _present,
    _shown_value,
    for_display,
    js_text,
)


def points_layer(
    points: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str = "#1f77b4",
    fields: Mapping[str, str] | Sequence[str] = ("naam",),
    cluster: bool = False,
    radius: float = 6,
    show: bool = True,
) -> folium.FeatureGroup:
    """Circle markers with an escaped popup and tooltip; clustered on request.

    Parameters
    ----------
    points
        Points in EPSG:28992 (rows without a location are skipped).
    name
        Layer name in the layer control.
    colour
        Marker (and cluster) colour.
    fields
        Columns shown in the popup, ``{column: Dutch label}`` (the first is the tooltip).
        Soort and doelgroep keys are shown by their Dutch labels.
    cluster
        Group nearby markers (Leaflet.markercluster), in the layer's colour.
    radius
        Marker radius in pixels.
    show
        Whether the layer is on when the map opens.
    """
    labels = dict(fields) if isinstance(fields, Mapping) else {f: f for f in fields}
    group = folium.FeatureGroup(name=js_text(name), show=show)
    target: folium.FeatureGroup | MarkerCluster = group
    if cluster:
        target = MarkerCluster(
            name=js_text(name),
            control=False,
            options={"disableClusteringAtZoom": 16, "showCoverageOnHover": False},
            icon_create_function=_cluster_icon(colour),
        )
        target.default_js = []
        target.default_css = list(CLUSTER_CSS)
        target.add_to(group)
    located = points[points.geometry.notna() & ~points.geometry.is_empty]
    if located.empty:
        return group
    # one GeoJSON layer for all markers: thousands of separate folium markers would each
    # compile their own templates (seconds per rerun) and bloat the payload
    shown = for_display(located[["geometry"]], simplify_m=0)
    records = located.drop(columns="geometry").to_dict(orient="records")
    first = next(iter(labels))
    shown["tip"] = [js_text(_shown_value(first, row.get(first))) for row in records]
    shown["popup"] = [
        "<br>".join(
            f"<b>{js_text(label)}</b>: {js_text(_shown_value(column, row.get(column)))}"
            for column, label in labels.items()
            if _present(row.get(column))
        )
        for row in records
    ]
    style: dict[str, object] = {
        "color": colour,
        "fillColor": colour,
        "fillOpacity": 0.85,
        "weight": 1,
    }
    folium.GeoJson(
        _features(shown[["tip", "popup", "geometry"]]),
        name=js_text(name),
        marker=folium.CircleMarker(
            radius=radius, fill=True, color=colour, fill_color=colour, fill_opacity=0.85, weight=1
        ),
        style_function=lambda _feature: style,
        on_each_feature=BIND_POINT_TEXTS,
    ).add_to(target)
    return group


BIND_POINT_TEXTS = JsCode(
    """function (feature, layer) {
    // bound on each marker, not on the GeoJSON layer: a marker cluster takes the markers out
    // of that layer, which is then never on the map and could not open its popup or tooltip.
    // Both texts are escaped in Python (js_text), so they are inert HTML.
    layer.bindTooltip(feature.properties.tip, {sticky: false});
    layer.bindPopup(feature.properties.popup, {maxWidth: 320});
}"""
)
"""Leaflet onEachFeature of :func:`points_layer`: the escaped tooltip and popup per marker."""


def aanbod_layers(
    activities: gpd.GeoDataFrame,
    *,
    soorten: Iterable[str] | None = None,
    doelgroepen: Iterable[str] | None = None,
) -> list[folium.FeatureGroup]:
    """Activities as one clustered layer per soort, coloured per soort, filtered.

    Parameters
    ----------
    activities
        The ``activiteiten`` layer (EPSG:28992).
    soorten
        Soort keys to show (default all).
    doelgroepen
        Doelgroep keys to show (default all); an activity for ``iedereen`` always shows.

    Returns
    -------
    list of folium.FeatureGroup
        One layer per soort that has activities left after filtering.
    """
    keep = filter_activities(activities, soorten=soorten, doelgroepen=doelgroepen)
    fields = {
        "naam": "Naam",
        "soort": "Soort",
        "doelgroepen": "Voor",
        "organisatie": "Organisatie",
        "dagdelen": "Wanneer",
        "frequentie": "Hoe vaak",
        "talen": "Talen",
        "adres": "Adres",
        "bron": "Bron",
    }
    layers = []
    for soort, label in SOORTEN.items():
        part = keep[keep["soort"].astype(str) == soort]
        if len(part):
            layers.append(
                points_layer(
                    part,
                    name=f"Aanbod: {label.split(' (')[0]} ({len(part)})",
                    colour=SOORT_COLOURS[soort],
                    fields=fields,
                    cluster=True,
                )
            )
    return layers


def filter_activities(
    activities: gpd.GeoDataFrame,
    *,
    soorten: Iterable[str] | None = None,
    doelgroepen: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Activities of the given soorten that serve one of the doelgroepen (or ``iedereen``).

    Examples
    --------
    >>> filter_activities(acts, soorten=["bewegen"], doelgroepen=["jongvolwassenen"])
    ... # doctest: +SKIP
    """
    keep = pd.Series(True, index=activities.index)
    if soorten is not None:
        keep &= activities["soort"].astype(str).isin(set(soorten))
    if doelgroepen is not None:
        wanted = set(doelgroepen) | {"iedereen"}
        keep &= activities["doelgroepen"].map(
            lambda v: not split_keys(v) or bool(set(split_keys(v)) & wanted)
        )
    return activities[keep]


def _cluster_icon(colour: str) -> str:
    """JavaScript for a cluster bubble in the layer's colour (colour is ours, not user text)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"kleur moet #rrggbb zijn, niet {colour!r}")
    text = "#fff" if contrast_ratio("#ffffff", colour) >= 4.5 else "#000"  # WCAG AA count
    return (
        "function(cluster) {"
        " var n = cluster.getChildCount();"
        " var size = n < 10 ? 30 : n < 100 ? 36 : 42;"
        " return L.divIcon({html: '<div style=\"background:" + colour + ";color:" + text + ";"
        "border:2px solid #fff;border-radius:50%;width:' + size + 'px;height:' + size + 'px;"
        "line-height:' + (size - 4) + 'px;text-align:center;font-weight:bold;"
        "box-shadow:0 0 3px rgba(0,0,0,.5)\">' + n + '</div>',"
        " className: 'wijkkompas-cluster', iconSize: L.point(size, size)});"
        "}"
    )
