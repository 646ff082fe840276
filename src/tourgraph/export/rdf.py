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


def nquad_lines(kg: KnowledgeGraph) -> list[bytes]:
    """The store's N-Quads lines (distinct), literals as the sources write them."""
    lines = kg.store.dump(format=ox.RdfFormat.N_QUADS).splitlines()
    written = _as_written(kg)
    if written:
        # Literals as the sources write them ("49.1940", "3"^^xsd:byte), not as the store keeps them.
        by_line = {f"{stored} .".encode("utf-8"): [f"{q} .".encode("utf-8") for q in originals] for stored, originals in written.items()}
        lines = [out for line in lines for out in by_line.get(line, (line,))]
    return [line for line in set(lines) if line]


def _split(line: bytes) -> tuple[bytes, bytes]:
    """(graph, triple) of an N-Quads line."""
    # The graph is the last term and an IRI, which holds no space: split it off from the right.
    triple, _, graph = line[:-2].rpartition(b" ")
    return graph, triple


def sorted_nquads(kg: KnowledgeGraph, split: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """Canonical N-Quads sorted by graph, then by triple, so TriG groups each graph's triples."""
    split = sorted(map(_split, nquad_lines(kg)) if split is None else split)
    return b"".join(b"%s %s .\n" % (triple, graph) for graph, triple in split)


def graph_ntriples(kg: KnowledgeGraph, split: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """The union of the graphs as canonical N-Triples (one line per distinct triple, sorted), made from
    the N-Quads lines themselves: no term object per triple."""
    triples = {triple for _, triple in (map(_split, nquad_lines(kg)) if split is None else split)}
    return b"".join(triple + b" .\n" for triple in sorted(triples))


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


def jsonld_nodes(triples) -> list[dict]:
    """Flattened JSON-LD node objects, one per subject, in the order of the (sorted) triples (or quads)."""
    nodes: dict[str, dict] = {}
    blank, named, literal = ox.BlankNode, ox.NamedNode, ox.Literal
    # The innermost loop of the JSON-LD dump (a million triples at scale): terms tested by exact type.
    for t in triples:
        subject = t.subject
        key = "_:" + subject.value if type(subject) is blank else subject.value
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = {"@id": key}
        obj, predicate = t.object, t.predicate.value
        kind = type(obj)
        if predicate == RDF_TYPE and kind is named:
            node.setdefault("@type", []).append(compact(obj.value))
            continue
        if kind is literal:
            value = _literal(obj)
        else:
            value = {"@id": "_:" + obj.value if kind is blank else obj.value}
        node.setdefault(compact(predicate), []).append(value)
    return list(nodes.values())


def jsonld_document(triples) -> bytes:
    """The whole graph as JSON-LD: the context, then one node object per line (so diffs stay readable
    and Python's C encoder does the work)."""
    head = json.dumps(context()["@context"], ensure_ascii=False, indent=1, sort_keys=True)
    nodes = ",\n".join(json.dumps(node, ensure_ascii=False, sort_keys=True) for node in jsonld_nodes(triples))
    return f'{{\n"@context": {head},\n"@graph": [\n{nodes}\n]\n}}\n'.encode("utf-8")


def write(ctx: BuildContext) -> None:
    kg = ctx.graph
    split = sorted(map(_split, nquad_lines(kg)))
    nt = graph_ntriples(kg, split)
    ctx.path("graph.nt").write_bytes(nt)
    ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), str(ctx.path("graph.ttl")), ox.RdfFormat.TURTLE, prefixes=kg.prefixes())
    ctx.path("graph.jsonld").write_bytes(jsonld_document(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)))
    ctx.path("context.jsonld").write_text(json.dumps(context(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    ox.serialize(ox.parse(sorted_nquads(kg, split), format=ox.RdfFormat.N_QUADS), str(ctx.path("graph.trig")), ox.RdfFormat.TRIG,
                 prefixes=kg.prefixes())
