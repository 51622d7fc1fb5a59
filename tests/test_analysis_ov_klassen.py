"""OV-klassen (ARE ÖV-Güteklassen as GOAT implements them), checked by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.analysis.demand import DemandPoints
from geo.analysis.network import network_from_edges
from geo.analysis.ov_klassen import location_class, ov_klassen, stop_categories
from geo.settings import AnalysisSettings


def test_category_table_by_hand():
    stops = pd.DataFrame(
        {
            "modus": ["trein", "tram", "bus", "bus", "metro", "veerboot", "bus", "tram"],
            "vertrekken_per_uur": [13.0, 13.0, 13.0, 6.0, 2.0, 1.0, 0.4, 0.0],
            "station": list("abcdefgh"),
        }
    )
    found = stop_categories(stops)
    # 13/h = every 4.6 min (< 5): A I, B I, C II; 6/h = 10 min: C row 10-20 -> IV;
    # 2/h = 30 min: A row 20-40 -> III; 1/h = 60 min: C row 60-120 -> VII;
    # 0.4/h = 150 min and 0/h: no category
    assert found["categorie"].tolist() == [1, 1, 2, 4, 3, 7, 0, 0]
    assert found["interval_min"].iloc[3] == pytest.approx(10.0)


def test_station_with_two_platforms_counts_one_direction():
    stops = pd.DataFrame(
        {"modus": ["bus", "tram"], "vertrekken_per_uur": [6.0, 6.0], "station": ["P", "P"]}
    )
    found = stop_categories(stops)
    # (6 + 6) / 2 = 6 an hour each way: 10 minutes; the best mode (tram, B): row 10-20 -> III
    assert found["interval_min"].tolist() == pytest.approx([10.0, 10.0])
    assert found["categorie"].tolist() == [3, 3]


def test_class_table_by_hand():
    table = {
        (1, 300): "A", (1, 500): "A", (1, 750): "B", (1, 1000): "C",
        (2, 300): "A", (2, 500): "B", (2, 750): "C", (2, 1000): "D",
        (3, 300): "B", (3, 500): "C", (3, 750): "D", (3, 1000): "E",
        (4, 300): "C", (4, 500): "D", (4, 750): "E", (4, 1000): "F",
        (5, 300): "D", (5, 500): "E", (5, 750): "F", (5, 1000): "geen",
        (6, 300): "E", (6, 500): "F", (6, 750): "geen",
        (7, 300): "F", (7, 500): "geen",
    }  # fmt: skip
    for (category, distance), expected in table.items():
        assert location_class(category, distance) == expected, (category, distance)
    assert location_class(1, 1000.5) == "geen"
    assert location_class(1, 301) == "A"  # 300-500 band of category I is still A


def _buurten():
    return gpd.GeoDataFrame(
        {"code": ["BU1", "BU2"]},
        geometry=[box(0, 0, 1000, 1000), box(5000, 0, 6000, 1000)],
        crs="EPSG:28992",
    )


def _stops():
    # a tram stop every 10 minutes in the day (category III), every 30 in the evening (IV)
    return gpd.GeoDataFrame(
        {
            "stop_id": ["H1"],
            "modus": ["tram"],
            "station": ["H1"],
            "vertrekken_per_uur": [6.0],
            "vertrekken_avond": [2.0],
        },
        geometry=gpd.points_from_xy([0.0], [0.0]),
        crs="EPSG:28992",
    )


def test_shares_of_residents_per_class():
    points = DemandPoints(
        xy=np.array([[100.0, 0.0], [400.0, 0.0], [900.0, 0.0], [5500.0, 500.0]]),
        buurt=np.array([0, 0, 0, 1]),
        weights=pd.DataFrame({"inwoners": [10.0, 30.0, 60.0, 5.0]}),
        method=np.array(["vierkanten"] * 4),
        n_buurten=2,
    )
    settings = AnalysisSettings(detour_factor=1.0)
    found = ov_klassen(_buurten(), _stops(), points=points, settings=settings).set_index("code")
    # category III: 100 m -> B, 400 m -> C, 900 m -> E; the median resident (of 100) is at 900 m
    bu1 = found.loc["BU1"]
    assert bu1["ov_aandeel_B"] == pytest.approx(0.1)
    assert bu1["ov_aandeel_C"] == pytest.approx(0.3)
    assert bu1["ov_aandeel_E"] == pytest.approx(0.6)
    assert bu1["ov_klasse"] == "E"
    # evening, every 30 minutes: tram row 20-40 -> IV: 100 m -> C, 400 m -> D, 900 m -> F
    assert bu1["ov_klasse_avond"] == "F"
    assert found.loc["BU2", "ov_aandeel_geen"] == 1.0 and found.loc["BU2", "ov_klasse"] == "geen"
    assert found.attrs["distance_method"] == "hemelsbreed"


def test_network_distance_is_used_when_present():
    # a street that makes a detour: from (300, 0) to the stop is 700 m over the network
    network = network_from_edges(
        np.array([[0.0, 0.0], [0.0, 200.0], [300.0, 200.0], [300.0, 0.0]]),
        [0, 1, 2],
        [1, 2, 3],
        [200.0, 300.0, 200.0],
    )
    points = DemandPoints(
        xy=np.array([[300.0, 0.0]]),
        buurt=np.array([0]),
        weights=pd.DataFrame({"inwoners": [1.0]}),
        method=np.array(["adressen"]),
        n_buurten=1,
    )
    one = _buurten().iloc[:1]
    found = ov_klassen(one, _stops(), points=points, network=network)
    assert found["ov_klasse"].item() == "D"  # 700 m at category III (straight line: B)
    assert found.attrs["distance_method"] == "netwerk"


def test_transport_distance_to_a_halte_walks_the_network():
    """afstand_ov_m is walked over the network when there is one (straight line × 1.3 else)."""
    from geo.analysis.transport import transport_poverty
    from geo.model.figures import empty_figures

    network = network_from_edges(
        np.array([[0.0, 0.0], [0.0, 200.0], [300.0, 200.0], [300.0, 0.0]]),
        [0, 1, 2],
        [1, 2, 3],
        [200.0, 300.0, 200.0],
    )
    buurt = gpd.GeoDataFrame(
        {"code": ["BU1"], "naam": ["Een"]}, geometry=[box(299.0, -1.0, 301.0, 1.0)], crs=28992
    )
    population = pd.DataFrame(
        {"autos_per_huishouden": [0.5], "leeftijd_65_plus": [100.0], "inwoners": [1000.0]},
        index=pd.Index(["BU1"], name="code"),
    )
    args = (buurt, population, empty_figures())
    straight = transport_poverty(*args, stops=_stops())
    walked = transport_poverty(*args, stops=_stops(), network=network)
    assert straight["afstand_ov_m"].item() == pytest.approx(300.0 * 1.3, abs=2)
    assert walked["afstand_ov_m"].item() == pytest.approx(700.0, abs=2)
    # no halte within the last band over the network: at least that band, never shorter
    far = network_from_edges(
        np.array([[0.0, 0.0], [0.0, 900.0], [300.0, 900.0], [300.0, 0.0]]),
        [0, 1, 2],
        [1, 2, 3],
        [900.0, 300.0, 900.0],
    )
    beyond = transport_poverty(*args, stops=_stops(), network=far)
    assert beyond["afstand_ov_m"].item() == pytest.approx(1000.0)


def test_without_departures_the_class_is_unknown():
    stops = _stops().drop(columns=["vertrekken_per_uur", "vertrekken_avond"])
    found = ov_klassen(_buurten(), stops)
    assert found["ov_klasse"].isna().all() and found["ov_aandeel_A"].isna().all()


def test_vectorised_classes_equal_the_table():
    from geo.analysis.ov_klassen import CLASSES, _best_class

    distances = np.array([0.0, 299.9, 300.0, 300.1, 500.0, 640.0, 750.0, 999.0, 1000.0, 1000.1])
    for category in range(8):
        n = len(distances)
        best = _best_class(
            n, (np.arange(n), np.zeros(n, dtype=int), distances), np.array([category])
        )
        labels = [(*CLASSES, "geen")[b] for b in best]
        assert labels == [location_class(category, d) for d in distances], category


def test_settings_refuse_unusable_scales_and_weeks():
    from geo.settings import TransportScales

    with pytest.raises(ValueError, match="twee verschillende drempels"):
        AnalysisSettings(transport_scales=TransportScales(afstand_ov_m=(500.0, 500.0)))
    with pytest.raises(ValueError, match="JJJJ-MM-DD"):
        AnalysisSettings(ov_week="8 januari")
    assert AnalysisSettings(ov_week="2024-01-08").ov_week == "2024-01-08"
