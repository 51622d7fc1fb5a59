"""Folium maps for the dashboard and exports (no Streamlit here).

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

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import MarkerCluster
from folium.utilities import JsCode

from geo.aanbod.schema import DOELGROEPEN, SOORTEN, split_keys
from geo.io.crs import to_display
from geo.model.figures import NOT_PUBLISHED, PUBLISHED
from geo.present._breaks import fisher_jenks_bins, quantile_bins
from geo.present.basemap import OSM_ATTRIBUTION as OSM_ATTRIBUTION  # public name, kept
from geo.present.basemap import BasemapSettings, add_basemap
from geo.present.contrast import contrast_ratio
from geo.present.format import fmt_num
from geo.present.payload import slim_for_display, tooltip_options
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
EXACT_BREAKS_MAX = 300
"""Up to this many values the class breaks are Fisher-Jenks (exact); above, quantiles."""
CODE_PATTERN = re.compile(r"\b(?:BU|WK|GM)\d{4,8}\b")


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
    minx, miny, maxx, maxy = to_display(frame[["geometry"]]).total_bounds
    shaped = bool(np.isfinite([minx, miny, maxx, maxy]).all())
    m = offline(
        folium.Map(
            location=[round(float(miny + maxy) / 2, 6), round(float(minx + maxx) / 2, 6)]
            if shaped
            else NETHERLANDS,  # no area has a shape (figures without boundaries)
            zoom_start=12 if shaped else 7,
            tiles=None,
            control_scale=True,
            zoom_snap=0.25,  # fit the area snugly, not at the next lower whole zoom level
        )
    )
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
        gpd.GeoDataFrame(geometry=[frame], crs="EPSG:28992")
        if isinstance(frame, shapely.Geometry)
        else frame[["geometry"]]
    )
    minx, miny, maxx, maxy = (round(float(v), 6) for v in to_display(shapes).total_bounds)
    if np.isfinite([minx, miny, maxx, maxy]).all():
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def area_values(
    areas: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    *,
    indicator: str,
    group: str,
    year: int | None,
    decimals: int = 1,
) -> gpd.GeoDataFrame:
    """One figure per area, with its status and a Dutch note for the tooltip.

    Parameters
    ----------
    areas
        Areas of one level (``Dataset.level``), EPSG:28992.
    figures
        The dataset's tidy figures (``Dataset.figures``).
    indicator, group, year
        Which figure (RIVM stem, age group ``18+``/``65+``/``18-65``, edition).
    decimals
        Decimals of the wijk value quoted in a suppressed buurt's note.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code``, ``naam``, ``niveau``, ``wijk_code``, ``indeling``, ``value`` (NaN when not
        published or absent), ``lower``/``upper`` (the 95 % interval, NaN when the edition has
        none), ``interval`` (its Dutch text for the tooltip, or ""), ``status``
        (``gepubliceerd``, ``niet gepubliceerd``, ``geen
        cijfer``), ``note`` (why a value is missing, with the wijk's figure as a fallback for
        a suppressed buurt), ``source``, ``vintage``, geometry; aligned with ``areas``.

    Examples
    --------
    >>> frame = area_values(dataset.level("buurt"), dataset.figures,
    ...                     indicator="Eenzaam", group="65+", year=2020)  # doctest: +SKIP
    >>> frame.loc[frame["status"] == "niet gepubliceerd", "note"].iloc[0]  # doctest: +SKIP
    'niet gepubliceerd (te weinig respondenten); wijkcijfer 55,1 %'
    """
    part = figures[
        (figures["indicator"] == indicator)
        & (figures["group"] == group)
        & (figures["year"] == year)
    ]
    part = part.assign(code=part["code"].astype(str)).drop_duplicates("code").set_index("code")
    columns = ["code", "naam", "niveau", "wijk_code", "indeling", "geometry"]
    out = areas[[c for c in columns if c in areas.columns]].copy()
    codes = out["code"].astype(str)
    out["value"] = codes.map(part["value"]).astype(float)
    for bound in ("lower", "upper"):
        column = part[bound] if bound in part else pd.Series(np.nan, index=part.index)
        out[bound] = codes.map(column).astype(float)
    unit_text = str(part["unit"].iloc[0]) if len(part) and "unit" in part else ""
    out["interval"] = [
        f"{fmt_num(lo, decimals)} – {fmt_num(hi, decimals)} {unit_text}".strip()
        if pd.notna(lo) and pd.notna(hi) and pd.notna(v)
        else ""
        for lo, hi, v in zip(out["lower"], out["upper"], out["value"], strict=True)
    ]
    status = codes.map(part["status"].astype(str))
    out["status"] = status.fillna("geen cijfer")
    out["source"] = codes.map(part["source"].astype(str)).fillna("")
    out["vintage"] = codes.map(part["vintage"].astype(str)).fillna("")
    notes = pd.Series("", index=out.index, dtype=object)
    notes[out["status"] == NOT_PUBLISHED] = "niet gepubliceerd (te weinig respondenten)"
    notes[out["status"] == "geen cijfer"] = "geen cijfer in deze editie"
    if "wijk_code" in out.columns:
        wijk_values = out["wijk_code"].astype(str).map(part["value"])
        fallback = (out["status"] != PUBLISHED) & wijk_values.notna()
        unit = str(part["unit"].iloc[0]) if len(part) and "unit" in part else ""
        notes[fallback] = [
            f"{note}; wijkcijfer {fmt_num(v, decimals)} {unit}".strip()
            for note, v in zip(notes[fallback], wijk_values[fallback], strict=True)
        ]
    out["note"] = notes
    return out


def classify(values: pd.Series, *, k: int = 5) -> tuple[np.ndarray, list[float]]:
    """Class index per value (−1 for missing) and the class upper bounds.

    Fisher-Jenks natural breaks (as mapclassify computes them, exact and deterministic) up to
    :data:`EXACT_BREAKS_MAX` values, quantiles above that; fewer classes when there are
    fewer distinct values.

    Examples
    --------
    >>> classes, bins = classify(pd.Series([1.0, 2.0, None, 9.0, 10.0]), k=2)
    >>> classes.tolist(), bins
    ([0, 0, -1, 1, 1], [2.0, 10.0])
    """
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    mask = np.isfinite(numbers)
    present = numbers[mask]
    classes = np.full(len(numbers), -1)
    if len(present) == 0:
        return classes, []
    k = max(1, min(k, len(np.unique(present))))
    if k == 1:
        bins = [float(present.max())]
    elif len(present) <= EXACT_BREAKS_MAX:
        bins = fisher_jenks_bins(present, k)
    else:
        bins = quantile_bins(present, k)
    classes[mask] = np.searchsorted(bins, present, side="left")
    return np.clip(classes, -1, len(bins) - 1), [float(b) for b in bins]


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
    name: str | None = None,
) -> tuple[folium.GeoJson, Legend]:
    """A classed choropleth layer and its legend.

    Parameters
    ----------
    areas
        Areas (EPSG:28992) with ``code``, ``naam`` and the ``value`` column; an ``indeling``
        column (boundary vintage) is quoted in the tooltip.
    value
        Column to map (NaN = not published/missing, drawn grey).
    title
        Legend title.
    label
        The value's label in the tooltip.
    unit
        Unit shown after values.
    notes
        Per-area remark (e.g. *niet gepubliceerd*, the wijk's figure), aligned with areas.
    source
        Source and year, shown in every tooltip.
    k
        Number of classes.
    decimals
        Decimals shown.
    name
        Layer name in the layer control (default: the title).

    Returns
    -------
    layer, legend
        The GeoJson layer (each feature carries ``code`` for click handling and one
        escaped ``tip`` for its tooltip) and the legend.

    Examples
    --------
    >>> frame = area_values(areas, figures, indicator="Eenzaam", group="18+", year=2020)
    ... # doctest: +SKIP
    >>> layer, legend = choropleth(frame, value="value", title="Eenzaam 18+ 2020",
    ...                            label="Eenzaam", notes=frame["note"])  # doctest: +SKIP
    """
    shown = slim_for_display(areas[["code", "naam", "geometry"]], minimum_m=SIMPLIFY_M)
    values = pd.to_numeric(areas[value], errors="coerce")
    classes, bins = classify(values, k=k)
    palette = PALETTE if len(bins) == len(PALETTE) else _spread(len(bins))
    remarks = (
        notes.reindex(areas.index).fillna("").astype(str)
        if notes is not None
        else pd.Series("", index=areas.index)
    )
    vintages = (
        areas["indeling"].astype(str) if "indeling" in areas else pd.Series("", index=areas.index)
    )
    intervals = (
        areas["interval"].fillna("").astype(str)
        if "interval" in areas
        else pd.Series("", index=areas.index)
    )
    tips, tooltip = tooltip_options(  # a large layer sends its shared lines once
        [
            _tip(n, c, label, v, unit, decimals, r, source, g, i)
            for n, c, v, r, g, i in zip(
                areas["naam"], areas["code"], values, remarks, vintages, intervals, strict=True
            )
        ]
    )
    shown = shown[["code", "geometry"]].assign(
        kleur=[palette[c] if c >= 0 else MISSING for c in classes], tip=tips
    )
    layer = folium.GeoJson(
        _features(shown),
        name=js_text(name or title),
        style_function=_fill_style,
        highlight_function=_highlight,
        **tooltip,  # type: ignore[arg-type]
    )
    entries: list[tuple[str, str]] = []
    lower: float | None = None
    for colour, upper in zip(palette, bins, strict=False):
        text = (
            f"t/m {fmt_num(upper, decimals)}"
            if lower is None
            else f"{fmt_num(lower, decimals)} – {fmt_num(upper, decimals)}"
        )
        entries.append((colour, f"{text} {unit}".strip()))
        lower = upper
    if (classes < 0).any():
        entries.append((MISSING, "geen cijfer (niet gepubliceerd)"))
    return layer, Legend(title=title, entries=tuple(entries), notes=(source,) if source else ())


def outline_layer(
    areas: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str = "#000000",
    weight: float = 3.0,
    dash: str | None = None,
    fill_opacity: float = 0.0,
    key: str | None = None,
) -> folium.GeoJson:
    """Outlines (focus areas, Buurtmobiel service areas, hot spots) named in their tooltip.

    Parameters
    ----------
    areas
        Shapes with ``naam`` (EPSG:28992).
    name
        Layer name (layer control and tooltip heading).
    colour, weight, dash
        Line style.
    fill_opacity
        0 draws only the outline (clicks pass through to the areas underneath).
    key
        Column copied into the features' ``gebied`` property (for click handling).
    """
    columns = ["naam", "geometry"] + ([key] if key and key != "naam" else [])
    shown = for_display(areas[columns].copy(), simplify_m=5)
    shown["gebied"] = shown[key].astype(str) if key else ""
    shown["tip"] = [f"<b>{js_text(name)}</b><br>{js_text(n)}" for n in shown["naam"]]
    shown = shown[["gebied", "tip", "geometry"]]
    style = {
        "fill": fill_opacity > 0,
        "fillColor": colour,
        "fillOpacity": fill_opacity,
        "color": colour,
        "weight": weight,
        "dashArray": dash,
    }
    return folium.GeoJson(
        _features(shown),
        name=js_text(name),
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
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


def soort_legend(soorten: Iterable[str] | None = None) -> Legend:
    """Legend of the aanbod marker colours."""
    keys = list(SOORTEN) if soorten is None else [s for s in SOORTEN if s in set(soorten)]
    return Legend(
        title="Aanbod (soort)",
        entries=tuple((SOORT_COLOURS[s], SOORTEN[s].split(" (")[0]) for s in keys),
    )


def bivariate(
    areas: gpd.GeoDataFrame, *, need: str, offer: str, title: str, method: str | None = None
) -> tuple[folium.GeoJson, Legend]:
    """Need × offer as a 3 × 3 bivariate choropleth (tertiles of each).

    Parameters
    ----------
    areas
        Areas (EPSG:28992) with ``code``, ``naam`` and both columns.
    need
        Column with the need (lonely residents of the group).
    offer
        Column with the reachable offer (per 1,000 lonely residents).
    title
        Legend title and layer name.
    method
        How reach was measured (``GapResult.method["legend"]``: ``afstand: netwerk …;
        vraag: vierkanten …``), shown as a legend note.
    """
    shown = for_display(areas[["code", "naam", "geometry"]].copy())
    need_class = _tertile(areas[need])
    offer_class = _tertile(areas[offer])
    shown = shown[["code", "geometry"]].assign(
        kleur=[
            BIVARIATE[n][o] if n >= 0 and o >= 0 else MISSING
            for n, o in zip(need_class, offer_class, strict=True)
        ],
        tip=[
            f"<b>{js_text(n)}</b> ({js_text(c)})<br>Eenzamen: {fmt_num(v, 0)}<br>"
            f"Aanbod per 1.000 eenzamen: {fmt_num(o, 0)}"
            for n, c, v, o in zip(
                areas["naam"], areas["code"], areas[need], areas[offer], strict=True
            )
        ],
    )
    layer = folium.GeoJson(
        _features(shown),
        name=js_text(title),
        style_function=_fill_style,
        highlight_function=_highlight,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    )
    names = ("laag", "midden", "hoog")
    entries = tuple(
        (BIVARIATE[n][o], f"eenzamen {names[n]}, aanbod {names[o]}")
        for n in (2, 1, 0)
        for o in (0, 1, 2)
    )
    notes = ("tertielen van beide",) if method is None else ("tertielen van beide", method)
    return layer, Legend(title=title, entries=entries, notes=notes)


def legend_html(legend: Legend) -> str:
    """The legend as small, escaped HTML (next to the map, in a report)."""
    rows = "".join(
        f'<div style="margin:2px 0"><span style="display:inline-block;width:14px;'
        f"height:14px;background:{c};border:1px solid {LEGEND_BORDER};margin-right:6px;"
        f'vertical-align:-2px"></span>{html_text(t)}</div>'
        for c, t in legend.entries
    )
    notes = "".join(
        f'<div style="font-size:11px;color:#555;margin-top:4px">{html_text(n)}</div>'
        for n in legend.notes
    )
    return f'<div style="font-size:14px"><b>{html_text(legend.title)}</b>{rows}{notes}</div>'


def with_offer_notes(legend: Legend, offer: Mapping[str, object]) -> Legend:
    """The legend with the offer-completeness warnings (``GapResult.offer``) as notes.

    Examples
    --------
    >>> legend = Legend("Eenzamen × aanbod", ())
    >>> with_offer_notes(legend, {"offer_notes": ["Het aanbod bevat geen ..."]}).notes
    ('Let op: Het aanbod bevat geen ...',)
    """
    notes = [f"Let op: {n}" for n in offer.get("offer_notes") or []]  # type: ignore[attr-defined]
    return replace(legend, notes=(*legend.notes, *notes)) if notes else legend


def bivariate_legend_html(legend: Legend) -> str:
    """The 3 × 3 legend of :func:`bivariate` as a small grid (need up, offer across)."""
    colours = dict((label, colour) for colour, label in legend.entries)
    names = ("laag", "midden", "hoog")
    cells = "".join(
        "<tr>"
        + f'<td style="font-size:11px;padding-right:4px">{names[n]}</td>'
        + "".join(
            f'<td style="width:22px;height:22px;border:1px solid {LEGEND_BORDER};background:'
            f'{colours[f"eenzamen {names[n]}, aanbod {names[o]}"]}"'
            f' title="eenzamen {names[n]}, aanbod {names[o]}"></td>'
            for o in (0, 1, 2)
        )
        + "</tr>"
        for n in (2, 1, 0)
    )
    footer = (
        '<tr><td></td><td colspan="3" style="font-size:11px;text-align:center">'
        "laag → hoog</td></tr>"
    )
    return (
        f'<div style="font-size:14px"><b>{html_text(legend.title)}</b>'
        '<div style="font-size:11px;margin-top:4px">↑ eenzamen</div>'
        '<table role="img" aria-label="9 kleuren: eenzamen laag, midden of hoog (rijen) '
        'tegen bereikbaar aanbod laag, midden of hoog (kolommen); rood is veel eenzamen en '
        'weinig aanbod, blauw weinig eenzamen en veel aanbod" '
        f'style="border-collapse:separate;border-spacing:2px">{cells}{footer}</table>'
        '<div style="font-size:11px">→ bereikbaar aanbod</div>'
        + "".join(
            f'<div style="font-size:11px;color:#555;margin-top:4px">{html_text(n)}</div>'
            for n in legend.notes
        )
        + "</div>"
    )


def render_html(m: folium.Map) -> str:
    """The complete standalone HTML of a map (for exports, tests and payload sizes)."""
    return m.get_root().render()


def clicked_area(returned: Mapping[str, object] | None) -> str | None:
    """The area a user clicked, from what ``st_folium`` returned (None when nothing).

    Looks at the clicked feature's ``gebied`` (focus area) or ``code`` property, and
    otherwise for a CBS code in the clicked tooltip's text.

    Examples
    --------
    >>> clicked_area({"last_active_drawing": {"properties": {"code": "BU03440311"}}})
    'BU03440311'
    >>> clicked_area({"last_object_clicked_tooltip": "Taagdreef (BU03440311) Eenzaam 61 %"})
    'BU03440311'
    >>> clicked_area(None) is None
    True
    """
    if not returned:
        return None
    drawing = returned.get("last_active_drawing") or {}
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    if isinstance(properties, Mapping):
        for key in ("gebied", "code"):
            if properties.get(key):
                return str(properties[key])
    found = CODE_PATTERN.search(str(returned.get("last_object_clicked_tooltip") or ""))
    return found.group(0) if found else None


# -- helpers ---------------------------------------------------------------------------------
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


def _fill_style(feature: dict) -> dict[str, object]:
    return {
        "fillColor": feature["properties"]["kleur"],
        "color": "#555555",
        "weight": 0.6,
        "fillOpacity": 0.75,
    }


def _highlight(_feature: dict) -> dict[str, object]:
    return {"weight": 2.5, "color": "#000000"}


def _spread(n: int) -> tuple[str, ...]:
    if n <= 1:
        return (PALETTE[-2],)
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return tuple(PALETTE[i] for i in idx)


def _tertile(values: pd.Series) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    mask = np.isfinite(numbers)
    out = np.full(len(numbers), -1)
    if not mask.any():
        return out
    cuts = np.quantile(numbers[mask], [1 / 3, 2 / 3])
    out[mask] = np.clip(np.searchsorted(cuts, numbers[mask], side="right"), 0, 2)
    return out


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
