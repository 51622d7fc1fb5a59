"""Export restricted to one area: a focus area, wijk or buurt."""

from __future__ import annotations

import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from geo.errors import DataError
from geo.export import ExportBundle, LayerMeta, collect_layers, write_export
from geo.export.area import restrict_to_area


@pytest.fixture(scope="module")
def demo_parts(demo_dataset):
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse

    aanbod = load_aanbod(
        demo_dataset.path, areas=demo_dataset.areas, gemeente_code=demo_dataset.gemeente_code
    )
    result = analyse(demo_dataset, aanbod.layers, group="ouderen")
    return collect_layers(demo_dataset, aanbod, [result]), aanbod


def test_focus_area_keeps_its_buurten_wijk_and_what_lies_inside(demo_dataset, demo_parts):
    bundle, aanbod = demo_parts
    gebied = demo_dataset.gebieden["Noordhoek"]
    members = set(gebied.buurt_codes(demo_dataset.areas))
    part = restrict_to_area(bundle, demo_dataset, "Noordhoek")

    assert set(part.layers["buurten"]["code"]) == members
    assert set(part.layers["hiaten_ouderen"]["code"]) == members
    assert set(part.layers["hotspots_ouderen"]["code"]) == members
    wijken = set(demo_dataset.areas.set_index("code").loc[sorted(members), "wijk_code"])
    assert set(part.layers["wijken"]["code"]) == wijken
    assert list(part.layers["aandachtsgebieden"]["naam"]) == ["Noordhoek"]
    assert list(part.layers["hiaten_ouderen_gebieden"]["code"]) == ["Noordhoek"]
    assert "gemeente" not in part.layers

    # activities: exactly those whose buurt (assigned on import) is in the focus area
    activities = aanbod.layers["activiteiten"]
    expected = activities["buurt_code"].astype(str).isin(members).sum()
    assert 0 < len(part.layers["activiteiten"]) == expected < len(bundle.layers["activiteiten"])
    outline = shapely.union_all(part.layers["buurten"].geometry.to_numpy())
    assert part.layers["activiteiten"].geometry.within(outline.buffer(0.01)).all()

    assert part.titel.endswith("– Noordhoek")
    assert part.notes[0] == "Beperkt tot Noordhoek."
    assert all("Beperkt tot Noordhoek." in m.notes for m in part.meta.values())
    assert set(part.meta) == set(part.layers)
    assert len(bundle.layers["buurten"]) == 30  # the input is unchanged


def test_buurt_by_code_and_empty_layers_are_named(demo_dataset, demo_parts):
    bundle, _ = demo_parts
    code = "BU99990203"
    part = restrict_to_area(bundle, demo_dataset, code)
    assert list(part.layers["buurten"]["code"]) == [code]
    dropped = [n for n in part.notes if n.startswith("Geen rijen in dit gebied")]
    assert len(dropped) == 1 and "gemeente" in dropped[0]


def test_gemeente_returns_the_whole_bundle(demo_dataset, demo_parts):
    bundle, _ = demo_parts
    assert restrict_to_area(bundle, demo_dataset, demo_dataset.gemeente_code) is bundle


def test_unknown_area_is_a_dutch_error(demo_dataset, demo_parts):
    bundle, _ = demo_parts
    with pytest.raises(DataError, match="niet gevonden"):
        restrict_to_area(bundle, demo_dataset, "Atlantis")


def test_restricted_gpkg_round_trip(tmp_path, demo_dataset, demo_parts):
    bundle, _ = demo_parts
    part = restrict_to_area(bundle, demo_dataset, "Noordhoek")
    path = write_export(part, tmp_path / "noordhoek.gpkg", "gpkg")
    listed = {name for name, _ in pyogrio.list_layers(path)}
    assert set(part.layers) <= listed
    back = pyogrio.read_dataframe(path, layer="buurten")
    assert len(back) == 5


@pytest.mark.shared
def test_overvecht_wijk_on_utrecht(utrecht_dataset):
    bundle = collect_layers(utrecht_dataset)
    part = restrict_to_area(bundle, utrecht_dataset, "WK034403")
    areas = utrecht_dataset.areas
    members = set(areas.loc[areas["wijk_code"] == "WK034403", "code"])
    assert len(members) > 5
    assert set(part.layers["buurten"]["code"]) == members
    assert list(part.layers["wijken"]["naam"]) == ["Overvecht"]
    # the focus area Overvecht is the wijk itself; Zuilen only touches it and is left out
    assert list(part.layers["aandachtsgebieden"]["naam"]) == ["Overvecht"]


def test_points_without_location_stay_when_their_buurt_is_inside(demo_dataset):
    buurt = demo_dataset.areas[demo_dataset.areas["niveau"] == "buurt"].iloc[0]
    inside = buurt.geometry.representative_point()
    far = Point(inside.x + 50_000, inside.y)
    import geopandas as gpd

    points = gpd.GeoDataFrame(
        {"naam": ["binnen", "ver weg", "geen plek"], "buurt_code": ["x", "x", buurt.code]},
        geometry=[inside, far, None],
        crs="EPSG:28992",
    )
    square = gpd.GeoDataFrame(
        {"naam": ["vak"]}, geometry=[box(far.x, far.y, far.x + 10, far.y + 10)], crs="EPSG:28992"
    )
    bundle = ExportBundle(
        layers={"punten": points, "vlakken": square},
        meta={"punten": LayerMeta(title="Punten", source="test"), "vlakken": LayerMeta("V", "t")},
        titel="Test",
    )
    part = restrict_to_area(bundle, demo_dataset, str(buurt.code))
    assert list(part.layers["punten"]["naam"]) == ["binnen", "geen plek"]
    assert "vlakken" not in part.layers
