"""Small numbers in exports: suppress counts under 50 residents, round the rest to 5.

Exports leave the organisation (planners, partners), so by default they follow the usual
rules for small numbers:

* **area layers** (buurten, wijken, gemeente): every count of residents or households
  (:data:`AREA_COUNTS`) below :data:`THRESHOLD` is left empty ("onderdrukt"); the other
  counts are rounded to a multiple of :data:`ROUND_TO`;
* **gap layers** (``hiaten_<groep>``, ``..._wijken``, ``..._gebieden``): a row whose focus
  group has fewer than :data:`THRESHOLD` residents has all its people-counts and its gap score
  (:data:`GAP_COUNTS`; the gap score is lonely residents × a factor) left empty; in the other
  rows they are rounded to 5. Rates, rank and reasons stay;
* figures RIVM/CBS did not publish stay empty, as they were.

The column ``onderdrukking`` says per row which columns were suppressed, rounded or not
published. ``wijkkompas export --geen-onderdrukking`` (and the switch on the Export page)
exports the exact numbers for internal use; the choice is in the export metadata
(:attr:`~geo.export.bundle.ExportBundle.suppression`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.export.bundle import ExportBundle

logger = logging.getLogger(__name__)

THRESHOLD = 50
ROUND_TO = 5
COLUMN = "onderdrukking"
COLUMN_LABEL = "Onderdrukt of afgerond (kleine aantallen)"
AREA_COUNTS = ("inwoners", "inwoners_65_plus", "eenpersoonshuishoudens")
"""Counts of an area layer, each judged on its own value."""
GROUP_POPULATION = "inwoners_doelgroep"
GAP_COUNTS = (
    "inwoners_doelgroep",
    "eenzamen",
    "ernstig_eenzamen",
    "eenzamen_zonder_aanbod",
    "eenzamen_binnen_bereik",
    "eenzamen_rivm",
    "ernstig_eenzamen_rivm",
    "hiaatscore",
)
"""People-counts of a gap layer, judged on the row's focus-group population."""
SUPPRESSED_TEXT = (
    f"kleine aantallen beschermd: minder dan {THRESHOLD} inwoners onderdrukt, andere aantallen "
    f"afgerond op {ROUND_TO} (kolom '{COLUMN}')"
)
EXACT_TEXT = "GEEN onderdrukking van kleine aantallen (exacte aantallen, alleen intern gebruik)"


def suppress_small_numbers(bundle: ExportBundle) -> ExportBundle:
    """The bundle with small numbers suppressed and counts rounded (see the module docstring).

    Returns
    -------
    ExportBundle
        New layers (inputs are not changed), each changed layer with an ``onderdrukking``
        column, and ``suppression`` set to :data:`SUPPRESSED_TEXT`.

    Examples
    --------
    >>> safe = suppress_small_numbers(bundle)  # doctest: +SKIP
    >>> safe.layers["buurten"]["onderdrukking"].iloc[0]  # doctest: +SKIP
    'afgerond op 5: inwoners, inwoners_65_plus, eenpersoonshuishoudens'
    """
    layers = {}
    meta = dict(bundle.meta)
    changed = 0
    for name, frame in bundle.layers.items():
        out = suppress_layer(frame)
        if out is not frame:
            changed += 1
            info = meta[name]
            meta[name] = replace(info, labels={**info.labels, COLUMN: COLUMN_LABEL})
        layers[name] = out
    logger.info("onderdrukking kleine aantallen: %d lagen aangepast", changed)
    return replace(bundle, layers=layers, meta=meta, suppression=SUPPRESSED_TEXT)


def exact_numbers(bundle: ExportBundle) -> ExportBundle:
    """The bundle unchanged, but recorded as exported without suppression."""
    return replace(bundle, suppression=EXACT_TEXT)


def suppress_layer(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One layer with small numbers suppressed; the same object when it has no counts.

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"inwoners": [1234.0, 40.0]}, geometry=[None, None])
    >>> out = suppress_layer(frame)
    >>> out["inwoners"].tolist(), out["onderdrukking"].tolist()
    ([1235.0, nan], ['afgerond op 5: inwoners', 'onderdrukt (minder dan 50): inwoners'])
    """
    if GROUP_POPULATION in frame.columns:
        return _gap_layer(frame)
    counts = [c for c in AREA_COUNTS if c in frame.columns]
    if not counts:
        return frame
    out = frame.copy()
    suppressed = pd.DataFrame(index=frame.index)
    rounded = pd.DataFrame(index=frame.index)
    missing = pd.DataFrame(index=frame.index)
    for column in counts:
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        small = (values < THRESHOLD).to_numpy()
        suppressed[column] = small
        rounded[column] = values.notna().to_numpy() & ~small
        missing[column] = values.isna().to_numpy()
        out[column] = np.where(small, np.nan, round_to_five(values.to_numpy()))
    rivm = (
        out["niet_gepubliceerd"].astype(str).replace("nan", "").tolist()
        if "niet_gepubliceerd" in out
        else [""] * len(out)
    )
    extra = []
    for position, figures in enumerate(rivm):
        parts = [f"niet gepubliceerd: {figures}"] if figures else []
        empty = [c for c in counts if missing[c].iloc[position]]
        if empty:
            parts.append(f"geen CBS-cijfer (niet gepubliceerd of onbekend): {', '.join(empty)}")
        extra.append("; ".join(parts))
    out[COLUMN] = _texts(suppressed, rounded, extra)
    return _before_geometry(out)


def round_to_five(values: np.ndarray) -> np.ndarray:
    """Round to the nearest multiple of 5 (halves away from zero: 12.5 -> 15).

    Examples
    --------
    >>> round_to_five(np.array([52.0, 53.0, 57.5, np.nan])).tolist()
    [50.0, 55.0, 60.0, nan]
    """
    scaled = np.asarray(values, dtype=float) / ROUND_TO
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) * ROUND_TO


def _gap_layer(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    population = pd.to_numeric(frame[GROUP_POPULATION], errors="coerce").astype(float)
    small = (population < THRESHOLD).to_numpy()
    counts = [c for c in GAP_COUNTS if c in frame.columns]
    suppressed = pd.DataFrame(index=frame.index)
    rounded = pd.DataFrame(index=frame.index)
    for column in counts:
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        suppressed[column] = small & values.notna().to_numpy()
        rounded[column] = ~small & values.notna().to_numpy()
        out[column] = np.where(small, np.nan, round_to_five(values.to_numpy()))
    extra = [""] * len(out)
    if "cijfer_van" in out:
        source = out["cijfer_van"].astype(str).str.split(" ").str[0].tolist()
        extra = [
            f"buurtcijfer niet gepubliceerd: percentage van de {s}"
            if s in ("wijk", "gemeente")
            else ""
            for s in source
        ]
    out[COLUMN] = _texts(suppressed, rounded, extra, small_note=True)
    return _before_geometry(out)


def _texts(
    suppressed: pd.DataFrame,
    rounded: pd.DataFrame,
    extra: list[str],
    *,
    small_note: bool = False,
) -> list[str]:
    """Per row: ``onderdrukt (...): a, b; afgerond op 5: c`` and the row's ``extra`` text."""
    reason = (
        f"onderdrukt (minder dan {THRESHOLD} in de doelgroep)"
        if small_note
        else f"onderdrukt (minder dan {THRESHOLD})"
    )
    texts = []
    for position in range(len(suppressed)):
        parts = []
        hidden = [c for c in suppressed.columns if suppressed[c].iloc[position]]
        if hidden:
            parts.append(f"{reason}: {', '.join(hidden)}")
        shown = [c for c in rounded.columns if rounded[c].iloc[position]]
        if shown:
            parts.append(f"afgerond op {ROUND_TO}: {', '.join(shown)}")
        if extra[position]:
            parts.append(extra[position])
        texts.append("; ".join(parts))
    return texts


def _before_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    name = frame.geometry.name
    return frame[[c for c in frame.columns if c != name] + [name]]
