"""The rows of a spreadsheet file: CSV by Python's csv module, XLSX and ODS by python-calamine.

Each table is its rows as the spreadsheet shows them (row 1 is the header), cells as read: text for a
CSV file; for a workbook the typed values calamine gives (numbers, dates, booleans), turned into text
only when the column's datatype is known (a date cell is "2026-03-22" in a date column).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from .metadata import Dialect

WORKBOOKS = {".xlsx", ".ods"}
SHEETS = {".csv", *WORKBOOKS}


@dataclass(frozen=True)
class RawTable:
    """One CSV file or one sheet of a workbook: ``rows`` are (row number, cells)."""

    sheet: str | None
    rows: tuple[tuple[int, tuple], ...]


def read_csv(path: Path, display: str, dialect: Dialect) -> RawTable:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is saved as UTF-16: save it as \"CSV UTF-8\" (in Excel: Save As… → CSV UTF-8).", path=display,
                         fr="le fichier est enregistré en UTF-16 : enregistrez-le en « CSV UTF-8 » (dans Excel : Enregistrer sous… → CSV UTF-8).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not UTF-8 text (the file is probably saved as Latin-1 or Windows-1252): save it as \"CSV UTF-8\" "
                         "(in Excel: Save As… → CSV UTF-8; in LibreOffice: character set Unicode (UTF-8)).", path=display, line=line,
                         fr="ce n'est pas du texte UTF-8 (le fichier est sans doute en Latin-1 ou Windows-1252) : enregistrez-le en "
                         "« CSV UTF-8 » (dans Excel : Enregistrer sous… → CSV UTF-8 ; dans LibreOffice : jeu de caractères Unicode (UTF-8)).") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote, doublequote=dialect.double_quote, strict=True)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, tuple(cells)))
    except csv.Error as exc:
        raise InputError(f"not readable as CSV near line {reader.line_num}: {exc} (a quote left open?).", path=display, line=reader.line_num,
                         fr=f"illisible en CSV vers la ligne {reader.line_num} : {exc} (un guillemet resté ouvert ?).") from None
    return RawTable(sheet=None, rows=tuple(rows))


def read_workbook(path: Path, display: str) -> list[RawTable]:
    """Every visible sheet of an XLSX or ODS workbook, in the workbook's order; empty sheets left out."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for each broken format
        kind = "XLSX" if path.suffix.lower() == ".xlsx" else "ODS"
        raise InputError(f"not readable as an {kind} workbook ({exc}): save it again from the spreadsheet program.", path=display,
                         fr=f"illisible comme classeur {kind} ({exc}) : enregistrez-le de nouveau depuis le tableur.") from None
    visible = {m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible}
    tables = []
    for name in workbook.sheet_names:
        if name not in visible:
            continue
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows = tuple((number, tuple(cells)) for number, cells in enumerate(values, start=1))
        if any(not is_empty(cell) for _, cells in rows for cell in cells):
            tables.append(RawTable(sheet=name, rows=rows))
    return tables


def is_empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def text_of(cell, datatype: str) -> str:
    """A cell as the text CSVW parses: typed spreadsheet values in the lexical form of the column's type."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, (int, float)):
        return _number(cell)
    if isinstance(cell, datetime.datetime):
        if datatype == "date" or (datatype != "dateTime" and cell.time() == datetime.time(0)):
            return cell.date().isoformat()
        return cell.isoformat()
    if isinstance(cell, (datetime.date, datetime.time)):
        return cell.isoformat()
    return str(cell)


def _number(value: int | float) -> str:
    """A number cell in its shortest decimal form: 80000 (not 80000.0), 50.668, 0.0000001."""
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text else text
