"""The W3C SHACL test suite (tests/w3c/shacl, see its SOURCES.md) read as its own document says:
manifests, data and shapes graphs, and reports compared as graphs restricted to the result
properties ("SHACL Test Suite and Implementation Report", section "Validate RDF data")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

SUITE = Path(__file__).resolve().parent / "w3c" / "shacl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
RESULT_PREDICATES = {
    SH.focusNode, SH.resultPath, SH.resultSeverity, SH.sourceConstraint, SH.sourceConstraintComponent,
    SH.sourceShape, SH.value,
}


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    file: Path
    data: Path
    shapes: Path
    failure: bool
    expected: rdflib.Graph | None

    @property
    def id(self) -> str:
        return self.name


def _path(base: Path, iri) -> Path:
    return Path(str(iri).removeprefix("file://"))


def _closure(graph: rdflib.Graph, node, into: rdflib.Graph) -> None:
    for p, o in graph.predicate_objects(node):
        into.add((node, p, o))
        if isinstance(o, rdflib.BNode):
            _closure(graph, o, into)


def _expected(manifest: rdflib.Graph, report) -> rdflib.Graph:
    expected = rdflib.Graph()
    for p, o in manifest.predicate_objects(report):
        expected.add((report, p, o))
    for result in manifest.objects(report, SH.result):
        for p, o in manifest.predicate_objects(result):
            expected.add((result, p, o))
            if p == SH.resultPath and isinstance(o, rdflib.BNode):
                _closure(manifest, o, expected)
    return expected


def cases(manifest_path: Path = SUITE / "manifest.ttl") -> list[Case]:
    """Every sht:Validate entry reachable from the root manifest through mf:include."""
    found = []
    graph = rdflib.Graph().parse(manifest_path, format="turtle", publicID=manifest_path.as_uri())
    for included in graph.objects(None, MF.include):
        found += cases(_path(manifest_path.parent, included))
    for entries in graph.objects(None, MF.entries):
        for entry in rdflib.collection.Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            relative = manifest_path.relative_to(SUITE).with_suffix("").as_posix()
            found.append(Case(
                name=relative,
                label=str(graph.value(entry, rdflib.RDFS.label) or relative),
                file=manifest_path,
                data=_path(manifest_path.parent, graph.value(action, SHT.dataGraph)),
                shapes=_path(manifest_path.parent, graph.value(action, SHT.shapesGraph)),
                failure=result == SHT.Failure,
                expected=None if result == SHT.Failure else _expected(graph, result),
            ))
    return sorted(found, key=lambda c: c.name)


def inputs(case: Case):
    """The data as tourgraph loads a source file (one named graph, literals as written kept aside), and
    the shapes graph; one parse when they are one file, so that the shapes' blank nodes are the data's."""
    from tourgraph.graph import to_rdflib
    from tourgraph.load import parse_source, rewritten
    from tourgraph.shacl import Written

    graph = ox.NamedNode(case.data.as_uri())
    data = parse_source(case.data, case.data.as_uri(), graph, case.data.name)
    shapes = data if case.shapes == case.data else parse_source(case.shapes, case.shapes.as_uri(), graph, case.shapes.name)
    store = ox.Store()
    store.bulk_extend(data.quads)
    return store, to_rdflib(shapes.quads), Written(rewritten(data.literals))


def cleaned(actual: rdflib.Graph, expected: rdflib.Graph) -> rdflib.Graph:
    """The actual report restricted as the suite's document says (result properties, expected messages)."""
    messages = set(expected.objects(None, SH.resultMessage))
    graph = rdflib.Graph()
    for report in actual.subjects(RDF.type, SH.ValidationReport):
        graph.add((report, RDF.type, SH.ValidationReport))
        for conforms in actual.objects(report, SH.conforms):
            graph.add((report, SH.conforms, rdflib.Literal(conforms.toPython())))
        for result in actual.objects(report, SH.result):
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            for p, o in actual.predicate_objects(result):
                if p in RESULT_PREDICATES or (p == SH.resultMessage and o in messages):
                    graph.add((result, p, o))
                    if p == SH.resultPath and isinstance(o, rdflib.BNode):
                        _closure(actual, o, graph)
    return graph


def normalised(graph: rdflib.Graph) -> rdflib.Graph:
    """Literals in rdflib's normal form on both sides: the expected graph is read by rdflib's Turtle
    parser, which normalises lexical forms ("2011-01-01"^^xsd:dateTime becomes "2011-01-01T00:00:00")."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if p == SH.conforms:
            o = rdflib.Literal(o.toPython())
        elif isinstance(o, rdflib.Literal):
            o = rdflib.Literal(str(o), lang=o.language, datatype=o.datatype)
        out.add((s, p, o))
    return out


def agrees(actual: rdflib.Graph, case: Case) -> bool:
    return isomorphic(normalised(cleaned(actual, case.expected)), normalised(case.expected))
