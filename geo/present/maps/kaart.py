"""The Kaart page's map, assembled from the page's choices: one call, no Streamlit.

:func:`kaart_map` builds the folium map, the area values behind it, its legends and the
notices to show above it from a :class:`KaartKeuze` (indicator, niveau, layers, filters, focus
area). The same choices give the same map (the map modules are deterministic), so the
dashboard builds it once per choice and shares it between visitors. Rendering writes into a
folium map (``st_folium`` renames its elements), so each page renders its own copy
(:meth:`KaartBeeld.for_rendering`): 5 ms for Utrecht, 0,03 s for the country's buurten,
against 0,1 s and 0,7 s to build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
import geopandas as gpd

from geo.aanbod.schema import DOELGROEPEN, SOORTEN
from geo.analysis.completeness import offer_completeness
from geo.analysis.method import folder_stops
from geo.analysis.populations import no_population_note
from geo.model.figures import AGE_LABELS, PUBLISHED, label
from geo.present.basemap import BasemapSettings, with_background_note
from geo.present.maps._base import Legend, base_map, fit
from geo.present.maps.areas import area_values, choropleth, outline_layer
from geo.present.maps.legends import soort_legend, with_offer_notes
from geo.present.maps.points import aanbod_layers, points_layer
from geo.present.ov_map import ov_klasse_layer
from geo.settings import TRANSPORT_INDEX_CLASSES, AnalysisSettings

if TYPE_CHECKING:
    from geo.analysis.pipeline import GapResult
    from geo.model.dataset import Dataset

KAARTLAGEN = {
    "aanbod": "Aanbod (activiteiten)",
    "lief_en_leed": "Lief en Leedstraten",
    "welzijn_op_recept": "Welzijn op recept",
    "buurtmobiel": "Buurtmobiel-gebieden",
    "ov_haltes": "OV-haltes",
    "vervoersarmoede": "Vervoersarmoede-index",
    "ov_klasse": "OV-klasse (ARE, dienstregeling)",
    "hotspots": "Hot spots (veel eenzamen, weinig aanbod)",
    "gebieden": "Aandachtsgebieden",
}
"""The Kaart's optional layers: key -> Dutch label."""

DEFAULT_LAYERS = ("aanbod", "gebieden")
"""The layers a new session's Kaart shows."""

ANALYSED = ("vervoersarmoede", "hotspots", "ov_klasse")
"""Layers that come from the gap analysis (they need the population)."""


@dataclass(frozen=True)
class KaartKeuze:
    """What the Kaart page's widgets chose (hashable: the dashboard caches on it)."""

    indicator: str
    niveau: str = "buurt"
    age: str = "18+"
    year: int | None = None
    group: str = "ouderen"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    soorten: tuple[str, ...] = tuple(SOORTEN)
    doelgroepen: tuple[str, ...] = tuple(DOELGROEPEN)
    focus: str | None = None
    title: str = ""

    @property
    def analysed(self) -> bool:
        """True when a chosen layer comes from the gap analysis."""
        return any(name in self.layers for name in ANALYSED)


def kaart_keuze(
    indicator: str,
    *,
    niveau: str,
    age: str,
    year: int | None,
    group: str,
    layers: list[str] | tuple[str, ...] = DEFAULT_LAYERS,
    soorten: list[str] | tuple[str, ...] = tuple(SOORTEN),
    doelgroepen: list[str] | tuple[str, ...] = tuple(DOELGROEPEN),
    focus: str | None = None,
) -> KaartKeuze:
    """The choices of the Kaart page's widgets, with the legend title they give.

    Examples
    --------
    >>> kaart_keuze("Eenzaam", niveau="buurt", age="65+", year=2020, group="ouderen").title
    'Eenzaam (65 jaar en ouder), 2020'
    """
    return KaartKeuze(
        indicator=indicator,
        niveau=niveau,
        age=age,
        year=year,
        group=group,
        layers=tuple(layers),
        soorten=tuple(soorten),
        doelgroepen=tuple(doelgroepen),
        focus=focus,
        title=f"{label(indicator)} ({AGE_LABELS.get(age, age)}), {year}",
    )


def present_soorten(activities: gpd.GeoDataFrame) -> list[str]:
    """The soorten the activities have (in taxonomy order): the Kaart's soort filter."""
    if not len(activities) or "soort" not in activities:
        return []
    found = set(activities["soort"].astype(str))
    return [s for s in SOORTEN if s in found]


@dataclass
class KaartBeeld:
    """The built map with what the page shows around it.

    Attributes
    ----------
    map
        The folium map, shared between visitors: never rendered itself (render
        :meth:`for_rendering`).
    frame
        The area values drawn (:func:`~geo.present.maps.area_values`), for the table.
    legends
        The legends, the choropleth's first (with the background note).
    notices
        ``(kind, Dutch text)`` to show above the map; kind ``info`` or ``caption``.
    source
        The figures' source and year ("" when nothing is published).
    """

    map: folium.Map
    frame: gpd.GeoDataFrame
    legends: list[Legend]
    notices: list[tuple[str, str]]
    source: str

    def for_rendering(self) -> folium.Map:
        """A copy of the map to render (gives the same HTML as the map built anew)."""
        return copy.deepcopy(self.map)


def kaart_map(
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    keuze: KaartKeuze,
    *,
    basemap: BasemapSettings,
    online: bool,
    gaps: Callable[[], GapResult] | None = None,
) -> KaartBeeld:
    """The Kaart's map for the choices.

    Parameters
    ----------
    dataset, layers
        The data folder and its aanbod layers (``Aanbod.layers``).
    keuze
        The choices; ``keuze.title`` is the choropleth's legend title.
    basemap, online
        The background settings and whether its tiles can be reached.
    gaps
        Gives the gap analysis for ``keuze.group``; called only when an analysed layer is
        chosen and the folder has a population.
    """
    frame = area_values(
        dataset.level(keuze.niveau),
        dataset.figures,
        indicator=keuze.indicator,
        group=keuze.age,
        year=keuze.year,
    )
    name = label(keuze.indicator)
    published = frame.loc[frame["status"] == PUBLISHED, "source"]
    source = f"{published.iloc[0]}, {keuze.year}" if len(published) else ""
    notices: list[tuple[str, str]] = []
    if published.empty:
        notices.append(
            (
                "info",
                f"Geen cijfers voor {name.lower()} ({AGE_LABELS.get(keuze.age, keuze.age)}) in "
                f"{keuze.year}. Kies een ander jaar of een andere leeftijdsgroep in de zijbalk.",
            )
        )
    if frame.geometry.isna().all():
        notices.append(
            (
                "info",
                "Geen grenzen van deze gemeente in de kaarten in wijken/ (andere indeling): de "
                "kaart blijft leeg. De gepubliceerde cijfers staan per code in het "
                "gebiedsprofiel.",
            )
        )
    m = base_map(frame, online=online, basemap=basemap)
    layer, legend = choropleth(
        frame,
        value="value",
        title=keuze.title or name,
        label=name,
        notes=frame["note"],
        source=source,
    )
    layer.add_to(m)
    legends = [with_background_note(legend, online and basemap.basemap != "geen", basemap)]
    if keuze.analysed and not dataset.has_population:
        notices.append(
            (
                "info",
                "Vervoersarmoede en hot spots van hiaten rekenen met aantallen inwoners. "
                + no_population_note(),
            )
        )
    elif keuze.analysed and gaps is not None:
        _analysed_layers(m, gaps(), keuze, legends, notices)
    _aanbod_layers(m, dataset, layers, keuze, legends)
    _area_outlines(m, dataset, keuze)
    folium.LayerControl(collapsed=True).add_to(m)
    return KaartBeeld(m, frame, legends, notices, source)


def _analysed_layers(
    m: folium.Map,
    result: GapResult,
    keuze: KaartKeuze,
    legends: list[Legend],
    notices: list[tuple[str, str]],
) -> None:
    """OV-klasse, transport poverty and hot spots: from the gap analysis."""
    if "ov_klasse" in keuze.layers:
        ov_layer, ov_legend = ov_klasse_layer(
            result.buurten,
            source="OV-dienstregeling (GTFS), ARE ÖV-Güteklassen zoals GOAT; "
            + str(result.method.get("ov_klasse", {}).get("distance_method", "")),
        )
        ov_layer.add_to(m)
        legends.append(ov_legend)
    if "vervoersarmoede" in keuze.layers:
        relative = result.transport_scale == "relatief"
        poverty, poverty_legend = choropleth(
            result.buurten,
            value="transport_index",
            title="Vervoersarmoede-index (0 – 1)",
            label="Vervoersarmoede-index",
            unit="",
            decimals=2,
            # the fixed scale means the same in every gemeente and year: fixed classes too
            breaks=None if relative else TRANSPORT_INDEX_CLASSES,
            source="Wijkkompas, uit CBS-autobezit, OV-haltes, RIVM en Buurtmobiel; "
            + ("relatieve" if relative else "vaste")
            + " schaal",
        )
        poverty.add_to(m)
        legends.append(poverty_legend)
    if "hotspots" in keuze.layers:
        if len(result.clusters):
            outline_layer(
                result.clusters,
                name="Hot spot: veel eenzamen, weinig aanbod",
                colour="#e31a1c",
                weight=4,
                fill_opacity=0.15,
            ).add_to(m)
        else:
            notices.append(
                (
                    "caption",
                    "Geen significante hot spots van hiaten voor deze doelgroep (Getis-Ord "
                    "Gi*, na correctie voor meervoudig toetsen).",
                )
            )


def _aanbod_layers(
    m: folium.Map,
    dataset: Dataset,
    layers: dict[str, gpd.GeoDataFrame],
    keuze: KaartKeuze,
    legends: list[Legend],
) -> None:
    """Buurtmobiel areas, the activities, Lief en Leedstraten, Welzijn op recept, OV-haltes."""
    services = layers["buurtmobiel"]
    if "buurtmobiel" in keuze.layers and len(services):
        outline_layer(
            services[services.geometry.notna()],
            name="Buurtmobiel-gebied",
            colour="#6a3d9a",
            dash="6 4",
            fill_opacity=0.08,
        ).add_to(m)
    activities = layers["activiteiten"]
    if "aanbod" in keuze.layers and len(activities):
        chosen = aanbod_layers(
            activities, soorten=list(keuze.soorten), doelgroepen=list(keuze.doelgroepen)
        )
        for group in chosen:
            group.add_to(m)
        offer = offer_completeness(activities, group=keuze.group)
        legends.append(with_offer_notes(soort_legend(list(keuze.soorten)), offer))
    if "lief_en_leed" in keuze.layers and len(layers["lief_en_leed"]):
        streets = layers["lief_en_leed"].copy()
        centres = dataset.areas.set_index("code").geometry.representative_point()
        missing = streets.geometry.isna() | streets.geometry.is_empty
        streets.loc[missing, "geometry"] = streets.loc[missing, "buurt_code"].map(centres)
        points_layer(
            gpd.GeoDataFrame(streets, geometry="geometry", crs=dataset.areas.crs),
            name="Lief en Leedstraten",
            colour="#d62728",
            radius=5,
            fields={"straat": "Lief en Leedstraat", "potjes": "Potjes", "jaar": "Jaar"},
        ).add_to(m)
    if "welzijn_op_recept" in keuze.layers and len(layers["welzijn_op_recept"]):
        points_layer(
            layers["welzijn_op_recept"],
            name="Welzijn op recept",
            colour="#006d2c",
            radius=8,
            fields={"naam": "Welzijn op recept", "soort_locatie": "Locatie", "adres": "Adres"},
        ).add_to(m)
    if "ov_haltes" in keuze.layers:
        # the folder's timetable (ov/) when there is one: departures per dagdeel; else the layer
        haltes = folder_stops(dataset, layers, AnalysisSettings(), [])
        if len(haltes):
            points_layer(
                haltes,
                name="OV-haltes",
                colour="#444444",
                radius=3,
                fields={
                    "naam": "OV-halte",
                    "modus": "Modaliteit",
                    "vertrekken_per_uur": "Vertrekken per uur (werkdag 6-22)",
                    "vertrekken_avond": "Per uur 's avonds (17-22)",
                    "vertrekken_weekend": "Per uur in het weekend (7-22)",
                },
            ).add_to(m)


def _area_outlines(m: folium.Map, dataset: Dataset, keuze: KaartKeuze) -> None:
    """The focus areas, and the chosen one in blue with the map zoomed to it."""
    if "gebieden" in keuze.layers and dataset.gebieden:
        shapes = [
            {"naam": name, "geometry": gebied.geometry(dataset.areas)}
            for name, gebied in dataset.gebieden.items()
        ]
        shapes = [s for s in shapes if s["geometry"] is not None]
        if shapes:
            outline_layer(
                gpd.GeoDataFrame(shapes, crs=dataset.areas.crs),
                name="Aandachtsgebied",
                key="naam",
            ).add_to(m)
    if keuze.focus is not None:
        shape = dataset.gebieden[keuze.focus].geometry(dataset.areas)
        if shape is not None:
            outline_layer(
                gpd.GeoDataFrame({"naam": [keuze.focus]}, geometry=[shape], crs=dataset.areas.crs),
                name="Gekozen aandachtsgebied",
                colour="#0b5cad",
                weight=5,
                key="naam",
            ).add_to(m)
            fit(m, shape)
