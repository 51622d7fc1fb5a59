"""A table as accessible HTML: a real ``<table>`` with its caption, headers and row headers.

Streamlit's ``st.dataframe`` draws a grid on a canvas: fast for 10,000 rows, but without a
table's semantics (no ``<caption>``, no header cells a screen reader announces) and, on a page
that has no other grid, 1,2 MB of JavaScript loaded before the map next to it appears. A
table of a city's wijken or buurten is small enough to send as HTML instead:
:func:`html_table` makes it, every cell escaped, scrollable within a region that takes the
keyboard focus (WCAG 2.1.1; axe ``scrollable-region-focusable``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from geo.present.safe_text import html_text

HTML_ROWS_MAX = 400
"""Up to this many rows a page shows a table as HTML; above, as Streamlit's grid."""


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    numeric: Sequence[str] = (),
    row_header: str | None = None,
) -> str:
    """The frame as an HTML table in a focusable, scrollable region named by its caption.

    Parameters
    ----------
    frame
        The rows and columns shown, as text or numbers (shown as they are: format first).
    caption
        What the table is (its ``<caption>`` and the region's name).
    numeric
        Columns aligned right (figures).
    row_header
        The column whose cell names the row (``<th scope="row">``), e.g. the area's name.

    Examples
    --------
    >>> html = html_table(pd.DataFrame({"Buurt": ["<b>"], "Eenzaam": ["51,6 %"]}),
    ...                   caption="Eenzaam per buurt", numeric=["Eenzaam"], row_header="Buurt")
    >>> "<caption>Eenzaam per buurt</caption>" in html, '<th scope="row">&lt;b&gt;</th>' in html
    (True, True)
    """
    right = set(numeric)
    head = "".join(f'<th scope="col"{_num(c in right)}>{html_text(c)}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
            tag = "th" if column == row_header else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cells.append(f"<{tag}{scope}{_num(column in right)}>{html_text(text)}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    name = html_text(caption)
    return (
        f'<div class="wk-tabel" role="region" aria-label="{name}" tabindex="0">'
        f"<table><caption>{name}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""
