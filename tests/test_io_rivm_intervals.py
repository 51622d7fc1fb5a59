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


# -- the trend rule and the display, on a dataset -----------------------------------------
TREND_ROWS = [
    # Overvecht: 2016 -> 2020 overlaps (48-52 vs 49-53); 2020 -> 2022 does not (53.0 < 55.1)
    "20300,MW00000,WK034403  ,2016JJ00,Utrecht,Wijk,WK034403,50.0,14.0",
    "20300,MOG0095,WK034403  ,2016JJ00,Utrecht,Wijk,WK034403,48.0,12.0",
    "20300,MBG0095,WK034403  ,2016JJ00,Utrecht,Wijk,WK034403,52.0,16.0",
    "20300,MW00000,WK034403  ,2020JJ00,Utrecht,Wijk,WK034403,51.0,15.0",
    "20300,MOG0095,WK034403  ,2020JJ00,Utrecht,Wijk,WK034403,49.0,13.0",
    "20300,MBG0095,WK034403  ,2020JJ00,Utrecht,Wijk,WK034403,53.0,17.0",
    *ROWS[:3],
    "20300,MW00000,GM0344    ,2016JJ00,Utrecht,Gemeente,GM0344,47.0,10.0",
    "20300,MW00000,GM0344    ,2020JJ00,Utrecht,Gemeente,GM0344,48.9,11.6",
    "20300,MW00000,GM0344    ,2022JJ00,Utrecht,Gemeente,GM0344,49.5,11.9",
]


@pytest.fixture()
def interval_folder(tmp_path: Path) -> Path:
    from tests.conftest import UTRECHT

    if not UTRECHT.exists():
        pytest.skip(f"echte data niet gevonden in {UTRECHT}")
    wijken = tmp_path / "data" / "wijken"
    wijken.mkdir(parents=True)
    for name in ("gemeente-utrecht_buurten_2013.geojson", "gemeente-utrecht_wijken_2013.geojson"):
        (wijken / name).write_bytes((UTRECHT / "wijken" / name).read_bytes())
    (wijken / "rivm_50120NED_GM0344.csv").write_text(odata_2022(TREND_ROWS), encoding="utf-8")
    return tmp_path / "data"


def test_trend_calls_a_change_only_when_intervals_do_not_overlap(interval_folder: Path):
    from geo.analysis.context import NO_CLEAR_CHANGE, RISE, compare, trend
    from geo.io.folder import load_dataset

    dataset = load_dataset(interval_folder)
    rows = trend(dataset, ["WK034403"])
    assert [(r["year"], r["value"], r["lower"], r["upper"]) for r in rows] == [
        (2016, 50.0, 48.0, 52.0),
        (2020, 51.0, 49.0, 53.0),
        (2022, 58.2, 55.1, 61.3),
    ]
    assert [r["change"] for r in rows] == [None, NO_CLEAR_CHANGE, RISE]
    figures = compare(dataset, ["WK034403"], year=2022)
    lonely = next(r for r in figures if r["indicator"] == "Eenzaam")
    assert (lonely["value"], lonely["lower"], lonely["upper"]) == (58.2, 55.1, 61.3)


def test_profile_text_map_tooltip_and_export_show_the_interval(interval_folder: Path):
    from typer.testing import CliRunner

    from geo.cli import app
    from geo.export.layers import area_layer
    from geo.io.folder import load_dataset
    from geo.present.maps import area_values, choropleth

    dataset = load_dataset(interval_folder)
    shown = (
        CliRunner().invoke(app, ["profiel", str(interval_folder), "--gebied", "WK034403"]).stdout
    )
    assert "58,2 % (55,1-61,3)" in shown
    assert "2022: 58,2 % (55,1-61,3)  — stijging" in shown
    assert "2020: 51,0 % (49,0-53,0)  — geen duidelijke verandering" in shown
    frame = area_values(
        dataset.level("wijk"), dataset.figures, indicator="Eenzaam", group="18+", year=2022
    )
    overvecht = frame.set_index("code").loc["WK034403"]
    assert overvecht["interval"] == "55,1 – 61,3 %"
    layer, _ = choropleth(frame, value="value", title="t", label="Eenzaam")
    tips = [f["properties"]["tip"] for f in layer.data["features"]]
    assert any("95 %-interval: 55,1 – 61,3 %" in tip for tip in tips)
    from geo.analysis.context import trend
    from geo.present.charts import trend_chart

    spec = trend_chart(trend(dataset, ["WK034403"]), area="Overvecht")
    assert {
        "jaar": "2022",
        "reeks": "Overvecht",
        "waarde": 58.2,
        "tekst": "58,2 % (55,1-61,3)",
    } in (spec["data"]["values"])
    exported, _meta = area_layer(dataset, "wijk")
    row = exported.set_index("code").loc["WK034403"]
    columns = [c for c in exported.columns if c.endswith("_ondergrens")]
    assert columns, exported.columns.tolist()
    assert row[[c for c in columns if "2022" in c and c.startswith("eenzaam_18")][0]] == 55.1


def test_later_edition_with_the_same_scheme_gets_its_own_vintage(tmp_path: Path):
    header = (
        "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Gemeentenaam_1,SoortRegio_2,Codering_3,"
        "Eenzaam_35\n"
    )
    rows = [
        "1,80200,MW00000,WK034403,2024JJ00,Utrecht,Wijk,WK034403,57.0",
        "2,80200,MOG0095,WK034403,2024JJ00,Utrecht,Wijk,WK034403,54.0",
        "3,80200,MBG0095,WK034403,2024JJ00,Utrecht,Wijk,WK034403,60.0",
    ]
    path = tmp_path / "gezondheid_wijk_buurt.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    row = figures_from_rivm(path).iloc[0]
    assert row["indicator"] == "Eenzaam" and row["group"] == "65+" and row["year"] == 2024
    assert (row["value"], row["lower"], row["upper"]) == (57.0, 54.0, 60.0)
    assert row["vintage"] == "indeling 2024"
    named = tmp_path / "download.csv"  # no table id in the name: the 2022 edition by its periods
    named.write_text(odata_2022(ROWS), encoding="utf-8")
    assert "50120NED" in str(figures_from_rivm(named)["source"].iloc[0])


def test_report_shows_intervals_and_the_trend_verdict(interval_folder: Path):
    from geo.io.folder import load_dataset
    from geo.report import build_report
    from geo.report.document import Table
    from tests.conftest import UTRECHT

    kwb = UTRECHT / "wijken" / "cbs_kwb_2023_GM0344.csv"
    (interval_folder / "wijken" / kwb.name).write_bytes(kwb.read_bytes())
    dataset = load_dataset(interval_folder)
    report = build_report(dataset, {}, "WK034403", group="ouderen")
    figures = next(b for b in report.section("kerncijfers").blocks if isinstance(b, Table))
    assert figures.rows[0][2] == "58,2 % (55,1-61,3)"
    trend = next(b for b in report.section("trend").blocks if isinstance(b, Table))
    by_year = {row[0]: row for row in trend.rows}
    assert by_year["2022"][1:3] == ("58,2 % (55,1-61,3)", "stijging")
    assert by_year["2020"][2] == "geen duidelijke verandering"
    assert "50120NED" in trend.caption and "overlappen" in trend.caption
