"""tourgraph publish and remote queries against a real Oxigraph server started with its default flags
(its default graph is its own, not the union of the named graphs), holding another commission's
graph beside ours as a shared store does: every stored query read back equals the local run,
republish, an exact round trip, retries, a publish cut mid-body or refused on its last line leaves
the previous graph whole (by one PUT, and through a staging graph), named stores of tourgraph.toml."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import free_port
from triplestores import OXIGRAPH, CuttingProxy, Oxigraph, require, said
from tourgraph.cli import cli
from tourgraph.errors import RemoteError
from tourgraph.graphbody import GraphBody
from tourgraph.publish import default_graph_iri, publish
from tourgraph.queries import run_local, stored_queries, substitutions
from tourgraph.stores import Store

OTHER = "https://other-commission.example/graph/published"
MARKER = "https://schema.org/disambiguatingDescription"


@pytest.fixture
def oxigraph(tmp_path):
    require(OXIGRAPH, "the oxigraph server (PyPI oxigraph)")
    server = Oxigraph(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared(oxigraph, project, checked):
    """The store with another commission's graph in it: the same entities (a copy of ours), so that a
    query reading every graph at once would count them twice."""
    publish(project, oxigraph.store_url, OTHER, checked=checked)
    return oxigraph


def plain(table) -> list[tuple]:
    return sorted(tuple("" if t is None or isinstance(t, ox.BlankNode) else str(t) for t in row) for row in table.rows)


def local_runs(project, checked) -> dict:
    return {
        name: run_local(checked.graph, stored.text, name, substitutions=substitutions(stored, {}, project.base), base_iri=project.base)
        for name, stored in stored_queries(project.folder("queries")).items()
    }


def cli_rows(root, *args) -> tuple[int, list[tuple], str]:
    result = CliRunner().invoke(cli, ["query", *args, "--project", str(root), "--format", "json"])
    if result.exit_code != 0:
        return result.exit_code, [], result.stderr
    import json

    data = json.loads(result.stdout)
    variables = data["head"]["vars"]
    rows = sorted(tuple("" if (b := binding.get(v)) is None or b["type"] == "bnode" else _nt(b) for v in variables) for binding in data["results"]["bindings"])
    return 0, rows, result.stderr


def _nt(binding: dict) -> str:
    if binding["type"] == "uri":
        return str(ox.NamedNode(binding["value"]))
    if "xml:lang" in binding:
        return str(ox.Literal(binding["value"], language=binding["xml:lang"]))
    return str(ox.Literal(binding["value"], datatype=ox.NamedNode(binding.get("datatype", "http://www.w3.org/2001/XMLSchema#string"))))


def test_every_stored_query_on_a_shared_store_equals_the_local_run(shared, project, checked):
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", shared.store_url])
    assert result.exit_code == 0, result.output
    graph = default_graph_iri(project)
    assert f"<{graph}>" in result.output and "Oxigraph applies in one transaction" in result.output
    assert shared.count(graph) == shared.count(OTHER) == GraphBody(checked.graph).triples
    for name, local in local_runs(project, checked).items():
        code, rows, stderr = cli_rows(project.root, name, "--endpoint", shared.query_url)
        assert code == 0, (name, stderr)
        assert rows == plain(local), name
        assert rows, f"{name}: the comparison is empty"


def test_the_store_default_graph_is_read_only_when_asked_and_an_empty_answer_says_which_graph(shared, project):
    publish_result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", shared.store_url])
    assert publish_result.exit_code == 0
    code, rows, stderr = cli_rows(project.root, "delegation", "--endpoint", shared.query_url, "--all-graphs")
    assert code == 0 and rows == []
    assert "store's own default graph" in stderr and "holds no triples" in stderr
    code, rows, stderr = cli_rows(project.root, "delegation", "--endpoint", shared.query_url, "--graph", "graph/never-published")
    assert code == 0 and rows == []
    assert "<https://tourgraph.example/graph/never-published>" in stderr and "holds no triples" in stderr
    code, other_rows, _ = cli_rows(project.root, "delegation", "--endpoint", shared.query_url, "--graph", OTHER)
    code, ours, _ = cli_rows(project.root, "delegation", "--endpoint", shared.query_url)
    assert other_rows == ours and ours
    # Both graphs at once: the same delegates stated twice, so every combination of their optional parts.
    code, both, _ = cli_rows(project.root, "delegation", "--endpoint", shared.query_url, "--graph", OTHER, "--graph", "graph/published")
    assert len(both) > len(ours)


def test_graph_options_need_a_store_and_exclude_each_other(project):
    alone = CliRunner().invoke(cli, ["query", "delegation", "--project", str(project.root), "--graph", OTHER])
    assert alone.exit_code == 2 and "--endpoint" in alone.stderr
    both = CliRunner().invoke(cli, ["query", "delegation", "--project", str(project.root), "--endpoint", "http://127.0.0.1:9/query", "--graph", OTHER, "--all-graphs"])
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_republish_replaces_and_the_graph_round_trips_exactly(shared, project, checked):
    first = publish(project, shared.store_url, checked=checked)
    again = publish(project, shared.store_url, checked=checked)
    assert first.tries == again.tries == 1 and first.method == again.method == "put"
    assert shared.count(first.graph) == first.triples == again.triples
    response = httpx.get(shared.store_url, params={"graph": first.graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    sent = {q.triple for q in checked.graph.quads()}
    assert {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)} == sent
    # An independent reader agrees: rdflib, its literals kept as written.
    ours = Graph().parse(data=b"".join(GraphBody(checked.graph)).decode(), format="nt")
    theirs = Graph().parse(data=response.text, format="nt")
    assert isomorphic(ours, theirs)
    assert shared.count(OTHER) == first.triples


def _changed(project_copy):
    """The project with one more file: a second version to publish over the first."""
    from tourgraph.build import public_graph
    from tourgraph.project import open_project

    (project_copy / "data" / "marker.ttl").write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<graph/marker> dcterms:title "Marqueur de test"@fr, "Test marker"@en ;\n'
        '    dcterms:source "A line written by the publish test." ;\n'
        "    dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .\n"
        f'<https://tourgraph.example/event/inspiration-tours> <{MARKER}> "v2" .\n'
    )
    changed_project = open_project(project_copy)
    return changed_project, public_graph(changed_project)


@pytest.mark.parametrize("method", ["put", "staged"])
def test_a_publish_cut_mid_body_leaves_the_previous_graph(shared, project, checked, project_copy, method):
    published = publish(project, shared.store_url, checked=checked)
    graph = published.graph
    changed_project, changed = _changed(project_copy)
    proxy = CuttingProxy(shared.http_port, cut_after=20_000)
    store = Store(endpoint=proxy.url("/store"), update=shared.update_url, query=shared.query_url, replace=method)
    try:
        with pytest.raises(RemoteError) as failure:
            publish(changed_project, store, graph, tries=2, backoff=0.05, checked=changed)
    finally:
        proxy.close()
    message = str(failure.value)
    assert "\n" not in message and "after 2 tries" in message and "previous version" in message
    assert proxy.connections == 2
    assert shared.count(graph) == published.triples
    assert not shared.ask(f"ASK {{ GRAPH <{graph}> {{ ?s <{MARKER}> ?o }} }}")
    assert shared.graphs("https://") == {graph, OTHER}, "the staging graph is dropped"

    # The store stopped and restarted on the same location still holds the first version.
    shared.stop()
    shared.start()
    assert shared.count(graph) == published.triples
    complete = publish(changed_project, Store(endpoint=shared.store_url, update=shared.update_url, query=shared.query_url, replace=method),
                       graph, checked=changed)
    assert shared.ask(f"ASK {{ GRAPH <{graph}> {{ ?s <{MARKER}> 'v2' }} }}")
    assert shared.count(graph) == complete.triples > published.triples
    assert shared.graphs("https://") == {graph, OTHER}


@pytest.mark.parametrize("method", ["put", "staged"])
def test_a_publish_whose_last_line_the_store_refuses_leaves_the_previous_graph(shared, project, checked, project_copy, method):
    published = publish(project, shared.store_url, checked=checked)
    changed_project, changed = _changed(project_copy)
    proxy = CuttingProxy(shared.http_port, spoil_last_line=True)
    store = Store(endpoint=proxy.url("/store"), update=proxy.url("/update"), query=proxy.url("/query"), replace=method)
    try:
        with pytest.raises(RemoteError) as failure:
            publish(changed_project, store, tries=2, backoff=0.05, checked=changed)
    finally:
        proxy.close()
    assert proxy.spoiled >= 1
    message = str(failure.value)
    assert "HTTP 400" in message and "\n" not in message
    assert ("staging graph" in message) == (method == "staged")
    assert shared.count(published.graph) == published.triples
    assert not shared.ask(f"ASK {{ GRAPH <{published.graph}> {{ ?s <{MARKER}> ?o }} }}")
    assert shared.graphs("https://") == {published.graph, OTHER}


def test_a_staged_publish_switches_in_one_request_and_drops_the_staging_graph(shared, project, checked):
    store = Store(endpoint=shared.store_url, update=shared.update_url, query=shared.query_url)
    # Oxigraph's own PUT is atomic: auto takes it even where a staging graph could be used.
    assert publish(project, store, checked=checked).method == "put"
    result = publish(project, replace(store, replace="staged"), checked=checked)
    assert result.method == "staged" and result.staging == result.graph + "-staging" and not result.notes
    assert "one SPARQL COPY" in result.how()
    assert shared.count(result.graph) == result.triples
    assert shared.graphs("https://") == {result.graph, OTHER}


def test_5xx_answers_are_retried_with_backoff(oxigraph, project, checked):
    proxy = CuttingProxy(oxigraph.http_port, fail_first=2)
    try:
        started = time.monotonic()
        result = publish(project, proxy.url("/store"), tries=4, backoff=0.1, checked=checked)
        elapsed = time.monotonic() - started
    finally:
        proxy.close()
    assert result.tries == 3 and proxy.connections == 3
    assert elapsed >= 0.1 + 0.2
    assert oxigraph.count(result.graph) == result.triples


@pytest.mark.parametrize("method", ["put", "staged"])
def test_a_retry_sends_the_whole_graph_again(shared, project, checked, method):
    proxy = CuttingProxy(shared.http_port, refuse_bodies=1)
    store = Store(endpoint=proxy.url("/store"), update=shared.update_url, query=shared.query_url, replace=method)
    try:
        result = publish(project, store, "graph/retried", tries=2, backoff=0.05, checked=checked)
    finally:
        proxy.close()
    assert proxy.refused == 1 and result.tries == 2
    assert shared.count(result.graph) == result.triples == GraphBody(checked.graph).triples
    assert shared.graphs("https://") == {result.graph, OTHER}


def test_store_down_is_a_clear_one_line_error_with_exit_3(project, monkeypatch):
    monkeypatch.setattr("tourgraph.publish.time.sleep", lambda _seconds: None)
    port = free_port()
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 3
    lines = said(result.output)
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "after 4 tries" in lines[0] and "connection refused" in lines[0] and "nothing was sent" in lines[0]


def test_an_invalid_graph_is_refused_before_any_request(project_copy):
    (project_copy / "data" / "bad.ttl").write_text(
        '@prefix schema: <https://schema.org/> .\n<person/somebody> a schema:Person ; schema:name "Somebody" ; schema:email "somebody@example.org" .\n'
    )
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    try:
        result = CliRunner().invoke(cli, ["publish", "--project", str(project_copy), "--endpoint", f"http://127.0.0.1:{listener.getsockname()[1]}/store"])
        assert result.exit_code == 1
        assert "violation" in result.output
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_an_invalid_graph_leaves_a_shared_store_unchanged(shared, project, checked, project_copy):
    published = publish(project, shared.store_url, checked=checked)
    (project_copy / "data" / "bad.ttl").write_text(
        '@prefix schema: <https://schema.org/> .\n<person/somebody> a schema:Person ; schema:name "Somebody" ; schema:email "somebody@example.org" .\n'
    )
    result = CliRunner().invoke(cli, ["publish", "--project", str(project_copy), "--endpoint", shared.store_url])
    assert result.exit_code == 1
    assert shared.count(published.graph) == shared.count(OTHER) == published.triples
    assert shared.graphs("https://") == {published.graph, OTHER}


def test_a_bearer_token_comes_from_the_environment_and_a_401_says_what_to_set(project, checked, monkeypatch):
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            seen.append(data)
            conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\nConnection: close\r\n\r\nbad password\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    monkeypatch.setenv("TOURGRAPH_TOKEN", "s3cret-token")
    monkeypatch.delenv("TOURGRAPH_USER", raising=False)
    try:
        with pytest.raises(RemoteError) as failure:
            publish(project, f"http://127.0.0.1:{server.getsockname()[1]}/store", checked=checked, tries=4)
    finally:
        thread.join(5)
        server.close()
    assert len(seen) == 1 and b"authorization: bearer s3cret-token" in seen[0].lower()
    message = str(failure.value)
    assert "HTTP 401 bad password" in message and "TOURGRAPH_USER and TOURGRAPH_PASSWORD" in message and "s3cret" not in message


def test_named_stores_publish_and_query_without_urls(oxigraph, project, checked, project_copy):
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text() + (
        "\n[stores.regional]\n"
        f'endpoint = "{oxigraph.store_url}"\n'
        f'query = "{oxigraph.query_url}"\n'
        'graph = "graph/regional"\n'
    ))
    runner = CliRunner()
    published = runner.invoke(cli, ["publish", "regional", "--project", str(project_copy)])
    assert published.exit_code == 0, published.output
    assert "<https://tourgraph.example/graph/regional>" in published.output
    code, rows, stderr = cli_rows(project_copy, "delegation", "--store", "regional")
    assert code == 0, stderr
    assert rows == plain(local_runs(project, checked)["delegation"]) and rows
    unknown = runner.invoke(cli, ["publish", "national", "--project", str(project_copy)])
    assert unknown.exit_code == 2 and "no store 'national'" in unknown.stderr and "regional" in unknown.stderr


@pytest.mark.parametrize("table, expected", [
    ('password = "hunter2"', "secrets stay in the environment"),
    ('endpoint = "ftp://x/store"', "endpoint must be an http(s) URL"),
    ('endpont = "http://x/store"', "unknown key 'endpont'"),
    ('auth = "kerberos"', "auth must be one of"),
    ('user_env = "MY USER"', "names an environment variable"),
    ('graph = "graph/a b"', "not a valid IRI"),
])
def test_a_mistake_in_a_store_table_names_the_file_and_line(project_copy, table, expected):
    config = project_copy / "tourgraph.toml"
    before = config.read_text()
    config.write_text(before + f"\n[stores.regional]\n{table}\n")
    result = CliRunner().invoke(cli, ["publish", "regional", "--project", str(project_copy)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = config.read_text().splitlines().index("[stores.regional]") + 1
    assert f"tourgraph.toml:{line}: [stores.regional]: " in result.stderr and expected in result.stderr
    assert "hunter2" not in result.output
