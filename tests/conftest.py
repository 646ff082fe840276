"""Shared fixtures: the shipped project, a writable copy of it, and one build of it per session."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Unmodified copies of schema.org, DCAT-AP 3.0.1 shapes and SHACL-SHACL (see vocab/SOURCES.md).
VOCAB = ROOT / "tests" / "vocab"
OUTPUT = ROOT / "tests" / "output"


def copy_project(target: Path) -> Path:
    """A copy of the shipped project folder (config, ontology, data, shapes, queries)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "tourgraph.toml", target / "tourgraph.toml")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A writable copy of the shipped project, for tests that break or change the data."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def project():
    from tourgraph.project import open_project

    return open_project(ROOT)


@pytest.fixture(scope="session")
def checked(project):
    """The shipped project loaded, materialised and validated once per session."""
    from tourgraph.build import check

    return check(project)


@pytest.fixture(scope="session")
def dist(tmp_path_factory, project) -> Path:
    """One build of the shipped project, shared by the tests that only read dist/."""
    from tourgraph.build import build

    out = tmp_path_factory.mktemp("build") / "dist"
    build(project, out)
    return out


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave files for a person to look at (screenshots, reports)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture
def listener():
    """A local TCP listener that records every connection it receives (what it was sent): tests of
    what must never make a request assert it stays empty."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(4096))
                except OSError:
                    hits.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", hits
    stop.set()
    thread.join(2)
    server.close()
