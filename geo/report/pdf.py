"""The report as PDF (fpdf2), A4, with bookmarks, page numbers and DEMO on every page.

Text is set in DejaVu Sans (Unicode: €, –, ×, accents): Debian's ``fonts-dejavu-core`` when
installed, else the copy matplotlib ships. Without either, the built-in Helvetica is used and
characters outside Latin-1 are replaced by plain equivalents (– becomes -), with a warning.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from fpdf import FPDF, FontFace, XPos, YPos

from geo.report.document import Bullets, Image, Paragraph, Report, Section, Table

logger = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FAMILY = "DejaVu"
MARGIN = 15.0
TEXT_WIDTH = 210.0 - 2 * MARGIN
ACCENT = (165, 28, 48)
GREY = (90, 90, 90)
HEADER_FILL = (221, 228, 238)
PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "•": "-",
        "…": "...",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "≥": ">=",
        "≤": "<=",
        "€": "EUR",
        "·": "-",
    }
)


def report_pdf(report: Report) -> bytes:
    """Render a report as PDF.

    Examples
    --------
    >>> data = report_pdf(build_report(dataset, aanbod.layers, "Overvecht"))  # doctest: +SKIP
    >>> data[:5]  # doctest: +SKIP
    b'%PDF-'
    """
    pdf = _Document(report)
    pdf.title_page()
    for section in report.sections:
        pdf.section(section)
    return bytes(pdf.output())


def font_files() -> tuple[Path, Path] | None:
    """Regular and bold DejaVu Sans: Debian's fonts, else matplotlib's copy, else None."""
    candidates = list(FONT_DIRS)
    try:
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    for folder in candidates:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self, report: Report) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.set_margins(MARGIN, MARGIN + 4, MARGIN)
        self.set_auto_page_break(True, margin=18)
        fonts = font_files()
        if fonts is None:
            logger.warning("DejaVu Sans niet gevonden; PDF met Helvetica (alleen Latin-1)")
            self._family, self._unicode = "Helvetica", False
        else:
            self.add_font(FAMILY, "", str(fonts[0]))
            self.add_font(FAMILY, "B", str(fonts[1]))
            self._family, self._unicode = FAMILY, True
        self.set_title(self.clean(report.title + (" (DEMO)" if report.demo else "")))
        self.set_subject(self.clean(report.subtitle))
        self.set_author("Wijkkompas")
        self.set_creator(f"Wijkkompas {report.version}")
        self.set_keywords("wijkpropositie eenzaamheid" + (" DEMO" if report.demo else ""))
        self.set_lang("nl")

    # -- text helpers ----------------------------------------------------------------------
    def clean(self, text: str) -> str:
        """Text the current font can show."""
        if self._unicode:
            return text
        return text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0)):
        self.set_font(self._family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def write_text(self, text: str, *, size: float = 10, height: float = 5.0, **style) -> None:
        self.font(size, **style)
        self.multi_cell(0, height, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    # -- page furniture --------------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.font(8, colour=GREY)
        self.set_y(8)
        text = self.clean(f"{self.report.title} · {self.report.subtitle}")
        room = TEXT_WIDTH * (0.72 if self.report.demo else 1.0)
        while self.get_string_width(text) > room and len(text) > 10:
            text = text[:-2].rstrip() + "…" if self._unicode else text[:-4] + "..."
        self.cell(room, 4, text)
        if self.report.demo:
            self.font(8, bold=True, colour=ACCENT)
            self.set_x(MARGIN)
            self.cell(0, 4, self.clean("DEMO – fictieve gegevens"), align="R")
        self.set_draw_color(200, 200, 200)
        self.line(MARGIN, 13, 210 - MARGIN, 13)
        self.set_y(MARGIN + 4)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7.5, colour=GREY)
        left = f"Wijkkompas {self.report.version} · {self.report.created:%d-%m-%Y}"
        if self.report.demo:
            left += " · DEMO: fictieve gegevens, niet gebruiken voor beleid"
        self.cell(TEXT_WIDTH * 0.8, 4, self.clean(left))
        self.cell(TEXT_WIDTH * 0.2, 4, f"pagina {self.page_no()}/{{nb}}", align="R")

    # -- content ---------------------------------------------------------------------------
    def title_page(self) -> None:
        self.add_page()
        self.set_y(16)
        self.font(20, bold=True, colour=ACCENT)
        self.multi_cell(
            0, 9, self.clean(self.report.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.write_text(self.report.subtitle, size=11.5, height=6, bold=True)
        self.write_text(self.report.meta, size=8.5, height=4.5, colour=GREY)
        if self.report.demo:
            self.ln(2)
            self.set_fill_color(255, 224, 138)
            self.font(11, bold=True, colour=ACCENT)
            self.multi_cell(
                0,
                7,
                self.clean(
                    "DEMO – fictieve gegevens van een verzonnen stad. Niet gebruiken voor beleid."
                ),
                fill=True,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align="L",
            )
        self.ln(3)

    def section(self, section: Section) -> None:
        if section.new_page:
            self.add_page()
        elif self.get_y() > 250:
            self.add_page()
        self.start_section(self.clean(section.title))
        self.ln(1)
        self.font(14, bold=True, colour=ACCENT)
        self.cell(0, 8, self.clean(section.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Bullets):
                self.bullets(block)
            elif isinstance(block, Table):
                self.table_block(block)
            elif isinstance(block, Image):
                self.image_block(block)
            self.ln(2)

    def paragraph(self, block: Paragraph) -> None:
        if block.kind == "note":
            self.write_text(block.text, size=8, height=4, colour=GREY)
        elif block.kind == "warning":
            self.set_fill_color(255, 224, 138)
            self.font(10, bold=True, colour=ACCENT)
            self.multi_cell(
                0,
                6,
                self.clean(block.text),
                fill=True,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align="L",
            )
        else:
            self.write_text(block.text, size=10, height=5)

    def bullets(self, block: Bullets) -> None:
        self.font(10)
        for item in block.items:
            self.set_x(MARGIN)
            self.cell(5, 5, "•" if self._unicode else "-")
            self.multi_cell(0, 5, self.clean(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")

    def table_block(self, block: Table) -> None:
        columns = len(block.headers)
        widths = block.widths or tuple(1.0 for _ in range(columns))
        align = tuple(
            "RIGHT" if block.numeric and block.numeric[i] else "LEFT" for i in range(columns)
        )
        size = 8 if columns <= 5 else 7.5
        self.font(size)
        self.set_draw_color(190, 190, 190)
        self.set_fill_color(255, 255, 255)
        with self.table(
            cell_fill_mode="NONE",
            col_widths=widths,
            width=TEXT_WIDTH,
            text_align=align,
            line_height=size * 0.55,
            padding=(0.8, 1.2),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            header = table.row()
            for text in block.headers:
                header.cell(self.clean(text))
            bold = FontFace(emphasis="BOLD")
            for index, cells in enumerate(block.rows):
                row = table.row()
                for text in cells:
                    row.cell(self.clean(text), style=bold if index in block.emphasis else None)
        if block.caption:
            self.ln(1)
            self.write_text(block.caption, size=7.5, height=3.8, colour=GREY)

    def image_block(self, block: Image) -> None:
        width = TEXT_WIDTH * block.width
        self.image(io.BytesIO(block.png), x=MARGIN + (TEXT_WIDTH - width) / 2, w=width)
        self.write_text(block.caption, size=7.5, height=3.8, colour=GREY)
