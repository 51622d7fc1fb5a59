"""CSV, Excel and HTML-map export: Dutch labels, Bronnen, formula injection, DEMO labels."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import geopandas as gpd
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point, box

from geo.export import ExportBundle, LayerMeta, collect_layers, export_bytes, write_export
from geo.export.styles import categorized, graduated, single
from geo.export.tabular import csv_bytes, safe_cell

EVIL = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture(scope="module")
def demo_bundle(demo_dataset):
    from geo.aanbod import load_aanbod

    aanbod = load_aanbod(
        demo_dataset.path, areas=demo_dataset.areas, gemeente_code=demo_dataset.gemeente_code
    )
    return collect_layers(demo_dataset, aanbod)


def evil_bundle() -> ExportBundle:
    areas = gpd.GeoDataFrame(
        {
            "code": ["BU09990101"],
            "naam": [EVIL],
            "waarde": [12.25],
            "saldo": [-3.5],
            "tekst": ["-3,5"],
            "aantal": [1240.0],
        },
        geometry=[box(150_000, 460_000, 151_000, 461_000)],
        crs="EPSG:28992",
    )
    points = gpd.GeoDataFrame(
        {
            "naam": ["@SUM(A1)", "+31 30 123"],
            "soort": ["ontmoeting", "bewegen"],
            "opmerking": ["-2+3", None],
        },
        geometry=[Point(150_500, 460_500), None],
        crs="EPSG:28992",
    )
    return ExportBundle(
        layers={"gebieden": areas, "activiteiten": points},
        meta={
            "gebieden": LayerMeta(
                title="Gebieden",
                source="Test",
                style=graduated(areas["waarde"], column="waarde", title="Waarde", unit="%"),
                labels={"naam": "Naam", "waarde": "Waarde (%)", "saldo": "Saldo"},
            ),
            "activiteiten": LayerMeta(
                title="Activiteiten",
                source="Test",
                style=categorized("soort", title="Soort", colours={}, labels={"ontmoeting": "O"}),
            ),
        },
        titel="Testdorp",
    )


def read_csv(data: bytes, delimiter: str) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())  # UTF-8 with BOM, for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_injection_neutralised_numbers_kept(tmp_path):
    out = write_export(evil_bundle(), tmp_path / "csv", "csv", decimal_comma=True)
    rows = read_csv((out / "gebieden.csv").read_bytes(), ";")
    row = rows[0]
    assert row["Naam"] == "'" + EVIL
    assert row["Saldo"] == "-3,5"  # a real negative number stays a number (decimal comma)
    assert row["Waarde (%)"] == "12,25"
    assert row["tekst"] == "-3,5"  # text that is just a number is left alone
    assert row["aantal"] == "1240"  # whole numbers without ",0"
    points = read_csv((out / "activiteiten.csv").read_bytes(), ";")
    assert points[0]["Naam"] == "'@SUM(A1)"
    assert points[1]["Naam"] == "'+31 30 123"
    assert points[0]["Opmerking"] == "'-2+3"
    assert points[0]["X (RD, m)"] == "150500"  # coordinates of points, empty when unknown
    assert points[1]["X (RD, m)"] == ""
    assert float(points[0]["Lengtegraad (WGS84)"].replace(",", ".")) == pytest.approx(5.3, 0.05)


def test_csv_default_is_comma_and_decimal_point():
    rows = read_csv(csv_bytes(evil_bundle(), "gebieden"), ",")
    assert rows[0]["Waarde (%)"] == "12.25" and rows[0]["Saldo"] == "-3.5"
    assert safe_cell(-3.5) == -3.5 and safe_cell("\t=1") == "'\t=1"


def test_xlsx_sheets_labels_bronnen_and_no_formulas(tmp_path):
    path = write_export(evil_bundle(), tmp_path / "uit.xlsx", "xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Bronnen", "Gebieden", "Activiteiten"]
    sheet = book["Gebieden"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["CBS-code", "Naam", "Waarde (%)"]
    name, value, saldo = sheet["B2"], sheet["C2"], sheet["D2"]
    assert name.data_type == "s" and name.value == "'" + EVIL
    assert value.value == 12.25 and value.number_format == "0.0"
    assert saldo.value == -3.5 and saldo.data_type == "n"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)
    sources = [c.value for c in book["Bronnen"]["A"] if c.value]
    assert sources[0] == "Wijkkompas-export: Testdorp"
    assert "Licenties en naamsvermelding" in sources
    assert any(str(v).startswith("CBS") for v in sources)


def test_xlsx_demo_workbook_says_demo_everywhere(demo_bundle):
    data, name, _ = export_bytes(demo_bundle, "xlsx")
    assert name == "wijkkompas_demostad_fictief_demo_DEMO.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.properties.title.endswith("niet gebruiken voor beleid")
    assert "DEMO" in book.properties.title
    assert book.sheetnames[0] == "Bronnen"
    expected = [demo_bundle.meta[n].sheet or demo_bundle.meta[n].title for n in demo_bundle.layers]
    assert book.sheetnames[1:] == expected
    assert book["Bronnen"]["A2"].value.startswith("DEMO")
    buurten = book["Buurten"]
    headers = [c.value for c in buurten[1]]
    assert "Eenzaam 18+ 2020 (%)" in headers and "Let op" in headers
    let_op = headers.index("Let op") + 1
    assert all(
        str(buurten.cell(r, let_op).value).startswith("DEMO") for r in range(2, buurten.max_row + 1)
    )
    table = [[c.value for c in row] for row in book["Bronnen"].iter_rows()]
    layers_header = next(i for i, row in enumerate(table) if row[0] == "Laag")
    listed = [row[0] for row in table[layers_header + 1 : layers_header + 1 + len(expected)]]
    assert listed == list(demo_bundle.layers)


def test_csv_zip_download_has_bronnen_and_leesmij(demo_bundle):
    data, name, mime = export_bytes(demo_bundle.select(["wijken"]), "csv", decimal_comma=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"DEMO_wijken.csv", "DEMO_bronnen.csv", "LEESMIJ.txt"}
        readme = archive.read("LEESMIJ.txt").decode("utf-8")
        rows = read_csv(archive.read("DEMO_wijken.csv"), ";")
    assert "DEMO" in readme and "CC BY 4.0" in readme and "indeling" in readme
    assert len(rows) == len(demo_bundle.layers["wijken"])
    assert "," in rows[0]["Eenzaam 18+ 2020 (%)"]


class Structure(HTMLParser):
    """Collects title, scripts with a src (external loads) and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.external.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.external.append(attributes["href"])

    def handle_data(self, data):  # noqa: ANN001
        self.text.append(data)


def test_html_map_is_standalone_escaped_and_says_demo(demo_bundle, tmp_path):
    evil = demo_bundle.layers["activiteiten"].copy()
    evil.loc[evil.index[0], "naam"] = "<img src=x onerror=alert(1)>"
    bundle = ExportBundle(
        layers={
            **demo_bundle.select(["buurten", "aandachtsgebieden"]).layers,
            "activiteiten": evil,
        },
        meta=demo_bundle.meta,
        titel=demo_bundle.titel,
        demo=True,
    )
    path = write_export(bundle, tmp_path / "kaart.html", "html")
    html = path.read_text(encoding="utf-8")
    parser = Structure()
    parser.feed(html)
    assert "title" in parser.tags
    assert parser.external == []  # Leaflet is inside the file: works without the dashboard
    assert "L.map(" in html
    assert "<img src=x" not in html
    text = " ".join(parser.text)
    assert "DEMO – fictieve gegevens" in text
    assert "Eenzaam 18+ 2020" in text
    assert "OpenStreetMap" in html


def test_html_map_of_only_outlines(tmp_path):
    frame = gpd.GeoDataFrame(
        {"naam": ["Gebied"]}, geometry=[box(150_000, 460_000, 151_000, 461_000)], crs=28992
    )
    bundle = ExportBundle(
        layers={"gebied": frame},
        meta={
            "gebied": LayerMeta(
                "Gebied", "Test", style=single("polygon", title="G", colour="#000000", outline=True)
            )
        },
        titel="Test",
    )
    data, name, mime = export_bytes(bundle, "html")
    assert mime == "text/html" and name == "wijkkompas_test.html"
    assert b"Gebied" in data and b"DEMO" not in data
