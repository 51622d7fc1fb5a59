from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.io.kwb import figures_from_nabijheid, population_from_kwb
from geo.io.recognise import recognise
from geo.io.rivm import figures_from_rivm
from geo.model.figures import NOT_PUBLISHED, PUBLISHED
from tests.conftest import UTRECHT

ODATA_2022 = (
    "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Gemeentenaam_1,SoortRegio_2,Codering_3,"
    "Eenzaam_31,ErnstigZeerErnstigEenzaam_32,SociaalEenzaam_34\n"
    "1,80200,MW00000,GM0344,2022JJ00,Utrecht,Gemeente,GM0344,50.1,12.0,\n"
    "2,80200,MW00000,BU03440244,2022JJ00,Utrecht,Buurt,BU03440244,.,.,\n"
    "3,80200,MW00000,BU03440245,2022JJ00,Utrecht,Buurt,BU03440245,0.0,0.0,\n"
    "4,80200,MOG0095,GM0344,2022JJ00,Utrecht,Gemeente,GM0344,48.0,11.0,\n"
)

STATLINE_NL = (
    '\ufeff"Leeftijd";"Marges";"Wijken en buurten";"Perioden";'
    '"Regioaanduiding/Gemeentenaam (naam)";"Regioaanduiding/Codering (code)";'
    '"Eenzaamheid/Eenzaam (%)";"Eenzaamheid/Ernstig/zeer ernstig eenzaam (%)";'
    '"Financiën/Moeite met rondkomen (%)"\n'
    '"65 jaar of ouder";"Waarde";"Overvecht";"2020";"Utrecht                  ";'
    '"WK034403  ";"    60,1";"    14,8";"      .";\n'
)


def test_odata_stems_suffixes_and_missing_vs_suppressed(tmp_path: Path):
    path = tmp_path / "rivm_50120NED_2022_65plus.csv"
    path.write_text(ODATA_2022, encoding="utf-8")
    figures = figures_from_rivm(path)
    # Only the point estimate (MW00000) is kept; the edition lacks SociaalEenzaam (empty).
    assert set(figures["indicator"].astype(str)) == {"Eenzaam", "ErnstigZeerErnstigEenzaam"}
    by = figures.set_index(["code", "indicator"])
    assert by.loc[("GM0344", "Eenzaam"), "value"] == 50.1
    assert by.loc[("BU03440244", "Eenzaam"), "status"] == NOT_PUBLISHED
    assert np.isnan(by.loc[("BU03440244", "Eenzaam"), "value"])
    assert by.loc[("BU03440245", "Eenzaam"), "value"] == 0.0  # zero is a published value
    assert by.loc[("BU03440245", "Eenzaam"), "status"] == PUBLISHED
    assert set(figures["group"].astype(str)) == {"65+"} and set(figures["year"]) == {2022}
    assert set(figures["vintage"].astype(str)) == {"indeling 2022"}
    assert figures.attrs["gemeenten"] == {"0344": "Utrecht"}


def test_statline_dutch_export(tmp_path: Path):
    path = tmp_path / "50090NED_statline.csv"
    path.write_text(STATLINE_NL, encoding="utf-8")
    assert recognise(path).kind == "rivm"
    figures = figures_from_rivm(path).set_index("indicator")
    assert figures.loc["Eenzaam", "value"] == 60.1
    assert figures.loc["ErnstigZeerErnstigEenzaam", "value"] == 14.8
    assert figures.loc["MoeiteMetRondkomen", "status"] == NOT_PUBLISHED
    assert set(figures["code"].astype(str)) == {"WK034403"}
    assert set(figures["group"].astype(str)) == {"65+"} and set(figures["year"]) == {2020}


@pytest.mark.shared
def test_real_rivm_values_reproduce_publication():
    figures = figures_from_rivm(UTRECHT / "wijken" / "rivm_50090NED_2020_18plus.csv")
    value = figures.set_index(["code", "indicator"])["value"]
    assert value[("GM0344", "Eenzaam")] == 48.9
    assert value[("WK034403", "Eenzaam")] == 58.2
    assert value[("WK034403", "ErnstigZeerErnstigEenzaam")] == 17.4
    assert value[("BU03440244", "Eenzaam")] == 50.4


@pytest.mark.shared
def test_real_kwb_and_nabijheid():
    population = population_from_kwb(UTRECHT / "wijken" / "cbs_kwb_2023_GM0344.csv")
    assert population.loc["BU03440244", "inwoners"] == 3775
    assert population.loc["WK034403", "naam"] == "Overvecht"  # 'Wijk 03 Overvecht'
    assert population.loc["WK034403", "leeftijd_65_plus"] == 4825
    assert population.attrs["year"] == 2023
    assert np.isnan(population.loc["GM0344", "huishoudens_laag_inkomen_pct"])  # '.'
    nabijheid = figures_from_nabijheid(
        UTRECHT / "wijken" / "cbs_nabijheid_2023_GM0344.csv", gemeente_digits="0344"
    )
    assert {"km", "aantal"} <= set(nabijheid["unit"])
    assert nabijheid["code"].str.strip().eq(nabijheid["code"]).all()  # padding removed
    assert nabijheid["indicator"].str.contains("supermarkt").any()


def test_kwb_padded_codes_and_xlsx(tmp_path: Path):
    import openpyxl

    path = tmp_path / "kwb_2024.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["gwb_code_10", "regio", "gm_naam", "a_inw", "a_65_oo", "g_pau_hh"])
    sheet.append(["GM0344    ", "Utrecht", "Utrecht", 374238, 40261, "0,7"])
    sheet.append(["WK034403  ", "Wijk 03 Overvecht", "Utrecht", 35000, ".", "0.6"])
    book.save(path)
    population = population_from_kwb(path)
    assert population.index.tolist() == ["GM0344", "WK034403"]
    assert population.loc["GM0344", "autos_per_huishouden"] == 0.7
    assert np.isnan(population.loc["WK034403", "leeftijd_65_plus"])
    assert population.attrs["year"] == 2024
