"""Reach over the walking network at demand-point level: PySAL equality, the canal, Buurtmobiel,
and the method keys of ``hiaten``/``profiel`` on a generated folder with a network and squares.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box
from typer.testing import CliRunner

from geo.analysis.demand import demand_points_from
from geo.analysis.network import network_from_edges, network_from_file
from geo.analysis.reach import decay, e2sfca, reachable_offer
from geo.cli import app
from geo.settings import GROUPS, AnalysisSettings
from tests.conftest import DEMO
from tests.osm_town import rd, town_ways, write_xml
from tests.population_files import grid_cells, write_squares

runner = CliRunner()


def _grid_network(size: int, step: float, seed: int):
    """A street grid with random missing links and random detours (lengths ≥ straight)."""
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(np.arange(size) * step, np.arange(size) * step)
    node_xy = np.column_stack([xs.ravel(), ys.ravel()])
    index = np.arange(size * size).reshape(size, size)
    u = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    v = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    keep = rng.random(len(u)) > 0.15
    length = step * rng.uniform(1.0, 1.6, keep.sum())
    return network_from_edges(node_xy, u[keep], v[keep], length)


@pytest.mark.parametrize("kind", ["steps", "gaussian"])
def test_e2sfca_on_network_pairs_equals_pysal_access(kind: str):
    access_pkg = pytest.importorskip("access")
    from access import weights

    network = _grid_network(30, 100.0, seed=5)
    rng = np.random.default_rng(11)
    demand_xy = rng.uniform(0, 2900, (150, 2))
    supply_xy = rng.uniform(0, 2900, (40, 2))
    demand = rng.integers(1, 80, 150).astype(float)
    supply = rng.integers(1, 25, 40).astype(float)
    catchment = np.full(150, 900.0)
    pairs = network.pairs(demand_xy, supply_xy, catchment, max_snap_m=250)
    assert len(pairs[0]) > 200  # a real test: many pairs, not all
    settings = AnalysisSettings(decay=kind)
    ours, _ = e2sfca(demand, supply, pairs, catchment, decay(settings))

    cost = pd.DataFrame({"origin": pairs[0], "dest": pairs[1], "cost": pairs[2]})
    if kind == "steps":
        fn = weights.step_fn({300: 1.0, 600: 0.68, 900: 0.22})
    else:
        scale = np.log(1 / settings.gaussian_edge_weight)

        def fn(d: float) -> float:
            return float(np.exp(-scale * (d / 900) ** 2)) if d <= 900 else 0.0

    model = access_pkg.Access(
        demand_df=pd.DataFrame({"geoid": range(150), "pop": demand}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": range(40), "cap": supply}),
        supply_index="geoid",
        supply_value="cap",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    theirs = model.enhanced_two_stage_fca(name="e2sfca", max_cost=900, weight_fn=fn)
    theirs = theirs.iloc[:, 0].reindex(range(150)).fillna(0).to_numpy()
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("town")
    path = write_xml(folder / "stad.osm", town_ways())
    return network_from_file(path, cache_dir=folder / "cache")


def _local_box(x0: float, y0: float, x1: float, y1: float):
    return box(*rd(x0, y0), *rd(x1, y1))


def _activity_at(x: float, y: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"soort": ["ontmoeting"], "doelgroepen": ["iedereen"], "dagdelen": [""], "capaciteit": [5]},
        geometry=[Point(*rd(x, y))],
        crs="EPSG:28992",
    )


def test_the_canal_keeps_an_activity_out_of_reach_by_network_not_by_line(town):
    # a buurt on the west bank around (900, 1000); the activity on the east bank at 1300 m:
    # 400 m straight (× 1.3 = 520 m, in 10 minutes = 600 m), 2.5 km over the bridge
    buurten = gpd.GeoDataFrame(
        {"code": ["BU09990101"]}, geometry=[_local_box(850, 950, 950, 1050)], crs="EPSG:28992"
    )
    need = pd.DataFrame(
        {"code": ["BU09990101"], "group": "ouderen", "niveau": "buurt", "lonely": [30.0]}
    )
    activity = _activity_at(1300, 1000)
    settings = AnalysisSettings(catchment_m=tuple((g, 600.0) for g in GROUPS))
    line = reachable_offer(buurten, need, activity, group="ouderen", settings=settings)
    assert line["reachable"].tolist() == [1] and line.attrs["distance_method"] == "hemelsbreed"
    street = reachable_offer(
        buurten, need, activity, group="ouderen", settings=settings, network=town
    )
    assert street.attrs["distance_method"] == "netwerk"
    assert street["reachable"].tolist() == [0] and street["covered_lonely"].tolist() == [0.0]
    assert street["catchment_m"].tolist() == pytest.approx([600.0])  # 10 minutes at 3.6 km/h


def test_buurtmobiel_extends_the_network_catchment_inside_its_area(town):
    # two squares of one buurt: the western one lies in the Buurtmobiel area and reaches the
    # activity over the bridge (2,250 m ≤ 3,000 m); the eastern one does not (walking only)
    buurten = gpd.GeoDataFrame(
        {"code": ["BU09990101"]}, geometry=[_local_box(900, 900, 1000, 1100)], crs="EPSG:28992"
    )
    squares = gpd.GeoDataFrame(
        {"inwoners": [100.0, 100.0], "leeftijd_65_plus": [30.0, 10.0]},
        geometry=[_local_box(900, 900, 1000, 1000), _local_box(900, 1000, 1000, 1100)],
        crs="EPSG:28992",
    )
    points = demand_points_from(buurten, squares=squares)
    services = gpd.GeoDataFrame(
        {"dienst": ["Buurtmobiel"], "naam": ["Buurtmobiel West"]},
        geometry=[_local_box(800, 800, 1000, 999)],
        crs="EPSG:28992",
    )
    need = pd.DataFrame(
        {"code": ["BU09990101"], "group": "ouderen", "niveau": "buurt", "lonely": [20.0]}
    )
    offer = reachable_offer(
        buurten,
        need,
        _activity_at(1300, 1000),
        group="ouderen",
        network=town,
        points=points,
        services=services,
    )
    # 20 lonely spread 30:10 → 15 in the service area (covered), 5 outside it
    assert offer["covered_lonely"].tolist() == [15.0]
    assert offer["buurtmobiel"].tolist() == ["Buurtmobiel West"]
    assert offer["catchment_m"].tolist() == [3000.0]
    # young adults get no Buurtmobiel: 20 minutes at 4.8 km/h = 1,600 m, not over the bridge
    need_young = need.assign(group="jongvolwassenen")
    young = reachable_offer(
        buurten,
        need_young,
        _activity_at(1300, 1000),
        group="jongvolwassenen",
        network=town,
        points=points,
        services=services,
    )
    assert young["covered_lonely"].tolist() == [0.0]


def _grid_ways(bounds: tuple[float, float, float, float], step: float = 100.0):
    """Residential streets every ``step`` m over an RD box, as osm_town ways (local metres)."""
    x0, y0, x1, y1 = bounds
    ox, oy = rd(0, 0)
    xs = np.arange(np.floor(x0 / step) * step, x1 + step, step) - ox
    ys = np.arange(np.floor(y0 / step) * step, y1 + step, step) - oy
    street = {"highway": "residential"}
    ways = [(dict(street), [(float(x), float(y)) for x in xs]) for y in ys]
    ways += [(dict(street), [(float(x), float(y)) for y in ys]) for x in xs]
    return ways


@pytest.fixture(scope="module")
def folder_with_network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo folder plus ``netwerk/`` (a street grid) and ``bevolking/`` (CBS squares)."""
    folder = tmp_path_factory.mktemp("met_netwerk") / "demo"
    shutil.copytree(DEMO, folder)
    from geo.io.folder import load_dataset

    bounds = tuple(load_dataset(folder).level("buurt").total_bounds)
    (folder / "netwerk").mkdir()
    write_xml(folder / "netwerk" / "demostad.osm", _grid_ways(bounds))
    write_squares(
        folder / "bevolking" / "cbs_vierkanten_100m_2023.gpkg",
        grid_cells(bounds, seed=2),
        origin=(0.0, 0.0),
    )
    return folder


def _json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_hiaten_and_profiel_say_netwerk_and_vierkanten(
    folder_with_network: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    data = _json("hiaten", str(folder_with_network), "--groep", "ouderen", "--niveau", "wijk")
    assert data["distance_method"] == "netwerk" and data["demand_source"] == "vierkanten"
    assert data["method"]["catchment_text"] == "10 minuten lopen"
    assert data["method"]["network_source"].startswith("OpenStreetMap (demostad.osm")
    assert any(n.startswith("Bereik over het loopnetwerk") for n in data["notes"])
    assert any("buurt(en) vierkanten" in n for n in data["notes"])
    for row in data["rows"]:
        assert 0 <= row["covered_lonely"] <= row["lonely"] + 1e-6
        assert "van passend aanbod" in row["reason"]
    assert (
        sum("binnen 10 minuten lopen van passend aanbod" in r["reason"] for r in data["rows"]) >= 4
    )
    # the buurten add up to the wijk: lonely and covered lonely are sums over demand points
    buurten = _json("hiaten", str(folder_with_network), "--groep", "ouderen")["rows"]
    assert sum(r["covered_lonely"] for r in buurten) == pytest.approx(
        sum(r["covered_lonely"] for r in data["rows"]), abs=0.01
    )
    line = _json("hiaten", str(folder_with_network), "--hemelsbreed")
    assert line["distance_method"] == "hemelsbreed" and line["demand_source"] == "vierkanten"
    profile = _json("profiel", str(folder_with_network), "--gebied", "Markt")
    assert profile["distance_method"] == "netwerk" and profile["demand_source"] == "vierkanten"
    assert profile["offer"]["covered_lonely"] is not None


def test_hiaten_on_demo_says_hemelsbreed_and_buurtmiddelpunt():
    data = _json("hiaten", str(DEMO), "--groep", "jongvolwassenen", "--niveau", "wijk")
    assert data["distance_method"] == "hemelsbreed"
    assert data["demand_source"] == "buurtmiddelpunt"
    assert data["method"]["catchment_m"] == 1500.0
    profile = _json("profiel", str(DEMO), "--gebied", "Markt")
    assert (profile["distance_method"], profile["demand_source"]) == (
        "hemelsbreed",
        "buurtmiddelpunt",
    )
    slow = _json("hiaten", str(DEMO), "--rollator")
    assert slow["method"]["catchment_m"] == pytest.approx(500 * 2.5 / 3.6)


def test_report_and_legend_state_the_network_method(
    folder_with_network: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse
    from geo.io.folder import load_dataset
    from geo.present.maps import bivariate, bivariate_legend_html
    from geo.report import build_report, reachable_aanbod
    from geo.report.document import Paragraph

    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    dataset = load_dataset(folder_with_network)
    aanbod = load_aanbod(folder_with_network, areas=dataset.areas)
    result = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False)
    assert result.reach_pairs is not None and len(result.reach_pairs)
    report = build_report(dataset, aanbod.layers, "Markt", group="ouderen", result=result)
    texts = [b.text for b in report.section("hiaat").blocks if isinstance(b, Paragraph)]
    method = next(t for t in texts if t.startswith("Methode"))
    assert "10 minuten lopen" in method and "distance_method: netwerk" in method
    assert "demand_source: vierkanten" in method
    # the reachable aanbod of the report is the analysis' own: over the streets, ≤ catchment
    codes = result.buurten["code"].tolist()
    listed = reachable_aanbod(result, aanbod.layers["activiteiten"], codes)
    pairs = result.reach_pairs
    assert len(listed) == pairs["activity"].nunique()
    assert listed["afstand_m"].max() <= result.buurten["catchment_m"].max()
    _layer, legend = bivariate(
        result.buurten,
        need="lonely",
        offer="reachable_offer",
        title="Eenzamen × aanbod",
        method=result.method["legend"],
    )
    html = bivariate_legend_html(legend)
    assert "afstand: netwerk (10 minuten lopen bij 3,6 km/u)" in html
    assert "vraag: vierkanten (CBS-vierkanten van 100 m)" in html


def test_points_beyond_max_snap_get_no_network_reach_and_are_counted(town):
    # one buurt in the town, one 1 km south of it (no street within 250 m)
    buurten = gpd.GeoDataFrame(
        {"code": ["BU09990101", "BU09990102"]},
        geometry=[_local_box(0, 0, 100, 100), _local_box(0, -1100, 100, -1000)],
        crs="EPSG:28992",
    )
    need = pd.DataFrame(
        {
            "code": ["BU09990101", "BU09990102"],
            "group": "ouderen",
            "niveau": "buurt",
            "lonely": [10.0, 10.0],
        }
    )
    activities = pd.concat([_activity_at(100, 100), _activity_at(3000, 3000)], ignore_index=True)
    offer = reachable_offer(buurten, need, activities, group="ouderen", network=town)
    assert offer.attrs["unsnapped"] == 1 and offer.attrs["unsnapped_supply"] == 1
    assert offer["covered_lonely"].tolist() == [10.0, 0.0]
    assert offer["reachable"].tolist() == [1, 0]


def test_bag_addresses_make_the_demand_points_without_squares(tmp_path: Path):
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse
    from geo.io.folder import load_dataset
    from tests.population_files import ORIGIN, write_addresses

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    dataset = load_dataset(folder)
    buurten = dataset.level("buurt").reset_index(drop=True)
    inside = buurten.geometry.iloc[:3].representative_point()
    homes = [
        (p.x - ORIGIN[0] + dx, p.y - ORIGIN[1], doel)
        for p in inside
        for dx, doel in ((0.0, "woonfunctie"), (1.0, "woonfunctie"), (2.0, "kantoorfunctie"))
    ]
    write_addresses(folder / "bevolking" / "bag_verblijfsobjecten.csv", homes)
    aanbod = load_aanbod(folder, areas=dataset.areas)
    result = analyse(dataset, aanbod.layers, group="ouderen", hotspots=False)
    assert (result.distance_method, result.demand_source) == ("hemelsbreed", "adressen")
    by_code = result.buurten.set_index("code")
    first = buurten["code"].iloc[:3]
    assert by_code.loc[first, "demand_source"].tolist() == ["adressen"] * 3
    assert by_code.loc[first, "demand_points"].tolist() == [2, 2, 2]  # the offices left out
    rest = by_code.drop(index=first)
    assert set(rest["demand_source"]) == {"buurtmiddelpunt"}
    assert any("3 buurt(en) adressen" in n for n in result.notes)


def test_a_broken_squares_file_is_a_dutch_message_with_exit_code_2(tmp_path: Path):
    import os
    import subprocess
    import sys

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    (folder / "bevolking").mkdir()
    (folder / "bevolking" / "vierkanten.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"crs28992res100m": "E1500N4600", "aantal_inwoners": "heel veel", '
        '"aantal_inwoners_65_jaar_en_ouder": 5}, "geometry": {"type": "Polygon", '
        '"coordinates": [[[150000, 460000], [150100, 460000], [150100, 460100], '
        "[150000, 460100], [150000, 460000]]]}}]}",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "geo.cli", "hiaten", str(folder), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "WIJKKOMPAS_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 2
    assert "vierkanten.geojson" in done.stderr and "rij 2" in done.stderr
    assert "aantal_inwoners" in done.stderr and "'heel veel'" in done.stderr
    assert "Traceback" not in done.stderr
