"""Read a dataset's aanbod: the register when there is one, else the partner files read-only."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.aanbod.backends import open_register, register_path  # noqa: F401 (re-exported)
from geo.aanbod.importer import ImportResult, import_file
from geo.aanbod.register import empty_layer
from geo.aanbod.schema import LAYERS, WOR_DEELNEMERS_COLUMNS
from geo.errors import DataError
from geo.io._tabular import TABULAR_SUFFIXES, suffix_of
from geo.io.boundaries import SPATIAL_SUFFIXES

logger = logging.getLogger(__name__)


@dataclass
class Aanbod:
    """What is offered in a dataset.

    Attributes
    ----------
    layers
        Every layer of :data:`~geo.aanbod.schema.LAYERS` (empty frames when absent).
    reports
        Validation report per partner file (only when read without a register).
    read_only
        True when the data comes from partner files, not from a register.
    wor_deelnemers
        Welzijn op recept participants per wijk.
    notices
        File-level remarks, and files that could not be read (with the reason).
    """

    layers: dict[str, gpd.GeoDataFrame]
    reports: dict[str, pd.DataFrame] = field(default_factory=dict)
    read_only: bool = False
    wor_deelnemers: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=WOR_DEELNEMERS_COLUMNS)
    )
    notices: list[str] = field(default_factory=list)


def load_aanbod(
    data_dir: str | Path,
    *,
    areas: gpd.GeoDataFrame | None = None,
    gemeente_code: str | None = None,
) -> Aanbod:
    """Read the aanbod of a data folder. Never writes into the folder.

    Parameters
    ----------
    data_dir
        The dataset folder (holding ``aanbod/``).
    areas
        Canonical areas (for partner files: outside-gemeente flags and buurt codes).
    gemeente_code
        Reserved for registers that hold several gemeenten; rows outside are kept.

    Examples
    --------
    >>> aanbod = load_aanbod("../shared/data/utrecht", areas=dataset.areas)  # doctest: +SKIP
    >>> aanbod.read_only, len(aanbod.layers["activiteiten"])  # doctest: +SKIP
    (True, 269)
    """
    folder = Path(data_dir) / "aanbod"
    register = open_register(data_dir)
    if register.exists:
        return Aanbod(layers=register.layers(), wor_deelnemers=register.wor_deelnemers())
    layers = {laag: empty_layer(laag) for laag in LAYERS}
    aanbod = Aanbod(layers=layers, read_only=True)
    if not folder.is_dir():
        return aanbod
    results: list[ImportResult] = []
    for path in sorted(folder.iterdir()):
        if (
            path.name.startswith(".")
            or path.name == "stop_times.txt"
            or not (suffix_of(path) in TABULAR_SUFFIXES or suffix_of(path) in SPATIAL_SUFFIXES)
        ):
            continue
        try:
            results.append(import_file(path, areas=areas))
        except DataError as exc:
            aanbod.notices.append(f"niet gelezen: {exc}")
    for result in results:
        aanbod.reports[result.source] = result.report
        aanbod.notices.extend(result.notices)
        frame = result.frame
        if len(frame):
            frame = frame.copy()
            frame["id"] = [f"{result.source}#{i + 1}" for i in range(len(frame))]
            combined = pd.concat([layers[result.laag], frame], ignore_index=True)
            layers[result.laag] = gpd.GeoDataFrame(combined, geometry="geometry", crs=frame.crs)
        if result.wor_deelnemers is not None:
            aanbod.wor_deelnemers = pd.concat(
                [aanbod.wor_deelnemers, result.wor_deelnemers], ignore_index=True
            )
    logger.info(
        "aanbod (alleen lezen) uit %d bestand(en): %s",
        len(results),
        {k: len(v) for k, v in layers.items()},
    )
    return aanbod
