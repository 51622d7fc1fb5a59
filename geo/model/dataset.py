"""The canonical dataset: everything Wijkkompas knows about one data folder.

A :class:`Dataset` holds the canonical tables (areas, figures, populations, focus areas);
:func:`geo.io.folder.load_dataset` reads a folder of official files into one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import DataError
from geo.model.gebieden import Gebied


@dataclass
class Dataset:
    """Everything Wijkkompas knows about one data folder (optionally one gemeente).

    Attributes
    ----------
    path
        The data folder.
    gemeente_code, gemeente_naam
        The selected gemeente, or None for all gemeenten in the folder.
    areas
        Canonical areas (:data:`~geo.model.codes.AREA_COLUMNS`), EPSG:28992.
    figures
        Tidy figures (:data:`~geo.model.figures.FIGURE_COLUMNS`), including national rows.
    populations
        CBS population tables by year: from a kwb table, else from the PDOK attributes of the
        boundary files (``attrs["from_percentages"]`` lists the columns estimated there from
        whole-number percentages; empty for kwb). Empty when the folder has neither.
    gebieden
        Focus areas by name.
    unmatched
        Codes that did not join, with the reason (columns ``code``, ``niveau``, ``bron``,
        ``reden``).
    sources
        One row per file read: ``bestand``, ``soort``, ``titel``, ``jaar``, ``indeling``, ``rijen``.
    notices
        What the user should be told about the loading (inferred CRS, repaired shapes...).
    titel
        Dataset title (``Demostad (fictief, demo)`` for the bundled demo).
    demo
        True for generated demo data; every view labels it as such.
    """

    path: Path
    gemeente_code: str | None
    gemeente_naam: str | None
    areas: gpd.GeoDataFrame
    figures: pd.DataFrame
    populations: dict[int, pd.DataFrame]
    gebieden: dict[str, Gebied]
    unmatched: pd.DataFrame
    sources: pd.DataFrame
    notices: list[str] = field(default_factory=list)
    titel: str = ""
    demo: bool = False

    def population(self, year: int | None = None) -> pd.DataFrame:
        """The kwb population table of ``year`` (default: the most recent), indexed by code."""
        if not self.populations:
            return pd.DataFrame(index=pd.Index([], name="code"))
        if year is None:
            year = max(self.populations)
        if year not in self.populations:
            raise DataError(
                f"geen CBS-bevolkingscijfers voor {year}.",
                hint=f"beschikbaar: {', '.join(map(str, sorted(self.populations)))}.",
            )
        return self.populations[year]

    @property
    def has_population(self) -> bool:
        """True when a kwb table or PDOK attributes gave population counts."""
        return bool(self.populations)

    def level(self, niveau: str) -> gpd.GeoDataFrame:
        """Areas of one level (``gemeente``, ``wijk`` or ``buurt``)."""
        return self.areas[self.areas["niveau"] == niveau]

    @property
    def years(self) -> list[int]:
        """Years with RIVM loneliness figures, ascending."""
        rivm = self.figures[self.figures["indicator"] == "Eenzaam"]
        return sorted(int(y) for y in rivm["year"].unique())
