"""SHACL validation with pyshacl, turned into a report of our own: results grouped by entity, each
naming the source file and line where the entity is described."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from .errors import InputError
from .graph import KnowledgeGraph, compact, expand, to_rdflib
from .shacl_engine import compile_shapes, run_check
from .load import locate, parse_file
from .project import Project

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    focus: str
    severity: str
    messages: dict
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    constraint: str | None = None
    sources: tuple = ()

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("") or next(iter(self.messages.values()), self.constraint or "")

    def to_dict(self) -> dict:
        return {
            "focus": self.focus,
            "severity": self.severity,
            "path": self.path,
            "value": self.value,
            "message": self.messages,
            "shape": self.shape,
            "constraint": self.constraint,
            "sources": [{"file": f, "line": line} for f, line in self.sources],
        }


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]

    @property
    def violation_count(self) -> int:
        return sum(1 for r in self.results if r.severity == "Violation")

    @property
    def warning_count(self) -> int:
        return sum(1 for r in self.results if r.severity != "Violation")

    @property
    def conforms(self) -> bool:
        return self.violation_count == 0

    def by_focus(self) -> dict[str, list[Result]]:
        groups: dict[str, list[Result]] = defaultdict(list)
        for result in self.results:
            groups[result.focus].append(result)
        return dict(groups)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": self.violation_count,
                "warnings": self.warning_count,
                "entities": [
                    {"focus": focus, "results": [r.to_dict() for r in results]}
                    for focus, results in self.by_focus().items()
                ],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph (sh:ValidationReport)."""
        graph = rdflib.Graph()
        graph.bind("sh", SH)
        report = rdflib.BNode("report")
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, rdflib.Literal(self.conforms)))
        severities = {name: iri for iri, name in SEVERITIES.items()}
        for number, r in enumerate(self.results):
            node = rdflib.BNode(f"result{number}")
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            focus = rdflib.BNode(r.focus[2:]) if r.focus.startswith("_:") else rdflib.URIRef(r.focus)
            graph.add((node, SH.focusNode, focus))
            graph.add((node, SH.resultSeverity, severities[r.severity]))
            for lang, text in r.messages.items():
                graph.add((node, SH.resultMessage, rdflib.Literal(text, lang=lang or None)))
            if r.path and ":" in r.path and " " not in r.path:
                graph.add((node, SH.resultPath, rdflib.URIRef(expand(r.path))))
            if r.value is not None:
                graph.add((node, SH.value, rdflib.Literal(r.value)))
            if r.constraint:
                graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(r.constraint)))
            if r.shape and not r.shape.startswith("_:") and "://" in r.shape:
                graph.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
        return graph.serialize(format="turtle")

    def to_text(self, lang: str = "en") -> str:
        lines = []
        for focus, results in self.by_focus().items():
            where = ", ".join(f"{f}:{line}" if line else f for f, line in results[0].sources) or "no source file"
            lines.append(f"{focus}  ({where})")
            for r in results:
                path = f" {r.path}" if r.path else ""
                value = f" [value: {r.value}]" if r.value is not None else ""
                lines.append(f"  {r.severity}{path}: {r.message(lang)}{value}")
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{verdict}: {self.violation_count} violation(s), {self.warning_count} warning(s).")
        return "\n".join(lines)


def load_shapes(project: Project) -> rdflib.Graph:
    """All shape files under shapes/ as one rdflib graph; syntax errors name the file and line."""
    files = project.rdf_files("shapes")
    if not files:
        raise InputError("no shapes: add SHACL files under shapes/.", path=project.relpath(project.folder("shapes")))
    quads = []
    for path in files:
        quads += parse_file(path, project.base, ox.NamedNode(project.base + "graph/shapes"), project.relpath(path))
    return to_rdflib(quads)


def _term_text(term) -> str | None:
    if term is None:
        return None
    return str(term)


def _path_text(graph: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return compact(str(path))
    return path.n3(graph.namespace_manager)


def sources_of(kg: KnowledgeGraph, focus: str) -> tuple:
    """The files (and lines) that describe an entity."""
    node = ox.NamedNode(focus) if not focus.startswith("_:") else ox.BlankNode(focus[2:])
    graphs = sorted({q.graph_name.value for q in kg.store.quads_for_pattern(node, None, None, None) if isinstance(q.graph_name, ox.NamedNode)})
    found = []
    for g in graphs:
        source = kg.source_for_graph(g)
        if source is not None:
            line = locate(source.path, focus, kg.base) if isinstance(node, ox.NamedNode) else None
            found.append((source.relpath, line))
        elif g.startswith(kg.base + "graph/"):
            found.append((g[len(kg.base):], None))
    if not found:
        for source in kg.sources:
            if source.graph == focus:
                found.append((source.relpath, None))
    return tuple(found)


def _result(kg: KnowledgeGraph, focus, severity, messages, path=None, value=None, shape=None, constraint=None) -> Result:
    label = focus.value if isinstance(focus, (ox.NamedNode, ox.BlankNode)) else str(focus)
    focus_text = f"_:{label}" if isinstance(focus, (ox.BlankNode, rdflib.BNode)) else label
    return Result(
        focus=focus_text,
        severity=severity,
        messages=messages,
        path=path,
        value=value,
        shape=shape,
        constraint=constraint,
        sources=sources_of(kg, focus_text),
    )


def validate(kg: KnowledgeGraph, shapes: rdflib.Graph) -> Report:
    """Validate a (materialised) graph against the shapes; the input is not changed.

    Every shape the SHACL compiler understands runs as SPARQL in Oxigraph (see shacl_engine); pyshacl
    checks only the shapes left over, if any.
    """
    compiled = compile_shapes(shapes)
    results = []
    # Oxigraph evaluates queries outside the GIL, so two threads keep both cores busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda check: (check, run_check(kg.store, check)), compiled.checks))
    for check, found_rows in answers:
        for found in found_rows:
            value = found["value"]
            results.append(
                _result(
                    kg,
                    found["focus"],
                    SEVERITIES.get(check.severity, "Violation"),
                    found["messages"],
                    path=found["path"],
                    value=None if value is None else value.value,
                    shape=_term_text(check.shape),
                    constraint=check.component,
                )
            )
    if compiled.leftover is not None:
        results += _pyshacl_results(kg, compiled.leftover)
    results.sort(key=lambda r: (r.focus, r.severity != "Violation", r.path or "", r.constraint or "", r.message(), r.value or ""))
    return Report(results=tuple(results))


def _pyshacl_results(kg: KnowledgeGraph, shapes: rdflib.Graph) -> list[Result]:
    # Imported here: pyshacl takes a third of a second to import and most projects never need it.
    import pyshacl

    _, results_graph, _ = pyshacl.validate(
        to_rdflib(kg.quads()), shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        messages = {}
        for message in results_graph.objects(node, SH.resultMessage):
            messages.setdefault(getattr(message, "language", None) or "", str(message))
        results.append(
            _result(
                kg,
                results_graph.value(node, SH.focusNode),
                SEVERITIES.get(results_graph.value(node, SH.resultSeverity), "Violation"),
                messages,
                path=_path_text(results_graph, results_graph.value(node, SH.resultPath)),
                value=_term_text(results_graph.value(node, SH.value)),
                shape=_term_text(results_graph.value(node, SH.sourceShape)),
                constraint=_term_text(results_graph.value(node, SH.sourceConstraintComponent)),
            )
        )
    return results
