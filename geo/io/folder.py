"""Load a data folder of official files into a canonical :class:`~geo.model.dataset.Dataset`.

The folder holds ``wijken/`` (boundaries and figures), ``aanbod/`` (what is offered),
optionally ``gebieden.toml`` (focus areas) and ``dataset.toml`` (title, demo flag).

:func:`load_dataset` recognises every file in ``wijken/`` by its columns, selects one gemeente
when asked, joins everything on CBS codes and reports what did not join and why. This is the
loading step between the readers of :mod:`geo.io` and the canonical model of :mod:`geo.model`
(which imports nothing from the packages above it).
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import DataError, Notices
from geo.io._pdok_population import pdok_populations, read_pdok_attributes
from geo.io.boundaries import AREA_COLUMNS, areas_from_file
from geo.io.gebieden import gebieden_from_file
from geo.io.kwb import figures_from_nabijheid, population_from_kwb
from geo.io.recognise import Recognised, UnknownFileError, recognise
from geo.io.rivm import figures_from_rivm
from geo.model._national import national_reference
from geo.model._unmatched import areas_without_shapes, unmatched_codes
from geo.model.codes import NIVEAUS, normalise_code
from geo.model.dataset import Dataset
from geo.model.figures import concat_figures
from geo.model.gebieden import GEBIEDEN_FILE, Gebied, built_in_gebieden

logger = logging.getLogger(__name__)

DATA_ENV = "WIJKKOMPAS_DATA"
"""Environment variable naming the default data folder."""

_SKIP_SUFFIXES = {".md", ".toml", ".prj", ".dbf", ".shx", ".cpg", ".qml", ".xml", ".sbn", ".sbx"}


def resolve_data_dir(path: str | Path | None = None) -> Path:
    """The data folder: ``path``, else ``$WIJKKOMPAS_DATA``, else the bundled demo ``data/``."""
    if path is not None:
        return Path(path)
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    bundled = Path(__file__).resolve().parents[2] / "data"
    return bundled if bundled.exists() else Path("data")


def load_dataset(
    path: str | Path | None = None,
    *,
    gemeente: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """Load a data folder into canonical tables.

    Parameters
    ----------
    path
        Data folder (see :func:`resolve_data_dir`).
    gemeente
        Name (``Utrecht``) or code (``GM0344`` / ``0344``) of the gemeente to select; default:
        the only gemeente in the folder, or all of them.
    progress
        Called with a short Dutch description of each step (the app shows it).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        A missing folder, an unknown gemeente, or a malformed official file.

    Examples
    --------
    >>> ds = load_dataset("../shared/data/utrecht")  # doctest: +SKIP
    >>> ds.level("buurt").shape[0]  # doctest: +SKIP
    111
    """
    folder = resolve_data_dir(path)
    report = progress or (lambda _message: None)
    wijken = folder / "wijken"
    if not wijken.is_dir():
        raise DataError(
            "de map 'wijken/' ontbreekt in de datamap.",
            file=folder,
            hint="een datamap bevat wijken/ (grenzen en cijfers) en aanbod/.",
        )
    notices = Notices()
    recognised = _recognise_all(wijken, notices, report)
    report("Kenmerken van de grenzen lezen")
    pdok = read_pdok_attributes([r.path for r in recognised if r.kind == "grenzen"])
    names = {**pdok.names, **_gemeente_names(recognised)}
    digits = _resolve_gemeente(gemeente, names, folder)
    if digits is None and len(names) == 1:
        digits = next(iter(names))
    report("Cijfers lezen")
    figures, populations, sources = _read_tables(recognised, digits, notices)
    from_pdok, pdok_figures, pdok_sources = pdok_populations(pdok, digits, populations, notices)
    if from_pdok:
        populations = from_pdok
        sources.extend(pdok_sources)
        if not any(s.get("soort") == "nabijheid" for s in sources):
            figures = concat_figures([figures, pdok_figures])
    report("Grenzen lezen")
    areas = _read_boundaries(recognised, digits, notices, sources)
    if areas.empty:
        areas = areas_without_shapes(figures, digits, names, notices)
    areas = _name_areas(areas, populations, names)
    areas = _complete_levels(areas, populations, names, notices)
    meta = read_meta(folder)
    if meta.get("demo"):
        figures, populations = _label_demo(figures, populations)
    gemeente_code = f"GM{digits}" if digits else None
    gebieden = read_gebieden(folder, areas, gemeente_code)
    shapeless = {
        code: str(src["bestand"])
        for src in sources
        if src.get("soort") == "grenzen"
        for code in src.get("zonder_vorm", [])  # type: ignore[attr-defined]
    }
    unmatched = unmatched_codes(areas, figures, populations, shapeless)
    if len(unmatched):
        notices.add(f"{len(unmatched)} code(s) konden niet worden gekoppeld; zie 'niet gekoppeld'.")
    dataset = Dataset(
        path=folder,
        gemeente_code=gemeente_code,
        gemeente_naam=names.get(digits) if digits else None,
        areas=areas,
        figures=figures,
        populations=populations,
        gebieden=gebieden,
        unmatched=unmatched,
        sources=pd.DataFrame(sources),
        notices=list(notices),
        titel=dataset_title(folder, meta),
        demo=bool(meta.get("demo", False)),
    )
    logger.info(
        "dataset %s: %s gebieden, %d cijfers, %d niet gekoppeld",
        folder,
        areas["niveau"].value_counts().to_dict(),
        len(figures),
        len(unmatched),
    )
    return dataset


def _recognise_all(
    wijken: Path, notices: Notices, report: Callable[[str], None]
) -> list[Recognised]:
    out = []
    for file in sorted(wijken.iterdir()):
        if file.name.startswith(".") or file.is_dir() or file.suffix.lower() in _SKIP_SUFFIXES:
            continue
        report(f"Herkennen: {file.name}")
        try:
            out.append(recognise(file))
        except UnknownFileError as exc:
            notices.add(f"overgeslagen: {exc}")
    if not out:
        raise DataError(
            "de map 'wijken/' bevat geen herkenbare bestanden.",
            file=wijken,
            hint="zet er grenzen (GeoJSON/GeoPackage/TopoJSON) en CBS/RIVM-tabellen in.",
        )
    return out


def _gemeente_names(recognised: list[Recognised]) -> dict[str, str]:
    names: dict[str, str] = {}
    for item in recognised:
        if item.table is None:
            continue
        frame = item.table.frame
        if item.kind == "rivm":
            column = next((c for c in frame.columns if "Gemeentenaam" in c), None)
            code_col = (
                "WijkenEnBuurten"
                if "WijkenEnBuurten" in frame.columns
                else next((c for c in frame.columns if "Codering" in c), None)
            )
        elif item.kind == "kwb":
            lower = {c.lower(): c for c in frame.columns}
            column = lower.get("gm_naam")
            code_col = lower.get("gwb_code_10") or lower.get("gwb_code")
        else:
            continue
        if column is None or code_col is None:
            continue
        pairs = pd.DataFrame(
            {"code": frame[code_col].str.strip().str.upper(), "naam": frame[column].str.strip()}
        )
        pairs = pairs[pairs["code"].str.startswith("GM")].drop_duplicates("code")
        names.update(dict(zip(pairs["code"].str[2:6], pairs["naam"], strict=True)))
    return names


def _resolve_gemeente(query: str | None, names: dict[str, str], folder: Path) -> str | None:
    if query is None:
        return None
    text = normalise_code(query)
    if text.startswith("GM") and text[2:].isdigit() and len(text) == 6:
        return text[2:]
    if text.isdigit() and len(text) <= 4:
        return text.zfill(4)
    matches = [d for d, n in names.items() if n.casefold() == query.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    close = sorted(n for n in names.values() if query.strip().casefold() in n.casefold())[:8]
    raise DataError(
        "deze gemeente komt niet voor in de gegevens.",
        file=folder,
        value=query,
        hint=("bedoelt u: " + ", ".join(close) + "?")
        if close
        else "geef de naam zoals CBS die schrijft, of de code (bijvoorbeeld GM0344).",
    )


FIGURE_READERS = {
    "rivm": (figures_from_rivm, "RIVM Gezondheid per wijk en buurt"),
    "nabijheid": (figures_from_nabijheid, "CBS Nabijheid voorzieningen"),
}
"""File kind -> (reader into the tidy figures table, title shown with its numbers)."""


def _read_tables(
    recognised: list[Recognised], digits: str | None, notices: Notices
) -> tuple[pd.DataFrame, dict[int, pd.DataFrame], list[dict[str, object]]]:
    parts = []
    populations: dict[int, pd.DataFrame] = {}
    sources: list[dict[str, object]] = []
    for item in recognised:
        if item.kind in FIGURE_READERS:
            reader, titel = FIGURE_READERS[item.kind]
            figures = reader(item.path, gemeente_digits=digits, table=item.table)
            parts.append(figures)
            sources.append(
                _source(
                    item,
                    titel,
                    sorted(set(figures["year"])),
                    str(figures["vintage"].iloc[0]),
                    len(figures),
                    figures["source"].iloc[0],
                )
            )
        elif item.kind == "kwb":
            population = population_from_kwb(item.path, gemeente_digits=digits, table=item.table)
            year = population.attrs.get("year") or 0
            if population.empty:  # a kwb file of another gemeente: nothing to use here
                notices.add(f"{item.path.name}: geen bevolkingscijfers van deze gemeente.")
                item.table = None
                continue
            populations[int(year)] = population
            sources.append(
                _source(
                    item,
                    "CBS Kerncijfers wijken en buurten",
                    [year],
                    f"indeling {year}",
                    len(population),
                    population.attrs["source"],
                )
            )
        item.table = None  # free memory
    if parts:
        parts.append(national_reference(parts))
    return concat_figures(parts), populations, sources


def _source(
    item: Recognised, titel: str, years: list[int], indeling: str, rows: int, bron: str
) -> dict[str, object]:
    return {
        "bestand": item.path.name,
        "soort": item.kind,
        "titel": titel,
        "jaar": ", ".join(str(int(y)) for y in years),
        "indeling": indeling,
        "rijen": int(rows),
        "bron": bron,
    }


def _read_boundaries(
    recognised: list[Recognised],
    digits: str | None,
    notices: Notices,
    sources: list[dict[str, object]],
) -> gpd.GeoDataFrame:
    frames = []
    for item in recognised:
        if item.kind != "grenzen":
            continue
        areas = areas_from_file(item.path, gemeente_digits=digits, notices=notices)
        if areas.empty:
            notices.add(f"{item.path.name}: geen gebieden van deze gemeente.")
            continue
        frames.append(areas)
        sources.append(
            {
                "bestand": item.path.name,
                "soort": "grenzen",
                "titel": "Wijk- en buurtgrenzen",
                "jaar": areas["indeling"].iloc[0],
                "indeling": areas["indeling"].iloc[0],
                "rijen": len(areas),
                "bron": _boundary_source(item.path.name),
                "zonder_vorm": areas.attrs.get("zonder_vorm", []),
            }
        )
    if not frames:
        if digits is not None and any(item.kind == "grenzen" for item in recognised):
            return gpd.GeoDataFrame(columns=AREA_COLUMNS, geometry="geometry", crs="EPSG:28992")
        raise DataError(
            "geen gebiedsgrenzen gevonden in 'wijken/'.",
            hint="zet een wijk- en buurtkaart (GeoJSON, GeoPackage, TopoJSON of gezipte "
            "shapefile) in de map wijken/.",
        )
    areas = pd.concat(frames, ignore_index=True)
    areas = areas.sort_values("indeling", ascending=False, kind="stable")
    duplicated = areas["code"].duplicated()
    if duplicated.any():
        notices.add(
            f"{int(duplicated.sum())} code(s) staan in meer dan één grenzenbestand; de nieuwste "
            "indeling is gebruikt."
        )
    areas = areas[~duplicated].reset_index(drop=True)
    return gpd.GeoDataFrame(areas, geometry="geometry", crs="EPSG:28992")


def _boundary_source(name: str) -> str:
    lower = name.lower()
    if "gemeente-utrecht" in lower:
        return "Gemeente Utrecht (open data)"
    if "cbs" in lower or "pdok" in lower:
        return "CBS/PDOK Wijk- en buurtkaart"
    return name


def _name_areas(
    areas: gpd.GeoDataFrame, populations: dict[int, pd.DataFrame], names: dict[str, str]
) -> gpd.GeoDataFrame:
    """Prefer full CBS names (kwb ``regio``) over municipal (truncated) names."""
    if not populations:
        return areas
    cbs = populations[max(populations)]["naam"]
    areas = areas.copy()
    known = areas["code"].isin(cbs.index)
    replace = known & areas["naam_bron"].ne("kaart")
    areas.loc[replace, "naam"] = areas.loc[replace, "code"].map(cbs)
    areas.loc[replace, "naam_bron"] = "CBS"
    return areas


def _complete_levels(
    areas: gpd.GeoDataFrame,
    populations: dict[int, pd.DataFrame],
    names: dict[str, str],
    notices: Notices,
) -> gpd.GeoDataFrame:
    """Derive wijk and gemeente shapes from finer levels when no file gives them."""
    cbs = populations[max(populations)]["naam"] if populations else pd.Series(dtype=object)
    derived: list[gpd.GeoDataFrame] = []
    for niveau, parent_col, finer in (
        ("wijk", "wijk_code", "buurt"),
        ("gemeente", "gemeente_code", "wijk"),
    ):
        pool = pd.concat([areas, *derived]) if derived else areas
        children = pool[pool["niveau"] == finer]
        have = set(pool.loc[pool["niveau"] == niveau, "code"])
        missing = children[~children[parent_col].isin(have)]
        if missing.empty:
            continue
        dissolved = missing.dissolve(by=parent_col, as_index=False)[[parent_col, "geometry"]]
        dissolved = dissolved.rename(columns={parent_col: "code"})
        dissolved["niveau"] = niveau
        dissolved["naam"] = [
            cbs.get(c) or (names.get(c[2:6]) if niveau == "gemeente" else None) or c
            for c in dissolved["code"]
        ]
        dissolved["naam_bron"] = "CBS"
        dissolved["gemeente_code"] = ["GM" + c[2:6] for c in dissolved["code"]]
        dissolved["wijk_code"] = None
        dissolved["bron"] = f"samengesteld uit {finer}en"
        dissolved["indeling"] = missing["indeling"].iloc[0]
        derived.append(gpd.GeoDataFrame(dissolved, geometry="geometry", crs=areas.crs))
        notices.add(f"{len(dissolved)} {niveau}grens(en) samengesteld uit de {finer}en.")
    if derived:
        areas = pd.concat([areas, *derived], ignore_index=True)
    order = {n: i for i, n in enumerate(NIVEAUS)}
    areas = areas.sort_values(
        ["niveau", "code"], key=lambda s: s.map(order) if s.name == "niveau" else s
    ).reset_index(drop=True)
    return gpd.GeoDataFrame(areas[AREA_COLUMNS], geometry="geometry", crs="EPSG:28992")


DEMO_PREFIX = "DEMO (fictieve cijfers) in het formaat van "


def _label_demo(
    figures: pd.DataFrame, populations: dict[int, pd.DataFrame]
) -> tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """Make every source of a demo dataset say that its numbers are invented."""
    figures = figures.copy()
    figures["source"] = (
        figures["source"].astype(str).map(lambda s: DEMO_PREFIX + s).astype("category")
    )
    labelled = {}
    for year, population in populations.items():
        copy = population.copy()
        copy.attrs = {**population.attrs, "source": DEMO_PREFIX + population.attrs["source"]}
        labelled[year] = copy
    return figures, labelled


def dataset_title(folder: Path, meta: dict[str, object]) -> str:
    """The title of a dataset: ``titel`` in ``dataset.toml``, else the folder's name."""
    return str(meta.get("titel", folder.resolve().name))


def read_meta(folder: Path) -> dict[str, object]:
    """The folder's ``dataset.toml`` (title, demo flag); empty when there is none."""
    path = folder / "dataset.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"dataset.toml is geen geldige TOML ({exc}).", file=path) from exc


def read_gebieden(
    folder: Path, areas: gpd.GeoDataFrame, gemeente_code: str | None
) -> dict[str, Gebied]:
    """The focus areas: ``gebieden.toml`` of the folder (or of ``wijken/``), else built in."""
    for candidate in (folder / GEBIEDEN_FILE, folder / "wijken" / GEBIEDEN_FILE):
        if candidate.exists():
            return gebieden_from_file(candidate, areas=areas)
    return built_in_gebieden(gemeente_code)
