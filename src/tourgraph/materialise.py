"""Add the schema.org super-classes and super-properties that the ontology declares.

A schema.org-only consumer then understands every tourgraph term: a tg:delegate triple is also a
schema:attendee triple, a tg:Visit also a schema:Event. Inferred triples go into the named graph of the
triple they come from, so each source graph stays self-contained.

``load`` already states them as it reads the data files (``Supers``), which spares a second copy of the
store; ``materialise`` does it for a graph that is not materialised yet.
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


class Supers:
    """Each class and property of a store mapped to all its super-terms (transitively)."""

    def __init__(self, store: ox.Store):
        self.classes: dict[ox.NamedNode, tuple] = {}
        self.properties: dict[ox.NamedNode, tuple] = {}
        found: dict = {"class": {}, "property": {}}
        for row in store.query(_SUPER, use_default_graph_as_union=True, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}):
            found[row["kind"].value].setdefault(row["sub"], set()).add(row["super"])
        self.classes = {k: tuple(sorted(v, key=lambda n: n.value)) for k, v in found["class"].items()}
        self.properties = {k: tuple(sorted(v, key=lambda n: n.value)) for k, v in found["property"].items()}

    def __eq__(self, other) -> bool:
        return isinstance(other, Supers) and (self.classes, self.properties) == (other.classes, other.properties)

    def inferred(self, quad: ox.Quad) -> list[ox.Quad]:
        """The quads this one implies: the same statement with each super-property, or each super-class."""
        found = [ox.Quad(quad.subject, sup, quad.object, quad.graph_name) for sup in self.properties.get(quad.predicate, ())]
        if quad.predicate == RDF_TYPE and quad.object in self.classes:
            found += [ox.Quad(quad.subject, RDF_TYPE, sup, quad.graph_name) for sup in self.classes[quad.object]]
        return found


def super_terms(kg: KnowledgeGraph) -> tuple[dict, dict]:
    """Map each ontology class and property to all its super-terms (transitively)."""
    supers = Supers(kg.store)
    return ({k: set(v) for k, v in supers.classes.items()}, {k: set(v) for k, v in supers.properties.items()})


def materialise_in_place(store: ox.Store, supers: Supers) -> None:
    """State the super-terms in ``store`` itself (for a store still being built, which nobody else holds)."""
    for cls, targets in sorted(supers.classes.items(), key=lambda item: item[0].value):
        values = " ".join(map(str, targets))
        store.update(f"INSERT {{ GRAPH ?g {{ ?s a ?super }} }} WHERE {{ VALUES ?super {{ {values} }} GRAPH ?g {{ ?s a {cls} }} }}")
    for prop, targets in sorted(supers.properties.items(), key=lambda item: item[0].value):
        values = " ".join(map(str, targets))
        store.update(f"INSERT {{ GRAPH ?g {{ ?s ?super ?o }} }} WHERE {{ VALUES ?super {{ {values} }} GRAPH ?g {{ ?s {prop} ?o }} }}")


def materialise(kg: KnowledgeGraph) -> KnowledgeGraph:
    """A graph with the ontology-declared super-terms stated for every instance and triple; ``kg`` is
    not changed (a graph ``load`` materialised already is returned as it is)."""
    if kg.materialised:
        return kg
    store = kg.copy_store()
    materialise_in_place(store, Supers(store))
    return kg.with_store(store, materialised=True)
