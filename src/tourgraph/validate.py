"""Validation of a project's graph: the SHACL engine (``tourgraph.shacl``) and the project's own checks,
turned into a report grouped by entity, each result naming the file and line where the entity is
described."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from . import shacl
from .errors import InputError
from .graph import KnowledgeGraph, compact, to_rdflib
from .load import parse_file
from .project import Project

log = logging.getLogger(__name__)
SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
_WORDS = {
    "en": {"conforms": "conforms", "passes": "no violation", "fails": "does not conform", "counts": "{v} violation(s), {w} warning(s)",
           "none": "no source file", "value": "value"},
    "fr": {"conforms": "conforme", "passes": "aucune violation", "fails": "non conforme", "counts": "{v} violation(s), {w} avertissement(s)",
           "none": "aucun fichier source", "value": "valeur"},
}


@dataclass(frozen=True)
class Result:
    """One validation result as users read it; ``finding`` keeps the engine's terms for the SHACL report."""

    focus: str
    severity: str
    messages: dict
    path: str | None = None
    value: str | None = None
    shape: str | None = None
    constraint: str | None = None
    sources: tuple = ()
    finding: object = field(default=None, compare=False, repr=False)

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.messages.get("") or self.messages.get("en") or next(iter(self.messages.values()), self.constraint or "")

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
    # (shape, reason) pairs validated by the complete engine rather than compiled.
    fallback: tuple = ()
    shapes: object = field(default=None, compare=False, repr=False)

    @property
    def violation_count(self) -> int:
        return sum(1 for r in self.results if r.severity == "Violation")

    @property
    def warning_count(self) -> int:
        return len(self.results) - self.violation_count

    @property
    def conforms(self) -> bool:
        """SHACL's sh:conforms: no result at all, whatever its severity."""
        return not self.results

    @property
    def passes(self) -> bool:
        """No violation (warnings and infos allowed): what build and the exit code require."""
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
                "entities": [{"focus": focus, "results": [r.to_dict() for r in results]} for focus, results in self.by_focus().items()],
                "complete_engine": [{"shape": str(shape), "reason": reason} for shape, reason in self.fallback],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        """The report as a SHACL validation report graph (sh:ValidationReport)."""
        findings = [r.finding if r.finding is not None else _as_finding(r) for r in self.results]
        graph = shacl.report_graph(findings, self.shapes if self.shapes is not None else rdflib.Graph())
        graph.bind("sh", SH)
        return graph.serialize(format="turtle")

    def to_text(self, lang: str = "en") -> str:
        words = _WORDS.get(lang, _WORDS["en"])
        lines = []
        for focus, results in self.by_focus().items():
            where = ", ".join(f"{f}:{line}" if line else f for f, line in results[0].sources) or words["none"]
            lines.append(f"{focus}  ({where})")
            shown = set()
            for r in results:
                path = f" {r.path}" if r.path else ""
                value = f" [{words['value']}: {r.value}]" if r.value is not None else ""
                line = f"  {r.severity}{path}: {r.message(lang)}{value}"
                # Two components of one shape often share its message: say it once.
                if line not in shown:
                    shown.add(line)
                    lines.append(line)
        verdict = words["conforms"] if self.conforms else words["passes"] if self.passes else words["fails"]
        lines.append(f"{verdict}: {words['counts'].format(v=self.violation_count, w=self.warning_count)}.")
        return "\n".join(lines)


def _as_finding(result: Result):
    """A Result made by a project check (not the SHACL engine) as an engine finding, for the report graph."""
    focus = ox.BlankNode(result.focus[2:]) if result.focus.startswith("_:") else ox.NamedNode(result.focus)
    severity = next((iri for iri, name in SEVERITIES.items() if name == result.severity), result.severity)
    return shacl.Finding(focus, severity, result.constraint or "", None, tuple(result.messages.items()))


def load_shapes(project: Project) -> rdflib.Graph:
    """All shape files under shapes/ as one rdflib graph; syntax errors name the file and line."""
    files = project.rdf_files("shapes")
    if not files:
        raise InputError("no shapes: add SHACL files under shapes/.", path=project.relpath(project.folder("shapes")),
                         fr="aucune forme : ajoutez des fichiers SHACL sous shapes/.")
    quads = []
    for path in files:
        quads += parse_file(path, project.base, ox.NamedNode(project.base + "graph/shapes"), project.relpath(path))
    return to_rdflib(quads)


def _text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, (ox.BlankNode, rdflib.BNode)):
        return f"_:{term.value if isinstance(term, ox.BlankNode) else term}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def _path_text(shapes: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return compact(str(path))
    from .shacl.terms import path_sparql

    return path_sparql(shapes, path)


def sources_of(kg: KnowledgeGraph, focus) -> tuple:
    """The files (and lines) where an entity is described, or else first named."""
    if isinstance(focus, str):
        focus = ox.BlankNode(focus[2:]) if focus.startswith("_:") else ox.NamedNode(focus)
    if isinstance(focus, ox.Literal):
        return ()
    places = kg.index.places(focus) if kg.index is not None else ()
    if places:
        return tuple(dict.fromkeys((p.file, p.line) for p in places))
    source = kg.source_for_graph(focus.value) if isinstance(focus, ox.NamedNode) else None
    return ((source.relpath, None),) if source is not None else ()


def _result(kg: KnowledgeGraph, shapes: rdflib.Graph, finding) -> Result:
    return Result(
        focus=_text(finding.focus),
        severity=SEVERITIES.get(finding.severity, compact(finding.severity)),
        messages=dict(finding.messages) or {"en": compact(finding.component)},
        path=_path_text(shapes, finding.path),
        value=_text(finding.value),
        shape=_text(finding.shape),
        constraint=finding.component,
        sources=sources_of(kg, finding.focus),
        finding=finding,
    )


def validate(kg: KnowledgeGraph, shapes: rdflib.Graph, project: Project | None = None) -> Report:
    """Validate a (materialised) graph against the shapes, and the project's own checks when ``project``
    is given; the input is not changed. A SHACL failure (an ill-formed shape) is an InputError."""
    try:
        outcome = shacl.validate(kg.store, shapes, shacl.Written(kg.written))
    except shacl.ShapeFailure as exc:
        raise InputError(f"the shapes cannot be used: {exc}", path="shapes/", fr=f"les formes sont inutilisables : {exc}") from None
    if outcome.fallback:
        shapes_and_reasons = "; ".join(sorted({f"{compact(str(shape))} ({reason})" for shape, reason in outcome.fallback}))
        log.warning("%d shape(s) checked by the complete engine (pyshacl-turbo, slower), not the compiled one: %s",
                    len(outcome.fallback), shapes_and_reasons)
    results = [_result(kg, shapes, finding) for finding in outcome.findings]
    if project is not None:
        from .diagnostics import project_results

        results += project_results(kg, project)
    results.sort(key=lambda r: (r.focus, r.severity != "Violation", r.path or "", r.constraint or "", r.message(), r.value or ""))
    return Report(results=tuple(results), fallback=outcome.fallback, shapes=shapes)
