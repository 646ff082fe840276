"""Stored SPARQL queries (queries/*.rq): header comments give title, description and parameters;
parameters are bound by a VALUES block of validated RDF terms at the start of the WHERE group, never
by pasting strings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .graph import PREFIXES, KnowledgeGraph, compact
from .sparql_guard import Refused, where_start

PARAM_TYPES = ("iri", "string", "integer", "date")
_HEADER_RE = re.compile(r"^#\s*(title|description)(?:@([a-z]{2}))?\s*:\s*(.+?)\s*$")
_PARAM_RE = re.compile(r"^#\s*param\s*:\s*([A-Za-z_]\w*)\s+(\w+)(?:\s+(.+?))?\s*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None


@dataclass(frozen=True)
class StoredQuery:
    name: str
    text: str
    path: Path | None = None
    title: dict = field(default_factory=dict)
    description: dict = field(default_factory=dict)
    params: tuple[Param, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("") or next(iter(self.title.values()), self.name)


def parse_query(text: str, name: str, path: Path | None = None) -> StoredQuery:
    """Read the header comments of a query file."""
    title: dict = {}
    description: dict = {}
    params = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        if match := _PARAM_RE.match(stripped):
            pname, ptype, default = match.groups()
            if ptype not in PARAM_TYPES:
                raise InputError(f"parameter {pname}: type must be one of {', '.join(PARAM_TYPES)}, not {ptype}.", path=str(path or name), line=number)
            params.append(Param(pname, ptype, default))
        elif match := _HEADER_RE.match(stripped):
            key, lang, value = match.groups()
            (title if key == "title" else description)[lang or ""] = value
    return StoredQuery(name=name, text=text, path=path, title=title, description=description, params=tuple(params))


def stored_queries(folder: Path) -> dict[str, StoredQuery]:
    """Every queries/*.rq by name (file stem)."""
    if not folder.is_dir():
        return {}
    return {p.stem: parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.rq"))}


def find_query(name_or_file: str, folder: Path) -> StoredQuery:
    """A stored query by name, or a query file given by path."""
    queries = stored_queries(folder)
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), path.stem, path)
    known = ", ".join(queries) or "none"
    raise InputError(f"no stored query or file named {name_or_file!r} (stored queries: {known}).")


def term_for(param: Param, raw: str, base: str):
    """A validated RDF term for a parameter value; raises InputError for a bad value."""
    if param.type == "iri":
        iri = raw.strip().removeprefix("<").removesuffix(">")
        if ":" in iri and iri.split(":", 1)[0] in PREFIXES and "://" not in iri:
            prefix, local = iri.split(":", 1)
            iri = PREFIXES[prefix] + local
        elif "://" not in iri:
            iri = base + iri.lstrip("/")
        if _IRI_FORBIDDEN.search(iri) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", iri):
            raise InputError(f"parameter {param.name}: {raw!r} is not a valid IRI.")
        return ox.NamedNode(iri)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw.strip()):
            raise InputError(f"parameter {param.name}: {raw!r} is not an integer.")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if param.type == "date":
        try:
            dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise InputError(f"parameter {param.name}: {raw!r} is not a date (YYYY-MM-DD).") from None
        return ox.Literal(raw.strip(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    return ox.Literal(raw)


def bind(query: StoredQuery, values: dict[str, str], base: str) -> str:
    """The query text with its parameters bound by a trailing VALUES clause (defaults filled in)."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise InputError(f"query {query.name} has no parameter {', '.join(unknown)} (declared: {names}).")
    bound = []
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise InputError(f"query {query.name} needs --param {param.name}=… ({param.type}).")
        bound.append((param.name, term_for(param, raw, base)))
    if not bound:
        return query.text
    names = " ".join(f"?{n}" for n, _ in bound)
    terms = " ".join(str(t) for _, t in bound)
    try:
        start = where_start(query.text)
    except Refused as exc:
        raise InputError(f"query {query.name}: {exc.reason}") from None
    if start < 0:
        raise InputError(f"query {query.name} has parameters but no WHERE group to bind them in.")
    # Bound at the start of the WHERE group, the values drive the evaluation: a trailing VALUES
    # clause would let the engine compute every answer first and filter afterwards. (A parameter
    # used only inside an OPTIONAL therefore binds before it, not after: declare parameters that the
    # required part of the pattern uses.)
    return f"{query.text[:start]} VALUES ({names}) {{ ({terms}) }}{query.text[start:]}"


@dataclass(frozen=True)
class Table:
    """SELECT results: variable names and rows of terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple, ...]


def run_local(kg: KnowledgeGraph, sparql: str, name: str = "query") -> Table:
    """Run a SELECT query over the union of the graph's named graphs."""
    try:
        results = kg.store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise InputError(f"SPARQL syntax error in {name}: {exc}") from None
    if not isinstance(results, ox.QuerySolutions):
        raise InputError(f"{name} is not a SELECT query; stored queries return tables.")
    variables = tuple(v.value for v in results.variables)
    return Table(variables, tuple(tuple(row[v] for v in variables) for row in results))


def _plain(term) -> str:
    if term is None:
        return ""
    return term.value


def format_table(table: Table, fmt: str) -> str:
    """Render results as an aligned text table, CSV, TSV or SPARQL 1.1 JSON results."""
    if fmt == "json":
        bindings = []
        for row in table.rows:
            binding = {}
            for var, term in zip(table.variables, row):
                if term is None:
                    continue
                if isinstance(term, ox.NamedNode):
                    binding[var] = {"type": "uri", "value": term.value}
                elif isinstance(term, ox.BlankNode):
                    binding[var] = {"type": "bnode", "value": term.value}
                else:
                    entry = {"type": "literal", "value": term.value}
                    if term.language:
                        entry["xml:lang"] = term.language
                    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        entry["datatype"] = term.datatype.value
                    binding[var] = entry
            bindings.append(binding)
        return json.dumps({"head": {"vars": list(table.variables)}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(table.variables)
            writer.writerows([_plain(t) for t in row] for row in table.rows)
        else:
            buffer.write("\t".join(f"?{v}" for v in table.variables) + "\n")
            for row in table.rows:
                buffer.write("\t".join("" if t is None else str(t) for t in row) + "\n")
        return buffer.getvalue()
    cells = [[compact(t.value) if isinstance(t, ox.NamedNode) else _plain(t) for t in row] for row in table.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(table.variables)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(table.variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(out) + "\n"
