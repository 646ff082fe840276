"""remote.py: SPARQLWrapper queries against a real `tourgraph serve` (uvicorn on 127.0.0.1), the
credentials taken from the environment, and parameters bound in the text for a real Oxigraph server
(`oxigraph serve`) giving, on every query form, the answers of the engine's own substitution."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import free_port
from test_publish import OXIGRAPH, Oxigraph
from tourgraph.cli import cli
from tourgraph.errors import InputError, RemoteError
from tourgraph.graph import PREFIXES
from tourgraph.queries import bind, parse_query, run_local, stored_queries, substitutions
from tourgraph.remote import auth_headers, run_remote, unmatched_remote
from tourgraph.sparql_binding import Unbindable, bind_values

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


def test_every_stored_query_through_sparqlwrapper_matches_the_local_run(served, project, checked):
    for name, stored in stored_queries(project.folder("queries")).items():
        remote = run_remote(served + "/sparql", bind(stored, {}, project.base), name)
        local = run_local(checked.graph, stored.text, name, substitutions=substitutions(stored, {}, project.base), base_iri=project.base)
        assert remote.variables == local.variables, name
        assert len(remote.rows) == len(local.rows), name
        plain = lambda rows: sorted(tuple("" if t is None or type(t).__name__ == "BlankNode" else str(t) for t in row) for row in rows)
        assert plain(remote.rows) == plain(local.rows), name


def test_cli_query_on_the_endpoint(served, project):
    result = CliRunner().invoke(cli, ["query", "delegation", "--project", str(project.root), "--endpoint", served + "/sparql", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"bindings"' in result.output


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


def test_auth_headers_from_the_environment(monkeypatch):
    monkeypatch.delenv("TOURGRAPH_TOKEN", raising=False)
    monkeypatch.delenv("TOURGRAPH_USER", raising=False)
    assert auth_headers() == {}
    monkeypatch.setenv("TOURGRAPH_USER", "commission")
    monkeypatch.setenv("TOURGRAPH_PASSWORD", "pässword")
    assert auth_headers() == {"Authorization": "Basic " + base64.b64encode("commission:pässword".encode()).decode()}
    monkeypatch.setenv("TOURGRAPH_TOKEN", "abc")
    assert auth_headers() == {"Authorization": "Bearer abc"}


# ---------------------------------------------------------------- text binding on a real Oxigraph server


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, checked):
    """``oxigraph serve`` holding the public graph (union default graph, as the local runs use)."""
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server binary is not installed")
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
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
