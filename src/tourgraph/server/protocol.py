"""The SPARQL 1.1 Protocol endpoint at /sparql (query operation only): the request read into an
operation, the formats chosen, the job run by a worker (or answered from the cache) and its bytes
sent as the worker wrote them, streamed when they are still arriving."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..query_pool import Job
from ..sparql_guard import ByteBoundedCache, Refused
from . import query_page
from .answers import NoFormat
from .description import serialised_description
from .negotiation import DESCRIPTION_OFFERS, FORMAT_PARAM, GRAPH_OFFERS, MEDIA, RESULT_OFFERS, error, negotiate, offered

MAX_BODY = 1 << 20
METHODS = "GET, HEAD, POST, OPTIONS"
_RESULT_KEYS = frozenset(key for _, key in RESULT_OFFERS)
_GRAPH_KEYS = frozenset(key for _, key in GRAPH_OFFERS)
_EXTENSIONS = {"turtle": "ttl", "ntriples": "nt"}
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused."
_URL_OPERATIONS = ByteBoundedCache(8 << 20)


@dataclass(frozen=True)
class Operation:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    fmt: str | None


def _operation(items: list[tuple[str, str]]) -> Operation:
    queries = [v for k, v in items if k == "query"]
    if any(k == "update" for k, _ in items):
        raise Refused(403, _READ_ONLY)
    if len(queries) > 1:
        raise Refused(400, "exactly one 'query' parameter is allowed.")
    formats = [v for k, v in items if k in ("format", "output")]
    fmt = None
    if formats:
        fmt = FORMAT_PARAM.get(formats[0].lower())
        if fmt is None:
            raise Refused(400, f"unknown format {formats[0]!r} (use one of {', '.join(sorted(set(FORMAT_PARAM)))}).")
    return Operation(
        query=queries[0] if queries else None,
        default_graphs=tuple(v for k, v in items if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in items if k == "named-graph-uri"),
        fmt=fmt,
    )


def _url_operation(query_string: bytes) -> Operation:
    """The operation of a URL's query string, read once per distinct string (clients repeat theirs)."""
    found = _URL_OPERATIONS.get(query_string)
    if found is None:
        try:
            found = _operation(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
        except Refused as exc:
            found = exc
        _URL_OPERATIONS.put(query_string, found, 2 * len(query_string) + 512)
    if isinstance(found, Refused):
        raise Refused(found.status, found.reason)
    return found


async def read_operation(request: Request) -> Operation:
    """The operation a GET, a form POST or a direct POST carries; Refused for anything else."""
    if request.method in ("GET", "HEAD"):
        return _url_operation(request.scope["query_string"])
    url_items = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise Refused(403, _READ_ONLY)
    if content_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise Refused(415, "send the query as application/x-www-form-urlencoded or application/sparql-query.")
    try:
        text = (await _body(request)).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request body is not UTF-8.") from None
    if content_type == "application/sparql-query":
        if any(k == "query" for k, _ in url_items):
            raise Refused(400, "exactly one query is allowed: it is in the body, not in the URL.")
        return _operation([("query", text)] + url_items)
    return _operation(parse_qsl(text, keep_blank_values=True) + [(k, v) for k, v in url_items if k in ("format", "output")])


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise Refused(413, f"the request body is larger than {MAX_BODY // 1024} KiB.")
        chunks.append(chunk)
    return b"".join(chunks)


def endpoint_url(request: Request) -> str:
    """The endpoint's URL as the client named it: relative IRIs resolve against it, as in Oxigraph's server."""
    # Made without the query string, which may be long and is not part of it.
    return str(URL(scope={**request.scope, "query_string": b""}))


def _formats(op: Operation, accept: str | None) -> tuple[str | None, str | None]:
    """The format for each kind of result: the form is known once the worker has parsed the query."""
    results = op.fmt or negotiate(accept, RESULT_OFFERS)
    graphs = op.fmt or negotiate(accept, GRAPH_OFFERS)
    return (results if results in _RESULT_KEYS else None, graphs if graphs in _GRAPH_KEYS else None)


def job(service, op: Operation, base: str, formats: tuple[str | None, str | None]) -> Job:
    """A worker's job for an operation; the worker checks the query with the guard, and the graphs too."""
    # The query page shows a table of cells the worker makes.
    results_fmt, graph_fmt = ("table" if f == "html" else f for f in formats)
    if op.default_graphs or op.named_graphs:
        return Job(op.query, results_fmt, graph_fmt, service.max_rows, base, op.default_graphs, op.named_graphs)
    return Job(op.query, results_fmt, graph_fmt, service.max_rows, base)


def result_headers(reply, max_rows: int) -> dict:
    headers = {"X-Result-Rows": str(reply.rows)}
    if reply.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(max_rows)
    return headers


def send(reply, media: str, headers: dict, head_only: bool) -> Response:
    """The worker's bytes as they are: whole when they have all arrived, streamed otherwise."""
    if head_only:
        return Response(b"", media_type=media, headers=headers)
    if reply.body is not None:
        return Response(reply.body, media_type=media, headers=headers)
    return StreamingResponse(reply.chunks(), media_type=media, headers=headers)


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol endpoint (query operation only)."""
    service = request.app.state.service
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": METHODS})
    if request.method not in ("GET", "HEAD", "POST"):
        return error(405, f"{request.method} is not allowed here: query with GET or POST.", {"Allow": METHODS})
    accept = request.headers.get("accept")
    formats: tuple[str | None, str | None] = (None, None)
    try:
        op = await read_operation(request)
        if op.query is None:
            return await _no_query(request, service, accept, op)
        formats = _formats(op, accept)
        try:
            reply = await service.answers.run(job(service, op, endpoint_url(request), formats))
        except NoFormat as exc:
            offers = RESULT_OFFERS if exc.form in ("SELECT", "ASK") else GRAPH_OFFERS
            return error(406, f"no acceptable format for a {exc.form} result; this endpoint offers {offered(offers)}.")
    except Refused as exc:
        if formats[0] == "html":
            return await query_page.refused_page(request, service, op.query, exc.status, exc.reason)
        return error(exc.status, exc.reason)
    fmt = formats[0] if reply.form in ("SELECT", "ASK") else formats[1]
    headers = result_headers(reply, service.max_rows)
    if fmt == "html":
        return await query_page.results_page(request, service, op, reply, headers)
    if op.fmt is not None:
        headers["Content-Disposition"] = f'inline; filename="results.{_EXTENSIONS.get(fmt, fmt)}"'
    return send(reply, MEDIA[fmt], headers, request.method == "HEAD")


async def _no_query(request: Request, service, accept: str | None, op: Operation) -> Response:
    """Without a query: the service description, or the query page for a browser."""
    choice = negotiate(accept, DESCRIPTION_OFFERS)
    if op.fmt:
        choice = op.fmt if op.fmt in ("turtle", "ntriples", "jsonld", "html") else None
    if choice == "html":
        return await query_page.form_page(request, service)
    if choice is None:
        return error(406, "without a query this endpoint answers a service description (text/turtle, application/n-triples, "
                          "application/ld+json) or the query page (text/html).")
    body = serialised_description(endpoint_url(request), choice, await service.dataset(), service.sources)
    return Response(body, media_type=MEDIA[choice])
