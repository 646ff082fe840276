"""Publish the validated public graph to a triple store (SPARQL 1.1 Graph Store Protocol), replacing
one named graph so that readers see the previous version or the new one, never a mix — where the
store allows it, and saying so where it cannot be known.

Two ways to replace a graph:

- ``put``: one PUT of the graph. Oxigraph applies a PUT in one transaction (readers sampled during a
  1M-triple PUT saw only the old count, then the new one; a PUT cut mid-body or refused on its last
  line leaves the old graph whole).
- ``staged``: the PUT goes to a staging graph ``<graph>-staging``; its triple count is checked, then
  one SPARQL Update ``COPY <staging> TO <graph>`` switches it in a single transaction and the staging
  graph is dropped, on failure too. Virtuoso needs it: its PUT deletes the old graph, then inserts the
  new one in autocommitted batches (readers saw 728 → 0 → 46,113 → … → 300,000 triples, and a PUT
  refused on its last line left the old graph deleted and most of the new one inserted).

``auto`` picks ``put`` for Oxigraph, ``staged`` for Virtuoso (by the ``Server`` header of the first
answer) or when an update endpoint is given, else ``put``, whose output then says that atomicity is
the store's business. The body streams (graphbody) and is sent again on each try; timeouts grow
with it."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

import httpx

from . import storehttp
from .errors import InputError, RemoteError
from .graphbody import GraphBody
from .project import Project
from .stores import Store, check_url, graph_iri

log = logging.getLogger("tourgraph.publish")

RETRIED_STATUSES = frozenset({500, 502, 503, 504})
UPDATE_RETRIED = frozenset({502, 503, 504})
# Slow stores ingest a few MB of N-Triples a second (Virtuoso 7.2: about 6 MB/s): a try may take
# this long per byte on top of the base timeout before it is given up.
SECONDS_PER_BYTE = 1 / 500_000
SECONDS_PER_TRIPLE_SWITCHED = 1 / 5_000
SETTLE_SECONDS = 10.0


@dataclass(frozen=True)
class Published:
    endpoint: str
    graph: str
    triples: int
    status: int
    tries: int
    method: str = "put"
    server: str = ""
    staging: str | None = None
    notes: tuple[str, ...] = ()

    def how(self) -> str:
        """How the graph was replaced, and what readers could see meanwhile, in one sentence."""
        product = _product(self.server)
        if self.method == "staged":
            return (f"Uploaded to the staging graph <{self.staging}>, checked ({self.triples} triples), then switched "
                    f"in one SPARQL COPY, so readers saw the previous graph until then.")
        if product == "oxigraph":
            return "Replaced in one Graph Store PUT, which Oxigraph applies in one transaction: readers saw the previous graph until then."
        if product == "virtuoso":
            return ("Replaced in one Graph Store PUT (--replace put), which Virtuoso does not apply atomically: "
                    "readers may have seen the graph empty or half loaded meanwhile.")
        return ("Replaced in one Graph Store PUT: atomic only if this store applies a PUT in one transaction "
                "(Oxigraph does, Virtuoso does not); give --update URL and --query URL to switch through a staging graph.")


class _Retry(Exception):
    """A failure that another try may not meet: a 5xx answer, no answer, a cut connection."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def default_graph_iri(project: Project) -> str:
    """The graph ``publish`` writes and ``query --endpoint`` reads unless told otherwise."""
    return project.base + "graph/published"


def _product(server: str) -> str | None:
    name = server.lower()
    return "oxigraph" if name.startswith("oxigraph") else "virtuoso" if name.startswith("virtuoso") else None


def sibling_endpoints(endpoint: str, product: str | None) -> tuple[str | None, str | None]:
    """The SPARQL Update and query URLs that come with a known store's Graph Store URL."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    at = lambda p: urlunsplit((parts.scheme, parts.netloc, p, "", ""))
    if product == "oxigraph" and path.endswith("/store"):
        base = path[: -len("/store")]
        return at(base + "/update"), at(base + "/query")
    if product == "virtuoso":
        # Its SPARQL endpoints answer queries and updates alike; -auth ones with the same Digest realm.
        for store, sparql in (("/sparql-graph-crud-auth", "/sparql-auth"), ("/sparql-graph-crud", "/sparql")):
            if path.endswith(store):
                url = at(path[: -len(store)] + sparql)
                return url, url
    return None, None


def publish(
    project: Project,
    target: str | Store,
    graph: str | None = None,
    *,
    tries: int = 4,
    backoff: float = 0.5,
    timeout: float = 60,
    checked=None,
) -> Published:
    """Replace the named graph ``graph`` (default: the store's, else ``default_graph_iri``) of the
    store ``target`` (a Graph Store URL or a Store) with the validated public graph."""
    store = target if isinstance(target, Store) else Store(endpoint=target)
    if not store.endpoint:
        raise InputError(f"{store.label()} has no endpoint: give --endpoint URL (a Graph Store Protocol service).")
    try:
        check_url(store.endpoint, "--endpoint")
    except InputError:
        raise InputError(f"--endpoint must be an http(s) URL of a Graph Store Protocol service, not {store.endpoint!r}.") from None
    for option in ("update", "query"):
        if getattr(store, option):
            check_url(getattr(store, option), f"--{option}")
    credentials = store.credentials()
    iri = graph_iri(project, graph) if graph else store.graph or default_graph_iri(project)
    if checked is None:
        from .build import public_graph

        checked = public_graph(project)
    body = GraphBody(checked.graph)
    log.info("publishing %d triples (%d bytes) to <%s> at %s", body.triples, body.length, iri, store.endpoint)
    with storehttp.client(credentials, timeout) as client:
        return _Publication(store, credentials, client, iri, body, max(1, tries), backoff, timeout).run()


class _Publication:
    def __init__(self, store, credentials, client, iri, body, tries, backoff, timeout):
        self.store = store
        self.credentials = credentials
        self.client = client
        self.iri = iri
        self.body = body
        self.tries = tries
        self.backoff = backoff
        self.timeout = timeout
        self.staging = iri + "-staging"
        self.server = ""
        self.method: str | None = None

    def _timeout(self, extra: float) -> httpx.Timeout:
        return httpx.Timeout(self.timeout + extra, connect=min(self.timeout, 30))

    def run(self) -> Published:
        try:
            status, attempt = self._upload()
            if self.method == "staged":
                self._check_staging()
                self._switch()
        except BaseException as exc:
            notes = self._clean_up()
            if notes and isinstance(exc, RemoteError):
                raise RemoteError(f"{exc.message} {notes[0]}") from None
            raise
        notes = self._clean_up()
        staging = self.staging if self.method == "staged" else None
        return Published(self.store.endpoint, self.iri, self.body.triples, status, attempt, self.method, self.server, staging, notes)

    def _upload(self) -> tuple[int, int]:
        """The graph sent whole once (to the staging graph or the graph itself): its status and tries."""
        last = ""
        for attempt in range(1, self.tries + 1):
            try:
                self._probe()
                if self.method is None:
                    self._choose()
                return self._put(self.staging if self.method == "staged" else self.iri), attempt
            except _Retry as failure:
                last = failure.reason
                log.warning("try %d of %d failed: %s", attempt, self.tries, last)
            if attempt < self.tries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise RemoteError(self._gave_up(last))

    def _gave_up(self, last: str) -> str:
        where, attempts = self.store.endpoint, f"after {self.tries} tries ({last})"
        if self.method is None:
            return f"could not reach {where} {attempts}; nothing was sent, so <{self.iri}> is unchanged. Run publish again when the store is up."
        if self.method == "staged":
            return (f"could not publish to {where} {attempts}; the upload went to the staging graph <{self.staging}>, so <{self.iri}> "
                    f"still holds its previous version. Run publish again when the store is up.")
        product = _product(self.server)
        if product == "oxigraph":
            return (f"could not publish to {where} {attempts}; Oxigraph applies a PUT whole or not at all, so <{self.iri}> still "
                    f"holds its previous version. Run publish again when the store is up.")
        return (f"could not publish to {where} {attempts}; this store may not apply a PUT whole or not at all, so <{self.iri}> "
                f"may be partly replaced: run publish again.")

    def _probe(self) -> None:
        """A small request first: is the store up, which server is it, which authentication does it
        ask for (answered here, so that the graph is sent once)."""
        probe = f"urn:uuid:{uuid.uuid4()}"
        try:
            response = self.client.get(self.store.endpoint, params={"graph": probe}, headers={"Accept": "application/n-triples"})
        except httpx.HTTPError as exc:
            raise _Retry(storehttp.transport_reason(exc)) from None
        self.server = response.headers.get("server", self.server)
        if response.status_code in RETRIED_STATUSES:
            raise _Retry(f"HTTP {response.status_code} {storehttp.reason(response)}")
        if response.status_code == 401:
            raise self._refused(self.store.endpoint, response, "the credentials")

    def _choose(self) -> None:
        product = _product(self.server)
        method = self.store.replace
        if method == "auto":
            method = "put" if product == "oxigraph" else "staged" if product == "virtuoso" or self.store.update else "put"
        if method == "staged":
            update, query = sibling_endpoints(self.store.endpoint, product)
            self.store = replace(self.store, update=self.store.update or update, query=self.store.query or query)
            if not self.store.update or not self.store.query:
                raise InputError(
                    "publishing through a staging graph needs the store's SPARQL Update and query endpoints: "
                    "give --update URL and --query URL (or update = and query = in the store's table)."
                )
        self.method = method
        log.info("server %r: replacing by %s", self.server, method)

    def _put(self, graph: str) -> int:
        headers = {"Content-Type": "application/n-triples", "Content-Length": str(self.body.length)}
        try:
            response = self.client.put(
                self.store.endpoint, params={"graph": graph}, content=self.body, headers=headers,
                timeout=self._timeout(self.body.length * SECONDS_PER_BYTE),
            )
        except httpx.HTTPError as exc:
            raise _Retry(storehttp.transport_reason(exc)) from None
        if response.status_code < 300:
            return response.status_code
        if response.status_code in RETRIED_STATUSES:
            raise _Retry(f"HTTP {response.status_code} {storehttp.reason(response)}")
        target = f"<{self.staging}> (the staging graph; <{self.iri}> was not touched)" if graph == self.staging else f"<{self.iri}> (not replaced)"
        raise self._refused(self.store.endpoint, response, f"the graph for {target}")

    def _refused(self, url: str, response: httpx.Response, what: str) -> RemoteError:
        return storehttp.refused(url, response, self.credentials, what)

    def _count(self, graph: str) -> int:
        sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        response = self._sparql(self.store.query, {"query": sparql}, "the count of the staging graph", self.body.triples / 50_000,
                                accept="application/sparql-results+json")
        try:
            return int(response.json()["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise RemoteError(f"{self.store.query} did not answer the count of <{graph}> in SPARQL JSON.") from None

    def _check_staging(self) -> None:
        """The staging graph holds every triple sent. Virtuoso answers a PUT before all its triples can
        be read (a count right after a 1M-triple PUT saw 942,719), so a short count is read again while
        it grows."""
        expected = self.body.triples
        count, settled = self._count(self.staging), time.monotonic()
        while count < expected and time.monotonic() - settled < SETTLE_SECONDS:
            time.sleep(0.5)
            again = self._count(self.staging)
            if again != count:
                count, settled = again, time.monotonic()
        if count != expected:
            raise RemoteError(
                f"{self.store.endpoint} holds {count} triples in the staging graph <{self.staging}> where {expected} were sent; "
                f"<{self.iri}> was not touched."
            )

    def _switch(self) -> None:
        what = f"the switch of <{self.staging}> to <{self.iri}>"
        self._sparql(self.store.update, {"update": f"COPY <{self.staging}> TO <{self.iri}>"}, what,
                     self.body.triples * SECONDS_PER_TRIPLE_SWITCHED, keeps=f"<{self.iri}> still holds its previous version")

    def _sparql(self, url: str, form: dict, what: str, extra: float, *, accept: str = "*/*", keeps: str = "") -> httpx.Response:
        """A SPARQL query or update (a form POST), retried when no answer or a 502–504 came back."""
        last = ""
        for attempt in range(1, self.tries + 1):
            try:
                response = self.client.post(url, data=form, headers={"Accept": accept}, timeout=self._timeout(extra))
            except httpx.HTTPError as exc:
                last = storehttp.transport_reason(exc)
            else:
                if response.status_code < 300:
                    return response
                if response.status_code not in UPDATE_RETRIED:
                    raise storehttp.refused(url, response, self.credentials, what, outcome=keeps)
                last = f"HTTP {response.status_code} {storehttp.reason(response)}"
            if attempt < self.tries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        outcome = f"; {keeps} or the new one, whole (a COPY is one transaction)" if keeps else ""
        raise RemoteError(f"{url} did not answer {what} after {self.tries} tries ({last}){outcome}.")

    def _clean_up(self) -> tuple[str, ...]:
        """Drop the staging graph, once; a failure is said, never raised over the error being reported."""
        if self.method != "staged":
            return ()
        try:
            response = self.client.post(self.store.update, data={"update": f"DROP SILENT GRAPH <{self.staging}>"},
                                        timeout=self._timeout(self.body.triples * SECONDS_PER_TRIPLE_SWITCHED))
            if response.status_code < 300:
                return ()
            why = f"HTTP {response.status_code} {storehttp.reason(response)}"
        except httpx.HTTPError as exc:
            why = storehttp.transport_reason(exc)
        log.warning("could not drop the staging graph <%s>: %s", self.staging, why)
        return (f"The staging graph <{self.staging}> could not be dropped ({why}): drop it with DROP GRAPH <{self.staging}>, "
                f"or let the next publish replace it.",)
