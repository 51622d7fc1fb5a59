"""Time fit: weights per activity and group, and reach that changes exactly as the rule says."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.analysis.gaps import buurt_reason, score_gaps
from geo.analysis.pipeline import analyse
from geo.analysis.reach import reachable_offer, suitable_activities
from geo.analysis.timefit import (
    FITS,
    NO_FIT,
    NO_OV,
    UNKNOWN,
    activity_dagdelen,
    missing_dagdelen_text,
    time_weights,
)
from geo.settings import AnalysisSettings
from tests.test_analysis_need import tiny_dataset

BUURT = "BU09990101"


def _acts(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    base = {"soort": "ontmoeting", "doelgroepen": "iedereen", "dagdelen": "", "frequentie": ""}
    frame = pd.DataFrame([{**base, **{k: v for k, v in r.items() if k != "xy"}} for r in rows])
    return gpd.GeoDataFrame(
        frame, geometry=[Point(*r.get("xy", (20, 20))) for r in rows], crs="EPSG:28992"
    )


def _one_buurt(lonely: float = 100.0, group: str = "ouderen"):
    buurten = gpd.GeoDataFrame({"code": [BUURT]}, geometry=[box(0, 0, 40, 40)], crs="EPSG:28992")
    need = pd.DataFrame({"code": [BUURT], "group": group, "niveau": "buurt", "lonely": [lonely]})
    return buurten, need


def test_weights_follow_the_groups_dagdelen():
    acts = _acts(
        [
            {"dagdelen": "avond"},
            {"dagdelen": "ochtend;middag"},
            {"dagdelen": ""},
            {"dagdelen": "", "frequentie": "elke zaterdagochtend"},
            {"dagdelen": "", "frequentie": "wekelijks"},
        ]
    )
    young = time_weights(acts, "jongvolwassenen")
    assert young["time_fit"].tolist() == [1.0, 0.0, 0.5, 1.0, 0.5]
    assert young["time_status"].tolist() == [FITS, NO_FIT, UNKNOWN, FITS, UNKNOWN]
    old = time_weights(acts, "ouderen")
    assert old["time_fit"].tolist() == [0.0, 1.0, 0.5, 1.0, 0.5]
    assert old["tijden"].tolist() == ["avond", "ochtend;middag", "", "weekend", ""]
    half = time_weights(acts, "ouderen", settings=AnalysisSettings(time_fit_unknown_weight=0.25))
    assert half["time_fit"].tolist() == [0.0, 1.0, 0.25, 1.0, 0.25]
    off = time_weights(acts, "ouderen", settings=AnalysisSettings(time_fit=False))
    assert off["time_fit"].tolist() == [1.0] * 5


def test_dagdelen_from_frequentie_text():
    assert activity_dagdelen("", "elke dinsdagavond") == ("avond",)
    assert activity_dagdelen("", "zondagmiddag") == ("weekend",)
    assert activity_dagdelen("weekend", "elke dinsdagavond") == ("weekend",)
    assert activity_dagdelen(None, None) is None


def test_known_times_that_fit_count_fully_unknown_for_half_others_not():
    # one buurt, 100 lonely 65-plussers, three activities of 10 places at 28 m (weight 1):
    # ochtend fits (1), unknown (0.5), avond does not fit the elderly (0)
    buurten, need = _one_buurt()
    acts = _acts(
        [
            {"dagdelen": "ochtend", "capaciteit": 10},
            {"dagdelen": "", "capaciteit": 10},
            {"dagdelen": "avond", "capaciteit": 10},
        ]
    )
    offer = reachable_offer(buurten, need, acts, group="ouderen")
    assert offer["access"].iloc[0] == pytest.approx((10 * 1 + 10 * 0.5) / 100)
    assert offer["reachable"].iloc[0] == 2
    assert offer["reachable_other_times"].iloc[0] == 1
    assert offer["reachable_time_unknown"].iloc[0] == 1
    assert offer.attrs["time_fit"]["activities"] == {FITS: 1, UNKNOWN: 1, NO_FIT: 1, NO_OV: 0}
    # young adults: avond fits, ochtend does not
    buurten, need = _one_buurt(group="jongvolwassenen")
    young = reachable_offer(buurten, need, acts, group="jongvolwassenen")
    assert young["access"].iloc[0] == pytest.approx((10 * 0.5 + 10 * 1) / 100)
    # without the time fit every activity counts fully (the rule of earlier versions, but
    # then known times that do not fit were left out; now they weigh 0: the same)
    off = reachable_offer(
        buurten, need, acts, group="jongvolwassenen", settings=AnalysisSettings(time_fit=False)
    )
    assert off["access"].iloc[0] == pytest.approx(30 / 100)


def test_suitable_activities_keep_unknown_times_and_drop_clear_misfits():
    acts = _acts([{"dagdelen": "ochtend"}, {"dagdelen": ""}, {"dagdelen": "avond"}])
    assert len(suitable_activities(acts, "ouderen")) == 2
    assert len(suitable_activities(acts, "jongvolwassenen")) == 2


def test_ov_hours_count_for_the_elderly_when_haltes_carry_departures_per_dagdeel():
    buurten, need = _one_buurt()
    acts = _acts([{"dagdelen": "ochtend", "capaciteit": 10}])

    def stops(ochtend: float, middag: float) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "naam": ["Halte"],
                "vertrekken_per_uur": [4.0],
                "vertrekken_ochtend": [ochtend],
                "vertrekken_middag": [middag],
                "vertrekken_avond": [2.0],
                "vertrekken_weekend": [0.0],
            },
            geometry=[Point(300, 20)],  # 280 m from the activity: within 500 m
            crs="EPSG:28992",
        )

    runs = reachable_offer(buurten, need, acts, group="ouderen", stops=stops(4.0, 0.0))
    assert runs["access"].iloc[0] == pytest.approx(10 / 100)
    # no bus in the morning, when the activity runs: only those who walk can go
    idle = reachable_offer(buurten, need, acts, group="ouderen", stops=stops(0.0, 6.0))
    assert idle["access"].iloc[0] == pytest.approx(0.5 * 10 / 100)
    assert idle["reachable_no_ov"].iloc[0] == 1
    assert idle.attrs["time_fit"]["activities"][NO_OV] == 1
    # haltes without per-dagdeel departures: OV hours are not used
    plain = stops(0.0, 6.0)[["naam", "vertrekken_per_uur", "geometry"]]
    assert reachable_offer(buurten, need, acts, group="ouderen", stops=plain)["access"].iloc[
        0
    ] == pytest.approx(10 / 100)
    # young adults do not depend on OV in this rule
    buurten_y, need_y = _one_buurt(group="jongvolwassenen")
    evening = _acts([{"dagdelen": "avond", "capaciteit": 10}])
    young = reachable_offer(
        buurten_y, need_y, evening, group="jongvolwassenen", stops=stops(0.0, 0.0)
    )
    assert young["access"].iloc[0] == pytest.approx(10 / 100)


def test_reason_names_offer_at_other_times():
    buurten, need = _one_buurt(group="jongvolwassenen")
    acts = _acts([{"dagdelen": "ochtend", "capaciteit": 10} for _ in range(3)])
    offer = reachable_offer(buurten, need, acts, group="jongvolwassenen")
    assert offer["reachable"].iloc[0] == 0 and offer["reachable_other_times"].iloc[0] == 3
    row = {**offer.iloc[0].to_dict(), "lonely": 100.0, "population": 400.0}
    text = buurt_reason(row, group="jongvolwassenen")
    assert "3 activiteiten binnen 1.500 m, geen in de avond of het weekend" in text
    assert missing_dagdelen_text("ouderen", AnalysisSettings()) == (
        "in de ochtend, de middag of het weekend"
    )


def test_reason_never_fails_on_nan_counts():
    row = {
        "lonely": np.nan,
        "population": np.nan,
        "severely_lonely": np.nan,
        "reachable": np.nan,
        "reachable_other_times": np.nan,
        "reachable_time_unknown": np.nan,
        "reachable_no_ov": np.nan,
        "reachable_ontmoeting": np.nan,
        "catchment_m": np.nan,
        "access": 0.1,
        "reachable_offer": np.nan,
        "covered_lonely": np.nan,
        "autos_per_huishouden": np.nan,
    }
    text = buurt_reason(row, group="ouderen")
    assert "eenzame 65-plussers" in text
    row["reachable"] = 2.0
    assert "2 passende activiteiten" in buurt_reason(row, group="ouderen")


def test_unknown_times_in_reason_and_the_gap_reference():
    frame = pd.DataFrame(
        {
            "code": [BUURT],
            "lonely": [100.0],
            "severely_lonely": [20.0],
            "population": [400.0],
            "access": [0.15],
            "capacity_total": [15.0],
            "reachable": [2],
            "reachable_ontmoeting": [2],
            "reachable_time_unknown": [1],
            "reachable_other_times": [1],
            "catchment_m": [500.0],
            "buurtmobiel": [""],
            "transport_index": [0.0],
            "rate_from": ["buurt"],
            "unreliable": [False],
        }
    )
    scored = score_gaps(frame, group="ouderen")
    assert scored["served_share"].iloc[0] == pytest.approx(1.0)
    reason = scored["reason"].iloc[0]
    assert "van 1 zijn de tijden onbekend (telt voor 0,5)" in reason
    assert "nog 1 op andere tijden" in reason


def test_pipeline_reports_the_time_fit_and_weighs_the_reference():
    dataset = tiny_dataset()
    acts = _acts(
        [
            {"dagdelen": "ochtend", "capaciteit": 10, "xy": (500, 500)},
            {"dagdelen": "", "capaciteit": 10, "xy": (500, 500)},
            {"dagdelen": "avond", "capaciteit": 10, "xy": (500, 500)},
        ]
    )
    result = analyse(dataset, {"activiteiten": acts}, group="ouderen", hotspots=False)
    assert result.time_fit["preferred_dagdelen"] == ["ochtend", "middag", "weekend"]
    assert result.time_fit["activities"][NO_FIT] == 1
    # the gemeente's fitting offer: 10 × 1 + 10 × 0.5 + 10 × 0 places
    assert result.buurten["capacity_total"].iloc[0] == pytest.approx(15.0)
    noord = result.buurten.set_index("code").loc[BUURT]
    assert noord["reachable"] == 2 and noord["reachable_other_times"] == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"time_fit_unknown_weight": 1.5},
        {"time_fit_no_ov_weight": -0.1},
        {"time_fit_dagdelen": (("ouderen", ("nacht",)),)},
    ],
)
def test_settings_refuse_time_fit_values_that_make_no_sense(changes):
    with pytest.raises(ValueError, match="Ongeldige analyse-instellingen"):
        AnalysisSettings(**changes)
