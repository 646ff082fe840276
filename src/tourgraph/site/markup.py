"""schema.org JSON-LD for one entity, framed as a tree the way search engines read it, and the
escaping that makes it safe inside an HTML ``<script>`` element.

Only schema.org terms: tourgraph's own properties are left out (the materialised graph states their
schema.org super-properties), and so are non-schema types.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..graph import SCHEMA
from .graphindex import RDF_TYPE, XSD, GraphIndex, literal_sort_key, pick_sorted

CONTEXT = "https://schema.org/"
# Properties whose values are URLs for schema.org consumers: written as IRI strings, not as nodes.
URL_PROPERTIES = frozenset(
    SCHEMA + p for p in ("additionalType", "sameAs", "url", "image", "logo", "license", "mainEntityOfPage", "contentUrl", "thumbnailUrl")
)
IMAGE = SCHEMA + "image"
# Structured values embedded with all their properties wherever they appear.
EMBEDDED = frozenset(SCHEMA + p for p in ("address", "geo", "contactPoint"))
# What a nested entity carries besides its name: where a place is.
NESTED = frozenset(SCHEMA + p for p in ("name", "address", "geo"))
_NUMBERS = {XSD + "integer": int, XSD + "int": int, XSD + "long": int}


def _schema_key(predicate: str) -> str | None:
    if predicate.startswith(SCHEMA):
        local = predicate[len(SCHEMA):]
        if local and "/" not in local and "#" not in local:
            return local
    return None


def _literal(lit: ox.Literal, keep_language: bool):
    datatype = lit.datatype.value
    if lit.language:
        return {"@value": lit.value, "@language": lit.language} if keep_language else lit.value
    if datatype == XSD + "boolean":
        return lit.value in ("true", "1")
    convert = _NUMBERS.get(datatype)
    if convert is not None:
        try:
            return convert(lit.value)
        except ValueError:
            return lit.value
    return lit.value


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


class Framer:
    """Builds the framed schema.org description of entities from the graph index."""

    # Neighbours framed per (node, language, depth), for the entities that link to them; the memo is
    # emptied when it reaches this size, to bound a worker's memory.
    MEMO_SIZE = 1_000_000

    def __init__(self, index: GraphIndex):
        self.index = index
        self._memo: dict = {}
        self._last_plan: tuple = (None, None)

    def _types(self, node: str):
        types = self.index.schema_types(node)
        return _one_or_many(types) if types else None

    def _plan(self, node: str, full: bool) -> tuple:
        """What a node's object holds whatever the language: its types, and per schema.org property
        (sorted) its literals (sorted) and the nodes it points at (sorted). The last entity's plan
        is kept: its page in each language and its snippet frame it in turn."""
        key = (node, full)
        if self._last_plan[0] == key:
            return self._last_plan[1]
        index = self.index
        predicates = index.props(node)
        rows = []
        for predicate in sorted(predicates):
            name = _schema_key(predicate)
            if name is None or predicate == RDF_TYPE or not index.visible(node, predicate):
                continue
            if not full and predicate not in NESTED:
                continue
            objects = predicates[predicate]
            literals = sorted((o for o in objects if not isinstance(o, str)), key=literal_sort_key)
            targets = sorted(o for o in objects if isinstance(o, str))
            rows.append((name, predicate, literals, targets))
        plan = (self._types(node), rows)
        self._last_plan = (key, plan)
        return plan

    def _value(self, predicate: str, target: str, lang: str | None, depth: int):
        described = target in self.index.out
        if predicate == IMAGE and described and depth < 3:
            # An image the data describes (an ImageObject with its licence and credit) is embedded
            # whole, so that a consumer shows the credit with the picture; a bare image IRI stays a URL.
            return self._nested(target, lang, True, depth + 1)
        if target.startswith(SCHEMA) or predicate in URL_PROPERTIES:
            return target
        if described and (target.startswith("_:") or predicate in EMBEDDED) and depth < 3:
            return self._nested(target, lang, True, depth + 1)
        if described and depth == 0:
            return self._nested(target, lang, False, 1)
        return None if target.startswith("_:") else {"@id": target}

    def _nested(self, node: str, lang: str | None, full: bool, depth: int) -> dict:
        """A neighbour's node object, memoised: the same for every entity that links to it (never
        mutated: documents only nest it)."""
        key = (node, lang, full, depth)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._node(node, lang, full=full, depth=depth)
        return found

    def _node(self, node: str, lang: str | None, full: bool, depth: int) -> dict:
        out: dict = {} if node.startswith("_:") else {"@id": node}
        types, rows = self._plan(node, full) if depth == 0 else self._plan_of(node, full)
        if types is not None:
            out["@type"] = types
        keep_language = lang is None
        for name, predicate, literals, targets in rows:
            values = [_literal(lit, keep_language) for lit in pick_sorted(literals, lang)]
            for target in targets:
                value = self._value(predicate, target, lang, depth)
                if value is not None:
                    values.append(value)
            if values:
                out[name] = _one_or_many(values)
        return out

    def _plan_of(self, node: str, full: bool) -> tuple:
        """A neighbour's plan, without disturbing the kept plan of the entity being framed."""
        kept = self._last_plan
        try:
            self._last_plan = (None, None)
            return self._plan(node, full)
        finally:
            self._last_plan = kept

    def frame(self, iri: str, lang: str | None = None) -> dict:
        """The entity and its direct neighbours as one schema.org tree; ``lang`` picks one language
        for text, None keeps every language as ``{"@value", "@language"}``."""
        return {"@context": CONTEXT, **self._node(iri, lang, full=True, depth=0)}


def dumps(document: dict, indent: int | None = 1) -> str:
    """Deterministic JSON text; ``indent=None`` is compact and uses the C encoder (pages use it).
    Indented text is what ``json.dumps(..., sort_keys=True, indent=1)`` writes, made by ``_indented``
    (the standard library's indenting encoder is a chain of Python generators, several times slower)."""
    if indent == 1:
        out: list[str] = []
        _indented(document, "\n", out)
        return "".join(out)
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=indent)


_encode_string = json.encoder.encode_basestring  # the C function when available, as json.dumps uses


def _indented(value, newline: str, out: list) -> None:
    """Append ``value`` as indented JSON (one space per level) to ``out``; ``newline`` is the line
    break and indentation of the value's own level."""
    kind = type(value)
    if kind is str:
        out.append(_encode_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        first = True
        for key in sorted(value):
            if type(key) is not str:
                raise TypeError(f"keys must be str, not {type(key).__name__}")
            out.append(("{" if first else ",") + inner + _encode_string(key) + ": ")
            first = False
            _indented(value[key], inner, out)
        out.append(newline + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        first = True
        for item in value:
            out.append(("[" if first else ",") + inner)
            first = False
            _indented(item, inner, out)
        out.append(newline + "]")
    else:
        # Numbers, booleans, null and anything rarer: exactly as the json module writes them.
        out.append(json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).replace("\n", newline))




def script_json(document: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: no value can close the element or
    open a comment, because <, > and & (and the JavaScript line separators) are written as escapes."""
    text = dumps(document, indent=None)
    # Chained str.replace runs in C; str.translate with a mapping is several times slower here.
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
