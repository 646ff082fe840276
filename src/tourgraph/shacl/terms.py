"""Terms between the shapes graph (rdflib) and the data store (Oxigraph), in SPARQL syntax."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD


class Unsupported(Exception):
    """A shape feature the compiler leaves to the complete engine; the message says which."""


class ShapeFailure(Exception):
    """A SHACL failure: the shapes graph is ill-formed or asks for something the spec forbids."""


def sparql_term(node) -> str:
    """A shapes-graph term in SPARQL syntax (N-Triples escaping, so no value breaks out of a query)."""
    if isinstance(node, rdflib.URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, rdflib.Literal):
        return str(to_ox(node))
    raise Unsupported(f"the blank node {node.n3()} used as a constraint value")


def to_ox(node):
    """An rdflib term as an Oxigraph term (blank nodes keep their label)."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))


def to_rdflib_term(term):
    """An Oxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language, normalize=False)
    if term.datatype.value == str(XSD.string):
        return rdflib.Literal(term.value, normalize=False)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


def rdf_list(shapes: rdflib.Graph, node) -> list:
    if node == RDF.nil:
        return []
    if (node, RDF.first, None) not in shapes:
        raise ShapeFailure(f"{node.n3()} should be an RDF list.")
    return list(Collection(shapes, node))


_PATH_FORMS = ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?"))


def path_sparql(shapes: rdflib.Graph, path) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, rdflib.URIRef):
        return sparql_term(path)
    if isinstance(path, rdflib.Literal):
        raise ShapeFailure(f"the literal {path.n3()} is not a property path.")
    if (path, RDF.first, None) in shapes:
        members = rdf_list(shapes, path)
        if len(members) < 2:
            raise ShapeFailure("a sequence path has at least two members.")
        return "(" + "/".join(path_sparql(shapes, p) for p in members) + ")"
    for predicate, template in _PATH_FORMS:
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(path_sparql(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        members = rdf_list(shapes, alternatives)
        if len(members) < 2:
            raise ShapeFailure("an alternative path has at least two members.")
        return "(" + "|".join(path_sparql(shapes, p) for p in members) + ")"
    raise ShapeFailure(f"{path.n3()} is not a well-formed SHACL property path.")


def is_true(value) -> bool:
    """The literal true; "1"^^xsd:boolean is another literal, which SHACL's parameters do not accept as true."""
    return isinstance(value, rdflib.Literal) and value.datatype == XSD.boolean and str(value) == "true"


class Names:
    """Fresh SPARQL variable names for nested patterns."""

    def __init__(self):
        self.count = 0

    def fresh(self, stem: str = "v") -> str:
        self.count += 1
        return f"?_{stem}{self.count}"


_SCRATCH = ox.Store()
_SCRATCH_LOCK = threading.Lock()
_HERE = ox.NamedNode("urn:tourgraph:shacl:scratch")


def stored_form(literal: ox.Literal) -> ox.Literal:
    """The literal as Oxigraph's store and query parser keep it ("4.0"^^xsd:decimal becomes "4")."""
    with _SCRATCH_LOCK:
        quad = ox.Quad(_HERE, _HERE, literal)
        _SCRATCH.add(quad)
        stored = next(_SCRATCH.quads_for_pattern(_HERE, _HERE, None)).object
        _SCRATCH.clear()
    return stored
