"""The RDF description behind each entity IRI: its triples and its blank nodes', as Turtle and JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from ..export.rdf import context, jsonld_nodes
from . import parallel
from .graphindex import GraphIndex


def _term(term):
    if isinstance(term, str):
        return ox.BlankNode(term[2:]) if term.startswith("_:") else ox.NamedNode(term)
    return term


def description(index: GraphIndex, iri: str) -> list[ox.Triple]:
    return [ox.Triple(_term(s), ox.NamedNode(p), _term(o)) for s, p, o in index.closure(iri)]


def jsonld_text(triples: list[ox.Triple]) -> str:
    """The description as JSON-LD with the dumps' prefix context; compact, so the C encoder writes it."""
    document = {**context(), "@graph": jsonld_nodes(triples)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True) + "\n"


def write_descriptions(index: GraphIndex, out: Path) -> None:
    """``{kind}/{slug}.ttl`` and ``{kind}/{slug}.jsonld`` for every entity with a dereferenceable IRI."""
    prefixes = index.kg.prefixes()
    for kind in sorted({e.kind for e in index.entities}):
        (out / kind).mkdir(parents=True, exist_ok=True)

    def write(entity) -> None:
        triples = description(index, entity.iri)
        # Serialised to memory first: oxigraph writing to a path is far slower per small file.
        (out / f"{entity.path}.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        (out / f"{entity.path}.jsonld").write_text(jsonld_text(triples), encoding="utf-8")

    parallel.run(write, index.entities)
