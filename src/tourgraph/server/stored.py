"""The stored queries (queries/*.rq) as an API: /queries/ lists them (HTML or JSON), and
/queries/NAME.json or .csv runs one, its parameters from the query string bound by the engine."""

from __future__ import annotations

import json
import pickle
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import InputError
from ..queries import StoredQuery, bind, substitutions
from ..query_pool import Job
from ..site.served import render
from ..sparql_guard import Refused
from .answers import NoFormat
from .negotiation import MEDIA, QUERY_LIST_OFFERS, error, negotiate
from .protocol import result_headers, send
from .query_page import language


def _query_summary(service, query: StoredQuery, lang: str) -> dict:
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
    service = request.app.state.service
    lang = language(request, service)
    items = [_query_summary(service, q, lang) for q in service.queries.values()]
    wanted = request.query_params.get("format") or negotiate(request.headers.get("accept"), QUERY_LIST_OFFERS)
    if wanted == "json":
        return Response(json.dumps({"queries": items}, ensure_ascii=False, indent=1) + "\n", media_type="application/json")
    if wanted != "html":
        return error(406, "the stored-query list is available as text/html or application/json.")
    return HTMLResponse(render("queries.html", service.project, lang, queries=items), headers={"Vary": "Accept, Accept-Language"})


async def run_stored(request: Request) -> Response:
    """/queries/NAME.json or .csv: one stored query, its parameters bound by the engine from the query string."""
    service = request.app.state.service
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
        # JSON: the worker gives plain values per column (and the IRIs that name nothing), not SPARQL JSON.
        fmt = "values" if ext == "json" else ext
        job = Job(query.text, fmt, None, service.max_rows, service.project.base, substitutions=tuple(terms.items()))
        reply = await service.answers.run(job)
    except NoFormat:
        return error(400, not_select)
    except InputError as exc:
        return error(400, exc.format())
    except Refused as exc:
        return error(exc.status, exc.reason)
    if reply.form != "SELECT":
        return error(400, not_select)
    headers = result_headers(reply, service.max_rows)
    if ext != "json":
        headers["Content-Disposition"] = f'inline; filename="{name}.{ext}"'
        return send(reply, MEDIA[ext], headers, request.method == "HEAD")
    found = pickle.loads(await reply.read())
    document = {
        "query": name,
        "title": query.label("en"),
        "parameters": {p.name: values.get(p.name, p.default) for p in query.params},
        "columns": found["columns"],
        "rows": found["rows"],
        "truncated": reply.truncated,
        "warnings": [f"parameter {n}: <{terms[n].value}> names nothing in the graph; check the IRI." for n in found["unmatched"]],
    }
    return Response(json.dumps(document, ensure_ascii=False) + "\n", media_type="application/json", headers=headers)
