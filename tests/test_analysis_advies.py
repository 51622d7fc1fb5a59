"""Scenarios, what-if and recommended locations (issue 14)."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from geo.aanbod import load_aanbod
from geo.analysis.advies import greedy_mclp, recommend, solve_mclp
from geo.analysis.pipeline import analyse
from geo.analysis.scenario import BuurtmobielArea, NewActivity, Scenario, apply_scenario
from geo.analysis.scenario_store import open_scenarios
from geo.analysis.whatif import compare, prepare_whatif
from geo.errors import DataError
from tests.conftest import DEMO
from tests.test_analysis_reach_network import folder_with_network  # noqa: F401  (fixture)

GROUP = "alleenstaande-ouderen"


@pytest.fixture(scope="module")
def demo_whatif(demo_dataset):
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    return prepare_whatif(demo_dataset, aanbod.layers, group=GROUP)


def _instance(seed: int, n_points: int = 40, n_cand: int = 12, pairs: int = 90):
    rng = np.random.default_rng(seed)
    d = rng.integers(0, n_points, pairs)
    s = rng.integers(0, n_cand, pairs)
    w = rng.integers(1, 30, n_points).astype(float)
    return d, s, w, n_cand


def _covered(d, s, w, subset) -> float:
    hit = np.unique(d[np.isin(s, list(subset))])
    return float(w[hit].sum())


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_milp_finds_the_brute_force_optimum(seed, k):
    d, s, w, n = _instance(seed)
    best = max(_covered(d, s, w, c) for c in itertools.combinations(range(n), k))
    for solver in ("highs", "cbc"):
        chosen, value, figures = solve_mclp(d, s, w, n, k, solver=solver)
        assert len(chosen) <= k
        assert value == pytest.approx(best)
        assert _covered(d, s, w, chosen) == pytest.approx(best)
        assert figures["optimality_gap"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_greedy_is_within_its_bound(seed):
    d, s, w, n = _instance(seed, pairs=70)
    k = 3
    best = max(_covered(d, s, w, c) for c in itertools.combinations(range(n), k))
    chosen, value, figures = solve_mclp(d, s, w, n, k, solver="greedy")
    assert figures["solver"] == "greedy"
    assert value >= (1 - 1 / math.e) * best - 1e-9
    assert figures["objective_bound"] >= best - 1e-9  # the stated bound holds
    assert value == pytest.approx(_covered(d, s, w, chosen))
    real_gap = (best - value) / best
    assert figures["optimality_gap"] >= real_gap - 1e-9
    unique = np.unique(np.column_stack([d, s]), axis=0)  # greedy_mclp takes distinct pairs
    assert greedy_mclp(unique[:, 0], unique[:, 1], w, k)[1] == pytest.approx(value)


def test_whatif_equals_a_full_analysis(demo_whatif, demo_dataset):
    layers = demo_whatif.layers
    buurten = demo_dataset.level("buurt").to_crs(4326)
    spot = buurten.geometry.iloc[3].representative_point()
    removed = str(layers["activiteiten"]["id"].iloc[0])
    scenario = Scenario(
        "alles",
        nieuw=(NewActivity(spot.x, spot.y),),
        weg=(removed,),
        buurtmobiel=(BuurtmobielArea((str(buurten["code"].iloc[5]),)),),
    )
    fast = demo_whatif.evaluate(scenario).result.buurten.set_index("code")
    changed = apply_scenario(layers, scenario, group=GROUP, areas=demo_dataset.areas)
    full = analyse(demo_dataset, changed, group=GROUP, hotspots=False).buurten.set_index("code")
    for column in ("covered_lonely", "reachable_offer", "gap_score", "transport_index"):
        assert np.allclose(fast[column], full.loc[fast.index, column], equal_nan=True), column
    assert (fast["rank"] == full.loc[fast.index, "rank"]).all()
    assert (layers["activiteiten"]["id"].astype(str) == removed).any()  # input unchanged


@pytest.mark.parametrize("group", ["migrantenouderen", "jongvolwassenen"])
def test_whatif_keeps_time_and_language_fit(demo_dataset, group):
    """The what-if scores with the analysis's own time weights and language weights."""
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    whatif = prepare_whatif(demo_dataset, aanbod.layers, group=group)
    spot = demo_dataset.level("buurt").to_crs(4326).geometry.iloc[7].representative_point()
    scenario = Scenario("tijd", nieuw=(NewActivity(spot.x, spot.y, dagdelen="avond"),))
    fast = whatif.evaluate(scenario).result.buurten.set_index("code")
    changed = apply_scenario(aanbod.layers, scenario, group=group, areas=demo_dataset.areas)
    full = analyse(demo_dataset, changed, group=group, hotspots=False).buurten.set_index("code")
    for column in ("covered_lonely", "reachable_offer", "gap_score", "reachable_other_times"):
        assert np.allclose(fast[column], full.loc[fast.index, column], equal_nan=True), column
    if group == "migrantenouderen":
        assert whatif.origins is not None  # the demo's origin table weighs the pairs


def test_buurtmobiel_for_young_adults_changes_transport_not_reach(demo_dataset):
    aanbod = load_aanbod(DEMO, areas=demo_dataset.areas)
    young = prepare_whatif(demo_dataset, aanbod.layers, group="jongvolwassenen")
    code = str(demo_dataset.level("buurt")["code"].iloc[5])
    scenario = Scenario("bus", buurtmobiel=(BuurtmobielArea((code,)),))
    fast = young.evaluate(scenario).result.buurten.set_index("code")
    changed = apply_scenario(
        aanbod.layers, scenario, group="jongvolwassenen", areas=demo_dataset.areas
    )
    full = analyse(demo_dataset, changed, group="jongvolwassenen", hotspots=False)
    full_buurten = full.buurten.set_index("code")
    for column in ("transport_index", "gap_score", "covered_lonely"):
        assert np.allclose(fast[column], full_buurten.loc[fast.index, column]), column
    assert compare(young, young.evaluate(scenario)).newly_covered_lonely == 0


def test_adding_never_decreases_and_removing_never_increases(demo_whatif, demo_dataset):
    rng = np.random.default_rng(4)
    xmin, ymin, xmax, ymax = demo_dataset.level("buurt").to_crs(4326).total_bounds
    base = demo_whatif.base.buurten.set_index("code")["covered_lonely"]
    ids = demo_whatif.supply["id"].astype(str).tolist()
    for _ in range(5):
        lon, lat = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        added = demo_whatif.evaluate(Scenario("plus", nieuw=(NewActivity(lon, lat),)))
        found = compare(demo_whatif, added)
        after = added.result.buurten.set_index("code")["covered_lonely"]
        assert (after >= base - 1e-9).all()
        assert found.no_longer_covered_lonely == 0
        for niveau in ("wijk", "gebied", "gemeente"):
            rows = found.areas[found.areas["niveau"] == niveau]
            assert (rows["covered_after"] >= rows["covered_before"] - 1e-9).all()
        gone = demo_whatif.evaluate(Scenario("min", weg=tuple(rng.choice(ids, 3))))
        lost = gone.result.buurten.set_index("code")["covered_lonely"]
        assert (lost <= base + 1e-9).all()
        assert compare(demo_whatif, gone).newly_covered_lonely == 0


@pytest.mark.parametrize("severe_weight", [1.0, 3.0])
def test_advies_then_scenario_gives_the_claimed_number(demo_whatif, severe_weight):
    advice = recommend(demo_whatif, aantal=3, kandidaten="raster", severe_weight=severe_weight)
    assert advice.locations and advice.total_newly_covered > 0
    assert sum(loc.newly_covered_lonely for loc in advice.locations) == pytest.approx(
        advice.total_newly_covered
    )
    placed = Scenario(
        "advies", nieuw=tuple(NewActivity(loc.lon, loc.lat) for loc in advice.locations)
    )
    found = compare(demo_whatif, demo_whatif.evaluate(placed))
    assert found.newly_covered_lonely == pytest.approx(advice.total_newly_covered)
    assert "eenzame alleenstaande ouderen binnen" in advice.locations[0].reason
    assert "ernstig eenzaam" in advice.locations[0].reason


@pytest.mark.slow
def test_cli_advies_and_scenario_agree(demo_copy):
    def run(*args: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "geo.cli", *args, "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    advice = run("advies", str(demo_copy), "--groep", "ouderen", "--aantal", "2")
    assert set(advice) >= {"locations", "total_newly_covered", "solver", "optimality_gap"}
    keys = {"lon", "lat", "code", "naam", "newly_covered_lonely", "reason"}
    assert all(keys <= set(loc) for loc in advice["locations"])
    news = [f"{loc['lon']},{loc['lat']}" for loc in advice["locations"]]
    args = [a for n in news for a in ("--nieuw", n)]
    placed = run("scenario", str(demo_copy), "--groep", "ouderen", *args, "--opslaan", "advies")
    assert placed["newly_covered_lonely"] == pytest.approx(advice["total_newly_covered"])
    row = placed["areas"][0]
    assert {"code", "naam", "covered_before", "covered_after", "gap_before", "gap_after"} <= set(
        row
    )
    listed = run("scenario", str(demo_copy), "--lijst")
    assert [s["naam"] for s in listed] == ["advies"] and len(listed[0]["nieuw"]) == len(news)
    reopened = run("scenario", str(demo_copy), "--groep", "ouderen", "--open", "advies")
    assert reopened["newly_covered_lonely"] == pytest.approx(placed["newly_covered_lonely"])


def test_bad_input_is_a_dutch_error(demo_whatif):
    with pytest.raises(DataError, match="1 tot 10"):
        recommend(demo_whatif, aantal=11)
    with pytest.raises(DataError, match="niet gevonden"):
        demo_whatif.evaluate(Scenario("x", weg=("bestaat-niet",)))
    with pytest.raises(DataError, match="soort"):
        NewActivity(5.1, 52.1, soort="karaoke")


def test_store_round_trip(register, demo_dataset):
    spec = register.new()
    store = open_scenarios(spec.data_dir, database_url=spec.database_url)
    assert store.list() == []
    first = Scenario(
        "inloop",
        groep=GROUP,
        nieuw=(NewActivity(5.12, 52.09, capaciteit=20.0, dagdelen="ochtend"),),
        weg=("act-000001",),
        buurtmobiel=(BuurtmobielArea(("WK999901",), naam="Bus Noord"),),
    )
    saved = store.save(first, auteur="anna")
    assert saved.versie == 1 and saved.auteur == "anna" and saved.tijd.endswith("Z")
    again = open_scenarios(spec.data_dir, database_url=spec.database_url).get("inloop")
    assert again.nieuw == first.nieuw and again.weg == first.weg
    assert again.buurtmobiel == first.buurtmobiel and again.groep == GROUP
    changed = store.save(again.with_(nieuw=(*again.nieuw, NewActivity(5.13, 52.1))), auteur="bo")
    assert changed.versie == 2 and len(store.get("inloop").nieuw) == 2
    store.save(Scenario("ander"), auteur="bo")
    assert [s.naam for s in store.list()] == ["ander", "inloop"]
    store.delete("ander")
    assert [s.naam for s in store.list()] == ["inloop"]
    with pytest.raises(DataError, match="niet opgeslagen"):
        store.get("ander")
    if spec.database_url:  # the server register: migration 0004 applied
        from geo.aanbod.migrate import connect

        with connect(spec.database_url) as conn:
            found = conn.execute("SELECT naam FROM schema_versie WHERE versie = 4").fetchone()
        assert found == ("scenarios",)
    else:  # the GeoPackage lists the table for GDAL/QGIS
        import sqlite3

        from geo.aanbod.backends import register_path

        with sqlite3.connect(register_path(spec.data_dir)) as conn:
            kinds = conn.execute(
                "SELECT data_type FROM gpkg_contents WHERE table_name = 'scenarios'"
            ).fetchall()
        assert kinds == [("attributes",)]


@pytest.mark.shared
def test_utrecht_overvecht_recommendations(utrecht_dataset, utrecht_dir):
    aanbod = load_aanbod(utrecht_dir, areas=utrecht_dataset.areas)
    whatif = prepare_whatif(utrecht_dataset, aanbod.layers, group=GROUP)
    advice = recommend(whatif, aantal=3, gebied="Overvecht", kandidaten="raster")
    wijk = utrecht_dataset.areas.set_index("naam").loc["Overvecht"]
    overvecht = set(
        utrecht_dataset.areas.loc[utrecht_dataset.areas["wijk_code"] == wijk["code"], "code"]
    )
    assert len(advice.locations) >= 1
    assert all(loc.code in overvecht for loc in advice.locations)
    # better than any of 50 random sets of 3 candidate places (seeded)
    from geo.analysis.advies import _area, candidates

    _, shape, codes = _area(whatif, "Overvecht")
    pool, _ = candidates(whatif, shape, codes, kandidaten="raster")
    rng = np.random.default_rng(14)
    for _ in range(50):
        pick = pool[rng.choice(len(pool), 3, replace=False)]
        random_advice = recommend(whatif, aantal=3, candidate_xy=pick, solver="greedy")
        assert advice.total_newly_covered >= random_advice.total_newly_covered
    assert advice.total_newly_covered > 0


@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_report_with_a_scenario(demo_copy, demo_dataset, suffix):
    from pypdf import PdfReader

    from geo.report import build_report, write_report

    store = open_scenarios(demo_copy, database_url="", areas=demo_dataset.areas)
    store.save(
        Scenario("inloop", nieuw=(NewActivity(5.386473, 52.134949, naam="Inloop Oost"),)),
        auteur="anna",
    )
    aanbod = load_aanbod(demo_copy, areas=demo_dataset.areas)
    report = build_report(
        demo_dataset, aanbod.layers, "Noordhoek", group="ouderen", scenario=store.get("inloop")
    )
    section = report.section("scenario")
    assert section.title == "Scenario: inloop"
    text = " ".join(
        getattr(b, "text", "") + " ".join(getattr(b, "items", ())) for b in section.blocks
    )
    assert "Inloop Oost (ontmoeting): Hier: " in text and "ernstig eenzaam" in text
    assert any(type(b).__name__ == "Image" for b in section.blocks)
    path = write_report(report, demo_copy / f"r{suffix}")
    if suffix == ".pdf":
        content = " ".join(p.extract_text() for p in PdfReader(path).pages)
        assert "Scenario: inloop" in content
    else:
        assert "Scenario: inloop" in path.read_text(encoding="utf-8")


def test_network_whatif_and_advies(folder_with_network, tmp_path_factory, monkeypatch):  # noqa: F811
    """With a walking network (and CBS squares) the what-if, advies and scenario agree too."""
    from geo.io.folder import load_dataset

    folder = folder_with_network
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    dataset = load_dataset(folder)
    aanbod = load_aanbod(folder, areas=dataset.areas)
    whatif = prepare_whatif(dataset, aanbod.layers, group="ouderen")
    assert whatif.method == "netwerk" and whatif.points.demand_source == "vierkanten"
    advice = recommend(whatif, aantal=2, kandidaten="raster")
    assert advice.locations and "binnen 10 minuten lopen" in advice.locations[0].reason
    placed = Scenario("net", nieuw=tuple(loc.as_activity() for loc in advice.locations))
    outcome = whatif.evaluate(placed.with_(weg=(str(whatif.supply["id"].iloc[0]),)))
    changed = apply_scenario(
        aanbod.layers,
        placed.with_(weg=(str(whatif.supply["id"].iloc[0]),)),
        group="ouderen",
    )
    full = analyse(
        dataset,
        changed,
        group="ouderen",
        hotspots=False,
        network=whatif.network,
        points=whatif.points,
    ).buurten.set_index("code")
    fast = outcome.result.buurten.set_index("code")
    assert np.allclose(fast["covered_lonely"], full.loc[fast.index, "covered_lonely"])
    assert np.allclose(fast["gap_score"], full.loc[fast.index, "gap_score"])
    found = compare(whatif, whatif.evaluate(placed))
    assert found.newly_covered_lonely == pytest.approx(advice.total_newly_covered)
