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


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, pd.DataFrame] = {}
        self._caption: list[str] | None = None
        self._name = ""
        self._head: list[str] = []
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._head, self._rows = [], []
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self._rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name, self._caption = "".join(self._caption), None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None:
            (self._head if self._in_head else self._rows[-1]).append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self.tables[self._name] = pd.DataFrame(self._rows, columns=self._head)


def read_tables(html: str) -> dict[str, pd.DataFrame]:
    """The HTML tables in a page's HTML by caption, as frames of their (unescaped) text."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_read_tables_gives_back_what_html_table_wrote():
    frame = pd.DataFrame({"Buurt": ["<Zuilen>", "Taag & dreef"], "Eenzaam": ["51,6 %", ""]})
    tables = read_tables(html_table(frame, caption="Eenzaam", row_header="Buurt"))
    pd.testing.assert_frame_equal(tables["Eenzaam"], frame)
