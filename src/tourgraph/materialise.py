"""Add the schema.org super-classes and super-properties that the ontology declares.

A schema.org-only consumer then understands every tourgraph term: a tg:delegate triple is also a
schema:attendee triple, a tg:Visit also a schema:Event. Inferred triples go into the named graph of the
triple they come from, so each source graph stays self-contained.
"""

from __future__ import annotations

from .graph import KnowledgeGraph

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
    for cls, supers in sorted(classes.items(), key=lambda item: item[0].value):
        targets = " ".join(str(s) for s in sorted(supers, key=lambda n: n.value))
        store.update(f"INSERT {{ GRAPH ?g {{ ?s a ?super }} }} WHERE {{ VALUES ?super {{ {targets} }} GRAPH ?g {{ ?s a {cls} }} }}")
    for prop, supers in sorted(properties.items(), key=lambda item: item[0].value):
        targets = " ".join(str(s) for s in sorted(supers, key=lambda n: n.value))
        store.update(f"INSERT {{ GRAPH ?g {{ ?s ?super ?o }} }} WHERE {{ VALUES ?super {{ {targets} }} GRAPH ?g {{ ?s {prop} ?o }} }}")
    return kg.with_store(store)
