"""The ASGI app of ``tourgraph serve``: a read-only SPARQL 1.1 Protocol endpoint at /sparql, stored
queries as an API under /queries/, and the built site with content negotiation for entity IRIs."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .errors import InputError
from .graph import PREFIXES, KnowledgeGraph
from .project import Project, open_project
from .queries import StoredQuery, bind, stored_queries, substitutions, unmatched_iris
from .query_pool import Job, NoFormat, PoolBusy, QueryFailed, QueryPool, QueryTimeout
from .serve_templates import render
from .serving import RequestLog, server_error
from .sparql_guard import Refused, check_graphs

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY = 1 << 20

MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html; charset=utf-8",
}
# Offers in the server's order of preference: the first is the answer to a missing Accept or */*.
RESULT_OFFERS = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/html", "html"),
)
GRAPH_OFFERS = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/x-turtle", "turtle"),
    ("text/plain", "ntriples"),
    ("application/json", "jsonld"),
    ("text/html", "html"),
)
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                "nt": "ntriples", "ntriples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "html": "html"}
ENTITY_OFFERS = (("text/html", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/json", "jsonld"))
STATIC_TYPES = {
    ".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples", ".nq": "application/n-quads",
    ".trig": "application/trig", ".jsonld": "application/ld+json", ".json": "application/json",
    ".csv": "text/csv; charset=utf-8", ".html": "text/html; charset=utf-8", ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon",
    ".rq": "application/sparql-query",
}
CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"X-Result-Rows, X-Result-Truncated, X-Result-Limit"),
]


def error(status: int, reason: str, headers: dict | None = None) -> PlainTextResponse:
    """A protocol error: the status and a one-line reason."""
    return PlainTextResponse(reason.splitlines()[0] + "\n", status_code=status, headers=headers)


@lru_cache(maxsize=512)
def parse_accept(header: str) -> tuple[tuple[str, str, float, int], ...]:
    """Media ranges of an Accept header as (type, subtype, q, specificity)."""
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0] or "/" not in parts[0]:
            continue
        kind, _, sub = parts[0].lower().partition("/")
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if kind == "*" else 1 if sub == "*" else 2
        ranges.append((kind, sub, q, specificity))
    return tuple(ranges)


@lru_cache(maxsize=512)
def negotiate(header: str | None, offers: tuple[tuple[str, str], ...]) -> str | None:
    """The offer the Accept header prefers by q-value (ties: server order); None if none is acceptable."""
    if not header or not header.strip():
        return offers[0][1]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0][1]
    best, best_q = None, 0.0
    for media, key in offers:
        kind, _, sub = media.partition("/")
        q, specificity = None, -1
        for rkind, rsub, rq, rspec in ranges:
            if (rkind in ("*", kind)) and (rsub in ("*", sub)) and rspec > specificity:
                q, specificity = rq, rspec
        if q is not None and q > best_q:
            best, best_q = key, q
    return best


@lru_cache(maxsize=256)
def pick_language(header: str | None, languages: tuple[str, ...]) -> str:
    """The project language the Accept-Language header prefers; the first project language otherwise."""
    if not header:
        return languages[0]
    best, best_q = languages[0], 0.0
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        tag = parts[0].lower()
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in languages and q > best_q:
            best, best_q = primary, q
    return best


@dataclass
class Service:
    """Everything the app serves from: the project, its graph, the built site and the query pool."""

    project: Project
    graph: KnowledgeGraph
    dist: Path
    pool: QueryPool
    timeout: float
    max_rows: int
    graphs: frozenset[str]
    queries: dict[str, StoredQuery]
    cleanup: list[Path] = field(default_factory=list)

    def close(self) -> None:
        """Stop the workers and remove the temporary folders; safe to call twice."""
        try:
            self.pool.close()
        finally:
            for path in self.cleanup:
                shutil.rmtree(path, ignore_errors=True)
            self.cleanup.clear()


# ---------------------------------------------------------------- SPARQL protocol


@dataclass(frozen=True)
class Operation:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    fmt: str | None


def _operation(items: list[tuple[str, str]]) -> Operation:
    queries = [v for k, v in items if k == "query"]
    if any(k == "update" for k, _ in items):
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused.")
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


async def _read_operation(request: Request) -> Operation:
    method = request.method
    url_items = parse_qsl(request.url.query, keep_blank_values=True)
    if method in ("GET", "HEAD"):
        return _operation(url_items)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused.")
    if content_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise Refused(415, "send the query as application/x-www-form-urlencoded or application/sparql-query.")
    body = await _body(request)
    try:
        text = body.decode("utf-8")
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


def _job(service: Service, op: Operation, base: str, formats: tuple[str | None, str | None]) -> Job:
    """A worker's job for an operation: the worker checks the query with the guard, FROM included."""
    # The query page shows results from JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE).
    results_fmt = "json" if formats[0] == "html" else formats[0]
    graph_fmt = "ntriples" if formats[1] == "html" else formats[1]
    if op.default_graphs or op.named_graphs:
        check_graphs(op.default_graphs, service.graphs, "default-graph-uri")
        check_graphs(op.named_graphs, service.graphs, "named-graph-uri")
        return Job(op.query, results_fmt, graph_fmt, service.max_rows, base, op.default_graphs, op.named_graphs)
    return Job(op.query, results_fmt, graph_fmt, service.max_rows, base)


async def _evaluate(service: Service, job: Job):
    try:
        return await service.pool.run(job)
    except PoolBusy as exc:
        raise Refused(503, str(exc)) from None
    except QueryTimeout as exc:
        raise Refused(504, str(exc)) from None
    except QueryFailed as exc:
        raise Refused(exc.status, exc.reason) from None


def _result_headers(answer, max_rows: int) -> dict:
    headers = {"X-Result-Rows": str(answer.rows)}
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(max_rows)
    return headers


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol endpoint (query operation only)."""
    service: Service = request.app.state.service
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS", "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "86400"})
    if request.method not in ("GET", "HEAD", "POST"):
        return error(405, f"{request.method} is not allowed here: query with GET or POST.", {"Allow": "GET, HEAD, POST, OPTIONS"})
    accept = request.headers.get("accept")
    formats: tuple[str | None, str | None] = (None, None)
    try:
        op = await _read_operation(request)
        if op.query is None:
            return _no_query(request, service, accept, op)
        # The form is known once the worker has parsed the query, so both choices go with the job.
        formats = tuple(f if (f := op.fmt or negotiate(accept, offers)) in {key for _, key in offers} else None for offers in (RESULT_OFFERS, GRAPH_OFFERS))
        # Relative IRIs resolve against the endpoint's URL, as Oxigraph's own server resolves them.
        base = str(request.url.replace(query="", fragment=""))
        try:
            answer = await _evaluate(service, _job(service, op, base, formats))
        except NoFormat as exc:
            offers = RESULT_OFFERS if exc.form in ("SELECT", "ASK") else GRAPH_OFFERS
            names = ", ".join(dict.fromkeys(m for m, _ in offers))
            return error(406, f"no acceptable format for a {exc.form} result; this endpoint offers {names}.")
    except Refused as exc:
        if formats[0] == "html":
            return _query_page(request, service, op, refused=exc)
        return error(exc.status, exc.reason)
    fmt = formats[0] if answer.form in ("SELECT", "ASK") else formats[1]
    if fmt == "html":
        return _query_page(request, service, op, answer)
    headers = _result_headers(answer, service.max_rows)
    if op.fmt in ("csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"):
        ext = {"turtle": "ttl", "ntriples": "nt"}.get(fmt, fmt)
        headers["Content-Disposition"] = f'inline; filename="results.{ext}"'
    return Response(answer.body if request.method != "HEAD" else b"", media_type=MEDIA[fmt], headers=headers)


def _no_query(request: Request, service: Service, accept: str | None, op: Operation) -> Response:
    choice = negotiate(accept, (("text/turtle", "turtle"), ("text/html", "html"), ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld")))
    if op.fmt:
        choice = op.fmt if op.fmt in ("turtle", "ntriples", "jsonld", "html") else None
    if choice == "html":
        return HTMLResponse(_page(service, query=_default_query()))
    if choice is None:
        return error(406, "without a query this endpoint answers a service description (text/turtle, application/n-triples, application/ld+json) or the query page (text/html).")
    endpoint = str(request.url.replace(query="", fragment=""))
    triples = service_description(service, endpoint)
    fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[choice]
    body = ox.serialize(triples, format=fmt, prefixes=SD_PREFIXES) if choice == "turtle" else ox.serialize(triples, format=fmt)
    return Response(body, media_type=MEDIA[choice])


SD = "http://www.w3.org/ns/sparql-service-description#"
SD_PREFIXES = {"sd": SD, "void": "http://rdfs.org/ns/void#", "dcterms": "http://purl.org/dc/terms/", "rdf": PREFIXES["rdf"]}
FORMATS_W3C = "http://www.w3.org/ns/formats/"


def service_description(service: Service, endpoint: str) -> list[ox.Triple]:
    """An sd:Service for this endpoint: protocol, formats, and the dataset with its named graphs."""
    n = ox.NamedNode
    rdf_type = n(PREFIXES["rdf"] + "type")
    me = n(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(me, rdf_type, n(SD + "Service")),
        ox.Triple(me, n(SD + "endpoint"), me),
        ox.Triple(me, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(me, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
        ox.Triple(me, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, n(SD + "Graph")),
        ox.Triple(default, n("http://rdfs.org/ns/void#triples"), ox.Literal(str(len({q.triple for q in service.graph.quads()})), datatype=n(PREFIXES["xsd"] + "integer"))),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD"):
        triples.append(ox.Triple(me, n(SD + "resultFormat"), n(FORMATS_W3C + name)))
    for index, graph in enumerate(sorted(service.graphs)):
        node = ox.BlankNode(f"namedGraph{index}")
        triples += [
            ox.Triple(dataset, n(SD + "namedGraph"), node),
            ox.Triple(node, rdf_type, n(SD + "NamedGraph")),
            ox.Triple(node, n(SD + "name"), n(graph)),
        ]
    source = service.graph.source_for_graph
    for index, graph in enumerate(sorted(service.graphs)):
        if (found := source(graph)) is not None:
            triples.append(ox.Triple(ox.BlankNode(f"namedGraph{index}"), n("http://purl.org/dc/terms/source"), ox.Literal(found.relpath)))
    return triples


# ---------------------------------------------------------------- HTML query page


def _default_query() -> str:
    return "PREFIX schema: <https://schema.org/>\n\nSELECT ?type (COUNT(?s) AS ?count)\nWHERE { ?s a ?type }\nGROUP BY ?type\nORDER BY DESC(?count)\n"


def _examples(service: Service, lang: str) -> list[dict]:
    examples = []
    for query in service.queries.values():
        try:
            text = bind(query, {}, service.project.base)
        except InputError:
            text = query.text
        examples.append({"title": query.label(lang), "description": query.description.get(lang) or query.description.get("", ""), "text": text})
    return examples


def _page(service: Service, *, query: str, table=None, error_text: str | None = None, truncated: bool = False, downloads=(), lang: str = "en") -> str:
    return render(
        "query.html",
        lang=lang,
        site_title=service.project.title.get(lang) or next(iter(service.project.title.values()), "tourgraph"),
        graph_count=len(service.graphs),
        timeout=f"{service.timeout:g}",
        max_rows=service.max_rows,
        query=query,
        table=table,
        error=error_text,
        truncated=truncated,
        downloads=list(downloads),
        examples=_examples(service, lang),
    )


def _cell(binding: dict | None) -> dict:
    if binding is None:
        return {"text": "", "href": None, "note": None}
    if binding["type"] == "uri":
        return {"text": binding["value"], "href": binding["value"], "note": None}
    if binding["type"] == "bnode":
        return {"text": "_:" + binding["value"], "href": None, "note": None}
    note = "@" + binding["xml:lang"] if "xml:lang" in binding else None
    return {"text": binding["value"], "href": None, "note": note}


def _term_cell(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": term.value, "note": None}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value, "href": None, "note": None}
    return {"text": term.value, "href": None, "note": "@" + term.language if term.language else None}


def _query_page(request: Request, service: Service, op: Operation, answer=None, refused: Refused | None = None) -> Response:
    lang = pick_language(request.headers.get("accept-language"), tuple(service.project.languages))
    if refused is not None:
        return HTMLResponse(_page(service, query=op.query, error_text=refused.reason, lang=lang), status_code=refused.status)
    graph_query = answer.form in ("CONSTRUCT", "DESCRIBE")
    base_items = [("query", op.query)] + [("default-graph-uri", g) for g in op.default_graphs] + [("named-graph-uri", g) for g in op.named_graphs]
    kinds = (("Turtle", "turtle"), ("N-Triples", "ntriples"), ("JSON-LD", "jsonld")) if graph_query else (("CSV", "csv"), ("JSON", "json"))
    downloads = [(label, "/sparql?" + urlencode(base_items + [("format", fmt)])) for label, fmt in kinds]
    if graph_query:
        triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
        table = {"columns": ["subject", "predicate", "object"], "rows": [[_term_cell(t.subject), _term_cell(t.predicate), _term_cell(t.object)] for t in triples], "boolean": None}
    else:
        data = json.loads(answer.body)
        if "boolean" in data:
            table = {"columns": [], "rows": [], "boolean": data["boolean"]}
        else:
            columns = data["head"]["vars"]
            table = {"columns": columns, "rows": [[_cell(b.get(c)) for c in columns] for b in data["results"]["bindings"]], "boolean": None}
    html = _page(service, query=op.query, table=table, truncated=answer.truncated, downloads=downloads, lang=lang)
    return HTMLResponse(html, headers=_result_headers(answer, service.max_rows))


# ---------------------------------------------------------------- stored queries as an API


def _query_summary(service: Service, query: StoredQuery, lang: str) -> dict:
    try:
        sparql_text = bind(query, {}, service.project.base)
    except InputError:
        sparql_text = query.text
    return {
        "name": query.name,
        "title": query.label(lang),
        "description": query.description.get(lang) or query.description.get("", ""),
        "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in query.params],
        "json": f"/queries/{query.name}.json",
        "csv": f"/queries/{query.name}.csv",
        "sparql": sparql_text,
    }


async def queries_index(request: Request) -> Response:
    """The stored queries, as HTML or JSON."""
    service: Service = request.app.state.service
    lang = pick_language(request.headers.get("accept-language"), tuple(service.project.languages))
    items = [_query_summary(service, q, lang) for q in service.queries.values()]
    wanted = request.query_params.get("format") or negotiate(request.headers.get("accept"), (("text/html", "html"), ("application/json", "json")))
    if wanted == "json":
        return Response(json.dumps({"queries": items}, ensure_ascii=False, indent=1) + "\n", media_type="application/json")
    if wanted != "html":
        return error(406, "the stored-query list is available as text/html or application/json.")
    site_title = service.project.title.get(lang) or "tourgraph"
    return HTMLResponse(render("queries.html", lang=lang, site_title=site_title, queries=items), headers={"Vary": "Accept, Accept-Language"})


async def run_stored(request: Request) -> Response:
    """/queries/NAME.json or .csv: one stored query, its parameters bound by the engine from the query string."""
    service: Service = request.app.state.service
    name, ext = request.path_params["name"], request.path_params["ext"]
    query = service.queries.get(name)
    if query is None or ext not in ("json", "csv", "tsv"):
        return error(404, f"no stored query {name}.{ext} (see /queries/).")
    values: dict[str, str] = {}
    for key, value in parse_qsl(request.url.query, keep_blank_values=True):
        if key in values:
            return error(400, f"parameter {key} is given twice.")
        values[key] = value
    not_select = f"stored query {name} is not a SELECT query."
    try:
        terms = substitutions(query, values, service.project.base)
        job = Job(query.text, "json" if ext == "json" else ext, None, service.max_rows, service.project.base, substitutions=tuple(terms.items()))
        answer = await _evaluate(service, job)
    except NoFormat:
        return error(400, not_select)
    except InputError as exc:
        return error(400, exc.format())
    except Refused as exc:
        return error(exc.status, exc.reason)
    if answer.form != "SELECT":
        return error(400, not_select)
    headers = _result_headers(answer, service.max_rows)
    if ext != "json":
        headers["Content-Disposition"] = f'inline; filename="{name}.{ext}"'
        return Response(answer.body, media_type=MEDIA[ext], headers=headers)
    data = json.loads(answer.body)
    columns = data["head"]["vars"]
    rows = [{c: (b[c]["value"] if c in b else None) for c in columns} for b in data["results"]["bindings"]]
    missing = unmatched_iris(service.graph.store, terms) if not rows else []
    document = {
        "query": name,
        "title": query.label("en"),
        "parameters": {p.name: values.get(p.name, p.default) for p in query.params},
        "columns": columns,
        "rows": rows,
        "truncated": answer.truncated,
        "warnings": [f"parameter {n}: <{terms[n].value}> names nothing in the graph; check the IRI." for n in missing],
    }
    return Response(json.dumps(document, ensure_ascii=False) + "\n", media_type="application/json", headers=headers)


# ---------------------------------------------------------------- the built site


def _inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it stays inside root (no .., no absolute part, no symlink escape)."""
    parts = relative.split("/")
    if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = (root / relative).resolve()
    return target if target == root or root in target.parents else None


async def site(request: Request) -> Response:
    """Files of dist/, and entity IRIs /{kind}/{slug} negotiated to HTML, Turtle or JSON-LD."""
    service: Service = request.app.state.service
    root = service.dist
    path = request.path_params["path"]
    target = _inside(root, path.strip("/")) if path.strip("/") else root
    if target is None:
        return error(404, "not found.")
    if request.method not in ("GET", "HEAD"):
        if target.exists() or len(path.strip("/").split("/")) == 2:
            return error(405, f"{request.method} is not allowed: the site is read-only.", {"Allow": "GET, HEAD"})
        return error(404, "not found.")
    if target.is_dir():
        index = target / "index.html"
        if not index.is_file():
            return error(404, "not found.")
        if path and not path.endswith("/"):
            return RedirectResponse("/" + path + "/", status_code=301)
        return FileResponse(index, media_type=STATIC_TYPES[".html"])
    if target.is_file():
        return FileResponse(target, media_type=STATIC_TYPES.get(target.suffix, "application/octet-stream"))
    parts = path.strip("/").split("/")
    if len(parts) == 2 and "." not in parts[1]:
        return _entity(request, service, parts[0], parts[1])
    return error(404, "not found.")


def _entity(request: Request, service: Service, kind: str, slug: str) -> Response:
    root = service.dist
    languages = tuple(service.project.languages)
    pages = {lang: _inside(root, f"{lang}/{kind}/{slug}.html") for lang in languages}
    files = {"ttl": _inside(root, f"{kind}/{slug}.ttl"), "jsonld": _inside(root, f"{kind}/{slug}.jsonld")}
    available_pages = {lang: p for lang, p in pages.items() if p is not None and p.is_file()}
    available = {k: p for k, p in files.items() if p is not None and p.is_file()}
    if not available_pages and not available:
        return error(404, "not found.")
    offers = tuple(o for o in ENTITY_OFFERS if (o[1] == "html" and available_pages) or o[1] in available)
    vary = {"Vary": "Accept, Accept-Language"}
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return error(406, f"{kind}/{slug} is available as " + ", ".join(dict.fromkeys(m for m, _ in offers)) + ".", vary)
    if choice == "html":
        lang = pick_language(request.headers.get("accept-language"), languages)
        if lang not in available_pages:
            lang = next(iter(available_pages))
        return FileResponse(available_pages[lang], media_type=STATIC_TYPES[".html"], headers={**vary, "Content-Language": lang, "Content-Location": f"/{lang}/{kind}/{slug}.html"})
    suffix = "." + choice
    return FileResponse(available[choice], media_type=STATIC_TYPES[suffix], headers={**vary, "Content-Location": f"/{kind}/{slug}{suffix}"})


# ---------------------------------------------------------------- the app


class OpenCors:
    """CORS open for reads: every response may be read by any origin, without credentials."""

    def __init__(self, app):
        self.app = app
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_cors(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + CORS_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)


def create_app(
    project: Project | str | Path,
    dist: Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int | None = None,
    checked=None,
    build_site: bool = True,
):
    """The ASGI app over the validated graph, its built site and started query workers (``app.state.service.close()`` stops them)."""
    # dist defaults to a temporary folder; a given dist is rebuilt unless build_site is false.
    from .build import public_graph, write_outputs
    from .outdir import check_output_folder

    if not isinstance(project, Project):
        project = open_project(project)
    if timeout <= 0:
        raise InputError("--timeout must be a positive number of seconds.")
    if max_rows < 1:
        raise InputError("--max-rows must be at least 1.")
    if dist is not None and build_site:
        # Said before the validation, which takes a while, and before anything is written.
        dist = check_output_folder(project, dist, "--dist")
    checked = checked or public_graph(project)
    graph = checked.graph
    queries = stored_queries(project.folder("queries"))
    # One temporary folder for the built site (unless --dist) and the workers' dump: one thing to remove.
    scratch = Path(tempfile.mkdtemp(prefix="tourgraph-serve-"))
    try:
        if dist is None:
            dist = scratch / "dist"
            write_outputs(project, graph, dist)
        elif build_site:
            write_outputs(project, graph, Path(dist), "--dist")
        dist = Path(dist).resolve()
        dump = scratch / "dataset.nq"
        # Workers load this dump rather than re-running the pipeline, so each starts in about a second.
        graph.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        pool = QueryPool(dump, workers or min(4, max(2, os.cpu_count() or 2)), timeout)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    service = Service(
        project=project,
        graph=graph,
        dist=dist,
        pool=pool,
        timeout=timeout,
        max_rows=max_rows,
        graphs=frozenset(g.value for g in graph.store.named_graphs() if isinstance(g, ox.NamedNode)),
        queries=queries,
        cleanup=[scratch],
    )
    every_method = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    app = Starlette(
        routes=[
            Route("/sparql", sparql, methods=every_method),
            Route("/queries", lambda request: RedirectResponse("/queries/", status_code=301)),
            Route("/queries/", queries_index, methods=["GET", "HEAD"]),
            Route("/queries/{name}.{ext}", run_stored, methods=["GET", "HEAD"]),
            Route("/{path:path}", site, methods=every_method),
        ],
        exception_handlers={Exception: server_error},
    )
    app.state.service = service
    return RequestLog(OpenCors(app))
