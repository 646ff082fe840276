"""Whole-graph dumps: Turtle, N-Triples, JSON-LD (with its context) and TriG (one graph per source).

Every dump is sorted so that the same input gives byte-identical files.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..graph import KnowledgeGraph, PREFIXES, compact
from . import BuildContext

FORMATS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "context.jsonld")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def sorted_ntriples(triples) -> bytes:
    """Canonical N-Triples, one line per distinct triple, sorted."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines if line)


def _as_written(kg: KnowledgeGraph) -> dict:
    """Stored quad -> the quads as the source files write them, where the store keeps another form."""
    written: dict = {}
    for stored, original in kg.written:
        written.setdefault(stored, []).append(original)
    return written


def sorted_nquads(kg: KnowledgeGraph) -> bytes:
    """Canonical N-Quads sorted by graph, then by triple, so TriG groups each graph's triples."""
    lines = kg.store.dump(format=ox.RdfFormat.N_QUADS).splitlines()
    written = _as_written(kg)
    if written:
        # Literals as the sources write them ("49.1940", "3"^^xsd:byte), not as the store keeps them.
        by_line = {f"{stored} .".encode("utf-8"): [f"{q} .".encode("utf-8") for q in originals] for stored, originals in written.items()}
        lines = [out for line in lines for out in by_line.get(line, (line,))]

    def by_graph(line: bytes):
        # The graph is the last term and an IRI, which holds no space: split it off from the right.
        triple, _, graph = line[:-2].rpartition(b" ")
        return graph, triple

    return b"".join(line + b"\n" for line in sorted(set(lines), key=by_graph) if line)


def union_triples(kg: KnowledgeGraph):
    """Every triple of the graph, literals as the source files write them."""
    written = _as_written(kg)
    if not written:
        return (q.triple for q in kg.quads())
    return (original.triple for q in kg.quads() for original in written.get(q, (q,)))


def context() -> dict:
    """The JSON-LD context shared by the dump and the snippets: prefixes only, so compaction never
    changes the meaning of a term."""
    return {"@context": dict(PREFIXES)}


def _literal(lit: ox.Literal):
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype.value == XSD_STRING:
        return lit.value
    return {"@value": lit.value, "@type": compact(lit.datatype.value)}


def _ref(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def jsonld_nodes(triples: list[ox.Triple]) -> list[dict]:
    """Flattened JSON-LD node objects, one per subject, in the order of the (sorted) triples."""
    nodes: dict[str, dict] = {}
    for t in triples:
        node = nodes.setdefault(_ref(t.subject), {"@id": _ref(t.subject)})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
            continue
        value = _literal(t.object) if isinstance(t.object, ox.Literal) else {"@id": _ref(t.object)}
        node.setdefault(compact(t.predicate.value), []).append(value)
    return list(nodes.values())


def jsonld_document(triples: list[ox.Triple]) -> bytes:
    """The whole graph as JSON-LD: the context, then one node object per line (so diffs stay readable
    and Python's C encoder does the work)."""
    head = json.dumps(context()["@context"], ensure_ascii=False, indent=1, sort_keys=True)
    nodes = ",\n".join(json.dumps(node, ensure_ascii=False, sort_keys=True) for node in jsonld_nodes(triples))
    return f'{{\n"@context": {head},\n"@graph": [\n{nodes}\n]\n}}\n'.encode("utf-8")


def write(ctx: BuildContext) -> None:
    kg = ctx.graph
    nt = sorted_ntriples(union_triples(kg))
    ctx.path("graph.nt").write_bytes(nt)
    triples = [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    ox.serialize(triples, str(ctx.path("graph.ttl")), ox.RdfFormat.TURTLE, prefixes=kg.prefixes())
    ctx.path("graph.jsonld").write_bytes(jsonld_document(triples))
    ctx.path("context.jsonld").write_text(json.dumps(context(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    ox.serialize(
        ox.parse(sorted_nquads(kg), format=ox.RdfFormat.N_QUADS),
        str(ctx.path("graph.trig")),
        ox.RdfFormat.TRIG,
        prefixes=kg.prefixes(),
    )
