"""Context: against the gemeente and the Netherlands, trends 2012-2020, the 2026 target."""

from __future__ import annotations

import pytest

from geo.analysis.context import compare, context_table, target_2026, trend
from tests.test_analysis_need import tiny_dataset


@pytest.mark.shared
def test_utrecht_wijken_over_three_editions(utrecht_dataset):
    table = context_table(utrecht_dataset, niveau="wijk")
    assert len(table) == 10
    overvecht = table.loc["WK034403"]
    assert [overvecht[2012], overvecht[2016], overvecht[2020]] == [53.4, 53.9, 58.2]
    assert overvecht["verandering"] == pytest.approx(4.8)
    assert (overvecht["gemeente"], overvecht["nederland"]) == (48.9, 47.0)
    assert overvecht["verschil_nederland"] == pytest.approx(11.2)
    assert not overvecht["onder_landelijk"]
    below = set(table.index[table["onder_landelijk"] == True])  # noqa: E712
    assert below == {"WK034404", "WK034410"}  # Noordoost 43,7 % and Vleuten-De Meern 43,9 %


@pytest.mark.shared
def test_utrecht_target_and_trend(utrecht_dataset):
    target = target_2026(utrecht_dataset, year=2020)
    assert (target["gemeente"], target["nederland"], target["behaald"]) == (48.9, 47.0, False)
    assert "1,9 procentpunt boven" in target["tekst"]
    years = [row["year"] for row in trend(utrecht_dataset, ["WK034403"])]
    assert years == [2012, 2016, 2020]


def test_focus_area_value_is_recomputed_from_people():
    dataset = tiny_dataset()
    # one buurt published (45 % of 18+), the other too: adults 2,000-200-90 and 1,000-100-30
    rows = compare(dataset, ["BU09990101", "BU09990102"], year=2020, group="18+")
    lonely = next(r for r in rows if r["indicator"] == "Eenzaam")
    assert lonely["value"] == 45.0 and lonely["status"] == "herberekend uit buurten"
    assert lonely["nederland"] == 45.0  # the tiny dataset's NL01 row


def test_context_table_marks_suppressed_as_missing():
    table = context_table(tiny_dataset(), indicator="Eenzaam", group="65+", niveau="buurt")
    assert table.loc["BU09990101", 2020] == 40.0
    assert table["verandering"].isna().all()  # one edition only: no change
    assert table.loc["BU09990102", [2020]].isna().all()  # not published
    assert bool(table.loc["BU09990101", "onder_landelijk"]) is True  # 40 % < 49.5 %
