"""PDOK/CBS Wijken en Buurten downloads: kwb attributes on the features as population.

The fixtures are written by the tests in the real PDOK layout (lower-case attributes, the
sentinels -99995/-99997/-99999, ``water`` JA/NEE, a GeoPackage with the layers ``buurten``,
``wijken`` and ``gemeenten``), on the real shapes of Overvecht's ten buurten.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from geo.analysis.populations import estimate_populations
from geo.cli import app
from geo.errors import DataError
from geo.io.folder import load_dataset
from geo.io.pdok import population_from_pdok, read_pdok
from tests.conftest import UTRECHT

pytestmark = pytest.mark.shared
runner = CliRunner()

OVERVECHT = ["0311", "0312", "0321", "0322", "0331", "0332", "0333", "0341", "0342", "0343"]


def pdok_buurten() -> gpd.GeoDataFrame:
    """Overvecht's buurten as PDOK publishes them: 2,000 inhabitants, 15 % 65+, 40 % alone.

    BU03440311: aantal_inwoners -99997 (niet beschikbaar); BU03440312: 65+ -99995 (geheim);
    BU03440343: a water-only buurt (water JA, 0 inhabitants).
    """
    shapes = gpd.read_file(UTRECHT / "wijken" / "gemeente-utrecht_buurten_2013.geojson")
    shapes = shapes[shapes["KODE"].isin(OVERVECHT)].sort_values("KODE")
    rows = []
    for kode in shapes["KODE"]:
        rows.append(
            {
                "buurtcode": f"BU0344{kode}",
                "buurtnaam": f"Buurt {kode}",
                "wijkcode": "WK034403",
                "gemeentecode": "GM0344",
                "gemeentenaam": "Utrecht",
                "water": "NEE",
                "aantal_inwoners": 2000,
                "mannen": 1000,
                "vrouwen": 1000,
                "percentage_personen_0_tot_15_jaar": 20,
                "percentage_personen_15_tot_25_jaar": 10,
                "percentage_personen_25_tot_45_jaar": 30,
                "percentage_personen_45_tot_65_jaar": 25,
                "percentage_personen_65_jaar_en_ouder": 15,
                "aantal_huishoudens": 1000,
                "percentage_eenpersoonshuishoudens": 40,
                "gemiddelde_huishoudsgrootte": 2.0,
                "percentage_met_herkomstland_nederland": 50,
                "percentage_met_herkomstland_uit_europa_excl_nl": 10,
                "percentage_met_herkomstland_buiten_europa": 40,
                "personenautos_per_huishouden": 0.6,
                "huisartsenpraktijk_gemiddelde_afstand_in_km": 0.8,
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry=shapes.geometry.to_numpy(), crs=shapes.crs)
    frame.loc[frame["buurtcode"] == "BU03440311", "aantal_inwoners"] = -99997
    frame.loc[frame["buurtcode"] == "BU03440312", "percentage_personen_65_jaar_en_ouder"] = -99995
    water = frame["buurtcode"] == "BU03440343"
    frame.loc[water, "water"] = "JA"
    frame.loc[water, "aantal_inwoners"] = 0
    frame.loc[water, "huisartsenpraktijk_gemiddelde_afstand_in_km"] = -99999
    return frame


def pdok_wijken(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    wijk = buurten.dissolve()[["geometry"]]
    for key, value in {
        "wijkcode": "WK034403",
        "wijknaam": "Overvecht",
        "gemeentecode": "GM0344",
        "gemeentenaam": "Utrecht",
        "water": "NEE",
        "aantal_inwoners": 18000,
        "percentage_personen_65_jaar_en_ouder": 15,
        "aantal_huishoudens": 9000,
        "percentage_eenpersoonshuishoudens": 40,
    }.items():
        wijk[key] = value
    return wijk.reset_index(drop=True)


def pdok_gemeenten(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The gemeente with PDOK's separate water feature under the same code."""
    land = buurten.dissolve().geometry.iloc[0]
    minx, miny, _maxx, _maxy = land.bounds
    water = box(minx - 0.01, miny - 0.01, minx, miny)
    return gpd.GeoDataFrame(
        {
            "gemeentecode": ["GM0344", "GM0344"],
            "gemeentenaam": ["Utrecht", "Utrecht"],
            "water": ["NEE", "JA"],
            "aantal_inwoners": [367947, 0],
            "percentage_personen_65_jaar_en_ouder": [11, -99997],
        },
        geometry=[land, water],
        crs=buurten.crs,
    )


def write_gpkg(path: Path, buurten: gpd.GeoDataFrame | None = None) -> Path:
    buurten = pdok_buurten() if buurten is None else buurten
    buurten.to_file(path, layer="buurten", driver="GPKG")
    pdok_wijken(buurten).to_file(path, layer="wijken", driver="GPKG")
    pdok_gemeenten(buurten).to_file(path, layer="gemeenten", driver="GPKG")
    return path


def pdok_folder(tmp_path: Path, *, kwb: bool = False) -> Path:
    """A data folder with only the PDOK download and the RIVM tables (plus kwb if asked)."""
    wijken = tmp_path / "data" / "wijken"
    wijken.mkdir(parents=True)
    write_gpkg(wijken / "wijkenbuurten_2023_v1.gpkg")
    for source in sorted((UTRECHT / "wijken").glob("rivm_50090NED_2020_*.csv")):
        shutil.copy(source, wijken / source.name)
    if kwb:
        shutil.copy(UTRECHT / "wijken" / "cbs_kwb_2023_GM0344.csv", wijken)
    return tmp_path / "data"


def test_geojson_attributes_become_counts_estimates_and_sentinels(tmp_path: Path):
    path = tmp_path / "buurten_2023.geojson"
    pdok_buurten().to_file(path, driver="GeoJSON")
    population, distances = read_pdok(path)
    row = population.loc["BU03440321"]
    assert row["inwoners"] == 2000 and row["mannen"] == 1000
    assert row["leeftijd_65_plus"] == 300  # 2,000 × 15 / 100
    assert row["leeftijd_0_14"] == 400 and row["leeftijd_25_44"] == 600
    assert row["eenpersoonshuishoudens"] == 400  # 1,000 huishoudens × 40 / 100
    assert row["herkomst_buiten_europa"] == 800 and row["herkomst_europa"] == 200
    assert row["autos_per_huishouden"] == 0.6 and row["huishoudensgrootte"] == 2.0
    assert row["naam"] == "Buurt 0321" and row["niveau"] == "buurt"
    # -99997 = niet beschikbaar: no inhabitants, so nothing derived from them either
    assert np.isnan(population.loc["BU03440311", "inwoners"])
    assert np.isnan(population.loc["BU03440311", "leeftijd_65_plus"])
    # -99995 = geheim: the count is known, the 65+ share is not
    assert population.loc["BU03440312", "inwoners"] == 2000
    assert np.isnan(population.loc["BU03440312", "leeftijd_65_plus"])
    # water only: not residential
    water = population.loc["BU03440343"]
    assert bool(water["alleen_water"]) and water["inwoners"] == 0 and water["leeftijd_65_plus"] == 0
    assert "leeftijd_65_plus" in population.attrs["from_percentages"]
    assert "inwoners" not in population.attrs["from_percentages"]
    assert population.attrs["year"] == 2023
    huisarts = distances[distances["indicator"] == "Afstand tot huisartsenpraktijk"]
    assert huisarts.set_index("code").loc["BU03440321", "value"] == 0.8
    assert huisarts.set_index("code").loc["BU03440343", "status"] == "niet gepubliceerd"
    assert set(huisarts["unit"]) == {"km"}


def test_geopackage_layers_give_buurten_wijk_and_gemeente(tmp_path: Path):
    population = population_from_pdok(write_gpkg(tmp_path / "wijkenbuurten_2023_v1.gpkg"))
    assert population.loc["WK034403", "niveau"] == "wijk"
    assert population.loc["WK034403", "leeftijd_65_plus"] == 2700  # 18,000 × 15 %
    assert population.loc["WK034403", "naam"] == "Overvecht"
    # the gemeente's water twin is not its population
    assert population.loc["GM0344", "inwoners"] == 367947
    assert not bool(population.loc["GM0344", "alleen_water"])
    assert len(population) == 12  # 10 buurten, 1 wijk, 1 gemeente


def test_folder_with_only_a_pdok_download_has_populations_that_are_estimates(tmp_path: Path):
    dataset = load_dataset(pdok_folder(tmp_path))
    assert dataset.gemeente_code == "GM0344" and dataset.gemeente_naam == "Utrecht"
    assert dataset.level("buurt").shape[0] == 10
    assert dataset.level("wijk")["naam"].tolist() == ["Overvecht"]
    assert dataset.level("gemeente").shape[0] == 1  # the water twin left out, and said
    assert any("water" in n and "weggelaten" in n for n in dataset.notices)
    population = dataset.population()
    assert population.attrs["year"] == 2023
    assert population.loc["BU03440321", "leeftijd_65_plus"] == 300
    assert any("hele percentages" in n for n in dataset.notices)
    assert "pdok" in set(dataset.sources["soort"])
    assert "Afstand tot huisartsenpraktijk" in set(dataset.figures["indicator"].astype(str))
    groups = estimate_populations(population).set_index(["code", "group"])
    ouderen = groups.loc[("BU03440321", "ouderen")]
    assert ouderen["population"] == 300 and ouderen["estimated"] == "schatting"
    assert bool(ouderen["from_percentages"]) and "percentage" in ouderen["method"]
    assert "geen telling" in ouderen["method"]


def test_kwb_table_wins_over_pdok_attributes_and_the_notes_say_so(tmp_path: Path):
    dataset = load_dataset(pdok_folder(tmp_path, kwb=True))
    population = dataset.population()
    assert population.attrs["source"].startswith("CBS Kerncijfers wijken en buurten 2023")
    assert int(population.loc["WK034403", "leeftijd_65_plus"]) == 4825  # counted by CBS
    assert any("genegeerd" in n and "wijkenbuurten_2023_v1.gpkg" in n for n in dataset.notices)
    groups = estimate_populations(population)
    assert not groups["from_percentages"].any()


def test_hiaten_and_profiel_work_on_a_pdok_only_folder(tmp_path: Path):
    folder = pdok_folder(tmp_path)
    result = runner.invoke(app, ["hiaten", str(folder), "--niveau", "buurt", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["code"]: r for r in data["rows"]}
    # 300 ouderen × the buurt's published 65+ rate
    assert rows["BU03440321"]["population"] == 300
    assert rows["BU03440321"]["population_estimated"] == "schatting"
    assert rows["BU03440343"]["population"] == 0  # water only
    assert "geschat uit de hele percentages" in data["notes"][0]
    profile = runner.invoke(app, ["profiel", str(folder), "--gebied", "Overvecht", "--json"])
    assert profile.exit_code == 0, profile.output
    figures = json.loads(profile.stdout)["figures"]
    assert figures[0]["value"] == 58.2 and figures[0]["nederland"] == 47.0


@pytest.mark.parametrize(
    ("column", "feature", "value", "expected"),
    [
        ("percentage_personen_65_jaar_en_ouder", "BU03440322", 140, "tussen 0 en 100"),
        ("aantal_inwoners", "BU03440331", -5, "niet negatief"),
    ],
)
def test_impossible_values_are_a_dutch_error_naming_feature_column_value(
    tmp_path: Path, column: str, feature: str, value: int, expected: str
):
    buurten = pdok_buurten()
    buurten.loc[buurten["buurtcode"] == feature, column] = value
    folder = pdok_folder(tmp_path)
    write_gpkg(folder / "wijken" / "wijkenbuurten_2023_v1.gpkg", buurten)
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    error = caught.value
    position = [f"BU0344{k}" for k in OVERVECHT].index(feature) + 1
    assert error.column == column and error.value == value and error.row == position
    text = str(error)
    assert "wijkenbuurten_2023_v1.gpkg" in text and feature in text and "buurten" in text
    assert expected in text


def test_separate_buurt_and_wijk_geojson_files_make_one_population(tmp_path: Path):
    wijken = tmp_path / "data" / "wijken"
    wijken.mkdir(parents=True)
    buurten = pdok_buurten()
    buurten.to_file(wijken / "cbs_buurten_2023.geojson", driver="GeoJSON")
    pdok_wijken(buurten).to_file(wijken / "cbs_wijken_2023.geojson", driver="GeoJSON")
    rivm = UTRECHT / "wijken" / "rivm_50090NED_2020_65plus.csv"
    shutil.copy(rivm, wijken / rivm.name)
    dataset = load_dataset(tmp_path / "data")
    population = dataset.population()
    assert population.loc["WK034403", "leeftijd_65_plus"] == 2700
    assert population.loc["BU03440321", "leeftijd_65_plus"] == 300
    assert sorted(dataset.sources.loc[dataset.sources["soort"] == "pdok", "bestand"]) == [
        "cbs_buurten_2023.geojson",
        "cbs_wijken_2023.geojson",
    ]
    shown = runner.invoke(app, ["info", str(tmp_path / "data")]).stdout
    assert "Bevolking: CBS/PDOK Wijken en Buurten 2023" in shown
