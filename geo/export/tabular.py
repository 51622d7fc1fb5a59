"""CSV and Excel export: Dutch column labels, a "Bronnen" sheet, no formula injection.

* CSV is UTF-8 with a byte-order mark (Excel recognises the encoding); with
  ``decimal_comma=True`` it uses ``;`` between fields and a decimal comma, as Dutch Excel
  expects.
* Excel: one sheet per layer and a "Bronnen" sheet (sources, years, boundary vintages,
  methods, licences, export time, version; DEMO for demo data).
* Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return) is prefixed with ``'``; numbers stay numbers, and text that is just
  a number (``-3,5``) is left alone. Geometry is not exported to tables; point layers get
  their RD and WGS84 coordinates as columns.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from geo.export.attribution import attributions
from geo.export.bundle import DEMO_LABEL, METADATA_LABELS, ExportBundle
from geo.export.labels import COLUMN_LABELS
from geo.io.crs import WGS84
from geo.present.safe_text import neutralise_formula

logger = logging.getLogger(__name__)

PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
EXCEL_MAX_CELL = 32_767
SOURCE_LABELS = {
    "bestand": "Bestand",
    "soort": "Soort",
    "titel": "Titel",
    "jaar": "Jaar",
    "indeling": "Indeling",
    "rijen": "Rijen",
    "bron": "Bron",
}
BOM = "\ufeff".encode()
BOOL_TEXT = {True: "ja", False: "nee"}
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
DEMO_FILL = PatternFill("solid", fgColor="FFE08A")


def safe_cell(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula.

    Examples
    --------
    >>> print(safe_cell('=HYPERLINK("http://x","klik")'))
    '=HYPERLINK("http://x","klik")
    >>> safe_cell(-3.5), safe_cell("-3,5"), safe_cell("@SUM(A1)")
    (-3.5, '-3,5', "'@SUM(A1)")
    """
    if isinstance(value, str) and PLAIN_NUMBER.match(value):
        return value
    return neutralise_formula(value)


def table(bundle: ExportBundle, name: str, *, labels: bool = True) -> pd.DataFrame:
    """One layer as a plain table: no geometry, coordinates for points, safe text.

    Parameters
    ----------
    bundle
        The export.
    name
        Layer name.
    labels
        Use the Dutch column labels as headers (False: the column names).

    Examples
    --------
    >>> table(bundle, "activiteiten").columns[:2].tolist()  # doctest: +SKIP
    ['Id', 'Naam']
    """
    frame = bundle.layers[name]
    meta = bundle.meta[name]
    geometry = frame.geometry.name
    out = pd.DataFrame(frame.drop(columns=geometry))
    if _is_points(frame):
        out = pd.concat([out, _coordinates(bundle.in_rd(name))], axis=1)
    if bundle.demo and "let_op" not in out:
        out["let_op"] = DEMO_LABEL
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            out[column] = series.map(BOOL_TEXT)
        elif pd.api.types.is_float_dtype(series.dtype):
            present = series.dropna()
            percent = "%" in (meta.labels.get(column) or COLUMN_LABELS.get(column, ""))
            whole = not percent and len(present) > 0 and bool((present == present.round()).all())
            out[column] = series.astype("Int64") if whole else series.round(6)
        elif not pd.api.types.is_numeric_dtype(series.dtype):
            out[column] = series.astype(object).map(_text_cell)
    if labels:
        out.columns = _unique([meta.labels.get(c) or COLUMN_LABELS.get(c, c) for c in out.columns])
    return out


def csv_bytes(bundle: ExportBundle, name: str, *, decimal_comma: bool = False) -> bytes:
    """One layer as CSV (UTF-8 with BOM).

    Parameters
    ----------
    decimal_comma
        ``;`` between fields and a decimal comma (Dutch Excel); default ``,`` and ``.``.

    Examples
    --------
    >>> csv_bytes(bundle, "buurten", decimal_comma=True).startswith(BOM)  # doctest: +SKIP
    True
    """
    frame = table(bundle, name)
    text = frame.to_csv(
        index=False,
        sep=";" if decimal_comma else ",",
        decimal="," if decimal_comma else ".",
        lineterminator="\r\n",
    )
    return text.encode("utf-8-sig")


def sources_table(bundle: ExportBundle) -> pd.DataFrame:
    """The layers' metadata with Dutch headers (for ``bronnen.csv`` and the Bronnen sheet)."""
    meta = bundle.metadata_table()
    return meta.rename(columns=METADATA_LABELS).map(safe_cell)


def write_csv(bundle: ExportBundle, path: str | Path, *, decimal_comma: bool = False) -> Path:
    """One CSV per layer plus ``bronnen.csv``, in a folder or a ``.zip``.

    Parameters
    ----------
    path
        A folder (created when needed) or a file ending in ``.zip``.

    Returns
    -------
    Path

    Examples
    --------
    >>> write_csv(bundle, "export/", decimal_comma=True)  # doctest: +SKIP
    """
    files = csv_files(bundle, decimal_comma=decimal_comma)
    return _write_files(files, Path(path))


def csv_files(bundle: ExportBundle, *, decimal_comma: bool = False) -> dict[str, bytes]:
    """File name -> CSV bytes for every layer, plus ``bronnen.csv`` (and ``LEESMIJ.txt``)."""
    prefix = "DEMO_" if bundle.demo else ""
    files = {
        f"{prefix}{name}.csv": csv_bytes(bundle, name, decimal_comma=decimal_comma)
        for name in bundle.layers
    }
    files[f"{prefix}bronnen.csv"] = (
        sources_table(bundle)
        .to_csv(
            index=False,
            sep=";" if decimal_comma else ",",
            decimal="," if decimal_comma else ".",
            lineterminator="\r\n",
        )
        .encode("utf-8-sig")
    )
    files["LEESMIJ.txt"] = readme(bundle).encode("utf-8")
    return files


def readme(bundle: ExportBundle) -> str:
    """A plain-text note with the dataset, export time, sources and licences."""
    lines = [f"Wijkkompas-export: {bundle.label}", ""]
    lines.append(f"Geëxporteerd: {bundle.created.isoformat()} (UTC), Wijkkompas {bundle.version}")
    lines.append("Coördinaten: RD New (EPSG:28992); GeoJSON in WGS84 (EPSG:4326).")
    if bundle.suppression:
        lines.append(f"Kleine aantallen: {bundle.suppression}.")
    lines.append("")
    for name, meta in bundle.meta.items():
        if name not in bundle.layers:
            continue
        lines.append(f"{name}: {meta.title}")
        lines.append(f"  bron: {meta.source}")
        lines.append(f"  jaar: {meta.year}; indeling: {meta.vintage}")
        if meta.method:
            lines.append(f"  methode: {meta.method}")
        for note in meta.notes:
            lines.append(f"  let op: {note}")
    lines += ["", "Licenties en naamsvermelding:"]
    lines += [f"- {line}" for line in attributions(_texts(bundle), demo=bundle.demo)]
    if bundle.notes:
        lines += ["", "Meldingen:"] + [f"- {note}" for note in bundle.notes]
    return "\n".join(lines) + "\n"


def xlsx_bytes(bundle: ExportBundle) -> bytes:
    """The whole export as one Excel workbook: a "Bronnen" sheet and one sheet per layer.

    Examples
    --------
    >>> from openpyxl import load_workbook  # doctest: +SKIP
    >>> load_workbook(io.BytesIO(xlsx_bytes(bundle))).sheetnames[0]  # doctest: +SKIP
    'Bronnen'
    """
    book = Workbook()
    sources = book.active
    sources.title = "Bronnen"
    used = {"Bronnen"}
    sheet_names = {}
    for name in bundle.layers:
        meta = bundle.meta[name]
        sheet = _sheet_name(meta.sheet or meta.title, used)
        used.add(sheet)
        sheet_names[name] = sheet
        _write_sheet(book.create_sheet(sheet), table(bundle, name), bundle.demo)
    _write_sources(sources, bundle, sheet_names)
    book.properties.title = bundle.label
    book.properties.creator = f"Wijkkompas {bundle.version}"
    book.properties.description = (
        f"Export van {bundle.label} op {bundle.created.isoformat()} (UTC)."
    )
    if bundle.demo:
        book.properties.subject = DEMO_LABEL
        book.properties.keywords = "DEMO"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(bundle: ExportBundle, path: str | Path) -> Path:
    """Write :func:`xlsx_bytes` to a file.

    Examples
    --------
    >>> write_xlsx(bundle, "wijkkompas.xlsx")  # doctest: +SKIP
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(xlsx_bytes(bundle))
    logger.info("Excel %s: %d bladen", target, len(bundle.layers) + 1)
    return target


def _write_sheet(sheet, frame: pd.DataFrame, demo: bool) -> None:  # noqa: ANN001
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in frame.itertuples(index=False):
        sheet.append([_excel_value(v) for v in row])
    widths = [
        min(60, max(10, len(str(c)) // 2 + 2, *(len(str(v)) for v in frame[c].head(200))))
        for c in frame.columns
    ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        _number_format(sheet, index, frame.columns[index - 1], frame.iloc[:, index - 1])
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions
    if demo:
        sheet.sheet_properties.tabColor = "FFC000"


def _number_format(sheet, index: int, label: object, values: pd.Series) -> None:  # noqa: ANN001
    if not pd.api.types.is_float_dtype(values.dtype):
        return
    text = str(label)
    if "(%)" in text or text.endswith("%"):
        fmt = "0.0"
    elif values.dropna().map(float.is_integer).all():
        fmt = "#,##0"
    else:
        return
    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
        cell.number_format = fmt


def _write_sources(sheet, bundle: ExportBundle, sheet_names: dict[str, str]) -> None:  # noqa: ANN001
    bold = Font(bold=True)
    sheet.append([f"Wijkkompas-export: {bundle.label}"])
    sheet["A1"].font = Font(bold=True, size=14)
    if bundle.demo:
        sheet.append([DEMO_LABEL])
        sheet["A2"].font = Font(bold=True, color="9C0006")
        sheet["A2"].fill = DEMO_FILL
    sheet.append(
        [f"Geëxporteerd op {bundle.created.isoformat()} (UTC) met Wijkkompas {bundle.version}."]
    )
    if bundle.suppression:
        sheet.append([f"Kleine aantallen: {bundle.suppression}."])
    sheet.append([])
    sheet.append(["Lagen"])
    sheet.cell(sheet.max_row, 1).font = bold
    meta = bundle.metadata_table()
    meta.insert(1, "blad", [sheet_names.get(n, "") for n in meta["laag"]])
    meta = meta.drop(columns=["dataset", "demo"]).rename(
        columns={**METADATA_LABELS, "blad": "Blad"}
    )
    _append_table(sheet, meta)
    if len(bundle.sources):
        sheet.append([])
        sheet.append(["Gelezen bestanden"])
        sheet.cell(sheet.max_row, 1).font = bold
        columns = [c for c in SOURCE_LABELS if c in bundle.sources.columns]
        _append_table(sheet, bundle.sources[columns].rename(columns=SOURCE_LABELS))
    sheet.append([])
    sheet.append(["Licenties en naamsvermelding"])
    sheet.cell(sheet.max_row, 1).font = bold
    for line in attributions(_texts(bundle), demo=bundle.demo):
        sheet.append([line])
    if bundle.notes:
        sheet.append([])
        sheet.append(["Meldingen"])
        sheet.cell(sheet.max_row, 1).font = bold
        for note in bundle.notes:
            sheet.append([_excel_value(safe_cell(note))])
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 30


def _append_table(sheet, frame: pd.DataFrame) -> None:  # noqa: ANN001
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in frame.itertuples(index=False):
        sheet.append([_excel_value(safe_cell(v)) for v in row])


def _excel_value(value: object) -> object:
    """Cells openpyxl can store; text is never stored as a formula."""
    if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        if len(value) > EXCEL_MAX_CELL:
            value = value[: EXCEL_MAX_CELL - 1] + "…"
        if value.startswith("="):  # openpyxl would store it as a formula
            value = "'" + value
    return value


def _text_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return safe_cell(str(value))


def _sheet_name(title: str, used: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub(" ", title).strip().strip("'")[:31] or "Laag"
    name, counter = base, 2
    while name.casefold() in {u.casefold() for u in used}:
        suffix = f" ({counter})"
        name = base[: 31 - len(suffix)] + suffix
        counter += 1
    return name


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        count = seen.get(label, 0)
        out.append(label if count == 0 else f"{label} ({count + 1})")
        seen[label] = count + 1
    return out


def _is_points(frame: gpd.GeoDataFrame) -> bool:
    types = set(frame.geom_type.dropna())
    return bool(types) and types <= {"Point"}


def _coordinates(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    geometry = frame.geometry
    present = geometry.notna() & ~geometry.is_empty
    rd = pd.DataFrame(
        index=frame.index, columns=["x_rd", "y_rd", "lengtegraad", "breedtegraad"], dtype=float
    )
    if present.any():
        points = geometry[present]
        wgs = points.to_crs(WGS84)
        rd.loc[present, "x_rd"] = points.x.round(2).to_numpy()
        rd.loc[present, "y_rd"] = points.y.round(2).to_numpy()
        rd.loc[present, "lengtegraad"] = wgs.x.round(6).to_numpy()
        rd.loc[present, "breedtegraad"] = wgs.y.round(6).to_numpy()
    return rd


def _texts(bundle: ExportBundle) -> list[str]:
    texts = [meta.source for meta in bundle.meta.values()]
    if len(bundle.sources):
        texts += [str(v) for v in bundle.sources.get("bron", [])]
        texts += [str(v) for v in bundle.sources.get("bestand", [])]
    return texts


def _write_files(files: dict[str, bytes], target: Path) -> Path:
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(zip_bytes(files))
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Files (name -> bytes) in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
