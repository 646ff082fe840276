"""The query workers' side: a zygote process gives up its network, loads the graph once and forks a
worker per request of the server; each worker checks a query with the guard, runs it on the zygote's
store (shared copy-on-write) and writes the answer, serialised in the requested format.

Oxigraph queries cannot be interrupted from Python, hence processes, not threads; forking from a
loaded zygote makes a new worker cost milliseconds instead of a reload of the graph, so the server may
stop a runaway whenever it likes. The zygote unshares its network before it reads anything, so every
worker lives in a network namespace without interfaces: a query that got past the guard still
reaches nothing.

Started as ``python -m tourgraph.query_worker CONTROL_FD SOURCE`` (a plain subprocess, not
multiprocessing, which would re-import the caller's ``__main__``). The control socket
(SOCK_SEQPACKET) carries one command per message: ``fork`` with the worker's socket attached,
``kill PID``, ``demote PID``. Worker sockets carry frames (a 4-byte length, then the bytes): a job
(a pickled plain tuple), then the reply's head (pickled) followed by the body's bytes, whose length
the head gives."""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import select
import signal
import socket
import struct
import sys

from .query_eval import Job, answer_job

FRAME = struct.Struct(">I")
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
# Head and body go in one write when the body is small: one wake-up of the server instead of two.
ONE_WRITE = 64 << 10


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



# ---------------------------------------------------------------- frames


def send_frame(sock: socket.socket, data: bytes, body: bytes = b"") -> None:
    """One frame, then ``body`` as raw bytes (its length is in the frame)."""
    header = FRAME.pack(len(data)) + data
    if len(body) <= ONE_WRITE:
        sock.sendall(header + body)
    else:
        sock.sendall(header)
        sock.sendall(memoryview(body))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = sock.recv(min(size - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket) -> bytes:
    (size,) = FRAME.unpack(_read_exactly(sock, FRAME.size))
    return _read_exactly(sock, size)


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def serve_jobs(sock: socket.socket, store, graphs: frozenset[str]) -> None:
    """A worker's life: say ready, then answer jobs until the server closes the socket. Each head
    starts with the worker's CPU seconds so far: the server measures the next job's cost from it."""
    send_frame(sock, pickle.dumps(("ready", os.getpid(), _cpu())))
    while True:
        try:
            job = Job(*pickle.loads(read_frame(sock)))
        except (EOFError, OSError):
            return
        reply = answer_job(store, job, graphs)
        if reply[0] == "ok":
            body = reply[1]
            head = (_cpu(), "ok", reply[2], reply[3], reply[4], reply[5], len(body))
        else:
            body, head = b"", (_cpu(), *reply)
        try:
            send_frame(sock, pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), body)
        except OSError:
            return


# ---------------------------------------------------------------- the zygote


def load_source(path: str):
    """A fresh in-memory store holding an N-Quads dump or a TriG file (a build's graph.trig)."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TRIG if path.endswith(".trig") else ox.RdfFormat.N_QUADS
    store = ox.Store()
    with open(path, "rb") as fh:
        store.bulk_extend(ox.parse(fh, format=fmt))
    return store


def describe(store) -> dict:
    """What the service description says of the dataset: its named graphs and distinct triples."""
    import pyoxigraph as ox

    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    [row] = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }", use_default_graph_as_union=True)
    return {"graphs": graphs, "triples": int(row["n"].value)}


def _die_with_parent() -> None:
    """Be killed when the zygote dies, even in the middle of a query (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _demote(pid: int) -> None:
    """Lowest CPU priority: a long query gets only the time simple queries leave."""
    try:
        os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.setpriority(os.PRIO_PROCESS, pid, 19)
        except OSError:
            pass


def _fork_worker(fd: int, control: socket.socket, store, graphs: frozenset[str]) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(fd)
        return pid
    code = 0
    try:
        control.close()
        _die_with_parent()
        if os.getppid() != parent:
            os._exit(0)
        serve_jobs(socket.socket(fileno=fd), store, graphs)
    except BaseException:  # a worker never prints a traceback; the server sees its socket close
        code = 1
    finally:
        os._exit(code)


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def zygote_main(control: socket.socket, source: str) -> None:
    """Give up the network, load the graph, say ready (with the dataset's description), then fork
    workers, and kill or demote them, as the server asks, until it closes the control socket."""
    sandbox = isolate_network()
    # The guard's parser recurses per nested group and per triple pattern of a block (about 1,000 fit).
    sys.setrecursionlimit(20_000)
    try:
        store = load_source(source)
        from .sparql_guard import inspect

        inspect("ASK {}")  # builds the parser's caches once, for every worker
        info = describe(store)
    except Exception as exc:  # the server reports it; the zygote never prints a traceback
        control.send(pickle.dumps(("failed", _one_line(exc))))
        return
    graphs = frozenset(info["graphs"])
    # Objects that live as long as the zygote stay out of the collector's sight, so that workers
    # do not copy the pages holding them when the collector would touch them.
    gc.collect()
    gc.freeze()
    control.send(pickle.dumps(("ready", sandbox, info)))
    children: set[int] = set()
    try:
        while True:
            readable, _, _ = select.select([control], [], [], 0.5)
            _reap(children)
            if not readable:
                continue
            try:
                message, fds, _, _ = socket.recv_fds(control, 256, 1)
            except OSError:
                return
            if not message:
                return
            command, _, argument = message.decode("ascii").partition(" ")
            if command == "fork" and fds:
                children.add(_fork_worker(fds[0], control, store, graphs))
                continue
            for fd in fds:
                os.close(fd)
            pid = int(argument) if argument.isdigit() else 0
            # Only live children of ours: a reaped worker's pid may already be someone else's.
            if pid in children and command == "kill":
                os.kill(pid, signal.SIGKILL)
            elif pid in children and command == "demote":
                _demote(pid)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


if __name__ == "__main__":
    from tourgraph import query_worker

    query_worker.zygote_main(socket.socket(fileno=int(sys.argv[1])), sys.argv[2])
