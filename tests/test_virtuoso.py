"""tourgraph against a real Virtuoso Open Source 7 (Debian ``virtuoso-opensource``) on 127.0.0.1,
with its own virtuoso.ini in a temporary folder and another commission's graph beside ours: HTTP
Digest chosen from the server's challenge, publish through a staging graph switched by one COPY,
republish, an exact round trip, every stored query scoped and equal to the local run, refusals said
in one line with what to do, and a publish cut mid-body or refused on its last line that leaves the
previous graph whole."""

from __future__ import annotations

import threading

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import free_port
from test_publish import MARKER, OTHER, _changed, cli_rows, local_runs, plain
from triplestores import VIRTUOSO, CuttingProxy, Virtuoso, require, said
from tourgraph.cli import cli
from tourgraph.errors import RemoteError
from tourgraph.graphbody import GraphBody
from tourgraph.publish import publish
from tourgraph.stores import Store

WRITER, READER, PASSWORD = "commission", "reader", "pässword-1"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, project, checked):
    require(VIRTUOSO, "Virtuoso (Debian package virtuoso-opensource)")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    server.add_user(WRITER, PASSWORD)
    server.add_user(READER, PASSWORD, update=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOURGRAPH_USER", WRITER)
        patch.setenv("TOURGRAPH_PASSWORD", PASSWORD)
        publish(project, server.store_url, OTHER, checked=checked)
    yield server
    server.stop()


@pytest.fixture
def writer(monkeypatch):
    monkeypatch.setenv("TOURGRAPH_USER", WRITER)
    monkeypatch.setenv("TOURGRAPH_PASSWORD", PASSWORD)
    monkeypatch.delenv("TOURGRAPH_TOKEN", raising=False)


def test_publish_answers_digest_and_switches_through_a_staging_graph(virtuoso, project, checked, writer):
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", virtuoso.store_url])
    assert result.exit_code == 0, result.output
    graph = project.base + "graph/published"
    assert f"Published {GraphBody(checked.graph).triples} triples to <{graph}>" in result.output
    assert f"staging graph <{graph}-staging>" in result.output and "one SPARQL COPY" in result.output
    assert virtuoso.count(graph) == virtuoso.count(OTHER) == GraphBody(checked.graph).triples
    assert virtuoso.graphs("https://") == {graph, OTHER}


def test_republish_is_idempotent_and_the_graph_round_trips_exactly(virtuoso, project, checked, writer):
    first = publish(project, virtuoso.store_url, checked=checked)
    again = publish(project, virtuoso.store_url, checked=checked)
    assert first.method == again.method == "staged" and first.tries == again.tries == 1
    assert virtuoso.count(first.graph) == first.triples == again.triples
    response = httpx.get(virtuoso.store_url, params={"graph": first.graph}, headers={"Accept": "application/n-triples"},
                         auth=httpx.DigestAuth(WRITER, PASSWORD), timeout=60)
    assert response.status_code == 200, response.text
    sent = {q.triple for q in checked.graph.quads()}
    back = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
    assert back == sent, (sorted(map(str, back - sent))[:5], sorted(map(str, sent - back))[:5])
    assert isomorphic(Graph().parse(data=response.text, format="nt"), Graph().parse(data=b"".join(GraphBody(checked.graph)).decode(), format="nt"))
    assert virtuoso.graphs("https://") == {first.graph, OTHER}


def test_every_stored_query_is_scoped_and_equals_the_local_run(virtuoso, project, checked, writer):
    publish(project, virtuoso.store_url, checked=checked)
    for name, local in local_runs(project, checked).items():
        code, rows, stderr = cli_rows(project.root, name, "--endpoint", virtuoso.query_url)
        assert code == 0, (name, stderr)
        assert rows == plain(local), name
        assert rows, f"{name}: the comparison is empty"
    # Unscoped, Virtuoso reads every graph of the store: the other commission's copy doubles the rows.
    code, everything, _ = cli_rows(project.root, "delegation", "--endpoint", virtuoso.query_url, "--all-graphs")
    assert code == 0 and len(everything) > len(plain(local_runs(project, checked)["delegation"]))


def test_without_credentials_a_401_says_digest_and_which_variables(virtuoso, project, checked, monkeypatch):
    for name in ("TOURGRAPH_USER", "TOURGRAPH_PASSWORD", "TOURGRAPH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", virtuoso.store_url])
    assert result.exit_code == 3
    [line] = said(result.output)
    assert "HTTP 401" in line and "(Digest)" in line and "TOURGRAPH_USER and TOURGRAPH_PASSWORD" in line


def test_a_wrong_password_and_basic_are_told_apart(virtuoso, project, checked, monkeypatch):
    monkeypatch.setenv("TOURGRAPH_USER", WRITER)
    monkeypatch.setenv("TOURGRAPH_PASSWORD", "wrong")
    with pytest.raises(RemoteError) as wrong:
        publish(project, virtuoso.store_url, checked=checked)
    assert "HTTP 401" in str(wrong.value) and "did not accept them" in str(wrong.value)
    monkeypatch.setenv("TOURGRAPH_PASSWORD", PASSWORD)
    with pytest.raises(RemoteError) as basic:
        publish(project, Store(endpoint=virtuoso.store_url, auth="basic"), checked=checked)
    assert "HTTP 401" in str(basic.value) and "HTTP Digest" in str(basic.value)


def test_a_user_without_the_grant_gets_virtuoso_reason_and_the_grant_to_run(virtuoso, project, checked, monkeypatch):
    before = virtuoso.count(project.base + "graph/published")
    monkeypatch.setenv("TOURGRAPH_USER", READER)
    monkeypatch.setenv("TOURGRAPH_PASSWORD", PASSWORD)
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", virtuoso.store_url])
    assert result.exit_code == 3
    [line] = said(result.output)
    assert "HTTP 403 SQ110:SECURITY: Permission denied" in line
    assert f'GRANT SPARQL_UPDATE TO "{READER}";' in line and "<xmp>" not in line and "<html" not in line.lower()
    assert virtuoso.count(project.base + "graph/published") == before


def test_an_invalid_graph_is_refused_and_the_store_is_unchanged(virtuoso, project, checked, project_copy, writer):
    published = publish(project, virtuoso.store_url, checked=checked)
    (project_copy / "data" / "bad.ttl").write_text(
        '@prefix schema: <https://schema.org/> .\n<person/somebody> a schema:Person ; schema:name "Somebody" ; schema:email "somebody@example.org" .\n'
    )
    result = CliRunner().invoke(cli, ["publish", "--project", str(project_copy), "--endpoint", virtuoso.store_url])
    assert result.exit_code == 1 and "violation" in result.output
    assert virtuoso.count(published.graph) == virtuoso.count(OTHER) == published.triples
    assert virtuoso.graphs("https://") == {published.graph, OTHER}


def _refused_through(proxy: CuttingProxy, virtuoso, project, checked) -> str:
    """The message of a publish whose uploads go through ``proxy`` (the switch straight to Virtuoso)."""
    store = Store(endpoint=proxy.url(virtuoso.STORE_PATH), update=virtuoso.update_url, query=virtuoso.update_url)
    try:
        with pytest.raises(RemoteError) as failure:
            publish(project, store, tries=2, backoff=0.05, checked=checked)
    finally:
        proxy.close()
    return str(failure.value)


def test_a_publish_cut_mid_body_leaves_the_previous_graph(virtuoso, project, checked, project_copy, writer):
    published = publish(project, virtuoso.store_url, checked=checked)
    changed_project, changed = _changed(project_copy)
    proxy = CuttingProxy(virtuoso.http_port, cut_after=20_000)
    message = _refused_through(proxy, virtuoso, changed_project, changed)
    assert "\n" not in message and "after 2 tries" in message and "staging graph" in message and "previous version" in message
    assert virtuoso.count(published.graph) == published.triples
    assert not virtuoso.ask(f"ASK {{ GRAPH <{published.graph}> {{ ?s <{MARKER}> ?o }} }}")
    assert virtuoso.graphs("https://") == {published.graph, OTHER}, "the staging graph is dropped"
    complete = publish(changed_project, virtuoso.store_url, checked=changed)
    assert virtuoso.ask(f"ASK {{ GRAPH <{published.graph}> {{ ?s <{MARKER}> 'v2' }} }}")
    assert virtuoso.count(published.graph) == complete.triples > published.triples


def test_a_publish_whose_last_line_virtuoso_refuses_leaves_the_previous_graph(virtuoso, project, checked, project_copy, writer):
    published = publish(project, virtuoso.store_url, checked=checked)
    changed_project, changed = _changed(project_copy)
    proxy = CuttingProxy(virtuoso.http_port, spoil_last_line=True)
    message = _refused_through(proxy, virtuoso, changed_project, changed)
    assert proxy.spoiled == 2
    assert "after 2 tries (HTTP 500" in message and "staging graph" in message and "\n" not in message
    assert virtuoso.count(published.graph) == published.triples
    assert not virtuoso.ask(f"ASK {{ GRAPH <{published.graph}> {{ ?s <{MARKER}> ?o }} }}")
    assert virtuoso.graphs("https://") == {published.graph, OTHER}


def test_readers_see_the_previous_graph_or_the_new_one_during_a_publish(virtuoso, project, checked, project_copy, writer):
    published = publish(project, virtuoso.store_url, checked=checked)
    changed_project, changed = _changed(project_copy)
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(virtuoso.count(published.graph))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        complete = publish(changed_project, virtuoso.store_url, checked=changed)
    finally:
        stop.set()
        reader.join()
    assert seen <= {published.triples, complete.triples} and published.triples in seen


def test_store_down_is_one_line_with_exit_3(project, writer, monkeypatch):
    monkeypatch.setattr("tourgraph.publish.time.sleep", lambda _seconds: None)
    url = f"http://127.0.0.1:{free_port()}/sparql-graph-crud-auth"
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", url])
    assert result.exit_code == 3
    [line] = said(result.output)
    assert "after 4 tries (connection refused)" in line and "nothing was sent" in line


def test_a_named_store_with_its_own_variables(virtuoso, project, checked, project_copy, monkeypatch):
    for name in ("TOURGRAPH_USER", "TOURGRAPH_PASSWORD", "TOURGRAPH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGIONAL_USER", WRITER)
    monkeypatch.setenv("REGIONAL_PASSWORD", PASSWORD)
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text() + (
        "\n[stores.regional]\n"
        f'endpoint = "{virtuoso.store_url}"\n'
        f'query = "{virtuoso.update_url}"\n'
        'graph = "graph/regional"\n'
        'auth = "digest"\n'
        'user_env = "REGIONAL_USER"\n'
        'password_env = "REGIONAL_PASSWORD"\n'
    ))
    published = CliRunner().invoke(cli, ["publish", "regional", "--project", str(project_copy)])
    assert published.exit_code == 0, published.output
    assert "<https://tourgraph.example/graph/regional>" in published.output
    code, rows, stderr = cli_rows(project_copy, "delegation", "--store", "regional")
    assert code == 0, stderr
    assert rows == plain(local_runs(project, checked)["delegation"]) and rows
    monkeypatch.delenv("REGIONAL_PASSWORD")
    refused = CliRunner().invoke(cli, ["publish", "regional", "--project", str(project_copy)])
    assert refused.exit_code == 3 and "REGIONAL_USER and REGIONAL_PASSWORD" in refused.output
