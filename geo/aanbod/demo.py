"""Demo aanbod for Demostad: partner-style files, imported into a register.

Unevenly spread on purpose — Noordhoek (the loneliest wijk) has little for its elderly, so the
gap analysis has real gaps to find. Everything here is invented.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import shapely
from pyproj import Transformer

from geo.aanbod.importer import import_file
from geo.aanbod.register_gpkg import GeoPackageRegister
from geo.aanbod.schema import SOORTEN

_TO_WGS = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)

# activities per wijk (Centrum, Noordhoek, Oostpolder, Zuiderveld, Westerkwartier, Molenwijk)
WIJK_WEIGHTS = {"01": 90, "02": 22, "03": 55, "04": 60, "05": 45, "06": 38}
ORGANISATIES = [
    "DOCK",
    "Buurtteam Demostad",
    "Bewonersinitiatief",
    "Sportclub Demo",
    "Bibliotheek Demostad",
    "Humanitas",
    "Vrijwilligerscentrale",
]
NAMEN = {
    "ontmoeting": ["Inloop {b}", "Koffieochtend {b}", "Buurtkamer {b}", "Spelmiddag {b}"],
    "maatjes": ["Maatjesproject {b}", "Buddy's {b}", "Bezoekdienst {b}"],
    "samen_eten": ["Eettafel {b}", "Buurtrestaurant {b}", "Samen koken {b}"],
    "bewegen": ["Wandelgroep {b}", "Stoelyoga {b}", "Beweegtuin {b}", "Sportinstuif {b}"],
    "cultuur": ["Koor {b}", "Schilderclub {b}", "Handwerkcafé {b}"],
    "informatie": ["Wijkinformatiepunt {b}", "Infopunt informele zorg {b}"],
    "training": ["Lezing eenzaamheid {b}", "Training signaleren {b}"],
    "vervoer": ["Rijdende winkel {b}"],
    "overig": ["Repair café {b}"],
}
DOELGROEP_SETS = [
    "iedereen",
    "ouderen_thuiswonend",
    "ouderen_thuiswonend;alleenstaanden",
    "jongvolwassenen",
    "migrantenouderen",
    "alleenstaanden",
    "iedereen",
    "jongvolwassenen;iedereen",
]
STRATEN = [
    "Merelstraat",
    "Lijsterlaan",
    "Zwaluwhof",
    "Kastanjelaan",
    "Beukenweg",
    "Molensteeg",
    "Korenbloemstraat",
    "Havenkade",
    "Polderweg",
    "Dijkstraat",
    "Rozenlaan",
    "Lindeplein",
]


def write_demo_aanbod(
    folder: str | Path, *, buurten: gpd.GeoDataFrame, population: gpd.GeoDataFrame
) -> None:
    """Write partner files into ``folder/aanbod`` and import them into ``register.gpkg``.

    Parameters
    ----------
    folder
        The demo dataset folder.
    buurten
        Demo buurten (EPSG:28992) with ``code``, ``naam``, ``wijkcode``.
    population
        The same buurten with population columns (``inwoners``...).
    """
    out = Path(folder) / "aanbod"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    rows = _activities(buurten, rng)
    half = len(rows) // 2
    _write_dock_csv(rows[:half], out / "dock_activiteiten.csv")
    _write_buurtteam_xlsx(rows[half:], out / "buurtteams_activiteiten.xlsx")
    _write_lief_en_leed(buurten, rng, out / "lief_en_leed_straten.csv")
    _write_welzijn_op_recept(buurten, rng, out)
    _write_buurtmobiel(buurten, out)
    _write_gtfs(buurten, rng, out)
    _build_register(Path(folder), out, buurten)


def _random_point(polygon: shapely.Geometry, rng: np.random.Generator) -> tuple[float, float]:
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(shapely.Point(x, y)):
            return round(float(x), 1), round(float(y), 1)


def _activities(buurten: gpd.GeoDataFrame, rng: np.random.Generator) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    soorten = list(SOORTEN)
    weights = np.array([3, 1.2, 1.2, 2.5, 1.5, 1, 0.6, 0.4, 0.4])
    for record in buurten.itertuples():
        wijk = record.wijkcode[-2:]
        count = int(rng.poisson(WIJK_WEIGHTS[wijk] / 5))
        for _ in range(count):
            soort = str(rng.choice(soorten, p=weights / weights.sum()))
            doelgroepen = str(rng.choice(DOELGROEP_SETS))
            if wijk == "02" and "ouderen" in doelgroepen and rng.random() < 0.8:
                doelgroepen = "jongvolwassenen"  # Noordhoek: little for its elderly
            name = str(rng.choice(NAMEN[soort])).format(b=record.naam)
            x, y = _random_point(record.geometry, rng)
            rows.append(
                {
                    "naam": name,
                    "soort": soort,
                    "doelgroepen": doelgroepen,
                    "talen": str(rng.choice(["nl", "nl;tr", "nl;ar", "nl;en"])),
                    "dagdelen": str(
                        rng.choice(["ochtend", "middag", "avond", "ochtend;middag", "weekend"])
                    ),
                    "frequentie": str(rng.choice(["wekelijks", "tweewekelijks", "maandelijks"])),
                    "capaciteit": int(rng.choice([8, 10, 12, 15, 20, 25, 30])),
                    "organisatie": str(rng.choice(ORGANISATIES)),
                    "x": x,
                    "y": y,
                    "laatst_gecontroleerd": f"{int(rng.integers(1, 28)):02d}-"
                    f"{int(rng.integers(1, 12)):02d}-2024",
                }
            )
    return rows


def _write_dock_csv(rows: list[dict[str, object]], path: Path) -> None:
    """A DOCK-style export: ';', WGS84 with decimal commas, Dutch headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "Naam",
            "Soort activiteit",
            "Doelgroep",
            "Talen",
            "Dagdelen",
            "Frequentie",
            "Capaciteit",
            "Organisatie",
            "Breedtegraad",
            "Lengtegraad",
            "Laatst gecontroleerd",
        ]
    )
    for row in rows:
        lon, lat = _TO_WGS.transform(row["x"], row["y"])
        writer.writerow(
            [
                row["naam"],
                SOORTEN[str(row["soort"])].split(" (")[0],
                row["doelgroepen"],
                row["talen"],
                row["dagdelen"],
                row["frequentie"],
                row["capaciteit"],
                row["organisatie"],
                f"{lat:.6f}".replace(".", ","),
                f"{lon:.6f}".replace(".", ","),
                row["laatst_gecontroleerd"],
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_buurtteam_xlsx(rows: list[dict[str, object]], path: Path) -> None:
    """A buurtteam spreadsheet: RD X/Y, soort keys, an explanation sheet first."""
    book = openpyxl.Workbook()
    book.properties.creator = "Wijkkompas demo"
    info = book.active
    info.title = "Toelichting"
    info.append(["Aanbod buurtteams Demostad (fictief, demo)."])
    sheet = book.create_sheet("Aanbod")
    sheet.append(
        [
            "naam",
            "soort",
            "doelgroepen",
            "talen",
            "dagdelen",
            "frequentie",
            "capaciteit",
            "organisatie",
            "X_RD",
            "Y_RD",
            "laatst gecontroleerd",
        ]
    )
    for row in rows:
        sheet.append(
            [
                row["naam"],
                row["soort"],
                row["doelgroepen"],
                row["talen"],
                row["dagdelen"],
                row["frequentie"],
                row["capaciteit"],
                row["organisatie"],
                row["x"],
                row["y"],
                row["laatst_gecontroleerd"],
            ]
        )
    book.save(path)


def _write_lief_en_leed(buurten: gpd.GeoDataFrame, rng: np.random.Generator, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["straat", "buurt", "potjes", "jaar"])
    chosen = buurten.sample(n=len(STRATEN), random_state=3)
    for straat, record in zip(STRATEN, chosen.itertuples(), strict=True):
        writer.writerow([straat, record.naam, int(rng.integers(1, 9)), 2024])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_welzijn_op_recept(
    buurten: gpd.GeoDataFrame, rng: np.random.Generator, out: Path
) -> None:
    picks = buurten[
        buurten["naam"].isin(
            ["Markt", "Oosterweide", "Zuiderhof", "Westerpark", "Molenhof", "Kanaalzijde"]
        )
    ]
    points = [shapely.Point(_random_point(g, rng)) for g in picks.geometry]
    frame = gpd.GeoDataFrame(
        {
            "naam": [f"Welzijn op recept {n}" for n in picks["naam"]],
            "soort_locatie": ["welzijnscoach", "huisartsenpraktijk"] * 3,
            "organisatie": ["DOCK"] * len(picks),
        },
        geometry=points,
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    frame.to_file(out / "welzijn_op_recept.geojson", driver="GeoJSON", COORDINATE_PRECISION=6)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["wijk", "deelnemers", "jaar"])
    for wijk, count in zip(
        [f"WK9999{n:02d}" for n in range(1, 7)], [41, 12, 25, 33, 19, 22], strict=True
    ):
        writer.writerow([wijk, count, 2024])
    (out / "welzijn_op_recept_deelnemers.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _write_buurtmobiel(buurten: gpd.GeoDataFrame, out: Path) -> None:
    south = buurten[buurten["wijkcode"].isin(["WK999904", "WK999905"])]
    polygon = shapely.union_all(south.geometry.to_numpy()).buffer(-150).simplify(20)
    gpd.GeoDataFrame(
        {
            "naam": ["Buurtmobiel Zuid"],
            "dienst": ["Buurtmobiel"],
            "dagen": ["ma-vr"],
            "tijden": ["9-17 uur"],
            "doelgroep": ["ouderen"],
        },
        geometry=[polygon],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326").to_file(
        out / "buurtmobiel_zuid.geojson", driver="GeoJSON", COORDINATE_PRECISION=6
    )
    codes = ",".join(buurten.loc[buurten["wijkcode"] == "WK999906", "code"])
    (out / "automaatje.csv").write_text(
        "naam;dienst;dagen;tijden;doelgroep;gebied_codes\n"
        f"AutoMaatje Molenwijk;AutoMaatje;ma-za;op afspraak;ouderen;{codes}\n",
        encoding="utf-8",
    )


def _write_gtfs(buurten: gpd.GeoDataFrame, rng: np.random.Generator, out: Path) -> None:
    stops = io.StringIO()
    times = io.StringIO()
    stops.write("stop_id,stop_name,stop_lat,stop_lon,location_type\n")
    times.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
    for number, record in enumerate(buurten.itertuples(), start=1):
        if record.wijkcode == "WK999902" and number % 2 == 0:
            continue  # Noordhoek: fewer stops
        x, y = _random_point(record.geometry, rng)
        lon, lat = _TO_WGS.transform(x, y)
        stops.write(f"S{number:03d},Halte {record.naam},{lat:.6f},{lon:.6f},0\n")
        per_day = int(rng.choice([16, 32, 64, 96]))
        for trip in range(per_day):
            hour = 6 + (trip * 16) // per_day
            times.write(f"T{number}-{trip},{hour:02d}:00:00,{hour:02d}:00:00,S{number:03d},1\n")
    (out / "stops.txt").write_text(stops.getvalue(), encoding="utf-8")
    (out / "stop_times.txt").write_text(times.getvalue(), encoding="utf-8")


def _build_register(folder: Path, out: Path, buurten: gpd.GeoDataFrame) -> None:
    areas = buurten.rename(columns={"wijkcode": "wijk_code"}).assign(niveau="buurt")
    register_file = out / "register.gpkg"
    if register_file.exists():
        register_file.unlink()
    register = GeoPackageRegister(register_file)
    for name, laag in (
        ("dock_activiteiten.csv", "activiteiten"),
        ("buurtteams_activiteiten.xlsx", "activiteiten"),
        ("lief_en_leed_straten.csv", "lief-en-leed"),
        ("welzijn_op_recept.geojson", "welzijn-op-recept"),
        ("welzijn_op_recept_deelnemers.csv", "welzijn-op-recept"),
        ("buurtmobiel_zuid.geojson", "buurtmobiel"),
        ("automaatje.csv", "buurtmobiel"),
        ("stops.txt", "ov-haltes"),
    ):
        sheet = "Aanbod" if name.endswith(".xlsx") else None
        result = import_file(out / name, laag=laag, areas=areas, sheet=sheet)
        register.add(
            result.laag, result.frame, user="demo-generator", wor_deelnemers=result.wor_deelnemers
        )
