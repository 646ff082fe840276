"""The value that flows through the pipeline: an Oxigraph dataset plus where each named graph came from.

Oxigraph does the heavy lifting (parsing, SPARQL, serialising); rdflib terms are offered where a
library such as pyshacl needs them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
import rdflib

SCHEMA = "https://schema.org/"
TG = "https://tourgraph.example/ns#"
KIND = "https://tourgraph.example/ns/kind/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

PREFIXES = {
    "schema": SCHEMA,
    "tg": TG,
    "kind": KIND,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
}


@dataclass(frozen=True)
class Source:
    """One loaded file: its named graph IRI, its path and what part of the project it belongs to."""

    graph: str
    path: Path
    relpath: str
    role: str  # "ontology" or "data"


@dataclass(frozen=True)
class KnowledgeGraph:
    """A dataset, one named graph per source file. Stages never mutate ``store``; they build a new one.

    ``index`` says where each entity is written (locations.SourceIndex); ``written`` holds (stored,
    written) quad pairs for the typed literals the store keeps in another form than the source's.
    """

    store: ox.Store = field(repr=False)
    sources: tuple[Source, ...]
    base: str
    index: object = field(default=None, repr=False, compare=False)
    written: tuple = field(default=(), repr=False, compare=False)
    # True once the ontology's super-classes and super-properties are stated (see materialise).
    materialised: bool = False

    @functools.cached_property
    def _sources_by_graph(self) -> dict[str, Source]:
        return {source.graph: source for source in self.sources}

    def source_for_graph(self, graph_iri: str) -> Source | None:
        return self._sources_by_graph.get(graph_iri)

    def quads(self):
        return self.store.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self.store)

    def with_store(self, store: ox.Store, **changes) -> "KnowledgeGraph":
        return replace(self, store=store, **changes)

    def copy_store(self) -> ox.Store:
        """A new in-memory store with the same quads (copied natively, through N-Quads)."""
        store = ox.Store()
        # The source store was parsed (and checked) already, so the copy may skip IRI validation.
        store.load(self.store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS, lenient=True)
        return store

    def prefixes(self) -> dict[str, str]:
        return {**PREFIXES, **{k: self.base + k + "/" for k in ("person", "organization", "place", "event", "document", "contact", "graph")}}


def query_union(store: ox.Store, sparql: str, **kwargs):
    """Run SPARQL over the union of all named graphs (the published graph)."""
    return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES, **kwargs)


class _RdflibConverter:
    """Converts Oxigraph terms to rdflib terms, reusing objects for repeated terms."""

    def __init__(self):
        self._cache: dict = {}

    def __call__(self, term):
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, ox.NamedNode):
            out = rdflib.URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            out = rdflib.BNode(term.value)
        elif isinstance(term, ox.Literal):
            # normalize=False: rdflib would otherwise rewrite lexical forms ("1"^^xsd:boolean to "true").
            if term.language:
                out = rdflib.Literal(term.value, lang=term.language, normalize=False)
            elif term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
                out = rdflib.Literal(term.value, normalize=False)
            else:
                out = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
        else:
            raise TypeError(f"unsupported term {term!r}")
        self._cache[term] = out
        return out


def to_rdflib(triples) -> rdflib.Graph:
    """An rdflib Graph holding the given Oxigraph triples or quads (graph names dropped)."""
    convert = _RdflibConverter()
    graph = rdflib.Graph()
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in triples)
    return graph


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``schema:name`` for ``https://schema.org/name``; the IRI itself when no prefix fits."""
    return _compact_known(iri) if prefixes is None else _compact(iri, prefixes)


@functools.lru_cache(maxsize=65536)
def _compact_known(iri: str) -> str:
    # Exporters compact the same few hundred predicates and classes millions of times.
    return _compact(iri, PREFIXES)


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(name: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """The inverse of ``compact``: ``https://schema.org/name`` for ``schema:name``."""
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes and not local.startswith("//") else name
