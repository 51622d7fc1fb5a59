"""Codes in the tables without a shape in the boundaries, and why (for ``wijkkompas info``)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.model.codes import niveau_of


def unmatched_codes(
    areas: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    populations: dict[int, pd.DataFrame],
    shapeless: dict[str, str],
) -> pd.DataFrame:
    """Codes in the tables without a shape, and why (usually another boundary vintage)."""
    area_codes = set(areas["code"])
    vintages = ", ".join(sorted(set(areas["indeling"].astype(str))))
    rows: list[dict[str, object]] = []

    def reason(code: str, other: str) -> str:
        if code in shapeless:
            return (
                f"het gebied staat in {shapeless[code]}, maar zonder vorm (te klein voor "
                "deze kaart)"
            )
        return f"geen grens met deze code: de grenzen hebben indeling {vintages}, {other}"

    local = figures.loc[
        figures["niveau"].isin(["gemeente", "wijk", "buurt"]).to_numpy(),
        ["source", "vintage", "code"],
    ].drop_duplicates()
    for (source, vintage), group in local.groupby(["source", "vintage"], observed=True):
        for code in sorted(set(group["code"].astype(str)) - area_codes):
            rows.append(
                {
                    "code": code,
                    "niveau": niveau_of(code),
                    "bron": source,
                    "reden": reason(code, f"de cijfers {vintage}"),
                }
            )
    for year, population in populations.items():
        for code in sorted(set(population.index) - area_codes):
            rows.append(
                {
                    "code": code,
                    "niveau": niveau_of(code),
                    "bron": population.attrs.get("source", f"CBS kwb {year}"),
                    "reden": reason(code, f"de bevolkingscijfers indeling {year}"),
                }
            )
    return pd.DataFrame(rows, columns=["code", "niveau", "bron", "reden"])
