"""Value-level constraints decided on a literal exactly as written in its source file.

Oxigraph's store normalises typed literals ("3"^^xsd:byte is kept as "3"^^xsd:integer, "1.50" as
"1.5", "300"^^xsd:byte as the valid integer 300), so a check on the stored value can be wrong about
its datatype or lexical form. For those values the engine asks this module, which reads the literal
as written. A literal has no properties, so shapes about its properties only see an empty value set.
"""

from __future__ import annotations

import functools
import re

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from . import xsd
from .conditions import COMPARISONS
from .terms import is_true, rdf_list, sparql_term, to_ox

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_LITERAL_KINDS = {SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral}
_SCRATCH = ox.Store()


def lang_matches(tag: str, wanted: str) -> bool:
    """RFC 4647 basic filtering, as SPARQL's langMatches."""
    tag, wanted = tag.lower(), wanted.lower()
    if wanted == "*":
        return bool(tag)
    return tag == wanted or tag.startswith(wanted + "-")


@functools.lru_cache(maxsize=4096)
def _compare(literal: ox.Literal, operator: str, bound: str) -> bool:
    answer = _SCRATCH.query(f"ASK {{ FILTER(COALESCE({literal} {operator} {bound}, false)) }}")
    return bool(answer)


def _pattern(shapes: rdflib.Graph, shape, pattern: str):
    flags = str(shapes.value(shape, SH.flags) or "")
    if "q" in flags:
        pattern = re.escape(pattern)
    mask = 0
    for flag in flags:
        mask |= _FLAGS.get(flag, 0)
    return re.compile(pattern, mask)


class LiteralJudge:
    """Decides SHACL value-level components for literals; data is only needed for inverse paths."""

    def __init__(self, shapes: rdflib.Graph):
        self.shapes = shapes

    def well_formed(self, literal: ox.Literal) -> bool:
        if literal.language:
            return True
        return xsd.well_formed(literal.value, literal.datatype.value)

    def component(self, predicate, value, literal: ox.Literal, shape) -> bool:
        g = self.shapes
        if predicate == SH["class"]:
            return False
        if predicate == SH.datatype:
            if literal.language:
                return value == RDF.langString
            return literal.datatype.value == str(value) and self.well_formed(literal)
        if predicate == SH.nodeKind:
            return value in _LITERAL_KINDS
        if predicate == SH.languageIn:
            return bool(literal.language) and any(lang_matches(literal.language, str(t)) for t in rdf_list(g, value))
        if predicate == SH.pattern:
            return bool(_pattern(g, shape, str(value)).search(literal.value))
        if predicate == SH["in"]:
            return any(to_ox(v) == literal for v in rdf_list(g, value))
        if predicate == SH.hasValue:
            return to_ox(value) == literal
        if predicate == SH.minLength:
            return len(literal.value) >= int(value)
        if predicate == SH.maxLength:
            return len(literal.value) <= int(value)
        if predicate in COMPARISONS:
            return self.well_formed(literal) and _compare(literal, COMPARISONS[predicate], sparql_term(value))
        if predicate == SH.node:
            return self.conforms(value, literal)
        if predicate == SH["not"]:
            return not self.conforms(value, literal)
        if predicate in (SH["and"], SH["or"], SH.xone):
            verdicts = [self.conforms(m, literal) for m in rdf_list(g, value)]
            if predicate == SH["and"]:
                return all(verdicts)
            if predicate == SH["or"]:
                return any(verdicts)
            return verdicts.count(True) == 1
        if predicate == SH.closed:
            return True
        return True

    def conforms(self, shape, literal: ox.Literal) -> bool:
        g = self.shapes
        if is_true(g.value(shape, SH.deactivated)):
            return True
        if g.value(shape, SH.path) is not None:
            # A literal is never a subject: a property shape sees no values at all.
            low = g.value(shape, SH.minCount)
            qualified_low = g.value(shape, SH.qualifiedMinCount)
            if low is not None and int(low) > 0 or qualified_low is not None and int(qualified_low) > 0:
                return False
            return g.value(shape, SH.hasValue) is None
        for predicate, value in g.predicate_objects(shape):
            if predicate == SH.property:
                if not self.conforms(value, literal):
                    return False
            elif str(predicate).startswith(str(SH)) and not self.component(predicate, value, literal, shape):
                return False
        return True
