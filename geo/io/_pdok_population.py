"""Population from the kwb attributes of PDOK boundary files, for :func:`load_dataset`.

A kwb table (``cbs_kwb_*.csv``) wins over PDOK attributes when both are present: its counts
are counted, the PDOK ones partly derived from rounded percentages. The notes say which.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import Notices
from geo.io.pdok import has_pdok_attributes, read_pdok
from geo.model.figures import concat_figures, empty_figures

logger = logging.getLogger(__name__)


@dataclass
class PdokAttributes:
    """What the PDOK attributes of a folder's boundary files hold (all gemeenten)."""

    tables: list[pd.DataFrame] = field(default_factory=list)
    figures: list[pd.DataFrame] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        """Gemeente digits -> gemeente name, from ``gemeentenaam``."""
        out: dict[str, str] = {}
        for table in self.tables:
            named = table[table["gemeente_naam"].notna() & table["gemeente_naam"].ne("")]
            for code, naam in zip(named.index, named["gemeente_naam"], strict=True):
                out.setdefault(str(code)[2:6], str(naam))
        return out


def read_pdok_attributes(paths: list[Path]) -> PdokAttributes:
    """Read the PDOK kwb attributes of every boundary file that has them."""
    found = PdokAttributes()
    for path in paths:
        if has_pdok_attributes(path):
            population, figures = read_pdok(path)
            found.tables.append(population)
            found.figures.append(figures)
    return found


def pdok_populations(
    found: PdokAttributes,
    digits: str | None,
    populations: dict[int, pd.DataFrame],
    notices: Notices,
) -> tuple[dict[int, pd.DataFrame], pd.DataFrame, list[dict[str, object]]]:
    """Populations by year, distance figures and source rows from the PDOK attributes.

    Returns nothing new when ``populations`` (from kwb tables) is not empty: the kwb table
    wins, and a notice says so.
    """
    if not found.tables:
        return {}, empty_figures(), []
    if populations:
        files = ", ".join(str(t.attrs["file"]) for t in found.tables)
        notices.add(
            f"Bevolking uit de CBS Kerncijfers-tabel gebruikt; de kerncijfers in {files} "
            "(PDOK-kenmerken) zijn genegeerd, want de tabel telt en PDOK geeft leeftijden en "
            "herkomst als afgeronde percentages."
        )
        return {}, empty_figures(), []
    by_year: dict[int, list[tuple[pd.DataFrame, pd.DataFrame]]] = {}
    for table, distances in zip(found.tables, found.figures, strict=True):
        part = table if digits is None else table[table.index.str[2:6] == digits]
        if part.empty:
            continue
        part.attrs = dict(table.attrs)
        by_year.setdefault(int(table.attrs.get("year") or 0), []).append((part, distances))
    out: dict[int, pd.DataFrame] = {}
    figures: list[pd.DataFrame] = []
    sources: list[dict[str, object]] = []
    for year, pairs in by_year.items():
        parts = [p for p, _ in pairs]
        merged = pd.concat(parts)
        merged = merged[~merged.index.duplicated(keep="first")]
        merged.attrs = {
            **parts[0].attrs,
            "file": ", ".join(str(p.attrs["file"]) for p in parts),
            "from_percentages": sorted({c for p in parts for c in p.attrs["from_percentages"]}),
        }
        out[year] = merged
        for part, distances in pairs:
            figures.append(distances[distances["code"].isin(set(merged.index))])
            sources.append(
                {
                    "bestand": part.attrs["file"],
                    "soort": "pdok",
                    "titel": "CBS/PDOK Wijken en Buurten (kerncijfers als kenmerken)",
                    "jaar": str(year),
                    "indeling": f"indeling {year}",
                    "rijen": len(part),
                    "bron": part.attrs["source"],
                }
            )
        estimated = merged.attrs["from_percentages"]
        if estimated:
            notices.add(
                f"Bevolking {year} uit de PDOK-kenmerken ({merged.attrs['file']}): leeftijden, "
                "herkomst en eenpersoonshuishoudens zijn geschat uit hele percentages "
                "(aantal_inwoners × percentage / 100), geen tellingen."
            )
    logger.info("PDOK-bevolking: %s", {y: len(t) for y, t in out.items()})
    return out, concat_figures(figures), sources
