"""The descriptions of the CSV tables (``tables``): CSVW metadata that maps every cell back to the same
RDF, and a Frictionless data package."""

from __future__ import annotations

import json

from .tablecolumns import Column, Table

FRICTIONLESS_TYPES = {
    "string": "string",
    "date": "date",
    "datetime": "datetime",
    "decimal": "number",
    "double": "number",
    "integer": "integer",
    "boolean": "boolean",
}


def _lang_values(texts: dict) -> list[dict]:
    return [{"@value": texts[lang], "@language": lang} for lang in sorted(texts) if texts[lang]]


def _csvw_column(column: Column, table: Table) -> dict:
    out: dict = {"name": column.name, "titles": column.name, "dc:description": _lang_values(column.description())}
    if column.kind == "id":
        out.update(required=True, suppressOutput=True)
        return out
    if column.multi:
        out["separator"] = " " if column.kind == "links" else "|"
    out["datatype"] = column.datatype
    if not column.mapped:
        out["suppressOutput"] = True
        return out
    if column.about:
        out["aboutUrl"] = "{+" + column.about + "}"
    out["propertyUrl"] = column.prop
    if column.kind == "iri":
        out["valueUrl"] = "{+" + column.name + "}"
    elif column.lang:
        out["lang"] = column.lang
    return out


def csvw_metadata(all_tables: list[Table], title: dict, licence: str, publisher: str) -> dict:
    """One CSVW table group describing every table (found by CSVW processors as csv-metadata.json)."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": _lang_values(title),
        "dc:license": {"@id": licence},
        "dc:publisher": {"@id": publisher},
        "tables": [
            {
                "url": table.filename,
                "dc:title": _lang_values(table.title),
                "dc:description": _lang_values(table.description),
                "tableSchema": {
                    "aboutUrl": table.about,
                    "primaryKey": list(table.primary_key) if len(table.primary_key) > 1 else table.primary_key[0],
                    "columns": [_csvw_column(c, table) for c in table.columns],
                },
            }
            for table in all_tables
        ],
    }


def datapackage(all_tables: list[Table], name: str, title: dict, description: dict, licence: dict) -> dict:
    """A Frictionless data package with a Table Schema per table."""
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title.get("en") or next(iter(title.values()), name),
        "description": description.get("en", ""),
        "licenses": [{"path": licence["iri"], "title": licence.get("title", {}).get("en", licence["iri"])}],
        "resources": [
            {
                "name": table.name,
                "path": table.filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": table.title.get("en", table.name),
                "description": table.description.get("en", ""),
                "schema": {
                    "fields": [
                        {
                            "name": c.name,
                            "type": "string" if c.multi else FRICTIONLESS_TYPES.get(c.datatype, "string"),
                            "description": c.description()["en"],
                            **({"constraints": {"required": True}} if c.kind == "id" else {}),
                        }
                        for c in table.columns
                    ],
                    "primaryKey": list(table.primary_key),
                    "missingValues": [""],
                },
            }
            for table in all_tables
        ],
    }


def json_bytes(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
