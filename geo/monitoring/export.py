"""The monitoring as an Excel workbook: status per indicator, all measurements, the notes."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from geo.present.safe_text import neutralise_formula


def monitoring_xlsx(
    rows: list[dict[str, Any]], measurements: pd.DataFrame, notes: pd.DataFrame, *,
    demo: bool = False,
) -> bytes:
    """Sheets *Status*, *Metingen*, *Notities* (and *Let op* for the demo), formula-safe.

    Examples
    --------
    >>> data = monitoring_xlsx(status_rows(...), store.measurements(), store.notes())
    ... # doctest: +SKIP
    """
    status = pd.DataFrame([
        {"Indicator": r["indicator"], "Naam": r["naam"], "Subdoel": r["subdoel"],
         "Laatste waarde": r["laatste_waarde"], "Eenheid": r["eenheid"],
         "Periode": r["periode"], "Doel": r["doel"], "Doeljaar": r["doeljaar"],
         "Status": r["status"], "Uitleg": r["uitleg"], "Bron": r["bron"], "Soort": r["soort"]}
        for r in rows
    ])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        if demo:
            pd.DataFrame({"Let op": ["DEMO: fictieve gegevens en voorbeeldmetingen."]}).to_excel(
                writer, sheet_name="Let op", index=False)
        for name, frame in (("Status", status), ("Metingen", measurements), ("Notities", notes)):
            frame.map(neutralise_formula).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
