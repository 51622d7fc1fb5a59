"""``wijkkompas hiaten`` / ``profiel`` in-process: JSON keys, both views, the aanbod fallback."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from geo.cli import app
from geo.present.format import fmt_int
from tests.conftest import DEMO

runner = CliRunner()


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_hiaten_wijk_rows_show_counts_and_rates_of_both_views():
    data = run_json("hiaten", str(DEMO), "--groep", "ouderen", "--niveau", "wijk")
    assert data["demo"] is True and data["year"] == 2020
    rows = data["rows"]
    assert len(rows) == 6 and [r["rank"] for r in rows] == list(range(1, 7))
    for row in rows:
        # the sum over buurten: people and the rate recomputed from people
        assert row["lonely_rate"] == pytest.approx(100 * row["lonely"] / row["population"], 1e-3)
        # the RIVM wijk estimate × the wijk's own population
        assert row["lonely_published"] == pytest.approx(
            row["lonely_rate_published"] * row["population"] / 100, rel=0.02
        )
        assert row["reason"].startswith(f"{fmt_int(row['lonely'])} eenzame 65-plussers")
        assert isinstance(row["unreliable"], bool)


def test_without_the_aanbod_module_layers_are_empty_and_said(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "geo.aanbod", None)  # importing it now raises ImportError
    data = run_json("hiaten", str(DEMO), "--groep", "jongvolwassenen")
    assert any("Aanbod niet geladen" in note for note in data["notes"])
    assert all(row["reachable"] == 0 for row in data["rows"])
    assert all("geen passend aanbod binnen 1.500 m" in row["reason"] for row in data["rows"])


def test_better_counts_replace_estimates(tmp_path):
    counts = tmp_path / "aantallen.csv"
    counts.write_text("code;groep;aantal\nBU99990101;migrantenouderen;400\n", encoding="utf-8")
    plain = run_json("hiaten", str(DEMO), "--groep", "migrantenouderen")
    given = run_json("hiaten", str(DEMO), "--groep", "migrantenouderen", "--aantallen", str(counts))
    before = next(r for r in plain["rows"] if r["code"] == "BU99990101")
    after = next(r for r in given["rows"] if r["code"] == "BU99990101")
    assert before["population_estimated"] == "schatting" and before["population"] != 400
    assert after["population_estimated"] == "opgegeven" and after["population"] == 400
    assert after["lonely"] == pytest.approx(400 * after["lonely_rate"] / 100, abs=0.01)


def test_bad_counts_file_is_a_dutch_error_naming_the_row(tmp_path):
    counts = tmp_path / "aantallen.csv"
    counts.write_text("code;groep;aantal\nBU99990101;katten;4\n", encoding="utf-8")
    result = runner.invoke(
        app, ["profiel", str(DEMO), "--gebied", "Noordhoek", "--aantallen", str(counts)]
    )
    assert result.exit_code != 0
    assert "onbekende doelgroep" in str(result.exception) and "rij 2" in str(result.exception)


def test_hiaten_lists_buurten_where_nothing_suitable_is_in_reach():
    data = run_json("hiaten", str(DEMO), "--groep", "ouderen")
    empty = data["buurten_zonder_aanbod"]
    by_code = {row["code"]: row for row in data["rows"]}
    assert empty, "the demo has buurten without suitable offer for the elderly"
    assert [b["lonely"] for b in empty] == sorted((b["lonely"] for b in empty), reverse=True)
    for buurt in empty:
        row = by_code[buurt["code"]]
        assert row["reachable"] == 0 and row["lonely"] > 0
        other = int(row["reachable_other_times"])  # time fit: in reach, but at other dagdelen
        if other:
            assert f"{other} activiteit" in row["reason"]
            assert "binnen 500 m, geen in de ochtend, de middag of het weekend" in row["reason"]
        else:
            assert "geen passend aanbod binnen 500 m" in row["reason"]
    assert len(empty) == sum(1 for r in data["rows"] if r["reachable"] == 0 and r["lonely"] > 0)
