"""Demand where people live: CBS squares, BAG addresses, the buurt centroid, exact spreading."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry import box as local_box

from geo.analysis.demand import demand_points_from, population_from_folder
from geo.analysis.reach import reachable_offer
from geo.errors import DataError
from geo.io.adressen import addresses_from_file
from geo.io.vierkanten import squares_from_file
from geo.settings import AnalysisSettings
from tests.population_files import ORIGIN, SECRET, grid_cells, write_addresses, write_squares

BUURT = "BU09990101"


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A box in local metres, placed at :data:`ORIGIN` in RD New."""
    return local_box(ORIGIN[0] + x0, ORIGIN[1] + y0, ORIGIN[0] + x1, ORIGIN[1] + y1)


def local(xy: np.ndarray) -> list[list[float]]:
    return (np.asarray(xy) - np.array(ORIGIN)).round(6).tolist()


def _buurten(*shapes: object) -> gpd.GeoDataFrame:
    codes = [f"BU099901{i + 1:02d}" for i in range(len(shapes))]
    return gpd.GeoDataFrame({"code": codes}, geometry=list(shapes), crs="EPSG:28992")


def _need(codes: list[str], lonely: list[float], group: str = "ouderen") -> pd.DataFrame:
    return pd.DataFrame({"code": codes, "group": group, "niveau": "buurt", "lonely": lonely})


def _activity(x: float, y: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "soort": ["ontmoeting"],
            "doelgroepen": ["iedereen"],
            "dagdelen": ["ochtend"],  # known times that fit: full weight (time fit)
            "capaciteit": [10],
        },
        geometry=[Point(ORIGIN[0] + x, ORIGIN[1] + y)],
        crs="EPSG:28992",
    )


def test_residents_in_one_corner_reach_the_activity_in_that_corner(tmp_path: Path):
    # a 1 km buurt; everybody lives in the north-west 100 m square; the activity is there.
    # From the centroid (500, 500) it is 636 m straight × 1.3 = 827 m: beyond 500 m.
    buurten = _buurten(box(0, 0, 1000, 1000))
    squares = squares_from_file(
        write_squares(tmp_path / "v.gpkg", {(0, 900): {"inwoners": 200, "65plus": 80}})
    )
    need = _need([BUURT], [40.0])
    activity = _activity(50, 950)
    centroid = reachable_offer(buurten, need, activity, group="ouderen")
    assert centroid["reachable"].tolist() == [0]
    assert centroid["covered_lonely"].tolist() == [0.0]
    points = demand_points_from(buurten, squares=squares)
    assert points.demand_source == "vierkanten"
    assert local(points.xy) == [[50.0, 950.0]]
    where_they_live = reachable_offer(buurten, need, activity, group="ouderen", points=points)
    assert where_they_live["reachable"].tolist() == [1]
    assert where_they_live["covered_lonely"].tolist() == [40.0]
    # all 40 lonely residents at 0 m: weight 1, R = 10 / 40, access 0.25 → 250 per 1,000
    assert where_they_live["reachable_offer"].tolist() == pytest.approx([250.0])
    assert where_they_live["demand_source"].tolist() == ["vierkanten"]


def test_half_the_buurt_is_covered():
    # two squares of 65-plussers, 30 and 10: only the eastern one is near the activity
    squares = gpd.GeoDataFrame(
        {"inwoners": [100.0, 100.0], "leeftijd_65_plus": [30.0, 10.0]},
        geometry=[box(0, 0, 100, 100), box(1900, 0, 2000, 100)],
        crs="EPSG:28992",
    )
    buurten = _buurten(box(0, 0, 2000, 100))
    points = demand_points_from(buurten, squares=squares)
    offer = reachable_offer(
        buurten, _need([BUURT], [20.0]), _activity(1950, 50), group="ouderen", points=points
    )
    # 20 lonely spread 30:10 → 15 in the west, 5 in the east (covered)
    assert offer["covered_lonely"].tolist() == [5.0]
    assert offer["demand_points"].tolist() == [2]


def test_sums_over_points_equal_the_buurt_total_exactly(tmp_path: Path):
    shapes = [box(x, y, x + 730, y + 610) for x in (0, 730, 1460) for y in (0, 610)]
    buurten = _buurten(*shapes)
    cells = grid_cells((0, 0, 2190, 1220), seed=7)
    squares = squares_from_file(write_squares(tmp_path / "v.gpkg", cells))
    points = demand_points_from(buurten, squares=squares)
    assert (np.bincount(points.buurt) > 1).all()  # several pieces per buurt
    rng = np.random.default_rng(3)
    totals = rng.uniform(0, 1000, len(buurten)) / 3  # awkward fractions
    for group in ("ouderen", "jongvolwassenen", "alleenstaande-ouderen"):
        parts = points.spread(totals, group)
        sums = np.bincount(points.buurt, weights=parts, minlength=len(buurten))
        assert sums.tolist() == totals.tolist()  # exactly, not approximately
        assert (parts >= 0).all()
        shares = points.shares(group)
        assert np.bincount(points.buurt, weights=shares) == pytest.approx(1.0, abs=1e-12)


def test_squares_are_clipped_to_the_buurten():
    # one square straddles two buurten 30/70: its residents are split by area
    square = gpd.GeoDataFrame(
        {"inwoners": [100.0], "leeftijd_65_plus": [50.0]},
        geometry=[box(0, 0, 100, 100)],
        crs="EPSG:28992",
    )
    buurten = _buurten(box(-500, 0, 30, 100), box(30, 0, 500, 100))
    points = demand_points_from(buurten, squares=square)
    assert points.buurt.tolist() == [0, 1]
    assert points.weights["inwoners"].tolist() == pytest.approx([30.0, 70.0])
    assert points.weights["leeftijd_65_plus"].tolist() == pytest.approx([15.0, 35.0])
    assert points.xy[0, 0] < ORIGIN[0] + 30 < points.xy[1, 0]  # each inside its own buurt


def test_secret_squares_share_what_the_buurt_total_leaves(tmp_path: Path):
    cells = {
        (0, 0): {"inwoners": 60, "65plus": 20},
        (100, 0): {"inwoners": 30, "65plus": 10},
        (200, 0): {"inwoners": SECRET, "65plus": SECRET},
        (300, 0): {"inwoners": SECRET, "65plus": SECRET},
    }
    squares = squares_from_file(write_squares(tmp_path / "v.gpkg", cells))
    assert squares["geheim"].tolist() == [False, False, True, True]
    assert np.isnan(squares["inwoners"].iloc[2])
    buurten = _buurten(box(0, 0, 400, 100))
    population = pd.DataFrame(
        {"inwoners": [100.0], "leeftijd_65_plus": [40.0]}, index=pd.Index([BUURT], name="code")
    )
    points = demand_points_from(buurten, squares=squares, population=population)
    # buurt 100 residents, 90 published → 5 + 5; 65+: 40 − 30 → 5 + 5
    assert points.weights["inwoners"].tolist() == pytest.approx([60.0, 30.0, 5.0, 5.0])
    assert points.weights["leeftijd_65_plus"].tolist() == pytest.approx([20.0, 10.0, 5.0, 5.0])
    assert points.spread(np.array([8.0]), "ouderen").tolist() == pytest.approx([4, 2, 1, 1])
    # without a buurt total the secret squares are unknown: equal shares for every square
    unknown = demand_points_from(buurten, squares=squares)
    assert unknown.shares("ouderen").tolist() == [0.25] * 4


def test_best_available_weight_per_buurt(tmp_path: Path):
    # buurt 1: squares (65+ band); buurt 2: only addresses (equal per home); buurt 3: nothing
    squares = gpd.GeoDataFrame(
        {"inwoners": [10.0, 30.0], "leeftijd_65_plus": [3.0, 1.0]},
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
        crs="EPSG:28992",
    )
    homes = addresses_from_file(
        write_addresses(
            tmp_path / "bag.csv",
            [
                (1050, 50, "woonfunctie"),
                (1150, 50, "woonfunctie,winkelfunctie"),
                (1100, 60, "kantoorfunctie"),
            ],
        )
    )
    assert len(homes) == 2  # the office is no home
    buurten = _buurten(box(0, 0, 200, 100), box(1000, 0, 1200, 100), box(5000, 0, 5100, 100))
    points = demand_points_from(buurten, squares=squares, addresses=homes)
    assert points.buurt_method().tolist() == ["vierkanten", "adressen", "buurtmiddelpunt"]
    assert points.shares("ouderen").tolist() == [0.75, 0.25, 0.5, 0.5, 1.0]
    # young adults: no 15-24 band in these squares → residents
    assert points.shares("jongvolwassenen").tolist() == [0.25, 0.75, 0.5, 0.5, 1.0]
    assert points.counts() == {"adressen": 1, "buurtmiddelpunt": 1, "vierkanten": 1}


def test_one_point_per_buurt_is_the_old_centroid():
    buurten = _buurten(box(0, 0, 100, 100), box(300, 0, 400, 50))
    points = demand_points_from(buurten)
    expected = buurten.geometry.representative_point()
    assert points.xy.tolist() == [[p.x, p.y] for p in expected]
    assert points.spread(np.array([3.3, 7.1]), "ouderen").tolist() == [3.3, 7.1]
    assert points.demand_source == "buurtmiddelpunt"


def test_folder_bevolking_is_recognised_by_columns(tmp_path: Path):
    write_squares(tmp_path / "bevolking" / "mijn_vierkanten.geojson", {(0, 0): {"inwoners": 5}})
    write_addresses(tmp_path / "bevolking" / "bag.gpkg", [(10, 10, "woonfunctie")])
    (tmp_path / "bevolking" / "lees_mij.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    files = population_from_folder(tmp_path)
    assert files.squares is not None and len(files.squares) == 1
    assert files.squares.crs.to_epsg() == 28992  # read from CRS84
    assert files.squares.geometry.iloc[0].bounds == pytest.approx(
        box(0, 0, 100, 100).bounds, abs=0.01
    )
    assert files.addresses is not None and len(files.addresses) == 1
    assert any("lees_mij.csv" in n and "niet herkend" in n for n in files.notices)
    assert population_from_folder(tmp_path / "elders").squares is None


def test_a_count_that_is_no_number_names_row_and_column(tmp_path: Path):
    path = tmp_path / "v.geojson"
    frame = gpd.GeoDataFrame(
        {
            "crs28992res100m": ["E0000N0000", "E0001N0000"],
            "aantal_inwoners": ["15", "veel"],
            "aantal_inwoners_65_jaar_en_ouder": ["5", "5"],
        },
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
        crs="EPSG:28992",
    )
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(DataError) as caught:
        squares_from_file(path)
    text = str(caught.value)
    assert "rij 3" in text and "aantal_inwoners" in text and "'veel'" in text


def test_addresses_without_coordinates_are_refused(tmp_path: Path):
    path = tmp_path / "bag.csv"
    path.write_text("identificatie;gebruiksdoel\n1;woonfunctie\n", encoding="utf-8")
    with pytest.raises(DataError, match="geen coördinaten"):
        addresses_from_file(path)


def test_rollator_and_minutes_give_the_catchment():
    settings = AnalysisSettings()
    assert settings.catchment("ouderen", "netwerk") == pytest.approx(600.0)
    assert settings.catchment("jongvolwassenen", "netwerk") == pytest.approx(1600.0)
    slow = AnalysisSettings(rollator=True)
    assert slow.catchment("ouderen", "netwerk") == pytest.approx(10 * 2500 / 60)
    assert slow.catchment("ouderen") == pytest.approx(500 * 2.5 / 3.6)
    assert slow.catchment("jongvolwassenen") == 1500.0  # young adults walk without one
    assert settings.catchment("ouderen") == 500.0  # the straight-line default is unchanged
    with pytest.raises(ValueError, match="loopsnelheid"):
        AnalysisSettings(rollator_speed_kmh=0)
