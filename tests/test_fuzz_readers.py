"""Seeded fuzz test over every reader: a damaged file gives a result or a Dutch DataError.

Randomly damaged copies (see :mod:`tests.fuzz_damage`) of the real Utrecht files and of
generated PDOK/50120NED files go through the same code paths as real loading: boundaries in
each format, RIVM, kwb, Nabijheid, PDOK attributes and the aanbod partner files. Every outcome
must be a result or a :class:`~geo.errors.DataError` that names the file — never another
exception (a traceback) and never a hang (readers bound line lengths and file sizes). A few
cases also run through the CLI, which must exit 0 or 2 without a traceback.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest

from geo.aanbod.importer import import_file
from geo.analysis.language import read_origins
from geo.errors import DataError
from geo.io.boundaries import areas_from_file
from geo.io.folder import load_dataset
from geo.io.kwb import figures_from_nabijheid, population_from_kwb
from geo.io.pdok import read_pdok
from geo.io.recognise import recognise
from geo.io.rivm import figures_from_rivm
from tests.conftest import REPO, UTRECHT
from tests.fuzz_damage import DAMAGES
from tests.test_io_pdok import pdok_buurten, write_gpkg
from tests.test_io_rivm_intervals import ROWS, odata_2022

pytestmark = [pytest.mark.shared, pytest.mark.timeout(300)]

SEED = int(os.environ.get("WIJKKOMPAS_FUZZ_SEED", "20261202"))
CASES_PER_SOURCE = int(os.environ.get("WIJKKOMPAS_FUZZ_CASES", "24"))
"""Cases per reader; set WIJKKOMPAS_FUZZ_CASES (and _SEED) higher to hunt longer."""
WIJKEN = UTRECHT / "wijken"


def _tabular(reader: Callable[..., object]) -> Callable[[Path], object]:
    """Recognise the file first, as loading does, then read it with its reader."""

    def read(path: Path) -> object:
        found = recognise(path)
        return reader(path, table=found.table)

    return read


def _boundaries(path: Path) -> object:
    return areas_from_file(path, gemeente_digits="0344")


def _aanbod(path: Path) -> object:
    return import_file(path, laag="activiteiten")


def _sources(tmp: Path) -> dict[str, tuple[Path, Callable[[Path], object]]]:
    """Reader name -> (an intact file in its real format, the reader)."""
    tmp.mkdir(parents=True)
    buurten = gpd.read_file(WIJKEN / "gemeente-utrecht_buurten_2013.geojson")
    buurten = buurten[buurten["WIJKKODE"].isin(["02", "03"])]
    small = tmp / "gemeente-utrecht_buurten_2013.geojson"
    buurten.to_file(small, driver="GeoJSON")
    gpkg = tmp / "gemeente-utrecht_buurten_2013.gpkg"
    buurten.to_file(gpkg, driver="GPKG")
    shp = tmp / "shape" / "gemeente-utrecht_buurten_2013.shp"
    shp.parent.mkdir()
    buurten.to_file(shp)
    zipped = tmp / "gemeente-utrecht_buurten_2013.shp.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for part in shp.parent.iterdir():
            archive.write(part, part.name)
    topo = tmp / "cbs_wijken_2014.topojson"
    topo.write_text(_topojson(buurten), encoding="utf-8")
    pdok_json = tmp / "buurten_2023.geojson"
    pdok_buurten().to_file(pdok_json, driver="GeoJSON")
    rivm_2022 = tmp / "rivm_50120NED_GM0344.csv"
    rivm_2022.write_text(odata_2022(ROWS), encoding="utf-8")
    return {
        "grenzen GeoJSON": (small, _boundaries),
        "grenzen GeoPackage": (gpkg, _boundaries),
        "grenzen shapefile (zip)": (zipped, _boundaries),
        "grenzen TopoJSON": (topo, _boundaries),
        "RIVM 50090NED": (WIJKEN / "rivm_50090NED_2020_65plus.csv", _tabular(figures_from_rivm)),
        "RIVM 50120NED": (rivm_2022, _tabular(figures_from_rivm)),
        "CBS kwb": (WIJKEN / "cbs_kwb_2023_GM0344.csv", _tabular(population_from_kwb)),
        "CBS Nabijheid": (
            WIJKEN / "cbs_nabijheid_2023_GM0344.csv",
            _tabular(figures_from_nabijheid),
        ),
        "PDOK GeoJSON": (pdok_json, read_pdok),
        "PDOK GeoPackage": (write_gpkg(tmp / "wijkenbuurten_2023_v1.gpkg"), read_pdok),
        "aanbod Mulier": (
            UTRECHT / "aanbod" / "mulier_sportaccommodaties_utrecht.csv",
            _aanbod,
        ),
        "aanbod sportscholen": (UTRECHT / "aanbod" / "sportscholen_zuilen.csv", _aanbod),
        "herkomsttabel": (REPO / "data" / "herkomst" / "herkomst_65plus_demo.csv", read_origins),
    }


def _topojson(frame: gpd.GeoDataFrame) -> str:
    """A TopoJSON with one object ``layer`` (statcode/statnaam), arcs unquantised."""
    import json

    arcs: list[list[list[float]]] = []
    geometries = []
    for row in frame.to_crs(4326).itertuples():
        polygons = [row.geometry] if row.geometry.geom_type == "Polygon" else row.geometry.geoms
        rings = []
        for polygon in polygons:
            arcs.append([list(c) for c in polygon.exterior.coords])
            rings.append([[len(arcs) - 1]])
        geometries.append(
            {
                "type": "MultiPolygon",
                "arcs": rings,
                "properties": {"statcode": f"BU0344{row.KODE}", "statnaam": row.NAAM},
            }
        )
    topology = {
        "type": "Topology",
        "objects": {"layer": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    return json.dumps(topology)


def _check(reader: Callable[[Path], object], path: Path, label: str) -> str:
    """Run a reader; 'ok', 'DataError', or raise AssertionError naming the case."""
    try:
        reader(path)
    except DataError as exc:
        assert path.name in str(exc), f"{label}: de melding noemt het bestand niet: {exc}"
        return "DataError"
    except Exception as exc:  # noqa: BLE001 — any other exception is the bug this test hunts
        raise AssertionError(f"{label}: {type(exc).__name__}: {exc}") from exc
    return "ok"


def test_every_reader_survives_damaged_copies(tmp_path: Path):
    rng = random.Random(SEED)
    sources = _sources(tmp_path / "bron")
    outcomes: dict[str, int] = {}
    failures = []
    for number, (name, (original, reader)) in enumerate(sources.items()):
        intact = original.read_bytes()
        assert _check(reader, original, f"{name} (heel)") == "ok"
        for case in range(CASES_PER_SOURCE):
            damage = list(DAMAGES)[case % len(DAMAGES)]
            broken = DAMAGES[damage](intact, rng)
            folder = tmp_path / "kapot" / f"{number}_{case}"
            folder.mkdir(parents=True)
            path = folder / original.name
            path.write_bytes(broken)
            label = f"{name}, {damage} (geval {case})"
            try:
                result = _check(reader, path, label)
            except AssertionError as exc:
                failures.append(str(exc))
                continue
            outcomes[result] = outcomes.get(result, 0) + 1
    assert not failures, "\n".join(failures)
    assert outcomes.get("DataError", 0) > 0 and sum(outcomes.values()) == len(sources) * (
        CASES_PER_SOURCE
    )


def test_huge_line_is_refused_with_the_bound_in_the_message(tmp_path: Path):
    path = tmp_path / "cbs_kwb_2023_GM0344.csv"
    data = (WIJKEN / "cbs_kwb_2023_GM0344.csv").read_bytes()
    lines = data.split(b"\n")
    lines[5] = lines[5] + b"x" * (2 * 1024 * 1024)
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError) as caught:
        recognise(path)
    text = str(caught.value)
    assert "cbs_kwb_2023_GM0344.csv" in text and "rij 6" in text and "tekens" in text


def test_geojson_with_invalid_utf8_is_a_data_error(tmp_path: Path):
    path = tmp_path / "gemeente-utrecht_buurten_2013.geojson"
    data = (WIJKEN / "gemeente-utrecht_buurten_2013.geojson").read_bytes()
    path.write_bytes(data.replace(b"Overvec", b"Overv\xe9c", 1))
    try:
        areas = areas_from_file(path, gemeente_digits="0344")
    except DataError as exc:
        assert path.name in str(exc)
    else:  # read as Windows-1252 and said: the name keeps its é
        assert areas["naam"].str.contains("Overvéc").any()


def test_damaged_folders_load_or_fail_in_dutch(tmp_path: Path):
    """Whole-folder loading (as info/hiaten/profiel do) with one damaged file at a time."""
    rng = random.Random(SEED + 1)
    names = [p.name for p in sorted(WIJKEN.iterdir())]
    for case in range(10):
        folder = tmp_path / f"map{case}"
        (folder / "wijken").mkdir(parents=True)
        victim = rng.choice(names)
        damage = list(DAMAGES)[case % len(DAMAGES)]
        for name in names:
            data = (WIJKEN / name).read_bytes()
            if name == victim:
                data = DAMAGES[damage](data, rng)
            (folder / "wijken" / name).write_bytes(data)
        label = f"{victim}, {damage}"
        try:
            load_dataset(folder)
        except DataError as exc:
            assert victim in str(exc) or "wijken" in str(exc), f"{label}: {exc}"
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{label}: {type(exc).__name__}: {exc}") from exc


@pytest.mark.parametrize(
    ("victim", "damage", "command"),
    [
        ("gemeente-utrecht_buurten_2013.geojson", "ongeldige UTF-8", "info"),
        ("cbs_kwb_2023_GM0344.csv", "regel van 2 MB", "hiaten"),
        ("cbs_kwb_2023_GM0344.csv", "afgekapt", "profiel"),
        ("rivm_50090NED_2020_18plus.csv", "NUL-bytes", "info"),
        ("cbs_nabijheid_2023_GM0344.csv", "kolom weg", "hiaten"),
    ],
)
def test_cli_on_a_damaged_folder_exits_0_or_2_without_traceback(
    tmp_path: Path, victim: str, damage: str, command: str
):
    rng = random.Random(SEED + 2)
    folder = tmp_path / "data"
    (folder / "wijken").mkdir(parents=True)
    for path in sorted(WIJKEN.iterdir()):
        data = path.read_bytes()
        if path.name == victim:
            data = DAMAGES[damage](data, rng)
        (folder / "wijken" / path.name).write_bytes(data)
    args = [sys.executable, "-m", "geo.cli", command, str(folder)]
    if command == "profiel":
        args += ["--gebied", "Overvecht"]
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=240)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 2:
        assert done.stderr.startswith("Fout: ")


def test_kwb_cut_after_its_header_is_a_dutch_error_not_no_objects_to_concatenate(tmp_path: Path):
    """The crash of the issue: a kwb file with only its header reached pd.concat([])."""
    folder = tmp_path / "data"
    (folder / "wijken").mkdir(parents=True)
    for name in ("gemeente-utrecht_buurten_2013.geojson", "rivm_50090NED_2020_65plus.csv"):
        (folder / "wijken" / name).write_bytes((WIJKEN / name).read_bytes())
    header = (WIJKEN / "cbs_kwb_2023_GM0344.csv").read_bytes().split(b"\n")[0] + b"\n"
    (folder / "wijken" / "cbs_kwb_2023_GM0344.csv").write_bytes(header)
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert "cbs_kwb_2023_GM0344.csv" in str(caught.value) and "alleen een kop" in str(caught.value)


def test_damaged_pdok_downloads_load_or_fail_in_dutch(tmp_path: Path):
    """A PDOK-only folder (population from the attributes) with the download damaged."""
    rng = random.Random(SEED + 3)
    intact = {}
    source = tmp_path / "bron"
    source.mkdir()
    pdok_buurten().to_file(source / "buurten_2023.geojson", driver="GeoJSON")
    intact["buurten_2023.geojson"] = (source / "buurten_2023.geojson").read_bytes()
    intact["wijkenbuurten_2023.gpkg"] = write_gpkg(source / "wijkenbuurten_2023.gpkg").read_bytes()
    rivm = (WIJKEN / "rivm_50090NED_2020_65plus.csv").read_bytes()
    for case in range(14):
        name = list(intact)[case % 2]
        damage = list(DAMAGES)[case % len(DAMAGES)]
        folder = tmp_path / f"map{case}"
        (folder / "wijken").mkdir(parents=True)
        (folder / "wijken" / name).write_bytes(DAMAGES[damage](intact[name], rng))
        (folder / "wijken" / "rivm_50090NED_2020_65plus.csv").write_bytes(rivm)
        try:
            load_dataset(folder)
        except DataError as exc:
            assert name in str(exc) or "wijken" in str(exc), f"{name}, {damage}: {exc}"
        except Exception as exc:  # noqa: BLE001
            raise AssertionError(f"{name}, {damage}: {type(exc).__name__}: {exc}") from exc
