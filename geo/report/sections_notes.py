"""Report section "Wat we horen in de wijk": local-knowledge notes about the area.

The notes are typed by people; the renderers escape them (HTML) or write them as plain text
(PDF), so a note with HTML or a script shows as typed.
"""

from __future__ import annotations

import pandas as pd

from geo.monitoring.notes import notes_for_area
from geo.report.context import ReportContext
from geo.report.document import Bullets, Paragraph, Section

MAX_NOTES = 12


def heard(ctx: ReportContext, notes: pd.DataFrame) -> Section:
    """The notes on the area, its wijken/buurten and its focus areas, newest first."""
    area = ctx.area
    mine = notes_for_area(
        notes, ctx.dataset, key=str(area["key"]), naam=ctx.naam, codes=list(area["codes"]),
        buurten=list(area["buurten"]),
    )
    if mine.empty:
        blocks: tuple[Paragraph | Bullets, ...] = (Paragraph(
            "Nog geen notities uit wijkgesprekken of van partners over dit gebied. Voeg ze toe "
            "op de pagina Monitoring of met 'wijkkompas notitie toevoegen'.", kind="note"),)
    else:
        items = []
        for row in mine.head(MAX_NOTES).itertuples():
            link = f" ({row.link})" if isinstance(row.link, str) and row.link else ""
            items.append(f"{row.datum} · {row.auteur or row.ingevoerd_door} over {row.over}: "
                         f"{row.tekst}{link}")
        blocks = (
            Bullets(tuple(items)),
            Paragraph(
                f"{len(mine)} notitie(s) uit wijkgesprekken en van partners"
                + (f", de nieuwste {MAX_NOTES} getoond" if len(mine) > MAX_NOTES else "")
                + ". Wat mensen vertellen, geen meting"
                + (" — DEMO: fictieve notities." if ctx.dataset.demo else "."),
                kind="note",
            ),
        )
    return Section(key="horen", title="Wat we horen in de wijk", blocks=blocks)
