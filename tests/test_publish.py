"""tourgraph publish against a real Oxigraph server: one PUT per publish, answers read back through
SPARQLWrapper equal the local endpoint's, retries, and a publish cut mid-body leaves the previous graph."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import free_port
from tourgraph.cli import cli
from tourgraph.errors import RemoteError
from tourgraph.publish import default_graph_iri, publish
from tourgraph.queries import bind, stored_queries
from tourgraph.remote import run_remote

# The `oxigraph` package installs its server next to the interpreter, which may not be on PATH.
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
# Under CI a missing server is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    not Path(OXIGRAPH).exists() and not os.environ.get("CI"), reason="the oxigraph server binary is not installed"
)


class Oxigraph:
    """``oxigraph serve`` on 127.0.0.1, the default graph being the union of the named graphs."""

    def __init__(self, location):
        self.location = location
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def count(self, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        response = httpx.post(self.url + "/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def ask(self, query: str) -> bool:
        response = httpx.post(self.url + "/query", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        return response.json()["boolean"]


@pytest.fixture
def oxigraph(tmp_path):
    server = Oxigraph(tmp_path / "oxigraph")
    server.start()
    yield server
    server.stop()


class CuttingProxy:
    """Forwards connections to a server; with ``cut_after`` set, it closes both sides once that many
    request bytes went through (a publish that dies mid-body); ``fail_first`` connections get a 503."""

    def __init__(self, target_port: int, cut_after: int | None = None, fail_first: int = 0):
        self.target_port = target_port
        self.cut_after = cut_after
        self.fail_first = fail_first
        self.connections = 0
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(client, self.connections), daemon=True).start()

    def _handle(self, client, number):
        with client:
            client.settimeout(10)
            if number <= self.fail_first:
                client.recv(65536)
                client.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n")
                return
            with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
                upstream.settimeout(10)
                sent = 0
                threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
                while True:
                    try:
                        data = client.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    if self.cut_after is not None and sent + len(data) > self.cut_after:
                        upstream.sendall(data[: self.cut_after - sent])
                        upstream.shutdown(socket.SHUT_RDWR)
                        client.shutdown(socket.SHUT_RDWR)
                        return
                    upstream.sendall(data)
                    sent += len(data)

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    def close(self):
        self.stopping.set()
        self.thread.join(2)
        self.server.close()


def _rows(table) -> list[tuple]:
    return sorted(tuple("" if t is None or t.__class__.__name__ == "BlankNode" else str(t) for t in row) for row in table.rows)


def test_publish_then_query_back_matches_the_local_endpoint(oxigraph, project, checked, dist):
    runner = CliRunner()
    result = runner.invoke(cli, ["publish", "--project", str(project.root), "--endpoint", oxigraph.url + "/store"])
    assert result.exit_code == 0, result.output
    graph = default_graph_iri(project)
    assert f"<{graph}>" in result.output
    distinct = len({q.triple for q in checked.graph.quads()})
    assert oxigraph.count(graph) == distinct

    from tourgraph.serve import create_app
    from test_serve import call

    app = create_app(project, dist, checked=checked, build_site=False, workers=1)
    try:
        app.state.service.pool.wait_ready()
        for name, stored in stored_queries(project.folder("queries")).items():
            sparql = bind(stored, {}, project.base)
            remote = run_remote(oxigraph.url + "/query", sparql, name)
            response = call(app, "POST", "/sparql", data={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
            local = response.json()
            assert list(remote.variables) == local["head"]["vars"], name
            local_rows = sorted(
                tuple("" if (b := binding.get(v)) is None or b["type"] == "bnode" else _nt(b) for v in local["head"]["vars"])
                for binding in local["results"]["bindings"]
            )
            assert _rows(remote) == local_rows, name
    finally:
        app.state.service.close()

    cli_query = runner.invoke(cli, ["query", "delegation", "--project", str(project.root), "--endpoint", oxigraph.url + "/query", "--format", "csv"])
    assert cli_query.exit_code == 0, cli_query.output
    assert len(cli_query.output.strip().splitlines()) > 1


def _nt(binding: dict) -> str:
    import pyoxigraph as ox

    if binding["type"] == "uri":
        return str(ox.NamedNode(binding["value"]))
    if "xml:lang" in binding:
        return str(ox.Literal(binding["value"], language=binding["xml:lang"]))
    return str(ox.Literal(binding["value"], datatype=ox.NamedNode(binding.get("datatype", "http://www.w3.org/2001/XMLSchema#string"))))


def test_publish_replaces_the_graph_in_one_request(oxigraph, project, checked):
    graph = project.base + "graph/test-replace"
    first = publish(project, oxigraph.url + "/store", graph, checked=checked)
    assert first.status in (200, 201, 204) and first.tries == 1
    again = publish(project, oxigraph.url + "/store", graph, checked=checked)
    assert again.status in (200, 204)
    assert oxigraph.count(graph) == first.triples


def test_a_publish_cut_mid_body_leaves_the_previous_graph(oxigraph, project, checked, project_copy):
    from tourgraph.build import validated_graph
    from tourgraph.project import open_project

    published = publish(project, oxigraph.url + "/store", checked=checked)
    graph = published.graph
    marker = "https://schema.org/disambiguatingDescription"
    (project_copy / "data" / "marker.ttl").write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<graph/marker> dcterms:title "Marqueur de test"@fr, "Test marker"@en ;\n'
        '    dcterms:source "A line written by the publish test." ;\n'
        "    dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .\n"
        f'<https://tourgraph.example/event/inspiration-tours> <{marker}> "v2" .\n'
    )
    changed_project = open_project(project_copy)
    changed = validated_graph(changed_project)
    proxy = CuttingProxy(oxigraph.port, cut_after=20_000)
    try:
        with pytest.raises(RemoteError) as failure:
            publish(changed_project, f"http://127.0.0.1:{proxy.port}/store", graph, tries=2, backoff=0.05, checked=changed)
    finally:
        proxy.close()
    message = str(failure.value)
    assert "\n" not in message and "after 2 tries" in message and "previous version" in message
    assert proxy.connections == 2
    assert oxigraph.count(graph) == published.triples
    assert not oxigraph.ask(f"ASK {{ GRAPH <{graph}> {{ ?s <{marker}> ?o }} }}")

    # The store stopped and restarted on the same location still holds the first version.
    oxigraph.stop()
    oxigraph.start()
    assert oxigraph.count(graph) == published.triples
    complete = publish(changed_project, oxigraph.url + "/store", graph, checked=changed)
    assert oxigraph.ask(f"ASK {{ GRAPH <{graph}> {{ ?s <{marker}> 'v2' }} }}")
    assert oxigraph.count(graph) == complete.triples > published.triples


def test_5xx_answers_are_retried_with_backoff(oxigraph, project, checked):
    proxy = CuttingProxy(oxigraph.port, fail_first=2)
    try:
        started = time.monotonic()
        result = publish(project, f"http://127.0.0.1:{proxy.port}/store", tries=4, backoff=0.1, checked=checked)
        elapsed = time.monotonic() - started
    finally:
        proxy.close()
    assert result.tries == 3 and proxy.connections == 3
    assert elapsed >= 0.1 + 0.2
    assert oxigraph.count(result.graph) == result.triples


def test_store_down_is_a_clear_one_line_error_with_exit_3(project, monkeypatch):
    monkeypatch.setattr("tourgraph.publish.time.sleep", lambda _seconds: None)
    port = free_port()
    result = CliRunner().invoke(cli, ["publish", "--project", str(project.root), "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "after 4 tries" in lines[0] and "connection refused" in lines[0]


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


def test_credentials_come_from_the_environment(project, checked, monkeypatch):
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
    try:
        with pytest.raises(RemoteError) as failure:
            publish(project, f"http://127.0.0.1:{server.getsockname()[1]}/store", checked=checked, tries=4)
    finally:
        thread.join(5)
        server.close()
    assert b"authorization: Bearer s3cret-token" in seen[0].lower().replace(b"bearer", b"Bearer")
    assert "HTTP 401" in str(failure.value) and "was not replaced" in str(failure.value)
