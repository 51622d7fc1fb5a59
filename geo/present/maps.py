"""Folium maps for the dashboard and exports (no Streamlit here).

Maps work offline: Leaflet and MarkerCluster are served by the app itself (``static/``, URL
``/app/static/...``) instead of a CDN, and no branca colour map (which pulls d3 from a CDN)
is used — legends are returned as data and drawn by the caller. Geometry is simplified in RD
(a few metres, topology-preserving) and coordinates are rounded to 6 decimals to keep the
payload small. Every text from a file or a user is HTML-escaped before it reaches a tooltip
or popup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
from folium.plugins import MarkerCluster

from geo.io.crs import WGS84
from geo.present.format import fmt_num
from geo.present.safe_text import html_text

STATIC = "/app/static"
LEAFLET_JS = [("leaflet", f"{STATIC}/map/map-bundle.js")]
"""jQuery 3.7.1 (folium popups), Leaflet 1.9.4 and Leaflet.markercluster 1.5.3 in one file.

One file, so a plugin never runs before Leaflet (the map component loads scripts in parallel).
"""
LEAFLET_CSS = [("leaflet_css", f"{STATIC}/map/leaflet.css")]
CLUSTER_JS: list[tuple[str, str]] = []
CLUSTER_CSS = [
    ("markercluster_css", f"{STATIC}/map/MarkerCluster.css"),
    ("markercluster_default_css", f"{STATIC}/map/MarkerCluster.Default.css"),
]
PALETTE = ["#fff5d6", "#fdcf8b", "#f9955a", "#e0523a", "#a51c30"]
"""Sequential classes, light to dark (colour-blind safe orange-red)."""
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
BIVARIATE = [  # rows: need low..high; columns: offer low..high
    ["#e8e8e8", "#b5c0da", "#6c83b5"],
    ["#dfb0d6", "#a5add3", "#5a7fb0"],
    ["#be64ac", "#8c62aa", "#3b4994"],
]
SIMPLIFY_M = 3.0


@dataclass
class Legend:
    """A legend drawn next to the map: title and (colour, label) entries, plus notes."""

    title: str
    entries: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)


def offline(m: folium.Map) -> folium.Map:
    """Point the map's JavaScript and CSS at the files the app serves itself."""
    m.default_js = LEAFLET_JS
    m.default_css = LEAFLET_CSS
    return m


def for_display(frame: gpd.GeoDataFrame, *, simplify_m: float = SIMPLIFY_M) -> gpd.GeoDataFrame:
    """Simplify in RD (topology-preserving) and convert to WGS84 with 6-decimal coordinates."""
    out = frame.copy()
    if simplify_m > 0:
        out["geometry"] = out.geometry.simplify(simplify_m, preserve_topology=True)
    out = out.to_crs(WGS84)
    out["geometry"] = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, 6))
    return out


def base_map(frame: gpd.GeoDataFrame, *, tiles: bool = True) -> folium.Map:
    """An offline-ready map fitted to a frame (EPSG:28992)."""
    minx, miny, maxx, maxy = frame.to_crs(WGS84).total_bounds
    m = offline(
        folium.Map(
            location=[(miny + maxy) / 2, (minx + maxx) / 2],
            zoom_start=12,
            tiles=None,
            control_scale=True,
        )
    )
    if tiles:
        folium.TileLayer(
            "OpenStreetMap",
            name="Achtergrond (OpenStreetMap)",
            attr="&copy; OpenStreetMap-bijdragers",
            control=False,
        ).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def classify(values: pd.Series, *, k: int = 5) -> tuple[np.ndarray, list[float]]:
    """Class index per value (−1 for missing) and the class upper bounds.

    Natural breaks (mapclassify); quantiles when there are few distinct values.
    """
    present = values.dropna().to_numpy(dtype=float)
    classes = np.full(len(values), -1)
    if len(present) == 0:
        return classes, []
    k = max(1, min(k, len(np.unique(present))))
    if k < 3:
        bins = sorted(set(np.quantile(present, np.linspace(0, 1, k + 1)[1:]).tolist()))
    else:
        bins = mapclassify.NaturalBreaks(present, k=k).bins.tolist()
    mask = values.notna().to_numpy()
    classes[mask] = np.searchsorted(bins, values.to_numpy(dtype=float)[mask], side="left")
    classes = np.clip(classes, -1, len(bins) - 1)
    return classes, bins


def choropleth(
    areas: gpd.GeoDataFrame,
    *,
    value: str,
    title: str,
    label: str,
    unit: str = "%",
    notes: pd.Series | None = None,
    source: str = "",
    k: int = 5,
    decimals: int = 1,
) -> tuple[folium.GeoJson, Legend]:
    """A classed choropleth layer and its legend.

    Parameters
    ----------
    areas
        Areas (EPSG:28992) with ``code``, ``naam`` and the ``value`` column.
    value
        Column to map (NaN = not published/missing, drawn grey).
    title, label
        Layer name and the value's label in the tooltip.
    unit
        Unit shown after values.
    notes
        Per-area remark (e.g. *niet gepubliceerd*, *cijfer van de wijk*), aligned with areas.
    source
        Source, year and boundary vintage, shown in every tooltip.

    Returns
    -------
    layer, legend
    """
    shown = for_display(areas[["code", "naam", value, "geometry"]].copy())
    classes, bins = classify(shown[value], k=k)
    palette = PALETTE if len(bins) == len(PALETTE) else _spread(len(bins))
    shown["kleur"] = [palette[c] if c >= 0 else MISSING for c in classes]
    shown["naam"] = shown["naam"].map(html_text)
    shown["cijfer"] = [
        f"{fmt_num(v, decimals)} {unit}".strip() if pd.notna(v) else "geen cijfer"
        for v in shown[value]
    ]
    remarks = (
        notes.reindex(areas.index).fillna("")
        if notes is not None
        else pd.Series("", index=areas.index)
    )
    shown["toelichting"] = [html_text(r) for r in remarks.to_numpy()]
    shown["bron"] = html_text(source)
    shown = shown.drop(columns=[value])
    layer = folium.GeoJson(
        json.loads(shown.to_json(drop_id=True)),
        name=html_text(title),
        style_function=lambda f: {
            "fillColor": f["properties"]["kleur"],
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["naam", "code", "cijfer", "toelichting", "bron"],
            aliases=["Gebied", "Code", html_text(label), "Let op", "Bron"],
            sticky=True,
        ),
    )
    entries, lower = [], None
    for colour, upper in zip(palette, bins, strict=False):
        if lower is None:
            text = f"t/m {fmt_num(upper, decimals)} {unit}"
        else:
            text = f"{fmt_num(lower, decimals)} – {fmt_num(upper, decimals)} {unit}"
        entries.append((colour, text.strip()))
        lower = upper
    if (classes < 0).any():
        entries.append((MISSING, "geen cijfer (niet gepubliceerd)"))
    return layer, Legend(title=title, entries=entries, notes=[source] if source else [])


def _spread(n: int) -> list[str]:
    if n <= 1:
        return [PALETTE[-2]]
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return [PALETTE[i] for i in idx]


def outline_layer(
    areas: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str = "#000000",
    weight: float = 3.0,
    dash: str | None = None,
) -> folium.GeoJson:
    """Outlines (focus areas, Buurtmobiel service areas) with their name as tooltip."""
    shown = for_display(areas[["naam", "geometry"]].copy(), simplify_m=5)
    shown["naam"] = shown["naam"].map(html_text)
    return folium.GeoJson(
        json.loads(shown.to_json(drop_id=True)),
        name=html_text(name),
        style_function=lambda f: {
            "fill": False,
            "color": colour,
            "weight": weight,
            "dashArray": dash,
        },
        tooltip=folium.GeoJsonTooltip(fields=["naam"], aliases=[html_text(name)]),
    )


def points_layer(
    points: gpd.GeoDataFrame,
    *,
    name: str,
    colour_by: str | None = None,
    colour: str = "#1f77b4",
    fields: tuple[str, ...] | Mapping[str, str] = ("naam",),
    cluster: bool = False,
    radius: float = 6,
    show: bool = True,
) -> folium.FeatureGroup:
    """Points as one GeoJSON layer of circle markers, fast to render.

    Popups and tooltips are escaped; clustered on request (for many activities).
    """
    group = folium.FeatureGroup(name=html_text(name), show=show)
    target: folium.FeatureGroup | MarkerCluster = group
    if cluster:
        target = MarkerCluster(name=html_text(name), disableClusteringAtZoom=16)
        target.default_js = CLUSTER_JS
        target.default_css = CLUSTER_CSS
        target.add_to(group)
    aliases = dict(fields) if isinstance(fields, Mapping) else {f: f for f in fields}
    fields = tuple(aliases)
    located = points[points.geometry.notna() & ~points.geometry.is_empty]
    located = located[located.geometry.geom_type == "Point"]
    if located.empty:
        return group
    shown = located.to_crs(WGS84)
    data = gpd.GeoDataFrame(
        {f: [html_text(v) for v in shown[f]] if f in shown.columns else "" for f in fields},
        geometry=shapely.transform(shown.geometry.to_numpy(), lambda xy: np.round(xy, 6)),
        crs=WGS84,
    )
    data["_kleur"] = (
        [SOORT_COLOURS.get(str(v), colour) for v in shown[colour_by]] if colour_by else colour
    )
    folium.GeoJson(
        json.loads(data.to_json(drop_id=True)),
        name=html_text(name),
        marker=folium.CircleMarker(radius=radius, fill=True, fill_opacity=0.85, weight=1),
        style_function=lambda f: {
            "color": f["properties"]["_kleur"],
            "fillColor": f["properties"]["_kleur"],
        },
        tooltip=folium.GeoJsonTooltip(fields=[fields[0]], labels=False),
        popup=folium.GeoJsonPopup(fields=list(fields), aliases=[html_text(f) for f in fields]),
    ).add_to(target)
    return group


def bivariate(
    areas: gpd.GeoDataFrame, *, need: str, offer: str, title: str
) -> tuple[folium.GeoJson, Legend]:
    """Need × offer in a 3 × 3 bivariate choropleth (tertiles of each)."""
    shown = for_display(areas[["code", "naam", need, offer, "geometry"]].copy())
    need_class = _tertile(shown[need])
    offer_class = _tertile(shown[offer])
    shown["kleur"] = [
        BIVARIATE[n][o] if n >= 0 and o >= 0 else MISSING
        for n, o in zip(need_class, offer_class, strict=True)
    ]
    shown["naam"] = shown["naam"].map(html_text)
    shown["nood"] = [fmt_num(v, 0) for v in shown[need]]
    shown["aanbod"] = [fmt_num(v, 0) for v in shown[offer]]
    shown = shown.drop(columns=[need, offer])
    layer = folium.GeoJson(
        json.loads(shown.to_json(drop_id=True)),
        name=html_text(title),
        style_function=lambda f: {
            "fillColor": f["properties"]["kleur"],
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["naam", "nood", "aanbod"], aliases=["Gebied", "Eenzamen", "Aanbod per 1.000"]
        ),
    )
    names = ["laag", "midden", "hoog"]
    entries = [
        (BIVARIATE[n][o], f"eenzamen {names[n]}, aanbod {names[o]}")
        for n in (2, 1, 0)
        for o in (0, 1, 2)
    ]
    return layer, Legend(title=title, entries=entries)


def _tertile(values: pd.Series) -> np.ndarray:
    out = np.full(len(values), -1)
    present = values.dropna().to_numpy(dtype=float)
    if len(present) == 0:
        return out
    cuts = np.quantile(present, [1 / 3, 2 / 3])
    mask = values.notna().to_numpy()
    out[mask] = np.searchsorted(cuts, values.to_numpy(dtype=float)[mask], side="right")
    return np.clip(out, 0, 2)


def legend_html(legend: Legend) -> str:
    """The legend as small, escaped HTML (for a report or the standalone map)."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'border:1px solid #888;margin-right:6px"></span>{html_text(t)}</div>'
        for c, t in legend.entries
    )
    notes = "".join(
        f"<div style='font-size:11px;color:#555'>{html_text(n)}</div>" for n in legend.notes
    )
    return f"<div><b>{html_text(legend.title)}</b>{rows}{notes}</div>"


def aanbod_layers(activities: gpd.GeoDataFrame) -> list[folium.FeatureGroup]:
    """The activities as one clustered layer, coloured per soort (for maps and exports)."""
    fields = {"naam": "Naam", "soort": "Soort", "doelgroepen": "Voor",
              "organisatie": "Organisatie", "dagdelen": "Wanneer"}
    present = {k: v for k, v in fields.items() if k in activities.columns}
    return [points_layer(activities, name=f"Aanbod ({len(activities)})", colour_by="soort",
                         cluster=True, fields=present)]


def soort_legend(soorten: Iterable[str]) -> Legend:
    """Legend of the soort colours used for activities."""
    from geo.aanbod.schema import SOORTEN

    return Legend(title="Aanbod per soort", entries=[
        (SOORT_COLOURS.get(s, "#1f77b4"), SOORTEN.get(s, s).split(" (")[0]) for s in soorten])


def render_html(m: folium.Map) -> str:
    """The complete HTML page of a map."""
    return m.get_root().render()
