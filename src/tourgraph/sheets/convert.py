"""CSVW's conversion of a table to RDF ("Generating RDF from Tabular Data on the Web", minimal mode):
one triple per non-empty cell of each column that is not suppressed, its subject, property and value
made by the column's URI templates (RFC 6570, by the uritemplate package) or its datatype and language.

Where the standard would still give a triple but a useless one, the cell is refused with what to do:
a template that uses an empty column (a street address without the address's IRI would describe the
table's own URL), several IRIs in one cell (CSVW makes one IRI of a cell), ``schema:`` in a cell (CSVW
reads it as http://schema.org/), a class written without its namespace.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin

import pyoxigraph as ox
import uritemplate

from ..locations import Place
from .cells import RawTable, is_empty, text_of
from .errors import CellError
from .metadata import PREFIXES, RDF, Column, Table

RDF_TYPE = RDF + "type"
HTTP_SCHEMA = PREFIXES["schema"]
SCHEMA = "https://schema.org/"
_WHITESPACE = re.compile(r"\s")
_LEXICAL = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "double": re.compile(r"^([+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN)$"),
    "float": re.compile(r"^([+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN)$"),
    "boolean": re.compile(r"^(true|false|1|0)$"),
    "date": re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$"),
    "dateTime": re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass
class Context:
    """What the conversion of one file needs: where it is, its graph, and what it has found so far."""

    display: str
    graph: ox.NamedNode
    salt: str
    quads: list
    literals: list
    places: dict
    blank_count: int = 0


@dataclass(frozen=True)
class Cell:
    column: Column
    text: str | None  # None: null
    value: str | list | None  # the cell value: a lexical form, a list of them, or None


def convert(raw: RawTable, table: Table, ctx: Context) -> None:
    """Add the triples of one table (a CSV file or a sheet) to ``ctx``."""
    rows = list(raw.rows)
    header_row = rows.pop(0) if table.dialect.header and rows else None
    width = _check_header(header_row, rows, table, raw, ctx) if header_row else len(table.real)
    keys: dict[tuple, int] = {}
    for number, (source_row, cells) in enumerate(_data_rows(rows, table, raw, ctx, width), start=1):
        _convert_row(number, source_row, cells, table, raw, ctx, keys)


def _err(ctx: Context, raw: RawTable, row: int | None, column: str | None, en: str, fr: str) -> CellError:
    return CellError(en, path=ctx.display, sheet=raw.sheet, row=row, column=column, fr=fr)


def _check_header(header_row, rows, table: Table, raw: RawTable, ctx: Context) -> int:
    number, cells = header_row
    header = [str(text_of(c, "string")).strip() for c in cells]
    used = [any(not is_empty(r[1][i]) for r in rows if i < len(r[1])) for i in range(len(header))]
    while header and not header[-1] and not used[len(header) - 1]:
        header.pop()
    expected = table.real
    names = ", ".join(c.name for c in expected)
    if len(header) == 1 and len(expected) > 1 and ";" in header[0]:
        raise _err(ctx, raw, number, None,
                   "the header is one cell holding semicolons: the file is separated by \";\" (as Excel saves CSV in French). "
                   "Save it with commas, or add \"dialect\": {\"delimiter\": \";\"} to the table in the metadata.",
                   "l'en-tête tient dans une cellule qui contient des points-virgules : le fichier est séparé par « ; » (comme "
                   "Excel enregistre le CSV en français). Enregistrez-le avec des virgules, ou ajoutez \"dialect\": "
                   "{\"delimiter\": \";\"} à la table dans les métadonnées.")
    for index, title in enumerate(header):
        if index >= len(expected):
            raise _err(ctx, raw, number, title or f"#{index + 1}",
                       f"this column is not described by the metadata, which lists {len(expected)} columns ({names}): remove it, "
                       "or describe it in the metadata (with \"suppressOutput\": true to keep it for reading only).",
                       f"cette colonne n'est pas décrite par les métadonnées, qui en listent {len(expected)} ({names}) : retirez-la, "
                       "ou décrivez-la dans les métadonnées (avec \"suppressOutput\": true pour la garder à lire seulement).")
        column = expected[index]
        if title not in (column.titles or (column.name,)) and title != column.name:
            elsewhere = next((c for c in expected if title in (*c.titles, c.name)), None)
            hint_en = (f" ({title} is column {elsewhere.number} in the metadata: keep the columns in its order)" if elsewhere
                       else f" (the header must read {names})")
            hint_fr = (f" ({title} est la colonne {elsewhere.number} des métadonnées : gardez les colonnes dans son ordre)" if elsewhere
                       else f" (l'en-tête doit être {names})")
            raise _err(ctx, raw, number, f"#{index + 1}",
                       f"headed {title!r}, but the metadata's column {index + 1} is {column.name}{hint_en}.",
                       f"en-tête {title!r}, mais la colonne {index + 1} des métadonnées est {column.name}{hint_fr}.")
    if len(header) < len(expected):
        missing = ", ".join(c.name for c in expected[len(header):])
        raise _err(ctx, raw, number, None,
                   f"the header stops after {len(header)} columns; the metadata describes {len(expected)}: add {missing} "
                   "(empty columns are fine).",
                   f"l'en-tête s'arrête après {len(header)} colonnes ; les métadonnées en décrivent {len(expected)} : ajoutez "
                   f"{missing} (des colonnes vides conviennent).")
    return len(header)


def _data_rows(rows, table: Table, raw: RawTable, ctx: Context, width: int):
    for source_row, cells in rows:
        if all(is_empty(c) for c in cells):
            continue
        beyond = next((i for i in range(width, len(cells)) if not is_empty(cells[i])), None)
        if beyond is not None:
            raise _err(ctx, raw, source_row, f"#{beyond + 1}",
                       f"a value ({text_of(cells[beyond], 'string')!r}) beyond the last column of the header: move it into a column, or remove it.",
                       f"une valeur ({text_of(cells[beyond], 'string')!r}) au-delà de la dernière colonne de l'en-tête : déplacez-la dans une colonne, ou retirez-la.")
        yield source_row, tuple(cells[:width]) + ("",) * (width - len(cells))


def _trimmed(text: str, trim) -> str:
    if trim is True:
        return text.strip()
    if trim == "start":
        return text.lstrip()
    if trim == "end":
        return text.rstrip()
    return text


def _parse(raw_cell, column: Column, trim, where) -> Cell:
    text = _trimmed(text_of(raw_cell, column.datatype), trim)
    if text == "" and column.default:
        text = column.default
    if text in column.null or text == "":
        if column.required:
            raise where(f"empty, but every row needs a value here ({column.name} is required).",
                        f"vide, mais chaque ligne a besoin d'une valeur ici ({column.name} est obligatoire).")
        return Cell(column, None, [] if column.separator else None)
    if column.separator:
        items = text.split(column.separator)
        if column.datatype != "string":
            items = [item.strip() for item in items]
        values = [_lexical(item, column, where) for item in items if item not in column.null and item != ""]
        return Cell(column, text, values)
    return Cell(column, text, _lexical(text, column, where))


def _lexical(text: str, column: Column, where) -> str:
    """The value as written, once checked against its datatype's lexical space (CSVW: a cell error)."""
    kind = column.datatype
    if kind == "string":
        return text
    if kind != "anyURI":
        text = " ".join(text.split())
    pattern = _LEXICAL.get(kind)
    if pattern is None:
        if kind == "anyURI" and _WHITESPACE.search(text):
            raise where(f"{text!r} is not a URI (it holds a space).", f"{text!r} n'est pas une URI (elle contient une espace).")
        return text
    match = pattern.match(text)
    if match and kind in ("date", "dateTime") and not _real_date(match):
        match = None
    if match:
        return text
    raise where(*_lexical_hint(text, kind))


def _real_date(match) -> bool:
    year, month, day = (int(g) for g in match.groups()[:3])
    try:
        datetime.date(max(year, 1), month, day)
    except ValueError:
        return False
    if len(match.groups()) > 4 and match.group(4) is not None:
        hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6))
        return hour < 24 and minute < 60 and second < 60
    return True


def _lexical_hint(text: str, kind: str) -> tuple[str, str]:
    if kind in ("date", "dateTime"):
        example = "2026-03-22" if kind == "date" else "2026-03-22T10:00:00"
        day_first = _DAY_FIRST.match(text)
        if day_first:
            d, m, y = day_first.groups()
            example = f"{y}-{int(m):02d}-{int(d):02d}" + ("" if kind == "date" else "T10:00:00")
        what_en, what_fr = ("a date", "une date") if kind == "date" else ("a date and time", "une date et heure")
        return (f"{text!r} is not {what_en}: write it year-month-day, {example} (or make it a date cell), a date that exists.",
                f"{text!r} n'est pas {what_fr} : écrivez-la année-mois-jour, {example} (ou faites-en une cellule de date), une date qui existe.")
    if kind in ("decimal", "double", "float", "integer"):
        if kind != "integer" and re.match(r"^[+-]?\d+,\d+$", text):
            fixed = text.replace(",", ".")
            return (f"{text!r} is written with a decimal comma: write {fixed}, with a point.",
                    f"{text!r} est écrit avec une virgule décimale : écrivez {fixed}, avec un point.")
        what = {"integer": ("a whole number", "un nombre entier")}.get(kind, ("a number", "un nombre"))
        return (f"{text!r} is not {what[0]}: write digits only, such as {'12' if kind == 'integer' else '50.668'}.",
                f"{text!r} n'est pas {what[1]} : n'écrivez que des chiffres, comme {'12' if kind == 'integer' else '50.668'}.")
    if kind == "boolean":
        return (f"{text!r} is not a boolean: write true or false.", f"{text!r} n'est pas un booléen : écrivez true ou false.")
    return (f"{text!r} is not a valid {kind}.", f"{text!r} n'est pas un {kind} valide.")


def _convert_row(number: int, source_row: int, cells: tuple, table: Table, raw: RawTable, ctx: Context, keys: dict) -> None:
    def where_for(column: Column):
        return lambda en, fr: _err(ctx, raw, source_row, column.name, en, fr)

    parsed: dict[str, Cell] = {}
    for column, raw_cell in zip(table.real, cells):
        parsed[column.name] = _parse(raw_cell, column, table.dialect.trim, where_for(column))
    if table.primary_key:
        key = tuple(parsed[name].text for name in table.primary_key)
        if key in keys:
            names = ", ".join(table.primary_key)
            raise _err(ctx, raw, source_row, table.primary_key[0],
                       f"the same {names} as row {keys[key]}: the metadata makes {names} the table's key (one row per entity).",
                       f"même {names} que la ligne {keys[key]} : les métadonnées font de {names} la clé de la table (une ligne par entité).")
        keys[key] = source_row
    variables = {name: cell.value for name, cell in parsed.items() if cell.value not in (None, [])}
    row_node = None
    for column in table.columns:
        if column.suppress:
            continue
        cell = parsed.get(column.name)
        if cell is not None and cell.value in (None, []):
            continue
        where = where_for(column)
        context = {**variables, "_row": str(number), "_sourceRow": str(source_row), "_column": str(column.number),
                   "_sourceColumn": str(column.number), "_name": column.name}
        if column.about:
            subject = ox.NamedNode(_expand(column.about, context, table, parsed, column, where, raw_cell_of=cell))
        else:
            if row_node is None:
                row_node = ox.BlankNode(f"b{ctx.salt}n{ctx.blank_count}")
                ctx.blank_count += 1
            subject = row_node
        predicate = ox.NamedNode(_expand(column.property, context, table, parsed, column, where) if column.property
                                 else f"{table.resolved}#{quote(column.name, safe='')}")
        if column.value:
            objects = [ox.NamedNode(_expand(column.value, context, table, parsed, column, where, raw_cell_of=cell, predicate=predicate.value))]
        else:
            objects = [_literal(v, column) for v in (cell.value if isinstance(cell.value, list) else [cell.value])]
        for obj in objects:
            quad = ox.Quad(subject, predicate, obj, ctx.graph)
            ctx.quads.append(quad)
            if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value.startswith(PREFIXES["xsd"]) and column.datatype != "string":
                ctx.literals.append(quad)
        if isinstance(subject, ox.NamedNode):
            found = ctx.places.setdefault(subject, [Place(ctx.display, source_row, False)])
            if predicate.value == RDF_TYPE and found[0].line == source_row and not found[0].typed:
                found[0] = Place(ctx.display, source_row, True)


def _literal(value: str, column: Column) -> ox.Literal:
    if column.datatype == "string":
        return ox.Literal(value, language=column.lang) if column.lang else ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(column.datatype_iri))


def _expand(template: str, context: dict, table: Table, parsed: dict, column: Column, where, raw_cell_of: Cell | None = None,
            predicate: str | None = None) -> str:
    compiled = uritemplate.URITemplate(template)
    for name in compiled.variable_names:
        cell = parsed.get(name)
        if cell is None:
            continue
        if cell.value in (None, []):
            raise where(f"{name} is empty in this row, but this column's {_role(template, column)} is made from it: fill {name} too "
                        "(or empty this cell).",
                        f"{name} est vide sur cette ligne, mais {_role_fr(template, column)} de cette colonne en est fait : remplissez "
                        f"aussi {name} (ou videz cette cellule).")
        values = cell.value if isinstance(cell.value, list) else [cell.value]
        whole = template.strip() == "{+" + name + "}"
        if len(values) > 1:
            raise where(f"{name} holds several values ({cell.text!r}), but an IRI is made from it, and CSVW makes one IRI of a cell: "
                        "keep one value per cell, and give the others rows of their own with the same iri.",
                        f"{name} contient plusieurs valeurs ({cell.text!r}), mais une IRI en est faite, et CSVW fait une seule IRI d'une "
                        "cellule : gardez une valeur par cellule, et donnez aux autres leurs propres lignes avec la même iri.")
        if not whole:
            continue
        tokens = values[0].split()
        if len(tokens) > 1 and all(":" in t or "/" in t for t in tokens):
            raise where(f"{cell.text!r} holds several IRIs, and CSVW makes one IRI of a cell: keep one here, and give each of the "
                        f"others a row of its own with the same iri (and only {name} filled).",
                        f"{cell.text!r} contient plusieurs IRI, et CSVW fait une seule IRI d'une cellule : gardez-en une ici, et donnez "
                        f"à chacune des autres sa propre ligne avec la même iri (et seulement {name} rempli).")
        if any(_WHITESPACE.search(v) for v in values):
            raise where(f"{cell.text!r} holds a space, but an IRI is made from it: write one IRI per cell, without spaces "
                        "(several values: one row each, with the same iri).",
                        f"{cell.text!r} contient une espace, mais une IRI en est faite : écrivez une IRI par cellule, sans espace "
                        "(plusieurs valeurs : une ligne chacune, avec la même iri).")
        if any(v.startswith("schema:") for v in values):
            local = values[0][len("schema:"):]
            raise where(f"{values[0]!r}: in CSVW, schema: means {HTTP_SCHEMA}, not {SCHEMA}; write the whole IRI, {SCHEMA}{local}.",
                        f"{values[0]!r} : en CSVW, schema: désigne {HTTP_SCHEMA}, pas {SCHEMA} ; écrivez l'IRI entière, {SCHEMA}{local}.")
        if predicate == RDF_TYPE and ":" not in values[0]:
            raise where(f"{values[0]!r} is a class without its namespace: write the whole IRI, such as {SCHEMA}{values[0]}.",
                        f"{values[0]!r} est une classe sans son espace de noms : écrivez l'IRI entière, par exemple {SCHEMA}{values[0]}.")
    expanded = compiled.expand(**{k: v for k, v in context.items() if v is not None})
    prefix, sep, local = expanded.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        expanded = PREFIXES[prefix] + local
    iri = urljoin(table.resolved, expanded)
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise where(f"makes the IRI <{iri}>, which is not valid ({exc}).", f"donne l'IRI <{iri}>, qui n'est pas valide ({exc}).") from None
    return iri


def _role(template: str, column: Column) -> str:
    return {column.about: "subject", column.property: "property", column.value: "value"}.get(template, "IRI")


def _role_fr(template: str, column: Column) -> str:
    return {column.about: "le sujet", column.property: "la propriété", column.value: "la valeur"}.get(template, "l'IRI")
