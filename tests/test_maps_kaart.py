"""The Kaart page's map from its choices (geo/present/maps/kaart.py), on the demo folder."""

from __future__ import annotations

import dataclasses
import threading

import pytest
import streamlit_folium

from geo.aanbod import load_aanbod
from geo.present.basemap import BasemapSettings
from geo.present.maps import render_html
from geo.present.maps.kaart import KAARTLAGEN, KaartKeuze, kaart_map
from tests.conftest import DEMO

OFFLINE = BasemapSettings()  # with online=False: the offline fallback


@pytest.fixture(scope="module")
def demo_layers(demo_dataset):
    return load_aanbod(DEMO, areas=demo_dataset.areas).layers


_CAPTURED = threading.local()


def _fake_component(**kwargs: object) -> object:
    _CAPTURED.args = {k: v for k, v in kwargs.items() if k != "on_change"}  # a new closure
    return kwargs["default"]


def component_args(m, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """What st_folium sends to the browser for the map (per thread: visitors at once)."""
    monkeypatch.setattr(streamlit_folium, "_component_func", _fake_component)
    streamlit_folium.st_folium(m, key="kaart_buurt", render=False, returned_objects=[])
    return _CAPTURED.args


def test_every_chosen_layer_is_drawn_and_the_analysis_asked_only_for_its_layers(
    demo_dataset, demo_layers
):
    asked: list[str] = []

    def no_gaps():
        asked.append("gaps")
        raise AssertionError("the map without analysed layers needs no gap analysis")

    plain = KaartKeuze(
        indicator="Eenzaam",
        year=demo_dataset.years[-1],
        layers=("aanbod", "lief_en_leed", "welzijn_op_recept", "buurtmobiel", "gebieden"),
        focus="Noordhoek",
        title="Eenzaam (18 jaar en ouder)",
    )
    beeld = kaart_map(demo_dataset, demo_layers, plain, basemap=OFFLINE, online=False, gaps=no_gaps)
    html = render_html(beeld.map)
    for name in (
        "Lief en Leedstraten",
        "Welzijn op recept",
        "Buurtmobiel-gebied",
        "Aandachtsgebied",
        "Gekozen aandachtsgebied",
    ):
        assert name in html, name
    assert not asked and not beeld.notices
    assert len(beeld.frame) == len(demo_dataset.level("buurt"))
    assert beeld.source.endswith(str(demo_dataset.years[-1]))
    # the choropleth's legend (with the background note) and the soorten with offer notes
    assert beeld.legends[0].title == "Eenzaam (18 jaar en ouder)"
    assert any("Achtergrondkaart niet beschikbaar" in n for n in beeld.legends[0].notes)
    assert len(beeld.legends) == 2


def test_analysed_layers_come_from_the_gap_analysis(demo_dataset, demo_layers):
    from geo.analysis.pipeline import analyse

    asked: list[str] = []

    def gaps():
        asked.append("gaps")
        return analyse(demo_dataset, demo_layers, group="ouderen")

    keuze = KaartKeuze(
        indicator="Eenzaam", year=demo_dataset.years[-1], layers=("vervoersarmoede", "hotspots")
    )
    assert keuze.analysed
    beeld = kaart_map(demo_dataset, demo_layers, keuze, basemap=OFFLINE, online=False, gaps=gaps)
    assert asked == ["gaps"]
    assert "Vervoersarmoede-index (0 – 1)" in [legend.title for legend in beeld.legends]
    hot_spots = "Hot spot: veel eenzamen, weinig aanbod" in render_html(beeld.map)
    assert hot_spots or any("Geen significante hot spots" in t for _k, t in beeld.notices)


def test_without_population_or_figures_the_map_says_why(demo_dataset, demo_layers):
    bare = dataclasses.replace(demo_dataset, populations={})
    keuze = KaartKeuze(indicator="Eenzaam", year=1999, layers=("vervoersarmoede",))
    beeld = kaart_map(bare, demo_layers, keuze, basemap=OFFLINE, online=False, gaps=None)
    texts = [text for kind, text in beeld.notices if kind == "info"]
    assert texts[0].startswith("Geen cijfers voor eenzaam (18 jaar en ouder) in 1999.")
    assert "Geen bevolkingscijfers" in texts[1]
    assert beeld.source == ""


def test_a_shared_map_renders_as_built_anew_every_time_and_for_many_visitors(
    demo_dataset, demo_layers, monkeypatch: pytest.MonkeyPatch
):
    keuze = KaartKeuze(indicator="Eenzaam", year=demo_dataset.years[-1], layers=tuple(KAARTLAGEN))
    beeld = kaart_map(demo_dataset, demo_layers, keuze, basemap=OFFLINE, online=False, gaps=None)
    built = kaart_map(demo_dataset, demo_layers, keuze, basemap=OFFLINE, online=False, gaps=None)
    first = component_args(built.map, monkeypatch)  # a map built for this page alone
    assert component_args(beeld.for_rendering(), monkeypatch) == first
    assert component_args(beeld.for_rendering(), monkeypatch) == first  # the page's rerun
    # rendering the map itself twice would not: st_folium renames what it renders
    assert component_args(built.map, monkeypatch) != first

    seen: list[dict[str, object]] = []
    visitors = [
        threading.Thread(
            target=lambda: seen.append(component_args(beeld.for_rendering(), monkeypatch))
        )
        for _ in range(4)
    ]
    for thread in visitors:
        thread.start()
    for thread in visitors:
        thread.join()
    assert seen == [first] * 4
