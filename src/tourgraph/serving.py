"""``tourgraph serve`` as a process an operator can trust: the port taken before the URL is announced,
temporary folders removed on SIGTERM/SIGINT, and one log line per failed request with a request id
that the client also sees."""

from __future__ import annotations

import logging
import secrets
import signal
import socket
import sys
from contextlib import contextmanager

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .errors import InputError

log = logging.getLogger("tourgraph.serve")

REQUEST_ID = "x-request-id"
# The part of an error body worth a log line: plain-text reasons are one or two sentences.
_REASON_BYTES = 300


def new_request_id() -> str:
    return secrets.token_hex(6)


def request_id(request: Request) -> str:
    rid = request.scope.get("state", {}).get("request_id")
    return rid or new_request_id()


class RequestLog:
    """ASGI middleware: a request id on every response (``X-Request-Id``), one log line per failed
    request (status 4xx or 5xx) with its reason, and no traceback printed by the ASGI server for an
    exception already answered and logged by ``server_error``."""

    def __init__(self, app):
        self.app = app
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = new_request_id()
        scope.setdefault("state", {})["request_id"] = rid
        seen = {"status": None, "media": "", "reason": b""}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = list(message.get("headers", []))
                seen["media"] = next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), "")
                message["headers"] = headers + [(REQUEST_ID.encode(), rid.encode())]
            elif message["type"] == "http.response.body" and (seen["status"] or 0) >= 400:
                if len(seen["reason"]) < _REASON_BYTES:
                    seen["reason"] += message.get("body", b"")[:_REASON_BYTES]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if seen["status"] is None:
                raise
            if not scope["state"].get("logged"):
                log.error("%s %s failed [request %s]: %s", scope["method"], scope["path"], rid, _one_line(exc))
            return
        status = seen["status"] or 0
        if status >= 400 and not scope["state"].get("logged"):
            reason = ""
            if seen["media"].startswith(("text/plain", "application/json")):
                reason = seen["reason"].decode("utf-8", "replace").strip().splitlines()[0] if seen["reason"].strip() else ""
            level = logging.ERROR if status >= 500 else logging.WARNING
            log.log(level, "%s %s %d [request %s]%s", scope["method"], scope["path"], status, rid, f": {reason}" if reason else "")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def server_error(request: Request, exc: Exception) -> Response:
    """The answer to an unexpected exception: a request id for the client, the reason for the log."""
    rid = request_id(request)
    request.scope.setdefault("state", {})["logged"] = True
    log.error("%s %s failed [request %s]: %s", request.method, request.url.path, rid, _one_line(exc))
    # The traceback is for whoever debugs the server, not for every operator's log.
    log.debug("traceback of request %s", rid, exc_info=exc)
    # RequestLog puts the same id in the X-Request-Id header.
    return PlainTextResponse(
        f"internal error (request {rid}): the server's log says what went wrong; quote this id when reporting it.\n",
        status_code=500,
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, taken before anything announces the address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError(
            f"--host {host} is not an address of this machine ({exc.strerror}).",
            fr=f"--host {host} n'est pas une adresse de cette machine ({exc.strerror}).",
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    # As uvicorn does: a restarted server may take the port back while old connections wind down.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}. Stop the program using that port or "
            "choose another one with --port.",
            fr=f"impossible d'écouter sur {host}:{port} : {exc.strerror or exc}. Arrêtez le programme qui "
            "utilise ce port ou choisissez-en un autre avec --port.",
        ) from None
    return sock


def _terminated(signum, frame):
    # Unwinding as an exit (not dying on the spot) runs the finally blocks that remove temporary folders.
    raise SystemExit(128 + signum)


@contextmanager
def exits_cleanly():
    """SIGTERM and SIGHUP end the process through the ``finally`` blocks, as Ctrl-C (SIGINT) does.

    uvicorn handles SIGTERM while it serves, then raises it again once it has stopped: this handler is
    the one it raises it to.
    """
    handled = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, _terminated) for s in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes, as logging's own last resort does."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure_logging() -> None:
    """One line per record on stderr for the operator (the ``tourgraph`` loggers only)."""
    logger = logging.getLogger("tourgraph")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
