"""Live preview (``tourgraph serve --reload``): the project is watched, each change is validated
again (only the changed data files are read again: ``watch.Watcher``), a graph that passes is built
into a fresh temporary folder with its own query workers and swapped in for the next request, and
the pages open in a browser reload themselves. A change that does not validate is shown on those
pages, with the messages ``tourgraph validate`` prints, while the last good build stays served.

The pages learn of a change by a long poll (``/_tourgraph/reload?since=N``), which a plain ``fetch``
makes and which holds no connection open for ever, so the server still stops at once. The script
that polls is added to each HTML answer on its way out: the build itself is what ``tourgraph build``
writes, byte for byte. A generation that is swapped out keeps its workers for the longest a query
may run, so that the requests it is answering finish."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from .. import privacy
from ..build import Checked
from ..errors import TourgraphError, ValidationFailed
from ..load import fingerprints
from ..project import Project
from ..query_pool import PoolFailed
from ..site import served
from ..watch import Watcher, changes
from .negotiation import error, pick_language

log = logging.getLogger("tourgraph.serve")

POLL_PATH = "/_tourgraph/reload"
SCRIPT_PATH = "/_tourgraph/reload.js"
# A poll is answered at the latest after this long, changed or not: proxies and browsers drop idle
# requests after a minute or so.
POLL_SECONDS = 20.0
HEADINGS = {
    "en": "The last change does not validate: this page shows the last build that did.",
    "fr": "La dernière modification ne passe pas la validation : cette page montre la dernière construction valide.",
}


@dataclass(frozen=True)
class Outcome:
    """What the last check of the project gave: ``state`` counts checks, ``version`` the builds served."""

    state: int = 0
    version: int = 0
    failure: ValidationFailed | TourgraphError | None = None
    seconds: float = 0.0

    def to_dict(self, lang: str) -> dict:
        failure = self.failure
        if failure is None:
            report = None
        elif isinstance(failure, ValidationFailed):
            report = failure.report.to_text(lang)
        else:
            report = failure.format(lang)
        heading = HEADINGS.get(lang, HEADINGS["en"]) if failure is not None else None
        return {"state": self.state, "version": self.version, "ok": failure is None, "heading": heading,
                "report": report, "seconds": round(self.seconds, 3)}


def _on_demand(project: Project) -> Project:
    """The project with its entity pages left to the server (``[site] static = false``): a rebuild then
    writes a few hundred files instead of several per entity, and the pages are the same."""
    site = {**project.config.get("site", {}), "static": False}
    return replace(project, config={**project.config, "site": site})


def _script_tag(outcome: Outcome) -> bytes:
    return f'<script src="{SCRIPT_PATH}" data-version="{outcome.version}" data-state="{outcome.state}" defer></script>'.encode()


class LivePreview:
    """An ASGI app in front of the current generation (an app of ``serve.create_app``), and the
    thread that watches the project and builds the next one.

    ``make_app(project, checked)`` returns a started app over ``checked``; its ``state.service`` has
    the workers to wait for and to close."""

    def __init__(self, root: Path, make_app: Callable, *, grace: float = 30.0):
        self.root = Path(root)
        self.make_app = make_app
        self.grace = grace
        self.watcher = Watcher(self.root)
        self.current = None
        failure = None
        try:
            self.current = self._next_app()
        except TourgraphError as exc:
            if self.watcher.project is None:  # tourgraph.toml itself: nothing to show pages with
                raise
            failure = exc
        self.outcome = Outcome(failure=failure)
        # The package's static folder, which every build copies into its own static/.
        self._static = StaticFiles(directory=str(resources.files("tourgraph.site") / "static"))
        self._script = resources.files("tourgraph.server").joinpath("reload.js").read_bytes()
        self._lock = threading.Lock()
        self._retired: list[tuple[float, object]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """The project's languages as last read (tourgraph.toml may change while it is watched)."""
        return tuple(self.watcher.project.languages)

    @property
    def service(self):
        """The service of the build being served; None until a first build passes."""
        return self.current.state.service if self.current is not None else None

    def _next_app(self, paths=()):
        """The app over the project as it is now (reading again what ``paths`` touched); ValidationFailed
        or another TourgraphError when it cannot be built."""
        report = self.watcher.check(paths)
        if not report.passes:
            raise ValidationFailed(report)
        checked = Checked(graph=privacy.publishable(self.watcher.graph), report=report)
        return self.make_app(_on_demand(self.watcher.project), checked)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="tourgraph-reload", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        seen = self.watcher.seen
        for index, paths in enumerate(changes(self.root, self._stop, idle=True)):
            # The first round comes when the watch is set up: a file saved since the first check counts too.
            if paths or (index == 0 and fingerprints(self.watcher.project) != seen):
                self.rebuild(paths)
            self._close_retired(time.monotonic())

    def rebuild(self, paths=()) -> Outcome:
        """Validate the project again and, if it passes, serve a new build of it; the outcome either way."""
        start = time.perf_counter()
        failure = None
        app = None
        try:
            app = self._next_app(paths)
            app.state.service.pool.wait_ready()
        except TourgraphError as exc:
            failure = exc
        except PoolFailed as exc:
            failure = TourgraphError(f"the query workers of the new build did not start: {exc}")
        except Exception as exc:
            log.exception("the rebuild after a change failed")
            failure = TourgraphError(f"the rebuild failed: {exc}")
        if failure is not None and app is not None:
            app.state.service.close()
            app = None
        seconds = time.perf_counter() - start
        with self._lock:
            version = self.outcome.version
            if app is not None:
                if self.current is not None:
                    self._retired.append((time.monotonic() + self.grace, self.current))
                self.current, version = app, version + 1
            self.outcome = Outcome(self.outcome.state + 1, version, failure, seconds)
        self._close_retired(time.monotonic())
        if failure is None:
            log.warning("rebuilt in %.1f s after a change; open pages reload", seconds)
        else:
            log.warning("a change does not validate (checked in %.1f s): the last good build stays served", seconds)
        return self.outcome

    def _close_retired(self, now: float, every: bool = False) -> None:
        with self._lock:
            due = [app for at, app in self._retired if every or at <= now]
            self._retired = [(at, app) for at, app in self._retired if not (every or at <= now)]
        for app in due:
            app.state.service.close()

    def close(self) -> None:
        """Stop watching, then stop every generation's workers and remove their folders."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._close_retired(0, every=True)
        if self.current is not None:
            self.current.state.service.close()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == POLL_PATH:
            return await self._poll(scope, receive, send)
        if scope["type"] == "http" and scope["path"] == SCRIPT_PATH:
            return await Response(self._script, media_type="text/javascript; charset=utf-8",
                                  headers={"Cache-Control": "no-store"})(scope, receive, send)
        # The outcome first: a build swapped in meanwhile then reloads the page once more, never less.
        outcome = self.outcome
        app = self.current
        if scope["type"] != "http":
            if app is not None:
                await app(scope, receive, send)
            return None
        if app is None:
            app = self._package_static if scope["path"].startswith("/static/") else self._failed_page
        await app(scope, receive, _with_script(send, outcome, scope["method"] == "HEAD"))

    async def _package_static(self, scope, receive, send) -> None:
        try:
            await self._static({**scope, "path": scope["path"][len("/static"):], "root_path": ""}, receive, send)
        except HTTPException as exc:
            await error(exc.status_code, "not found." if exc.status_code == 404 else exc.detail)(scope, receive, send)

    async def _failed_page(self, scope, receive, send) -> None:
        """Before a first good build: every page says why, in the browser's language, and reloads once
        the project validates."""
        request = Request(scope, receive)
        lang = pick_language(request.headers.get("accept-language"), self.languages)
        report = self.outcome.to_dict(lang)["report"]
        page = served.render("preview_failed.html", self.watcher.project, lang, report=report)
        await HTMLResponse(page, status_code=503, headers={"Content-Language": lang, "Retry-After": "2"})(scope, receive, send)

    async def _poll(self, scope, receive, send) -> None:
        request = Request(scope, receive)
        lang = request.query_params.get("lang")
        lang = lang if lang in self.languages else self.languages[0]
        try:
            since = int(request.query_params.get("since", "-1"))
        except ValueError:
            since = -1
        deadline = time.monotonic() + POLL_SECONDS
        while self.outcome.state == since and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        body = json.dumps(self.outcome.to_dict(lang), ensure_ascii=False)
        await Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})(scope, receive, send)


def _with_script(send, outcome: Outcome, head: bool):
    """``send`` for an answer whose HTML, if it is HTML, gets the reload script before ``</body>``."""
    held: dict = {}

    async def send_with_script(message):
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            media = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if not media.startswith(b"text/html") or message["status"] in (204, 304):
                return await send(message)
            # No validators: a page kept by the browser would carry the script of an older version.
            kept = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"last-modified", b"cache-control")]
            message = {**message, "headers": kept + [(b"cache-control", b"no-store")]}
            held["start"] = message
            held["body"] = b""
            if head:
                return await send(_resized(message, len(_script_tag(outcome))))
            return None
        if message["type"] == "http.response.body" and "start" in held and not head:
            held["body"] += message.get("body", b"")
            if message.get("more_body", False):
                return None
            body = held.pop("body")
            tag = _script_tag(outcome)
            at = body.rfind(b"</body>")
            body = body[:at] + tag + body[at:] if at != -1 else body + tag
            await send(_resized(held.pop("start"), len(body), absolute=True))
            return await send({"type": "http.response.body", "body": body, "more_body": False})
        return await send(message)

    return send_with_script


def _resized(start: dict, size: int, absolute: bool = False) -> dict:
    headers = []
    for key, value in start.get("headers", []):
        if key.lower() == b"content-length":
            value = str(size if absolute else int(value) + size).encode()
        headers.append((key, value))
    return {**start, "headers": headers}
