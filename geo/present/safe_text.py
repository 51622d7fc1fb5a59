"""Make user-supplied text safe for output. Text is stored verbatim; escaping happens here.

* :func:`html_text` before anything reaches HTML (folium popups/tooltips, reports, markdown);
* :func:`neutralise_formula` before anything reaches a CSV or Excel cell.
"""

from __future__ import annotations

import html

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: object) -> str:
    """HTML-escape a value (``None``/NaN become ``""``).

    Examples
    --------
    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def neutralise_formula(value: object) -> object:
    r"""Prefix text that a spreadsheet would run as a formula with ``'``; numbers pass unchanged.

    Examples
    --------
    >>> neutralise_formula('=HYPERLINK("http://x","klik")')
    '\\'=HYPERLINK("http://x","klik")'
    >>> neutralise_formula(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
