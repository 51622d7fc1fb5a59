"""The measurement template (Excel/CSV with Dutch headers) and its validated import.

``wijkkompas monitoring sjabloon`` writes the template; partners fill in one row per value
and ``wijkkompas monitoring import`` reads it back. Every row is checked first and the
report says per row what is wrong (file, row, column, value); when any row is rejected,
nothing is stored.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.io._tabular import Table, line_number, parse_number, read_table
from geo.model.codes import niveau_of, normalise_code
from geo.monitoring.catalogue import Catalogue
from geo.monitoring.periods import parse_period

logger = logging.getLogger(__name__)

TEMPLATE_COLUMNS = ["Indicator", "Periode", "Gebied", "Waarde", "Bron", "Notitie"]
"""Headers of the template, in order (matched case-insensitively on import)."""
REQUIRED = ("Indicator", "Periode", "Waarde")
OK = "ok"
REJECTED = "afgewezen"
_LEVELS = {"gemeente": 0, "wijk": 1, "buurt": 2}


@dataclass
class MeasurementImport:
    """Validated rows of one file.

    Attributes
    ----------
    frame
        Accepted rows: ``indicator``, ``periode``, ``gebied`` ('' = gemeente), ``waarde``,
        ``bron``, ``notitie``, ``rij``.
    report
        One row per input row: ``rij``, ``status`` (``ok`` / ``afgewezen``), ``kolom``,
        ``waarde``, ``reden``.
    source
        The file (or ``invoer`` for a single value typed in).
    """

    frame: pd.DataFrame
    report: pd.DataFrame
    source: str
    notices: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> pd.DataFrame:
        """The rejected rows of the report."""
        return self.report[self.report["status"] == REJECTED]

    def raise_for_rejected(self) -> None:
        """Raise the first rejection as a :class:`DataError` (with how many more there are)."""
        if self.rejected.empty:
            return
        first = self.rejected.iloc[0]
        more = len(self.rejected) - 1
        raise DataError(
            str(first["reden"])
            + (f" (en nog {more} afgewezen rij(en), zie het rapport)" if more else "")
            + "; er is niets opgeslagen.",
            file=None if self.source == "invoer" else self.source,
            row=None if pd.isna(first["rij"]) else int(first["rij"]),
            column=str(first["kolom"]) or None,
            value=str(first["waarde"]) if str(first["waarde"]) else None,
            hint=str(first["oplossing"]),
        )


def template_bytes(catalogue: Catalogue, *, kind: str = "xlsx") -> bytes:
    """The empty template: ``xlsx`` (sheets *Metingen* and *Indicatoren*) or ``csv``.

    Examples
    --------
    >>> data = template_bytes(built_in_catalogue(), kind="csv")  # doctest: +SKIP
    >>> data.decode("utf-8-sig").splitlines()[0]  # doctest: +SKIP
    'Indicator;Periode;Gebied;Waarde;Bron;Notitie'
    """
    if kind == "csv":
        return (";".join(TEMPLATE_COLUMNS) + "\r\n").encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Metingen"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (30, 10, 14, 10, 30, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    help_sheet = book.create_sheet("Indicatoren")
    help_sheet.append(["Indicator", "Naam", "Eenheid", "Niveau", "Subdoel", "Toelichting"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for item in catalogue:
        if not item.is_outcome:
            help_sheet.append(
                [item.id, item.naam, item.eenheid, item.niveau, item.subdoel, item.toelichting]
            )
    help_sheet.append([])
    help_sheet.append(["Periode: 2024 (jaar), 2024H1 (halfjaar) of 2024Q3 (kwartaal)."])
    help_sheet.append(
        ["Gebied: leeg = hele gemeente, anders een wijk- of buurtcode (WK..., BU...)."]
    )
    help_sheet.append(["Eenzaamheid zelf wordt niet ingevoerd: die komt uit de RIVM-cijfers."])
    help_sheet.column_dimensions["A"].width = 34
    help_sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_template(path: str | Path, catalogue: Catalogue) -> Path:
    """Write the template; ``.csv`` gives CSV (``;``, UTF-8 with BOM), otherwise Excel."""
    path = Path(path)
    kind = "csv" if path.suffix.lower() == ".csv" else "xlsx"
    path.write_bytes(template_bytes(catalogue, kind=kind))
    return path


def measurements_from_file(
    path: str | Path,
    catalogue: Catalogue,
    *,
    area_codes: set[str] | None = None,
    gemeente_code: str | None = None,
    stored: pd.DataFrame | None = None,
    vervang: bool = False,
) -> MeasurementImport:
    """Read and check a filled-in template (every row; nothing is stored here).

    Parameters
    ----------
    path
        The ``.xlsx`` or ``.csv`` file.
    catalogue
        The indicators.
    area_codes
        Known wijk and buurt codes (None: not checked).
    gemeente_code
        The gemeente's code; in ``Gebied`` it means the whole gemeente.
    stored
        Measurements already stored (to refuse duplicates unless ``vervang``).
    vervang
        Accept a value for an indicator, period and area that is already stored.
    """
    table = read_table(path, sheet="Metingen" if Path(path).suffix.lower() == ".xlsx" else None)
    return _validate(
        table,
        catalogue,
        area_codes=area_codes,
        gemeente_code=gemeente_code,
        stored=stored,
        vervang=vervang,
        source=str(path),
    )


def measurement_from_input(
    catalogue: Catalogue,
    *,
    indicator: str,
    periode: str,
    waarde: str,
    gebied: str | None = None,
    bron: str | None = None,
    notitie: str | None = None,
    area_codes: set[str] | None = None,
    gemeente_code: str | None = None,
    stored: pd.DataFrame | None = None,
    vervang: bool = False,
) -> MeasurementImport:
    """Check one value typed in (CLI ``monitoring invoer``, the dashboard's form)."""
    frame = pd.DataFrame(
        [[indicator, periode, gebied or "", waarde, bron or "", notitie or ""]],
        columns=TEMPLATE_COLUMNS,
    ).astype(str)
    table = Table(frame=frame, path=Path("invoer"))
    result = _validate(
        table,
        catalogue,
        area_codes=area_codes,
        gemeente_code=gemeente_code,
        stored=stored,
        vervang=vervang,
        source="invoer",
    )
    result.report["rij"] = None
    return result


def _validate(
    table: Table,
    catalogue: Catalogue,
    *,
    area_codes: set[str] | None,
    gemeente_code: str | None,
    stored: pd.DataFrame | None,
    vervang: bool,
    source: str,
) -> MeasurementImport:
    columns = _columns(table)
    frame = table.frame
    keys_stored: dict[tuple[str, str, str], float] = {}
    if stored is not None and not stored.empty:
        for row in stored.itertuples():
            keys_stored[(str(row.indicator), str(row.periode), str(row.gebied))] = float(row.waarde)
    seen: dict[tuple[str, str, str], int] = {}
    accepted: list[dict[str, object]] = []
    report: list[dict[str, object]] = []
    for position in range(len(frame)):
        rij = line_number(table, position)

        def cell(name: str, position: int = position) -> str:
            column = columns.get(name)
            return "" if column is None else str(frame[column].iloc[position]).strip()

        problem = _check_row(cell, catalogue, area_codes, gemeente_code)
        if isinstance(problem, tuple):
            kolom, waarde, reden, oplossing = problem
            report.append(
                {
                    "rij": rij,
                    "status": REJECTED,
                    "kolom": kolom,
                    "waarde": waarde,
                    "reden": reden,
                    "oplossing": oplossing,
                }
            )
            continue
        key = (str(problem["indicator"]), str(problem["periode"]), str(problem["gebied"]))
        if key in seen:
            report.append(
                {
                    "rij": rij,
                    "status": REJECTED,
                    "kolom": "Periode",
                    "waarde": key[1],
                    "reden": f"dubbele waarde: rij {seen[key]} geeft al "
                    f"een waarde voor {key[0]} in {key[1]}" + (f" in {key[2]}" if key[2] else ""),
                    "oplossing": "houd één rij per indicator, periode en gebied.",
                }
            )
            continue
        seen[key] = rij
        if key in keys_stored and not vervang:
            report.append(
                {
                    "rij": rij,
                    "status": REJECTED,
                    "kolom": "Waarde",
                    "waarde": cell("Waarde"),
                    "reden": f"voor {key[0]} in {key[1]}"
                    + (f" in {key[2]}" if key[2] else "")
                    + " is al een waarde opgeslagen "
                    f"({_num(keys_stored[key])})",
                    "oplossing": "vervangen? doe het opnieuw met --vervang (of vink "
                    "'vervang opgeslagen waarden' aan).",
                }
            )
            continue
        accepted.append({**problem, "rij": rij})
        report.append(
            {
                "rij": rij,
                "status": OK,
                "kolom": "",
                "waarde": "",
                "reden": "vervangt opgeslagen waarde" if key in keys_stored else "",
                "oplossing": "",
            }
        )
    out = pd.DataFrame(
        accepted, columns=["indicator", "periode", "gebied", "waarde", "bron", "notitie", "rij"]
    )
    result = MeasurementImport(
        frame=out,
        report=pd.DataFrame(
            report, columns=["rij", "status", "kolom", "waarde", "reden", "oplossing"]
        ),
        source=source,
    )
    logger.info("%s: %d rij(en) goed, %d afgewezen", source, len(out), len(result.rejected))
    return result


def _columns(table: Table) -> dict[str, str]:
    found = {str(c).strip().lower(): str(c) for c in table.frame.columns}
    columns = {name: found[name.lower()] for name in TEMPLATE_COLUMNS if name.lower() in found}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise DataError(
            f"kolom(men) ontbreken: {', '.join(missing)}.",
            file=table.path,
            row=1,
            hint="gebruik het sjabloon van 'wijkkompas monitoring sjabloon' (kopregel "
            + ", ".join(TEMPLATE_COLUMNS)
            + ").",
        )
    return columns


def _check_row(cell, catalogue, area_codes, gemeente_code):  # noqa: ANN001, ANN202
    """A clean row dict, or ``(kolom, waarde, reden, oplossing)`` for the first problem."""
    ident = cell("Indicator")
    known = {i.id.lower(): i for i in catalogue}
    indicator = known.get(ident.lower())
    if indicator is None:
        return (
            "Indicator",
            ident,
            "onbekende indicator",
            "kies een id uit het tabblad Indicatoren (wijkkompas monitoring indicatoren).",
        )
    if indicator.is_outcome:
        return (
            "Indicator",
            ident,
            "eenzaamheid wordt berekend uit de RIVM-cijfers, niet ingevoerd",
            "laat deze rij weg.",
        )
    try:
        periode = parse_period(cell("Periode")).label
    except DataError:
        return (
            "Periode",
            cell("Periode"),
            "de periode is geen jaar, halfjaar of kwartaal",
            "schrijf 2024, 2024H1 (halfjaar) of 2024Q3 (kwartaal).",
        )
    gebied = normalise_code(cell("Gebied")) if cell("Gebied") else ""
    if gebied and gemeente_code and gebied == gemeente_code:
        gebied = ""
    if gebied:
        level = niveau_of(gebied)
        if level not in ("wijk", "buurt") or (area_codes is not None and gebied not in area_codes):
            return (
                "Gebied",
                cell("Gebied"),
                "onbekend gebied",
                "laat leeg voor de hele gemeente of geef een wijk- of buurtcode uit de "
                "dataset (WK..., BU...).",
            )
        if _LEVELS[level] > _LEVELS[indicator.niveau]:
            return (
                "Gebied",
                cell("Gebied"),
                f"{indicator.id} wordt per {indicator.niveau} gemeten, niet per {level}",
                "laat Gebied leeg"
                if indicator.niveau == "gemeente"
                else "geef een wijkcode (WK...).",
            )
    text = cell("Waarde")
    if not text:
        return ("Waarde", "", "de waarde is leeg", "vul een getal in.")
    value = parse_number(text)
    if value is None:
        return (
            "Waarde",
            text,
            "de waarde is geen getal",
            "schrijf alleen cijfers (komma of punt als decimaalteken).",
        )
    if value < 0:
        return (
            "Waarde",
            text,
            "een waarde kan niet negatief zijn",
            "controleer het getal; tel een afname niet als negatief aantal.",
        )
    if indicator.is_count and not float(value).is_integer():
        return ("Waarde", text, "een aantal is een heel getal", "rond af op een heel getal.")
    if indicator.eenheid == "%" and value > 100:
        return ("Waarde", text, "een percentage ligt tussen 0 en 100", "schrijf 45 voor 45 %.")
    if indicator.eenheid == "cijfer" and not 1 <= value <= 10:
        return ("Waarde", text, "een rapportcijfer ligt tussen 1 en 10", "bijvoorbeeld 7,8.")
    return {
        "indicator": indicator.id,
        "periode": periode,
        "gebied": gebied,
        "waarde": value,
        "bron": cell("Bron") or None,
        "notitie": cell("Notitie") or None,
    }


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")
