"""The ASGI app of ``tourgraph serve``: a read-only SPARQL 1.1 Protocol endpoint at /sparql, stored
queries as an API under /queries/, and the built site with content negotiation for entity IRIs.

The parts live in ``tourgraph.server``; this module puts them together: routes, CORS (open for reads,
Starlette's middleware), one-line errors, request ids and logging (``serving.RequestLog``)."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .project import Project, open_project
from .query_pool import LONG_AFTER, QUERY_MEMORY
from .server.negotiation import error
from .server.protocol import sparql
from .server.service import Service, open_service
from .server.site import Site
from .server.stored import queries_index, run_stored
from .serving import RequestLog, server_error

__all__ = ["DEFAULT_CACHE_MB", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "Service", "create_app"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_CACHE_MB = 64
EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
_REASONS = {404: "not found.", 405: "the site is read-only: use GET or HEAD."}


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own refusals (StaticFiles' 404 and 405) as one-line reasons, like every other error."""
    return error(exc.status_code, _REASONS.get(exc.status_code, exc.detail), exc.headers)


def default_workers() -> int:
    return min(4, max(2, os.cpu_count() or 2))


def create_app(
    project: Project | str | Path,
    dist: Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int | None = None,
    checked=None,
    build_site: bool = False,
    cache_mb: float = DEFAULT_CACHE_MB,
    long_after: float = LONG_AFTER,
    query_memory: int = QUERY_MEMORY,
):
    """The ASGI app over a build and started query workers (``app.state.service.close()`` stops them).

    Without ``dist`` the project is validated and built into a temporary folder; a ``dist`` is served
    as it is (it must be a tourgraph build), or rebuilt first with ``build_site``. ``checked`` gives the
    graph the workers serve instead of the build's graph.trig."""
    if not isinstance(project, Project):
        project = open_project(project)
    service = open_service(
        project, dist, timeout=timeout, max_rows=max_rows, workers=workers or default_workers(),
        cache_bytes=int(cache_mb * (1 << 20)), checked=checked, build_site=build_site, long_after=long_after,
        query_memory=query_memory,
    )
    cors = Middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"], expose_headers=["X-Result-Rows", "X-Result-Truncated", "X-Result-Limit"],
        max_age=86400,
    )
    app = Starlette(
        routes=[
            Route("/sparql", sparql, methods=EVERY_METHOD),
            Route("/queries", lambda request: RedirectResponse("/queries/", status_code=301)),
            Route("/queries/", queries_index, methods=["GET", "HEAD"]),
            Route("/queries/{name}.{ext}", run_stored, methods=["GET", "HEAD"]),
            Route("/{path:path}", Site(service.dist, tuple(project.languages)), methods=EVERY_METHOD),
        ],
        middleware=[cors],
        exception_handlers={Exception: server_error, HTTPException: http_error},
    )
    app.state.service = service
    return RequestLog(app)
