"""Publish the validated graph to a SPARQL 1.1 Graph Store Protocol service: one HTTP PUT replaces
the named graph whole, so readers see the previous version or the new one, never a mix."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from .build import public_graph
from .errors import InputError, RemoteError
from .export.rdf import sorted_ntriples, union_triples
from .project import Project
from .remote import auth_headers

RETRIED_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class Published:
    endpoint: str
    graph: str
    triples: int
    status: int
    tries: int


def default_graph_iri(project: Project) -> str:
    return project.base + "graph/published"


def publish(
    project: Project,
    endpoint: str,
    graph: str | None = None,
    *,
    tries: int = 4,
    backoff: float = 0.5,
    timeout: float = 120,
    checked=None,
) -> Published:
    """PUT the validated graph to ``endpoint?graph=IRI``, retrying 5xx and connection failures with backoff."""
    if not endpoint.startswith(("http://", "https://")):
        raise InputError(f"--endpoint must be an http(s) URL of a Graph Store Protocol service, not {endpoint!r}.")
    checked = checked or public_graph(project)
    iri = project.iri(graph) if graph else default_graph_iri(project)
    body = sorted_ntriples(union_triples(checked.graph))
    triples = body.count(b"\n")
    headers = {"Content-Type": "application/n-triples", **auth_headers()}
    last = ""
    for attempt in range(1, max(1, tries) + 1):
        try:
            with httpx.Client(timeout=timeout, trust_env=False) as client:
                response = client.put(endpoint, params={"graph": iri}, content=body, headers=headers)
        except httpx.HTTPError as exc:
            last = _reason(exc)
        else:
            if response.status_code < 300:
                return Published(endpoint, iri, triples, response.status_code, attempt)
            detail = response.text.strip().splitlines()[0][:200] if response.text.strip() else response.reason_phrase
            if response.status_code not in RETRIED_STATUSES:
                raise RemoteError(f"{endpoint} refused the graph: HTTP {response.status_code} {detail}; <{iri}> was not replaced.")
            last = f"HTTP {response.status_code} {detail}"
        if attempt < tries:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise RemoteError(
        f"could not publish to {endpoint} after {tries} tries ({last}); a Graph Store PUT is applied whole "
        f"or not at all, so <{iri}> still holds its previous version. Run publish again when the store is up."
    )


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection refused"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return "the connection was cut"
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
