"""Project files -> a dataset with one named graph per file; parse errors name the file and line."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .graph import RDF_TYPE, TG, KnowledgeGraph, Source
from .project import RDF_EXTENSIONS, Project

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "n-quads": ox.RdfFormat.N_QUADS,
}


SOURCE_GRAPH = ox.NamedNode(TG + "SourceGraph")


def graph_iri(project: Project, path: Path, role: str) -> str:
    """``{base}graph/<path under data/ without extension>``; ontology files under ``graph/ontology/``."""
    folder = project.folder("data" if role == "data" else "ontology")
    stem = path.relative_to(folder).with_suffix("").as_posix()
    return project.base + ("graph/" if role == "data" else "graph/ontology/") + stem


def parse_file(path: Path, base: str, graph: ox.NamedNode, display: str) -> list[ox.Quad]:
    """Parse one file into quads of ``graph``; blank nodes get labels stable across runs."""
    fmt = _FORMATS[RDF_EXTENSIONS[path.suffix]]
    salt = hashlib.sha1(display.encode()).hexdigest()[:8]
    labels: dict[str, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            label = labels.get(term.value)
            if label is None:
                label = labels[term.value] = ox.BlankNode(f"b{salt}n{len(labels)}")
            return label
        return term

    with _reading(display):
        with path.open("rb") as fh:
            return [
                ox.Quad(stable(q.subject), q.predicate, stable(q.object), graph)
                for q in ox.parse(fh, format=fmt, base_iri=base)
            ]


def read_into(store: ox.Store, path: Path, base: str, graph: ox.NamedNode, display: str) -> None:
    """Load one file into ``graph`` of ``store``.

    Turtle and N-Triples without blank nodes go straight to Oxigraph's loader; other files pass through
    ``parse_file`` so that every blank node gets a stable label and every quad lands in ``graph``.
    """
    fmt = _FORMATS[RDF_EXTENSIONS[path.suffix]]
    with _reading(display):
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
            data = path.read_bytes()
            if b"_:" not in data and b"[" not in data:
                store.load(data, format=fmt, base_iri=base, to_graph=graph)
                return
        store.bulk_extend(parse_file(path, base, graph, display))


@contextmanager
def _reading(display: str):
    """Turn parser and file errors into InputError naming the file (and line)."""
    try:
        yield
    except SyntaxError as exc:
        message = str(exc)
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", message)
        raise InputError(f"syntax error: {message}", path=display, line=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason}).", path=display) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {exc}", path=display) from None


def load(project: Project) -> KnowledgeGraph:
    """Read every RDF file under ontology/ and data/ into its own named graph."""
    store = ox.Store()
    sources = []
    for role in ("ontology", "data"):
        for path in project.rdf_files(role):
            iri = graph_iri(project, path, role)
            display = project.relpath(path)
            name = ox.NamedNode(iri)
            read_into(store, path, project.base, name, display)
            if role == "data":
                # Typing each file's graph lets the shapes require its provenance.
                store.add(ox.Quad(name, RDF_TYPE, SOURCE_GRAPH, name))
            sources.append(Source(graph=iri, path=path, relpath=display, role=role))
    if not any(s.role == "data" for s in sources):
        raise InputError("no RDF files (.ttl, .nt, .jsonld, .trig, .nq) under data/.", path=project.relpath(project.folder("data")))
    return KnowledgeGraph(store=store, sources=tuple(sources), base=project.base)


_PREFIX_RE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def locate(path: Path, iri: str, base: str) -> int | None:
    """The first line of a source file that names ``iri`` (as <iri>, a relative IRI or a prefixed name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    needles = [f"<{iri}>", f'"{iri}"']
    if iri.startswith(base):
        relative = iri[len(base):]
        needles += [f"<{relative}>", f'"{relative}"']
    for prefix, namespace in _PREFIX_RE.findall(text):
        resolved = namespace if "://" in namespace else base + namespace
        if iri.startswith(resolved) and len(iri) > len(resolved):
            needles.append(f"{prefix}:{iri[len(resolved):]}")
    pattern = re.compile("|".join(re.escape(n) + r"(?![\w/-])" for n in needles))
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None
