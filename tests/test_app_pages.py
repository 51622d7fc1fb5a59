"""Every dashboard page with streamlit.testing.v1.AppTest, on the demo and the Utrecht data."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, UTRECHT
from tests.test_tables import read_tables

PAGES = {
    "kaart": "Kaart",
    "hiaten": "Hiaten",
    "profiel": "Gebiedsprofiel",
    "aanbod": "Aanbod",
    "export": "Export",
    "over": "Over de data",
}


def app(folder: str | None = None, page: str = "kaart", **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    if folder is not None:
        at.session_state["folder"] = folder
    for key, value in params.items():
        at.query_params[key] = value
    if page != "kaart":
        at.switch_page(f"app_pages/{page}.py")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.subheader] + [h.value for h in at.header]
    return "\n".join(str(p) for p in parts)


def html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def folium_args(at: AppTest) -> dict[str, object]:
    """The arguments the map component received (script, links, returned objects)."""
    maps = [e for e in at.main if getattr(e, "type", "") == "component_instance"]
    found = [e for e in at.get("component_instance")] or maps
    assert found, "geen kaart op de pagina"
    return json.loads(found[0].proto.json_args)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo(page: str):
    at = app(page=page)
    no_errors(at)
    assert at.title[0].value == PAGES[page]
    assert "**DEMO**" in texts(at)  # the fictional city is labelled on every page


@pytest.mark.shared
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_utrecht(page: str):
    at = app(str(UTRECHT), page=page)
    no_errors(at)
    assert at.title[0].value == PAGES[page]
    assert "DEMO" not in texts(at)


# -- Export ----------------------------------------------------------------------------------
def test_export_focus_area_layers_format_and_download():
    at = app(page="export")
    no_errors(at)
    layers = at.dataframe[0].value
    assert {"buurten", "hiaten_ouderen", "activiteiten"} <= set(layers["Laag"])
    assert (layers["Bron"].str.len() > 0).all() and (layers["Jaar"].str.len() > 0).any()
    assert not at.get("download_button")  # nothing is made before the button is pressed
    at.selectbox(key="export_gebied").set_value("Noordhoek").run()
    no_errors(at)
    layers = at.dataframe[0].value.set_index("Laag")
    assert layers.loc["buurten", "Rijen"] == 5
    assert "gemeente" not in layers.index
    assert "Let op: Beperkt tot Noordhoek." in texts(at)
    at.radio(key="export_formaat").set_value("xlsx").run()
    at.button(key="export_maak").click().run()
    no_errors(at)
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert "noordhoek_DEMO.xlsx" in buttons[0].proto.label
    # another format makes the old file stale: no download of what was not asked for
    at.radio(key="export_formaat").set_value("gpkg").run()
    assert not at.get("download_button")


def test_export_suppresses_small_numbers_unless_switched_off():
    import io

    from openpyxl import load_workbook

    from geo.export.suppression import EXACT_TEXT, SUPPRESSED_TEXT

    at = app(page="export")
    assert at.toggle(key="export_onderdrukking").value is True
    at.radio(key="export_formaat").set_value("xlsx").run()
    for on, expected in ((True, SUPPRESSED_TEXT), (False, EXACT_TEXT)):
        at.toggle(key="export_onderdrukking").set_value(on).run()
        assert any("intern gebruik" in w.value for w in at.warning) is not on
        at.button(key="export_maak").click().run()
        no_errors(at)
        data = at.session_state["export_bestand"][1][0]
        book = load_workbook(io.BytesIO(data))
        bronnen = " ".join(str(c.value) for r in book["Bronnen"].iter_rows() for c in r if c.value)
        assert expected in bronnen


@pytest.mark.shared
def test_export_utrecht_two_groups_gpkg():
    at = app(str(UTRECHT), page="export")
    at.multiselect(key="export_groepen").set_value(["ouderen", "jongvolwassenen"]).run()
    at.selectbox(key="export_gebied").set_value("Overvecht").run()
    no_errors(at)
    layers = set(at.dataframe[0].value["Laag"])
    assert {"hiaten_ouderen", "hiaten_jongvolwassenen", "hotspots_jongvolwassenen"} <= layers
    at.button(key="export_maak").click().run()
    no_errors(at)
    assert "overvecht.gpkg" in at.get("download_button")[0].proto.label


# -- Kaart -----------------------------------------------------------------------------------
def test_kaart_map_is_offline_and_only_clicks_come_back():
    at = app()
    args = folium_args(at)
    assert args["js_links"] == ["/app/static/map/map-bundle.js", "/app/static/map/wijkkompas.js"]
    assert all(str(c).startswith("/app/static/") for c in args["css_links"])  # type: ignore[union-attr]
    assert args["returned_objects"] == ["last_active_drawing", "last_object_clicked_tooltip"]
    assert "Eenzaam (18 jaar en ouder), 2020" in html(at)
    assert "Bewegen / sport" in html(at)  # the aanbod colours are in the legend too


def test_kaart_widgets_change_the_map():
    at = app()
    first = folium_args(at)["script"]
    at.selectbox(key="kaart_indicator").set_value("ErnstigZeerErnstigEenzaam").run()
    no_errors(at)
    assert "Ernstig eenzaam (18 jaar en ouder), 2020" in html(at)
    assert folium_args(at)["script"] != first
    at.selectbox(key="age").set_value("65+").run()
    no_errors(at)
    assert "geen cijfer (niet gepubliceerd)" in html(at)
    assert "3 buurt(en) zonder gepubliceerd cijfer" in texts(at)  # 3 demo buurten are "."
    at.radio(key="kaart_niveau").set_value("wijk").run()
    no_errors(at)
    assert '"code": "WK999901"' in str(folium_args(at)["script"])
    at.multiselect(key="kaart_lagen").set_value(
        [
            "aanbod",
            "lief_en_leed",
            "welzijn_op_recept",
            "buurtmobiel",
            "ov_haltes",
            "vervoersarmoede",
            "ov_klasse",
            "hotspots",
            "gebieden",
        ]
    ).run()
    no_errors(at)
    script = str(folium_args(at)["script"])
    for name in ("Lief en Leedstraten", "Welzijn op recept", "OV-haltes", "Buurtmobiel-gebied"):
        assert name in script, name
    assert "Vervoersarmoede-index (0 – 1)" in html(at)
    assert "OV-klasse (ARE)" in script and "OV-klasse (werkdagen 6-22 uur)" in html(at)
    at.selectbox(key="kaart_focus").set_value("Noordhoek").run()
    no_errors(at)
    assert "Gekozen aandachtsgebied" in str(folium_args(at)["script"])


def test_kaart_figures_are_a_real_table_with_a_caption():
    """A city's buurten: an HTML table (caption, header cells), no Streamlit grid."""
    at = app()
    body = html(at)
    assert "<caption>Eenzaam per buurt: hetzelfde cijfer als op de kaart (jaar 2020" in body
    assert 'role="region" aria-label="Eenzaam per buurt' in body and 'tabindex="0"' in body
    assert body.count('<th scope="row">') == 30  # the 30 demo buurten
    assert '<th scope="row">Reigerhof</th><td>BU99990203</td>' in body
    assert not at.dataframe  # no grid on the Kaart, so no grid JavaScript before the map
    at.radio(key="kaart_niveau").set_value("wijk").run()
    assert "<caption>Eenzaam per wijk:" in html(at)


@pytest.mark.shared
def test_kaart_figures_of_the_whole_country_stay_a_grid(nl_dir):  # noqa: ANN001
    """10,575 buurten are too many for HTML: the scrolling grid, with the caption above it."""
    at = app(str(nl_dir))
    no_errors(at)
    assert len(at.dataframe[0].value) > 10_000
    assert any(c.value.startswith("Eenzaam per buurt: hetzelfde cijfer") for c in at.caption)


def test_kaart_aanbod_filter_by_soort():
    at = app()
    before = str(folium_args(at)["script"]).count('"type": "Point"')
    at.multiselect(key="kaart_soorten").set_value(["bewegen"]).run()
    no_errors(at)
    script = str(folium_args(at)["script"])
    assert 0 < script.count('"type": "Point"') < before
    assert "Aanbod: Bewegen / sport" in script and "Aanbod: Samen eten" not in script


def test_kaart_chooser_opens_the_profile_with_the_area_in_the_url():
    at = app()
    at.selectbox(key="kaart_profiel").set_value("BU99990203").run()
    no_errors(at)
    assert at.title[0].value == "Gebiedsprofiel"
    assert at.query_params["gebied"] == "BU99990203"
    assert at.header[0].value == "Reigerhof"


# -- Hiaten ----------------------------------------------------------------------------------
def test_hiaten_table_group_level_and_download():
    at = app(page="hiaten")
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["Rang", "Gebied", "Code"]
    assert table["Rang"].tolist()[:3] == [1, 2, 3]
    assert table["Eenzaam"].str.endswith(" %").all()  # Dutch formatting: 48,9 %
    assert table["Eenzaam"].str.contains(",").any()
    at.selectbox(key="group").set_value("jongvolwassenen").run()
    no_errors(at)
    assert "**jongvolwassenen (18-27 jaar)**" in texts(at)
    at.radio(key="hiaten_niveau").set_value("gebied").run()
    no_errors(at)
    assert set(at.dataframe[0].value["Gebied"]) == {
        "Noordhoek",
        "Molenkwartier",
        "Rozenbuurt en Lindenlaan",
    }
    assert at.get("download_button")
    at.toggle(key="hiaten_hotspots").set_value(False).run()
    no_errors(at)


@pytest.mark.shared
def test_hiaten_on_utrecht_says_certainty_and_that_the_offer_is_incomplete():
    at = app(str(UTRECHT), page="hiaten")
    no_errors(at)
    at.radio(key="hiaten_niveau").set_value("wijk").run()
    no_errors(at)
    table = at.dataframe[0].value.set_index("Gebied")
    assert table.loc["Vleuten-De Meern", "Zekerheid"] == "robuust"
    assert table.loc["Binnenstad", "Zekerheid"] == "niet onderscheidend"
    assert table.loc["Overvecht", ["Rang van", "Rang tot"]].tolist() == [2, 2]
    warnings = " ".join(w.value for w in at.warning)
    assert "Het aanbod bevat geen ontmoetingsplekken" in warnings
    assert "dit hiaat zegt iets over de gegevens, niet over de wijk" in warnings
    assert "3 grootste hiaten van de wijken" in texts(at)
    assert "Let op: Het aanbod bevat geen ontmoetingsplekken" in html(at)  # the map legend


# -- Gebiedsprofiel --------------------------------------------------------------------------
@pytest.mark.shared
def test_profiel_overvecht_from_a_shared_link():
    at = app(str(UTRECHT), page="profiel", gebied="Overvecht", groep="jongvolwassenen")
    no_errors(at)
    assert at.header[0].value == "Overvecht"
    assert at.session_state["group"] == "jongvolwassenen"  # the link set the sidebar
    tables = read_tables(html(at))
    table = tables["Eenzaamheid in Overvecht tegen gemeente en Nederland, 18 jaar en ouder, 2020"]
    row = table[table["Indicator"] == "Eenzaam"].iloc[0]
    assert (row["Overvecht"], row["Gemeente"], row["Nederland"]) == ("58,2 %", "48,9 %", "47,0 %")
    assert "Doelgroepen in Overvecht: inwoners en eenzamen" in tables  # a captioned table each
    assert "Bronnen van het profiel van Overvecht" in tables
    assert len(at.get("vega_lite_chart")) >= 2  # comparison and trend
    assert "Doelgroepen" in texts(at)
    assert at.query_params["groep"] == "jongvolwassenen"
    assert any("geen ontmoetingsplekken" in w.value for w in at.warning)
    assert "Zekerheid: robuust (rang 1)" in texts(at)


def test_profiel_makes_the_wijkpropositie_for_the_chosen_area():
    at = app(page="profiel", gebied="Noordhoek")
    assert not at.get("download_button")
    at.button(key="profiel_rapport").click().run()
    no_errors(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 2
    assert any(label.startswith("Download PDF") and "noordhoek" in label for label in labels)
    assert any(label.startswith("Download HTML") for label in labels)
    # another area: the old report is not offered for it
    at.selectbox(key="profiel_gebied").set_value("Molenkwartier").run()
    no_errors(at)
    assert not at.get("download_button")


def test_profiel_choice_is_written_to_the_url():
    at = app(page="profiel", gebied="WK999902")
    no_errors(at)
    assert at.selectbox(key="profiel_gebied").value == "WK999902"
    at.selectbox(key="profiel_gebied").set_value("Molenkwartier").run()
    no_errors(at)
    assert at.query_params["gebied"] == "Molenkwartier"
    assert at.header[0].value == "Molenkwartier"


def test_profiel_unknown_area_warns_and_falls_back():
    at = app(page="profiel", gebied="Atlantis")
    no_errors(at)
    assert any("Atlantis" in w.value for w in at.warning)
    assert at.header[0].value == "Noordhoek"


# -- Aanbod ----------------------------------------------------------------------------------
def test_aanbod_viewing_needs_no_login_and_editing_does(monkeypatch: pytest.MonkeyPatch, demo_copy):
    monkeypatch.delenv("WIJKKOMPAS_WACHTWOORD", raising=False)
    at = app(str(demo_copy), page="aanbod")
    no_errors(at)
    assert len(at.dataframe[0].value) > 0
    assert "Wijzigen is uitgeschakeld" in texts(at)
    monkeypatch.setenv("WIJKKOMPAS_WACHTWOORD", "geheim")
    at = app(str(demo_copy), page="aanbod")
    box = next(t for t in at.text_input if t.label.startswith("Wachtwoord"))
    box.input("fout")
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert any("Onjuist wachtwoord" in e.value for e in at.error)
    box = next(t for t in at.text_input if t.label.startswith("Wachtwoord"))
    box.input("geheim")
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception
    assert at.session_state["editor"] == "redactie"
    assert "Ingelogd als redactie" in texts(at)
    assert any(b.label == "Laatste wijziging ongedaan maken" for b in at.button)


def test_aanbod_search_filters_the_list():
    at = app(page="aanbod")
    everything = len(at.dataframe[0].value)
    at.text_input(key="aanbod_zoek").input("koffie").run()
    no_errors(at)
    found = at.dataframe[0].value
    assert 0 < len(found) < everything
    assert found["Naam"].str.casefold().str.contains("koffie").any()


@pytest.mark.shared
def test_aanbod_utrecht_is_read_only_partner_files():
    at = app(str(UTRECHT), page="aanbod")
    no_errors(at)
    assert "Alleen lezen" in texts(at)
    assert len(at.dataframe[0].value) == 269


# -- Over de data ----------------------------------------------------------------------------
@pytest.mark.shared
def test_over_lists_sources_vintages_and_attribution():
    at = app(str(UTRECHT), page="over")
    no_errors(at)
    sources = at.dataframe[0].value
    assert "rivm_50090NED_2020_65plus.csv" in set(sources["Bestand"])
    vintages = at.dataframe[1].value
    assert set(vintages["Indeling (jaar)"].astype(str)) == {"2013"}
    body = texts(at)
    for name in ("Bron: CBS", "Bron: RIVM, GGD'en, CBS", "Gemeente Utrecht", "OpenStreetMap"):
        assert name in body, name
    assert "2012, 2016, 2020" in body
