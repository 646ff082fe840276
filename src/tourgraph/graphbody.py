"""The body of a publish: the N-Triples of a graph's distinct triples, written by Oxigraph while
it is sent, in constant memory whatever the graph's size, and written again for each try.

Its length is counted by a first pass before anything is sent, because a store may not read a
chunked body: Virtuoso 7.2 answers 201 to a chunked PUT and keeps no triple of it. The triples
come from the store in its own order (the same on each pass over an unchanged store); a triple
stated in several named graphs is sent once, from the first of them by IRI, so that the count of
lines is the count of triples the store must then hold."""

from __future__ import annotations

import queue
import threading

import pyoxigraph as ox

from .graph import KnowledgeGraph

# Enough to keep a socket busy while Oxigraph writes the next piece; a few megabytes at most queue up.
PIECE = 256 * 1024
QUEUED = 8

# A triple stated in two named graphs (each such quad, with the other graph), or in the default graph too.
_IN_TWO_GRAPHS = "SELECT ?s ?p ?o ?g ?other WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?other { ?s ?p ?o } FILTER(?other != ?g) }"
_ALSO_IN_DEFAULT = "SELECT ?s ?p ?o ?g WHERE { ?s ?p ?o GRAPH ?g { ?s ?p ?o } }"


def later_copies(store: ox.Store) -> frozenset:
    """The quads to leave out so that each triple is sent once: those of a triple that the default
    graph, or a named graph of a smaller IRI, also holds."""
    skipped = set()
    for row in store.query(_IN_TWO_GRAPHS):
        if row["other"].value < row["g"].value:
            skipped.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
    if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        skipped.update(ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in store.query(_ALSO_IN_DEFAULT))
    return frozenset(skipped)


class _Stopped(Exception):
    """The reader went away: stop writing."""


class _Counter:
    def __init__(self):
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class _Pieces:
    """A file-like sink for Oxigraph's serializer that hands pieces of PIECE bytes to a queue."""

    def __init__(self, out: queue.Queue, stop: threading.Event):
        self.out = out
        self.stop = stop
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= PIECE:
            self._hand(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self.buffer:
            self._hand(bytes(self.buffer))
            self.buffer.clear()

    def _hand(self, item) -> None:
        while True:
            if self.stop.is_set():
                raise _Stopped()
            try:
                self.out.put(item, timeout=0.2)
                return
            except queue.Full:
                continue


_END = object()


class GraphBody:
    """An iterable of bytes (so httpx sends it as it comes and can send it again), with ``length``
    (bytes, for Content-Length) and ``triples`` known before the first byte goes out."""

    def __init__(self, kg: KnowledgeGraph):
        self.store = kg.store
        self._later_copies = later_copies(self.store)
        self.triples = len(self.store) - len(self._later_copies)
        counter = _Counter()
        ox.serialize(self._triples(), counter, format=ox.RdfFormat.N_TRIPLES)
        self.length = counter.size

    def _triples(self):
        quads = self.store.quads_for_pattern(None, None, None, None)
        if not self._later_copies:
            return (quad.triple for quad in quads)
        return (quad.triple for quad in quads if quad not in self._later_copies)

    def __iter__(self):
        pieces: queue.Queue = queue.Queue(maxsize=QUEUED)
        stop = threading.Event()

        def write() -> None:
            sink = _Pieces(pieces, stop)
            try:
                ox.serialize(self._triples(), sink, format=ox.RdfFormat.N_TRIPLES)
                sink.finish()
                sink._hand(_END)
            except _Stopped:
                pass
            except BaseException as exc:  # handed to the reader, which raises it in its own thread
                try:
                    sink._hand(exc)
                except _Stopped:
                    pass

        writer = threading.Thread(target=write, name="tourgraph-ntriples", daemon=True)
        writer.start()
        sent = 0
        try:
            while True:
                item = pieces.get()
                if item is _END:
                    break
                if isinstance(item, BaseException):
                    raise item
                sent += len(item)
                yield item
        finally:
            stop.set()
            writer.join()
        if sent != self.length:
            raise RuntimeError(f"the graph changed while it was sent ({sent} bytes instead of {self.length})")
