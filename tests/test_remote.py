"""remote.py: SPARQL protocol queries against a real `tourgraph serve` (uvicorn on 127.0.0.1), scoped
by default-graph-uri; credentials taken from the environment and sent only as the server's challenge
asks; and parameters bound in the text for a real Oxigraph server (`oxigraph serve`) giving, on every
query form, the answers of the engine's own substitution."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import free_port
from triplestores import OXIGRAPH, Oxigraph, require
from tourgraph.cli import cli
from tourgraph.errors import InputError, RemoteError
from tourgraph.graph import PREFIXES
from tourgraph.httpauth import from_environment
from tourgraph.queries import bind, parse_query, run_local, stored_queries, substitutions
from tourgraph.remote import run_remote, unmatched_remote
from tourgraph.sparql_binding import Unbindable, bind_values
from tourgraph.storehttp import client, reason

BASE = "https://tourgraph.example/"
TOUR = BASE + "event/inspiration-tour-2026-hauts-de-france"
HEAD = "PREFIX schema: <https://schema.org/>\nPREFIX tg: <https://tourgraph.example/ns#>\n"


@pytest.fixture(scope="module")
def served(project, checked, dist):
    """The app under uvicorn on a free local port, in a thread."""
    from tourgraph.serve import create_app

    app = create_app(project, dist, checked=checked, build_site=False, workers=2)
    app.state.service.pool.wait_ready()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    app.state.service.close()


def test_every_stored_query_through_the_protocol_matches_the_local_run(served, project, checked):
    for name, stored in stored_queries(project.folder("queries")).items():
        remote = run_remote(served + "/sparql", bind(stored, {}, project.base), name)
        local = run_local(checked.graph, stored.text, name, substitutions=substitutions(stored, {}, project.base), base_iri=project.base)
        assert remote.variables == local.variables, name
        assert len(remote.rows) == len(local.rows), name
        plain = lambda rows: sorted(tuple("" if t is None or type(t).__name__ == "BlankNode" else str(t) for t in row) for row in rows)
        assert plain(remote.rows) == plain(local.rows), name


def test_cli_query_on_the_endpoint(served, project):
    command = ["query", "delegation", "--project", str(project.root), "--endpoint", served + "/sparql", "--format", "json"]
    result = CliRunner().invoke(cli, [*command, "--all-graphs"])
    assert result.exit_code == 0, result.output
    assert '"bindings"' in result.output
    # tourgraph serve holds the source graphs, not the graph publish writes, which a query reads by default.
    scoped = CliRunner().invoke(cli, command)
    assert scoped.exit_code == 2 and "--all-graphs" in scoped.stdout and "graph/published" in scoped.stdout


def test_a_real_server_binds_127_0_0_1_and_sends_cors(served):
    assert served.startswith("http://127.0.0.1:")
    response = httpx.get(served + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_errors_are_one_line(served):
    with pytest.raises(RemoteError) as missing:
        run_remote(served + "/nothing-here", "SELECT * WHERE { ?s ?p ?o }")
    assert "no SPARQL endpoint" in str(missing.value) and "\n" not in str(missing.value)
    with pytest.raises(RemoteError) as down:
        run_remote(f"http://127.0.0.1:{free_port()}/sparql", "SELECT * WHERE { ?s ?p ?o }")
    assert "cannot reach" in str(down.value) and down.value.exit_code == 3


def test_a_query_reads_the_graphs_named_by_default_graph_uri(served, project, checked):
    people = project.base + "graph/tours/2026-hauts-de-france/people"
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    scoped = run_remote(served + "/sparql", sparql, graphs=[people]).rows[0][0]
    whole = run_remote(served + "/sparql", sparql).rows[0][0]
    expected = sum(1 for _ in checked.graph.store.quads_for_pattern(None, None, None, ox.NamedNode(people)))
    assert int(scoped.value) == expected and 0 < expected < int(whole.value)


def test_credentials_come_from_the_variables_a_store_names(monkeypatch):
    environ = {"TOURGRAPH_USER": "commission", "TOURGRAPH_PASSWORD": "pässword", "REGIONAL_TOKEN": "abc"}
    default = from_environment(environ=environ)
    assert (default.user, default.password, default.token) == ("commission", "pässword", None)
    assert "pässword" not in repr(default)
    named = from_environment({"token": "REGIONAL_TOKEN"}, environ=environ)
    assert named.token == "abc" and named.user == "commission"
    assert not from_environment(environ={}).given
    with pytest.raises(InputError) as missing:
        from_environment({"user": "REGIONAL_USER"}, scheme="digest", environ=environ)
    assert "REGIONAL_USER" in str(missing.value)


def _challenging_server(challenge: bytes):
    """A server that answers 401 with ``challenge`` until a request carries an Authorization header,
    then 200; it keeps every request head it read."""
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(5)

    def serve():
        for _ in range(3):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                while True:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    if not data:
                        break
                    seen.append(data)
                    if b"\nauthorization:" in data.lower():
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                    else:
                        conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: " + challenge + b"\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread, seen


@pytest.mark.parametrize("challenge, scheme", [
    (b'Basic realm="store"', b"basic "),
    (b'Digest realm="store", nonce="abc123", qop="auth", algorithm="MD5"', b"digest "),
])
def test_the_scheme_is_chosen_from_the_challenge_and_no_secret_goes_first(challenge, scheme):
    server, thread, seen = _challenging_server(challenge)
    credentials = from_environment(environ={"TOURGRAPH_USER": "commission", "TOURGRAPH_PASSWORD": "secret"})
    try:
        with client(credentials, 5) as http:
            first = http.get(f"http://127.0.0.1:{server.getsockname()[1]}/store")
            second = http.get(f"http://127.0.0.1:{server.getsockname()[1]}/store")
    finally:
        server.close()
        thread.join(5)
    assert first.status_code == second.status_code == 200
    assert b"authorization" not in seen[0].lower()
    answered = [head.lower().split(b"\nauthorization: ", 1)[1] for head in seen[1:]]
    assert len(seen) == 3 and all(a.startswith(scheme) for a in answered), "the second request is answered at once"
    assert b"secret" not in b"".join(seen)


def test_a_store_error_page_is_read_as_one_line(oxigraph_server):
    response = httpx.post(oxigraph_server.url + "/query", data={"query": "SELECT BROKEN {"})
    assert response.status_code == 400
    line = reason(response)
    assert "\n" not in line and line and len(line) <= 300
    page = httpx.Response(403, headers={"Content-Type": "text/html"}, content=(
        b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>SPARQL Graph Protocol request failed</title></head>'
        b"<body><h1>HTTP/1.1 403 Forbidden</h1><h3>Error 42000</h3>\n<xmp>SQ110:SECURITY: Permission denied for delete from "
        b"DB.DBA.RDF_QUAD (user ID = 110)</xmp></body></html>"))
    assert reason(page) == "SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD (user ID = 110)"


# ---------------------------------------------------------------- text binding on a real Oxigraph server


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, checked):
    """``oxigraph serve --union-default-graph`` holding every source graph: an unscoped query then
    reads them all, as the local runs do (scoping is tests/test_publish.py's business)."""
    require(OXIGRAPH, "the oxigraph server (PyPI oxigraph)")
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"), union=True)
    server.start()
    nquads = ox.serialize(checked.graph.quads(), format=ox.RdfFormat.N_QUADS)
    response = httpx.post(server.url + "/store", content=nquads, headers={"Content-Type": "application/n-quads"}, timeout=60)
    assert response.status_code in (200, 201, 204), response.text
    yield server
    server.stop()


def _remote(server, text: str):
    accept = "application/n-triples, application/sparql-results+json;q=0.9"
    response = httpx.post(server.url + "/query", data={"query": text}, headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith("application/n-triples"):
        return ("graph", list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)))
    return _answer(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))


def _answer(results):
    if isinstance(results, ox.QueryBoolean):
        return ("boolean", bool(results))
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return ("rows", sorted(tuple("" if r[v] is None else str(r[v]) for v in names) for r in results), sorted(names))
    return ("graph", list(results))


def _local(checked, text: str, terms: dict):
    bound = {ox.Variable(k): v for k, v in terms.items()}
    return _answer(checked.graph.store.query(text, use_default_graph_as_union=True, substitutions=bound))


def _same(a, b) -> bool:
    if a[0] == b[0] == "graph":
        as_graph = lambda triples: Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode() if triples else "", format="nt")
        return isomorphic(as_graph(a[1]), as_graph(b[1]))
    return a == b


FORMS = {
    "select with EXISTS in the projection": "SELECT ?tour ?p (EXISTS { ?tour tg:delegate ?p } AS ?delegate) WHERE { ?tour schema:attendee ?p }",
    "select, parameter only in the projection": "SELECT ?tour ?p (EXISTS { ?tour tg:delegate ?p } AS ?delegate) WHERE { ?p a schema:Person }",
    "select with GROUP BY the parameter": "SELECT ?tour (COUNT(?p) AS ?n) WHERE { ?tour tg:delegate ?p } GROUP BY ?tour",
    "select with OPTIONAL after the parameter": "SELECT ?tour ?p ?job WHERE { ?tour tg:delegate ?p OPTIONAL { ?p schema:jobTitle ?job FILTER(?tour != ?p) } } ORDER BY ?p LIMIT 5",
    "ask": "ASK { ?tour tg:delegate ?p }",
    "construct": "CONSTRUCT { ?tour schema:attendee ?p } WHERE { ?tour tg:delegate ?p }",
    "construct where": "CONSTRUCT WHERE { ?tour tg:delegate ?p . ?p schema:name ?n }",
    "construct, parameter only in the template": "CONSTRUCT { ?p schema:attendee ?tour } WHERE { ?p a schema:Person }",
    "describe without WHERE": "DESCRIBE ?tour",
    "describe": "DESCRIBE ?p ?tour WHERE { ?tour tg:delegate ?p }",
}


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("tour", [TOUR, BASE + "event/no-such-tour"])
def test_a_text_binding_answers_as_the_engine_substitutes(oxigraph_server, checked, form, tour):
    text = HEAD + FORMS[form]
    terms = {"tour": ox.NamedNode(tour)}
    local = _local(checked, text, terms)
    remote = _remote(oxigraph_server, bind_values(text, terms, PREFIXES, BASE))
    assert _same(local, remote), (form, local, remote)
    if tour == TOUR and local[0] != "boolean":
        assert local[1], f"{form}: the comparison is empty"


REFUSED = {
    "only in OPTIONAL": "SELECT ?tour ?e WHERE { ?e schema:superEvent|^schema:subEvent ?x OPTIONAL { ?e schema:superEvent|^schema:subEvent ?tour } }",
    "only in one side of UNION": "SELECT ?tour ?p WHERE { { ?tour tg:delegate ?p } UNION { ?p a schema:Organization } }",
    "only in a FILTER": "SELECT ?tour ?e WHERE { ?e a schema:Event FILTER(?e != ?tour) }",
    "in a FILTER before it is bound": "SELECT ?tour ?p WHERE { { ?p a schema:Person FILTER(?p != ?tour) } ?tour tg:delegate ?p }",
    "under GROUP BY another variable": "ASK { ?tour tg:delegate ?p } GROUP BY ?p HAVING (COUNT(?tour) > 1)",
    "inside a sub-SELECT": "SELECT ?tour ?p WHERE { ?p a schema:Person { SELECT ?tour ?p WHERE { ?tour tg:delegate ?p } LIMIT 1 } }",
    "assigned by BIND": "SELECT ?tour WHERE { BIND(<https://tourgraph.example/x> AS ?tour) }",
    "at the end of a zero-length path": "SELECT ?tour ?e WHERE { ?e schema:superEvent* ?tour }",
    "not in the SELECT clause": "SELECT ?p WHERE { ?tour tg:delegate ?p }",
    "not in the DESCRIBE clause": "DESCRIBE ?p WHERE { ?tour tg:delegate ?p }",
    "with a VALUES clause already": "SELECT ?tour ?p WHERE { ?tour tg:delegate ?p } VALUES ?p { <https://tourgraph.example/x> }",
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_text_binding_that_would_answer_otherwise_is_refused(case):
    with pytest.raises(Unbindable) as refused:
        bind_values(HEAD + REFUSED[case], {"tour": ox.NamedNode(TOUR)}, PREFIXES, BASE)
    assert "cannot be bound in the text" in str(refused.value)


@pytest.mark.parametrize("case", ["only in OPTIONAL", "only in a FILTER"])
def test_the_refused_bindings_would_really_answer_otherwise(oxigraph_server, checked, case):
    """A trailing VALUES sent anyway gives other answers than the substitution: refusing is right."""
    text = HEAD + REFUSED[case]
    terms = {"tour": ox.NamedNode(TOUR)}
    pasted = f"{text}\nVALUES ?tour {{ <{TOUR}> }}"
    assert not _same(_local(checked, text, terms), _remote(oxigraph_server, pasted))


def test_stored_queries_on_oxigraph_equal_their_local_runs(oxigraph_server, project, checked):
    for name, stored in stored_queries(project.folder("queries")).items():
        for values in ({}, {"tour": "event/no-such-tour"} if any(p.name == "tour" for p in stored.params) else {}):
            remote = run_remote(oxigraph_server.url + "/query", bind(stored, values, project.base), name)
            local = run_local(checked.graph, stored.text, name, substitutions=substitutions(stored, values, project.base), base_iri=project.base)
            plain = lambda table: sorted(tuple("" if t is None or isinstance(t, ox.BlankNode) else str(t) for t in row) for row in table.rows)
            assert remote.variables == local.variables and plain(remote) == plain(local), name


def test_a_stored_query_that_cannot_be_bound_in_text_says_why(tmp_path):
    query = parse_query("# title@en: t\n# param: tour iri event/x\nSELECT ?tour ?p WHERE { ?p a <https://schema.org/Person> OPTIONAL { ?tour <https://tourgraph.example/ns#delegate> ?p } }\n", "t", tmp_path / "t.rq")
    with pytest.raises(InputError) as error:
        bind(query, {}, BASE)
    assert "OPTIONAL" in str(error.value) and "t.rq" in str(error.value)


def test_a_typo_in_a_remote_parameter_is_reported(oxigraph_server, project):
    endpoint = oxigraph_server.url + "/query"
    stored = stored_queries(project.folder("queries"))["delegation"]
    assert unmatched_remote(endpoint, substitutions(stored, {"tour": "event/no-such-tour"}, project.base)) == ["tour"]
    assert unmatched_remote(endpoint, substitutions(stored, {}, project.base)) == []
    result = CliRunner().invoke(cli, ["query", "delegation", "--project", str(project.root), "--endpoint", endpoint, "--param", "tour=event/no-such-tour"])
    assert result.exit_code == 0 and "names nothing in the graph" in result.stderr
    bad = CliRunner().invoke(cli, ["query", "delegation", "--project", str(project.root), "--endpoint", endpoint, "--param", "tour=http://example.org/%zz"])
    assert bad.exit_code == 2 and "not a valid IRI" in bad.stderr and "Traceback" not in bad.output
