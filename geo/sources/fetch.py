"""Fetch a whole data folder for one gemeente: boundaries, CBS, RIVM and OpenStreetMap.

Everything is downloaded into a temporary folder inside the target, checked by loading it as
a dataset, the OpenStreetMap aanbod is imported into a new register there, and only then are
``wijken/``, ``aanbod/``, ``netwerk/`` (the walking network, unless ``osm=False``), ``ov/``
(the GTFS timetable filtered to the gemeente, unless ``ov=False``),
``bronnen.json`` and ``dataset.toml`` moved into place. When anything
fails the temporary folder is removed and the target is as it was.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.io.gtfs import OV_DIR
from geo.sources import cbs, gtfs, network, overpass, pdok, vierkanten
from geo.sources._http import NOTHING_CHANGED, HttpClient, SourceError
from geo.sources.pdok import Gemeente
from geo.sources.settings import KWB_TABLES, NABIJHEID_TABLES, RIVM_TABLES, SourceSettings

logger = logging.getLogger(__name__)

DEFAULT_YEAR = 2023
"""Boundary and Kerncijfers year fetched by default (the last year with Nabijheid figures)."""

MANIFEST = "bronnen.json"
BACKUP = ".vorige-ophaling"
CBS_LICENCE = "CC BY 4.0 (Bron: CBS)"
RIVM_LICENCE = "CC BY 4.0 (Bron: RIVM, GGD'en, CBS — Gezondheidsmonitor)"
PDOK_LICENCE = "CC BY 4.0 (Bron: CBS, Kadaster/PDOK)"

Progress = Callable[[str, float], None]


@dataclass
class FetchResult:
    """What :func:`fetch_gemeente` wrote.

    Attributes
    ----------
    folder
        The data folder.
    gemeente
        Code and name.
    year
        Boundary and Kerncijfers year.
    files
        The manifest entries (``bestand``, ``bron``, ``url``, ``tabel``, ``jaar``, ``licentie``,
        ``opgehaald``, ``rijen``).
    aanbod
        Rows stored in the register per layer.
    notices
        What the user should know (a table that does not exist for the year...).
    network_requests
        Requests that went to the network (0 when everything came from the cache).
    backup
        Where the replaced ``wijken/`` and ``aanbod/`` were moved (``--vervang``), if any.
    """

    folder: Path
    gemeente: Gemeente
    year: int
    files: list[dict[str, object]] = field(default_factory=list)
    aanbod: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    network_requests: int = 0
    backup: Path | None = None


def fetch_gemeente(
    gemeente: str,
    data_dir: str | Path,
    *,
    year: int = DEFAULT_YEAR,
    settings: SourceSettings | None = None,
    replace_existing: bool = False,
    refresh: bool = False,
    osm: bool = True,
    ov: bool = True,
    progress: Progress | None = None,
    client: HttpClient | None = None,
) -> FetchResult:
    """Download everything Wijkkompas needs for one gemeente into a data folder.

    Parameters
    ----------
    gemeente
        Name (``Utrecht``) or code (``GM0344``, ``0344``).
    data_dir
        Target folder; ``wijken/`` and ``aanbod/`` are created in it.
    year
        Boundary vintage and Kerncijfers year (RIVM comes in all its editions).
    settings
        Base URLs, timeouts, cache; default :meth:`SourceSettings.from_env`.
    replace_existing
        Replace a folder that already holds ``wijken/`` or ``aanbod/`` files (they are moved
        to ``.vorige-ophaling/``). Without it such a folder is an error.
    refresh
        Ignore the HTTP cache.
    osm
        Also fetch aanbod, OV-haltes and the walking network (``netwerk/``, see
        :mod:`geo.sources.network`) from OpenStreetMap.
    ov
        Also fetch the national GTFS timetable (``settings.gtfs_url``) and keep the stops
        within the gemeente plus a buffer in ``ov/`` (:mod:`geo.sources.gtfs`); a failing
        download is a notice, not a failure.
    progress
        ``progress(step, fraction)`` with a Dutch step text and 0..1 overall.
    client
        An existing HTTP client (tests count its requests).

    Returns
    -------
    FetchResult

    Raises
    ------
    SourceError
        Offline, a failing service, an unknown gemeente or year, or an occupied folder; the
        folder is then unchanged.

    Examples
    --------
    >>> result = fetch_gemeente("Utrecht", "~/wijkkompas-data/utrecht")  # doctest: +SKIP
    >>> result.aanbod  # doctest: +SKIP
    {'activiteiten': 412, 'ov_haltes': 618}
    """
    settings = settings or SourceSettings.from_env()
    folder = Path(data_dir).expanduser()
    report = progress or (lambda _step, _fraction: None)
    if year not in KWB_TABLES:
        raise SourceError(
            f"voor {year} is geen CBS Kerncijfers-tabel bekend.",
            kind="leeg",
            hint=f"kies een jaar uit {', '.join(map(str, sorted(KWB_TABLES)))}.",
        )
    _check_target(folder, replace_existing)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or HttpClient(settings, refresh=refresh)
    before = http.network_requests
    staging = Path(tempfile.mkdtemp(prefix=".ophalen-", dir=folder))
    try:
        result = _download(http, gemeente, year, staging, osm, report, ov=ov)
        result.folder = folder
        report("Aanbod in het register zetten", 0.92)
        result.aanbod = _import_aanbod(staging, result)
        _write_manifest(staging, result)
        report("Bestanden op hun plaats zetten", 0.97)
        result.backup = _move_into_place(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        if own_client:
            http.close()
    shutil.rmtree(staging, ignore_errors=True)
    result.network_requests = http.network_requests - before
    report("Klaar", 1.0)
    logger.info("opgehaald: %s %s in %s", result.gemeente.code, year, folder)
    return result


def _check_target(folder: Path, replace_existing: bool) -> None:
    occupied = [
        name
        for name in ("wijken", "aanbod", network.NETWORK_DIR, OV_DIR)
        if (folder / name).is_dir() and any((folder / name).iterdir())
    ]
    if occupied and not replace_existing:
        raise SourceError(
            f"de datamap {folder} bevat al gegevens ({', '.join(n + '/' for n in occupied)}).",
            kind="bezet",
            hint="kies een lege of nieuwe map met --data, of vervang de gegevens met --vervang "
            f"(de oude gaan naar {BACKUP}/); {NOTHING_CHANGED}",
        )


def _download(
    http: HttpClient,
    query: str,
    year: int,
    staging: Path,
    osm: bool,
    report: Progress,
    *,
    ov: bool = True,
) -> FetchResult:
    wijken = staging / "wijken"
    aanbod = staging / "aanbod"
    wijken.mkdir()
    aanbod.mkdir()
    report("Gemeente opzoeken", 0.01)
    gemeente = pdok.gemeente_from_pdok(http, query, year)
    result = FetchResult(folder=staging, gemeente=gemeente, year=year)
    now = _now
    layers: dict[str, pdok.Boundaries] = {}
    for index, collection in enumerate(pdok.COLLECTIONS):
        start = 0.03 + 0.17 * index
        report(f"Grenzen: {collection}", start)
        layers[collection] = pdok.boundaries_from_pdok(
            http, gemeente, year, collection=collection, progress=_scaled(report, start, 0.17)
        )
        name = f"cbs_{collection}_{year}_{gemeente.code}.geojson"
        (wijken / name).write_text(json.dumps(layers[collection].geojson), encoding="utf-8")
        result.files.append(
            _entry(
                f"wijken/{name}",
                f"CBS Wijk- en buurtkaart {year} ({collection}) via PDOK "
                f"{layers[collection].service}",
                layers[collection].url,
                None,
                year,
                PDOK_LICENCE,
                now(),
                layers[collection].count,
            )
        )
    tables: list[tuple[str, str, str, Callable[..., tuple[bytes, str, int]], str, str]] = [
        (
            "kwb",
            KWB_TABLES[year],
            f"cbs_kwb_{year}_{gemeente.code}.csv",
            cbs.kwb_from_odata,
            f"CBS Kerncijfers wijken en buurten {year}",
            CBS_LICENCE,
        ),
    ]
    if year in NABIJHEID_TABLES:
        tables.append(
            (
                "nabijheid",
                NABIJHEID_TABLES[year],
                f"cbs_nabijheid_{year}_{gemeente.code}.csv",
                cbs.nabijheid_from_odata,
                f"CBS Nabijheid voorzieningen {year}",
                CBS_LICENCE,
            )
        )
    else:
        result.notices.append(
            f"geen CBS Nabijheid voorzieningen voor {year} bekend "
            f"(wel voor {', '.join(map(str, sorted(NABIJHEID_TABLES)))}); overgeslagen."
        )
    for table in RIVM_TABLES:
        tables.append(
            (
                "rivm",
                table,
                f"rivm_{table}_{gemeente.code}.csv",
                cbs.rivm_from_odata,
                f"RIVM Gezondheid per wijk en buurt ({table})",
                RIVM_LICENCE,
            )
        )
    span = 0.45 / len(tables)
    for index, (_kind, table, name, reader, title, licence) in enumerate(tables):
        start = 0.37 + span * index
        report(title, start)
        content, url, rows = reader(http, table, gemeente, progress=_scaled(report, start, span))
        (wijken / name).write_bytes(content)
        result.files.append(_entry(f"wijken/{name}", title, url, table, year, licence, now(), rows))
    report("CBS-vierkanten van 100 m", 0.82)
    _download_squares(http, layers["buurten"].geojson, staging / "bevolking", result)
    if osm:
        _download_osm(http, layers["buurten"].geojson, aanbod, result, report)
        report("OpenStreetMap: loopnetwerk", 0.89)
        entry = network.fetch_network(http, layers["buurten"].geojson, staging, gemeente.code)
        result.files.append(entry)
    if ov and http.settings.gtfs_url:
        report("OV-dienstregeling (GTFS)", 0.9)
        try:
            entry = gtfs.fetch_gtfs(http, layers["buurten"].geojson, staging, gemeente.code)
            result.files.append(entry)
        except SourceError as exc:
            result.notices.append(
                f"OV-dienstregeling niet opgehaald ({exc}); de OV-haltes komen zonder "
                "vertrekken uit OpenStreetMap."
            )
    return result


def _download_squares(
    http: HttpClient, buurten: dict[str, Any], folder: Path, result: FetchResult
) -> None:
    """CBS 100 m squares into ``bevolking/``; a failing service is a notice, not a failure."""
    try:
        squares = vierkanten.squares_from_pdok(http, _outline(buurten), result.year)
    except SourceError as exc:
        result.notices.append(
            f"CBS-vierkanten niet opgehaald ({exc}); de vraag komt uit de buurtmiddelpunten."
        )
        return
    result.notices.extend(squares.notices)
    if not squares.count:
        return
    folder.mkdir(exist_ok=True)
    name = f"cbs_vierkanten_100m_{squares.year or result.year}_{result.gemeente.code}.geojson"
    (folder / name).write_text(json.dumps(squares.geojson), encoding="utf-8")
    result.files.append(
        _entry(
            f"bevolking/{name}",
            "CBS Vierkantstatistieken 100 m via PDOK OGC API Features",
            squares.url,
            None,
            squares.year,
            vierkanten.LICENCE,
            _now(),
            squares.count,
        )
    )


def _download_osm(
    http: HttpClient,
    buurten: dict[str, Any],
    aanbod: Path,
    result: FetchResult,
    report: Progress,
) -> None:
    outline = _outline(buurten)
    west, south, east, north = outline.bounds
    bbox = (south, west, north, east)
    url = http.settings.overpass_url
    layers = (
        ("aanbod", "aanbod", overpass.aanbod_query, overpass.aanbod_from_osm, 0.83),
        ("OV-haltes", "ov_haltes", overpass.stops_query, overpass.stops_from_osm, 0.88),
    )
    for label, key, query, parse, fraction in layers:
        report(f"OpenStreetMap: {label}", fraction)
        rows = parse(overpass.overpass_elements(http, query(bbox)), outline)
        name = f"osm_{key}_{result.gemeente.code}.csv"
        rows.to_csv(aanbod / name, index=False)
        result.files.append(
            _entry(
                f"aanbod/{name}",
                f"OpenStreetMap via Overpass: {label}",
                url,
                None,
                None,
                overpass.LICENCE,
                _now(),
                len(rows),
            )
        )


def _outline(buurten: dict[str, Any]) -> shapely.Geometry:
    """The gemeente (union of its buurten) in CRS84."""
    frame = gpd.GeoDataFrame.from_features(buurten["features"])
    crs = buurten.get("crs", {}).get("properties", {}).get("name", "OGC:CRS84")
    frame = frame.set_crs("EPSG:28992" if "28992" in str(crs) else "OGC:CRS84").to_crs("OGC:CRS84")
    return shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()))


def _import_aanbod(staging: Path, result: FetchResult) -> dict[str, int]:
    """Load the staged folder as a dataset (a check) and import the OSM files into a register."""
    from geo.aanbod import import_file, open_register
    from geo.io.folder import load_dataset

    dataset = load_dataset(staging, gemeente=result.gemeente.code)
    result.gemeente.naam = result.gemeente.naam or dataset.gemeente_naam
    # the fetched folder gets its own GeoPackage register (a server register is filled from it
    # with 'wijkkompas aanbod kopieer'), so a failed fetch never leaves rows anywhere
    register = open_register(staging, database_url="")
    counts: dict[str, int] = {}
    for path in sorted((staging / "aanbod").glob("osm_*.csv")):
        if pd.read_csv(path, nrows=1).empty:
            continue
        imported = import_file(path, areas=dataset.areas)
        frame = imported.frame.copy()
        frame["bron"] = overpass.BRON
        stored = register.add(imported.laag, frame, user="wijkkompas fetch")
        counts[imported.laag] = counts.get(imported.laag, 0) + len(stored)
        rejected = imported.counts["rejected"]
        if rejected:
            result.notices.append(f"{path.name}: {rejected} rij(en) afgewezen bij het importeren.")
    return counts


def _write_manifest(staging: Path, result: FetchResult) -> None:
    manifest = {
        "gemeente": {"code": result.gemeente.code, "naam": result.gemeente.naam},
        "jaar": result.year,
        "opgehaald": _now(),
        "door": "wijkkompas fetch",
        "bestanden": result.files,
        "aanbod_in_register": result.aanbod,
        "meldingen": result.notices,
    }
    (staging / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    titel = f"{result.gemeente.naam or result.gemeente.code} (online bronnen, {result.year})"
    (staging / "dataset.toml").write_text(
        f"titel = {json.dumps(titel, ensure_ascii=False)}\ndemo = false\n", encoding="utf-8"
    )


def _move_into_place(staging: Path, folder: Path) -> Path | None:
    """Rename the staged items over the folder's; the old ones go to ``.vorige-ophaling/``."""
    names = [
        name
        for name in ("wijken", "aanbod", network.NETWORK_DIR, OV_DIR, MANIFEST, "dataset.toml")
        if (staging / name).exists()
    ]
    existing = [name for name in names if (folder / name).exists()]
    backup: Path | None = None
    if existing:
        backup = folder / BACKUP
        if backup.exists():
            shutil.rmtree(backup)
        backup.mkdir()
        for name in existing:
            (folder / name).rename(backup / name)
    moved: list[str] = []
    try:
        for name in names:
            (staging / name).rename(folder / name)
            moved.append(name)
    except OSError:
        for name in moved:
            (folder / name).rename(staging / name)
        if backup is not None:
            for name in existing:
                (backup / name).rename(folder / name)
            backup.rmdir()
        raise
    _move_population(staging, folder)
    return backup


def _move_population(staging: Path, folder: Path) -> None:
    """Fetched squares join ``bevolking/`` file by file: the user's own files there stay."""
    source = staging / "bevolking"
    if not source.is_dir():
        return
    target = folder / "bevolking"
    target.mkdir(exist_ok=True)
    for path in source.iterdir():
        path.replace(target / path.name)  # the same name is the same gemeente and year


def _entry(
    bestand: str,
    bron: str,
    url: str,
    tabel: str | None,
    jaar: int | None,
    licentie: str,
    opgehaald: str,
    rijen: int,
) -> dict[str, object]:
    return {
        "bestand": bestand,
        "bron": bron,
        "url": url,
        "tabel": tabel,
        "jaar": jaar,
        "licentie": licentie,
        "opgehaald": opgehaald,
        "rijen": rijen,
    }


def _scaled(report: Progress, start: float, span: float) -> Progress:
    def inner(step: str, fraction: float) -> None:
        report(step, start + span * min(max(fraction, 0.0), 1.0))

    return inner


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


__all__ = ["DEFAULT_YEAR", "MANIFEST", "FetchResult", "fetch_gemeente"]
