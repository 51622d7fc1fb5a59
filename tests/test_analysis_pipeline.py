"""The one-call pipeline on hand-made data: several gemeenten, buurten without a shape."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from geo.analysis.hotspots import hot_spots
from geo.analysis.pipeline import analyse, summarise_result
from geo.analysis.profile import area_profile
from geo.analysis.reach import reachable_offer
from geo.analysis.transport import transport_poverty
from geo.errors import DataError
from geo.model.dataset import Dataset
from tests.test_analysis_need import tiny_dataset


def _recode(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = (
            out[column]
            .astype(object)
            .map(lambda c: c.replace("0999", "0998") if isinstance(c, str) else c)
        )
    return out


def two_gemeenten() -> Dataset:
    """Testdorp (GM0999) and a copy 5 km east (GM0998) whose 65-plussers number twice as many."""
    one = tiny_dataset()
    areas = _recode(one.areas, ["code", "gemeente_code", "wijk_code"])
    areas = areas.set_geometry(areas.geometry.translate(xoff=5000))
    figures = one.figures.copy()
    figures = figures[figures["code"] != "NL01"]
    figures = _recode(figures, ["code"])
    population = one.population().copy()
    population["leeftijd_65_plus"] = population["leeftijd_65_plus"] * 2
    population.index = population.index.str.replace("0999", "0998")
    both = pd.concat([one.population(), population])
    both.attrs = one.population().attrs
    return dataclasses.replace(
        one,
        gemeente_code=None,
        gemeente_naam=None,
        areas=pd.concat([one.areas, areas], ignore_index=True),
        figures=pd.concat([one.figures, figures], ignore_index=True),
        populations={2020: both},
    )


def test_each_gemeente_sums_only_its_own_buurten():
    result = analyse(two_gemeenten(), None, group="ouderen", hotspots=False)
    gemeenten = result.gemeente.set_index("code")
    # Testdorp: 400 + 200 = 600 65-plussers; its copy: 800 + 400 = 1,200
    assert gemeenten.loc["GM0999", "population"] == 600
    assert gemeenten.loc["GM0998", "population"] == 1200
    # lonely: 400 × 40 % + 200 × 50 % (wijk fallback) = 260, and twice that
    assert gemeenten.loc["GM0999", "lonely"] == pytest.approx(260)
    assert gemeenten.loc["GM0998", "lonely"] == pytest.approx(520)
    assert gemeenten.loc["GM0998", "lonely_rate"] == pytest.approx(100 * 520 / 1200)
    # the published gemeente rate × its own population is kept next to the sum
    assert gemeenten.loc["GM0998", "lonely_published"] == pytest.approx(1200 * 0.50)
    assert len(result.wijken) == 2 and set(result.wijken["buurten"]) == {2}


def test_buurt_without_shape_gets_unknown_reach_not_a_zero():
    dataset = tiny_dataset()
    areas = dataset.areas.copy()
    areas.loc[areas["code"] == "BU09990102", "geometry"] = Polygon()
    dataset = dataclasses.replace(dataset, areas=areas)
    acts = gpd.GeoDataFrame(
        {
            "soort": ["ontmoeting"],
            "doelgroepen": ["iedereen"],
            "dagdelen": ["ochtend"],  # times known and fitting: full weight
            "capaciteit": [10.0],
        },
        geometry=gpd.points_from_xy([500], [500]),
        crs="EPSG:28992",
    )
    stops = gpd.GeoDataFrame(
        {"vertrekken_per_uur": [4.0]}, geometry=gpd.points_from_xy([500], [600]), crs="EPSG:28992"
    )
    result = analyse(
        dataset, {"activiteiten": acts, "ov_haltes": stops}, group="ouderen", hotspots=False
    )
    buurten = result.buurten.set_index("code")
    assert np.isnan(buurten.loc["BU09990102", "access"])
    assert np.isnan(buurten.loc["BU09990102", "gap_score"])
    assert buurten.loc["BU09990102", "rank"] == 2  # unknown goes last
    assert "ligging onbekend" in buurten.loc["BU09990102", "reason"]
    # Noord reaches the activity: 10 places for 160 lonely 65-plussers
    assert buurten.loc["BU09990101", "access"] == pytest.approx(10 / 160)
    assert buurten.loc["BU09990101", "reachable"] == 1
    assert any("zonder vorm" in note for note in result.notes)
    assert result.no_offer.empty
    wijk = result.wijken.iloc[0]
    assert wijk["buurten_zonder_vorm"] == 1 and wijk["buurten_zonder_aanbod"] == 0
    assert wijk["reachable_offer"] == pytest.approx(1000 * 10 / 160)  # from the located buurt
    tp = transport_poverty(
        dataset.level("buurt"), dataset.population(), dataset.figures, stops=stops
    ).set_index("code")
    assert tp.loc["BU09990101", "afstand_ov_m"] == pytest.approx(100 * 1.3, abs=1)
    assert np.isnan(tp.loc["BU09990102", "afstand_ov_m"])


def test_reach_without_suitable_activities_is_zero():
    dataset = tiny_dataset()
    need = pd.DataFrame(
        {
            "code": ["BU09990101", "BU09990102"],
            "group": "ouderen",
            "niveau": "buurt",
            "lonely": [160.0, 100.0],
        }
    )
    acts = gpd.GeoDataFrame(
        {"soort": ["training"], "doelgroepen": ["iedereen"], "dagdelen": [""], "capaciteit": [5.0]},
        geometry=gpd.points_from_xy([500], [500]),
        crs="EPSG:28992",
    )
    offer = reachable_offer(dataset.level("buurt"), need, acts, group="ouderen")
    assert offer["access"].tolist() == [0.0, 0.0] and offer["access"].dtype == float
    assert offer["reachable"].tolist() == [0, 0]


def test_hot_spots_skip_areas_without_shape():
    cells = [box(x, y, x + 100, y + 100) for y in range(0, 600, 100) for x in range(0, 600, 100)]
    cells[35] = Polygon()
    areas = gpd.GeoDataFrame(
        {"code": [f"C{i}" for i in range(36)]}, geometry=cells, crs="EPSG:28992"
    )
    values = np.ones(36)
    values[[0, 1, 6, 7]] = 20.0  # a planted corner cluster
    spots = hot_spots(areas, pd.Series(values))
    assert np.isnan(spots.loc[35, "gi_z"]) and spots.loc[35, "hotspot"] == ""
    assert spots.loc[0, "gi_z"] > 2 and spots.loc[0, "moran_quadrant"] == "hoog-hoog"


def test_summary_rows_carry_counts_and_rates_of_both_views():
    result = analyse(tiny_dataset(), None, group="ouderen", hotspots=False)
    (row,) = summarise_result(result, "wijk")
    assert row["population"] == 600 and row["lonely"] == pytest.approx(260)
    assert row["lonely_rate"] == pytest.approx(43.333, abs=1e-3)
    assert row["lonely_published"] == pytest.approx(300) and row["lonely_rate_published"] == 50
    assert row["rank"] == 1 and row["reason"].startswith("260 eenzame 65-plussers")


def test_profile_flags_borrowed_rates_and_small_groups():
    profile = area_profile(tiny_dataset(), None, "wijk", group="migrantenouderen")
    assert profile["area"]["kind"] == "wijk" and len(profile["area"]["buurten"]) == 2
    flags = profile["flags"]
    # Zuid's 65+ figure is suppressed: it borrows the wijk's rate
    assert flags["fallback_buurten"] == [
        {"code": "BU09990102", "naam": "Zuid", "rate_from": "wijk"}
    ]
    # migrant elderly: Noord 400 × (400 / 2,000) × 0.6 = 48, Zuid 200 × (200 / 1,000) × 0.6 = 24
    assert [(r["naam"], r["population"]) for r in flags["unreliable_buurten"]] == [
        ("Noord", 48.0),
        ("Zuid", 24.0),
    ]
    assert flags["buurten_zonder_vorm"] == []
    need = {row["group"]: row for row in profile["need"]}
    # 48 + 24 migrant elderly; 40 % in Noord, 50 % (borrowed) in Zuid
    assert need["migrantenouderen"]["population"] == 72
    assert need["migrantenouderen"]["lonely"] == pytest.approx(48 * 0.4 + 24 * 0.5)


def test_progress_reports_each_step_in_order():
    seen: list[str] = []
    analyse(tiny_dataset(), None, group="jongvolwassenen", progress=seen.append)
    assert seen == [
        "behoefte",
        "bereik (E2SFCA)",
        "vervoersarmoede",
        "hiaten",
        "hot spots",
        "klaar",
    ]
    seen.clear()
    analyse(tiny_dataset(), None, group="ouderen", hotspots=False, progress=seen.append)
    assert "hot spots" not in seen and seen[-1] == "klaar"


def test_dataset_without_kwb_counts_is_a_dutch_error():
    dataset = dataclasses.replace(tiny_dataset(), populations={})
    with pytest.raises(DataError, match="geen \\(bruikbare\\) CBS-bevolkingscijfers"):
        analyse(dataset, None, group="ouderen")
