"""Whole-graph dumps: Turtle, N-Triples, JSON-LD (with its context) and TriG (one graph per source).

Every dump is sorted so that the same input gives byte-identical files.
"""

from __future__ import annotations

import itertools
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


def graph_lines(kg: KnowledgeGraph) -> dict[bytes, list[bytes]]:
    """Each named graph (as ``<iri>``, in order) -> its N-Triples lines, sorted, literals as the sources
    write them ("49.1940", "3"^^xsd:byte) rather than as the store keeps them."""
    rewritten: dict = {}
    for stored, originals in _as_written(kg).items():
        lines = rewritten.setdefault(stored.graph_name, {})
        lines[f"{stored.triple} .".encode("utf-8")] = [f"{q.triple} .".encode("utf-8") for q in originals]
    graphs = {}
    for graph in kg.store.named_graphs():
        lines = kg.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines()
        if graph in rewritten:
            swap = rewritten[graph]
            lines = [out for line in lines for out in swap.get(line, (line,))]
        graphs[f"<{graph.value}>".encode("utf-8")] = sorted(set(lines))
    return dict(sorted(graphs.items()))


def sorted_nquads(kg: KnowledgeGraph, graphs: dict | None = None) -> bytes:
    """Canonical N-Quads sorted by graph, then by triple, so TriG groups each graph's triples."""
    graphs = graph_lines(kg) if graphs is None else graphs
    # N-Triples escapes the line breaks of literals, so " .\n" only ever ends a line: one replace per
    # graph (at C speed) turns its triples into quads.
    return b"".join((b"\n".join(lines) + b"\n").replace(b" .\n", b" " + name + b" .\n") for name, lines in graphs.items() if lines)


def union_lines(graphs: dict[bytes, list[bytes]]) -> list[bytes]:
    """The union of the graphs (``graph_lines``) as canonical N-Triples lines: each distinct triple once, sorted."""
    # Each graph's lines are sorted already: sorting their concatenation merges runs (timsort), and
    # dict.fromkeys drops a triple stated in two graphs, both at C speed.
    return list(dict.fromkeys(sorted(itertools.chain.from_iterable(graphs.values()))))


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
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # one encoder for every node
    nodes = ",\n".join(map(encode, jsonld_nodes(triples)))
    return f'{{\n"@context": {head},\n"@graph": [\n{nodes}\n]\n}}\n'.encode("utf-8")


# ctx.extra keys, for the exporters of the same lane (void): each graph's sorted N-Triples lines, and
# the union's (``union_lines``).
GRAPH_LINES = "tourgraph.rdf.graph_lines"
UNION_LINES = "tourgraph.rdf.union_lines"


def write(ctx: BuildContext) -> None:
    kg = ctx.graph
    graphs = ctx.extra.get(GRAPH_LINES)
    if graphs is None:
        graphs = ctx.extra[GRAPH_LINES] = graph_lines(kg)
    union = ctx.extra[UNION_LINES] = union_lines(graphs)
    nt = b"\n".join(union) + b"\n" if union else b""
    ctx.path("graph.nt").write_bytes(nt)
    # Parsed once for both: a list of the union's triples costs less than a second parse.
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    del nt
    ox.serialize(triples, str(ctx.path("graph.ttl")), ox.RdfFormat.TURTLE, prefixes=kg.prefixes())
    ctx.path("graph.jsonld").write_bytes(jsonld_document(triples))
    del triples
    ctx.path("context.jsonld").write_text(json.dumps(context(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    ox.serialize(ox.parse(sorted_nquads(kg, graphs), format=ox.RdfFormat.N_QUADS), str(ctx.path("graph.trig")), ox.RdfFormat.TRIG,
                 prefixes=kg.prefixes())
