"""Real triple stores for the tests, each on 127.0.0.1 on free ports, started with their stock
settings: ``oxigraph serve`` (PyPI ``oxigraph``) and Virtuoso Open Source 7 (Debian
``virtuoso-opensource``) with its own virtuoso.ini in a temporary folder. And a proxy that cuts a
request mid-body or spoils its last line, to interrupt a publish the way a network or a store does."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import free_port

# The `oxigraph` package installs its server next to the interpreter, which may not be on PATH.
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
# Debian's package keeps the HTTP server's own pages (conductor, error pages) here.
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
RESULTS_JSON = {"Accept": "application/sparql-results+json"}


_LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?:WARNING|INFO) tourgraph\.publish: ")


def said(output: str) -> list[str]:
    """The lines a command said, without the operator's log records of its retries (printed when the
    process has set up logging, as ``tourgraph serve`` does; a test run may have done so already)."""
    return [line for line in output.strip().splitlines() if not _LOG_RECORD.match(line)]


def require(binary: str | None, what: str) -> None:
    """Skip without the server, with the reason; under CI (``CI`` set) a missing server fails instead."""
    if binary and Path(binary).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed (required under CI)")
    pytest.skip(f"{what} is not installed")


class Store:
    """What the tests read back from a store, through its SPARQL query endpoint. A store listens on
    127.0.0.1 at ``http_port``, its services at the paths its class names."""

    http_port: int
    STORE_PATH = QUERY_PATH = UPDATE_PATH = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def store_url(self) -> str:
        return self.url + self.STORE_PATH

    @property
    def query_url(self) -> str:
        return self.url + self.QUERY_PATH

    @property
    def update_url(self) -> str:
        return self.url + self.UPDATE_PATH

    def select(self, query: str, **params) -> list[dict]:
        response = httpx.post(self.query_url, data={"query": query, **params}, headers=RESULTS_JSON, timeout=120)
        assert response.status_code == 200, response.text
        return response.json()["results"]["bindings"]

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])

    def ask(self, query: str) -> bool:
        response = httpx.post(self.query_url, data={"query": query}, headers=RESULTS_JSON, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["boolean"]

    def graphs(self, prefix: str) -> set[str]:
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}')
        return {row["g"]["value"] for row in rows}


class Oxigraph(Store):
    """``oxigraph serve`` on 127.0.0.1 with its default flags: the default graph is its own (empty)
    graph, not the union of the named graphs."""

    STORE_PATH, QUERY_PATH, UPDATE_PATH = "/store", "/query", "/update"

    def __init__(self, location, *, union: bool = False):
        self.location = location
        self.union = union
        self.http_port = free_port()
        self.process = None

    def start(self) -> None:
        command = [OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.http_port}"]
        if self.union:
            command.append("--union-default-graph")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until_up(self.process, self.query_url, "oxigraph serve", 20)

    def stop(self) -> None:
        _stop(self.process, 10)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
{parameters}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
"""


class Virtuoso(Store):
    """Virtuoso Open Source 7 (``virtuoso-t``) on 127.0.0.1, its database, log and virtuoso.ini in
    ``folder``, its [Parameters] as Debian's package sets them for memory (``buffers``) and otherwise
    Virtuoso's defaults, ``parameters`` added; ``dba``'s password is changed at the first start and
    kept in ``dba_password``.

    Its Graph Store endpoints: ``/sparql-graph-crud-auth`` (HTTP Digest) and ``/sparql-graph-crud``;
    SPARQL: ``/sparql`` (anonymous, read-only) and ``/sparql-auth`` (Digest, updates with the
    ``SPARQL_UPDATE`` role)."""

    STORE_PATH, QUERY_PATH, UPDATE_PATH = "/sparql-graph-crud-auth", "/sparql", "/sparql-auth"

    def __init__(self, folder: Path, *, buffers: int = 20000, parameters: dict | None = None):
        self.folder = Path(folder)
        self.buffers = buffers
        self.parameters = parameters or {}
        self.http_port = free_port()
        self.sql_port = free_port()
        self.process = None
        self.dba_password = "dba"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(
            folder=self.folder, sql_port=self.sql_port, http_port=self.http_port, vsp=VIRTUOSO_VSP,
            buffers=self.buffers, dirty=self.buffers * 3 // 4,
            parameters="\n".join(f"{key} = {value}" for key, value in self.parameters.items()),
        ))
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(self.process, self.query_url, f"virtuoso-t (log: {self.folder / 'virtuoso.log'})", 90)
            if self.dba_password == "dba":
                password = "dba" + secrets.token_hex(12)  # an identifier to isql: it must start with a letter
                self.sql(f"SET PASSWORD dba {password};")
                self.dba_password = password
        except BaseException:
            self.stop()
            raise

    def sql(self, *statements: str) -> str:
        """Run SQL statements as dba through isql; raise when one of them fails."""
        script = "\n".join(statements) + "\nEXIT;\n"
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.dba_password, "VERBOSE=OFF", "PROMPT=OFF", "BANNER=OFF"],
            input=script, capture_output=True, text=True, timeout=120,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output.strip()}")
        return output

    def add_user(self, name: str, password: str, *, update: bool = True) -> None:
        """A SQL user who can log in over HTTP; with ``update`` it gets the SPARQL_UPDATE role."""
        statements = [f"DB.DBA.USER_CREATE('{name}', '{password}');"]
        if update:
            statements.append(f'GRANT SPARQL_UPDATE TO "{name}";')
        self.sql(*statements)

    def stop(self) -> None:
        # A stopped Virtuoso writes a checkpoint first, which takes a moment.
        _stop(self.process, 60)


def _wait_until_up(process, query_url: str, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before answering")
        try:
            if httpx.get(query_url, params={"query": "ASK {}"}, headers=RESULTS_JSON, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    _stop(process, 10)
    raise RuntimeError(f"{what} did not answer within {seconds} s")


def _stop(process, seconds: float) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class CuttingProxy:
    """Forwards connections to a server. With ``cut_after`` it closes both sides once that many
    request bytes went through (a publish that dies mid-body); ``fail_first`` connections get a 503;
    with ``spoil_last_line`` the last bytes of every N-Triples request body become a line no parser
    reads, its length kept (a store that refuses the last line); the first ``refuse_bodies`` N-Triples
    requests are read whole and answered 503 (a store busy after the upload)."""

    SPOILED_TAIL = b" !\n"

    def __init__(self, target_port: int, cut_after: int | None = None, fail_first: int = 0, spoil_last_line: bool = False,
                 refuse_bodies: int = 0):
        self.target_port = target_port
        self.cut_after = cut_after
        self.fail_first = fail_first
        self.spoil_last_line = spoil_last_line
        self.refuse_bodies = refuse_bodies
        self.connections = 0
        self.spoiled = 0
        self.refused = 0
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

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
            client.settimeout(30)
            if number <= self.fail_first:
                client.recv(65536)
                client.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n")
                return
            with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
                upstream.settimeout(600)
                threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
                if self.spoil_last_line or self.refuse_bodies:
                    self._forward_spoiling(client, upstream)
                else:
                    self._forward_cutting(client, upstream)

    def _forward_cutting(self, client, upstream):
        sent = 0
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.cut_after is not None and sent + len(data) > self.cut_after:
                try:
                    upstream.sendall(data[: self.cut_after - sent])
                    upstream.shutdown(socket.SHUT_RDWR)
                    client.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            try:
                upstream.sendall(data)
            except OSError:
                return
            sent += len(data)

    def _forward_spoiling(self, client, upstream):
        """Requests one after the other on a kept-alive connection, each body by its Content-Length."""
        pending = b""
        tail = self.SPOILED_TAIL
        try:
            while True:
                while b"\r\n\r\n" not in pending:
                    data = client.recv(65536)
                    if not data:
                        return
                    pending += data
                head, _, pending = pending.partition(b"\r\n\r\n")
                fields = {}
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    fields[name.strip().lower()] = value.strip()
                length = int(fields.get(b"content-length", b"0"))
                ntriples = fields.get(b"content-type", b"").startswith(b"application/n-triples")
                if ntriples and self.refuse_bodies:
                    self.refuse_bodies -= 1
                    while len(pending) < length:
                        data = client.recv(65536)
                        if not data:
                            return
                        pending += data
                    pending = pending[length:]
                    self.refused += 1
                    client.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy\n")
                    continue
                spoiling = self.spoil_last_line and ntriples and length > len(tail)
                upstream.sendall(head + b"\r\n\r\n")
                position = 0
                while position < length:
                    if not pending:
                        pending = client.recv(65536)
                        if not pending:
                            return
                    piece, pending = pending[: length - position], pending[length - position:]
                    start, position = position, position + len(piece)
                    if spoiling and position > length - len(tail):
                        # Bytes of the body's last len(tail) bytes are in this piece: swap them for the tail.
                        cut = max(start, length - len(tail))
                        piece = piece[: cut - start] + tail[cut - (length - len(tail)): position - (length - len(tail))]
                        if position == length:
                            self.spoiled += 1
                    upstream.sendall(piece)
        except OSError:
            return

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def close(self):
        self.stopping.set()
        self.thread.join(2)
        self.server.close()
