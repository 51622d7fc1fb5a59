"""Need, fallbacks, aggregation, transport index, gap ranking and reasons on tiny hand-made data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.analysis.gaps import aggregate_gaps, buurt_reason, score_gaps
from geo.analysis.hotspots import hot_spots
from geo.analysis.need import aggregate_need, estimate_need
from geo.analysis.populations import estimate_populations, read_overrides
from geo.analysis.transport import transport_poverty
from geo.errors import DataError
from geo.model.dataset import Dataset
from geo.model.figures import FIGURE_COLUMNS
from geo.settings import AnalysisSettings


def tiny_dataset() -> Dataset:
    """Gemeente GM0999 with wijk WK099901 of two buurten; buurt 02's 65+ figure is suppressed."""
    areas = gpd.GeoDataFrame(
        {
            "code": ["GM0999", "WK099901", "BU09990101", "BU09990102"],
            "naam": ["Testdorp", "Wijk", "Noord", "Zuid"],
            "niveau": ["gemeente", "wijk", "buurt", "buurt"],
            "gemeente_code": [None, "GM0999", "GM0999", "GM0999"],
            "wijk_code": [None, None, "WK099901", "WK099901"],
            "naam_bron": "CBS",
            "bron": "test",
            "indeling": "2020",
        },
        geometry=[
            box(0, 0, 2000, 1000),
            box(0, 0, 2000, 1000),
            box(0, 0, 1000, 1000),
            box(1000, 0, 2000, 1000),
        ],
        crs="EPSG:28992",
    )
    rows = []
    for code, niveau, lonely, severe in [
        ("GM0999", "gemeente", 50.0, 12.0),
        ("WK099901", "wijk", 50.0, 12.0),
        ("BU09990101", "buurt", 40.0, 10.0),
        ("BU09990102", "buurt", None, None),
        ("NL01", "land", 49.5, 10.4),
    ]:
        for indicator, value in (("Eenzaam", lonely), ("ErnstigZeerErnstigEenzaam", severe)):
            rows.append(
                {
                    "code": code,
                    "niveau": niveau,
                    "indicator": indicator,
                    "group": "65+",
                    "year": 2020,
                    "value": np.nan if value is None else value,
                    "status": "niet gepubliceerd" if value is None else "gepubliceerd",
                    "unit": "%",
                    "source": "test",
                    "vintage": "indeling 2020",
                }
            )
        rows.append(
            {
                "code": code,
                "niveau": niveau,
                "indicator": "Eenzaam",
                "group": "18+",
                "year": 2020,
                "value": 45.0,
                "status": "gepubliceerd",
                "unit": "%",
                "source": "test",
                "vintage": "indeling 2020",
            }
        )
    figures = pd.DataFrame(rows).reindex(columns=FIGURE_COLUMNS)
    population = pd.DataFrame(
        {
            "naam": ["Testdorp", "Wijk", "Noord", "Zuid"],
            "niveau": ["gemeente", "wijk", "buurt", "buurt"],
            "inwoners": [3000.0, 3000, 2000, 1000],
            "leeftijd_0_14": [300.0, 300, 200, 100],
            "leeftijd_15_24": [400.0, 400, 300, 100],
            "leeftijd_25_44": [1000.0, 1000, 700, 300],
            "leeftijd_45_64": [700.0, 700, 400, 300],
            "leeftijd_65_plus": [600.0, 600, 400, 200],
            "herkomst_europa": [300.0, 300, 200, 100],
            "herkomst_buiten_europa": [300.0, 300, 200, 100],
            "eenpersoonshuishoudens": [500.0, 500, 300, 200],
            "autos_per_huishouden": [0.8, 0.8, 1.0, 0.5],
        },
        index=pd.Index(["GM0999", "WK099901", "BU09990101", "BU09990102"], name="code"),
    )
    population.attrs = {"year": 2020, "source": "test"}
    return Dataset(
        path=Path("."),
        gemeente_code="GM0999",
        gemeente_naam="Testdorp",
        areas=areas,
        figures=figures,
        populations={2020: population},
        gebieden={},
        unmatched=pd.DataFrame(),
        sources=pd.DataFrame(),
    )


def test_populations_with_stated_methods():
    pops = estimate_populations(tiny_dataset().population()).set_index(["code", "group"])
    assert pops.loc[("BU09990101", "ouderen"), "population"] == 400
    # 18-27: 0.7 × 300 + 0.15 × 700 = 315
    assert pops.loc[("BU09990101", "jongvolwassenen"), "population"] == 315
    # 65+ with migration background: 400 × (400 / 2000) × 0.6 = 48
    assert pops.loc[("BU09990101", "migrantenouderen"), "population"] == 48
    # living alone: 300 × 400 / (2000 - 200 - 90) × 2 = 140.35 -> 140 (under the 60 % cap)
    assert pops.loc[("BU09990101", "alleenstaande-ouderen"), "population"] == 140
    assert "15-24" in pops.loc[("BU09990101", "jongvolwassenen"), "method"]
    assert pops.loc[("BU09990101", "ouderen"), "estimated"] == "telling"


def test_overrides_replace_estimates(tmp_path: Path):
    path = tmp_path / "beter.csv"
    path.write_text("code;groep;aantal\nBU09990101;migrantenouderen;75\n", encoding="utf-8")
    overrides = read_overrides(path)
    pops = estimate_populations(tiny_dataset().population(), overrides=overrides)
    row = pops.set_index(["code", "group"]).loc[("BU09990101", "migrantenouderen")]
    assert row["population"] == 75 and row["estimated"] == "opgegeven"
    path.write_text("code;groep;aantal\nBU09990101;katten;75\n", encoding="utf-8")
    with pytest.raises(DataError, match="rij 2"):
        read_overrides(path)


def test_need_uses_own_rate_and_falls_back_to_wijk():
    need = estimate_need(tiny_dataset()).set_index(["code", "group"])
    own = need.loc[("BU09990101", "ouderen")]
    assert own["lonely"] == pytest.approx(400 * 0.40)
    assert own["severely_lonely"] == pytest.approx(40.0)
    assert own["rate_from"] == "buurt" and not own["unreliable"]
    fallback = need.loc[("BU09990102", "ouderen")]
    assert fallback["lonely_rate"] == 50.0 and fallback["rate_from"] == "wijk"
    assert fallback["lonely"] == pytest.approx(100.0)
    # young adults: no 18-65 in this edition -> 18+ (45 %)
    young = need.loc[("BU09990101", "jongvolwassenen")]
    assert young["age_group"] == "18+" and young["lonely"] == pytest.approx(315 * 0.45)
    assert need.loc[("BU09990102", "migrantenouderen"), "unreliable"]  # 24 residents < 50


def test_shrinkage_moves_buurt_rate_toward_wijk():
    need = estimate_need(
        tiny_dataset(), settings=AnalysisSettings(shrinkage=True, shrinkage_prior=400)
    )
    row = need.set_index(["code", "group"]).loc[("BU09990101", "ouderen")]
    # weight 400 / (400 + 400) = 0.5: 0.5 × 40 + 0.5 × 50 = 45
    assert row["lonely_rate"] == pytest.approx(45.0)
    assert "krimp" in row["rate_from"]


def test_aggregation_sums_people_and_recomputes_rates():
    need = estimate_need(tiny_dataset())
    buurten = need[need["niveau"] == "buurt"]
    wijk = aggregate_need(buurten, {"WK099901": ["BU09990101", "BU09990102"]}, niveau="wijk")
    row = wijk.set_index("group").loc["ouderen"]
    assert row["population"] == 600
    assert row["lonely"] == pytest.approx(160 + 100)
    assert row["lonely_rate"] == pytest.approx(100 * 260 / 600)  # not (40 + 50) / 2
    assert row["fallback_buurten"] == 1


def _stop():
    return gpd.GeoDataFrame(
        {"naam": ["Halte"], "vertrekken_per_uur": [4.0]},
        geometry=gpd.points_from_xy([500], [500]),
        crs="EPSG:28992",
    )


def test_transport_index_components():
    dataset = tiny_dataset()
    tp = transport_poverty(
        dataset.level("buurt"), dataset.population(), dataset.figures, stops=_stop()
    ).set_index("code")
    assert tp.attrs["transport_scale"] == "vast"
    # fixed scales: cars 0 -> 1 and 1.2 -> 0; 1.0 car = 1/6, 0.5 car = 7/12
    assert tp.loc["BU09990101", "c_weinig_autos"] == pytest.approx(1 / 6)
    assert tp.loc["BU09990102", "c_weinig_autos"] == pytest.approx(7 / 12)
    # the halte stands on Noord's point (0 m -> 0); Zuid's point is 1,000 m x 1.3 away (-> 1)
    assert tp.loc["BU09990101", "c_afstand_ov"] == 0.0
    assert tp.loc["BU09990102", "c_afstand_ov"] == 1.0
    # 4 departures an hour, a bus (no mode given): every 15 min -> category IV; at 0 m class C
    # (score 0.4), at 1,300 m no class (score 1)
    assert tp.loc["BU09990101", "ov_klasse"] == "C"
    assert tp.loc["BU09990101", "c_ov_klasse"] == pytest.approx(0.4)
    assert tp.loc["BU09990102", "c_ov_klasse"] == 1.0
    # 20 % 65-plussers in both: (20 - 10) / (40 - 10) = 1/3; no Buurtmobiel anywhere: 1
    assert tp.loc["BU09990101", "c_aandeel_65plus"] == pytest.approx(1 / 3)
    assert tp.loc["BU09990101", "c_geen_buurtmobiel"] == 1.0
    assert np.isnan(tp.loc["BU09990101", "c_moeite_rondkomen"])  # no RIVM figure: left out
    # index = weighted mean over the available components (weights 0.25, 0.2, 0.1, 0.15, 0.1)
    noord = (0.25 / 6 + 0.2 * 0 + 0.1 * 0.4 + 0.15 / 3 + 0.1 * 1) / 0.8
    zuid = (0.25 * 7 / 12 + 0.2 * 1 + 0.1 * 1 + 0.15 / 3 + 0.1 * 1) / 0.8
    assert tp.loc["BU09990101", "index"] == pytest.approx(noord)
    assert tp.loc["BU09990102", "index"] == pytest.approx(zuid)
    # the old relative index stays available for comparison
    rel = transport_poverty(
        dataset.level("buurt"), dataset.population(), dataset.figures, stops=_stop(), relative=True
    ).set_index("code")
    assert rel.attrs["transport_scale"] == "relatief"
    assert rel.loc["BU09990101", "c_weinig_autos"] == 0.0  # 1.0 car: best in the dataset
    assert rel.loc["BU09990102", "c_weinig_autos"] == 1.0  # 0.5 car: worst
    assert rel.loc["BU09990102", "afstand_ov_m"] > rel.loc["BU09990101", "afstand_ov_m"]
    assert rel.loc["BU09990102", "index"] > rel.loc["BU09990101", "index"]
    assert np.isnan(rel.loc["BU09990101", "c_geen_buurtmobiel"])  # no services layer at all
    assert "c_ov_klasse" not in rel


def test_buurtmobiel_area_changes_only_the_buurten_it_covers():
    dataset = tiny_dataset()
    args = (dataset.level("buurt"), dataset.population(), dataset.figures)
    services = gpd.GeoDataFrame(
        {"naam": ["Buurtmobiel Zuid"], "dienst": ["Buurtmobiel"]},
        geometry=[box(1000, 0, 2000, 1000)],
        crs="EPSG:28992",
    )
    before = transport_poverty(*args, stops=_stop()).set_index("code")["index"]
    after = transport_poverty(*args, stops=_stop(), services=services).set_index("code")["index"]
    assert after["BU09990101"] == before["BU09990101"]  # Noord: not covered, unchanged
    assert after["BU09990102"] == pytest.approx(before["BU09990102"] - 0.1 / 0.8)
    # the relative index moved Noord although nothing changed there (the reason for the scales)
    rel_before = transport_poverty(*args, stops=_stop(), relative=True).set_index("code")
    rel_after = transport_poverty(*args, stops=_stop(), services=services, relative=True)
    assert rel_after.set_index("code")["index"]["BU09990101"] > rel_before["index"]["BU09990101"]


def test_a_buurts_score_is_the_same_in_a_bigger_run():
    dataset = tiny_dataset()
    one = transport_poverty(
        dataset.level("buurt"), dataset.population(), dataset.figures, stops=_stop()
    ).set_index("code")
    other = gpd.GeoDataFrame(
        {"code": ["BU08880101"], "naam": ["Elders"], "niveau": ["buurt"]},
        geometry=[box(20_000, 0, 21_000, 1000)],
        crs="EPSG:28992",
    )
    buurten = pd.concat([dataset.level("buurt"), other], ignore_index=True)
    population = pd.concat(
        [
            dataset.population(),
            pd.DataFrame(
                {"inwoners": [500.0], "leeftijd_65_plus": [300.0], "autos_per_huishouden": [2.0]},
                index=pd.Index(["BU08880101"], name="code"),
            ),
        ]
    )
    stops = pd.concat([_stop(), _stop().set_geometry(gpd.points_from_xy([20_500], [500]))])
    stops["vertrekken_per_uur"] = [4.0, 60.0]
    big = transport_poverty(buurten, population, dataset.figures, stops=stops).set_index("code")
    for code in ("BU09990101", "BU09990102"):
        assert big.loc[code, "index"] == pytest.approx(one.loc[code, "index"], abs=1e-12)
    rel_one = transport_poverty(
        dataset.level("buurt"), dataset.population(), dataset.figures, stops=_stop(), relative=True
    ).set_index("code")
    rel_big = transport_poverty(
        buurten, population, dataset.figures, stops=stops, relative=True
    ).set_index("code")
    assert rel_big.loc["BU09990101", "index"] != pytest.approx(rel_one.loc["BU09990101", "index"])


def test_gap_scores_rank_and_reason():
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "naam": ["A", "B", "C"],
            "population": [1000.0, 1000, 1000],
            "lonely": [500.0, 500, 100],
            "severely_lonely": [100.0, 100, 20],
            "access": [0.0, 0.02, 0.0],
            "capacity_total": 12.0,
            "reachable": [0, 3, 0],
            "reachable_ontmoeting": [0, 0, 0],
            "reachable_offer": [0.0, 20.0, 0.0],
            "catchment_m": 500.0,
            "buurtmobiel": "",
            "autos_per_huishouden": [0.5, 0.9, 1.2],
            "afstand_ov_m": [700.0, 100, 100],
            "transport_index": [1.0, 0.0, 0.0],
            "rate_from": "buurt",
            "unreliable": False,
        }
    )
    scored = score_gaps(
        frame, group="ouderen", settings=AnalysisSettings(transport_weight_in_gap=0.5)
    )
    # reference = 12 / 1100; B is served in full (0.02 > 0.0109), A and C not at all
    assert scored["unserved"].tolist() == pytest.approx([500.0, 0.0, 100.0])
    assert scored["gap_score"].tolist() == pytest.approx([750.0, 0.0, 100.0])
    assert scored["rank"].tolist() == [1, 3, 2]
    assert scored["reason"].iloc[0] == (
        "500 eenzame 65-plussers, 10 % ernstig; geen passend aanbod binnen 500 m; "
        "geen Buurtmobiel; 0,5 auto per huishouden; OV-halte op 700 m"
    )
    units = aggregate_gaps(
        scored, {"W": ["A", "B"]}, niveau="wijk", names={"W": "Wijk W"}, group="ouderen"
    )
    assert units["lonely"].item() == 1000 and units["gap_score"].item() == pytest.approx(750)
    assert units["reachable_offer"].item() == pytest.approx(0.02 * 500 / 1000 * 1000)
    assert "in 1 van de 2 buurten niets passends binnen 500 m" in units["reason"].item()


def test_reason_mentions_fallback_and_small_groups():
    text = buurt_reason(
        {
            "lonely": 10,
            "severely_lonely": 2,
            "population": 30,
            "reachable": 2,
            "reachable_ontmoeting": 1,
            "reachable_offer": 150.0,
            "catchment_m": 1500,
            "rate_from": "wijk",
            "unreliable": True,
        },
        group="jongvolwassenen",
    )
    assert "cijfer van de wijk" in text and "onzeker" in text
    assert "2 passende activiteiten binnen 1.500 m (150 plaatsen per 1.000 eenzamen)" in text
    assert "Buurtmobiel" not in text


def test_hot_spots_find_a_planted_cluster():
    cells = [box(x, y, x + 100, y + 100) for y in range(0, 1000, 100) for x in range(0, 1000, 100)]
    areas = gpd.GeoDataFrame(
        {"code": [f"C{i}" for i in range(100)]}, geometry=cells, crs="EPSG:28992"
    )
    rng = np.random.default_rng(1)
    values = rng.normal(10, 1, 100)
    cluster = [i for i in range(100) if (i % 10) < 3 and (i // 10) < 3]
    values[cluster] += 10
    spots = hot_spots(areas, pd.Series(values), settings=AnalysisSettings(permutations=999))
    hot = set(spots.loc[spots["hotspot"] == "hot", "code"])
    planted = {f"C{i}" for i in cluster}
    assert "C11" in hot and len(hot & planted) >= 6
    assert hot <= {f"C{i}" for i in range(100) if (i % 10) < 5 and (i // 10) < 5}
    assert (spots.loc[spots["code"].isin(["C11"]), "moran_quadrant"] == "hoog-hoog").all()


def test_hot_spots_tiny_input_is_graceful():
    areas = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(5, 5, 6, 6)], crs="EPSG:28992"
    )
    spots = hot_spots(areas, pd.Series([1.0, 2.0]))
    assert spots["hotspot"].tolist() == ["", ""]
