"""RIVM 50120NED (2022 edition) with its 95 % intervals (Marges MW00000/MOG0095/MBG0095)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.errors import DataError
from geo.io.rivm import figures_from_rivm
from geo.model.figures import FIGURE_COLUMNS, concat_figures

HEADER = (
    "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Gemeentenaam_1,SoortRegio_2,Codering_3,"
    "Eenzaam_31,ErnstigZeerErnstigEenzaam_32\n"
)


def odata_2022(rows: list[str]) -> str:
    return HEADER + "".join(f"{i},{row}\n" for i, row in enumerate(rows, start=1))


# Overvecht 2022 18+: 58.2 (55.1-61.3); a buurt whose point estimate is suppressed; a buurt
# without interval rows; the gemeente with intervals in both indicators; 2012 edition too.
ROWS = [
    "20300,MW00000,WK034403  ,2022JJ00,Utrecht,Wijk,WK034403,58.2,17.4",
    "20300,MOG0095,WK034403  ,2022JJ00,Utrecht,Wijk,WK034403,55.1,15.0",
    "20300,MBG0095,WK034403  ,2022JJ00,Utrecht,Wijk,WK034403,61.3,19.9",
    "20300,MW00000,BU03440311,2022JJ00,Utrecht,Buurt,BU03440311,.,.",
    "20300,MOG0095,BU03440311,2022JJ00,Utrecht,Buurt,BU03440311,.,.",
    "20300,MBG0095,BU03440311,2022JJ00,Utrecht,Buurt,BU03440311,.,.",
    "20300,MW00000,BU03440312,2022JJ00,Utrecht,Buurt,BU03440312,59.6,18.3",
    "20300,MW00000,GM0344    ,2012JJ00,Utrecht,Gemeente,GM0344,44.0,9.5",
    "20300,MOG0095,GM0344    ,2012JJ00,Utrecht,Gemeente,GM0344,43.0,9.0",
    "20300,MBG0095,GM0344    ,2012JJ00,Utrecht,Gemeente,GM0344,45.0,10.0",
]


def test_2022_edition_keeps_interval_bounds_on_the_figure_rows(tmp_path: Path):
    path = tmp_path / "rivm_50120NED_GM0344.csv"
    path.write_text(odata_2022(ROWS), encoding="utf-8")
    figures = figures_from_rivm(path)
    assert list(figures.columns) == FIGURE_COLUMNS
    by = figures.set_index(["code", "indicator", "year"])
    overvecht = by.loc[("WK034403", "Eenzaam", 2022)]
    assert (overvecht["value"], overvecht["lower"], overvecht["upper"]) == (58.2, 55.1, 61.3)
    severe = by.loc[("WK034403", "ErnstigZeerErnstigEenzaam", 2022)]
    assert (severe["lower"], severe["upper"]) == (15.0, 19.9)
    assert by.loc[("GM0344", "Eenzaam", 2012), "lower"] == 43.0
    # suppressed point estimate: no value and no interval
    hidden = by.loc[("BU03440311", "Eenzaam", 2022)]
    assert hidden["status"] == "niet gepubliceerd"
    assert np.isnan(hidden["value"]) and np.isnan(hidden["lower"]) and np.isnan(hidden["upper"])
    # no interval rows: NaN bounds, value kept
    plain = by.loc[("BU03440312", "Eenzaam", 2022)]
    assert plain["value"] == 59.6 and np.isnan(plain["lower"]) and np.isnan(plain["upper"])
    # one row per figure: the bound rows did not become figures of their own
    assert len(figures) == 8
    assert set(figures["vintage"].astype(str)) == {"indeling 2022"}
    assert figures["lower"].dtype == np.float64 and figures["upper"].dtype == np.float64


def test_concat_keeps_bounds_and_fills_nan_for_tables_without_them(tmp_path: Path):
    path = tmp_path / "rivm_50120NED_GM0344.csv"
    path.write_text(odata_2022(ROWS), encoding="utf-8")
    with_bounds = figures_from_rivm(path)
    without = with_bounds.drop(columns=["lower", "upper"]).head(2)
    both = concat_figures([with_bounds, without])
    assert list(both.columns) == FIGURE_COLUMNS
    assert both["lower"].iloc[: len(with_bounds)].notna().sum() == 4  # WK 2022, GM 2012 × 2
    assert both["lower"].iloc[len(with_bounds) :].isna().all()


def test_lower_bound_above_upper_bound_names_file_row_column_value(tmp_path: Path):
    rows = list(ROWS)
    rows[1] = "20300,MOG0095,WK034403  ,2022JJ00,Utrecht,Wijk,WK034403,62.0,15.0"
    path = tmp_path / "rivm_50120NED_GM0344.csv"
    path.write_text(odata_2022(rows), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        figures_from_rivm(path)
    error = caught.value
    assert error.row == 3 and error.column == "Eenzaam_31" and error.value == "62.0"
    text = str(error)
    assert "rivm_50120NED_GM0344.csv" in text and "ondergrens" in text and "61.3" in text


def test_statline_dutch_margin_labels(tmp_path: Path):
    text = (
        '"Leeftijd";"Marges";"Wijken en buurten";"Perioden";"Regioaanduiding/Codering (code)";'
        '"Eenzaamheid/Eenzaam (%)"\n'
        '"18 jaar of ouder";"Waarde";"Overvecht";"2022";"WK034403";"58,2"\n'
        '"18 jaar of ouder";"Ondergrens 95%-interval";"Overvecht";"2022";"WK034403";"55,1"\n'
        '"18 jaar of ouder";"Bovengrens 95%-interval";"Overvecht";"2022";"WK034403";"61,3"\n'
    )
    path = tmp_path / "50120NED_statline.csv"
    path.write_text(text, encoding="utf-8")
    row = figures_from_rivm(path).iloc[0]
    assert (row["value"], row["lower"], row["upper"]) == (58.2, 55.1, 61.3)
