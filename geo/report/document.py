"""The report as data: sections of paragraphs, bullet lists, tables and images.

The content is built once, in Dutch, with every number already formatted
(:mod:`geo.report.content`); the PDF and HTML renderers only lay it out, so both say exactly
the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``kind`` is ``text``, ``note`` (small, grey) or ``warning``."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Bullets:
    """A bullet list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells.

    Attributes
    ----------
    headers
        Column headers.
    rows
        Rows of formatted cells.
    widths
        Relative column widths (None: equal).
    numeric
        Per column: right-align (numbers).
    emphasis
        Row indices drawn bold (e.g. the chosen focus group).
    caption
        Source line under the table.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    numeric: tuple[bool, ...] | None = None
    emphasis: tuple[int, ...] = ()
    caption: str = ""


@dataclass(frozen=True)
class Image:
    """A PNG image with its caption (and the alternative text for HTML)."""

    png: bytes
    caption: str
    alt: str
    width: float = 1.0
    """Fraction of the text width."""


Block = Paragraph | Bullets | Table | Image


@dataclass(frozen=True)
class Section:
    """A titled section; ``key`` is its HTML id, ``new_page`` starts a PDF page."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    new_page: bool = False


@dataclass(frozen=True)
class Report:
    """A wijkpropositie: title, what it is about, and its sections.

    Attributes
    ----------
    title
        ``Wijkpropositie Overvecht``.
    subtitle
        Focus group and gemeente.
    meta
        Years, boundary vintage, creation date and version in one line.
    demo
        Fictional demo data: every page says DEMO.
    sections
        The content, in order.
    area, group
        The area's name and the focus group key (for file names).
    created
        Creation time.
    version
        Wijkkompas version.
    """

    title: str
    subtitle: str
    meta: str
    demo: bool
    sections: tuple[Section, ...]
    area: str
    group: str
    created: datetime
    version: str
    notes: tuple[str, ...] = field(default=())

    def section(self, key: str) -> Section:
        """The section with this key."""
        return next(s for s in self.sections if s.key == key)
