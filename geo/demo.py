"""Generate the bundled demo dataset: the fictional city *Demostad* (GM9999).

Deterministic (fixed seed); written in the same official formats as the real sources
(PDOK-style GeoJSON, RIVM 50090NED OData CSV, CBS kwb CSV, CBS Nabijheid StatLine export) so
that it exercises the same loaders. Every figure is invented; the dataset says so in
``dataset.toml`` and every view labels it *demo*.

Run ``python -m geo.demo data`` to regenerate ``data/``.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

GEMEENTE_DIGITS = "9999"
GEMEENTE_NAAM = "Demostad"
ORIGIN = (150_000.0, 460_000.0)
"""South-west corner of Demostad in RD metres (fictional location)."""

WIJKEN = [
    # (wijk number, name, loneliness bias, elderly share, migration share, car ownership)
    ("01", "Centrum", 0.02, 0.12, 0.30, 0.45),
    ("02", "Noordhoek", 0.10, 0.20, 0.55, 0.50),
    ("03", "Oostpolder", -0.03, 0.16, 0.18, 1.05),
    ("04", "Zuiderveld", 0.04, 0.24, 0.30, 0.80),
    ("05", "Westerkwartier", -0.05, 0.10, 0.20, 0.95),
    ("06", "Molenwijk", 0.06, 0.22, 0.40, 0.70),
]
BUURT_NAMES = {
    "01": ["Markt", "Havenkwartier", "Kerkbuurt", "Stationsgebied", "Singelrand"],
    "02": ["Noorderpark", "Kievitsflat", "Reigerhof", "Vlinderbuurt", "Bedrijvenpark Noord"],
    "03": ["Oosterweide", "Polderzicht", "Dijkhuizen", "Eendenkooi", "Sportpark Oost"],
    "04": ["Zuiderhof", "Rozenbuurt", "Lindenlaan", "Het Veld", "Klaverweide"],
    "05": ["Westerpark", "Nieuw-West", "Kanaalzijde", "Waterrijk", "Boomgaard"],
    "06": ["Molenhof", "Korenbuurt", "Bakkerserf", "Maalderij", "Windhoek"],
}
WIJK_SIZE = 1_800.0
NATIONAL = {
    "Eenzaam": 47.0,
    "ErnstigZeerErnstigEenzaam": 11.2,
    "EmotioneelEenzaam": 32.8,
    "SociaalEenzaam": 30.0,
    "MoeiteMetRondkomen": 16.5,
    "Vrijwilligerswerk": 27.0,
    "Mantelzorger": 12.5,
}
GEBIEDEN_TOML = """\
# Aandachtsgebieden van Demostad (fictief, demo).

[Noordhoek]
codes = ["WK999902"]
beschrijving = "De eenzaamste wijk van Demostad (fictief)."

[Molenkwartier]
codes = ["BU99990601", "BU99990602", "BU99990604"]
beschrijving = "Bewonersplatform Molenkwartier werkt aan eenzaamheid (fictief)."

["Rozenbuurt en Lindenlaan"]
codes = ["BU99990402", "BU99990403"]
beschrijving = "Veel alleenstaande ouderen (fictief)."
"""


def generate(folder: str | Path) -> Path:
    """Write the demo dataset into ``folder`` (``wijken/``, ``aanbod/``, tomls).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    folder = Path(folder)
    wijken_dir = folder / "wijken"
    wijken_dir.mkdir(parents=True, exist_ok=True)
    (folder / "aanbod").mkdir(exist_ok=True)
    rng = np.random.default_rng(20231)
    buurten, wijken = _shapes(rng)
    population = _population(buurten, rng)
    _write_geojson(
        buurten.rename(columns={"code": "buurtcode", "naam": "buurtnaam"})[
            ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "geometry"]
        ],
        wijken_dir / "demostad_buurten_2023.geojson",
    )
    _write_geojson(
        wijken.rename(columns={"code": "wijkcode", "naam": "wijknaam"})[
            ["wijkcode", "wijknaam", "gemeentecode", "geometry"]
        ],
        wijken_dir / "demostad_wijken_2023.geojson",
    )
    _write_kwb(population, wijken_dir / f"cbs_kwb_2023_GM{GEMEENTE_DIGITS}.csv")
    for year in (2016, 2020):
        for group, code, label in (
            ("18plus", "20300", "18+"),
            ("65plus", "80200", "65+"),
            ("18_65", "53115", "18-65"),
        ):
            if year == 2020 and group == "18_65":
                continue  # like the real 2020 edition
            _write_rivm(
                population, year, code, label, rng, wijken_dir / f"rivm_50090NED_{year}_{group}.csv"
            )
    _write_nabijheid(population, rng, wijken_dir / f"cbs_nabijheid_2023_GM{GEMEENTE_DIGITS}.csv")
    (folder / "gebieden.toml").write_text(GEBIEDEN_TOML, encoding="utf-8")
    (folder / "dataset.toml").write_text(
        'titel = "Demostad (fictief, demo)"\ndemo = true\n'
        'beschrijving = "Gegenereerde demogegevens: een verzonnen stad. Niet gebruiken voor '
        'beleid."\n',
        encoding="utf-8",
    )
    _write_aanbod(folder, buurten, population)
    from geo.monitoring.demo import write_demo_monitoring

    write_demo_monitoring(folder, sorted(wijken["code"].astype(str)))
    write_demo_origins(folder)
    return folder


DEMO_ORIGIN_MIX = {
    "Turkije": 0.3,
    "Marokko": 0.25,
    "Suriname": 0.25,
    "Voormalige Nederlandse Antillen en Aruba": 0.08,
    "Overig niet-westers": 0.12,
}
"""Mean mix of the invented non-European migrant elders of Demostad (varied per buurt)."""


def write_demo_origins(folder: str | Path) -> Path:
    """Write ``herkomst/herkomst_65plus_demo.csv``: invented migrant elders by origin per buurt.

    From the demo kwb (65-plussers × migration share × 0.6, as the population estimate) split
    into westers (the European share) and the non-European origins of
    :data:`DEMO_ORIGIN_MIX`, varied per buurt with a seeded Dirichlet draw. Every number is
    invented, like the rest of the demo.
    """
    folder = Path(folder)
    kwb = folder / "wijken" / f"cbs_kwb_2023_GM{GEMEENTE_DIGITS}.csv"
    with kwb.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["recs"] == "Buurt"]
    rng = np.random.default_rng(20232)
    mix = np.array(list(DEMO_ORIGIN_MIX.values()))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["code", "herkomst", "aantal"])
    for row in rows:
        inwoners = max(float(row["a_inw"]), 1.0)
        europa, buiten = float(row["a_eur_al"]), float(row["a_neu_al"])
        migrants = float(row["a_65_oo"]) * (europa + buiten) / inwoners * 0.6
        shares = rng.dirichlet(mix * 20)
        counts = {"Westers": migrants * europa / max(europa + buiten, 1.0)}
        outside = migrants - counts["Westers"]
        counts.update({k: outside * v for k, v in zip(DEMO_ORIGIN_MIX, shares, strict=True)})
        for origin, count in counts.items():
            writer.writerow([row["gwb_code_10"], origin, int(round(count))])
    out = folder / "herkomst" / "herkomst_65plus_demo.csv"
    out.parent.mkdir(exist_ok=True)
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return out


def _shapes(rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rows_b, rows_w = [], []
    for index, (number, name, *_rest) in enumerate(WIJKEN):
        col, row = index % 3, index // 3
        x0, y0 = ORIGIN[0] + col * WIJK_SIZE, ORIGIN[1] + row * WIJK_SIZE
        wijk = box(x0, y0, x0 + WIJK_SIZE, y0 + WIJK_SIZE)
        rows_w.append({"code": f"WK{GEMEENTE_DIGITS}{number}", "naam": name, "geometry": wijk})
        seeds = shapely.points(
            rng.uniform([x0 + 150, y0 + 150], [x0 + WIJK_SIZE - 150, y0 + WIJK_SIZE - 150], (5, 2))
        )
        cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=wijk)
        polygons = [shapely.intersection(c, wijk) for c in cells.geoms]
        # order cells like the seeds so names are stable
        ordered = [next(p for p in polygons if p.contains(s)) for s in seeds]
        for b, polygon in enumerate(ordered, start=1):
            rows_b.append(
                {
                    "code": f"BU{GEMEENTE_DIGITS}{number}{b:02d}",
                    "naam": BUURT_NAMES[number][b - 1],
                    "wijkcode": f"WK{GEMEENTE_DIGITS}{number}",
                    "geometry": shapely.set_precision(polygon, 1.0),
                }
            )
    buurten = gpd.GeoDataFrame(rows_b, crs="EPSG:28992")
    wijken = gpd.GeoDataFrame(rows_w, crs="EPSG:28992")
    for frame in (buurten, wijken):
        frame["gemeentecode"] = f"GM{GEMEENTE_DIGITS}"
    buurten["gemeentenaam"] = GEMEENTE_NAAM
    return buurten, wijken


def _population(buurten: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    info = {f"WK{GEMEENTE_DIGITS}{w[0]}": w for w in WIJKEN}
    out = buurten.copy()
    n = len(out)
    inwoners = np.round(rng.lognormal(7.6, 0.55, n) / 5) * 5
    inwoners = np.clip(inwoners, 150, 6000)
    # business parks and sports parks have few residents
    small = out["naam"].str.contains("Bedrijvenpark|Sportpark|Stationsgebied")
    inwoners[small.to_numpy()] = [95, 180, 260][: int(small.sum())]
    out["inwoners"] = inwoners
    elderly = np.array([info[w][3] for w in out["wijkcode"]]) * rng.uniform(0.75, 1.3, n)
    migration = np.array([info[w][4] for w in out["wijkcode"]]) * rng.uniform(0.7, 1.3, n)
    cars = np.array([info[w][5] for w in out["wijkcode"]]) * rng.uniform(0.8, 1.2, n)
    out["a_65_oo"] = _round5(inwoners * elderly)
    out["a_15_24"] = _round5(inwoners * rng.uniform(0.09, 0.2, n))
    out["a_00_14"] = _round5(inwoners * rng.uniform(0.1, 0.2, n))
    out["a_25_44"] = _round5(inwoners * rng.uniform(0.25, 0.35, n))
    out["a_45_64"] = inwoners - out[["a_65_oo", "a_15_24", "a_00_14", "a_25_44"]].sum(axis=1)
    out["a_neu_al"] = _round5(inwoners * migration * 0.8)
    out["a_eur_al"] = _round5(inwoners * migration * 0.2)
    out["a_nl_all"] = inwoners - out["a_neu_al"] - out["a_eur_al"]
    out["a_hh"] = _round5(inwoners / rng.uniform(1.6, 2.4, n))
    out["a_1p_hh"] = _round5(out["a_hh"] * (0.3 + elderly * 0.9) * rng.uniform(0.8, 1.1, n))
    out["g_pau_hh"] = np.round(cars, 1)
    out["a_pau"] = _round5(out["a_hh"] * cars)
    out["a_opp_ha"] = np.round(out.geometry.area / 10_000)
    out["bias"] = np.array([info[w][2] for w in out["wijkcode"]]) + rng.normal(0, 0.02, n)
    return out


def _round5(values: object) -> np.ndarray:
    return (np.round(np.asarray(values, dtype=float) / 5) * 5).astype(float)


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame.to_crs("EPSG:4326").to_file(
        path, driver="GeoJSON", COORDINATE_PRECISION=6, engine="pyogrio"
    )


def _aggregate(population: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Rows for gemeente, wijken and buurten with summed counts (kwb layout)."""
    columns = [
        "inwoners",
        "a_00_14",
        "a_15_24",
        "a_25_44",
        "a_45_64",
        "a_65_oo",
        "a_nl_all",
        "a_eur_al",
        "a_neu_al",
        "a_hh",
        "a_1p_hh",
        "a_pau",
        "a_opp_ha",
    ]
    rows: list[dict[str, Any]] = []
    total = population[columns].sum()
    rows.append(
        {
            "code": f"GM{GEMEENTE_DIGITS}",
            "regio": GEMEENTE_NAAM,
            "recs": "Gemeente",
            **total.to_dict(),
        }
    )
    for number, name, *_ in WIJKEN:
        code = f"WK{GEMEENTE_DIGITS}{number}"
        part = population[population["wijkcode"] == code]
        rows.append(
            {
                "code": code,
                "regio": f"Wijk {number} {name}",
                "recs": "Wijk",
                **part[columns].sum().to_dict(),
            }
        )
        for record in part.itertuples():
            rows.append(
                {
                    "code": record.code,
                    "regio": record.naam,
                    "recs": "Buurt",
                    **{c: getattr(record, c) for c in columns},
                }
            )
    for row in rows:
        row["g_pau_hh"] = round(float(row["a_pau"]) / max(float(row["a_hh"]), 1.0), 1)
    return rows


def _write_kwb(population: gpd.GeoDataFrame, path: Path) -> None:
    header = [
        "gwb_code_10",
        "gwb_code_8",
        "regio",
        "gm_naam",
        "recs",
        "gwb_code",
        "ind_wbi",
        "a_inw",
        "a_00_14",
        "a_15_24",
        "a_25_44",
        "a_45_64",
        "a_65_oo",
        "a_nl_all",
        "a_eur_al",
        "a_neu_al",
        "a_hh",
        "a_1p_hh",
        "a_pau",
        "g_pau_hh",
        "a_opp_ha",
        "g_ink_pi",
        "ste_mvs",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in _aggregate(population):
        code = str(row["code"])
        writer.writerow(
            [
                code,
                code[2:],
                row["regio"],
                GEMEENTE_NAAM,
                row["recs"],
                code,
                1,
                *(
                    int(row[c])
                    for c in [
                        "inwoners",
                        "a_00_14",
                        "a_15_24",
                        "a_25_44",
                        "a_45_64",
                        "a_65_oo",
                        "a_nl_all",
                        "a_eur_al",
                        "a_neu_al",
                        "a_hh",
                        "a_1p_hh",
                        "a_pau",
                    ]
                ),
                row["g_pau_hh"],
                int(row["a_opp_ha"]),
                ".",
                2,
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


RIVM_COLUMNS = [
    ("Eenzaam", 28),
    ("ErnstigZeerErnstigEenzaam", 29),
    ("EmotioneelEenzaam", 30),
    ("SociaalEenzaam", 31),
    ("Mantelzorger", 32),
    ("Vrijwilligerswerk", 33),
    ("MoeiteMetRondkomen", 38),
]


def _write_rivm(
    population: gpd.GeoDataFrame,
    year: int,
    age_code: str,
    label: str,
    rng: np.random.Generator,
    path: Path,
) -> None:
    base = {
        "Eenzaam": 42.0,
        "ErnstigZeerErnstigEenzaam": 9.5,
        "EmotioneelEenzaam": 28.0,
        "SociaalEenzaam": 27.0,
        "Mantelzorger": 12.0,
        "Vrijwilligerswerk": 27.0,
        "MoeiteMetRondkomen": 17.0,
    }
    trend = 0.0 if year == 2016 else 4.0
    age_shift = {"18+": 0.0, "65+": 4.0, "18-65": -1.5}[label]
    weight_col = "a_65_oo" if label == "65+" else "inwoners"
    header = [
        "ID",
        "Leeftijd",
        "Marges",
        "WijkenEnBuurten",
        "Perioden",
        "Gemeentenaam_1",
        "SoortRegio_2",
        "Codering_3",
    ] + [f"{s}_{n}" for s, n in RIVM_COLUMNS]
    buurt_values: dict[str, dict[str, float]] = {}
    for record in population.itertuples():
        values = {}
        for stem, _ in RIVM_COLUMNS:
            scale = {
                "Eenzaam": 100,
                "ErnstigZeerErnstigEenzaam": 45,
                "EmotioneelEenzaam": 70,
                "SociaalEenzaam": 60,
                "MoeiteMetRondkomen": 60,
            }.get(stem, 5)
            shift = trend * (1 if stem != "Vrijwilligerswerk" else -0.3)
            value = (
                base[stem]
                + scale * record.bias
                + shift
                + age_shift * (1 if stem != "MoeiteMetRondkomen" else -1)
                + rng.normal(0, 1.2)
            )
            values[stem] = round(float(np.clip(value, 1, 95)), 1)
        buurt_values[record.code] = values
    rows: list[tuple[str, str, str, dict[str, float | None]]] = []
    weights = population.set_index("code")[weight_col]
    wijk_of = population.set_index("code")["wijkcode"]

    def weighted(codes: list[str]) -> dict[str, float | None]:
        w = weights[codes].to_numpy(dtype=float)
        return {
            stem: round(float(np.average([buurt_values[c][stem] for c in codes], weights=w)), 1)
            for stem, _ in RIVM_COLUMNS
        }

    rows.append(
        (
            "NL01",
            "Nederland",
            "Land",
            {
                s: round(NATIONAL[s] + (0 if year == 2020 else -3) + age_shift * 0.5, 1)
                for s in NATIONAL
            },
        )
    )
    rows.append(
        (f"GM{GEMEENTE_DIGITS}", GEMEENTE_NAAM, "Gemeente", weighted(list(population["code"])))
    )
    for number, *_ in WIJKEN:
        wijk = f"WK{GEMEENTE_DIGITS}{number}"
        codes = list(wijk_of[wijk_of == wijk].index)
        rows.append((wijk, GEMEENTE_NAAM, "Wijk", weighted(codes)))
        for code in codes:
            small = weights[code] < (300 if label != "65+" else 60)
            published: dict[str, float | None] = {
                s: (None if small else v) for s, v in buurt_values[code].items()
            }
            rows.append((code, GEMEENTE_NAAM, "Buurt", published))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row_id, (code, gemeente, soort, shown) in enumerate(rows, start=1000):
        cells = []
        for stem, _ in RIVM_COLUMNS:
            if stem == "SociaalEenzaam" and year == 2016 and label == "65+" and soort == "Land":
                cells.append("")
                continue
            value = shown.get(stem)
            cells.append("." if value is None else f"{value:.1f}")
        writer.writerow(
            [row_id, age_code, "MW00000", code, f"{year}JJ00", gemeente, soort, code, *cells]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_nabijheid(population: gpd.GeoDataFrame, rng: np.random.Generator, path: Path) -> None:
    header = [
        "Wijken en buurten",
        "Regioaanduiding/Gemeentenaam (naam)",
        "Regioaanduiding/Soort regio (omschrijving)",
        "Regioaanduiding/Codering (code)",
        "Gezondheid en welzijn/Huisartsenpraktijk/Afstand tot huisartsenpraktijk (km)",
        "Detailhandel/Grote supermarkt/Afstand tot grote supermarkt (km)",
        "Vrije tijd en cultuur/Bibliotheek/Afstand tot bibliotheek (km)",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(
        [
            "Nederland",
            "Nederland".ljust(40),
            "Land".ljust(10),
            "NL00".ljust(10),
            "1.1".rjust(8),
            "0.9".rjust(8),
            "1.9".rjust(8),
        ]
    )
    for record in population.itertuples():
        distances = rng.uniform(0.2, 2.5, 3).round(1)
        hidden = record.inwoners < 200
        cells = ["       ." if hidden else f"{d:.1f}".rjust(8) for d in distances]
        writer.writerow(
            [record.naam, GEMEENTE_NAAM.ljust(40), "Buurt".ljust(10), record.code.ljust(10), *cells]
        )
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def _write_aanbod(folder: Path, buurten: gpd.GeoDataFrame, population: gpd.GeoDataFrame) -> None:
    """Write the demo aanbod (what is offered) when the aanbod package provides a generator."""
    try:
        from geo.aanbod.demo import write_demo_aanbod
    except ImportError:
        return
    write_demo_aanbod(folder, buurten=buurten, population=population)


def main(argv: list[str] | None = None) -> None:
    """``python -m geo.demo [FOLDER]``: (re)generate the demo dataset."""
    args = sys.argv[1:] if argv is None else argv
    folder = generate(args[0] if args else "data")
    print(f"Demodataset geschreven naar {folder}")  # noqa: T201 - command-line entry point


if __name__ == "__main__":
    main()
