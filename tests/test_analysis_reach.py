"""E2SFCA: hand-computed cases, equality with PySAL access, network distances."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.analysis.reach import (
    decay,
    e2sfca,
    network_pairs,
    reachable_offer,
    straight_pairs,
    suitable_activities,
)
from geo.settings import AnalysisSettings


def test_two_buurten_one_activity_by_hand():
    # Two demand points 100 m and 400 m from one activity with capacity 10, catchment 500 m,
    # steps 1 (<=166.7 m), 0.68 (<=333.3 m), 0.22 (<=500 m), no detour.
    demand_xy = np.array([[0.0, 0.0], [300.0, 0.0]])
    supply_xy = np.array([[-100.0, 0.0]])
    catchment = np.array([500.0, 500.0])
    pairs = straight_pairs(demand_xy, supply_xy, catchment, detour_factor=1.0)
    access, weighted = e2sfca(
        np.array([100.0, 50.0]), np.array([10.0]), pairs, catchment, decay(AnalysisSettings())
    )
    # step 1: R = 10 / (100 * 1 + 50 * 0.22) = 10 / 111
    ratio = 10 / 111
    assert access == pytest.approx([ratio * 1.0, ratio * 0.22], abs=1e-12)
    assert sorted(weighted.weight.tolist()) == [0.22, 1.0]


def test_detour_factor_shrinks_reach():
    pairs = straight_pairs(
        np.array([[0.0, 0.0]]), np.array([[450.0, 0.0]]), np.array([500.0]), detour_factor=1.3
    )
    assert len(pairs[0]) == 0  # 450 m straight is 585 m walking


def test_gaussian_decay_reaches_edge_weight():
    weight = decay(AnalysisSettings(decay="gaussian", gaussian_edge_weight=0.1))
    values = weight(np.array([0.0, 500.0, 501.0]), np.full(3, 500.0))
    assert values == pytest.approx([1.0, 0.1, 0.0])


@pytest.mark.parametrize("kind", ["steps", "gaussian"])
def test_equals_pysal_access(kind: str):
    access_pkg = pytest.importorskip("access")
    from access import weights

    rng = np.random.default_rng(4)
    demand_xy = rng.uniform(0, 3000, (60, 2))
    supply_xy = rng.uniform(0, 3000, (90, 2))
    demand = rng.integers(20, 500, 60).astype(float)
    supply = rng.integers(1, 30, 90).astype(float)
    catchment = np.full(60, 800.0)
    settings = AnalysisSettings(decay=kind)
    pairs = straight_pairs(demand_xy, supply_xy, catchment, detour_factor=1.0)
    ours, _ = e2sfca(demand, supply, pairs, catchment, decay(settings))

    cost = pd.DataFrame({"origin": pairs[0], "dest": pairs[1], "cost": pairs[2]})
    if kind == "steps":
        fn = weights.step_fn({800 / 3: 1.0, 1600 / 3: 0.68, 800: 0.22})
    else:
        scale = np.log(1 / settings.gaussian_edge_weight)

        def fn(d: float) -> float:
            return float(np.exp(-scale * (d / 800) ** 2)) if d <= 800 else 0.0

    model = access_pkg.Access(
        demand_df=pd.DataFrame({"geoid": range(60), "pop": demand}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": range(90), "cap": supply}),
        supply_index="geoid",
        supply_value="cap",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    theirs = model.enhanced_two_stage_fca(name="e2sfca", max_cost=800, weight_fn=fn)
    theirs = theirs.iloc[:, 0].reindex(range(60)).fillna(0).to_numpy()
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_network_distances_follow_the_street():
    # A river between demand and supply: the only bridge is 400 m east.
    graph = nx.Graph()
    for node, (x, y) in {"a": (0, 0), "b": (400, 0), "c": (400, 100), "d": (0, 100)}.items():
        graph.add_node(node, x=x, y=y)
    graph.add_edge("a", "b", length=400)
    graph.add_edge("b", "c", length=100)
    graph.add_edge("c", "d", length=400)
    pairs = network_pairs(
        np.array([[0.0, 0.0]]), np.array([[0.0, 100.0]]), np.array([1000.0]), graph
    )
    assert pairs[2].tolist() == [900.0]
    assert (
        len(
            network_pairs(
                np.array([[0.0, 0.0]]), np.array([[0.0, 100.0]]), np.array([500.0]), graph
            )[0]
        )
        == 0
    )


def _activities(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    base = {"soort": "ontmoeting", "doelgroepen": "iedereen", "dagdelen": "", "capaciteit": np.nan}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    return gpd.GeoDataFrame(
        frame.drop(columns=["xy"]), geometry=[Point(*r["xy"]) for r in rows], crs="EPSG:28992"
    )


def test_only_suitable_activities_count():
    acts = _activities(
        [
            {"xy": (0, 0)},
            {"xy": (0, 0), "doelgroepen": "jongvolwassenen"},
            {"xy": (0, 0), "soort": "training"},
            {"xy": (0, 0), "dagdelen": "avond"},
            {
                "xy": (0, 0),
                "doelgroepen": "ouderen_thuiswonend;alleenstaanden",
                "dagdelen": "ochtend",
            },
        ]
    )
    assert len(suitable_activities(acts, "ouderen")) == 2
    assert len(suitable_activities(acts, "jongvolwassenen")) == 4


def test_buurtmobiel_extends_elderly_catchment():
    buurten = gpd.GeoDataFrame(
        {"code": ["BU09990101", "BU09990102"]},
        geometry=[box(0, 0, 100, 100), box(5000, 0, 5100, 100)],
        crs="EPSG:28992",
    )
    need = pd.DataFrame(
        {
            "code": ["BU09990101", "BU09990102"],
            "group": "ouderen",
            "niveau": "buurt",
            "lonely": [100.0, 100.0],
        }
    )
    acts = _activities([{"xy": (2000, 50)}])
    services = gpd.GeoDataFrame(
        {"naam": ["Buurtmobiel Oost"], "dienst": ["Buurtmobiel"]},
        geometry=[box(-10, -10, 200, 200)],
        crs="EPSG:28992",
    )
    offer = reachable_offer(buurten, need, acts, group="ouderen", services=services)
    assert offer["buurtmobiel"].tolist() == ["Buurtmobiel Oost", ""]
    assert offer["catchment_m"].tolist() == [3000.0, 500.0]
    assert offer["reachable"].tolist() == [1, 0]
    young = reachable_offer(
        buurten,
        need.assign(group="jongvolwassenen"),
        acts,
        group="jongvolwassenen",
        services=services,
    )
    assert young["catchment_m"].tolist() == [1500.0, 1500.0]


@pytest.mark.parametrize("distinct", [2, 20])  # grouped KD-tree search, and one ball per point
def test_pairs_equal_brute_force(distinct: int):
    rng = np.random.default_rng(distinct)
    demand_xy = rng.uniform(0, 4000, (80, 2))
    demand_xy[5] = np.nan  # a buurt without a shape
    supply_xy = np.vstack([rng.uniform(0, 4000, (120, 2)), demand_xy[:1]])  # one at distance 0
    catchment = rng.choice(np.linspace(300, 1500, distinct), 80)
    found = straight_pairs(demand_xy, supply_xy, catchment, detour_factor=1.3)
    distance = np.hypot(*(demand_xy[:, None, :] - supply_xy[None, :, :]).transpose(2, 0, 1)) * 1.3
    expected = {(i, j) for i, j in zip(*np.nonzero(distance <= catchment[:, None]), strict=True)}
    assert set(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected
    assert (0, 120) in expected and not any(i == 5 for i, _ in expected)
    np.testing.assert_allclose(found[2], distance[found[0], found[1]])


def test_reachable_offer_equals_pysal_access_on_the_full_distance_matrix():
    """The public path (suitability, unknown capacity = 1, detour factor) against access, which
    gets every buurt × activity distance and applies the catchment itself."""
    access_pkg = pytest.importorskip("access")
    from access import weights

    rng = np.random.default_rng(7)
    corners = rng.uniform(0, 3000, (40, 2))
    buurten = gpd.GeoDataFrame(
        {"code": [f"BU{i:08d}" for i in range(40)]},
        geometry=[box(x, y, x + 60, y + 60) for x, y in corners],
        crs="EPSG:28992",
    )
    need = pd.DataFrame(
        {
            "code": buurten["code"],
            "group": "ouderen",
            "niveau": "buurt",
            "lonely": rng.integers(10, 300, 40).astype(float),
        }
    )
    capacity = rng.integers(1, 25, 70).astype(float)
    capacity[::4] = np.nan  # unknown: counts as 1
    acts = _activities(
        [
            {"xy": tuple(xy), "capaciteit": c}
            for xy, c in zip(rng.uniform(0, 3000, (70, 2)), capacity, strict=True)
        ]
    )
    offer = reachable_offer(buurten, need, acts, group="ouderen")

    centre = buurten.geometry.representative_point()
    demand_xy = np.column_stack([centre.x, centre.y])
    supply_xy = np.column_stack([acts.geometry.x, acts.geometry.y])
    distance = np.hypot(*(demand_xy[:, None, :] - supply_xy[None, :, :]).transpose(2, 0, 1))
    origin, dest = np.indices(distance.shape)
    cost = pd.DataFrame(
        {"origin": origin.ravel(), "dest": dest.ravel(), "cost": 1.3 * distance.ravel()}
    )
    model = access_pkg.Access(
        demand_df=pd.DataFrame({"geoid": range(40), "pop": need["lonely"]}),
        demand_index="geoid",
        demand_value="pop",
        # the activities have no dagdelen: unknown times count for the time-fit weight 0.5
        supply_df=pd.DataFrame(
            {"geoid": range(70), "cap": 0.5 * np.nan_to_num(capacity, nan=1.0)}
        ),
        supply_index="geoid",
        supply_value="cap",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    step = weights.step_fn({500 / 3: 1.0, 1000 / 3: 0.68, 500: 0.22})
    theirs = model.enhanced_two_stage_fca(name="e2sfca", max_cost=500, weight_fn=step)
    theirs = theirs.iloc[:, 0].reindex(range(40)).fillna(0).to_numpy()
    assert (offer["reachable"] > 0).sum() >= 5  # the comparison is not all zeros
    np.testing.assert_allclose(offer["access"].to_numpy(), theirs, rtol=0, atol=1e-9)
