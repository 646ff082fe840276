"""Test helpers: spreadsheets written by programs other than tourgraph (openpyxl for XLSX, odfpy for ODS),
and an independent reading of CSVW tables to RDF with the csvw package."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import csvw
from csvw.jsonld import format_value
import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = {"date": "date", "datetime": "dateTime", "dateTime": "dateTime", "decimal": "decimal", "double": "double",
             "integer": "integer", "boolean": "boolean"}


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def typed(value: str, datatype: str):
    """A cell as a person typing it in a spreadsheet would leave it: numbers as numbers, dates as dates."""
    if value == "":
        return None
    if datatype == "decimal" or datatype == "double":
        return float(value)
    if datatype == "integer":
        return int(value)
    if datatype == "date":
        return datetime.date.fromisoformat(value)
    if datatype == "boolean":
        return value == "true"
    return value


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    workbook.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for cell in row:
                if cell is None or cell == "":
                    tc = TableCell()
                elif isinstance(cell, bool):
                    tc = TableCell(valuetype="boolean", booleanvalue="true" if cell else "false")
                    tc.addElement(P(text=str(cell).upper()))
                elif isinstance(cell, (int, float)):
                    tc = TableCell(valuetype="float", value=cell)
                    tc.addElement(P(text=str(cell)))
                elif isinstance(cell, datetime.date):
                    tc = TableCell(valuetype="date", datevalue=cell.isoformat())
                    tc.addElement(P(text=cell.isoformat()))
                else:
                    tc = TableCell(valuetype="string")
                    tc.addElement(P(text=cell))
                tr.addElement(tc)
            table.addElement(tr)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def csvw_package_triples(metadata: Path) -> set[ox.Triple]:
    """The RDF of every table a metadata file describes, as CSVW's minimal mode gives it, made from what
    the csvw package parses: cell values (datatypes, separators, nulls) and expanded URI templates."""
    group = csvw.CSVW(str(metadata), validate=True)
    assert group.is_valid, group.warnings
    triples = set()
    for table in group.tables:
        schema = table.tableSchema
        for number, row in enumerate(table.iterdicts(strict=False), start=1):
            for column in schema.columns:
                if column.suppressOutput:
                    continue
                value = row.get(column.name) if not column.virtual else None
                if not column.virtual and value in (None, "", []):
                    continue
                about = column.aboutUrl or schema.aboutUrl
                subject = ox.NamedNode(table.expand(about, row, _row=number, _name=column.name))
                predicate = ox.NamedNode(table.expand(column.propertyUrl, row, _row=number, _name=column.name))
                if column.valueUrl:
                    objects = [ox.NamedNode(table.expand(column.valueUrl, row, _row=number, _name=column.name))]
                else:
                    objects = [_literal(item, column) for item in (value if isinstance(value, list) else [value])]
                triples.update(ox.Triple(subject, predicate, obj) for obj in objects)
    return triples


def _literal(item, column) -> ox.Literal:
    name = column.datatype.base if column.datatype else "string"
    if name == "string":
        lang = column.lang if column.lang and column.lang != "und" else None
        return ox.Literal(str(item), language=lang)
    if isinstance(item, bool):
        text = "true" if item else "false"
    elif isinstance(item, Decimal):
        text = str(item)
    else:
        # The package's own lexical form of a value (dates without a time part, datetimes without zeros).
        text = str(format_value(item, column))
    return ox.Literal(text, datatype=ox.NamedNode(XSD + DATATYPES[name]))


def canonical(triples) -> set[str]:
    """Triples as Oxigraph's store keeps them ("49.1940"^^xsd:decimal and "49.194" are one value)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in store}
