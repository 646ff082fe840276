"""The spreadsheet templates of a tour: the open-data tables' columns (export/tables.py), with CSVW
metadata that maps them to RDF for writing data, not only for reading it.

The metadata is the one ``build`` writes to dist/opendata/csv-metadata.json, for the same columns in the
same order, with three changes, all plain CSVW: the link columns (types, works_for, location, …) are
mapped too, one IRI per cell (CSVW makes one IRI of a cell, so a second type or a second employer is a
second row with the same iri); the people table states ``rdf:type schema:Person`` by a virtual column
(it has no types column); and no table has a primary key, so that those rows are allowed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..export.tablecolumns import KINDS, PARTICIPATION_COLUMNS, Column, Table
from ..export.tablemeta import csvw_metadata

SCHEMA = "https://schema.org/"
TABLES = ("people", "organisations", "places", "events", "participations")
SHEET_TITLES = {"people": "People", "organisations": "Organisations", "places": "Places", "events": "Events", "participations": "Participations"}
PLACEHOLDER_SOURCE = {
    "fr": "À COMPLÉTER : la source de ces faits (communiqué, site, entretien) — un document du graphe ou un texte qui la décrit honnêtement.",
    "en": "TO FILL: the source of these facts (press release, website, interview) — a document of the graph or a text honestly describing it.",
}


def template_tables(languages) -> list[Table]:
    """The five tables of dist/opendata/, without rows."""
    languages = tuple(languages)
    tables = [Table(name=name, title={"fr": t[0], "en": t[1]}, description={"fr": d[0], "en": d[1]}, columns=tuple(make(languages)))
              for name, _, make, t, d in KINDS]
    tables.append(Table(name="participations", title={"fr": "Participations", "en": "Participations"},
                        description={"fr": "Qui prend part à quel événement, et à quel titre : une ligne par participation.",
                                     "en": "Who takes part in which event, and in which role: one row per participation."},
                        columns=PARTICIPATION_COLUMNS, about="{+event}", primary_key=("event", "role", "participant")))
    return tables


def _link(column: dict, source: Column) -> dict:
    """A link column of the open-data tables, mapped one IRI per cell."""
    fr, en = source.label
    out = {key: value for key, value in column.items() if key not in ("separator", "suppressOutput", "dc:description")}
    out["dc:description"] = [
        {"@value": f"{en}: one IRI per cell (another value: another row with the same iri)", "@language": "en"},
        {"@value": f"{fr} : une IRI par cellule (une autre valeur : une autre ligne avec la même iri)", "@language": "fr"},
    ]
    out["propertyUrl"] = source.prop
    out["valueUrl"] = "{+" + source.name + "}"
    return out


def template_metadata(languages, title: dict, licence: str, publisher: str, source: dict | None = None) -> dict:
    """CSVW metadata for the five tables as sources; ``title`` and ``source`` describe the files' graph."""
    tables = template_tables(languages)
    document = csvw_metadata(tables, title, licence, publisher)
    document["dc:source"] = [{"@value": text, "@language": lang} for lang, text in sorted((source or PLACEHOLDER_SOURCE).items())]
    for table, described in zip(tables, document["tables"]):
        schema = described["tableSchema"]
        by_name = {c.name: c for c in table.columns}
        schema["columns"] = [_link(c, by_name[c["name"]]) if by_name[c["name"]].kind == "links" else c for c in schema["columns"]]
        if table.name != "participations":
            schema.pop("primaryKey", None)
        if table.name == "people":
            schema["columns"].append({"virtual": True, "propertyUrl": "rdf:type", "valueUrl": SCHEMA + "Person"})
    return dict(sorted(document.items(), key=lambda item: (item[0] != "@context", item[0] == "tables", item[0])))


def metadata_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def header(document: dict, name: str) -> list[str]:
    table = next(t for t in document["tables"] if t["url"] == f"{name}.csv")
    return [c["name"] for c in table["tableSchema"]["columns"] if not c.get("virtual")]


def descriptions(document: dict, name: str, lang: str) -> list[str]:
    table = next(t for t in document["tables"] if t["url"] == f"{name}.csv")
    return [next((d["@value"] for d in c["dc:description"] if d["@language"] == lang), "")
            for c in table["tableSchema"]["columns"] if not c.get("virtual")]


def csv_template(document: dict, name: str) -> bytes:
    """A header row only; a byte-order mark so that Excel opens the UTF-8 text as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(header(document, name))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_xlsx_template(document: dict, name: str, path: Path) -> None:
    """One workbook, one sheet named after its table; each header cell carries its description (FR/EN)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[name]
    sheet.append(header(document, name))
    for cell, fr, en in zip(sheet[1], descriptions(document, name, "fr"), descriptions(document, name, "en")):
        cell.font = Font(bold=True)
        cell.comment = Comment(f"FR : {fr}\nEN: {en}", "tourgraph", width=320, height=110)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "tourgraph"
    workbook.save(path)
