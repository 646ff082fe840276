"""Lexical forms of XSD datatypes, as RDF 1.1 reads them (the XSD 1.1 lexical spaces, no whitespace
folding: an RDF literal's lexical form is taken exactly as written).

Oxigraph checks eight primitive datatypes itself (a cast of an ill-formed literal fails); every other
XSD datatype is checked here with xmlschema's built-in types (the XML Schema 1.1 meta-schema).
"""

from __future__ import annotations

import functools
import threading

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Oxigraph's own casts: an ill-formed literal of these datatypes fails the cast inside SPARQL.
CASTABLE = frozenset(XSD + name for name in ("boolean", "date", "dateTime", "decimal", "double", "float", "integer", "time"))
# Characters an XSD string may not hold (XML 1.0 Char production).
_NOT_XML_CHAR = {c for c in range(0x20) if c not in (0x9, 0xA, 0xD)} | {0xFFFE, 0xFFFF}

WELL_FORMED_FUNCTION = ox.NamedNode("urn:tourgraph:shacl:wellFormed")
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _types() -> dict:
    # Building the meta-schema takes a third of a second: only projects using such datatypes pay it.
    import xmlschema

    with _lock:
        schema = xmlschema.XMLSchema11.meta_schema
        schema.build()
        return dict(schema.maps.types)


_CAST_STORE = ox.Store()
_VALUE = ox.Variable("v")


@functools.lru_cache(maxsize=65536)
def _casts(lexical: str, datatype: str) -> bool:
    """Whether Oxigraph's cast to ``datatype`` accepts ``lexical``: the check its SPARQL makes of the
    same literal, without xmlschema's meta-schema."""
    rows = _CAST_STORE.query(f"SELECT ?v ?x WHERE {{ BIND(<{datatype}>(?v) AS ?x) }}", substitutions={_VALUE: ox.Literal(lexical)})
    return any(row[1] is not None for row in rows)


def is_xsd(datatype: str) -> bool:
    return datatype.startswith(XSD)


def well_formed(lexical: str, datatype: str) -> bool:
    """True when ``lexical`` is in the lexical space of ``datatype`` (any datatype outside XSD is)."""
    if not is_xsd(datatype):
        return True
    if any(ord(c) in _NOT_XML_CHAR for c in lexical):
        return False
    if datatype in CASTABLE:
        return _casts(lexical, datatype)
    xsd_type = _types().get("{http://www.w3.org/2001/XMLSchema}" + datatype[len(XSD):])
    if xsd_type is None:
        # Not an XSD datatype at all (a typo such as xsd:Date): no lexical space, so nothing is well formed.
        return False
    if datatype in (XSD + "string", XSD + "anySimpleType", XSD + "anyAtomicType"):
        return True
    # xmlschema folds whitespace before checking, as an XML processor does; RDF does not.
    white_space = getattr(xsd_type, "white_space", None)
    if white_space == "replace" and any(c in lexical for c in "\t\n\r"):
        return False
    if white_space == "collapse" and lexical != " ".join(lexical.split()):
        return False
    try:
        return bool(xsd_type.is_valid(lexical))
    except Exception:
        return False


def well_formed_term(term) -> ox.Literal:
    """The SPARQL custom function: true for a literal whose lexical form fits its datatype."""
    ok = isinstance(term, ox.Literal) and well_formed(term.value, term.datatype.value)
    return ox.Literal("true" if ok else "false", datatype=ox.NamedNode(XSD + "boolean"))
