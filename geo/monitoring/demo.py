"""Example measurements and notes for Demostad, labelled as demo everywhere.

Written as a filled-in template (``monitoring_demo.csv``, the same format partners use) and
imported into the demo register, so the Monitoring page, the CLI and the report have
something to show. Every value says ``DEMO (fictief)`` in its source.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from geo.monitoring.catalogue import built_in_catalogue
from geo.monitoring.store import open_monitoring
from geo.monitoring.template import TEMPLATE_COLUMNS, measurements_from_file

logger = logging.getLogger(__name__)

DEMO_FILE = "monitoring_demo.csv"
DEMO_SOURCE = "DEMO (fictief)"
_YEARS = (2023, 2024, 2025)
_GEMEENTE = {  # indicator: values for 2023, 2024, 2025 (2023 replaces Utrecht's base value)
    "partners_intentieverklaring": (41, 48, 52),
    "signaleringskaarten": (900, 1150, 1320),
    "trainingen": (4, 6, 7),
    "lezingen": (2, 3, 3),
    "netwerkbijeenkomst_deelnemers": (45, 42, 51),
    "campagne_bereik": (1800, 2300, 3100),
    "training_professionals_deelnemers": (60, 72, 95),
    "training_professionals_tevredenheid": (7.4, 7.6, 7.5),
    "lief_en_leed_potjes": (120, 150, 171),
}
_PER_WIJK = ("welzijn_op_recept", "lief_en_leedstraten")
_NOTES = (
    (
        "WK999902",
        "Wijkgesprek (fictief)",
        "Bewoners zeggen dat de inloop op dinsdag vol zit; ouderen zonder vervoer komen niet.",
    ),
    (
        "Molenkwartier",
        "Bewonersplatform (fictief)",
        "Vraag naar een vaste ontmoetingsplek op zaterdag, vooral van alleenstaande ouderen.",
    ),
    (
        "BU99990402",
        "Sociaal makelaar (fictief)",
        "Twee nieuwe Lief en Leedstraten in voorbereiding; buren kennen elkaar nog weinig.",
    ),
)


def write_demo_monitoring(folder: str | Path, wijk_codes: list[str]) -> Path:
    """Write ``monitoring_demo.csv`` into ``folder`` and import it (with demo notes).

    Parameters
    ----------
    folder
        The demo data folder (its ``aanbod/register.gpkg`` must exist).
    wijk_codes
        The demo wijken.

    Returns
    -------
    pathlib.Path
        The CSV.
    """
    folder = Path(folder)
    rng = np.random.default_rng(2026)  # its own stream: the rest of the demo is unchanged
    rows: list[list[object]] = []
    for ident, values in _GEMEENTE.items():
        for year, value in zip(_YEARS, values, strict=True):
            rows.append([ident, str(year), "", value, DEMO_SOURCE, ""])
    for ident in _PER_WIJK:
        for code in sorted(wijk_codes):
            base = (
                int(rng.integers(8, 40))
                if ident == "welzijn_op_recept"
                else int(rng.integers(3, 9))
            )
            for year, factor in zip(_YEARS, (0.9, 1.0, 1.2), strict=True):
                rows.append([ident, str(year), code, round(base * factor), DEMO_SOURCE, ""])
    path = folder / DEMO_FILE
    frame = pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)
    frame.to_csv(
        path, sep=";", index=False, encoding="utf-8", lineterminator="\n", float_format="%g"
    )
    catalogue = built_in_catalogue()
    result = measurements_from_file(path, catalogue, area_codes=set(wijk_codes))
    result.raise_for_rejected()
    store = open_monitoring(folder, database_url="")
    store.add_measurements(result.frame, user="demo-generator", file=path)
    for gebied, auteur, tekst in _NOTES:
        store.add_note(gebied, tekst, auteur=auteur, datum="2025-03-14", user="demo-generator")
    logger.info("demo-monitoring: %d metingen, %d notities", len(result.frame), len(_NOTES))
    return path
