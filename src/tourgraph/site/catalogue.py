"""What the site's lists need about every entity with a page — kind, labels, types, a person's job and
employer, an event's dates, the graphs stating it and their dates — read from the store with one
pattern lookup per property instead of a pass over the whole graph. The home, index, search,
calendar and sitemap files are made from it in every build; entity pages need the graph index."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph import SCHEMA
from .graphindex import DCTERMS, LABEL_PROPERTIES, PAGE_KINDS, RDF_TYPE, VALUE_TYPES, XSD, Entity, local_name, pick_literals

DATES = (XSD + "date", XSD + "dateTime")


@dataclass
class Entry:
    entity: Entity
    types: list[str] = field(default_factory=list)
    graphs: set = field(default_factory=set)
    literals: dict = field(default_factory=dict)  # predicate -> [Literal]
    links: dict = field(default_factory=dict)  # predicate -> [IRI]


class Catalogue:
    def __init__(self, kg, index_entity):
        """``index_entity(iri)`` is ``GraphIndex.entity`` (the IRI scheme's Entity, or None)."""
        self.kg = kg
        store = kg.store
        entries: dict[str, Entry] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
            subject = quad.subject
            if type(subject) is not ox.NamedNode or type(quad.object) is not ox.NamedNode:
                continue
            entry = entries.get(subject.value)
            if entry is None:
                entity = index_entity(subject.value)
                if entity is None or entity.kind not in PAGE_KINDS:
                    continue
                entry = entries[subject.value] = Entry(entity)
            entry.types.append(quad.object.value)
            if type(quad.graph_name) is ox.NamedNode:
                entry.graphs.add(quad.graph_name.value)
        self.entries = {iri: e for iri, e in sorted(entries.items()) if not all(t in VALUE_TYPES for t in e.types)}
        for entry in self.entries.values():
            entry.types.sort()
        wanted = (*LABEL_PROPERTIES, SCHEMA + "jobTitle", SCHEMA + "startDate", SCHEMA + "endDate", SCHEMA + "alternateName")
        for predicate in wanted:
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                entry = self.entries.get(quad.subject.value) if type(quad.subject) is ox.NamedNode else None
                if entry is not None and type(quad.object) is ox.Literal:
                    entry.literals.setdefault(predicate, []).append(quad.object)
        for predicate in (SCHEMA + "worksFor", SCHEMA + "subEvent", SCHEMA + "location"):
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                entry = self.entries.get(quad.subject.value) if type(quad.subject) is ox.NamedNode else None
                if entry is not None and type(quad.object) is ox.NamedNode:
                    entry.links.setdefault(predicate, []).append(quad.object.value)
        self._labels: dict = {}
        self._graph_dates: dict = {}
        self._by_kind: dict | None = None

    def label(self, iri: str, lang: str) -> str:
        key = (iri, lang)
        found = self._labels.get(key)
        if found is None:
            entry = self.entries.get(iri)
            found = None
            for prop in LABEL_PROPERTIES:
                literals = entry.literals.get(prop) if entry else None
                if literals:
                    found = pick_literals(literals, lang)[0].value
                    break
            if found is None and entry is None:
                found = self._store_label(iri, lang)
            self._labels[key] = found = found or local_name(iri)
        return found

    def _store_label(self, iri: str, lang: str) -> str | None:
        for prop in LABEL_PROPERTIES:
            literals = [q.object for q in self.kg.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None, None) if type(q.object) is ox.Literal]
            if literals:
                return pick_literals(literals, lang)[0].value
        return None

    def text(self, iri: str, prop: str, lang: str | None) -> str | None:
        literals = self.entries[iri].literals.get(prop)
        return pick_literals(literals, lang)[0].value if literals else None

    def date(self, iri: str, prop: str):
        dates = sorted((lit for lit in self.entries[iri].literals.get(prop, ()) if lit.datatype.value in DATES), key=lambda lit: lit.value)
        return dates[0] if dates else None

    def by_kind(self) -> dict[str, list[Entry]]:
        """The entries of each kind (made once: the lists ask for it per language and kind)."""
        if self._by_kind is None:
            self._by_kind = {}
            for entry in self.entries.values():
                self._by_kind.setdefault(entry.entity.kind, []).append(entry)
        return self._by_kind

    def tours(self) -> list[Entry]:
        """Events with parts (visits, a forum), not series of events: the latest first (then by IRI)."""
        found = [e for e in self.entries.values()
                 if e.entity.kind == "event" and e.links.get(SCHEMA + "subEvent") and SCHEMA + "EventSeries" not in e.types]
        return sorted(found, key=lambda e: (self._start(e), e.entity.iri), reverse=True)

    def _start(self, entry: Entry) -> str:
        start = self.date(entry.entity.iri, SCHEMA + "startDate")
        return start.value if start else ""

    def graph_date(self, graph: str) -> str | None:
        """The date a graph (a source file) was last changed by what it says: ``dcterms:modified``,
        ``dcterms:issued`` or ``created``, else the latest publication date of its source documents."""
        if graph in self._graph_dates:
            return self._graph_dates[graph]
        store, node = self.kg.store, ox.NamedNode(graph)

        def dates(subject, props):
            out = []
            for prop in props:
                for q in store.quads_for_pattern(subject, ox.NamedNode(prop), None, None):
                    if type(q.object) is ox.Literal and q.object.datatype.value in DATES:
                        out.append(q.object.value[:10])
            return out

        found = dates(node, (DCTERMS + "modified", DCTERMS + "issued", DCTERMS + "created"))
        if not found:
            for q in store.quads_for_pattern(node, ox.NamedNode(DCTERMS + "source"), None, None):
                if type(q.object) is ox.NamedNode:
                    found += dates(q.object, (SCHEMA + "dateModified", SCHEMA + "datePublished", DCTERMS + "issued"))
        self._graph_dates[graph] = value = max(found) if found else None
        return value

    def lastmod(self, entry: Entry) -> str | None:
        found = [d for d in (self.graph_date(g) for g in sorted(entry.graphs)) if d]
        return max(found) if found else None
