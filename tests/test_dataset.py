from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.io.folder import load_dataset
from geo.io.gebieden import gebieden_from_file
from geo.model.gebieden import Gebied, save_gebied
from geo.model.summary import summarise
from tests.conftest import NL, UTRECHT

UTRECHT_FOCUS = {
    "Overvecht": ["WK034403"],
    "Zuilen": [
        "BU03440231",
        "BU03440232",
        "BU03440233",
        "BU03440241",
        "BU03440242",
        "BU03440243",
        "BU03440244",
    ],
    "Lunetten": ["BU03440711", "BU03440712"],
    "Transwijk": ["BU03440822", "BU03440823"],
}


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, check=False
    )


def test_demo_dataset_loads_and_is_labelled(demo_dataset):
    assert demo_dataset.demo and "demo" in demo_dataset.titel.lower()
    counts = demo_dataset.areas["niveau"].value_counts().to_dict()
    assert counts == {"gemeente": 1, "wijk": 6, "buurt": 30}
    assert demo_dataset.gemeente_code == "GM9999"
    assert set(demo_dataset.gebieden) == {"Noordhoek", "Molenkwartier", "Rozenbuurt en Lindenlaan"}
    assert demo_dataset.years == [2016, 2020]
    assert demo_dataset.figures["source"].astype(str).str.startswith("DEMO").all()
    not_published = demo_dataset.figures[demo_dataset.figures["status"] == "niet gepubliceerd"]
    assert len(not_published) > 0 and not_published["value"].isna().all()


def test_demo_wijk_population_is_sum_of_buurten(demo_dataset):
    population = demo_dataset.population()
    buurten = population[population["niveau"] == "buurt"]
    for wijk in demo_dataset.level("wijk")["code"]:
        members = buurten[buurten.index.str[2:8] == wijk[2:8]]
        assert members["inwoners"].sum() == population.loc[wijk, "inwoners"]


def test_gemeente_selection_errors(demo_dir: Path):
    with pytest.raises(DataError, match="komt niet voor"):
        load_dataset(demo_dir, gemeente="Atlantis")
    assert load_dataset(demo_dir, gemeente="demostad").gemeente_code == "GM9999"
    assert load_dataset(demo_dir, gemeente="9999").gemeente_code == "GM9999"


def test_missing_wijken_folder(tmp_path: Path):
    with pytest.raises(DataError, match="wijken/"):
        load_dataset(tmp_path)


def test_figure_codes_without_geometry_are_reported(demo_copy: Path):
    rivm = demo_copy / "wijken" / "rivm_50090NED_2020_18plus.csv"
    rows = rivm.read_text(encoding="utf-8").splitlines()
    extra = rows[-1].split(",")
    extra[0], extra[3], extra[7] = "9999", "BU99990799", "BU99990799"
    rivm.write_text("\n".join([*rows, ",".join(extra)]) + "\n", encoding="utf-8")
    dataset = load_dataset(demo_copy)
    unmatched = dataset.unmatched.set_index("code")
    assert "BU99990799" in unmatched.index
    assert "indeling" in unmatched.loc["BU99990799", "reden"]


def test_gebieden_file_and_save(demo_copy: Path, demo_dataset):
    save_gebied(
        demo_copy,
        Gebied(naam="Mijn buurten", codes=("BU99990101", "BU99990102"), beschrijving="test"),
    )
    gebieden = gebieden_from_file(demo_copy / "gebieden.toml")
    assert gebieden["Mijn buurten"].codes == ("BU99990101", "BU99990102")
    assert "Noordhoek" in gebieden  # existing entries kept
    assert gebieden["Noordhoek"].buurt_codes(demo_dataset.areas) == [
        f"BU99990{i}" for i in range(201, 206)
    ]


def test_gebied_from_polygon_file(demo_copy: Path, demo_dataset):
    wijk = demo_dataset.level("wijk").set_index("code").loc[["WK999902"]]
    wijk.reset_index()[["code", "geometry"]].to_file(demo_copy / "noord.geojson")
    (demo_copy / "gebieden.toml").write_text('[Noord]\nbestand = "noord.geojson"\n')
    gebieden = gebieden_from_file(demo_copy / "gebieden.toml", areas=demo_dataset.areas)
    assert gebieden["Noord"].codes == tuple(f"BU99990{i}" for i in range(201, 206))


@pytest.mark.shared
def test_utrecht_info_json():
    result = wijkkompas("info", str(UTRECHT), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["areas"] == {"gemeente": 1, "wijk": 10, "buurt": 111}
    assert {g["naam"]: g["codes"] for g in info["focus_areas"]} == UTRECHT_FOCUS
    eenzaam = {(f["group"], f["year"]): f for f in info["figures"] if f["indicator"] == "Eenzaam"}
    expected = {
        ("18+", 2012): 105,
        ("65+", 2012): 102,
        ("18+", 2016): 108,
        ("65+", 2016): 104,
        ("18+", 2020): 109,
        ("65+", 2020): 105,
    }
    for key, with_value in expected.items():
        row = eenzaam[key]
        assert row["with_value"] == {"gemeente": 1, "wijk": 10, "buurt": with_value}
        assert row["not_published"] == {"gemeente": 0, "wijk": 0, "buurt": 111 - with_value}
    assert info["unmatched"] == []


@pytest.mark.shared
def test_utrecht_values_and_names(utrecht_dataset):
    figures = utrecht_dataset.figures
    f2020 = figures[(figures["year"] == 2020) & (figures["group"] == "18+")]
    value = f2020.set_index(["code", "indicator"])["value"]
    assert value[("GM0344", "Eenzaam")] == 48.9
    assert value[("WK034403", "Eenzaam")] == 58.2
    assert value[("WK034403", "ErnstigZeerErnstigEenzaam")] == 17.4
    assert value[("BU03440244", "Eenzaam")] == 50.4
    assert value[("NL01", "Eenzaam")] == 47.0  # built-in national reference
    # zero is never used for a suppressed figure
    suppressed = figures[figures["status"] == "niet gepubliceerd"]
    assert suppressed["value"].isna().all()
    names = utrecht_dataset.areas.set_index("code")["naam"]
    # full CBS name instead of the municipal one truncated to 20 characters
    assert names["BU03440311"] == "Taag- en Rubicondreef en omgeving"
    assert names["WK034403"] == "Overvecht"
    assert utrecht_dataset.population(2023).loc["BU03440244", "inwoners"] == 3775


@pytest.mark.shared
@pytest.mark.slow
def test_national_files_select_utrecht_and_report_vintage_mismatch():
    result = wijkkompas("info", str(NL), "--gemeente", "Utrecht", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["gemeente"] == {"code": "GM0344", "naam": "Utrecht"}
    # one Utrecht buurt collapses to nothing in the coarse 2014 TopoJSON: reported, not lost
    assert info["areas"]["wijk"] == 10
    shapeless = [u["code"] for u in info["unmatched"] if "zonder vorm" in u["reden"]]
    assert info["areas"]["buurt"] + len(set(shapeless)) == 111
    assert any("geen coördinatenstelsel" in n for n in info["notices"])  # TopoJSON without CRS
    groningen = json.loads(wijkkompas("info", str(NL), "--gemeente", "GM0014", "--json").stdout)
    assert groningen["unmatched"], "2014 boundaries vs 2020 figures must leave codes unmatched"
    assert all(
        "indeling 2014" in u["reden"] or "zonder vorm" in u["reden"] for u in groningen["unmatched"]
    )


def test_cli_info_text_on_demo(demo_dir: Path):
    result = wijkkompas("info", str(demo_dir))
    assert result.returncode == 0
    assert "DEMO" in result.stdout and "30 buurten" in result.stdout
    assert "Noordhoek" in result.stdout


def test_summary_counts_only_joined_areas(demo_dataset):
    summary = summarise(demo_dataset)
    row = next(
        f
        for f in summary["figures"]
        if f["indicator"] == "Eenzaam" and f["group"] == "18+" and f["year"] == 2020
    )
    assert sum(row["with_value"].values()) + sum(row["not_published"].values()) == 37
