"""tourgraph serve: the SPARQL protocol endpoint, its safety limits, the query page, stored queries
as an API, the site with content negotiation, and void.ttl. HTTP runs in-process (httpx.ASGITransport)."""

from __future__ import annotations

import asyncio
import csv
import io
import time

import httpx
import pyoxigraph as ox
import pytest

from tourgraph.queries import bind, run_local, stored_queries, substitutions
from tourgraph.serve import create_app

BASE = "https://tourgraph.example/"
TOUR = BASE + "event/inspiration-tour-2026-hauts-de-france"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TRICKY_VALUES = "SELECT ?x WHERE { VALUES ?x { %s } }" % " ".join(str(ox.Literal(v)) for v in ("a\nb", "c\td", '"e"\r\n', "f\rg", "h", "i", "j"))


def call(app, method: str, url: str, **kwargs) -> httpx.Response:
    """One request to the app, in-process."""

    async def send():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())


def call_raw_path(app, raw_path: bytes) -> tuple[int, bytes]:
    """A GET whose path is passed to the app exactly as given (httpx would normalise ``..``)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    from urllib.parse import unquote

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": unquote(raw_path.decode("latin-1")), "raw_path": raw_path, "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver")], "server": ("testserver", 80), "client": ("127.0.0.1", 1),
    }
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


def select(app, query: str, **kwargs) -> list[dict]:
    response = call(app, "GET", "/sparql", params={"query": query, **kwargs}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def one_line(response: httpx.Response) -> str:
    text = response.text
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert "Traceback" not in text
    return text.strip()


@pytest.fixture(scope="module")
def app(project, checked, dist):
    application = create_app(project, dist, checked=checked, build_site=False, timeout=20, max_rows=10_000, workers=2)
    application.state.service.pool.wait_ready()
    yield application
    application.state.service.close()


@pytest.fixture(scope="module")
def strict_app(project, checked, dist):
    """An app with a 1 s time limit, a 5-row cap and no cache."""
    application = create_app(project, dist, checked=checked, build_site=False, timeout=1, max_rows=5, workers=1, cache_mb=0)
    application.state.service.pool.wait_ready()
    yield application
    application.state.service.close()


# ---------------------------------------------------------------- protocol


def test_get_select_matches_the_local_query(app, checked, project):
    stored = stored_queries(project.folder("queries"))["delegation"]
    sparql = bind(stored, {}, project.base)
    local = run_local(checked.graph, sparql)
    rows = select(app, sparql)
    assert len(rows) == len(local.rows) > 0
    assert [r["name"]["value"] for r in rows] == [row[local.variables.index("name")].value for row in local.rows]


def test_get_post_form_and_post_query_agree(app):
    query = "SELECT ?s WHERE { ?s a <https://schema.org/Person> } ORDER BY ?s"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = call(app, "GET", "/sparql", params={"query": query}, headers=accept)
    by_form = call(app, "POST", "/sparql", data={"query": query}, headers=accept)
    by_body = call(app, "POST", "/sparql", content=query.encode(), headers={**accept, "Content-Type": "application/sparql-query"})
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert by_get.json() == by_form.json() == by_body.json()
    assert len(by_get.json()["results"]["bindings"]) >= 8


@pytest.mark.parametrize(
    "accept, media, parse",
    [
        ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", "text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ],
)
def test_select_formats_by_accept(app, accept, media, parse):
    query = "SELECT ?s ?name WHERE { ?s a <https://schema.org/Person> ; <https://schema.org/name> ?name } ORDER BY ?s"
    response = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    if parse is ox.QueryResultsFormat.CSV:
        rows = list(csv.reader(io.StringIO(response.text)))[1:]
    else:
        rows = list(ox.parse_query_results(response.content, format=parse))
    assert len(rows) == len(select(app, query)) >= 8


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_formats_by_accept(app, accept, media, fmt):
    query = "CONSTRUCT { ?s <https://schema.org/name> ?n } WHERE { ?s a <https://schema.org/Person> ; <https://schema.org/name> ?n }"
    response = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    triples = list(ox.parse(response.content, format=fmt))
    assert len(triples) == len(select(app, "SELECT * WHERE { ?s a <https://schema.org/Person> ; <https://schema.org/name> ?n }"))


def test_ask(app):
    response = call(app, "GET", "/sparql", params={"query": f"ASK {{ <{TOUR}> ?p ?o }}"})
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(
    "method, kwargs, status",
    [
        ("GET", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", {"content": b"ASK {}"}, 415),
        ("PUT", {"content": b"ASK {}", "headers": {"Content-Type": "application/sparql-query"}}, 405),
        ("DELETE", {}, 405),
        ("GET", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
        ("GET", {"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "headers": {"Accept": "application/sparql-results+json"}}, 406),
    ],
)
def test_protocol_errors_are_4xx_with_one_line(app, method, kwargs, status):
    response = call(app, method, "/sparql", **kwargs)
    assert response.status_code == status
    one_line(response)


def test_cors_is_open_for_reads(app):
    response = call(app, "GET", "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = call(app, "OPTIONS", "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert 200 <= preflight.status_code < 300  # an "ok status" is all the Fetch standard asks of a preflight
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "X-Result-Truncated" in response.headers["access-control-expose-headers"]
    plain = call(app, "OPTIONS", "/sparql")
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]


# ---------------------------------------------------------------- safety


def test_updates_are_refused_and_the_store_is_unchanged(app, checked):
    before = select(app, COUNT_ALL)[0]["n"]["value"]
    update = f"INSERT DATA {{ GRAPH <{BASE}graph/common/places> {{ <{BASE}x> <{BASE}y> 'z' }} }}"
    attempts = [
        call(app, "POST", "/sparql", data={"update": update}),
        call(app, "GET", "/sparql", params={"update": update}),
        call(app, "POST", "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        call(app, "POST", "/sparql", data={"query": update}),
        call(app, "GET", "/sparql", params={"query": "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }"}),
        call(app, "GET", "/sparql", params={"query": "DROP ALL"}),
    ]
    for response in attempts:
        assert 400 <= response.status_code < 500, response.text
        assert "read-only" in one_line(response) or "syntax" in response.text
    # Another text than the first count's, so that the workers count again rather than the cache answering.
    assert select(app, COUNT_ALL + " # after the updates")[0]["n"]["value"] == before
    assert checked.graph.store.query(COUNT_ALL, use_default_graph_as_union=True).__next__()["n"].value == before


def test_the_listener_would_notice_a_service_call(listener):
    url, hits = listener
    store = ox.Store()
    with pytest.raises(Exception):
        list(store.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    deadline = time.monotonic() + 2
    while not hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hits, "pyoxigraph did not call the listener: this test's premise is wrong"


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?a ?b ?c . SeRvIcE<{url}>{{ ?s ?p ?o }} }}",
        "PREFIX : <{url}#> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        "PREFIX ex: <{url}#> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICESILENT<{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ # a comment\n SERVICE # another\n <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p \"it's \\\" fine\" . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<http://x/a> AS ?x) SERVICE ?x {{ ?s ?p ?o }} VALUES ?x {{ <{url}> }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o }} \\u0053ERVICE <{url}> {{ }}",
    ],
)
def test_service_is_refused_and_nothing_goes_out(app, listener, template):
    url, hits = listener
    response = call(app, "GET", "/sparql", params={"query": template.format(url=url)})
    assert 400 <= response.status_code < 500
    one_line(response)
    time.sleep(0.1)
    assert hits == []


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND('''multi\nline SERVICE''' AS ?x) } # SERVICE <http://127.0.0.1:1/>",
        "SELECT ?x WHERE { BIND(<http://example.org/SERVICE> AS ?x) }",
        "SELECT ?service WHERE { BIND(1 AS ?service) }",
    ],
)
def test_the_word_service_in_strings_comments_iris_and_variables_is_fine(app, query):
    response = call(app, "GET", "/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_from_and_graph_parameters_must_name_graphs_of_the_dataset(app, listener):
    url, hits = listener
    places = BASE + "graph/common/places"
    refused = [
        call(app, "GET", "/sparql", params={"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"}),
        call(app, "GET", "/sparql", params={"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
        call(app, "GET", "/sparql", params={"query": f"PREFIX g: <{url}/> SELECT * FROM g:x WHERE {{ ?s ?p ?o }}"}),
        call(app, "GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url}),
        call(app, "GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": url}),
    ]
    for response in refused:
        assert response.status_code == 400, response.text
        assert "not a graph of this dataset" in one_line(response)
    assert hits == []
    everything = int(select(app, COUNT_ALL)[0]["n"]["value"])
    by_from = int(select(app, f"SELECT (COUNT(*) AS ?n) FROM <{places}> WHERE {{ ?s ?p ?o }}")[0]["n"]["value"])
    by_param = int(select(app, COUNT_ALL, **{"default-graph-uri": places})[0]["n"]["value"])
    assert 0 < by_from == by_param < everything
    named = select(app, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": places})
    assert [b["g"]["value"] for b in named] == [places]


def test_a_long_query_is_stopped_and_the_endpoint_stays_responsive(strict_app):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = call(strict_app, "GET", "/sparql", params={"query": slow})
    assert response.status_code in (503, 504)
    assert "limit" in one_line(response)
    assert time.monotonic() - started < 10
    after = call(strict_app, "GET", "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert after.status_code == 200 and after.json()["boolean"] is True


def test_rows_are_capped_and_the_cut_is_announced(strict_app):
    response = call(strict_app, "GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.text)))) == 1 + 5
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-limit"] == "5"
    small = call(strict_app, "GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "x-result-truncated" not in small.headers
    graph = call(strict_app, "GET", "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert len(list(ox.parse(graph.content, format=ox.RdfFormat.N_TRIPLES))) == 5
    assert graph.headers["x-result-truncated"] == "true"


@pytest.mark.parametrize(
    "query, accept, parse",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.JSON))),
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+xml", lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.XML))),
        ("SELECT * WHERE { ?s ?p ?o }", "text/tab-separated-values", lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.TSV))),
        ("SELECT * WHERE { ?s ?p ?o }", "text/csv", lambda b: list(csv.reader(io.StringIO(b.decode())))[1:]),
        # Literals with line breaks, tabs and quotes: the cut is by rows, never inside one.
        (TRICKY_VALUES, "text/csv", lambda b: list(csv.reader(io.StringIO(b.decode(), newline="")))[1:]),
        (TRICKY_VALUES, "text/tab-separated-values", lambda b: list(ox.parse_query_results(b, format=ox.QueryResultsFormat.TSV))),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle", lambda b: list(ox.parse(b, format=ox.RdfFormat.TURTLE))),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/ld+json", lambda b: list(ox.parse(b, format=ox.RdfFormat.JSON_LD))),
    ],
)
def test_the_cap_is_exact_in_every_format(strict_app, query, accept, parse):
    response = call(strict_app, "GET", "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert len(parse(response.content)) == 5
    assert response.headers["x-result-rows"] == "5" and response.headers["x-result-truncated"] == "true"


def test_identical_queries_are_answered_from_the_cache(app, strict_app):
    """STRUUID() differs on every evaluation: the same bytes twice means the second answer was kept."""
    query = "SELECT (STRUUID() AS ?u) WHERE {}"
    first, second = (call(app, "GET", "/sparql", params={"query": query}) for _ in range(2))
    assert first.status_code == second.status_code == 200 and first.content == second.content
    by_post = call(app, "POST", "/sparql", data={"query": query})
    assert by_post.content == first.content
    as_xml = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert [s["u"].value for s in ox.parse_query_results(as_xml.content, format=ox.QueryResultsFormat.XML)] != [first.json()["results"]["bindings"][0]["u"]["value"]]
    # Without a cache every answer is evaluated again.
    uncached = [call(strict_app, "GET", "/sparql", params={"query": query}).content for _ in range(2)]
    assert uncached[0] != uncached[1]
    failing = "SELECT * WHERE { ?s ?p }"
    assert [call(app, "GET", "/sparql", params={"query": failing}).status_code for _ in range(2)] == [400, 400]


def test_a_large_answer_is_streamed_as_the_worker_writes_it(app):
    query = "SELECT ?s ?p ?o ?n WHERE { ?s ?p ?o VALUES ?n { 1 2 3 4 } }"
    streamed = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    assert streamed.status_code == 200 and len(streamed.content) > 256 << 10
    assert "content-length" not in streamed.headers, "a body larger than one read of the worker's socket is streamed"
    rows = list(ox.parse_query_results(streamed.content, format=ox.QueryResultsFormat.TSV))
    assert len(rows) == 4 * int(select(app, COUNT_ALL)[0]["n"]["value"]) == int(streamed.headers["x-result-rows"])
    kept = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    assert kept.content == streamed.content and int(kept.headers["content-length"]) == len(kept.content)


def test_head_answers_the_headers_only(app):
    response = call(app, "HEAD", "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["x-result-rows"] == "2"


# ---------------------------------------------------------------- query page and service description


def test_query_page_lists_stored_queries_as_examples(app, project):
    response = call(app, "GET", "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<form" in response.text and "<textarea" in response.text
    for query in stored_queries(project.folder("queries")).values():
        assert query.label("en").replace("'", "&#39;") in response.text


def test_query_page_results_are_escaped_with_download_links(app):
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    response = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<table>" in response.text
    assert "format=csv" in response.text and "format=json" in response.text
    csv_link = call(app, "GET", "/sparql", params={"query": query, "format": "csv"})
    assert csv_link.headers["content-type"].startswith("text/csv")
    assert csv_link.text.splitlines()[1] == "<script>alert(1)</script>"


def test_query_page_shows_errors_in_the_page(app):
    response = call(app, "GET", "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert 'class="error"' in response.text


def test_service_description(app, checked):
    response = call(app, "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("http://testserver/sparql")
    assert store.query(f"ASK {{ ?e a <{sd}Service> ; <{sd}endpoint> ?e ; <{sd}defaultDataset> ?d }}")
    assert list(store.quads_for_pattern(endpoint, ox.NamedNode(sd + "endpoint"), endpoint))
    names = {r["n"].value for r in store.query(f"SELECT ?n WHERE {{ ?d <{sd}namedGraph> [ <{sd}name> ?n ] }}")}
    assert names == {s.graph for s in checked.graph.sources}
    formats = {r["f"].value for r in store.query(f"SELECT ?f WHERE {{ ?e <{sd}resultFormat> ?f }}")}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats and "http://www.w3.org/ns/formats/Turtle" in formats
    [row] = store.query(f"SELECT ?t WHERE {{ ?e <{sd}defaultDataset> [ <{sd}defaultGraph> [ <http://rdfs.org/ns/void#triples> ?t ] ] }}")
    assert int(row["t"].value) == len({q.triple for q in checked.graph.quads()})
    # Counted once: describing the service again runs no query.
    evaluated = app.state.service.answers.misses
    assert call(app, "GET", "/sparql", headers={"Accept": "application/n-triples"}).status_code == 200
    assert app.state.service.answers.misses == evaluated
    sources = {r["f"].value for r in store.query(f"SELECT ?f WHERE {{ ?d <{sd}namedGraph> [ <http://purl.org/dc/terms/source> ?f ] }}")}
    assert sources == {s.relpath for s in checked.graph.sources}


# ---------------------------------------------------------------- stored queries as an API


def test_stored_query_list_in_json_and_html(app, project):
    names = set(stored_queries(project.folder("queries")))
    listing = call(app, "GET", "/queries/", headers={"Accept": "application/json"})
    assert listing.status_code == 200
    assert {q["name"] for q in listing.json()["queries"]} == names
    page = call(app, "GET", "/queries/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and all(f"/queries/{n}.csv" in page.text for n in names)


def test_stored_query_json_and_csv_match_the_local_run(app, checked, project):
    stored = stored_queries(project.folder("queries"))["delegation"]
    local = run_local(checked.graph, stored.text, substitutions=substitutions(stored, {"tour": TOUR}, project.base), base_iri=project.base)
    as_json = call(app, "GET", "/queries/delegation.json", params={"tour": TOUR})
    assert as_json.status_code == 200
    document = as_json.json()
    assert document["columns"] == list(local.variables)
    assert [r["name"] for r in document["rows"]] == [row[local.variables.index("name")].value for row in local.rows]
    assert document["parameters"] == {"tour": TOUR}
    as_csv = call(app, "GET", "/queries/delegation.csv", params={"tour": "event/inspiration-tour-2026-hauts-de-france"})
    assert as_csv.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == len(local.rows)


def test_stored_query_parameters_are_validated(app):
    bad_iri = call(app, "GET", "/queries/delegation.json", params={"tour": "<http://x> } ; DROP ALL ; {"})
    assert bad_iri.status_code == 400 and "not a valid IRI" in one_line(bad_iri)
    unknown = call(app, "GET", "/queries/delegation.json", params={"nope": "1"})
    assert unknown.status_code == 400 and "no parameter nope" in one_line(unknown)
    assert call(app, "GET", "/queries/no-such-query.json").status_code == 404
    for raw in ("http://example.org/%zz", "http://exa mple.org/"):
        invalid = call(app, "GET", "/queries/delegation.json", params={"tour": raw})
        assert invalid.status_code == 400 and "not a valid IRI" in one_line(invalid)


def test_stored_query_parameters_are_bound_by_the_engine_in_the_worker(app):
    """The worker gets the stored text unchanged and the parameter as a term: the answer is the tour's."""
    document = call(app, "GET", "/queries/delegation.json", params={"tour": TOUR}).json()
    assert document["rows"] and {row["tour"] for row in document["rows"]} == {TOUR}
    assert document["warnings"] == []


def test_a_zero_row_stored_query_names_the_iri_that_matches_nothing(app):
    document = call(app, "GET", "/queries/delegation.json", params={"tour": "event/inspiration-tour-2062"}).json()
    assert document["rows"] == []
    assert len(document["warnings"]) == 1 and "tour" in document["warnings"][0] and "inspiration-tour-2062" in document["warnings"][0]


# ---------------------------------------------------------------- the site


def _an_entity(dist):
    ttl = sorted((dist / "person").glob("*.ttl"))[0]
    return "person", ttl.stem


def test_entity_iri_content_negotiation(app, dist, project):
    kind, slug = _an_entity(dist)
    turtle = call(app, "GET", f"/{kind}/{slug}", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.content == (dist / kind / f"{slug}.ttl").read_bytes()
    assert turtle.headers["content-type"].startswith("text/turtle")
    jsonld = call(app, "GET", f"/{kind}/{slug}", headers={"Accept": "application/ld+json"})
    assert jsonld.content == (dist / kind / f"{slug}.jsonld").read_bytes()
    english = call(app, "GET", f"/{kind}/{slug}", headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert english.content == (dist / "en" / kind / f"{slug}.html").read_bytes()
    default = call(app, "GET", f"/{kind}/{slug}", headers={"Accept": "text/html"})
    assert default.content == (dist / project.languages[0] / kind / f"{slug}.html").read_bytes()
    for response in (turtle, jsonld, english, default):
        # CORS adds Origin: whether Access-Control-Allow-Origin is sent depends on it.
        assert [v.strip() for v in response.headers["vary"].split(",")][:2] == ["Accept", "Accept-Language"]
    refused = call(app, "GET", f"/{kind}/{slug}", headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_site_files_and_unknown_paths(app, dist):
    kind, slug = _an_entity(dist)
    assert call(app, "GET", f"/{kind}/{slug}.ttl").content == (dist / kind / f"{slug}.ttl").read_bytes()
    assert call(app, "GET", "/graph.ttl").headers["content-type"].startswith("text/turtle")
    assert call(app, "GET", "/sitemap.xml").status_code == 200
    assert call(app, "GET", "/").content == (dist / "index.html").read_bytes()
    assert call(app, "GET", "/void.ttl").status_code == 200
    assert call(app, "GET", "/person/nobody-at-all").status_code == 404
    assert call(app, "GET", "/no/such/file.txt").status_code == 404


@pytest.mark.parametrize(
    "raw",
    [b"/../tourgraph.toml", b"/%2e%2e/tourgraph.toml", b"/%2E%2E/%2E%2E/etc/passwd", b"/static/../../tourgraph.toml",
     b"/person/..%2f..%2ftourgraph.toml", b"/..%5c..%5ctourgraph.toml", b"//etc/passwd"],
)
def test_paths_never_escape_dist(app, dist, raw):
    (dist.parent / "tourgraph.toml").write_text("secret = true\n")
    status, body = call_raw_path(app, raw)
    assert status == 404
    assert b"secret" not in body and b"root:" not in body


# ---------------------------------------------------------------- void.ttl


def test_void_describes_the_dataset_deterministically(dist, project, checked, tmp_path):
    from tourgraph.build import write_outputs

    store = ox.Store()
    store.load((dist / "void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    void = "http://rdfs.org/ns/void#"
    [row] = list(store.query(f"SELECT ?d ?t ?e WHERE {{ ?d a <{void}Dataset> ; <{void}triples> ?t ; <{void}sparqlEndpoint> ?e ; <http://purl.org/dc/terms/license> ?l }}"))
    distinct = {q.triple for q in checked.graph.quads()}
    assert int(row["t"].value) == len(distinct)
    assert row["e"].value == project.base + "sparql"
    dumps = {r["x"].value for r in store.query(f"SELECT ?x WHERE {{ ?d <{void}dataDump> ?x }}")}
    assert project.base + "graph.ttl" in dumps and project.base + "graph.nt" in dumps
    persons = list(store.query(f"SELECT ?n WHERE {{ ?d <{void}classPartition> [ <{void}class> <https://schema.org/Person> ; <{void}entities> ?n ] }}"))
    expected = len({q.subject for q in checked.graph.store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode("https://schema.org/Person"))})
    assert int(persons[0]["n"].value) == expected
    again = tmp_path / "dist"
    write_outputs(project, checked.graph, again)
    assert (again / "void.ttl").read_bytes() == (dist / "void.ttl").read_bytes()
