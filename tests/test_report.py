"""The wijkpropositie: PDF rendered to PNG (pages, not blank), HTML structure, real Utrecht."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from typer.testing import CliRunner

from geo.cli import app
from geo.errors import DataError
from geo.model.gebieden import Gebied
from geo.report import (
    build_report,
    reachable_aanbod,
    report_bytes,
    report_html,
    report_pdf,
    write_report,
)
from geo.report.document import Image, Table

runner = CliRunner()
NEW_PAGE_SECTIONS = [
    "Kerncijfers",
    "Behoefte in mensen",
    "Bereikbaar aanbod",
    "Bronnen en verantwoording",
]


@pytest.fixture(scope="module")
def demo_aanbod(demo_dataset):
    from geo.aanbod import load_aanbod

    return load_aanbod(
        demo_dataset.path, areas=demo_dataset.areas, gemeente_code=demo_dataset.gemeente_code
    )


@pytest.fixture(scope="module")
def demo_result(demo_dataset, demo_aanbod):
    from geo.analysis.pipeline import analyse

    return analyse(demo_dataset, demo_aanbod.layers, group="ouderen", hotspots=False)


@pytest.fixture(scope="module")
def demo_report(demo_dataset, demo_aanbod, demo_result):
    return build_report(
        demo_dataset, demo_aanbod.layers, "Noordhoek", group="ouderen", result=demo_result
    )


def render_pages(pdf: Path, tmp_path: Path) -> list[np.ndarray]:
    """Every page as a grey-scale array, rendered by poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) ontbreekt; installeer met make system-deps")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), str(tmp_path / "pagina")],
        check=True,
        timeout=120,
    )
    files = sorted(tmp_path.glob("pagina-*.png"))
    return [np.asarray(PILImage.open(f).convert("L"), dtype=float) for f in files]


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_renders_to_the_expected_pages_none_blank(demo_report, tmp_path):
    data = report_pdf(demo_report)
    path = tmp_path / "noordhoek.pdf"
    path.write_bytes(data)
    pages = render_pages(path, tmp_path)
    texts = page_texts(data)
    assert len(pages) == len(texts)
    # title page, then every "new page" section starts on a page of its own, in order
    starts = [next(i for i, t in enumerate(texts) if title in t) for title in NEW_PAGE_SECTIONS]
    assert starts == sorted(starts) and len(set(starts)) == len(starts) and starts[0] == 1
    assert len(pages) >= 1 + len(NEW_PAGE_SECTIONS)
    assert f"pagina 1/{len(pages)}" in texts[0]
    for index, page in enumerate(pages):
        assert page.std() > 10, f"pagina {index + 1} is leeg"
        height = page.shape[0]
        body = page[int(0.08 * height) : int(0.92 * height)]  # without header and footer
        assert (body < 128).mean() > 0.001, f"pagina {index + 1} heeft geen inhoud"
    # the map on the title page is an image with colour classes, not an empty frame
    figure = next(b for b in demo_report.section("samenvatting").blocks if isinstance(b, Image))
    pixels = np.asarray(PILImage.open(io.BytesIO(figure.png)).convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20


def test_pdf_text_says_demo_on_every_page_and_has_the_figures(demo_report, demo_dataset):
    texts = page_texts(report_pdf(demo_report))
    assert all("DEMO" in t for t in texts)
    wijk = demo_dataset.figures
    value = wijk[
        (wijk["code"] == "WK999902")
        & (wijk["indicator"] == "Eenzaam")
        & (wijk["group"] == "18+")
        & (wijk["year"] == 2020)
    ]["value"].item()
    joined = "\n".join(texts)
    assert f"{value:.1f}".replace(".", ",") + " %" in joined
    assert "Noordhoek" in joined and "Reigerhof" in joined
    reader = PdfReader(io.BytesIO(report_pdf(demo_report)))
    assert reader.metadata.title.endswith("(DEMO)")
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:2] == ["Samenvatting", "Kerncijfers"] and "Let op" in outline


def test_report_sections_hold_the_analysis(demo_report, demo_result, demo_aanbod):
    keys = [s.key for s in demo_report.sections]
    assert keys == [
        "samenvatting",
        "kerncijfers",
        "trend",
        "behoefte",
        "hiaat",
        "aanbod",
        "zonder-aanbod",
        "vervoer",
        "let-op",
        "bronnen",
    ]
    figures = next(b for b in demo_report.section("kerncijfers").blocks if isinstance(b, Table))
    assert figures.headers[2:5] == ("Noordhoek", "Gemeente", "Nederland")
    assert "Bron:" in figures.caption and "indeling" in figures.caption
    need = next(b for b in demo_report.section("behoefte").blocks if isinstance(b, Table))
    assert need.rows[need.emphasis[0]][0].startswith("65-plussers")
    buurten = demo_result.buurten.set_index("code")
    walking = buurten.index[buurten["catchment_m"] == 500].tolist()
    reachable = reachable_aanbod(demo_result, demo_aanbod.layers["activiteiten"], walking)
    assert len(reachable) and (reachable["afstand_m"] <= 500).all()  # the elderly catchment
    for code in walking[:5]:  # the same activities the analysis counted for the buurt
        one = reachable_aanbod(demo_result, demo_aanbod.layers["activiteiten"], [code])
        assert len(one) == buurten.loc[code, "reachable"]
    aanbod = next(b for b in demo_report.section("aanbod").blocks if isinstance(b, Table))
    distances = [int(row[-1].replace(".", "")) for row in aanbod.rows]
    assert distances == sorted(distances) and max(distances) <= 3000
    no_offer = demo_report.section("zonder-aanbod").blocks[0]
    assert isinstance(no_offer, Table) and no_offer.rows[0][0] == "Noorderpark"
    sources = next(b for b in demo_report.section("bronnen").blocks if isinstance(b, Table))
    assert any("rivm_50090NED_2020" in row[0] for row in sources.rows)


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.sections: list[str] = []
        self.images: list[str] = []
        self.title = ""
        self.h1 = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.sections.append(attributes.get("id", ""))
        if tag == "img":
            self.images.append(attributes.get("src", ""))
        self._in = tag if tag in ("title", "h1") else None

    def handle_endtag(self, tag):  # noqa: ANN001
        self._in = None

    def handle_data(self, data):  # noqa: ANN001
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


def test_html_report_structure_and_escaping(demo_dataset, demo_aanbod, demo_result, tmp_path):
    evil_name = '<script>alert("x")</script> & Co'
    layers = dict(demo_aanbod.layers)
    served = demo_result.buurten[demo_result.buurten["reachable"] > 0]
    code = str(served["code"].iloc[0])
    reachable = reachable_aanbod(demo_result, layers["activiteiten"], [code])
    activities = layers["activiteiten"].copy()
    activities.loc[activities["id"] == reachable["id"].iloc[0], "naam"] = evil_name
    layers["activiteiten"] = activities
    dataset = dataclasses.replace(
        demo_dataset,
        gebieden={**demo_dataset.gebieden, "<b>Buurt</b>": Gebied("<b>Buurt</b>", (code,))},
    )
    report = build_report(dataset, layers, "<b>Buurt</b>", group="ouderen")
    path = write_report(report, tmp_path / "rapport.html")
    html = path.read_text(encoding="utf-8")
    parser = Structure()
    parser.feed(html)
    assert parser.title == "Wijkpropositie <b>Buurt</b> (DEMO)"
    assert parser.h1 == "Wijkpropositie <b>Buurt</b>"
    assert parser.tags.count("h1") == 1 and "script" not in parser.tags and "b" not in parser.tags
    assert parser.sections == [s.key for s in report.sections]
    assert parser.images and all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "DEMO – fictieve gegevens" in html
    assert "http" not in html.split("<main>")[0]  # nothing loaded from elsewhere


def test_report_refuses_unknown_area_group_and_format(demo_dataset, demo_aanbod, demo_report):
    with pytest.raises(DataError, match="niet gevonden") as caught:
        build_report(demo_dataset, demo_aanbod.layers, "Noordhoe", group="ouderen")
    assert "Noordhoek" in str(caught.value)  # a suggestion
    with pytest.raises(DataError, match="doelgroep"):
        build_report(demo_dataset, demo_aanbod.layers, "Noordhoek", group="kinderen")
    with pytest.raises(DataError, match="PDF of HTML"):
        write_report(demo_report, "rapport.docx")
    data, name, mime = report_bytes(demo_report, "html")
    assert name == "wijkpropositie_noordhoek_ouderen_DEMO.html" and mime == "text/html"
    assert data.decode("utf-8") == report_html(demo_report)


def test_pdf_without_dejavu_falls_back_to_latin1(demo_report, monkeypatch):
    monkeypatch.setattr("geo.report.pdf.font_files", lambda: None)
    texts = page_texts(report_pdf(demo_report))
    assert "Wijkpropositie Noordhoek" in texts[0]
    assert "DEMO - fictieve gegevens" in texts[0]  # the dash replaced, the warning kept


def test_rapport_cli_on_demo_html(tmp_path):
    from tests.conftest import DEMO

    out = tmp_path / "molenkwartier.html"
    result = runner.invoke(
        app,
        [
            "rapport",
            str(DEMO),
            "--gebied",
            "Molenkwartier",
            "--groep",
            "jongvolwassenen",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "DEMO" in result.output
    html = out.read_text(encoding="utf-8")
    assert "jongvolwassenen (18-27 jaar)" in html and "Molenkwartier" in html
    bad = runner.invoke(app, ["rapport", str(DEMO), "--gebied", "Molenkwartier", "--out", "x.txt"])
    assert isinstance(bad.exception, DataError)


@pytest.mark.shared
def test_rapport_cli_overvecht_pdf_has_the_real_figures(utrecht_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        [
            "rapport",
            str(utrecht_dir),
            "--gebied",
            "Overvecht",
            "--groep",
            "ouderen",
            "--out",
            "overvecht.pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    texts = page_texts((tmp_path / "overvecht.pdf").read_bytes())
    joined = "\n".join(texts)
    assert "Overvecht" in joined
    assert "58,2 %" in joined  # Overvecht 2020, 18+ (RIVM)
    assert "48,9 %" in joined  # gemeente Utrecht
    assert "47,0 %" in joined  # Nederland
    assert "DEMO" not in joined
    assert "Gemeente Utrecht" in joined and "CC BY 4.0" in joined
    flat = " ".join(joined.split())
    assert "Het aanbod bevat geen ontmoetingsplekken" in flat
    assert "dit hiaat zegt iets over de gegevens, niet over de wijk" in flat
    assert "Hoe zeker is deze rang? Robuust (rang 1)." in flat


def test_report_gap_section_certainty_and_completeness(demo_dataset, demo_aanbod, demo_result):
    from geo.report.document import Paragraph

    hiaat = build_report(
        demo_dataset, demo_aanbod.layers, "Noordhoek", group="ouderen", result=demo_result
    ).section("hiaat")
    texts = [b.text for b in hiaat.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("Hoe zeker is deze rang?") and "grootste hiaten" in t for t in texts)
    table = next(b for b in hiaat.blocks if isinstance(b, Table) and b.headers[0] == "Buurt")
    assert table.headers[5] == "Zekerheid"
    assert all(
        row[5].split(" (")[0] in ("robuust", "mogelijk", "niet onderscheidend")
        for row in table.rows
    )
    assert not any("bevat geen" in t for t in texts)  # the demo offer is complete
    layers = dict(demo_aanbod.layers)
    acts = layers["activiteiten"]
    layers["activiteiten"] = acts[acts["soort"] != "ontmoeting"]
    report = build_report(demo_dataset, layers, "Noordhoek", group="ouderen")
    warnings = [
        b.text
        for b in report.section("hiaat").blocks
        if isinstance(b, Paragraph) and b.kind == "warning"
    ]
    assert warnings == [
        "Het aanbod bevat geen ontmoetingsplekken: dit hiaat zegt iets over de gegevens, "
        "niet over de wijk."
    ]
    coverage = [b for b in report.section("aanbod").blocks if isinstance(b, Table)][-1]
    assert coverage.headers[-1] == "Dekking"
    assert dict((r[0], r[-1]) for r in coverage.rows)["Ontmoeting / inloop"] == "geen"


def test_build_report_reports_progress(demo_dataset, demo_aanbod, demo_result):
    steps: list[str] = []
    build_report(
        demo_dataset,
        demo_aanbod.layers,
        "WK999902",
        group="ouderen",
        result=demo_result,
        progress=steps.append,
    )
    assert steps == ["gebiedsprofiel", "kaart en rapport"]  # the analysis was given: not rerun
