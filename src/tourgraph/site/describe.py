"""The RDF description behind each entity IRI: its triples and its blank nodes', as Turtle and JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from ..export.rdf import context, jsonld_nodes
from . import parallel
from .graphindex import Entity, GraphIndex
from .html import write_file


def _term(term):
    if isinstance(term, str):
        return ox.BlankNode(term[2:]) if term.startswith("_:") else ox.NamedNode(term)
    return term


def description(index: GraphIndex, iri: str, predicates: dict | None = None) -> list[ox.Triple]:
    """The triples of ``index.closure(iri)``; ``predicates`` memoises the predicates' NamedNodes."""
    if predicates is None:
        predicates = {}
    triples = []
    for s, p, o in index.closure(iri):
        predicate = predicates.get(p)
        if predicate is None:
            predicate = predicates[p] = ox.NamedNode(p)
        triples.append(ox.Triple(_term(s), predicate, _term(o)))
    return triples


def jsonld_text(triples: list[ox.Triple]) -> str:
    """The description as JSON-LD with the dumps' prefix context; compact, so the C encoder writes it."""
    document = {**context(), "@graph": jsonld_nodes(triples)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n"


def describer(index: GraphIndex, out: Path):
    """The task writing ``{kind}/{slug}.ttl`` and ``{kind}/{slug}.jsonld`` for one entity (its folders
    made here, once)."""
    prefixes = index.kg.prefixes()
    for kind in sorted({e.kind for e in index.entities}):
        (out / kind).mkdir(parents=True, exist_ok=True)
    folder = f"{out}/"
    predicates: dict = {}

    def write(entity: Entity) -> None:
        triples = description(index, entity.iri, predicates)
        path = folder + entity.path
        # Serialised to memory first: oxigraph writing to a path is far slower per small file.
        write_file(path + ".ttl", ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        write_file(path + ".jsonld", jsonld_text(triples).encode("utf-8"))

    return write


def write_descriptions(index: GraphIndex, out: Path) -> None:
    """``{kind}/{slug}.ttl`` and ``{kind}/{slug}.jsonld`` for every entity with a dereferenceable IRI."""
    parallel.run(describer(index, out), index.entities)
