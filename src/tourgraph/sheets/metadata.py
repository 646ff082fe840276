"""CSVW metadata (W3C "Metadata Vocabulary for Tabular Data"): found beside a spreadsheet the way the
standard finds it, read for the subset of the vocabulary that tourgraph's tables use.

A sheet is read as if it and its metadata were published at the project's base IRI, as the Turtle
files are: the metadata's URL is ``{base}{metadata file name}``, a table's URL is resolved against it,
and relative IRIs in cells (``person/jane-doe``) resolve to ``{base}person/jane-doe``. What the subset
does not cover (formats, transformations, ordered lists, several header rows) is refused with the
property named, never read differently from the standard.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..errors import InputError

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# The prefixes of CSVW's initial context (the W3C's csvw.jsonld): what "dc:title" or "schema:name"
# mean in a metadata file or a URI template. schema: is http://schema.org/ there.
PREFIXES = {
    "as": "https://www.w3.org/ns/activitystreams#", "cc": "http://creativecommons.org/ns#", "csvw": "http://www.w3.org/ns/csvw#",
    "ctag": "http://commontag.org/ns#", "dc": "http://purl.org/dc/terms/", "dc11": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#", "dcterms": "http://purl.org/dc/terms/", "dctypes": "http://purl.org/dc/dcmitype/",
    "dqv": "http://www.w3.org/ns/dqv#", "duv": "https://www.w3.org/TR/vocab-duv#", "foaf": "http://xmlns.com/foaf/0.1/",
    "gr": "http://purl.org/goodrelations/v1#", "grddl": "http://www.w3.org/2003/g/data-view#", "ical": "http://www.w3.org/2002/12/cal/icaltzd#",
    "ldp": "http://www.w3.org/ns/ldp#", "ma": "http://www.w3.org/ns/ma-ont#", "oa": "http://www.w3.org/ns/oa#", "og": "http://ogp.me/ns#",
    "org": "http://www.w3.org/ns/org#", "owl": "http://www.w3.org/2002/07/owl#", "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#", "rdf": RDF, "rdfa": "http://www.w3.org/ns/rdfa#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "rev": "http://purl.org/stuff/rev#", "rif": "http://www.w3.org/2007/rif#",
    "rr": "http://www.w3.org/ns/r2rml#", "schema": "http://schema.org/", "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sioc": "http://rdfs.org/sioc/ns#", "skos": "http://www.w3.org/2004/02/skos/core#", "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "v": "http://rdf.data-vocabulary.org/#", "vcard": "http://www.w3.org/2006/vcard/ns#", "void": "http://rdfs.org/ns/void#",
    "wdr": "http://www.w3.org/2007/05/powder#", "wrds": "http://www.w3.org/2007/05/powder-s#", "xhv": "http://www.w3.org/1999/xhtml/vocab#",
    "xml": "http://www.w3.org/XML/1998/namespace", "xsd": XSD,
}
# Datatype names of CSVW (its aliases included) -> XSD local name, for the datatypes tourgraph reads.
DATATYPES = {
    "string": "string", "date": "date", "datetime": "dateTime", "dateTime": "dateTime", "decimal": "decimal",
    "integer": "integer", "double": "double", "number": "double", "float": "float", "boolean": "boolean", "anyURI": "anyURI",
}
INHERITED = ("aboutUrl", "datatype", "default", "lang", "null", "ordered", "propertyUrl", "required", "separator", "textDirection", "valueUrl")
_GROUP_KEYS = {"@context", "@id", "@type", "tables", "dialect", "notes", "tableDirection", "tableSchema", "transformations", *INHERITED}
_TABLE_KEYS = {"@context", "@id", "@type", "url", "dialect", "notes", "suppressOutput", "tableDirection", "tableSchema", "transformations", *INHERITED}
_SCHEMA_KEYS = {"@id", "@type", "columns", "primaryKey", "foreignKeys", "rowTitles", "notes", *INHERITED}
_COLUMN_KEYS = {"@id", "@type", "name", "titles", "suppressOutput", "virtual", "notes", *INHERITED}
_DIALECT_KEYS = {"@id", "@type", "delimiter", "quoteChar", "doubleQuote", "header", "headerRowCount", "encoding", "trim", "skipBlankRows", "skipInitialSpace"}


@dataclass(frozen=True)
class Column:
    """One column description with its inherited properties resolved (CSVW's annotations of a column)."""

    number: int  # 1-based, real columns first, as CSVW numbers them
    name: str
    titles: tuple[str, ...]
    virtual: bool
    suppress: bool
    about: str | None
    property: str | None
    value: str | None
    datatype: str  # XSD local name
    datatype_iri: str
    lang: str | None
    null: tuple[str, ...]
    default: str
    separator: str | None
    required: bool


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote: str = '"'
    double_quote: bool = True
    header: bool = True
    trim: bool | str = True
    skip_blank_rows: bool = False


@dataclass(frozen=True)
class Table:
    """A table description: its URL (as written and resolved), columns, key and dialect."""

    url: str
    resolved: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    suppress: bool
    dialect: Dialect

    @property
    def real(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.virtual)

    @property
    def file_name(self) -> str:
        return self.resolved.rsplit("/", 1)[-1].split("#", 1)[0]


@dataclass(frozen=True)
class Metadata:
    """One metadata document: where it is, its URL, its tables and its top-level annotations."""

    path: Path
    display: str
    url: str
    tables: tuple[Table, ...]
    annotations: tuple[tuple[str, object], ...]  # (property IRI, JSON-LD value) of the top-level object
    language: str | None


def _error(display: str, en: str, fr: str, line: int | None = None) -> InputError:
    return InputError(en, path=display, line=line, fr=fr)


def expand_name(name: str) -> str:
    """A prefixed name (dc:title) as the IRI CSVW's context gives it; an IRI or plain word unchanged."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def candidates(sheet: Path) -> list[Path]:
    """Where CSVW looks for a file's metadata: ``{file}-metadata.json``, then ``csv-metadata.json``."""
    return [sheet.with_name(sheet.name + "-metadata.json"), sheet.with_name("csv-metadata.json")]


def is_metadata_file(path: Path) -> bool:
    return path.name.lower() == "csv-metadata.json" or path.name.lower().endswith("-metadata.json")


def read_metadata(path: Path, display: str, base: str) -> Metadata:
    """Parse one metadata document; InputError naming the file (and line) for what cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise _error(display, "not UTF-8 text: save the metadata file as UTF-8.", "ce n'est pas du texte UTF-8 : enregistrez le fichier de métadonnées en UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise _error(display, f"invalid JSON: {exc.msg}.", f"JSON invalide : {exc.msg}.", line=exc.lineno) from None
    if not isinstance(document, dict):
        raise _error(display, "a CSVW metadata file holds one JSON object.", "un fichier de métadonnées CSVW contient un objet JSON.")
    language, own_base = _context(document, display)
    url = urljoin(base, own_base) if own_base else urljoin(base, path.name)
    if "tables" in document:
        _check_keys(document, _GROUP_KEYS, display, "table group")
        if not isinstance(document["tables"], list) or not document["tables"]:
            raise _error(display, '"tables" must be a list of table descriptions.', '"tables" doit être une liste de descriptions de tables.')
        tables = tuple(_table(t, document, url, display) for t in document["tables"])
    elif "url" in document:
        tables = (_table(document, {}, url, display),)
    else:
        raise _error(display, 'not a CSVW table description: it has neither "tables" nor "url".',
                     'ce n\'est pas une description de table CSVW : ni "tables" ni "url".')
    annotations = tuple((expand_name(k), v) for k, v in sorted(document.items()) if ":" in k)
    return Metadata(path=path, display=display, url=url, tables=tables, annotations=annotations, language=language)


def _context(document: dict, display: str) -> tuple[str | None, str | None]:
    context = document.get("@context")
    extra: dict = {}
    if isinstance(context, list) and len(context) == 2 and context[0] == CSVW_CONTEXT and isinstance(context[1], dict):
        extra = context[1]
    elif context != CSVW_CONTEXT:
        raise _error(display, f'"@context" must be "{CSVW_CONTEXT}" (or a list of it and {{"@language": …}}).',
                     f'"@context" doit valoir "{CSVW_CONTEXT}" (ou une liste de celui-ci et de {{"@language": …}}).')
    unknown = set(extra) - {"@language", "@base"}
    if unknown:
        raise _error(display, f"the @context may add only @language and @base, not {', '.join(sorted(unknown))}.",
                     f"le @context ne peut ajouter que @language et @base, pas {', '.join(sorted(unknown))}.")
    return extra.get("@language"), extra.get("@base")


def _check_keys(obj: dict, allowed: set, display: str, what: str) -> None:
    for key in obj:
        if key in allowed or ":" in key:
            continue
        raise _error(display, f'"{key}" is not a property of a CSVW {what} that tourgraph reads.',
                     f'« {key} » n\'est pas une propriété de {what} CSVW que tourgraph lit.')
    if "transformations" in obj and obj["transformations"]:
        raise _error(display, '"transformations" are not applied by tourgraph: remove them.', 'tourgraph n\'applique pas les "transformations" : retirez-les.')


def _inherited(levels: list[dict]) -> dict:
    found: dict = {}
    for level in levels:
        for key in INHERITED:
            if key in level:
                found[key] = level[key]
    return found


def _dialect(spec, display: str) -> Dialect:
    if spec is None:
        return Dialect()
    if not isinstance(spec, dict):
        raise _error(display, '"dialect" must be an object such as {"delimiter": ";"}.', '"dialect" doit être un objet comme {"delimiter": ";"}.')
    _check_keys(spec, _DIALECT_KEYS, display, "dialect")
    if str(spec.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
        raise _error(display, "tourgraph reads UTF-8 spreadsheets only: save the file as UTF-8 and remove \"encoding\".",
                     "tourgraph ne lit que des tableurs en UTF-8 : enregistrez le fichier en UTF-8 et retirez \"encoding\".")
    rows = spec.get("headerRowCount", 1 if spec.get("header", True) else 0)
    if rows not in (0, 1):
        raise _error(display, "only one header row (or none) is read: set \"headerRowCount\" to 1.", "une seule ligne d'en-tête (ou aucune) est lue : \"headerRowCount\" à 1.")
    if spec.get("skipInitialSpace"):
        raise _error(display, '"skipInitialSpace" is not read: remove it (cells are trimmed by default).',
                     '"skipInitialSpace" n\'est pas lu : retirez-le (les cellules sont rognées par défaut).')
    trim = spec.get("trim", True)
    trim = {"true": True, "false": False}.get(trim, trim) if isinstance(trim, str) else trim
    return Dialect(delimiter=spec.get("delimiter", ","), quote=spec.get("quoteChar", '"'), double_quote=bool(spec.get("doubleQuote", True)),
                   header=rows == 1, trim=trim, skip_blank_rows=bool(spec.get("skipBlankRows", False)))


def _datatype(spec, display: str, column: str) -> tuple[str, str]:
    name, iri = spec, None
    if isinstance(spec, dict):
        unknown = set(spec) - {"base", "@id", "@type"}
        if unknown:
            raise _error(display, f"column {column}: datatype {', '.join(sorted(unknown))} is not read by tourgraph (only \"base\"): remove it.",
                         f"colonne {column} : {', '.join(sorted(unknown))} d'un type n'est pas lu par tourgraph (seulement \"base\") : retirez-le.")
        name, iri = spec.get("base", "string"), spec.get("@id")
    if name not in DATATYPES:
        supported = ", ".join(sorted(DATATYPES))
        raise _error(display, f"column {column}: datatype {name!r} is not read by tourgraph (it reads {supported}).",
                     f"colonne {column} : le type {name!r} n'est pas lu par tourgraph (il lit {supported}).")
    local = DATATYPES[name]
    return local, expand_name(iri) if iri else XSD + local


def _table(spec, group: dict, url: str, display: str) -> Table:
    if not isinstance(spec, dict) or not isinstance(spec.get("url"), str):
        raise _error(display, 'each table needs a "url" naming its file, such as "people.csv".', 'chaque table a besoin d\'une "url" qui nomme son fichier, comme "people.csv".')
    _check_keys(spec, _TABLE_KEYS, display, "table")
    schema = spec.get("tableSchema", group.get("tableSchema", {}))
    if not isinstance(schema, dict):
        raise _error(display, f"table {spec['url']}: the tableSchema must be written inside the metadata (an object), not linked.",
                     f"table {spec['url']} : le tableSchema doit être écrit dans les métadonnées (un objet), pas lié.")
    _check_keys(schema, _SCHEMA_KEYS, display, "schema")
    levels = [group, spec, schema]
    columns = []
    specs = schema.get("columns", [])
    if not isinstance(specs, list):
        raise _error(display, f"table {spec['url']}: \"columns\" must be a list.", f"table {spec['url']} : \"columns\" doit être une liste.")
    for number, column in enumerate(specs, start=1):
        columns.append(_column(column, number, levels, display, spec["url"]))
    virtual_seen = False
    for column in columns:
        if virtual_seen and not column.virtual:
            raise _error(display, f"table {spec['url']}: virtual columns come after the real ones (column {column.name}).",
                         f"table {spec['url']} : les colonnes virtuelles viennent après les réelles (colonne {column.name}).")
        virtual_seen = virtual_seen or column.virtual
    key = schema.get("primaryKey", ())
    key = (key,) if isinstance(key, str) else tuple(key)
    names = {c.name for c in columns}
    for name in key:
        if name not in names:
            raise _error(display, f"table {spec['url']}: primaryKey {name} is not a column.", f"table {spec['url']} : la clé primaire {name} n'est pas une colonne.")
    return Table(url=spec["url"], resolved=urljoin(url, spec["url"]), columns=tuple(columns), primary_key=key,
                 suppress=bool(spec.get("suppressOutput", False)), dialect=_dialect(spec.get("dialect", group.get("dialect")), display))


def _titles(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    if isinstance(value, dict):
        return tuple(t for v in value.values() for t in ([v] if isinstance(v, str) else v))
    return ()


def _column(spec, number: int, levels: list[dict], display: str, table: str) -> Column:
    if not isinstance(spec, dict):
        raise _error(display, f"table {table}: column {number} must be an object.", f"table {table} : la colonne {number} doit être un objet.")
    _check_keys(spec, _COLUMN_KEYS, display, "column")
    titles = _titles(spec.get("titles"))
    name = spec.get("name") or (titles[0] if titles else f"_col.{number}")
    found = _inherited([*levels, spec])
    if found.get("ordered"):
        raise _error(display, f"column {name}: ordered lists (rdf:List) are not read by tourgraph: remove \"ordered\".",
                     f"colonne {name} : les listes ordonnées (rdf:List) ne sont pas lues par tourgraph : retirez \"ordered\".")
    datatype, datatype_iri = _datatype(found.get("datatype", "string"), display, name)
    null = found.get("null", "")
    lang = found.get("lang")
    for key in ("aboutUrl", "propertyUrl", "valueUrl"):
        if key in found and not isinstance(found[key], str):
            raise _error(display, f"column {name}: {key} must be a URI template (a string).", f"colonne {name} : {key} doit être un modèle d'URI (une chaîne).")
    return Column(
        number=number, name=name, titles=titles, virtual=bool(spec.get("virtual", False)), suppress=bool(spec.get("suppressOutput", False)),
        about=found.get("aboutUrl"), property=found.get("propertyUrl"), value=found.get("valueUrl"),
        datatype=datatype, datatype_iri=datatype_iri, lang=None if lang in (None, "und") else lang,
        null=(null,) if isinstance(null, str) else tuple(null), default=str(found.get("default", "")),
        separator=found.get("separator"), required=bool(found.get("required", False)),
    )
