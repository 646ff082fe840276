"""One pass over the dataset into an in-memory index (subject -> predicate -> objects, and the
reverse for IRIs), so that pages, snippets and descriptions are made without a query per entity.

Terms in the index: an IRI is its string, a blank node is ``"_:label"``, a literal stays an
``ox.Literal``. Each object maps to the named graphs that state the triple.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

import pyoxigraph as ox

from ..graph import SCHEMA, KnowledgeGraph
from ..privacy import person_private_properties
from .i18n import LANGUAGES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Entities whose IRI is {base}{kind}/{slug}; these kinds get an RDF description file.
ENTITY_KINDS = ("event", "person", "organization", "place", "document", "contact")
# Of those, the kinds that get an HTML page and a snippet.
PAGE_KINDS = ("event", "person", "organization", "place", "document")
# Structured values: shown inside the page of the entity that points at them, never on their own.
VALUE_TYPES = frozenset(
    SCHEMA + t
    for t in ("PostalAddress", "GeoCoordinates", "GeoShape", "ContactPoint", "PropertyValue", "QuantitativeValue", "OpeningHoursSpecification")
)
# What a person's page never shows, whatever the graph holds: the privacy shapes' list (DESIGN: privacy).
PERSON_PRIVATE = frozenset(person_private_properties())
PERSON = SCHEMA + "Person"

LABEL_PROPERTIES = (SCHEMA + "name", SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", SCHEMA + "headline")
# Not followed beyond a page's neighbours by GraphIndex.around: lists that may hold thousands.
FANOUT = frozenset(SCHEMA + p for p in ("subEvent", "superEvent", "attendee", "mentions", "about", "subjectOf", "hasPart", "isPartOf", "member", "employee"))
VALUE_LINKS = frozenset(SCHEMA + p for p in ("geo", "address", "contactPoint", "image", "license"))
_SLUG = re.compile(r"^[\w~-][\w.~-]*$")
_EMPTY = MappingProxyType({})


class Entity(NamedTuple):
    """An entity with a dereferenceable IRI ``{base}{kind}/{slug}`` (a tuple: one is made for every
    entity of a million-triple graph, and a frozen dataclass costs five times as much to make)."""

    iri: str
    kind: str
    slug: str

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.slug}"


def entity_of(base: str, iri: str) -> Entity | None:
    """The entity for an IRI ``{base}{kind}/{slug}`` with a safe slug, else None."""
    if not iri.startswith(base):
        return None
    kind, sep, slug = iri[len(base):].partition("/")
    if not sep or kind not in ENTITY_KINDS or not _SLUG.match(slug):
        return None
    return Entity(iri=iri, kind=kind, slug=slug)


def has_page(entity: Entity, types) -> bool:
    """Whether an entity with these ``rdf:type`` objects gets a page and a snippet: of a page kind,
    typed, and not only a structured value."""
    return entity.kind in PAGE_KINDS and bool(types) and not all(t in VALUE_TYPES for t in types)


def is_node(term) -> bool:
    return isinstance(term, str)


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def literal_sort_key(lit: ox.Literal):
    return (lit.language or "", lit.datatype.value, lit.value)


def pick_literals(literals, lang: str | None) -> list[ox.Literal]:
    """The literals to show in ``lang``: those in that language, else the untagged ones, else those of
    the other languages (French, English, then any)."""
    if not isinstance(literals, list):
        literals = list(literals)
    if len(literals) < 2:
        return literals[:]  # one literal is shown whatever its language
    return pick_sorted(sorted(literals, key=literal_sort_key), lang)


def pick_sorted(literals: list, lang: str | None) -> list[ox.Literal]:
    """``pick_literals`` of literals already sorted by ``literal_sort_key``."""
    if len(literals) < 2:
        return literals
    if lang is None:
        return literals
    for wanted in (lang, ""):
        chosen = [lit for lit in literals if (lit.language or "") == wanted]
        if chosen:
            return chosen
    for other in LANGUAGES:
        chosen = [lit for lit in literals if lit.language == other]
        if chosen:
            return chosen
    return literals


class GraphIndex:
    """The whole union graph, grouped by subject and by object, plus labels and provenance."""

    def __init__(self, kg: KnowledgeGraph, quads=None):
        """The index of every quad of ``kg`` (or of ``quads``, an iterable of some of them: see ``around``)."""
        self.kg = kg
        self.base = kg.base
        out: dict = {}
        inc: dict = {}
        named, blank = ox.NamedNode, ox.BlankNode
        for quad in (kg.store.quads_for_pattern(None, None, None, None) if quads is None else quads):
            s, o, g = quad.subject, quad.object, quad.graph_name
            kind = type(s)
            if kind is named:
                s = s.value
            elif kind is blank:
                s = "_:" + s.value
            else:
                continue
            p = quad.predicate.value
            g = g.value if type(g) is named else ""
            kind = type(o)
            # The two nested-dict inserts below are written out rather than shared through a helper:
            # this loop runs once per quad (a million times at scale) and a call per insert costs more.
            if kind is named:
                o = o.value
                by_p = inc.get(o)
                if by_p is None:
                    by_p = inc[o] = {}
                by_s = by_p.get(p)
                if by_s is None:
                    by_s = by_p[p] = {}
                graphs = by_s.get(s)
                if graphs is None:
                    by_s[s] = [g]
                else:
                    graphs.append(g)
            elif kind is blank:
                o = "_:" + o.value
            by_p = out.get(s)
            if by_p is None:
                by_p = out[s] = {}
            by_o = by_p.get(p)
            if by_o is None:
                by_o = by_p[p] = {}
            graphs = by_o.get(o)
            if graphs is None:
                by_o[o] = [g]
            else:
                graphs.append(g)
        self.out = out
        self.inc = inc
        self._labels: dict = {}

    @classmethod
    def around(cls, kg: KnowledgeGraph, nodes) -> "GraphIndex":
        """The index of what the pages of ``nodes`` show, read from the store with a few pattern
        lookups per node instead of one pass over the whole graph: every statement about the nodes and
        pointing at them, their neighbours' statements, and the labels, coordinates and provenance those
        reach (the ontology whole, and the descriptions of the graphs stating the nodes' own facts: what
        "About this data" shows; a neighbour's graphs are not followed, so a series of thousands of
        parts, each stated in its own file, costs its statements and no more). A page of one of
        ``nodes`` made from it is the page the full index makes; ``index.pages`` holds the entities it
        reached."""
        store = kg.store
        quads: list = []
        seen: set = set()
        ontology = [s.graph for s in kg.sources if s.role == "ontology"]
        for graph in ontology:
            quads.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        graphs: set = set()

        def take(term, incoming: bool = False) -> list:
            if term in seen:
                return []
            seen.add(term)
            found = list(store.quads_for_pattern(term, None, None, None))
            if incoming:
                found += store.quads_for_pattern(None, None, term, None)
            quads.extend(found)
            return found

        frontier = []
        for node in nodes:
            term = ox.NamedNode(node)
            for q in take(term, incoming=True):
                if q.subject == term:
                    frontier.append(q.object)
                    if type(q.graph_name) is ox.NamedNode:
                        graphs.add(q.graph_name)
                else:
                    frontier.append(q.subject)
        # Hop 1: the neighbours' own statements; hop 2: what those point at (labels, employers,
        # venues), except through properties that fan out to whole lists (parts, attendees, mentions);
        # then coordinates, addresses and contact points, and blank nodes wherever they are reached.
        for hop in (1, 2, 3):
            following = []
            for term in frontier:
                if isinstance(term, (ox.NamedNode, ox.BlankNode)):
                    for q in take(term):
                        if isinstance(q.object, ox.BlankNode) or (hop == 1 and q.predicate.value not in FANOUT) or (hop == 2 and q.predicate.value in VALUE_LINKS):
                            following.append(q.object)
            frontier = following
        for graph in sorted(graphs, key=lambda g: g.value):
            for q in take(graph):
                if isinstance(q.object, ox.NamedNode):
                    take(q.object)
        return cls(kg, quads)

    # The mappings returned are the index's own (or a shared empty one): read them, never change them.

    def props(self, node: str) -> dict:
        return self.out.get(node, _EMPTY)

    def objects(self, node: str, predicate: str) -> dict:
        return self.out.get(node, _EMPTY).get(predicate, _EMPTY)

    def subjects(self, node: str, predicate: str) -> dict:
        return self.inc.get(node, _EMPTY).get(predicate, _EMPTY)

    def types(self, node: str) -> list[str]:
        return sorted(t for t in self.objects(node, RDF_TYPE) if is_node(t))

    def schema_types(self, node: str) -> list[str]:
        return [t[len(SCHEMA):] for t in self.types(node) if t.startswith(SCHEMA) and "/" not in t[len(SCHEMA):]]

    def is_person(self, node: str) -> bool:
        return PERSON in self.objects(node, RDF_TYPE)

    def visible(self, node: str, predicate: str) -> bool:
        """False for what is never published about a person (their own email, telephone, address, contact points)."""
        return not (predicate in PERSON_PRIVATE and self.is_person(node))

    def literals(self, node: str, predicate: str) -> list[ox.Literal]:
        return [o for o in self.out.get(node, _EMPTY).get(predicate, _EMPTY) if not isinstance(o, str)]

    def text(self, node: str, predicate: str, lang: str | None) -> str | None:
        chosen = pick_literals(self.literals(node, predicate), lang)
        return chosen[0].value if chosen else None

    def label(self, node: str, lang: str) -> str:
        """The node's name in ``lang``, falling back to the other language, an untagged name, then the
        last segment of its IRI."""
        key = (node, lang)
        cached = self._labels.get(key)
        if cached is None:
            cached = next(
                (self.text(node, p, lang) for p in LABEL_PROPERTIES if self.literals(node, p)),
                None,
            ) or (local_name(node) if not node.startswith("_:") else node)
            self._labels[key] = cached
        return cached

    def entity(self, iri: str) -> Entity | None:
        """The entity for an IRI ``{base}{kind}/{slug}`` with a safe slug, else None."""
        return entity_of(self.base, iri)

    @cached_property
    def entities(self) -> list[Entity]:
        """Every described entity with a dereferenceable IRI, sorted by IRI."""
        found = (self.entity(s) for s in self.out if not s.startswith("_:"))
        return sorted((e for e in found if e is not None), key=lambda e: e.iri)

    @cached_property
    def pages(self) -> dict[str, Entity]:
        """The entities that get a page and a snippet: typed, of a page kind, not a structured value."""
        return {e.iri: e for e in self.entities if has_page(e, self.objects(e.iri, RDF_TYPE))}

    @cached_property
    def sub_properties(self) -> dict[str, set[str]]:
        """Each property -> its (transitive) sub-properties, from the ontology's rdfs:subPropertyOf."""
        direct: dict[str, set[str]] = defaultdict(set)
        for prop, preds in self.out.items():
            for sup in preds.get(RDFS + "subPropertyOf", {}):
                if is_node(sup) and sup != prop:
                    direct[sup].add(prop)
        closed: dict[str, set[str]] = {}
        for sup in direct:
            seen, todo = set(), list(direct[sup])
            while todo:
                p = todo.pop()
                if p not in seen:
                    seen.add(p)
                    todo.extend(direct.get(p, ()))
            closed[sup] = seen
        return closed

    def closure(self, node: str) -> list[tuple[str, str, object]]:
        """Every triple with ``node`` as subject, plus those of the blank nodes it reaches, as
        (subject, predicate, object), sorted, the node's own first; a person's private facts left out."""
        triples, seen, todo = [], {node}, [node]
        while todo:
            subject = todo.pop(0)
            own = sorted(
                ((subject, p, o) for p, objects in self.props(subject).items() if self.visible(subject, p) for o in objects),
                key=triple_sort_key,
            )
            triples.extend(own)
            for _, _, o in own:
                if is_node(o) and o.startswith("_:") and o not in seen:
                    seen.add(o)
                    todo.append(o)
        return triples


def triple_sort_key(triple):
    _, p, o = triple
    return (p != RDF_TYPE, p, (0, o, "", "") if is_node(o) else (1, o.value, o.language or "", o.datatype.value))


def for_context(ctx) -> GraphIndex:
    """The index of the build's graph, made once per build and shared by the site and snippet exporters."""
    index = ctx.extra.get("tourgraph.site.index")
    if index is None or index.kg is not ctx.graph:
        index = ctx.extra["tourgraph.site.index"] = GraphIndex(ctx.graph)
    return index
