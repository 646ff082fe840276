"""The server's end of a worker's socket: frames (a 4-byte length, then the bytes) read without ever
blocking the event loop, and a reply whose body is handed on whole or as it arrives."""

from __future__ import annotations

import asyncio
import socket

from .query_worker import FRAME

__all__ = ["FRAME", "Frames", "Reply"]


class Reply:
    """A worker's answer: the head at once; the body whole (``body``) or still arriving (``chunks()``)."""

    def __init__(self, rows: int, truncated: bool, form: str, fmt: str, body: bytes | None = None, queue: asyncio.Queue | None = None):
        self.rows, self.truncated, self.form, self.fmt = rows, truncated, form, fmt
        self.body = body
        self._queue = queue

    async def chunks(self):
        if self.body is not None:
            yield self.body
            return
        while (item := await self._queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item

    async def read(self) -> bytes:
        if self.body is None:
            self.body = b"".join([chunk async for chunk in self.chunks()])
        return self.body


def _wake(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


class Frames:
    """Frames read from a non-blocking socket: a 4-byte length, then that many bytes."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.scratch = bytearray(256 << 10)

    def frame(self) -> bytes | None:
        if len(self.buffer) < FRAME.size:
            return None
        (size,) = FRAME.unpack_from(self.buffer)
        if len(self.buffer) < FRAME.size + size:
            return None
        data = bytes(self.buffer[FRAME.size:FRAME.size + size])
        del self.buffer[:FRAME.size + size]
        return data

    def poll(self) -> bytes | None:
        """A frame if one has arrived, without waiting."""
        try:
            data = self.sock.recv(64 << 10)
        except BlockingIOError:
            return self.frame()
        if not data:
            raise EOFError
        self.buffer += data
        return self.frame()

    def _read(self) -> bool:
        try:
            got = self.sock.recv_into(self.scratch)
        except BlockingIOError:
            return False
        if not got:
            raise EOFError
        self.buffer += memoryview(self.scratch)[:got]
        return True

    async def receive(self, when: float) -> None:
        """Read what has arrived, waiting for it until ``when`` (loop time; TimeoutError after).

        The wait and the read are apart so that a timeout never falls between a read and its use:
        bytes not read yet stay in the socket."""
        if self._read():
            return
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = self.sock.fileno()
        loop.add_reader(fd, _wake, readable)
        try:
            async with asyncio.timeout_at(when):
                await readable
        finally:
            loop.remove_reader(fd)
        self._read()

    async def next(self, when: float) -> bytes:
        while (data := self.frame()) is None:
            await self.receive(when)
        return data

    def take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


