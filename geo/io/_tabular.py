"""Read spreadsheets as they really are: any delimiter, BOM or not, cp1252, padded cells, xlsx.

Every reader returns text cells (no type guessing); numbers are parsed explicitly with
:func:`parse_numbers`, so that ``.`` (not published), ``""`` (absent) and ``0`` stay distinct.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.io._text import MAX_FILE_BYTES, check_line_lengths, decode, gunzip

logger = logging.getLogger(__name__)

TABULAR_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz", ".txt.gz", ".xlsx", ".xlsm")
NOT_PUBLISHED = {".", "x", "X", "-", "?"}
"""Cells that CBS/RIVM use for *not published / not available* (distinct from empty)."""


@dataclass
class Table:
    """A table read from a file, all cells as stripped text.

    ``frame.index`` + :attr:`first_row` gives the row number a spreadsheet shows.
    """

    frame: pd.DataFrame
    path: Path
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notices: list[str] = field(default_factory=list)
    first_row: int = 2
    line_numbers: np.ndarray | None = None
    """Spreadsheet row number of each frame row (blank lines are skipped when reading)."""

    def row_number(self, index: int | np.integer) -> int:
        """Spreadsheet row number (header is row 1) of a frame position."""
        return int(index) + self.first_row


def suffix_of(path: Path) -> str:
    """Lower-case suffix, keeping ``.csv.gz`` style double suffixes."""
    name = path.name.lower()
    for double in (".csv.gz", ".txt.gz", ".shp.zip"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def sniff_kind(path: Path, head: bytes) -> str:
    """Say what a file really is from its first bytes: zip, gzip, json, pdf, binary or text."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    if b"\x00" in head:
        return "binary"
    return "text"


_KIND_NL = {
    "zip": "een zip-archief (bijvoorbeeld .xlsx of een gezipte shapefile)",
    "gzip": "een gzip-archief",
    "json": "JSON (bijvoorbeeld GeoJSON)",
    "pdf": "een PDF-document",
    "sqlite": "een SQLite-database (bijvoorbeeld GeoPackage)",
    "binary": "een binair bestand",
    "text": "tekst (CSV)",
}


def read_table(path: str | Path, *, sheet: str | int | None = None) -> Table:
    """Read a CSV (any of ``,;|`` or tab, UTF-8 with/without BOM or cp1252, gzip) or xlsx file.

    Parameters
    ----------
    path
        The file.
    sheet
        For Excel files: the sheet name or 0-based index (default: the first sheet).

    Returns
    -------
    Table
        All cells as stripped strings; empty cells are ``""``.

    Raises
    ------
    DataError
        When the file is missing, empty, not what its extension says, or ragged.

    Examples
    --------
    >>> t = read_table("cbs_kwb_2023_GM0344.csv")  # doctest: +SKIP
    >>> t.frame["a_inw"].iloc[0]  # doctest: +SKIP
    '367947'
    """
    path = Path(path)
    if not path.exists():
        raise DataError("bestand bestaat niet.", file=path, hint="controleer het pad.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(
            f"het bestand is {path.stat().st_size / 1e6:,.0f} MB; Wijkkompas leest tabellen tot "
            f"{MAX_FILE_BYTES / 1e6:,.0f} MB.",
            file=path,
            hint="knip het bestand op per gemeente, of gebruik een download van één gemeente.",
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(
            "het bestand is leeg.", file=path, hint="exporteer het bestand opnieuw met gegevens."
        )
    suffix = suffix_of(path)
    kind = sniff_kind(path, raw[:2048])
    if suffix in (".xlsx", ".xlsm"):
        if kind != "zip":
            raise DataError(
                f"de extensie zegt Excel (.xlsx), maar de inhoud is {_KIND_NL[kind]}.",
                file=path,
                hint="sla het bestand op als echt .xlsx-bestand of geef het de juiste extensie.",
            )
        return _read_excel(path, raw, sheet)
    if suffix == ".xls":
        raise DataError(
            "het oude Excel-formaat .xls wordt niet ondersteund.",
            file=path,
            hint="open het in Excel of LibreOffice en sla het op als .xlsx of CSV.",
        )
    if suffix.endswith(".gz"):
        if kind != "gzip":
            raise DataError(
                f"de extensie zegt gzip, maar de inhoud is {_KIND_NL[kind]}.",
                file=path,
                hint="pak het bestand niet uit of geef het de juiste extensie.",
            )
        raw = gunzip(path, raw)
        kind = sniff_kind(path, raw[:2048])
    if kind != "text":
        raise DataError(
            f"de extensie zegt CSV/tekst, maar de inhoud is {_KIND_NL[kind]}.",
            file=path,
            hint="controleer of u het juiste bestand koos, of geef het de juiste extensie.",
        )
    return _read_csv_bytes(path, raw)


def _sniff_delimiter(header: str) -> str:
    counts = {d: _count_outside_quotes(header, d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _read_csv_fast(path: Path, text: str, delimiter: str) -> pd.DataFrame | None:
    """Read a well-formed CSV with pandas' C parser; None when the careful reader is needed.

    The careful (Python) reader below handles blank lines and reports ragged rows with their
    spreadsheet row number; this path only takes files where none of that can happen.
    """
    body = text.rstrip("\r\n")
    if _BLANK_LINE.search(body) or body.startswith(("\n", "\r")) or "\n" not in body:
        return None
    header = next(csv.reader(io.StringIO(body.split("\n", 1)[0]), delimiter=delimiter))
    header = [h.strip().lstrip("\ufeff") for h in header]
    if len(set(header)) != len(header) or "" in header:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(body),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            header=0,
            engine="c",
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if not isinstance(frame.index, pd.RangeIndex) or frame.shape[1] != len(header):
        return None  # rows with more fields than the header: pandas took them as an index
    frame.columns = header
    frame = frame.fillna("")
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    if len(header) > 2 and len(frame):
        rest_empty = frame.iloc[:, 1:].eq("").all(axis=1)
        if rest_empty.any():
            return None  # possibly a row with another delimiter: let the careful reader judge
    return frame


def _read_csv_bytes(path: Path, raw: bytes) -> Table:
    text, encoding = decode(path, raw)
    check_line_lengths(path, text)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = _sniff_delimiter(header_line)
    fast = _read_csv_fast(path, text, delimiter)
    if fast is not None:
        table = Table(
            frame=fast,
            path=path,
            encoding=encoding,
            delimiter=delimiter,
            first_row=2,
            line_numbers=np.arange(2, len(fast) + 2),
        )
        _note_encoding(table)
        logger.info("%s: %d rijen, %d kolommen gelezen", path.name, len(fast), fast.shape[1])
        return table
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
        raise DataError(
            f"het bestand is geen geldige CSV ({exc}; regel {reader.line_num}).",
            file=path,
            row=reader.line_num,
            hint="controleer de aanhalingstekens rond deze regel, of exporteer het bestand "
            "opnieuw.",
        ) from exc
    # drop fully empty lines but remember spreadsheet row numbers
    numbered = [(i + 1, row) for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not numbered:
        raise DataError("het bestand bevat geen regels.", file=path)
    header_row, header = numbered[0]
    header = [h.strip().lstrip("\ufeff") for h in header]
    _check_header(path, header)
    body = numbered[1:]
    width = len(header)
    records = []
    line_numbers = []
    for number, row in body:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise DataError(
                f"deze rij heeft {len(row)} velden, de kop heeft er {width} "
                f"(scheidingsteken '{_delim_name(delimiter)}').",
                file=path,
                row=number,
                value=delimiter.join(row)[:60],
                hint="controleer scheidingstekens en aanhalingstekens in deze rij; een "
                "decimale komma in een kommagescheiden bestand moet tussen aanhalingstekens.",
            )
        if width > 2 and len(row) == 1:
            other = next((d for d in (";", ",", "\t", "|") if d != delimiter and d in row[0]), None)
            if other is not None:
                raise DataError(
                    f"deze rij heeft 1 veld, de kop heeft er {width}: de rij gebruikt "
                    f"'{_delim_name(other)}' als scheidingsteken, "
                    f"de kop '{_delim_name(delimiter)}'.",
                    file=path,
                    row=number,
                    value=row[0][:60],
                    hint="sla het bestand opnieuw op met één scheidingsteken voor alle regels.",
                )
        cells = [cell.strip() for cell in row[:width]] + [""] * (width - len(row))
        records.append(cells)
        line_numbers.append(number)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    table = Table(
        frame=frame,
        path=path,
        encoding=encoding,
        delimiter=delimiter,
        first_row=header_row + 1,
        line_numbers=np.asarray(line_numbers, dtype=int),
    )
    _note_encoding(table)
    logger.info("%s: %d rijen, %d kolommen gelezen", path.name, len(frame), width)
    return table


def _note_encoding(table: Table) -> None:
    if table.encoding == "utf-8 (hersteld)":
        table.notices.append(
            f"{table.path.name}: enkele tekens waren geen geldige UTF-8 en zijn vervangen door "
            "'\ufffd'. Controleer het bestand."
        )
    if table.encoding == "cp1252":
        table.notices.append(
            f"{table.path.name}: geen UTF-8; gelezen als Windows-1252 (Excel). "
            "Controleer letters met accenten."
        )


def _delim_name(delimiter: str) -> str:
    return {"\t": "tab", ";": ";", ",": ",", "|": "|"}[delimiter]


def _check_header(path: Path, header: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name == "":
            continue
        if name in seen:
            raise DataError(
                f"kolomnaam komt twee keer voor (kolom {seen[name] + 1} en {i + 1}).",
                file=path,
                row=1,
                column=name,
                hint="geef elke kolom een unieke naam.",
            )
        seen[name] = i


def _read_excel(path: Path, raw: bytes, sheet: str | int | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise DataError(
            f"het Excel-bestand kan niet worden geopend ({type(exc).__name__}).",
            file=path,
            hint="open het in Excel of LibreOffice en sla het opnieuw op als .xlsx.",
        ) from exc
    names = book.sheetnames
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise DataError(
                f"tabblad {sheet + 1} bestaat niet; het bestand heeft {len(names)} tabbladen.",
                file=path,
                hint=f"kies een van: {', '.join(names)}.",
            )
        chosen = names[sheet]
    else:
        if sheet not in names:
            raise DataError(
                "dit tabblad bestaat niet.",
                file=path,
                value=sheet,
                hint=f"kies een van: {', '.join(names)}.",
            )
        chosen = sheet
    rows = [
        (i + 1, ["" if v is None else _excel_text(v) for v in row])
        for i, row in enumerate(book[chosen].iter_rows(values_only=True))
    ]
    book.close()
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise DataError("het tabblad is leeg.", file=path, value=chosen)
    header_row, header = rows[0]
    while header and header[-1] == "":
        header.pop()
    header = [h.strip() for h in header]
    _check_header(path, header)
    width = len(header)
    records = [[c.strip() for c in r[:width]] + [""] * (width - len(r)) for _, r in rows[1:]]
    frame = pd.DataFrame(records, columns=header, dtype=object)
    return Table(
        frame=frame,
        path=path,
        sheet=chosen,
        first_row=header_row + 1,
        line_numbers=np.asarray([n for n, _ in rows[1:]], dtype=int),
    )


def _excel_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def require_columns(
    table: Table, names: Sequence[str], *, hint: str, where: str = ""
) -> dict[str, str]:
    """The table's columns by lower-case name; a Dutch DataError naming those that are missing.

    ``where`` ends the message (e.g. ``" in de herkomsttabel"``), ``hint`` says how to fix it.
    """
    lower = {str(c).strip().lower(): str(c) for c in table.frame.columns}
    missing = [c for c in names if c not in lower]
    if missing:
        raise DataError(
            f"kolom(men) {', '.join(missing)} ontbreken{where}.", file=table.path, hint=hint
        )
    return lower


def line_number(table: Table, position: int | np.integer) -> int:
    """Spreadsheet row number of the row at ``position`` in ``table.frame``."""
    numbers = table.line_numbers
    if numbers is not None and position < len(numbers):
        return int(numbers[position])
    return table.row_number(position)


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_THOUSANDS_DOT_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(text: str) -> float | None:
    """Parse one number written the Dutch or the English way; ``None`` when it is not a number.

    ``"0,7"`` and ``"0.7"`` give 0.7; ``"1.234,5"`` gives 1234.5. Not-published markers and
    empty cells are handled by :func:`parse_numbers`, not here.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS_DOT_DECIMAL_COMMA.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


def parse_numbers(
    table: Table, column: str, *, required: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Parse a text column into floats.

    Returns
    -------
    values, not_published
        ``values`` is NaN where the cell is empty or not published; ``not_published`` is
        True where the cell held a *not published* marker such as ``.``.

    Raises
    ------
    DataError
        On the first cell that is neither a number, empty, nor a not-published marker.
    """
    cells = table.frame[column].astype(str).str.strip()
    empty = (cells == "").to_numpy()
    hidden = cells.isin(NOT_PUBLISHED).to_numpy()
    rest = ~empty & ~hidden
    candidates = cells.where(rest, "").str.replace("\u00a0", "", regex=False)
    values = pd.to_numeric(
        candidates.str.replace(",", ".", regex=False).where(rest, None), errors="coerce"
    ).to_numpy(dtype=float, copy=True)
    for position in np.flatnonzero(rest & np.isnan(values)):
        number = parse_number(cells.iloc[position])
        if number is None:
            raise DataError(
                "dit is geen getal.",
                file=table.path,
                row=line_number(table, position),
                column=column,
                value=cells.iloc[position],
                hint="gebruik cijfers met een punt of komma als decimaalteken, "
                "of '.' voor 'niet gepubliceerd'.",
            )
        values[position] = number
    if required and empty.any():
        first_empty = int(np.flatnonzero(empty)[0])
        raise DataError(
            "deze cel is leeg, maar een getal is verplicht.",
            file=table.path,
            row=line_number(table, first_empty),
            column=column,
            hint="vul een getal in of gebruik '.' voor 'niet gepubliceerd'.",
        )
    values[~rest] = np.nan
    return values, hidden
