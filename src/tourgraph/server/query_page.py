"""The HTML query page of /sparql: a form with the stored queries as examples, and a query's results
as a table (cells made by the worker, never parsed again here) with download links."""

from __future__ import annotations

import pickle
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..errors import InputError
from ..queries import bind
from ..site.served import render
from .negotiation import pick_language

DEFAULT_QUERY = "PREFIX schema: <https://schema.org/>\n\nSELECT ?type (COUNT(?s) AS ?count)\nWHERE { ?s a ?type }\nGROUP BY ?type\nORDER BY DESC(?count)\n"


def language(request: Request, service) -> str:
    """``lang=`` of the URL (the pages' language switch), else the one Accept-Language prefers."""
    languages = tuple(service.project.languages)
    chosen = request.query_params.get("lang")
    return chosen if chosen in languages else pick_language(request.headers.get("accept-language"), languages)


def _examples(service, lang: str) -> list[dict]:
    examples = []
    for query in service.queries.values():
        try:
            text = bind(query, {}, service.project.base)
        except InputError:
            text = query.text
        examples.append({"title": query.label(lang), "description": query.description.get(lang) or query.description.get("", ""), "text": text})
    return examples


async def page(service, lang: str, *, query: str, table=None, error_text: str | None = None, truncated: bool = False, downloads=()) -> str:
    dataset = await service.dataset()
    project = service.project
    return render(
        "sparql.html",
        project,
        lang,
        keep=[("query", query)] if table is not None or error_text else [],
        graph_count=len(dataset["graphs"]),
        timeout=f"{service.timeout:g}",
        max_rows=service.max_rows,
        query=query,
        table=table,
        error=error_text,
        truncated=truncated,
        downloads=list(downloads),
        examples=_examples(service, lang),
    )


async def form_page(request: Request, service) -> HTMLResponse:
    return HTMLResponse(await page(service, language(request, service), query=DEFAULT_QUERY))


async def refused_page(request: Request, service, query: str, status: int, reason: str) -> HTMLResponse:
    html = await page(service, language(request, service), query=query, error_text=reason)
    return HTMLResponse(html, status_code=status)


async def results_page(request: Request, service, op, reply, headers: dict) -> HTMLResponse:
    """The page with a query's results; ``reply`` holds the worker's table of cells."""
    graph_query = reply.form in ("CONSTRUCT", "DESCRIBE")
    base_items = [("query", op.query)] + [("default-graph-uri", g) for g in op.default_graphs] + [("named-graph-uri", g) for g in op.named_graphs]
    kinds = (("Turtle", "turtle"), ("N-Triples", "ntriples"), ("JSON-LD", "jsonld")) if graph_query else (("CSV", "csv"), ("JSON", "json"))
    downloads = [(label, "/sparql?" + urlencode(base_items + [("format", fmt)])) for label, fmt in kinds]
    # The worker's own pickle of plain dicts and strings, read back once.
    table = pickle.loads(await reply.read())
    lang = language(request, service)
    html = await page(service, lang, query=op.query, table=table, truncated=reply.truncated, downloads=downloads)
    return HTMLResponse(html, headers=headers)
