"""What a SPARQL request may do here, decided on a parse by rdflib's SPARQL 1.1 parser: no update, no
SERVICE, and the graphs its FROM / FROM NAMED clauses name. Oxigraph then parses the same text again
and runs it, so a query runs only when both parsers accept it.

The two parsers must read the same structure. They differ in two known places, each of which could
hide a SERVICE from rdflib while Oxigraph runs it, so rdflib is given the text as Oxigraph reads it:
- rdflib expands ``\\uXXXX`` escapes everywhere before parsing, Oxigraph only inside strings and
  IRIs (``"\\u0022 …SERVICE… #"``): an escape whose character could end a string, an IRI or a comment
  reads as an ordinary letter;
- Oxigraph ends a comment at a carriage return, rdflib only at a line feed (``# x\\r SERVICE …``):
  carriage returns read as line feeds (the same to Oxigraph everywhere but inside long strings).
tests/test_sparql_guard.py holds the differential cases."""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from pyparsing import ParseBaseException, ParseResults
from rdflib import XSD, Literal
from rdflib.plugins.sparql import parser as rdflib_parser
from rdflib.plugins.sparql.parserutils import CompValue

FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
CACHE_BYTES = 8 << 20
# Characters an escape may stand for without changing where rdflib's strings, IRIs and comments end.
_STRUCTURAL = frozenset('<>"\'{}|^`\\#')
_PN_LOCAL_ESCAPE = re.compile(r"\\(.)")
# rdflib's parser crashes on every negative decimal (-1.5): Literal.__neg__ takes no Decimal
# (RDFLib/rdflib#2962, open). Its parse action is replaced by the lexical negation it means.
rdflib_parser.DECIMAL_NEGATIVE.set_parse_action(lambda tokens: Literal("-" + str(tokens[0]), datatype=XSD.decimal))


class Refused(Exception):
    """A request this endpoint will not run, with its HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class QueryInfo:
    """The form of a checked query and the absolute graph IRIs its FROM / FROM NAMED clauses name."""

    form: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def _escape(match: re.Match) -> str:
    code = int(match.group(1), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise Refused(400, f"SPARQL syntax error: {match.group(0)} is not a Unicode code point.")
    char = chr(code)
    if char in _STRUCTURAL or not char.isprintable() or char.isspace():
        return "x"
    return char


def parse(text: str) -> ParseResults:
    """rdflib's parse tree of a query (prologue, query); raises Refused: 403 for an update, 400 otherwise."""
    # rdflib's own escape pattern, so the spans replaced are exactly those rdflib would expand.
    readable = rdflib_parser.expandUnicodeEscapes_re.sub(_escape, text).replace("\r", "\n")
    try:
        return rdflib_parser.Query.parse_string(readable, parse_all=True)
    except ParseBaseException as exc:
        try:
            rdflib_parser.UpdateUnit.parse_string(readable, parse_all=True)
        except (ParseBaseException, RecursionError):
            pass
        else:
            raise Refused(403, "this endpoint is read-only: SPARQL updates are refused.") from None
        message = str(exc.msg).splitlines()[0] if exc.msg else "unexpected text"
        raise Refused(400, f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {message}.") from None
    except RecursionError:
        raise Refused(400, "the query is nested too deeply (or has too many triple patterns in one block) for the SPARQL parser; split it.") from None


def nodes(tree):
    """Every CompValue in a parse tree or an algebra, depth first."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            # Before Mapping: pyparsing registers ParseResults as one, whose values() are only the named results.
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.values())


def resolve(iri: str, base: str | None) -> str:
    """An IRI reference resolved against a base the way Oxigraph resolves it (RFC 3986, by oxiri)."""
    try:
        if base is None:
            return ox.NamedNode(iri).value
        [quad] = ox.parse(f"<{iri}> <urn:x:p> <urn:x:o> .".encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=base)
    except (SyntaxError, ValueError):
        where = "" if base is None else f" against the base <{base}>"
        raise Refused(400, f"SPARQL syntax error: <{iri}> is not a valid IRI{where}.") from None
    return quad.subject.value


def _dataset(tree: ParseResults, base: str | None, prefixes: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    declared = dict(prefixes)
    for decl in tree[0]:
        if decl.name == "Base":
            base = resolve(str(decl.iri), base)
        else:
            declared[decl.prefix or ""] = resolve(str(decl.iri), base)
    default: list[str] = []
    named: list[str] = []
    for clause in tree[1].datasetClause or ():
        is_named = "named" in clause
        target = clause["named"] if is_named else clause["default"]
        if isinstance(target, CompValue):
            prefix = target.prefix or ""
            if prefix not in declared:
                raise Refused(400, f"SPARQL syntax error: undeclared prefix {prefix}:.")
            iri = declared[prefix] + _PN_LOCAL_ESCAPE.sub(r"\1", target.localname or "")
        else:
            iri = resolve(str(target), base)
        (named if is_named else default).append(iri)
    return tuple(default), tuple(named)


def _inspect(text: str, base: str | None, prefixes: Mapping[str, str]) -> QueryInfo:
    tree = parse(text)
    if any(node.name == "ServiceGraphPattern" for node in nodes(tree)):
        raise Refused(403, "SERVICE (federated query) is disabled: this endpoint never makes outbound requests.")
    default, named = _dataset(tree, base, prefixes)
    return QueryInfo(FORMS[tree[1].name], default, named)


class ByteBoundedCache:
    """A least-recently-used map whose entries' sizes (in bytes, as given) add up to at most ``budget``."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> None:
        if size > self.budget // 8:
            return  # one huge text would evict everything else
        with self._lock:
            if key in self._entries:
                self.used -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self.used += size
            while self.used > self.budget:
                self.used -= self._entries.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._entries)


_CACHE = ByteBoundedCache(CACHE_BYTES)


def inspect(text: str, base: str | None = None, prefixes: Mapping[str, str] | None = None) -> QueryInfo:
    """Check a query: no update, no SERVICE; its form and the graphs its dataset clause names.

    Relative IRIs resolve against ``base``; ``prefixes`` are those the engine is given besides the
    query's own. Verdicts (refusals too) are cached by text, bounded by bytes."""
    key = (text, base, tuple(sorted((prefixes or {}).items())))
    found = _CACHE.get(key)
    if found is None:
        try:
            found = _inspect(text, base, prefixes or {})
        except Refused as exc:
            found = exc
        size = sys.getsizeof(text) + sys.getsizeof(base or "") + 512
        if isinstance(found, QueryInfo):
            size += sum(sys.getsizeof(g) for g in found.default_graphs + found.named_graphs)
        _CACHE.put(key, found, size)
    if isinstance(found, Refused):
        raise Refused(found.status, found.reason)
    return found


def check_graphs(iris, known: frozenset[str], what: str) -> None:
    """Refuse graph IRIs that are not graphs of the dataset (they would otherwise name remote data)."""
    for iri in iris:
        if iri not in known:
            raise Refused(400, f"{what} <{iri}> is not a graph of this dataset (see the service description).")
