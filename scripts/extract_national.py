"""Extract the national (NL01) RIVM figures into geo/model/national_rivm.csv.

Usage: python scripts/extract_national.py ../shared/data/nl/wijken

The national file is large; datasets for one gemeente usually lack the NL01 row, so
Wijkkompas ships this small reference table (RIVM/CBS 50090NED, CC BY 4.0) and adds it
to a dataset's figures when the dataset has no national row of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from geo.io.rivm import figures_from_rivm

OUT = Path(__file__).resolve().parents[1] / "geo" / "model" / "national_rivm.csv"


def main(folder: str) -> None:
    """Write the NL01 rows of every RIVM file in ``folder`` to :data:`OUT`."""
    parts = []
    for path in sorted(Path(folder).glob("rivm_*.csv*")):
        figures = figures_from_rivm(path, gemeente_digits="----")
        parts.append(figures[figures["code"].astype(str) == "NL01"])
    national = pd.concat(parts, ignore_index=True)
    national = national.drop(columns=["niveau"]).sort_values(["indicator", "group", "year"])
    national.to_csv(OUT, index=False, float_format="%.1f", lineterminator="\n")
    print(f"{len(national)} rows -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/nl/wijken")
