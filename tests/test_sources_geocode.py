"""``wijkkompas aanbod geocode`` against a local Locatieserver: clear, ambiguous, no match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from geo.aanbod import GeoPackageRegister, import_file, register_path
from geo.cli import app
from geo.sources.locatieserver import address_query, decide
from tests.fixtures.sources.fake_services import FakeServices, env_for

runner = CliRunner()

PARTNER = """Naam;Adres
Sportcentrum Box&Joy;Minister Talmastraat 20, 3555 GH Utrecht
Zuilense Tennis Club;Burgemeester Norbruislaan 680, 3555 EZ Utrecht
Nergens Sport;Nergensstraat 1, 9999 ZZ Nergenshuizen
"""


def doc(name: str, score: float, postcode: str, number: int, x: float, y: float) -> dict:
    return {
        "type": "adres",
        "weergavenaam": name,
        "id": f"adr-{number}",
        "score": score,
        "postcode": postcode,
        "huisnummer": number,
        "woonplaatsnaam": "Utrecht",
        "centroide_rd": f"POINT({x} {y})",
        "centroide_ll": "POINT(5.1 52.1)",
    }


ANSWERS = {
    "Minister Talmastraat 20, 3555 GH Utrecht": [
        doc("Minister Talmastraat 20, 3555GH Utrecht", 17.3, "3555GH", 20, 134101.2, 459112.7),
        doc("Minister Talmastraat 2, 3555GH Utrecht", 9.1, "3555GH", 2, 134080.0, 459090.0),
    ],
    "Burgemeester Norbruislaan 680, 3555 EZ Utrecht": [
        doc("Burgemeester Norbruislaan 680, 3555EZ Utrecht", 15.2, "3555EZ", 680, 133900, 459800),
        doc("Burgemeester Norbruislaan 680A, 3555EZ Utrecht", 15.0, "3555EZ", 680, 133910, 459810),
    ],
}


@pytest.fixture()
def register_with_addresses(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "aanbod").mkdir(parents=True)
    partner = tmp_path / "sportscholen.csv"
    partner.write_text(PARTNER, encoding="utf-8")
    result = import_file(partner, laag="activiteiten")
    assert set(result.frame["locatie_status"]) == {"niet gelokaliseerd"}
    GeoPackageRegister(register_path(folder)).add("activiteiten", result.frame, user="test")
    return folder


def test_geocode_locates_the_clear_match_and_leaves_the_rest_for_review(
    httpserver: HTTPServer,
    tmp_path: Path,
    register_with_addresses: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    FakeServices(httpserver, geocoder=ANSWERS).install()
    for key, value in env_for(httpserver, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    out = runner.invoke(
        app, ["aanbod", "geocode", "--data", str(register_with_addresses), "--json"]
    )
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["counts"] == {"gelokaliseerd": 1, "controleren": 1, "geen match": 1}
    by_name = {row["naam"]: row for row in report["rows"]}
    assert by_name["Sportcentrum Box&Joy"]["score"] == pytest.approx(17.3)
    assert "meerdere kandidaten" in by_name["Zuilense Tennis Club"]["reden"]
    assert by_name["Nergens Sport"]["status"] == "geen match"

    frame = GeoPackageRegister(register_path(register_with_addresses)).list("activiteiten")
    rows = frame.set_index("naam")
    box = rows.loc["Sportcentrum Box&Joy"]
    assert box["locatie_status"] == "gelokaliseerd"
    assert (round(box.geometry.x, 1), round(box.geometry.y, 1)) == (134101.2, 459112.7)
    assert "score 17.3" in box["opmerking"]
    tennis = rows.loc["Zuilense Tennis Club"]
    assert tennis["locatie_status"] == "niet gelokaliseerd" and tennis.geometry is None
    assert tennis["opmerking"].startswith("geocoderen: meerdere kandidaten")

    # a second run asks only for the rows still to review, and does not repeat its remarks
    again = runner.invoke(app, ["aanbod", "geocode", "--data", str(register_with_addresses)])
    assert again.exit_code == 0, again.output
    assert "2 niet-gelokaliseerde rij(en)" in again.stdout
    frame = GeoPackageRegister(register_path(register_with_addresses)).list("activiteiten")
    assert frame.set_index("naam").loc["Zuilense Tennis Club", "opmerking"].count("geocoderen") == 1


def test_decide_rules():
    clear = ANSWERS["Minister Talmastraat 20, 3555 GH Utrecht"]
    assert decide(clear, "Minister Talmastraat 20", "3555GH").status == "gelokaliseerd"
    assert "postcode 3555GH, verwacht 1234AB" in decide(clear, "Talmastraat 20", "1234 AB").reason
    assert decide(clear, "Minister Talmastraat 22", "").status == "controleren"
    assert decide(clear, "Minister Talmastraat", "").reason.startswith("adres zonder huisnummer")
    assert decide([], "Waar dan ook 1", "").status == "geen match"
    assert address_query("Havenweg 6", "3555 HA") == "Havenweg 6 3555 HA"
    assert address_query("Havenweg 6, 3555 HA Utrecht", "3555HA") == "Havenweg 6, 3555 HA Utrecht"


def test_geocode_without_register_is_a_dutch_error(tmp_path: Path):
    out = runner.invoke(app, ["aanbod", "geocode", "--data", str(tmp_path)])
    assert out.exit_code != 0
    assert "nog geen aanbodregister" in str(out.exception)
