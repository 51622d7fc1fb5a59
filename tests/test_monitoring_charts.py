"""Monitoring charts (Vega-Lite specs) and the Excel export."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from geo.monitoring.export import monitoring_xlsx
from geo.present.monitoring_charts import indicator_trend_spec, sparkline_spec

ROW = {
    "indicator": "eenzaam_18plus", "naam": "Eenzame volwassenen (18+)", "subdoel": "S",
    "laatste_waarde": 48.9, "eenheid": "%", "periode": "2020", "doel": 47.0, "doeljaar": 2026,
    "status": "achteruitgang", "uitleg": "u", "bron": "RIVM", "soort": "outcome",
    "reeks": [{"periode": "2016", "waarde": 42.5}, {"periode": "2020", "waarde": 48.9}],
    "reeks_landelijk": [{"periode": "2016", "waarde": 43.4}, {"periode": "2020", "waarde": 47.0}],
}  # fmt: skip


def test_trend_has_series_national_line_and_target_rule():
    spec = indicator_trend_spec(ROW)
    values = spec["data"]["values"]
    assert [(v["reeks"], v["waarde"]) for v in values] == [
        ("Waarde", 42.5), ("Waarde", 48.9), ("Nederland", 43.4), ("Nederland", 47.0),
    ]
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["data"]["values"][0]["doel"] == 47.0
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_sparkline_keeps_the_order_of_periods():
    spec = sparkline_spec(ROW["reeks"], colour="#c62828")
    assert [v["periode"] for v in spec["data"]["values"]] == ["2016", "2020"]
    assert spec["encoding"]["x"]["axis"] is None


def test_excel_export_sheets_and_formula_safety():
    notes = pd.DataFrame([{"id": "not-000001", "gebied": "WK034403", "tekst": "=HYPERLINK(1)"}])
    data = monitoring_xlsx([ROW], pd.DataFrame({"indicator": ["lezingen"], "waarde": [3.0]}),
                           notes, demo=True)  # fmt: skip
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Let op", "Status", "Metingen", "Notities"]
    status = list(book["Status"].iter_rows(values_only=True))
    assert status[1][:4] == ("eenzaam_18plus", "Eenzame volwassenen (18+)", "S", 48.9)
    assert not str(book["Notities"]["C2"].value).startswith("=")
