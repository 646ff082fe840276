"""Add the schema.org super-classes and super-properties that the ontology declares.

A schema.org-only consumer then understands every tourgraph term: a tg:delegate triple is also a
schema:attendee triple, a tg:Visit also a schema:Event. Inferred triples go into the named graph of the
triple they come from, so each source graph stays self-contained.
"""

from __future__ import annotations

import pyoxigraph as ox

from .graph import RDF_TYPE, KnowledgeGraph

_SUPER = """
SELECT ?sub ?super ?kind WHERE {
  { ?sub rdfs:subClassOf+ ?super . BIND("class" AS ?kind) }
  UNION
  { ?sub rdfs:subPropertyOf+ ?super . BIND("property" AS ?kind) }
  FILTER(isIRI(?super) && ?sub != ?super)
}
"""


def super_terms(kg: KnowledgeGraph) -> tuple[dict, dict]:
    """Map each ontology class and property to all its super-terms (transitively)."""
    classes: dict[ox.NamedNode, set] = {}
    properties: dict[ox.NamedNode, set] = {}
    for row in kg.store.query(_SUPER, use_default_graph_as_union=True, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}):
        target = classes if row["kind"].value == "class" else properties
        target.setdefault(row["sub"], set()).add(row["super"])
    return classes, properties


def materialise(kg: KnowledgeGraph) -> KnowledgeGraph:
    """A new graph with the ontology-declared super-terms stated for every instance and triple."""
    classes, properties = super_terms(kg)
    store = kg.copy_store()
    inferred = []
    for cls, supers in classes.items():
        for quad in kg.store.quads_for_pattern(None, RDF_TYPE, cls, None):
            inferred.extend(ox.Quad(quad.subject, RDF_TYPE, sup, quad.graph_name) for sup in supers)
    for prop, supers in properties.items():
        for quad in kg.store.quads_for_pattern(None, prop, None, None):
            inferred.extend(ox.Quad(quad.subject, sup, quad.object, quad.graph_name) for sup in supers)
    store.bulk_extend(inferred)
    return kg.with_store(store)
