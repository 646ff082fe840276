"""graphbody: the body of a publish, N-Triples of the distinct triples of every graph, the same bytes
on each pass, its length known before it is sent, written piece by piece in a thread that stops when
the reader does."""

from __future__ import annotations

import threading

import pyoxigraph as ox
from rdflib import Graph

from tourgraph.graph import KnowledgeGraph
from tourgraph.graphbody import PIECE, GraphBody

EX = "http://example.org/"


def _kg(quads) -> KnowledgeGraph:
    store = ox.Store()
    store.extend(quads)
    return KnowledgeGraph(store=store, sources=(), base=EX)


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def test_a_triple_in_several_graphs_is_sent_once():
    shared = ox.Triple(_n("tour"), _n("name"), ox.Literal("Tournée", language="fr"))
    alone = ox.Triple(_n("tour"), _n("date"), ox.Literal("2026-03-16", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    blank = ox.Triple(_n("place"), _n("address"), ox.BlankNode("a1"))
    quads = [
        ox.Quad(*shared, _n("graph/b")), ox.Quad(*shared, _n("graph/a")), ox.Quad(*shared, _n("graph/c")),
        ox.Quad(*alone, _n("graph/c")), ox.Quad(*alone),  # and in the default graph
        ox.Quad(*blank, _n("graph/a")),
    ]
    body = GraphBody(_kg(quads))
    data = b"".join(body)
    assert body.triples == 3 == data.count(b"\n") and body.length == len(data)
    assert {q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)} == {shared, alone, blank}
    assert len(Graph().parse(data=data.decode(), format="nt")) == 3
    assert b"".join(body) == data, "each pass sends the same bytes"


def test_a_large_body_comes_in_pieces_and_a_reader_that_stops_stops_the_writer():
    quads = [ox.Quad(_n(f"s{i}"), _n("p"), ox.Literal("x" * 40 + str(i)), _n("graph/g")) for i in range(40_000)]
    body = GraphBody(_kg(quads))
    assert body.length > 4 * PIECE
    pieces = iter(body)
    first = next(pieces)
    assert len(first) <= PIECE + 8192
    pieces.close()
    assert not [t for t in threading.enumerate() if t.name == "tourgraph-ntriples"]
    assert sum(len(piece) for piece in body) == body.length
