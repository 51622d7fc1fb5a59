"""What every report section needs: the analysis of one area, and shared helpers."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.pipeline import GapResult
from geo.model.dataset import Dataset
from geo.present.format import fmt_int, fmt_pct_interval
from geo.report.charts import area_map
from geo.report.document import Image
from geo.settings import GROUP_NOUNS

KIND_LABELS = {
    "gebied": "aandachtsgebied",
    "wijk": "wijk",
    "buurt": "buurt",
    "gemeente": "gemeente",
}
MAX_AANBOD_ROWS = 40
MAX_BUURT_ROWS = 12


class ReportContext:
    """The analysis of one area for one focus group, as the sections use it."""

    def __init__(
        self,
        dataset: Dataset,
        result: GapResult,
        profile: dict[str, Any],
        reachable: gpd.GeoDataFrame,
        notices: list[str],
    ) -> None:
        self.dataset = dataset
        self.result = result
        self.profile = profile
        self.reachable = reachable
        self.notices = notices
        self.area = profile["area"]
        self.naam = str(self.area["naam"])
        self.group = str(profile["group"])
        self.noun = GROUP_NOUNS[self.group]
        self.members = result.buurten[result.buurten["code"].isin(self.area["buurten"])]
        method = self.result.method
        self.catchment = float(
            method.get("catchment_m") or self.result.settings.catchment(self.group)
        )
        self.catchment_text = str(method.get("catchment_text") or f"{fmt_int(self.catchment)} m")
        """The catchment as the report says it: ``500 m`` or ``10 minuten lopen``."""
        self.vintage = ", ".join(sorted(set(dataset.areas["indeling"].astype(str))))

    # -- helpers shared by the sections ----------------------------------------------
    def map(self) -> Image:
        """The area map: need per buurt and the reachable aanbod."""
        activities = self.reachable
        note = (
            f"Grenzen: {self.boundary_source()} ({self.vintage}); eenzamen: RIVM "
            f"{self.result.year} × CBS {self.result.population_year}; aanbod: Wijkkompas"
            + (" · DEMO" if self.dataset.demo else "")
            + (
                " · aanbod onvolledig: zie 'Hiaat en redenen'"
                if self.profile.get("offer_complete") is False
                else ""
            )
        )
        png = area_map(
            self.result.buurten,
            list(self.area["buurten"]),
            value="lonely",
            value_label=f"Eenzame {self.noun} per buurt",
            aanbod=activities,
            note=note,
        )
        return Image(
            png,
            caption=(
                f"Kaart van {self.naam}: eenzame {self.noun} per buurt (behoefte) en het "
                f"passende aanbod binnen {self.catchment_text} (punten, per soort)."
            ),
            alt=f"Kaart van {self.naam} met per buurt het aantal eenzame {self.noun} en de "
            "bereikbare activiteiten.",
        )

    def boundary_source(self) -> str:
        """Where the boundaries come from."""
        sources = self.dataset.sources
        if len(sources) and "soort" in sources:
            grenzen = sources[sources["soort"] == "grenzen"]
            if len(grenzen):
                return "; ".join(sorted(set(grenzen["bron"].astype(str))))
        return "grenzenbestand"

    def figure(self, indicator: str, age: str) -> dict[str, Any] | None:
        """The profile's figure of one indicator and age group."""
        return next(
            (
                row
                for row in self.profile["figures"]
                if row["indicator"] == indicator and row["group"] == age
            ),
            None,
        )

    def need_row(self) -> dict[str, Any] | None:
        """The need of the report's focus group."""
        return next((r for r in self.profile["need"] if r["group"] == self.group), None)

    @staticmethod
    def value(row: dict[str, Any]) -> str:
        """A figure as Dutch text with its 95 % interval; 'niet gepubliceerd' when suppressed."""
        if row.get("value") is None:
            return "niet gepubliceerd"
        return fmt_pct_interval(row["value"], row.get("lower"), row.get("upper"))

    @staticmethod
    def status(status: object) -> str:
        """A figure's status in words."""
        text = str(status)
        if text == "niet gepubliceerd":
            return "niet gepubliceerd (te weinig respondenten)"
        return text


def plain_text(value: object) -> str:
    """A cell value as text ('' when missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value)
