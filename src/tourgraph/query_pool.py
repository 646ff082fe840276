"""SPARQL evaluation in worker processes: each holds its own copy of the graph (loaded from an
N-Quads dump), checks each query with the guard, then runs it; a runaway query is stopped by killing
its process and the server stays responsive.

Oxigraph queries cannot be interrupted from Python, hence processes, not threads. A worker gives up
its network before it reads a job (a network namespace without interfaces), so a query that got past
the guard still reaches nothing."""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import logging
import os
import pickle
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
log = logging.getLogger(__name__)


class PoolBusy(Exception):
    """No worker became free within the wait limit."""


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed and is being replaced."""


class QueryFailed(Exception):
    """The guard or Oxigraph refused or failed the query (the message is one line, for the user)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class NoFormat(Exception):
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) has no format the client accepts."""

    def __init__(self, form: str):
        super().__init__(form)
        self.form = form


@dataclass(frozen=True)
class Job:
    """What a worker runs: the query, its dataset, the serialisation wanted for each kind of result
    (None: not acceptable), the base for relative IRIs and the variables the engine binds."""

    query: str
    results_fmt: str | None
    graph_fmt: str | None
    max_rows: int
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Answer:
    body: bytes
    rows: int
    truncated: bool
    form: str = "SELECT"
    fmt: str = "json"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def isolate_network() -> str | None:
    """Move this process into a new network namespace (no interfaces, so no connection can be made).

    Returns None when done, else why not. Must run while the process has a single thread."""
    if not sys.platform.startswith("linux"):
        return f"network namespaces need Linux (this is {sys.platform})"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"cannot load the C library: {exc}"
    errors = []
    # As root CLONE_NEWNET alone; otherwise a user namespace gives the right to make one.
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        errors.append(os.strerror(ctypes.get_errno()))
    return "unshare refused: " + "; ".join(dict.fromkeys(errors))


def evaluate(store, job: Job, graphs: frozenset[str] | None = None) -> Answer:
    """Check a job's query with the guard, then run it on a store: at most ``max_rows`` solutions or
    triples, serialised natively. Raises Refused for what the guard refuses, NoFormat, SyntaxError."""
    import pyoxigraph as ox

    from .sparql_guard import Refused, check_graphs, inspect

    info = inspect(job.query, job.base_iri)
    graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
    fmt = job.graph_fmt if graph_form else job.results_fmt
    if fmt is None:
        raise NoFormat(info.form)
    kwargs = {"base_iri": job.base_iri, "substitutions": {ox.Variable(k): v for k, v in job.substitutions}}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif info.has_dataset:
        if graphs is not None:
            check_graphs(info.default_graphs, graphs, "FROM")
            check_graphs(info.named_graphs, graphs, "FROM NAMED")
    else:
        kwargs["use_default_graph_as_union"] = True
    try:
        results = store.query(job.query, **kwargs)
    except RuntimeError as exc:
        # pyoxigraph refuses to substitute a variable a SELECT does not project, with this error.
        if job.substitutions and "does not contain" in str(exc):
            raise Refused(400, f"cannot bind the parameters: {_one_line(exc)}") from None
        raise
    if isinstance(results, ox.QueryBoolean):
        return Answer(results.serialize(format=_results_format(fmt)), 1, False, info.form, fmt)
    if isinstance(results, ox.QuerySolutions):
        variables = results.variables
        rows = list(itertools.islice(results, job.max_rows + 1))
        truncated = len(rows) > job.max_rows
        del rows[job.max_rows:]
        # Oxigraph cannot serialise a prefix of a result set, so the capped rows go through TSV
        # (N-Triples terms, lossless) and Oxigraph's own parser and serialisers.
        lines = ["\t".join(str(v) for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        tsv = ("\n".join(lines) + "\n").encode("utf-8")
        if fmt == "tsv":
            return Answer(tsv, len(rows), truncated, info.form, fmt)
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        return Answer(parsed.serialize(format=_results_format(fmt)), len(rows), truncated, info.form, fmt)
    triples = list(itertools.islice(results, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    del triples[job.max_rows:]
    from .graph import PREFIXES

    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    prefixes = PREFIXES if rdf_format is ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=rdf_format, prefixes=prefixes) if prefixes else ox.serialize(triples, format=rdf_format)
    return Answer(body or b"", len(triples), truncated, info.form, fmt)


def _results_format(fmt: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]


def load_dump(path: str):
    """A fresh in-memory store holding the N-Quads dump."""
    import pyoxigraph as ox

    store = ox.Store()
    with open(path, "rb") as fh:
        store.bulk_extend(ox.parse(fh, format=ox.RdfFormat.N_QUADS))
    return store


def answer_job(store, job: Job, graphs: frozenset[str] | None) -> tuple:
    """A worker's reply to one job, as a plain tuple."""
    from .sparql_guard import Refused

    try:
        answer = evaluate(store, job, graphs)
        return ("ok", answer.body, answer.rows, answer.truncated, answer.form, answer.fmt)
    except Refused as exc:
        return ("error", exc.status, exc.reason)
    except NoFormat as exc:
        return ("noformat", exc.form)
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {_one_line(exc)}")
    except ValueError as exc:
        return ("error", 400, f"cannot serialise the results: {_one_line(exc)}")
    except RuntimeError as exc:
        # A function the engine does not implement is the query's limit, not the server's fault.
        if "is not supported" in str(exc):
            return ("error", 400, f"the query uses something this endpoint does not support: {_one_line(exc)}")
        return ("error", 500, f"query failed: {_one_line(exc)}")
    except Exception as exc:
        return ("error", 500, f"query failed: {_one_line(exc)}")


def worker_main(conn, dump: str) -> None:
    """A worker's life: give up the network, load the dump, say ready, then answer jobs until the pipe closes."""
    sandbox = isolate_network()
    # The guard's parser recurses per nested group and per triple pattern of a block (about 1,000 fit).
    sys.setrecursionlimit(20_000)
    try:
        store = load_dump(dump)
        from .sparql_guard import inspect

        inspect("ASK {}")  # builds the parser's caches before the first real query
        import pyoxigraph as ox

        graphs = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    except Exception as exc:  # the parent reports it; a worker never prints a traceback
        message = pickle.dumps(("failed", _one_line(exc)))
    else:
        message = pickle.dumps(("ready", sandbox))
    try:
        conn.send_bytes(message)
    except OSError:
        return
    while True:
        try:
            job = Job(*pickle.loads(conn.recv_bytes()))
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            conn.send_bytes(pickle.dumps(answer_job(store, job, graphs), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return


class _Worker:
    """One worker process, started as ``python -m tourgraph.query_pool FD DUMP``."""

    # A plain subprocess, not multiprocessing's spawn, which would re-import the caller's __main__.

    def __init__(self, dump: Path):
        parent, child = socket.socketpair()
        with child:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tourgraph.query_pool", str(child.fileno()), str(dump)],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                # A new session keeps the terminal's Ctrl-C away from workers; the parent stops them.
                start_new_session=True,
            )
        self.conn = Connection(parent.detach())
        self.ready = False
        self.sandbox: str | None = None

    def poll_ready(self) -> bool:
        """True once the worker has loaded the graph; raises RuntimeError if loading failed."""
        if not self.ready and self.conn.poll():
            status, detail = pickle.loads(self.conn.recv_bytes())
            if status != "ready":
                raise RuntimeError(detail)
            self.sandbox = detail
            self.ready = True
        return self.ready

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryPool:
    """Worker processes: ``run`` waits up to ``wait`` s for a free one and kills it after ``timeout`` s."""

    def __init__(self, dump: Path, workers: int, timeout: float, wait: float | None = None):
        self.dump = dump
        self.size = max(1, workers)
        self.timeout = timeout
        self.wait = timeout if wait is None else wait
        self._starting: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._all: set[_Worker] = set()
        self.closed = False
        self.sandbox_warned = False
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self.dump)
        self._starting.append(worker)
        self._all.add(worker)

    def _collect_started(self) -> None:
        for worker in list(self._starting):
            try:
                ready = worker.poll_ready()
            except (RuntimeError, EOFError, OSError):
                self._discard(worker)
                self._spawn()
                continue
            if ready:
                if worker.sandbox and not self.sandbox_warned:
                    self.sandbox_warned = True
                    log.warning("SPARQL workers keep network access (%s); the guard alone stops SERVICE.", worker.sandbox)
                self._starting.remove(worker)
                self._release(worker)

    def wait_ready(self, limit: float = 60) -> None:
        """Block until every worker has loaded the graph (used at startup and in tests)."""
        deadline = time.monotonic() + limit
        while self._starting and time.monotonic() < deadline:
            self._collect_started()
            time.sleep(0.01)
        if self._starting:
            raise RuntimeError(f"SPARQL workers did not start within {limit:g} s.")

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if worker in self._starting:
            self._starting.remove(worker)

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self) -> _Worker:
        deadline = time.monotonic() + self.wait
        while True:
            self._collect_started()
            if self._idle:
                return self._idle.popleft()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PoolBusy(f"all {self.size} query workers are busy; try again shortly.")
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                # Starting workers announce themselves only through their pipe, so waiting is
                # sliced while any are starting.
                return await asyncio.wait_for(asyncio.shield(waiter), min(remaining, 0.05) if self._starting else remaining)
            except asyncio.TimeoutError:
                if waiter.done():
                    return waiter.result()
                waiter.cancel()
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())
                waiter.cancel()
                raise

    async def run(self, job: Job) -> Answer:
        """Evaluate a job in a worker; raises PoolBusy, QueryTimeout, QueryFailed or NoFormat."""
        if self.closed:
            raise PoolBusy("the server is shutting down.")
        worker = await self._acquire()
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        fd = worker.conn.fileno()

        def readable():
            if not done.done():
                done.set_result(None)

        healthy = False
        try:
            # Plain tuples cross the pipe: the worker runs as __main__, where these classes have another name.
            worker.conn.send_bytes(pickle.dumps(tuple(job.__dict__.values()), protocol=pickle.HIGHEST_PROTOCOL))
            loop.add_reader(fd, readable)
            try:
                await asyncio.wait_for(done, self.timeout)
            finally:
                loop.remove_reader(fd)
            reply = pickle.loads(worker.conn.recv_bytes())
            healthy = True
        except asyncio.TimeoutError:
            raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped.") from None
        except (EOFError, OSError, BrokenPipeError):
            raise QueryFailed(500, "the query worker stopped unexpectedly; it is being replaced.") from None
        finally:
            if healthy:
                self._release(worker)
            else:
                self._discard(worker)
                if not self.closed:
                    self._spawn()
        if reply[0] == "ok":
            return Answer(*reply[1:])
        if reply[0] == "noformat":
            raise NoFormat(reply[1])
        raise QueryFailed(reply[1], reply[2])

    def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle.clear()
        self._starting.clear()


if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2])
