"""The built-in national RIVM reference (NL01) for one-gemeente downloads."""

from __future__ import annotations

import io
from importlib import resources

import pandas as pd

from geo.model.figures import FIGURE_COLUMNS, empty_figures, with_intervals

NATIONAL_REFERENCE = "national_rivm.csv"
NATIONAL_NOTE = " (landelijke referentie, ingebouwd in Wijkkompas)"


def national_reference(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """National RIVM rows (NL01) for the years and groups a dataset has but lacks NL01 for.

    One-gemeente downloads have no national row; Wijkkompas ships the NL01 figures of
    50090NED (see ``scripts/extract_national.py``) and marks them as such in ``source``.
    """
    keys = ["indicator", "group", "year"]
    rivm = [p for p in parts if len(p) and str(p["source"].iloc[0]).startswith("RIVM")]
    if not rivm:
        return empty_figures()
    have = pd.concat([p.loc[(p["code"] == "NL01").to_numpy(), keys].astype(str) for p in rivm])
    wanted = pd.concat([p[keys].drop_duplicates().astype(str) for p in rivm]).drop_duplicates()
    text = resources.files("geo.model").joinpath(NATIONAL_REFERENCE).read_text(encoding="utf-8")
    reference = pd.read_csv(io.StringIO(text), dtype={"code": str})
    wanted = wanted.astype({"indicator": str, "group": str, "year": int})
    have = have.astype({"indicator": str, "group": str, "year": int})
    missing = wanted.merge(have, on=keys, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"][keys]
    out = reference.merge(missing, on=keys, how="inner")
    out["niveau"] = "land"
    out["source"] = out["source"] + NATIONAL_NOTE
    return with_intervals(out)[FIGURE_COLUMNS]
