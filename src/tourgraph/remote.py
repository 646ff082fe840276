"""Queries on remote SPARQL endpoints (SPARQL 1.1 Protocol, a form POST), scoped to graphs by the
protocol's ``default-graph-uri``; results read by Oxigraph's SPARQL results parser (JSON or XML);
credentials from the environment, answered as the server's challenge asks (httpauth).

Scoping matters on a shared store: without it a query reads the store's default graph, which is
Oxigraph's own empty graph (every stored query then returns no rows) or, on Virtuoso and on Oxigraph
with ``--union-default-graph``, every commission's graphs at once (duplicated rows).

The client is httpx, as for publishing, rather than SPARQLWrapper (2.0), which the first version used:
SPARQLWrapper answers HTTP Digest by installing a process-wide urllib opener, cannot choose Digest or
Basic from the server's challenge, drops the response headers of a 401 (so no hint could name the
scheme asked for), and goes through the proxies of the environment. One client, one way to
authenticate, for every request tourgraph makes to a store."""

from __future__ import annotations

import httpx
import pyoxigraph as ox

from . import storehttp
from .errors import InputError, RemoteError
from .graph import PREFIXES
from .httpauth import Credentials, from_environment
from .queries import Table
from .sparql_guard import Refused, inspect

ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ENDPOINTS = "Oxigraph server answers queries at /query, Virtuoso at /sparql, tourgraph serve at /sparql"


def _results(endpoint: str, sparql: str, name: str, timeout: float, graphs=(), credentials: Credentials | None = None):
    """The parsed SPARQL results (solutions or a boolean) of a query on an endpoint."""
    credentials = credentials or from_environment()
    form = {"query": sparql}
    if graphs:
        form["default-graph-uri"] = list(graphs)
    try:
        with storehttp.client(credentials, timeout) as client:
            response = client.post(endpoint, data=form, headers={"Accept": ACCEPT})
            content = response.content
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach {endpoint}: {storehttp.transport_reason(exc)}.") from None
    status = response.status_code
    if status == 404:
        raise RemoteError(f"no SPARQL endpoint at {endpoint} (HTTP 404); {ENDPOINTS}.")
    if status in (401, 403):
        raise storehttp.refused(endpoint, response, credentials, name, doing="read")
    if status == 400:
        raise InputError(f"{endpoint} refused {name}: {storehttp.reason(response)}")
    if status == 405:
        raise RemoteError(f"{endpoint} answered HTTP 405 to {name} (is it a SPARQL endpoint? {ENDPOINTS}).")
    if status >= 300:
        raise RemoteError(f"{endpoint} answered HTTP {status} to {name}: {storehttp.reason(response)}.")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    formats = {"application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML}
    if kind not in formats:
        raise RemoteError(f"{endpoint} did not return SPARQL results for {name} (it sent {kind or 'no content type'}).")
    try:
        return ox.parse_query_results(content, format=formats[kind])
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"{endpoint} sent unreadable SPARQL results for {name}: {str(exc).splitlines()[0]}.") from None


def run_remote(endpoint: str, sparql: str, name: str = "query", timeout: float = 60, *, graphs=(), credentials: Credentials | None = None) -> Table:
    """Run a SELECT query on a SPARQL 1.1 endpoint, reading ``graphs`` as its default graph (the
    store's own default graph when empty), and return its table."""
    results = _results(endpoint, sparql, name, timeout, graphs, credentials)
    if isinstance(results, ox.QueryBoolean):
        raise InputError(f"{name} is an ASK query; stored queries return tables.")
    variables = tuple(v.value for v in results.variables)
    rows = tuple(tuple(solution[v] for v in variables) for solution in results)
    return Table(variables, rows)


def _ask(endpoint: str, sparql: str, what: str, timeout: float, graphs, credentials) -> bool:
    results = _results(endpoint, sparql, what, timeout, graphs, credentials)
    if not isinstance(results, ox.QueryBoolean):
        raise RemoteError(f"{endpoint} did not answer {what} with a boolean.")
    return bool(results)


def unmatched_remote(endpoint: str, terms: dict, timeout: float = 60, *, graphs=(), credentials: Credentials | None = None) -> list[str]:
    """The names of IRI parameters whose IRI occurs nowhere in what the query read."""
    missing = []
    for name, term in terms.items():
        if not isinstance(term, ox.NamedNode):
            continue
        # The term is pyoxigraph's serialisation of a validated IRI, so it cannot break out of VALUES.
        sparql = (
            f"ASK {{ VALUES ?x {{ {term} }} {{ ?x ?p ?o }} UNION {{ ?s ?x ?o }} UNION {{ ?s ?p ?x }}"
            " UNION { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } } UNION { GRAPH ?x { ?s ?p ?o } } }"
        )
        if not _ask(endpoint, sparql, f"the check of parameter {name}", timeout, graphs, credentials):
            missing.append(name)
    return missing


def holds_triples(endpoint: str, graphs, timeout: float = 60, *, credentials: Credentials | None = None) -> bool:
    """Whether the graphs (the store's default graph when empty) hold any triple."""
    return _ask(endpoint, "ASK { ?s ?p ?o }", "the check of the graph read", timeout, graphs, credentials)


def run_on_store(project, stored, sparql: str, terms: dict, *, endpoint=None, store=None, graphs=(), all_graphs=False):
    """``tourgraph query`` on a store: the table, the IRI parameters that name nothing there, and
    the warnings to print (which graph an empty answer read)."""
    from .stores import query_target

    try:
        has_dataset = inspect(sparql, project.base, PREFIXES).has_dataset
    except Refused as exc:
        raise InputError(f"{stored.name}: {exc.reason}") from None
    target = query_target(project, endpoint=endpoint, store=store, graphs=graphs, all_graphs=all_graphs, has_dataset=has_dataset)
    scope = dict(graphs=target.graphs, credentials=target.credentials)
    try:
        table = run_remote(target.endpoint, sparql, stored.name, **scope)
    except InputError as exc:
        if target.chosen or not target.graphs:
            raise
        raise InputError(f"{exc.message} (the query read {target.describe()}, the graph publish writes: give --graph IRI "
                         "for another one, or --all-graphs for the endpoint's default graph, as tourgraph serve needs)") from None
    if table.rows:
        return table, [], []
    missing = unmatched_remote(target.endpoint, terms, **scope)
    empty = "" if holds_triples(target.endpoint, **scope) else ", which holds no triples there"
    note = (f"Warning: no rows from {target.endpoint}, which read {target.describe()}{empty}; "
            "give --graph IRI for another graph, or --all-graphs for the store's default graph.")
    return table, missing, [note]
