"""Findings as a SHACL validation report graph (sh:ValidationReport), as the spec writes it."""

from __future__ import annotations

import rdflib
import rdflib.collection
from rdflib.namespace import RDF, SH

from .fallback import quiet_rdflib
from .terms import rdf_list, to_rdflib_term


def _copy_path(shapes: rdflib.Graph, path, report: rdflib.Graph):
    """The path in the report as SHACL reads it (a list first, then one path form), copied fresh for
    each result so that no two results share a blank node."""
    if not isinstance(path, rdflib.BNode):
        return path
    copy = rdflib.BNode()
    if (path, RDF.first, None) in shapes:
        members = [_copy_path(shapes, m, report) for m in rdf_list(shapes, path)]
        rdflib.collection.Collection(report, copy, members)
        return copy
    for predicate in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        inner = shapes.value(path, predicate)
        if inner is not None:
            report.add((copy, predicate, _copy_path(shapes, inner, report)))
            return copy
    return copy


def report_graph(findings, shapes: rdflib.Graph) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(not findings)))
    with quiet_rdflib():
        for finding in findings:
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, to_rdflib_term(finding.focus)))
            graph.add((node, SH.resultSeverity, rdflib.URIRef(finding.severity)))
            graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(finding.component)))
            if finding.shape is not None:
                graph.add((node, SH.sourceShape, finding.shape))
            if finding.path is not None:
                graph.add((node, SH.resultPath, _copy_path(shapes, finding.path, graph)))
            if finding.value is not None:
                graph.add((node, SH.value, to_rdflib_term(finding.value)))
            if finding.constraint is not None:
                graph.add((node, SH.sourceConstraint, finding.constraint))
            for lang, text in finding.messages:
                graph.add((node, SH.resultMessage, rdflib.Literal(text, lang=lang or None)))
    return graph
