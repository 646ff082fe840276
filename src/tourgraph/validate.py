"""SHACL validation with pyshacl, turned into a report of our own: results grouped by entity, each
naming the source file and line where the entity is described."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from .errors import InputError
from .graph import TG, KnowledgeGraph, compact, to_rdflib
from .load import locate, parse_file
from .project import Project

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SOURCE_GRAPH_CLASS = ox.NamedNode(TG + "SourceGraph")


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
    results_graph: str = field(default="", repr=False)

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


def _validation_data(kg: KnowledgeGraph) -> rdflib.Graph:
    """The union graph plus, for validation only, each data file's graph typed tg:SourceGraph so that
    shapes can require its provenance."""
    marks = [ox.Triple(ox.NamedNode(s.graph), ox.NamedNode(str(RDF.type)), SOURCE_GRAPH_CLASS) for s in kg.sources if s.role == "data"]
    return to_rdflib([*kg.quads(), *marks])


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


def validate(kg: KnowledgeGraph, shapes: rdflib.Graph) -> Report:
    """Validate a (materialised) graph against the shapes; the input is not changed."""
    data = _validation_data(kg)
    _, results_graph, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, abort_on_first=False
    )
    results = []
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        focus = results_graph.value(node, SH.focusNode)
        focus_text = f"_:{focus}" if isinstance(focus, rdflib.BNode) else str(focus)
        messages = {}
        for message in results_graph.objects(node, SH.resultMessage):
            messages.setdefault(getattr(message, "language", None) or "", str(message))
        results.append(
            Result(
                focus=focus_text,
                severity=SEVERITIES.get(results_graph.value(node, SH.resultSeverity), "Violation"),
                messages=messages,
                path=_path_text(results_graph, results_graph.value(node, SH.resultPath)),
                value=_term_text(results_graph.value(node, SH.value)),
                shape=_term_text(results_graph.value(node, SH.sourceShape)),
                constraint=_term_text(results_graph.value(node, SH.sourceConstraintComponent)),
                sources=sources_of(kg, focus_text),
            )
        )
    results.sort(key=lambda r: (r.focus, r.severity != "Violation", r.path or "", r.message(), r.value or ""))
    return Report(results=tuple(results), results_graph=results_graph.serialize(format="turtle"))
