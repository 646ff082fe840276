"""What the site's lists need about every entity with a page — kind, labels, types, a person's job and
employer, an event's dates, the graphs stating it and their dates — read from the store with one
pattern lookup per property instead of a pass over the whole graph. The home, index, search,
calendar and sitemap files are made from it in every build; entity pages need the graph index."""

from __future__ import annotations

import pyoxigraph as ox

from ..graph import SCHEMA
from .graphindex import DCTERMS, LABEL_PROPERTIES, PAGE_KINDS, RDF_TYPE, VALUE_TYPES, XSD, Entity, local_name, pick_literals

DATES = (XSD + "date", XSD + "dateTime")


class Entry:
    """What the lists know of one entity with a page."""

    __slots__ = ("entity", "types", "graphs", "literals", "links")

    def __init__(self, entity: Entity):
        self.entity = entity
        self.types: list[str] = []
        self.graphs: set = set()
        self.literals: dict = {}  # predicate -> [Literal]
        self.links: dict = {}  # predicate -> [IRI]


class Catalogue:
    def __init__(self, kg, index_entity):
        """``index_entity(iri)`` is ``GraphIndex.entity`` (the IRI scheme's Entity, or None)."""
        self.kg = kg
        store = kg.store
        named, literal = ox.NamedNode, ox.Literal
        entries: dict[str, Entry] = {}
        skipped: set = set()
        # Written out for speed: these loops run once per statement of the lists' properties.
        for quad in store.quads_for_pattern(None, named(RDF_TYPE), None, None):
            subject, kind = quad.subject, quad.object
            if type(subject) is not named or type(kind) is not named:
                continue
            iri = subject.value
            entry = entries.get(iri)
            if entry is None:
                if iri in skipped:
                    continue
                entity = index_entity(iri)
                if entity is None or entity.kind not in PAGE_KINDS:
                    skipped.add(iri)
                    continue
                entry = entries[iri] = Entry(entity)
            entry.types.append(kind.value)
            graph = quad.graph_name
            if type(graph) is named:
                entry.graphs.add(graph.value)
        self.entries = {iri: e for iri, e in sorted(entries.items()) if not VALUE_TYPES.issuperset(e.types)}
        found = self.entries.get
        for entry in self.entries.values():
            entry.types.sort()
        wanted = (*LABEL_PROPERTIES, SCHEMA + "jobTitle", SCHEMA + "startDate", SCHEMA + "endDate", SCHEMA + "alternateName")
        for predicate in wanted:
            for quad in store.quads_for_pattern(None, named(predicate), None, None):
                subject, value = quad.subject, quad.object
                if type(value) is literal and type(subject) is named:
                    entry = found(subject.value)
                    if entry is not None:
                        known = entry.literals.get(predicate)
                        if known is None:
                            entry.literals[predicate] = [value]
                        else:
                            known.append(value)
        for predicate in (SCHEMA + "worksFor", SCHEMA + "subEvent", SCHEMA + "location"):
            for quad in store.quads_for_pattern(None, named(predicate), None, None):
                subject, value = quad.subject, quad.object
                if type(value) is named and type(subject) is named:
                    entry = found(subject.value)
                    if entry is not None:
                        entry.links.setdefault(predicate, []).append(value.value)
        self._labels: dict = {}
        self._graph_dates: tuple | None = None
        self._by_kind: dict | None = None

    def labels(self, lang: str) -> dict[str, str]:
        """Every entry's name in ``lang`` (made once per language: the lists read it per entry)."""
        found = self._labels.get(lang)
        if found is None:
            found = self._labels[lang] = {}
            for iri, entry in self.entries.items():
                name = None
                for prop in LABEL_PROPERTIES:
                    literals = entry.literals.get(prop)
                    if literals:
                        name = (literals[0] if len(literals) == 1 else pick_literals(literals, lang)[0]).value
                        break
                found[iri] = name or local_name(iri)
        return found

    def label(self, iri: str, lang: str) -> str:
        found = self.labels(lang).get(iri)
        if found is None:
            key = ("other", iri, lang)
            found = self._labels.get(key)
            if found is None:
                self._labels[key] = found = self._store_label(iri, lang) or local_name(iri)
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
        if self._graph_dates is None:
            self._graph_dates = (*self._dates(), {})
        own, sources, published, memo = self._graph_dates
        if graph not in memo:
            found = own.get(graph) or [d for doc in sources.get(graph, ()) for d in published.get(doc, ())]
            memo[graph] = max(found) if found else None
        return memo[graph]

    def _dates(self) -> tuple[dict, dict, dict]:
        """Read once for every graph: its own dates, its source documents, and their dates."""
        store = self.kg.store

        def dated(props) -> dict:
            out: dict = {}
            for prop in props:
                for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                    if type(q.subject) is ox.NamedNode and type(q.object) is ox.Literal and q.object.datatype.value in DATES:
                        out.setdefault(q.subject.value, []).append(q.object.value[:10])
            return out

        sources: dict = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(DCTERMS + "source"), None, None):
            if type(q.subject) is ox.NamedNode and type(q.object) is ox.NamedNode:
                sources.setdefault(q.subject.value, []).append(q.object.value)
        own = dated((DCTERMS + "modified", DCTERMS + "issued", DCTERMS + "created"))
        return own, sources, dated((SCHEMA + "dateModified", SCHEMA + "datePublished", DCTERMS + "issued"))

    def lastmod(self, entry: Entry) -> str | None:
        found = [d for d in map(self.graph_date, entry.graphs) if d]
        return max(found) if found else None
