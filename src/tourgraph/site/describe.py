"""The RDF description behind each entity IRI: its triples and its blank nodes', as Turtle and JSON-LD."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..export.rdf import jsonld_document
from .graphindex import GraphIndex


def _term(term):
    if isinstance(term, str):
        return ox.BlankNode(term[2:]) if term.startswith("_:") else ox.NamedNode(term)
    return term


def description(index: GraphIndex, iri: str) -> list[ox.Triple]:
    return [ox.Triple(_term(s), ox.NamedNode(p), _term(o)) for s, p, o in index.closure(iri)]


def write_descriptions(index: GraphIndex, out: Path) -> None:
    """``{kind}/{slug}.ttl`` and ``{kind}/{slug}.jsonld`` for every entity with a dereferenceable IRI."""
    prefixes = index.kg.prefixes()
    made: set[str] = set()
    for entity in index.entities:
        if entity.kind not in made:
            (out / entity.kind).mkdir(parents=True, exist_ok=True)
            made.add(entity.kind)
        triples = description(index, entity.iri)
        ox.serialize(triples, str(out / f"{entity.path}.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
        (out / f"{entity.path}.jsonld").write_bytes(jsonld_document(triples))
