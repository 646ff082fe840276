"""remote.py: SPARQLWrapper queries against a real `tourgraph serve` (uvicorn on 127.0.0.1) and the
credentials taken from the environment."""

from __future__ import annotations

import base64
import threading
import time

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from conftest import free_port
from tourgraph.cli import cli
from tourgraph.errors import RemoteError
from tourgraph.queries import bind, run_local, stored_queries
from tourgraph.remote import auth_headers, run_remote


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
        sparql = bind(stored, {}, project.base)
        remote = run_remote(served + "/sparql", sparql, name)
        local = run_local(checked.graph, sparql, name)
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
