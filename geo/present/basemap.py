"""Background maps: PDOK's BRT-Achtergrondkaart, OSM, the luchtfoto, an offline fallback.

No Streamlit here.

Dutch government maps use the Kadaster's BRT-Achtergrondkaart (WMTS, EPSG:3857) from PDOK;
its three styles (standaard, grijs, pastel), OpenStreetMap and the PDOK aerial photograph are
offered as base layers, each with its attribution. Which one is on when the map opens, and
every tile URL, are settings (:class:`BasemapSettings`, environment ``WIJKKOMPAS_<FIELD>``), so
a test or a mirror behind a firewall points them elsewhere.

Offline (no connection, or ``WIJKKOMPAS_OFFLINE=1``) no tiles are requested: the map shows the
outline of the areas drawn (the gemeente) on a light ground, and the legend says the background
is unavailable (:func:`with_background_note`). The app decides with :func:`tiles_reachable`:
one tile, a short timeout, its answer cached by the caller.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import requests
import shapely

from geo.io.crs import to_display
from geo.io.memo import by_shapes

if TYPE_CHECKING:
    from geo.present.maps import Legend

LOG = logging.getLogger(__name__)

ENV_PREFIX = "WIJKKOMPAS_"
BRT_LAYERS = ("standaard", "grijs", "pastel")
"""Styles of the BRT-Achtergrondkaart offered (PDOK WMTS layer names)."""
BASEMAP_KEYS = ("brt-standaard", "brt-grijs", "brt-pastel", "osm", "luchtfoto", "geen")
"""What :attr:`BasemapSettings.basemap` may be."""

PDOK_ATTRIBUTION = (
    'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> '
    '(BRT-Achtergrondkaart, via <a href="https://www.pdok.nl">PDOK</a>)'
)
LUCHTFOTO_ATTRIBUTION = (
    'Luchtfoto &copy; <a href="https://www.beeldmateriaal.nl">Beeldmateriaal Nederland</a> '
    '(via <a href="https://www.pdok.nl">PDOK</a>)'
)
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers'
)
UNAVAILABLE_NOTE = (
    "Achtergrondkaart niet beschikbaar (geen verbinding met de kaartserver): alleen de "
    "gemeentegrens wordt getekend."
)
FALLBACK_COLOUR = "#4d4d4d"
"""Outline of the offline fallback (9:1 against the light map ground)."""


@dataclass(frozen=True)
class BasemapSettings:
    """Which background map, where its tiles are, and when the app counts as offline.

    Attributes
    ----------
    basemap
        The background on when a map opens: ``brt-standaard`` (default), ``brt-grijs``,
        ``brt-pastel``, ``osm``, ``luchtfoto`` or ``geen`` (no tiles at all). The others are
        offered in the layer control. Env ``WIJKKOMPAS_BASEMAP``.
    brt_url
        Tile template of the BRT-Achtergrondkaart (WMTS, EPSG:3857), with ``{layer}`` for the
        style and ``{z}/{x}/{y}``. Env ``WIJKKOMPAS_BRT_URL``.
    luchtfoto_url
        Tile template of the PDOK aerial photograph (actueel, hoge resolutie). Env
        ``WIJKKOMPAS_LUCHTFOTO_URL``.
    osm_url
        Tile template of OpenStreetMap. Env ``WIJKKOMPAS_OSM_URL``.
    offline
        Never request tiles: always the light fallback. Env ``WIJKKOMPAS_OFFLINE=1``.
    check_timeout_s
        Seconds the reachability check (:func:`tiles_reachable`) waits for one tile.
    max_zoom
        Deepest zoom level of the tile services (PDOK EPSG:3857: 19).
    """

    basemap: str = "brt-standaard"
    brt_url: str = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/{layer}/EPSG:3857/{z}/{x}/{y}.png"
    )
    luchtfoto_url: str = (
        "https://service.pdok.nl/hwh/luchtfotorgb/wmts/v1_0/Actueel_orthoHR/EPSG:3857/"
        "{z}/{x}/{y}.jpeg"
    )
    osm_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    offline: bool = False
    check_timeout_s: float = 1.5
    max_zoom: int = 19

    def __post_init__(self) -> None:
        """Check the chosen background."""
        if self.basemap not in BASEMAP_KEYS:
            raise ValueError(
                f"onbekende achtergrondkaart {self.basemap!r} (WIJKKOMPAS_BASEMAP); kies uit "
                + ", ".join(BASEMAP_KEYS)
            )

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, **overrides: object
    ) -> BasemapSettings:
        """Defaults, then ``WIJKKOMPAS_<FIELD>`` environment variables, then ``overrides``.

        Examples
        --------
        >>> BasemapSettings.from_env({"WIJKKOMPAS_OFFLINE": "1"}).offline
        True
        >>> BasemapSettings.from_env({"WIJKKOMPAS_BASEMAP": "osm"}).basemap
        'osm'
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for item in fields(cls):
            text = env.get(f"{ENV_PREFIX}{item.name.upper()}")
            if text is None or text.strip() == "":
                continue
            kind = str(item.type)
            if kind == "bool":
                values[item.name] = text.strip().lower() in {"1", "true", "ja", "yes", "on"}
            elif kind == "int":
                values[item.name] = int(text)
            elif kind == "float":
                values[item.name] = float(text)
            else:
                values[item.name] = text.strip()
        values.update(overrides)
        return replace(cls(), **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Basemap:
    """One background: its key, Dutch name (layer control), tile template and attribution."""

    key: str
    name: str
    url: str
    attribution: str


def basemaps(settings: BasemapSettings) -> tuple[Basemap, ...]:
    """Every background offered, the BRT styles first.

    Examples
    --------
    >>> [b.key for b in basemaps(BasemapSettings())]
    ['brt-standaard', 'brt-grijs', 'brt-pastel', 'osm', 'luchtfoto']
    """
    brt = tuple(
        Basemap(
            key=f"brt-{layer}",
            name=f"BRT-Achtergrondkaart ({layer})",
            url=settings.brt_url.replace("{layer}", layer),
            attribution=PDOK_ATTRIBUTION,
        )
        for layer in BRT_LAYERS
    )
    return (
        *brt,
        Basemap("osm", "OpenStreetMap", settings.osm_url, OSM_ATTRIBUTION),
        Basemap("luchtfoto", "Luchtfoto (PDOK)", settings.luchtfoto_url, LUCHTFOTO_ATTRIBUTION),
    )


def chosen_basemap(settings: BasemapSettings) -> Basemap | None:
    """The background that is on when a map opens (None for ``geen``)."""
    return next((b for b in basemaps(settings) if b.key == settings.basemap), None)


def tiles_reachable(settings: BasemapSettings) -> bool:
    """Whether the chosen background's tile server answers with a tile, within the timeout.

    Asks for the single world tile (``z=0``) of the chosen background. False when offline is
    forced, when the background is ``geen``, or on any connection error, timeout or error
    status. Callers cache the answer (the app: a few minutes).

    Examples
    --------
    >>> tiles_reachable(BasemapSettings(offline=True))
    False
    """
    basemap = chosen_basemap(settings)
    if settings.offline or basemap is None:
        return False
    url = basemap.url.format(z=0, x=0, y=0, s="a")
    try:
        response = requests.get(
            url, timeout=(settings.check_timeout_s, settings.check_timeout_s), stream=True
        )
        response.close()
    except requests.RequestException as exc:
        LOG.info("achtergrondkaart niet bereikbaar (%s): %s", url, exc)
        return False
    if response.status_code >= 400:
        LOG.info("achtergrondkaart gaf status %s (%s)", response.status_code, url)
        return False
    return True


def add_basemap(
    m: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    settings: BasemapSettings,
    online: bool = True,
) -> bool:
    """Put the backgrounds on a map, or the offline fallback; True when tiles are used.

    Parameters
    ----------
    m
        The map (tiles=None).
    areas
        The areas the map shows (EPSG:28992): the fallback draws their outer outline.
    settings
        Which background is on and where the tiles are.
    online
        False: no tiles, only the light fallback (:func:`tiles_reachable` decides in the app).

    Returns
    -------
    bool
        Whether a tile background was added (False: fallback; the caller notes it in the
        legend with :func:`with_background_note`).
    """
    if settings.basemap == "geen":
        return False
    if not online or settings.offline:
        # its own pane between tiles (200) and overlays (400): Leaflet puts SVG above canvas
        # within one pane, so in the overlay pane this opaque ground would hide a canvas layer
        folium.map.CustomPane(FALLBACK_PANE, z_index=250, pointer_events=False).add_to(m)
        fallback_layer(areas, pane=FALLBACK_PANE).add_to(m)
        return False
    for basemap in basemaps(settings):
        folium.TileLayer(
            basemap.url,
            name=f"Achtergrond: {basemap.name}",
            attr=basemap.attribution,
            max_zoom=settings.max_zoom,
            max_native_zoom=settings.max_zoom,
            show=basemap.key == settings.basemap,
            control=True,
        ).add_to(m)
    return True


FALLBACK_PANE = "achtergrond"
"""The Leaflet pane of the offline fallback (below every area layer, SVG or canvas)."""


def fallback_layer(areas: gpd.GeoDataFrame, *, pane: str | None = None) -> folium.GeoJson:
    """The outer outline of the areas (the gemeente) on a light ground, not clickable.

    ``pane``: a Leaflet pane the map has (:func:`add_basemap` makes :data:`FALLBACK_PANE`).
    """
    shown = gpd.GeoDataFrame(geometry=[fallback_outline(areas.geometry)], crs="EPSG:4326")
    style = {
        "color": FALLBACK_COLOUR,
        "weight": 2,
        "fill": True,
        "fillColor": "#f7f7f2",
        "fillOpacity": 1.0,
        "interactive": False,
    }
    layer = folium.GeoJson(
        shown.__geo_interface__,
        name="Achtergrond: gemeentegrens (geen verbinding)",
        style_function=lambda _feature: style,
        control=False,
        interactive=False,
    )
    if pane:
        layer.options["pane"] = pane  # Leaflet's pane option of L.geoJson
    return layer


def background_note(used_tiles: bool, settings: BasemapSettings) -> str:
    """What the legend says about the background (source, or that it is unavailable).

    Examples
    --------
    >>> background_note(False, BasemapSettings())[:32]
    'Achtergrondkaart niet beschikba'
    """
    if settings.basemap == "geen":
        return "Zonder achtergrondkaart (WIJKKOMPAS_BASEMAP=geen)."
    if not used_tiles:
        return UNAVAILABLE_NOTE
    basemap = chosen_basemap(settings)
    name = basemap.name if basemap is not None else settings.basemap
    attribution = _plain(basemap.attribution) if basemap is not None else ""
    return f"Achtergrond: {name}; {attribution}. Andere achtergronden via de lagenknop."


def with_background_note(legend: Legend, used_tiles: bool, settings: BasemapSettings) -> Legend:
    """The legend with a note on the background: its source, or that it is unavailable.

    Examples
    --------
    >>> from geo.present.maps import Legend
    >>> with_background_note(Legend("Eenzaam", ()), False, BasemapSettings()).notes[0][:17]
    'Achtergrondkaart '
    """
    return replace(legend, notes=(*legend.notes, background_note(used_tiles, settings)))


@by_shapes  # 0.6 s for all Dutch buurten, the same on every page
def fallback_outline(shapes: gpd.GeoSeries) -> shapely.Geometry:
    """The outer outline of areas in EPSG:28992, simplified (5 m) and in WGS84."""
    shaped = shapes[shapes.notna() & ~shapes.is_empty]
    outline = shapely.Polygon() if shaped.empty else _union(shaped.to_numpy())
    frame = gpd.GeoDataFrame(geometry=[outline.simplify(5.0)], crs=shapes.crs or "EPSG:28992")
    return to_display(frame).geometry.iloc[0]


def _union(geometries: object) -> shapely.Geometry:
    """Union of non-overlapping areas (fast coverage union; general union as a fallback)."""
    try:
        return shapely.coverage_union_all(geometries)
    except shapely.errors.GEOSException:
        return shapely.union_all(geometries)


def _plain(attribution: str) -> str:
    """An HTML attribution as plain text (``&copy;`` → ©, tags dropped)."""
    return re.sub(r"<[^>]+>", "", attribution).replace("&copy;", "©")
