"""The complete engine for the shapes the compiler leaves over: pyshacl-turbo (a Rust SHACL engine
with pySHACL's API; 120/120 on the W3C suite). It reads an rdflib copy of the data with every
literal as written in the sources, and only the left-over shapes keep their targets."""

from __future__ import annotations

import contextlib
import logging

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from .checks import TARGET_PREDICATES, is_implicit_class, targeted_shapes
from .terms import ShapeFailure, to_ox, to_rdflib_term


@contextlib.contextmanager
def quiet_rdflib():
    """rdflib logs a traceback for every ill-typed literal it meets; an ill-typed literal is data here."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def exact_graph(store: ox.Store, written) -> rdflib.Graph:
    """The union of the store's graphs as rdflib triples, literals as written in the sources."""
    graph = rdflib.Graph()
    with quiet_rdflib():
        for quad in store.quads_for_pattern(None, None, None, None):
            triple = (quad.subject, quad.predicate, quad.object)
            objects = written.by_quad.get(triple, (quad.object,)) if written else (quad.object,)
            s, p = to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate)
            for obj in objects:
                graph.add((s, p, to_rdflib_term(obj)))
    return graph


def leftover_graph(shapes: rdflib.Graph, keep: set) -> rdflib.Graph:
    """The shapes graph where only the shapes in ``keep`` are targeted."""
    others = set(targeted_shapes(shapes)) - keep
    graph = rdflib.Graph()
    for triple in shapes:
        subject, predicate, obj = triple
        if subject in others and (predicate in TARGET_PREDICATES or predicate == SH.target):
            continue
        if subject in others and predicate == RDF.type and obj == RDFS.Class and is_implicit_class(shapes, subject):
            continue
        graph.add(triple)
    return graph


def findings(store: ox.Store, shapes: rdflib.Graph, keep: set, written, finding_type) -> list:
    """Results of pyshacl-turbo for the shapes in ``keep``, as ``finding_type`` records."""
    import pyshacl_turbo

    data = exact_graph(store, written)
    try:
        with quiet_rdflib():
            _, report, _ = pyshacl_turbo.validate(
                data, shacl_graph=leftover_graph(shapes, keep), inference="none", advanced=True, do_owl_imports=False
            )
    except Exception as exc:  # pyshacl-turbo reports ill-formed shapes as exceptions of its own
        raise ShapeFailure(f"the complete SHACL engine failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    if not isinstance(report, rdflib.Graph):
        # A SHACL failure (pyshacl's ValidationFailure): the shapes ask for something SHACL forbids.
        raise ShapeFailure(f"the complete SHACL engine reports a failure: {getattr(report, 'message', report)}")
    nested = set(report.objects(None, SH.detail))
    found = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        if node in nested:
            continue
        shape = report.value(node, SH.sourceShape)
        messages = tuple(sorted((getattr(m, "language", None) or "", str(m)) for m in report.objects(node, SH.resultMessage)))
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        if not isinstance(path, rdflib.URIRef):
            # A blank-node path is the shape's own sh:path, whose structure is in the shapes graph.
            path = shapes.value(shape, SH.path) if shape is not None and path is not None else None
        found.append(finding_type(
            focus=to_ox(report.value(node, SH.focusNode)),
            severity=str(report.value(node, SH.resultSeverity) or SH.Violation),
            component=str(report.value(node, SH.sourceConstraintComponent)),
            shape=shape,
            messages=messages,
            path=path,
            value=None if value is None else to_ox(value),
            constraint=report.value(node, SH.sourceConstraint),
        ))
    return found
