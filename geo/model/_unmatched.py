"""Codes and shapes that do not match: what did not join and why, and areas without shapes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.errors import DataError, Notices
from geo.model.codes import niveau_of, parent_codes

NO_SHAPES = "geen grenzen"
"""``indeling`` of areas known only from the figures (no boundary file has them)."""


def areas_without_shapes(
    figures: pd.DataFrame, digits: str | None, names: dict[str, str], notices: Notices
) -> gpd.GeoDataFrame:
    """The gemeente's areas from the codes in its figures, without shapes.

    For a gemeente the boundary files do not have (e.g. one formed after the boundaries'
    vintage), so its published figures can still be shown per code; the notice says the map
    stays empty.

    Raises
    ------
    DataError
        When the figures have no area of this gemeente either.
    """
    codes = figures["code"].astype(str)
    local = figures.loc[
        figures["niveau"].isin(["gemeente", "wijk", "buurt"]).to_numpy()
        & (codes.str[2:6] == digits).to_numpy(),
        "code",
    ]
    unique = sorted(set(local.astype(str)))
    if not unique:
        raise DataError(
            f"geen gebiedsgrenzen en geen cijfers van gemeente GM{digits} gevonden in 'wijken/'.",
            hint="controleer de gemeente, of zet een wijk- en buurtkaart van deze gemeente in "
            "de map wijken/.",
        )
    parents = [parent_codes(code) for code in unique]
    areas = gpd.GeoDataFrame(
        {
            "code": unique,
            "naam": [names.get(str(digits), c) if c.startswith("GM") else c for c in unique],
            "niveau": [niveau_of(c) for c in unique],
            "gemeente_code": [p[0] for p in parents],
            "wijk_code": [p[1] for p in parents],
            "naam_bron": "code",
            "bron": "alleen in de cijfers",
            "indeling": NO_SHAPES,
        },
        geometry=gpd.GeoSeries([None] * len(unique), crs="EPSG:28992"),
        crs="EPSG:28992",
    )
    notices.add(
        f"Geen grenzen van gemeente GM{digits} in de kaarten in wijken/ (andere indeling?): "
        f"de {len(unique)} gebieden uit de cijfers staan er zonder vorm in, dus zonder kaart en "
        "zonder bereik. Zet grenzen van dezelfde indeling als de cijfers in wijken/."
    )
    return areas


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
