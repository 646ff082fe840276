"""Incremental builds: what a static build may take from the previous build of the same folder.

A static build leaves a state file beside its marker: a digest of everything its files depend on
besides the data (tourgraph's own files and the versions of the libraries that write them,
``tourgraph.toml``, ``shapes/``, ``queries/``), and for each named graph of the
public graph a digest of its statements as the sources write them, of its source file's path and of
where that file describes each subject, with the IRIs the graph states facts of and points at.

The next build into that folder compares. Where only data graphs differ, the IRIs those graphs state
facts of or point at, before and after, are the ones a change can show on (``site.writer.showing``):
their entities' files are written again, every other entity's pages, RDF description and snippet are
hard links to the previous build's files (never written through: a failed build leaves the previous
one as it was), and the rest of the build (dumps, tables, lists) is written as a full build writes it.
Anything else differing (the environment, the ontology, the build's layout, most graphs) means a full
build. The state holds only what the public graph holds (IRIs and digests).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .graph import KnowledgeGraph

STATE = ".tourgraph-state.json"
STATE_FORMAT = 1
# Libraries whose output is in the files a build reuses (serialisers, templates, escaping).
LIBRARIES = ("pyoxigraph", "jinja2", "markupsafe")
PACKAGE = Path(__file__).parent

log = logging.getLogger("tourgraph.build")


def _digest_files(digest, root: Path, folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def environment(project, static: bool) -> str:
    """The digest of what a build's files depend on besides the data graphs."""
    digest = hashlib.sha256(json.dumps({
        "tourgraph": __version__,
        "libraries": {name: metadata.version(name) for name in LIBRARIES},
        "static": static,
    }, sort_keys=True).encode())
    _digest_files(digest, PACKAGE.parent, PACKAGE)
    toml = project.root / "tourgraph.toml"
    digest.update(toml.read_bytes() if toml.is_file() else b"")
    for name in ("shapes", "queries"):
        _digest_files(digest, project.root, project.root / name)
    return digest.hexdigest()


@dataclass(frozen=True)
class State:
    """What a build was made of: see the module's docstring."""

    environment: str
    # graph IRI -> [digest, role, IRIs it states facts of, entity IRIs (under the base) it points at]
    graphs: dict

    def to_json(self) -> str:
        return json.dumps({"format": STATE_FORMAT, "environment": self.environment, "graphs": self.graphs},
                          sort_keys=True, separators=(",", ":")) + "\n"


def state(kg: KnowledgeGraph, environment_digest: str, lines: dict[bytes, list[bytes]]) -> State:
    """The state of a build of ``kg``; ``lines``: each graph's sorted N-Triples (``export.rdf.graph_lines``)."""
    places: dict[str, list] = {}
    if kg.index is not None:
        for subject, found in kg.index.described.items():
            for place in found:
                places.setdefault(place.file, []).append((subject.value, place.line, place.typed))
    graphs = {}
    for name, graph_lines in lines.items():
        iri = name[1:-1].decode("utf-8")
        source = kg.source_for_graph(iri)
        digest = hashlib.sha256(b"\n".join(graph_lines))
        role = source.role if source is not None else ""
        where = sorted(places.get(source.relpath, ()), key=repr) if source is not None else []
        digest.update(json.dumps([role, source.relpath if source is not None else "", where]).encode())
        subjects, objects = set(), set()
        for quad in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            if type(quad.subject) is ox.NamedNode:
                subjects.add(quad.subject.value)
            if type(quad.object) is ox.NamedNode and quad.object.value.startswith(kg.base):
                objects.add(quad.object.value)
        graphs[iri] = [digest.hexdigest(), role, sorted(subjects), sorted(objects)]
    return State(environment=environment_digest, graphs=graphs)


def read(folder: Path) -> State | None:
    """The state a previous build left in ``folder``, or None (none, unreadable, of another format)."""
    try:
        data = json.loads((folder / STATE).read_text(encoding="utf-8"))
        if data.get("format") != STATE_FORMAT:
            return None
        return State(environment=data["environment"], graphs=data["graphs"])
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None


@dataclass(frozen=True)
class Changes:
    """A build that reuses ``previous``: the data graphs that differ and the IRIs they concern."""

    previous: Path
    graphs: tuple[str, ...]
    iris: frozenset
    linked: frozenset


def changes(before: State, now: State, previous: Path) -> Changes | None:
    """What differs between two builds, when ``now`` can be built by reusing ``previous``; else None
    (and the reason logged)."""
    if before.environment != now.environment:
        log.info("full build: tourgraph, its libraries, tourgraph.toml, shapes/ or queries/ changed since the previous build")
        return None
    differ = sorted(g for g in before.graphs.keys() | now.graphs.keys() if before.graphs.get(g, [None])[0] != now.graphs.get(g, [None])[0])
    if any(entry[1] != "data" for g in differ for entry in (before.graphs.get(g), now.graphs.get(g)) if entry is not None):
        log.info("full build: the ontology changed since the previous build")
        return None
    if len(differ) * 2 > len(now.graphs):
        log.info("full build: most graphs changed since the previous build")
        return None
    iris, linked = set(), set()
    for graph in differ:
        for entry in (before.graphs.get(graph), now.graphs.get(graph)):
            if entry is not None:
                iris.update(entry[2])
                linked.update(entry[3])
    return Changes(previous=previous, graphs=tuple(differ), iris=frozenset(iris), linked=frozenset(linked))
