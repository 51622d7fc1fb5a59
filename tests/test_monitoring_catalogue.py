"""The indicator catalogue, periods and the loneliness outcome indicators."""

from __future__ import annotations

import pytest

from geo.errors import DataError
from geo.monitoring.catalogue import built_in_catalogue, catalogue_for, catalogue_from_toml
from geo.monitoring.outcome import outcome_progress, outcome_series, outcome_target
from geo.monitoring.periods import parse_period
from geo.monitoring.status import DETERIORATION


def test_built_in_utrecht_catalogue_holds_the_plan():
    catalogue = built_in_catalogue()
    kaarten = catalogue.get("signaleringskaarten")
    assert (kaarten.basis_periode, kaarten.basis_waarde) == ("2023", 2280.0)
    assert catalogue.get("partners_intentieverklaring").basis_waarde == 90.0
    straten = catalogue.get("lief_en_leedstraten")
    assert (straten.basis_waarde, straten.niveau) == (40.0, "wijk")
    assert catalogue.get("lief_en_leed_potjes").basis_waarde == 315.0
    assert catalogue.get("welzijn_op_recept").basis_waarde == 320.0
    assert catalogue.get("trainingen").basis_waarde == 12.0
    assert catalogue.get("lezingen").basis_waarde == 5.0
    lonely = catalogue.get("eenzaam_18plus")
    assert (lonely.soort, lonely.doel, lonely.doeljaar, lonely.richting) == (
        "outcome",
        "landelijk",
        2026,
        "lager",
    )
    assert catalogue.get("ernstig_eenzaam_18plus").figuur == "ErnstigZeerErnstigEenzaam"
    outputs = [i for i in catalogue if i.soort == "output"]
    assert all(i.doel is None for i in outputs)  # the plan names no output targets
    assert {"hoger", "lager"} >= {i.richting for i in catalogue}


def test_dataset_catalogue_wins_over_built_in(tmp_path):
    (tmp_path / "monitoring.toml").write_text(
        """
titel = "Eigen plan"
[[indicator]]
id = "bezoekers"
naam = "Bezoekers buurthuis"
subdoel = "Ontmoeting"
eenheid = "aantal"
richting = "hoger"
niveau = "buurt"
bron = "Buurthuis"
soort = "output"
doel = 500
doeljaar = 2026
basis = { periode = "2024h1", waarde = 200 }
""",
        encoding="utf-8",
    )
    catalogue = catalogue_for(tmp_path)
    assert catalogue.ids == ["bezoekers"] and catalogue.titel == "Eigen plan"
    item = catalogue.get("bezoekers")
    assert (item.doel, item.doeljaar, item.basis_periode) == (500.0, 2026, "2024H1")
    assert catalogue_for(tmp_path / "leeg").get("eenzaam_18plus").naam.startswith("Eenzame")


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("richting", '"omhoog"', "richting"),
        ("niveau", '"stad"', "niveau"),
        ("doel", '"veel"', "doel is geen getal"),
    ],
)
def test_bad_catalogue_names_file_and_field(tmp_path, field, value, fragment):
    fields = {
        "id": '"x"',
        "naam": '"X"',
        "subdoel": '"S"',
        "eenheid": '"aantal"',
        "richting": '"hoger"',
        "niveau": '"wijk"',
        "bron": '"B"',
        "soort": '"output"',
        "doeljaar": "2026",
    }
    fields[field] = value
    path = tmp_path / "monitoring.toml"
    path.write_text("[[indicator]]\n" + "\n".join(f"{k} = {v}" for k, v in fields.items()))
    with pytest.raises(DataError) as caught:
        catalogue_from_toml(path)
    assert "monitoring.toml" in str(caught.value) and fragment in str(caught.value)


def test_unknown_indicator_lists_known_ones():
    with pytest.raises(DataError, match="onbekende indicator.*signaleringskaarten"):
        built_in_catalogue().get("kaarten")


@pytest.mark.parametrize(
    ("text", "label", "start"),
    [
        ("2024", "2024", 2024.0),
        ("2024H2", "2024H2", 2024.5),
        ("2024q3", "2024Q3", 2024.5),
        ("2024K1", "2024Q1", 2024.0),
    ],
)
def test_periods(text, label, start):
    period = parse_period(text)
    assert (period.label, period.start) == (label, start)


@pytest.mark.parametrize("text", ["2024-03", "maart 2024", "2024H3", "2024Q5", "24"])
def test_bad_periods(text):
    with pytest.raises(DataError, match="periode|halfjaren"):
        parse_period(text)


@pytest.mark.shared
def test_utrecht_2020_is_not_below_the_national_average(utrecht_dataset):
    lonely = built_in_catalogue().get("eenzaam_18plus")
    series = outcome_series(utrecht_dataset, lonely)
    assert [(r["periode"], r["waarde"], r["landelijk"]) for r in series] == [
        ("2012", 39.9, 39.6),
        ("2016", 42.5, 43.4),
        ("2020", 48.9, 47.0),
    ]
    assert series[-1]["onder_landelijk"] is False
    assert series[1]["onder_landelijk"] is True  # 2016: 42,5 % < 43,4 %
    assert outcome_target(lonely, series) == 47.0  # computed, not typed
    progress = outcome_progress(lonely, series)
    # index 39.9/39.6 = 100.76 (2012) → 48.9/47.0 = 104.04 (2020): away from 100
    assert progress.status == DETERIORATION
    assert "100,8" in progress.uitleg and "104,0" in progress.uitleg
