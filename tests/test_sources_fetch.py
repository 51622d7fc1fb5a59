"""``fetch_gemeente`` and ``wijkkompas fetch`` against local stand-ins of the real services."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from geo.cli import app
from geo.io.folder import load_dataset
from geo.sources import SourceError
from geo.sources._http import HttpClient
from geo.sources.fetch import fetch_gemeente
from tests.fixtures.sources.fake_services import OGC, OVERPASS, FakeServices, env_for, settings_for

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.fixture()
def services(httpserver: HTTPServer) -> FakeServices:
    return FakeServices(httpserver).install()


def test_fetch_writes_a_dataset_the_loaders_read(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    steps: list[tuple[str, float]] = []
    result = fetch_gemeente(
        "Utrecht", tmp_path / "data", settings=settings, progress=lambda s, f: steps.append((s, f))
    )
    assert result.gemeente.code == "GM0344" and result.gemeente.naam == "Utrecht"
    names = sorted(p.name for p in (tmp_path / "data" / "wijken").iterdir())
    assert names == [
        "cbs_buurten_2023_GM0344.geojson",
        "cbs_kwb_2023_GM0344.csv",
        "cbs_nabijheid_2023_GM0344.csv",
        "cbs_wijken_2023_GM0344.geojson",
        "rivm_50090NED_GM0344.csv",
        "rivm_50120NED_GM0344.csv",
    ]
    # 23 buurten over three pages of 10, kwb rows over three OData pages
    rows = {e["bestand"]: e["rijen"] for e in result.files}
    assert rows["wijken/cbs_buurten_2023_GM0344.geojson"] == 23
    assert rows["wijken/cbs_wijken_2023_GM0344.geojson"] == 2
    assert rows["wijken/cbs_kwb_2023_GM0344.csv"] == 26  # gemeente, 2 wijken, 23 buurten
    assert result.aanbod == {"activiteiten": 5, "ov_haltes": 3}
    fractions = [f for _s, f in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    manifest = json.loads((tmp_path / "data" / "bronnen.json").read_text(encoding="utf-8"))
    kwb = next(e for e in manifest["bestanden"] if e["tabel"] == "85618NED")
    assert kwb["licentie"].startswith("CC BY 4.0") and kwb["jaar"] == 2023
    assert kwb["url"].endswith("/odata/85618NED/TypedDataSet") and kwb["opgehaald"]
    assert not [p for p in (tmp_path / "data").iterdir() if p.name.startswith(".ophalen")]

    dataset = load_dataset(tmp_path / "data")
    assert dataset.gemeente_code == "GM0344" and not dataset.demo
    assert dataset.level("buurt").shape[0] == 23 and dataset.level("wijk").shape[0] == 2
    assert dataset.years == [2020, 2022]
    pop = dataset.population(2023)
    assert int(pop.loc["WK034403", "leeftijd_65_plus"]) == 4825  # Overvecht, as CBS publishes
    overvecht = dataset.figures.query(
        "code == 'WK034403' and indicator == 'Eenzaam' and group == '18+' and year == 2020"
    )
    assert overvecht["value"].item() == pytest.approx(58.2)
    # 50120NED came with its interval rows (fixture: point ± 2.0): kept as lower/upper
    later = dataset.figures.query(
        "code == 'WK034403' and indicator == 'Eenzaam' and group == '18+' and year == 2022"
    )
    assert later[["value", "lower", "upper"]].iloc[0].tolist() == pytest.approx([59.2, 57.2, 61.2])
    asked = [
        request.args.get("$filter", "")
        for request, _ in services.server.log
        if "50120NED" in request.path
    ]
    assert any("MOG0095" in q and "MBG0095" in q and "MW00000" in q for q in asked)
    assert "Afstand tot bibliotheek" in set(dataset.figures["indicator"])


def test_cli_fetch_then_info_then_hiaten(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    for key, value in env_for(services.server, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    data = tmp_path / "utrecht"
    fetched = runner.invoke(app, ["fetch", "--gemeente", "GM0344", "--data", str(data), "--json"])
    assert fetched.exit_code == 0, fetched.output
    assert json.loads(fetched.stdout)["aanbod"] == {"activiteiten": 5, "ov_haltes": 3}

    info = runner.invoke(app, ["info", str(data), "--json"])
    assert info.exit_code == 0, info.output
    summary = json.loads(info.stdout)
    assert summary["gemeente"] == {"code": "GM0344", "naam": "Utrecht"}
    assert summary["areas"]["buurt"] == 23 and summary["areas"]["wijk"] == 2

    hiaten = runner.invoke(
        app,
        ["hiaten", str(data), "--groep", "ouderen", "--niveau", "wijk", "--jaar", "2020", "--json"],
    )
    assert hiaten.exit_code == 0, hiaten.output
    rows = {row["code"]: row for row in json.loads(hiaten.stdout)["rows"]}
    overvecht = rows["WK034403"]
    assert overvecht["population"] == 4825  # CBS 2023: 65-plussers in Overvecht
    assert overvecht["lonely_rate_published"] == pytest.approx(58.5, abs=0.05)  # RIVM 2020 65+
    assert overvecht["lonely_published"] == pytest.approx(4825 * 0.585, rel=1e-3)
    # the OSM aanbod reaches somebody: the senior soos and the buurthuis are in Overvecht
    assert overvecht["reachable_offer"] > 0
    assert overvecht["unserved"] < overvecht["lonely"]


def test_unknown_gemeente_is_a_clear_message_and_writes_nothing(
    services: FakeServices, tmp_path: Path
):
    settings = settings_for(services.server, tmp_path / "cache")
    with pytest.raises(SourceError) as caught:
        fetch_gemeente("Atlantis", tmp_path / "data", settings=settings)
    assert "gemeente 'Atlantis' niet gevonden" in str(caught.value)
    assert caught.value.kind == "leeg"
    with pytest.raises(SourceError, match="PDOK kent geen wijken van gemeente GM9998"):
        fetch_gemeente("GM9998", tmp_path / "data", settings=settings)
    assert not (tmp_path / "data").exists()


def test_a_late_failure_leaves_the_folder_as_it_was(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    target = tmp_path / "data"
    (target / "notities").mkdir(parents=True)
    (target / "notities" / "lees.txt").write_text("van mij", encoding="utf-8")
    before = snapshot(target)
    services.fail[OVERPASS] = [503] * 10  # Overpass comes last and keeps failing
    with pytest.raises(SourceError) as caught:
        fetch_gemeente("GM0344", target, settings=settings)
    assert "HTTP 503" in str(caught.value) and "niets gewijzigd" in str(caught.value)
    assert snapshot(target) == before
    assert sorted(p.name for p in target.iterdir()) == ["notities"]


def test_an_occupied_folder_needs_vervang_and_keeps_the_old_data(
    services: FakeServices, tmp_path: Path
):
    settings = settings_for(services.server, tmp_path / "cache")
    target = tmp_path / "data"
    (target / "wijken").mkdir(parents=True)
    (target / "wijken" / "eigen.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="bevat al gegevens"):
        fetch_gemeente("GM0344", target, settings=settings)
    assert services.server.log == []  # refused before any download
    result = fetch_gemeente("GM0344", target, settings=settings, replace_existing=True)
    assert result.backup == target / ".vorige-ophaling"
    assert (result.backup / "wijken" / "eigen.csv").exists()
    assert not (target / "wijken" / "eigen.csv").exists()


def test_second_fetch_comes_from_the_cache(services: FakeServices, tmp_path: Path):
    settings = settings_for(services.server, tmp_path / "cache")
    first = fetch_gemeente("GM0344", tmp_path / "a", settings=settings)
    asked = len(services.server.log)
    assert first.network_requests == asked > 10
    second = fetch_gemeente("GM0344", tmp_path / "b", settings=settings)
    assert second.network_requests == 0 and len(services.server.log) == asked
    assert snapshot(tmp_path / "a" / "wijken") == snapshot(tmp_path / "b" / "wijken")
    third = fetch_gemeente("GM0344", tmp_path / "c", settings=settings, refresh=True)
    assert third.network_requests == asked


def test_wfs_is_the_fallback_when_the_ogc_api_fails(httpserver: HTTPServer, tmp_path: Path):
    services = FakeServices(httpserver).install()
    services.fail[f"{OGC}/wijken"] = [500] * 3
    services.fail[f"{OGC}/buurten"] = [500] * 3
    result = fetch_gemeente(
        "GM0344", tmp_path / "data", settings=settings_for(httpserver, tmp_path / "c")
    )
    buurten = next(e for e in result.files if "buurten" in e["bestand"])
    assert "WFS" in buurten["bron"] and buurten["rijen"] == 23  # three startIndex pages
    wfs_pages = [r for r, _ in httpserver.log if r.path.endswith("wfs/v1_0")]
    assert [
        r.args["startIndex"] for r in wfs_pages if r.args["typeNames"].endswith(":buurten")
    ] == [
        "0",
        "10",
        "20",
    ]
    dataset = load_dataset(tmp_path / "data")
    assert dataset.level("buurt").shape[0] == 23
    assert dataset.areas.crs.to_epsg() == 28992


def test_cli_error_is_dutch_with_exit_code_2(
    services: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    from geo.cli import main

    for key, value in env_for(services.server, tmp_path / "cache").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(
        "sys.argv", ["wijkkompas", "fetch", "--gemeente", "Atlantis", "--data", str(tmp_path / "d")]
    )
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Fout: gemeente 'Atlantis' niet gevonden bij PDOK" in err and "Traceback" not in err


def test_client_is_closed_after_use(services: FakeServices, tmp_path: Path):
    client = HttpClient(settings_for(services.server, tmp_path / "cache"))
    with client:
        fetch_gemeente("GM0344", tmp_path / "data", client=client, osm=False)
    assert not (tmp_path / "data" / "aanbod" / "register.gpkg").exists()
