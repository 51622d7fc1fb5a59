"""A table as accessible HTML: a real ``<table>`` with its caption, headers and row headers.

Streamlit's ``st.dataframe`` draws a grid on a canvas: fast for 10,000 rows, but without a
table's semantics (no ``<caption>``, no header cells a screen reader announces) and, on a page
that has no other grid, 1,2 MB of JavaScript loaded before the map next to it appears. A
table of a city's wijken or buurten is small enough to send as HTML instead:
:func:`html_table` makes it, every cell escaped, scrollable within a region that takes the
keyboard focus (WCAG 2.1.1; axe ``scrollable-region-focusable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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
    columns = list(frame.columns)
    table = table_element(
        columns,
        frame.itertuples(index=False, name=None),
        caption=caption,
        numeric=[c in set(numeric) for c in columns],
        row_header=columns.index(row_header) if row_header in columns else None,
    )
    return (
        f'<div class="wk-tabel" role="region" aria-label="{html_text(caption)}" tabindex="0">'
        f"{table}</div>"
    )


def table_element(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    caption: str = "",
    numeric: Sequence[bool] = (),
    row_header: int | None = None,
    row_classes: Mapping[int, str] | None = None,
) -> str:
    """A ``<table>``: escaped caption (none when empty), column headers and cells.

    ``numeric`` per column (class ``num``: aligned right); ``row_header`` the position of the
    column whose cells are ``<th scope="row">``; ``row_classes`` a class per row position
    (the wijkpropositie's emphasised rows). Every text is escaped (:func:`html_text`;
    ``None``/NaN become empty cells).

    Examples
    --------
    >>> table_element(["Soort", "Aantal"], [["Eten", 3]], numeric=[False, True])
    '<table><thead><tr><th scope="col">Soort</th><th scope="col" class="num">Aantal</th></tr>\
</thead><tbody><tr><td>Eten</td><td class="num">3</td></tr></tbody></table>'
    """
    right = list(numeric) or [False] * len(headers)
    classes = row_classes or {}
    head = "".join(
        f'<th scope="col"{_num(right[i])}>{html_text(h)}</th>' for i, h in enumerate(headers)
    )
    body = []
    for position, cells in enumerate(rows):
        parts = []
        for i, value in enumerate(cells):
            tag, scope = ("th", ' scope="row"') if i == row_header else ("td", "")
            parts.append(f"<{tag}{scope}{_num(right[i])}>{html_text(value)}</{tag}>")
        css = f' class="{classes[position]}"' if position in classes else ""
        body.append(f"<tr{css}>{''.join(parts)}</tr>")
    title = f"<caption>{html_text(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""
