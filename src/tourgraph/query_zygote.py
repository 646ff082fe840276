"""The zygote of the query workers (see query_worker.py): the process that gives up its network, loads
the graph once and forks a worker whenever the pool (query_pool.py) asks; its control socket carries
the commands and, once, the dataset's description."""

from __future__ import annotations

import pickle
import socket
import subprocess
import sys
from pathlib import Path

from .query_worker import INFO_CHUNK

__all__ = ["PoolFailed", "Zygote"]


class PoolFailed(RuntimeError):
    """The zygote could not load the graph (the message says why)."""


class Zygote:
    """The process that holds the loaded graph and forks the workers."""

    def __init__(self, source: Path, memory: int):
        control, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with child:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tourgraph.query_worker", str(child.fileno()), str(source), str(memory)],
                pass_fds=[child.fileno()],
                stdin=subprocess.DEVNULL,
                # What the zygote has to say goes through its socket; Oxigraph's own message when a query
                # exceeds its memory ("memory allocation of … failed") would only confuse the server's log.
                stderr=subprocess.DEVNULL,
                # A new session keeps the terminal's Ctrl-C away from the workers; the server stops them.
                start_new_session=True,
            )
        self.control = control
        self.ready = False
        self.sandbox: str | None = None
        self.info: dict | None = None
        self._expected: int | None = None
        self._info = bytearray()

    def poll_ready(self) -> bool:
        """True once the graph is loaded and described; raises PoolFailed if loading failed."""
        while not self.ready:
            try:
                message = self.control.recv(INFO_CHUNK, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return False
            except OSError:
                message = b""
            if not message:
                raise PoolFailed("the query process stopped while loading the graph.")
            if self._expected is None:
                status, self.sandbox, *size = pickle.loads(message)
                if status != "ready":
                    raise PoolFailed(f"the query process could not load the graph: {self.sandbox}")
                self._expected = size[0]
            else:
                self._info += message
            if len(self._info) == self._expected:
                self.info = pickle.loads(bytes(self._info))
                self.ready = True
        return True

    def send(self, command: str, fds: tuple[int, ...] = ()) -> None:
        try:
            socket.send_fds(self.control, [command.encode("ascii")], list(fds))
        except OSError:
            pass  # the zygote is gone: closing the pool says so

    def close(self) -> None:
        self.control.close()  # the zygote kills its workers and exits when it sees this
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
