"""The server's side of the query workers (see query_worker.py): a pool of forked workers in two lanes,
so that runaway queries cannot starve the others.

Capacity is reserved by cost. Every query starts in the fast lane, on one of ``workers`` workers at
normal CPU priority. A query that has used ``long_after`` seconds of CPU or 64 MB of memory (its
worker's own count, so a query merely slowed down by a busy machine stays) is moved to the long lane:
its worker is demoted to the lowest CPU priority (SCHED_IDLE) and a fresh worker takes its place in
the fast lane at once, so simple queries keep their workers and almost all of the CPU. The long lane
holds at most ``long_slots`` queries; a query that becomes long while it is full is stopped with a
503 (``LongQueriesBusy``). The served graph does not change, so a query that became long once costs
as much the next time: the pool remembers the last ``KNOWN_LONG`` such jobs, and runs them in the
long lane from their start, or refuses them before they take a fast worker when it is full. Every
query is still stopped at ``timeout``. A worker that ran a long query is retired when it is done (its
priority cannot be raised again without privileges). A worker may allocate ``memory`` megabytes
beyond the graph it shares with the zygote; a query that needs more is
stopped (a runaway can allocate hundreds of megabytes a second)."""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .query_channel import FRAME, Frames, Reply
from .query_eval import GRAPH_FORMATS, RESULT_FORMATS, Answer, Job, NoFormat, answer_job, evaluate
from .query_worker import isolate_network, usage
from .query_zygote import PoolFailed, Zygote

__all__ = ["LONG_AFTER", "QUERY_MEMORY", "Answer", "Job", "NoFormat", "PoolBusy", "LongQueriesBusy", "PoolFailed", "QueryFailed", "QueryPool",
           "QueryTimeout", "Reply", "RESULT_FORMATS", "GRAPH_FORMATS", "answer_job", "evaluate", "isolate_network"]

LONG_AFTER = 0.1  # CPU seconds: a query that costs more is not a simple one (their p99 target is 100 ms)
LONG_MEMORY = 64 << 20  # bytes a query may allocate and still be simple
PARSE_BUDGET = 1.0  # CPU seconds of the guard's parse of a new text (its recursion limit keeps it about that)
KNOWN_LONG = 1024  # jobs remembered as long (a repeated runaway never takes a fast worker again)
QUERY_MEMORY = 1024  # megabytes a worker may allocate for its query, beyond the graph it shares
log = logging.getLogger(__name__)


class PoolBusy(Exception):
    """No worker became free within the wait limit."""


class LongQueriesBusy(PoolBusy):
    """A query became long while the long lane was full; it was stopped."""


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed and is being replaced."""


class QueryFailed(Exception):
    """The guard or Oxigraph refused or failed the query (the message is one line, for the user)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class ForkedProcess:
    """A worker process, a child of the zygote (which alone kills it, so a reaped pid is never hit)."""

    pid: int


class _Worker:
    def __init__(self, sock: socket.socket, sandbox: str | None):
        self.sock = sock
        self.frames = Frames(sock)
        self.sandbox = sandbox
        self.process: ForkedProcess | None = None
        self.long = False
        self.usage: tuple[float, int] | None = None  # the worker's CPU seconds and bytes when its current job began


class QueryPool:
    """Forked workers in a fast and a long lane; ``run`` waits up to ``wait`` s for a fast one."""

    def __init__(self, source: Path, workers: int, timeout: float, wait: float | None = None, *,
                 long_after: float = LONG_AFTER, long_slots: int | None = None, memory: int = QUERY_MEMORY):
        self.source = source
        self.size = max(1, workers)
        self.timeout = timeout
        self.wait = timeout if wait is None else wait
        self.long_after = min(long_after, timeout)
        self.long_slots = long_slots if long_slots is not None else max(1, self.size // 2)
        self.memory = memory
        self._zygote = Zygote(source, memory)
        self._starting: list[_Worker] = []
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future] = deque()
        self._all: set[_Worker] = set()
        self._long: set[_Worker] = set()
        self._known_long: dict[Job, None] = {}  # insertion order: the oldest is forgotten first
        self.closed = False
        self.sandbox_warned = False
        for _ in range(self.size):
            self._spawn()

    @property
    def info(self) -> dict | None:
        """The dataset's named graphs and distinct triples, once the graph is loaded."""
        return self._zygote.info

    async def ready(self) -> dict:
        """The dataset's description, once the graph is loaded (waits for it)."""
        while not self._zygote.poll_ready():
            if self._zygote.process.poll() is not None:
                raise PoolFailed("the query process stopped while loading the graph.")
            await asyncio.sleep(0.02)
        return self._zygote.info

    def _spawn(self) -> None:
        mine, theirs = socket.socketpair()
        with theirs:
            self._zygote.send("fork", (theirs.fileno(),))
        mine.setblocking(False)
        worker = _Worker(mine, None)
        self._starting.append(worker)
        self._all.add(worker)

    def _collect_started(self) -> None:
        if not self._zygote.poll_ready():
            return
        if self._zygote.sandbox and not self.sandbox_warned:
            self.sandbox_warned = True
            log.warning("SPARQL workers keep network access (%s); the guard alone stops SERVICE.", self._zygote.sandbox)
        for worker in list(self._starting):
            try:
                frame = worker.frames.poll()
            except (EOFError, OSError):
                self._discard(worker)
                continue
            if frame is not None:
                _, pid, worker.usage = pickle.loads(frame)
                worker.process = ForkedProcess(pid)
                worker.sandbox = self._zygote.sandbox
                self._starting.remove(worker)
                self._release(worker)

    def wait_ready(self, limit: float = 600) -> None:
        """Block until the graph is loaded and every worker is forked (at startup and in tests)."""
        deadline = time.monotonic() + limit
        while self._starting and time.monotonic() < deadline:
            self._collect_started()
            if self._zygote.process.poll() is not None and not self._zygote.ready:
                self._zygote.poll_ready()
                raise PoolFailed("the query process stopped while loading the graph.")
            time.sleep(0.01)
        if self._starting:
            raise PoolFailed(f"the SPARQL workers did not start within {limit:g} s.")


    def _discard(self, worker: _Worker) -> None:
        """Kill a worker (through the zygote) and, if it held a fast slot, fork its replacement."""
        if worker.process is not None:
            self._zygote.send(f"kill {worker.process.pid}")
        worker.sock.close()
        self._all.discard(worker)
        if worker in self._starting:
            self._starting.remove(worker)
        held_fast_slot = not worker.long
        self._long.discard(worker)
        if held_fast_slot and not self.closed:
            self._spawn()

    def _finish(self, worker: _Worker) -> None:
        """A worker is done with a job: back to the fast lane, or retired if it ran a long one."""
        if worker.long:
            self._discard(worker)
        else:
            self._release(worker)

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
            if self._zygote.process.poll() is not None:
                raise PoolBusy("the query process has stopped; restart tourgraph serve.")
            self._collect_started()
            if self._idle:
                return self._idle.popleft()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PoolBusy(f"all {self.size} query workers are busy; try again shortly.")
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                # Starting workers announce themselves only through their socket, so waiting is
                # sliced while any are starting.
                return await asyncio.wait_for(asyncio.shield(waiter), min(remaining, 0.01) if self._starting else remaining)
            except asyncio.TimeoutError:
                if waiter.done():
                    return waiter.result()
                waiter.cancel()
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())
                waiter.cancel()
                raise

    def _demote(self, worker: _Worker) -> None:
        worker.long = True
        self._long.add(worker)
        self._zygote.send(f"demote {worker.process.pid}")
        if not self.closed:
            self._spawn()

    def _refuse_when_long_lane_full(self, last_ran: bool) -> None:
        """Raises LongQueriesBusy when the long lane is full, for a query that became long now or, with
        ``last_ran``, the last time it ran."""
        if len(self._long) < self.long_slots:
            return
        cost = f"{self.long_after:g} s of CPU or {LONG_MEMORY >> 20} MB of memory"
        after = f"cost more than {cost} when it last ran" if last_ran else f"used more than {cost}"
        raise LongQueriesBusy(
            f"this query {after} while the endpoint was already running its "
            f"{self.long_slots} long {'query' if self.long_slots == 1 else 'queries'}, so it was stopped; "
            "try again later, or make it more selective.")

    def _remember_long(self, job: Job) -> None:
        self._known_long.pop(job, None)
        self._known_long[job] = None
        if len(self._known_long) > KNOWN_LONG:
            del self._known_long[next(iter(self._known_long))]

    async def _head(self, worker: _Worker, job: Job, deadline: float) -> bytes:
        """The reply's head; meanwhile the query moves to the long lane once it has cost ``long_after``
        (the guard's parse of a new text, between the worker's two markers, may cost ``PARSE_BUDGET``)."""
        loop = asyncio.get_running_loop()
        started, parsing = loop.time(), False
        while not worker.long:
            try:
                frame = await worker.frames.next(min(deadline, loop.time() + self.long_after / 4))
            except TimeoutError:
                if loop.time() >= deadline:
                    raise
                if self._cost(worker, loop.time() - started) >= (PARSE_BUDGET if parsing else self.long_after):
                    break
                continue
            marker = pickle.loads(frame)
            if marker[0] == "parsing":
                parsing = True
            elif marker[0] == "checked":
                parsing, worker.usage, started = False, marker[1], loop.time()
            else:
                return marker
        if not worker.long:  # it became long here (a job known to be long was demoted before it began)
            self._remember_long(job)
            self._refuse_when_long_lane_full(last_ran=False)
            self._demote(worker)
        while (marker := pickle.loads(await worker.frames.next(deadline)))[0] in ("parsing", "checked"):
            pass
        return marker

    def _cost(self, worker: _Worker, wall: float) -> float:
        """What the running job has cost, in CPU seconds: those it used, or as many for every
        ``LONG_MEMORY`` bytes it allocated, whichever is more (a runaway join can allocate hundreds of
        megabytes a second, and slows every other query as it does). A query merely slowed down by a
        busy machine costs little. Where the OS does not tell (no /proc), the time it has been running."""
        now = usage(worker.process.pid)
        if now is None or worker.usage is None:
            return wall
        cpu, memory = (a - b for a, b in zip(now, worker.usage))
        return max(cpu, self.long_after * memory / LONG_MEMORY)

    async def run(self, job: Job) -> Reply:
        """Evaluate a job in a worker; raises PoolBusy, QueryTimeout, QueryFailed or NoFormat."""
        if self.closed:
            raise PoolBusy("the server is shutting down.")
        known_long = job in self._known_long
        if known_long:
            self._refuse_when_long_lane_full(last_ran=True)
        worker = await self._acquire()
        if known_long:
            # Checked again: the long lane may have filled while this waited for a worker.
            try:
                self._refuse_when_long_lane_full(last_ran=True)
            except LongQueriesBusy:
                self._release(worker)
                raise
            self._demote(worker)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        clean = handed = False
        try:
            # Plain tuples cross the socket: the zygote runs as __main__, where these classes have another name.
            message = pickle.dumps(tuple(job.__dict__.values()), protocol=pickle.HIGHEST_PROTOCOL)
            await loop.sock_sendall(worker.sock, FRAME.pack(len(message)) + message)
            worker.usage, *head = await self._head(worker, job, deadline)
            if head[0] != "ok":
                clean = True
                if head[0] == "noformat":
                    raise NoFormat(head[1])
                raise QueryFailed(head[1], head[2])
            _, rows, truncated, form, fmt, length = head
            if len(worker.frames.buffer) >= length:
                clean = True
                return Reply(rows, truncated, form, fmt, body=worker.frames.take(length))
            queue: asyncio.Queue = asyncio.Queue()
            first = worker.frames.take(len(worker.frames.buffer))
            queue.put_nowait(first)
            loop.create_task(self._pump(worker, length - len(first), queue, deadline))
            handed = True
            return Reply(rows, truncated, form, fmt, queue=queue)
        except TimeoutError:
            raise QueryTimeout(self._too_long()) from None
        except (EOFError, OSError):
            raise QueryFailed(500, self._stopped()) from None
        finally:
            if not handed:
                (self._finish if clean else self._discard)(worker)

    def _too_long(self) -> str:
        return f"the query ran longer than the {self.timeout:g} s limit and was stopped."

    def _stopped(self) -> str:
        return (f"the query's worker stopped before answering (a query that needs more than {self.memory} MB "
                "of memory stops it); it is being replaced.")

    async def _pump(self, worker: _Worker, remaining: int, queue: asyncio.Queue, deadline: float) -> None:
        """Read the rest of a body into the queue at the worker's pace (not the client's), then free the worker."""
        clean = False
        try:
            while remaining > 0:
                await worker.frames.receive(deadline)
                chunk = worker.frames.take(min(remaining, len(worker.frames.buffer)))
                remaining -= len(chunk)
                queue.put_nowait(chunk)
            clean = True
            queue.put_nowait(None)
        except TimeoutError:
            queue.put_nowait(QueryTimeout(self._too_long()))
        except (EOFError, OSError):
            queue.put_nowait(QueryFailed(500, self._stopped()))
        finally:
            (self._finish if clean else self._discard)(worker)

    def close(self) -> None:
        """Stop every worker and the zygote."""
        self.closed = True
        for worker in list(self._all):
            worker.sock.close()
        self._all.clear()
        self._idle.clear()
        self._starting.clear()
        self._long.clear()
        self._zygote.close()
