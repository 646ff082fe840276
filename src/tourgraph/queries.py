"""Stored SPARQL queries (queries/*.rq): header comments give title, description and parameters.
Parameters are validated RDF terms bound by the engine (pyoxigraph's SEP-0007 substitutions), never
pasted into the text; a remote endpoint gets them as a trailing VALUES clause where that gives the
same answers (sparql_binding)."""

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
from .sparql_binding import Unbindable, bind_values
from .sparql_guard import Refused, inspect, parse

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
    lines: dict[str, int] = {}
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
            lines[pname] = number
        elif match := _HEADER_RE.match(stripped):
            key, lang, value = match.groups()
            (title if key == "title" else description)[lang or ""] = value
    if params:
        _check_projected(text, name, path, lines)
    return StoredQuery(name=name, text=text, path=path, title=title, description=description, params=tuple(params))


def _check_projected(text: str, name: str, path: Path | None, lines: dict[str, int]) -> None:
    """The engine binds a SELECT's parameters only if the SELECT clause returns them."""
    from rdflib.plugins.sparql.algebra import translateQuery

    where = str(path or name)
    try:
        tree = parse(text)
        if tree[1].name != "SelectQuery":
            return
        projected = {str(v) for v in translateQuery(tree, initNs=PREFIXES).algebra.PV}
    except Refused as exc:
        raise InputError(exc.reason, path=where) from None
    except Exception as exc:  # rdflib's algebra raises plain Exceptions
        raise InputError(f"rdflib cannot read this query: {exc}", path=where) from None
    for pname, number in lines.items():
        if pname not in projected:
            raise InputError(f"parameter {pname} is not in the SELECT clause: add ?{pname} to it (the engine binds parameters as result columns).", path=where, line=number)


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
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            raise InputError(f"parameter {param.name}: {raw!r} is not a valid IRI ({exc}).") from None
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


def substitutions(query: StoredQuery, values: dict[str, str], base: str) -> dict[str, object]:
    """The validated term of every declared parameter (defaults filled in), by variable name."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise InputError(f"query {query.name} has no parameter {', '.join(unknown)} (declared: {names}).")
    bound = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise InputError(f"query {query.name} needs --param {param.name}=… ({param.type}).")
        bound[param.name] = term_for(param, raw, base)
    return bound


def bind(query: StoredQuery, values: dict[str, str], base: str) -> str:
    """The query text with its parameters in a trailing VALUES clause, for endpoints that cannot take
    substitutions; InputError where that would not give the engine's answers."""
    try:
        return bind_values(query.text, substitutions(query, values, base), PREFIXES, base)
    except (Unbindable, Refused) as exc:
        raise InputError(f"query {query.name}: {exc}", path=str(query.path) if query.path else None) from None


def unmatched_iris(store, terms: dict[str, object]) -> list[str]:
    """The names of IRI parameters whose IRI occurs nowhere in the store (a likely typo)."""
    missing = []
    for name, term in terms.items():
        if not isinstance(term, ox.NamedNode):
            continue
        patterns = ((term, None, None, None), (None, term, None, None), (None, None, term, None), (None, None, None, term))
        if not any(next(iter(store.quads_for_pattern(*p)), None) is not None for p in patterns):
            missing.append(name)
    return missing


@dataclass(frozen=True)
class Table:
    """SELECT results: variable names and rows of terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple, ...]


def run_local(kg: KnowledgeGraph, sparql: str, name: str = "query", *, substitutions: dict | None = None, base_iri: str | None = None) -> Table:
    """Run a SELECT query over the union of the graph's named graphs, the parameters bound by the engine."""
    try:
        info = inspect(sparql, base_iri, PREFIXES)
    except Refused as exc:
        raise InputError(f"{name}: {exc.reason}") from None
    if info.form != "SELECT":
        raise InputError(f"{name} is not a SELECT query; stored queries return tables.")
    bound = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
    try:
        results = kg.store.query(sparql, use_default_graph_as_union=not info.has_dataset, prefixes=PREFIXES, base_iri=base_iri, substitutions=bound)
        variables = tuple(v.value for v in results.variables)
        rows = tuple(tuple(row[v] for v in variables) for row in results)
    except SyntaxError as exc:
        raise InputError(f"SPARQL syntax error in {name}: {exc}") from None
    except RuntimeError as exc:
        raise InputError(f"{name}: cannot bind the parameters: {exc}") from None
    return Table(variables, rows)


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
