"""The wijkpropositie carries the area's notes under "Wat we horen in de wijk", escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.monitoring.store import NOTE_COLUMNS
from geo.report import build_report, report_bytes
from geo.report.html import report_html

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="alert(1)">'


def notes(*rows: tuple[str, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{"id": f"not-{i:06d}", "gebied": g, "tekst": t, "auteur": a, "datum": "2025-03-14",
          "link": None, "ingevoerd_door": "ann", "versie": 1}
         for i, (g, t, a) in enumerate(rows, start=1)],
        columns=NOTE_COLUMNS,
    )  # fmt: skip
    return frame


@pytest.fixture(scope="module")
def demo_layers(demo_dataset):
    from geo.aanbod import load_aanbod

    return load_aanbod(demo_dataset.path, areas=demo_dataset.areas).layers


def test_notes_section_is_escaped_in_html_and_plain_in_pdf(demo_dataset, demo_layers):
    local = notes(
        ("WK999902", PAYLOAD, "Wijkgesprek"),
        ("Molenkwartier", "Elders gehoord.", "Partner"),  # another area: not in this report
    )
    report = build_report(demo_dataset, demo_layers, "WK999902", local_notes=local)
    section = report.section("horen")
    assert section.title == "Wat we horen in de wijk"
    assert section.blocks[0].items == (f"2025-03-14 · Wijkgesprek over Noordhoek: {PAYLOAD}",)
    page = report_html(report)
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "Elders gehoord" not in page
    pdf, _name, _mime = report_bytes(report, "pdf")
    assert pdf.startswith(b"%PDF")


def test_no_notes_says_so_and_no_store_means_no_section(demo_dataset, demo_layers):
    empty = build_report(demo_dataset, demo_layers, "WK999902", local_notes=notes())
    assert "Nog geen notities" in empty.section("horen").blocks[0].text
    without = build_report(demo_dataset, demo_layers, "WK999902")
    assert "horen" not in [s.key for s in without.sections]
