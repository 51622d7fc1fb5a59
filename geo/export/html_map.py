"""A standalone HTML map (folium) of an export: the current view, to mail or archive.

The map is built with the dashboard's own map functions (:mod:`geo.present.maps`) from the
bundle's layers and styles: the first graduated layer is the visible choropleth (others can be
switched on), focus areas and service areas as outlines, hot spots of the gap as red outlines,
the aanbod as coloured points. A panel shows the title (DEMO for demo data), the legend,
sources and attribution.

The dashboard serves Leaflet itself (``/app/static/map``); a standalone file cannot, so the
vendored scripts and styles are copied into the HTML (about 300 kB). Without the vendored
files (an installation without the repository's ``static/``) the map loads Leaflet from a
CDN instead, and says so in the log. The background is the dashboard's (PDOK
BRT-Achtergrondkaart by default, OSM and the luchtfoto in the layer control,
:mod:`geo.present.basemap`); its tiles need internet when the file is opened, the layers show
without them.
"""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geo.export.attribution import attributions
from geo.export.bundle import ExportBundle
from geo.export.styles import LayerStyle
from geo.present.maps import (
    Legend,
    aanbod_layers,
    base_map,
    choropleth,
    legend_html,
    outline_layer,
    points_layer,
    render_html,
    soort_legend,
)
from geo.present.safe_text import html_text

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
"""The repository's vendored map libraries (served by the dashboard at ``/app/static``)."""
STATIC_URL = "/app/static/"
CDN = {
    "map-bundle.js": [
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js",
        "https://unpkg.com/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js",
    ],
    "leaflet.css": ["https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"],
    "MarkerCluster.css": ["https://unpkg.com/leaflet.markercluster@1.5.3/dist/MarkerCluster.css"],
    "MarkerCluster.Default.css": [
        "https://unpkg.com/leaflet.markercluster@1.5.3/dist/MarkerCluster.Default.css"
    ],
}
SCRIPT = re.compile(r'<script src="' + re.escape(STATIC_URL) + r'([^"]+)"></script>')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="' + re.escape(STATIC_URL) + r'([^"]+)"/>')
CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def map_html(bundle: ExportBundle, *, inline: bool = True) -> str:
    """The bundle as one standalone HTML map.

    Parameters
    ----------
    bundle
        The layers of the current view (:func:`~geo.export.layers.collect_layers` with the
        view's indicator, age group, year and layers).
    inline
        Copy the vendored Leaflet files into the page (False: keep the dashboard's URLs).

    Returns
    -------
    str
        A complete HTML document.

    Examples
    --------
    >>> html = map_html(collect_layers(dataset, lagen=["buurten"]))  # doctest: +SKIP
    >>> "DEMO" in html  # doctest: +SKIP
    True
    """
    polygons = [n for n, f in bundle.layers.items() if len(f)]
    extent = bundle.in_rd(polygons[0]) if polygons else None
    if extent is None:
        from geo.errors import DataError

        raise DataError("er is geen laag om op de kaart te zetten.", hint="kies een of meer lagen.")
    m = base_map(extent[extent.geometry.notna() & ~extent.geometry.is_empty])
    legends: list[Legend] = []
    main_drawn = False
    for name in bundle.layers:
        style = bundle.meta[name].style
        if style is not None and style.kind == "graduated" and style.geometry == "polygon":
            layer, legend = _choropleth(bundle, name, style)
            if main_drawn:
                layer.show = False
            else:
                legends.append(legend)
                main_drawn = True
            layer.add_to(m)
    for name in bundle.layers:
        style = bundle.meta[name].style
        if style is None or style.geometry != "polygon" or style.kind == "graduated":
            continue
        frame = _located(bundle.in_rd(name))
        if style.kind == "categorized" and style.column and style.column.startswith("hotspot"):
            frame = frame[frame[style.column] == "hot spot"]
            colour, title = "#d7301f", bundle.meta[name].title
        else:
            colour, title = style.colour, bundle.meta[name].title
        if len(frame):
            outline_layer(_named(frame), name=title, colour=colour, weight=3).add_to(m)
            legends.append(Legend(title=title, entries=((colour, "omlijning"),)))
    for name in bundle.layers:
        style = bundle.meta[name].style
        if style is None or style.geometry != "point":
            continue
        frame = _located(bundle.in_rd(name))
        if frame.empty:
            continue
        if name == "activiteiten" and "soort" in frame:
            for group in aanbod_layers(frame):
                group.add_to(m)
            legends.append(soort_legend(sorted(set(frame["soort"].astype(str)))))
        else:
            meta = bundle.meta[name]
            fields = {
                c: meta.label(c)
                for c in frame.columns
                if c not in ("id", "let_op", frame.geometry.name)
            }
            points_layer(
                _named(frame), name=meta.title, colour=style.colour, fields=fields, radius=5
            ).add_to(m)
            legends.append(Legend(title=meta.title, entries=((style.colour, "locatie"),)))
    folium.LayerControl(collapsed=True).add_to(m)
    root: Any = m.get_root()  # a branca Figure: html, header
    root.html.add_child(folium.Element(_panel(bundle, legends)))
    root.header.add_child(
        folium.Element(f"<title>{html_text(bundle.label or 'Wijkkompas-kaart')}</title>")
    )
    html = render_html(m)
    return _inline_assets(html) if inline else html


def write_html_map(bundle: ExportBundle, path: str | Path) -> Path:
    """Write :func:`map_html` to a file.

    Examples
    --------
    >>> write_html_map(bundle, "kaart.html")  # doctest: +SKIP
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(map_html(bundle), encoding="utf-8")
    logger.info("HTML-kaart %s", target)
    return target


def _choropleth(
    bundle: ExportBundle, name: str, style: LayerStyle
) -> tuple[folium.GeoJson, Legend]:
    meta = bundle.meta[name]
    frame = _named(bundle.in_rd(name))
    column = style.column or ""
    notes = pd.Series("", index=frame.index, dtype=object)
    missing = frame[column].isna()
    notes[missing] = "geen cijfer"
    if "niet_gepubliceerd" in frame:
        hidden = missing & frame["niet_gepubliceerd"].fillna("").astype(str).ne("")
        notes[hidden] = "niet gepubliceerd (te weinig respondenten)"
    unit = "%" if "(%)" in meta.label(column) else ""
    source = f"{meta.source}; {meta.vintage}"
    return choropleth(
        frame,
        value=column,
        title=f"{meta.title}: {style.title}",
        label=meta.label(column).replace(" (%)", ""),
        unit=unit,
        notes=notes,
        source=source,
        decimals=1 if unit else 0,
    )


def _named(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every map function wants ``naam`` and ``code``; Lief en Leedstraten have ``straat``."""
    out = frame
    if "naam" not in out:
        source = next((c for c in ("straat", "id", "code") if c in out), None)
        out = out.assign(naam=out[source].astype(str) if source else "")
    if "code" not in out:
        out = out.assign(code=out["naam"].astype(str))
    return out


def _located(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[frame.geometry.notna() & ~frame.geometry.is_empty]


def _panel(bundle: ExportBundle, legends: list[Legend]) -> str:
    title = html_text(bundle.titel or "Wijkkompas")
    demo = (
        '<div style="background:#ffe08a;color:#9c0006;font-weight:bold;padding:4px;'
        'margin:4px 0">DEMO – fictieve gegevens, niet gebruiken voor beleid</div>'
        if bundle.demo
        else ""
    )
    legend = "".join(f'<div style="margin-top:8px">{legend_html(item)}</div>' for item in legends)
    legend = f'<details open style="margin-top:6px"><summary>Legenda</summary>{legend}</details>'
    texts = [meta.source for meta in bundle.meta.values()]
    credits = "".join(
        f"<li>{html_text(line)}</li>" for line in attributions(texts, demo=bundle.demo, osm=True)
    )
    sources = "".join(
        f"<li><b>{html_text(meta.title)}</b>: {html_text(meta.source)} ({html_text(meta.year)}; "
        f"{html_text(meta.vintage)})</li>"
        for name, meta in bundle.meta.items()
        if name in bundle.layers
    )
    return (
        '<div id="wijkkompas-paneel" style="position:fixed;top:10px;left:55px;z-index:1000;'
        "max-width:340px;max-height:90vh;overflow:auto;background:rgba(255,255,255,.95);"
        'padding:8px 10px;border:1px solid #999;border-radius:4px;font:13px sans-serif">'
        f'<h1 style="font-size:16px;margin:0">{title}</h1>{demo}'
        f'<div style="color:#555">Wijkkompas {html_text(bundle.version)}, '
        f"{html_text(bundle.created.isoformat())} (UTC)</div>{legend}"
        '<details style="margin-top:8px"><summary>Bronnen en licenties</summary>'
        f'<ul style="padding-left:16px">{sources}</ul>'
        f'<ul style="padding-left:16px">{credits}</ul></details></div>'
    )


def _inline_assets(html: str) -> str:
    """Copy the vendored scripts and styles into the page (CDN links when they are absent)."""

    def script(match: re.Match[str]) -> str:
        path = STATIC_DIR / match.group(1)
        if path.is_file():
            code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
            return f"<script>{code}</script>"
        logger.warning("kaartbibliotheek %s ontbreekt; de kaart laadt hem van internet", path)
        urls = CDN.get(path.name, [])
        return "".join(f'<script src="{url}"></script>' for url in urls)

    def stylesheet(match: re.Match[str]) -> str:
        path = STATIC_DIR / match.group(1)
        if path.is_file():
            css = CSS_URL.sub(
                lambda m: _data_url(path.parent / m.group(2)), path.read_text(encoding="utf-8")
            )
            return f"<style>{css}</style>"
        urls = CDN.get(path.name, [])
        return "".join(f'<link rel="stylesheet" href="{url}"/>' for url in urls)

    return STYLESHEET.sub(stylesheet, SCRIPT.sub(script, html))


def _data_url(path: Path) -> str:
    if not path.is_file():
        return "url()"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"url(data:image/png;base64,{data})"
