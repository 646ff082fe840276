"""The query workers' side: a zygote process gives up its network, loads the graph once and forks a
worker per request of the server; each worker checks a query with the guard, runs it on the zygote's
store (shared copy-on-write) and writes the answer, serialised in the requested format.

Oxigraph queries cannot be interrupted from Python, hence processes, not threads; forking from a
loaded zygote makes a new worker cost milliseconds instead of a reload of the graph, so the server may
stop a runaway whenever it likes. The zygote unshares its network before it reads anything, so every
worker lives in a network namespace without interfaces: a query that got past the guard still
reaches nothing.

Started as ``python -m tourgraph.query_worker CONTROL_FD SOURCE MEMORY_MB`` (a plain subprocess, not
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
INFO_CHUNK = 32 << 10
SEEN_TEXTS = 4096  # texts whose check a worker remembers telling the server about
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


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


def usage(pid: int | str = "self") -> tuple[float, int] | None:
    """CPU seconds (user and system) and resident bytes of a process, from /proc; None without it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS, int(fields[21]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


def _check(sock: socket.socket, job: Job, seen: dict) -> None:
    """The guard's check of a text this worker has not seen yet, between two markers for the server:
    parsing is the guard's cost (bounded by the recursion limit), not the query's."""
    from .sparql_guard import Refused, inspect

    key = (job.query, job.base_iri)
    if key in seen:
        return
    send_frame(sock, pickle.dumps(("parsing",)))
    try:
        inspect(job.query, job.base_iri)
    except Refused:
        pass  # answer_job says so, from the guard's cache
    send_frame(sock, pickle.dumps(("checked", usage())))
    seen[key] = True
    if len(seen) > SEEN_TEXTS:
        del seen[next(iter(seen))]


def serve_jobs(sock: socket.socket, store, graphs: frozenset[str]) -> None:
    """A worker's life: say ready, then answer jobs until the server closes the socket. Each head
    starts with the worker's usage so far (CPU, memory): the server measures the next job's cost from it."""
    send_frame(sock, pickle.dumps(("ready", os.getpid(), usage())))
    seen: dict = {}
    while True:
        try:
            job = Job(*pickle.loads(read_frame(sock)))
        except (EOFError, OSError):
            return
        try:
            _check(sock, job, seen)
        except OSError:
            return
        reply = answer_job(store, job, graphs)
        if reply[0] == "ok":
            body = reply[1]
            head = (usage(), "ok", reply[2], reply[3], reply[4], reply[5], len(body))
        else:
            body, head = b"", (usage(), *reply)
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


def _limit_memory(megabytes: int) -> None:
    """Let this worker's queries allocate at most ``megabytes`` more than it holds now (the graph,
    shared with the zygote): past that an allocation fails and the query (or the worker) stops."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + (megabytes << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, OSError, ValueError):
        pass


def _fork_worker(fd: int, control: socket.socket, store, graphs: frozenset[str], memory: int) -> int:
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
        _limit_memory(memory)
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


def zygote_main(control: socket.socket, source: str, memory: int) -> None:
    """Give up the network, load the graph, say ready with the dataset's description (its named graphs
    and distinct triples), then fork workers, and kill or demote them, as the server asks, until it
    closes the control socket."""
    sandbox = isolate_network()
    # The guard's parser recurses per nested group and per triple pattern of a block (about 1,000 fit).
    sys.setrecursionlimit(20_000)
    try:
        import pyoxigraph as ox

        store = load_source(source)
        from .sparql_guard import inspect

        inspect("ASK {}")  # builds the parser's caches once, for every worker
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        # Counted once, for the service description.
        [row] = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }", use_default_graph_as_union=True)
        info = pickle.dumps({"graphs": graphs, "triples": int(row["n"].value)})
    except Exception as exc:  # the server reports it; the zygote never prints a traceback
        control.send(pickle.dumps(("failed", _one_line(exc)[:1000])))
        return
    # Objects that live as long as the zygote stay out of the collector's sight, so that workers
    # do not copy the pages holding them when the collector would touch them.
    graphs = frozenset(graphs)
    gc.collect()
    gc.freeze()
    try:
        control.send(pickle.dumps(("ready", sandbox, len(info))))
        # A message of this socket must fit in its buffer; the description of 16,000 graphs does not.
        for start in range(0, len(info), INFO_CHUNK):
            control.send(info[start:start + INFO_CHUNK])
    except OSError:
        return
    del info
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
                children.add(_fork_worker(fds[0], control, store, graphs, memory))
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

    query_worker.zygote_main(socket.socket(fileno=int(sys.argv[1])), sys.argv[2], int(sys.argv[3]))
