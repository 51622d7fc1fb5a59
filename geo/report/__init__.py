"""The wijkpropositie: a report on one area and focus group, as PDF and as HTML.

Typical use (CLI, the dashboard's "Maak wijkpropositie" button)::

    report = build_report(dataset, aanbod.layers, "Overvecht", group="ouderen")
    pdf_bytes = report_pdf(report)          # or report_html(report) -> str
    write_report(report, "overvecht.pdf")   # format from the suffix (.pdf or .html)
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import DataError
from geo.report.content import build_report, reachable_aanbod
from geo.report.document import Report
from geo.report.html import report_html
from geo.report.pdf import report_pdf

__all__ = [
    "Report",
    "build_report",
    "reachable_aanbod",
    "report_bytes",
    "report_file_name",
    "report_html",
    "report_pdf",
    "write_report",
]


def report_bytes(report: Report, formaat: str = "pdf") -> tuple[bytes, str, str]:
    """The report as bytes, with a file name and MIME type (for a download button).

    Examples
    --------
    >>> data, name, mime = report_bytes(report, "pdf")  # doctest: +SKIP
    >>> name  # doctest: +SKIP
    'wijkpropositie_overvecht_ouderen.pdf'
    """
    key = formaat.strip().lower().lstrip(".")
    if key == "pdf":
        return report_pdf(report), report_file_name(report, ".pdf"), "application/pdf"
    if key in ("html", "htm"):
        return (
            report_html(report).encode("utf-8"),
            report_file_name(report, ".html"),
            "text/html",
        )
    raise DataError("onbekend rapportformaat.", value=formaat, hint="kies pdf of html.")


def write_report(report: Report, path: str | Path) -> Path:
    """Write the report; the suffix (``.pdf`` or ``.html``) chooses the format.

    Raises
    ------
    DataError
        Any other suffix.

    Examples
    --------
    >>> write_report(report, "overvecht.pdf")  # doctest: +SKIP
    PosixPath('overvecht.pdf')
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise DataError(
            "het rapport kan alleen als PDF of HTML worden geschreven.",
            file=target,
            hint="laat de bestandsnaam eindigen op .pdf of .html.",
        )
    data, _, _ = report_bytes(report, suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def report_file_name(report: Report, suffix: str) -> str:
    """``wijkpropositie_<gebied>_<groep>[_DEMO]<suffix>``.

    Examples
    --------
    >>> from datetime import datetime
    >>> r = Report("Wijkpropositie Overvecht", "", "", False, (), "Overvecht", "ouderen",
    ...            datetime(2024, 1, 1), "0.1.0")
    >>> report_file_name(r, ".pdf")
    'wijkpropositie_overvecht_ouderen.pdf'
    """
    import re

    slug = re.sub(r"[^a-z0-9]+", "_", report.area.casefold()).strip("_")[:40]
    parts = ["wijkpropositie", slug, report.group.replace("-", "_")]
    if report.demo:
        parts.append("DEMO")
    return "_".join(p for p in parts if p) + suffix
