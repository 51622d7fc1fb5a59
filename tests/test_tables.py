"""Accessible HTML tables: caption, header cells, escaping, a focusable scrolling region."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pandas as pd

from geo.present.tables import html_table


class Cells(HTMLParser):
    """Collects (tag, attributes, text) of the table's cells and its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self.regions: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            self.regions.append(dict(attrs))
        if tag in ("th", "td", "caption"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found.append((*self._open, data))
            self._open = None

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and self._open[0] == tag:  # an empty cell
            self.found.append((*self._open, ""))
            self._open = None


def parse(html: str) -> Cells:
    cells = Cells()
    cells.feed(html)
    return cells


def test_a_table_has_its_caption_headers_and_row_headers():
    frame = pd.DataFrame(
        {"Buurt": ["Taagdreef", "Zuilen"], "Code": ["BU1", "BU2"], "Eenzaam": ["61,0 %", "–"]}
    )
    cells = parse(
        html_table(frame, caption="Eenzaam per buurt", numeric=["Eenzaam"], row_header="Buurt")
    )
    assert cells.found[0] == ("caption", {}, "Eenzaam per buurt")
    headers = [(a.get("scope"), text) for tag, a, text in cells.found if tag == "th"][:3]
    assert headers == [("col", "Buurt"), ("col", "Code"), ("col", "Eenzaam")]
    rows = [(tag, a.get("scope"), text) for tag, a, text in cells.found[4:]]
    assert rows == [
        ("th", "row", "Taagdreef"), ("td", None, "BU1"), ("td", None, "61,0 %"),
        ("th", "row", "Zuilen"), ("td", None, "BU2"), ("td", None, "–"),
    ]  # fmt: skip
    numeric = [text for _tag, a, text in cells.found if a.get("class") == "num"]
    assert numeric == ["Eenzaam", "61,0 %", "–"]
    # a region that takes the keyboard focus and is named by the caption
    assert cells.regions == [
        {"class": "wk-tabel", "role": "region", "aria-label": "Eenzaam per buurt", "tabindex": "0"}
    ]


def test_every_cell_and_the_caption_are_escaped():
    name = '<img src=x onerror="alert(1)">'
    html = html_table(pd.DataFrame({"Naam": [name], "x": [math.nan]}), caption=f'a "{name}"')
    assert "<img" not in html and "onerror=&quot;" in html
    assert 'aria-label="a &quot;&lt;img' in html  # the attribute cannot be closed
    cells = parse(html)
    assert ("td", {}, name) in cells.found and ("td", {}, "") in cells.found  # NaN: empty
