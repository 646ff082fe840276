"""The public view of a graph: what may leave the building.

A person's own email, telephone, fax, postal address and contact points are never published;
organisations' contact points (press contacts among them) are, because they are published to be
used. A person flagged ``tg:publicationOptOut true`` disappears from every public output: every
triple that has them as subject or object goes. ``privacy_shapes.ttl`` states these rules for the
public graph, the build checks them before writing anything, and it is the one list of a person's
private properties: this module and the site read it from there.

What goes with a person is decided by the graph's own links and types, never by the look of an IRI
(``person/anne`` is not part of ``person/ann``): see ``_owned``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
import rdflib

from .errors import ValidationFailed
from .graph import RDF_TYPE, SCHEMA, TG, KnowledgeGraph
from .materialise import super_terms
from .validate import Report, Result, sources_of, validate

OPT_OUT = ox.NamedNode(TG + "publicationOptOut")
PERSON = ox.NamedNode(SCHEMA + "Person")
NAME = ox.NamedNode(SCHEMA + "name")
SHAPES_FILE = "privacy_shapes.ttl"
# A node typed as one of these is a value (of whoever links to it), not an entity of its own.
CONTACT_CLASSES = {ox.NamedNode(SCHEMA + name) for name in ("PostalAddress", "ContactPoint")}
_TRUE = {"true", "1"}


@lru_cache(maxsize=1)
def shapes_text() -> str:
    return resources.files(__package__).joinpath(SHAPES_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def person_private_properties() -> tuple[str, ...]:
    """The properties the privacy shapes forbid on a person (``sh:maxCount 0`` under a shape
    targeting schema:Person), sorted: the one list of what is never published about a person."""
    store = ox.Store()
    store.load(shapes_text(), format=ox.RdfFormat.TURTLE)
    rows = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT DISTINCT ?path WHERE { "
        f"?shape sh:targetClass <{PERSON.value}> ; sh:property ?property . "
        "?property sh:path ?path ; sh:maxCount 0 . FILTER(isIRI(?path)) }"
    )
    return tuple(sorted(row["path"].value for row in rows))


PRIVATE_PROPERTIES = tuple(ox.NamedNode(p) for p in person_private_properties())


def opted_out(kg: KnowledgeGraph) -> set:
    """Every node flagged ``tg:publicationOptOut true`` in any source file."""
    return {
        q.subject
        for q in kg.store.quads_for_pattern(None, OPT_OUT, None, None)
        if isinstance(q.object, ox.Literal) and q.object.value.strip() in _TRUE
    }


def people(kg: KnowledgeGraph) -> set:
    return {q.subject for q in kg.store.quads_for_pattern(None, RDF_TYPE, PERSON, None)}


def _owned(kg: KnowledgeGraph, predicate, node) -> bool:
    """Whether ``node`` goes with the link ``predicate`` that leads to it (once nothing else refers to it).

    A blank node has no identity beyond the description holding it; a node typed as an address or a
    contact point is a value; an untyped node reached by a private property (schema:address…) is taken
    at its range, an address or a contact point. Anything else (a place, an organisation, another
    person) is an entity of its own and stays.
    """
    if isinstance(node, ox.BlankNode):
        return True
    if not isinstance(node, ox.NamedNode):
        return False
    types = {q.object for q in kg.store.quads_for_pattern(node, RDF_TYPE, None, None)}
    if types:
        return bool(types & CONTACT_CLASSES)
    return predicate in PRIVATE_PROPERTIES


def _removals(kg: KnowledgeGraph) -> tuple[set, set]:
    """The quads to drop, and the nodes (an address, a contact point) to drop too once unreferenced."""
    gone = opted_out(kg)
    drop: set = set()
    dependants: set = set()
    # The flag (and its materialised schema.org copy) is editorial bookkeeping, not a fact to publish,
    # whatever its value.
    for prop in {OPT_OUT, *super_terms(kg)[1].get(OPT_OUT, ())}:
        drop.update(kg.store.quads_for_pattern(None, prop, None, None))
    for node in gone:
        for quad in kg.store.quads_for_pattern(node, None, None, None):
            drop.add(quad)
            if _owned(kg, quad.predicate, quad.object):
                dependants.add(quad.object)
        drop.update(kg.store.quads_for_pattern(None, None, node, None))
    for person in people(kg) - gone:
        for prop in PRIVATE_PROPERTIES:
            for quad in kg.store.quads_for_pattern(person, prop, None, None):
                drop.add(quad)
                if _owned(kg, quad.predicate, quad.object):
                    dependants.add(quad.object)
    return drop, dependants


def public_view(kg: KnowledgeGraph) -> KnowledgeGraph:
    """A new graph without private contact details and without opted-out people; ``kg`` is unchanged."""
    drop, pending = _removals(kg)
    if not drop:
        # Nothing to withhold: the graph is already public, and stages never mutate their input.
        return kg
    store = kg.copy_store()
    for quad in drop:
        store.remove(quad)
    seen: set = set()
    while pending:
        node = pending.pop()
        if node in seen or next(store.quads_for_pattern(None, None, node, None), None) is not None:
            continue
        seen.add(node)
        for quad in list(store.quads_for_pattern(node, None, None, None)):
            store.remove(quad)
            if _owned(kg, quad.predicate, quad.object):
                pending.add(quad.object)
    return kg.with_store(store)


def shapes() -> rdflib.Graph:
    """The privacy rules for the public graph (package data)."""
    graph = rdflib.Graph()
    graph.parse(data=shapes_text(), format="turtle")
    return graph


def _mentions(original: KnowledgeGraph, public: KnowledgeGraph) -> list[Result]:
    """Violations for literals of the public graph that still name an opted-out person."""
    # Removing a person's node cannot rewrite a contact point's name or a description: an editor must.
    needles = {}
    for node in opted_out(original):
        needles[node.value.casefold()] = node
        for quad in original.store.quads_for_pattern(node, NAME, None, None):
            if isinstance(quad.object, ox.Literal) and len(quad.object.value.strip()) > 2:
                needles[quad.object.value.strip().casefold()] = node
    if not needles:
        return []
    results = []
    for quad in public.quads():
        if not isinstance(quad.object, ox.Literal):
            continue
        text = quad.object.value.casefold()
        for needle in needles:
            if needle in text:
                focus = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else f"_:{quad.subject.value}"
                results.append(
                    Result(
                        focus=focus,
                        severity="Violation",
                        messages={
                            "en": "names a person who opted out of publication: remove the mention or the opt-out.",
                            "fr": "nomme une personne qui a refusé la publication : retirer la mention ou le refus.",
                        },
                        path=quad.predicate.value,
                        constraint="privacy:opt-out-mention",
                        sources=sources_of(original, focus),
                    )
                )
    return results


def check(public: KnowledgeGraph, original: KnowledgeGraph | None = None) -> Report:
    """Check a public view against the privacy shapes and, given the original, for opted-out names."""
    report = validate(public, shapes())
    extra = _mentions(original, public) if original is not None else []
    results = sorted((*report.results, *extra), key=lambda r: (r.focus, r.path or "", r.constraint or ""))
    return Report(results=tuple(results))


def publishable(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The public view of ``kg``; raises ValidationFailed when it still breaks a privacy rule."""
    public = public_view(kg)
    report = check(public, kg)
    if not report.passes:
        raise ValidationFailed(report)
    return public

