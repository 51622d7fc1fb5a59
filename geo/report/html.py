"""The report as one self-contained HTML page: inline CSS, images as data URLs, all escaped.

Nothing is loaded from elsewhere, so the page can be mailed, archived or opened offline; it
prints on A4 (each "new page" section starts a printed page). Every text passes
:func:`~geo.present.safe_text.html_text`: names from partner files cannot inject markup.
"""

from __future__ import annotations

import base64

from geo.present.safe_text import html_text
from geo.present.tables import table_element
from geo.report.document import Bullets, Image, Paragraph, Report, Section, Table

CSS = """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:60rem;margin:1.5rem auto;
padding:0 1rem;color:#111;line-height:1.45}
h1{color:#a51c30;margin-bottom:.2rem}h2{color:#a51c30;border-bottom:1px solid #ddd;
padding-bottom:.2rem;margin-top:2rem}
.sub{font-weight:bold;margin:.2rem 0}.meta,.note,figcaption,caption{color:#555;font-size:.85rem}
.demo{background:#ffe08a;color:#9c0006;font-weight:bold;padding:.4rem .6rem;margin:.5rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
caption{caption-side:bottom;text-align:left;padding-top:.3rem}
th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#dde4ee}td.num{text-align:right;white-space:nowrap}tr.em td{font-weight:bold}
figure{margin:1rem 0;text-align:center}figure img{max-width:100%}
footer{margin-top:2rem;color:#555;font-size:.8rem;border-top:1px solid #ddd;padding-top:.5rem}
@media print{section.new-page{break-before:page}body{max-width:none}}
"""


def report_html(report: Report) -> str:
    """Render a report as a standalone HTML document (UTF-8 text).

    Examples
    --------
    >>> html = report_html(build_report(dataset, aanbod.layers, "Overvecht"))  # doctest: +SKIP
    >>> html.startswith("<!DOCTYPE html>")  # doctest: +SKIP
    True
    """
    title = report.title + (" (DEMO)" if report.demo else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="Wijkkompas {html_text(report.version)}">',
        f"<title>{html_text(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{html_text(report.title)}</h1>",
        f'<p class="sub">{html_text(report.subtitle)}</p>',
        f'<p class="meta">{html_text(report.meta)}</p>',
    ]
    if report.demo:
        parts.append(
            '<p class="demo">DEMO – fictieve gegevens van een verzonnen stad. '
            "Niet gebruiken voor beleid.</p>"
        )
    parts.append("</header>")
    parts.append("<main>")
    parts.extend(_section(section) for section in report.sections)
    parts.append("</main>")
    footer = f"Wijkkompas {report.version} · {report.created:%d-%m-%Y %H:%M} (UTC)"
    if report.demo:
        footer += " · DEMO: fictieve gegevens, niet gebruiken voor beleid"
    parts += [f"<footer>{html_text(footer)}</footer>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _section(section: Section) -> str:
    classes = ' class="new-page"' if section.new_page else ""
    body = "\n".join(_block(block) for block in section.blocks)
    return (
        f'<section id="{html_text(section.key)}"{classes}>\n'
        f"<h2>{html_text(section.title)}</h2>\n{body}\n</section>"
    )


def _block(block: Paragraph | Bullets | Table | Image) -> str:
    if isinstance(block, Paragraph):
        kind = {"note": ' class="note"', "warning": ' class="demo"'}.get(block.kind, "")
        return f"<p{kind}>{html_text(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{html_text(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    data = base64.b64encode(block.png).decode("ascii")
    width = f"{round(block.width * 100)}%"
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html_text(block.alt)}" '
        f'style="width:{width}"><figcaption>{html_text(block.caption)}</figcaption></figure>'
    )


def _table(block: Table) -> str:
    return table_element(
        block.headers,
        block.rows,
        caption=block.caption,
        numeric=block.numeric or (),
        row_classes={index: "em" for index in block.emphasis},
    )
