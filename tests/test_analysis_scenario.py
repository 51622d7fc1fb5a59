"""Scenarios: a Buurtmobiel service area added to a copy of the aanbod, rankings compared."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.analysis.pipeline import analyse
from geo.analysis.scenario import SCENARIO_SOURCE, add_buurtmobiel, compare_gaps
from geo.errors import DataError
from tests.test_analysis_need import tiny_dataset


def _activity_east() -> gpd.GeoDataFrame:
    """One activity 2.3 km east of Noord's centre: out of walking reach of both buurten."""
    return gpd.GeoDataFrame(
        {
            "soort": ["ontmoeting"],
            "doelgroepen": ["iedereen"],
            "dagdelen": ["ochtend"],  # times known and fitting: full weight
            "capaciteit": [20],
        },
        geometry=[Point(2800, 500)],
        crs="EPSG:28992",
    )


def test_service_area_from_codes_is_the_union_of_their_shapes():
    dataset = tiny_dataset()
    layers = {"activiteiten": _activity_east()}
    out = add_buurtmobiel(layers, ["bu09990101"], areas=dataset.areas, naam="Buurtmobiel Noord")
    service = out["buurtmobiel"]
    assert len(service) == 1
    row = service.iloc[0]
    assert (row["naam"], row["dienst"], row["gebied_codes"], row["bron"]) == (
        "Buurtmobiel Noord",
        "Buurtmobiel",
        "BU09990101",
        SCENARIO_SOURCE,
    )
    assert row.geometry.equals(box(0, 0, 1000, 1000))
    assert service.crs == "EPSG:28992"
    # every layer is there, and the input is neither changed nor shared
    assert set(out) >= {"activiteiten", "lief_en_leed", "welzijn_op_recept", "ov_haltes"}
    assert "buurtmobiel" not in layers
    assert out["activiteiten"] is not layers["activiteiten"]


def test_polygon_is_appended_after_existing_services():
    existing = gpd.GeoDataFrame(
        {"id": ["bm-1"], "naam": ["Buurtmobiel Zuid"], "dienst": ["Buurtmobiel"]},
        geometry=[box(1000, 0, 2000, 1000)],
        crs="EPSG:28992",
    )
    layers = {"buurtmobiel": existing}
    out = add_buurtmobiel(layers, box(0, 0, 500, 500), dienst="automaatje", naam="Extra")
    assert out["buurtmobiel"]["naam"].tolist() == ["Buurtmobiel Zuid", "Extra"]
    assert out["buurtmobiel"]["id"].tolist() == ["bm-1", "scenario-2"]
    assert out["buurtmobiel"]["dienst"].tolist() == ["Buurtmobiel", "AutoMaatje"]
    assert len(existing) == 1  # the input layer is untouched


@pytest.mark.parametrize(
    ("werkgebied", "kwargs", "message"),
    [
        (["BU09990199"], {}, "onbekende gebiedscode"),
        (["BU09990101"], {"areas": None}, "gebiedsgrenzen"),
        ([], {}, "geen werkgebied"),
        ("BU09990101", {}, "lijst codes"),
        (Point(0, 0), {}, "vlak"),
        (box(0, 0, 1, 1), {"dienst": "Taxi"}, "telt niet mee"),
    ],
)
def test_refuses_what_would_not_count(werkgebied, kwargs, message):
    options = {"areas": tiny_dataset().areas, **kwargs}
    with pytest.raises(DataError, match=message):
        add_buurtmobiel(None, werkgebied, **options)


def test_buurtmobiel_closes_the_gap_and_the_ranking_shows_it():
    dataset = tiny_dataset()
    layers = {"activiteiten": _activity_east()}
    before = analyse(dataset, layers, group="ouderen", hotspots=False)
    scenario = add_buurtmobiel(layers, ["BU09990101"], areas=dataset.areas)
    after = analyse(dataset, scenario, group="ouderen", hotspots=False)
    table = compare_gaps(before, after, niveau="buurt").set_index("code")
    noord, zuid = table.loc["BU09990101"], table.loc["BU09990102"]
    # before: nothing within 500 m; Noord (160 lonely 65-plussers) has the larger gap
    assert (noord["rank_voor"], zuid["rank_voor"]) == (1, 2)
    assert noord["reachable_offer_voor"] == 0
    # after: Noord's residents reach the activity (3 km with the Buurtmobiel): 20 places
    # for 160 lonely residents, and Zuid tops the ranking
    assert (noord["rank_na"], zuid["rank_na"]) == (2, 1)
    assert noord["rang_verschil"] == 1 and zuid["rang_verschil"] == -1
    assert noord["reachable_offer_na"] == pytest.approx(1000 * 20 / 160)
    assert noord["gap_score_verschil"] < 0
    assert table.index[0] == "BU09990102"  # ordered by the ranking after
    assert "zonder" in noord["reason_na"] or "passend" in noord["reason_na"]


def test_compare_gaps_refuses_two_groups():
    dataset = tiny_dataset()
    one = analyse(dataset, None, group="ouderen", hotspots=False)
    other = analyse(dataset, None, group="migrantenouderen", hotspots=False)
    with pytest.raises(DataError, match="verschillende doelgroepen"):
        compare_gaps(one, other)


@pytest.mark.shared
def test_utrecht_buurtmobiel_in_overvecht(utrecht_dataset, utrecht_dir):
    from geo.aanbod import load_aanbod

    aanbod = load_aanbod(utrecht_dir, areas=utrecht_dataset.areas)
    overvecht = utrecht_dataset.gebieden["Overvecht"]
    scenario = add_buurtmobiel(aanbod.layers, overvecht.codes, areas=utrecht_dataset.areas)
    assert aanbod.layers["buurtmobiel"].empty  # the real aanbod is not changed
    before = analyse(utrecht_dataset, aanbod.layers, group="migrantenouderen", hotspots=False)
    after = analyse(utrecht_dataset, scenario, group="migrantenouderen", hotspots=False)
    wijken = compare_gaps(before, after, niveau="wijk").set_index("naam")
    assert wijken.loc["Overvecht", "rank_voor"] == 1
    assert wijken.loc["Overvecht", "rank_na"] > 1
    assert wijken.loc["Overvecht", "reachable_offer_verschil"] > 0
    gebieden = compare_gaps(before, after, niveau="gebied").set_index("naam")
    assert gebieden.loc["Overvecht", "gap_score_na"] < gebieden.loc["Overvecht", "gap_score_voor"]
