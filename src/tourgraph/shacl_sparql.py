"""SHACL-SPARQL constraints of node shapes, evaluated by Oxigraph over the whole graph at once.

pyshacl re-parses a constraint's query with rdflib for every focus node (about 0.2 s each), which
makes validation time grow with the number of entities. Here each constraint runs once: the shape's
targets are joined at the start of the query's WHERE group, which pre-binds $this as the SHACL
specification requires (so $this may also appear only inside FILTER NOT EXISTS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from .errors import InputError
from .sparql_guard import Refused, where_start


@dataclass(frozen=True)
class SparqlConstraint:
    shape: rdflib.term.Node
    node: rdflib.term.Node
    query: str
    messages: dict
    severity: rdflib.URIRef


def _prefix_block(shapes: rdflib.Graph, constraint) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _target_patterns(shapes: rdflib.Graph, shape) -> list[str]:
    patterns = [f"{{ ?this a <{c}> }}" for c in shapes.objects(shape, SH.targetClass)]
    if (shape, RDF.type, rdflib.RDFS.Class) in shapes:
        patterns.append(f"{{ ?this a <{shape}> }}")
    patterns += [f"{{ BIND(<{n}> AS ?this) }}" for n in shapes.objects(shape, SH.targetNode) if isinstance(n, rdflib.URIRef)]
    patterns += [f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{p}> ?any }} }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"{{ SELECT DISTINCT ?this WHERE {{ ?any <{p}> ?this }} }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return patterns


def _messages(shapes: rdflib.Graph, *nodes) -> dict:
    for node in nodes:
        messages = {getattr(m, "language", None) or "": str(m) for m in shapes.objects(node, SH.message)}
        if messages:
            return messages
    return {}


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """Take the SPARQL constraints of node shapes out of the shapes graph, compiled for Oxigraph.

    Returns the remaining shapes (for pyshacl) and the constraints; the input graph is not changed.
    """
    remaining = rdflib.Graph()
    for triple in shapes:
        remaining.add(triple)
    for prefix, namespace in shapes.namespaces():
        remaining.bind(prefix, namespace)
    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(shape, SH.path) is not None or shapes.value(constraint, SH.select) is None:
            continue
        remaining.remove((shape, SH.sparql, constraint))
        if shapes.value(constraint, SH.deactivated) == rdflib.Literal(True) or shapes.value(shape, SH.deactivated) == rdflib.Literal(True):
            continue
        patterns = _target_patterns(shapes, shape)
        if not patterns:
            continue
        select = re.sub(r"\$this\b", "?this", str(shapes.value(constraint, SH.select)))
        try:
            start = where_start(select)
        except Refused as exc:
            raise InputError(f"SPARQL constraint of shape {shape}: {exc.reason}") from None
        if start < 0:
            raise InputError(f"SPARQL constraint of shape {shape} has no WHERE group.")
        targets = " UNION ".join(patterns)
        query = f"{_prefix_block(shapes, constraint)}\n{select[:start]} {{ {targets} }} {select[start:]}"
        constraints.append(
            SparqlConstraint(
                shape=shape,
                node=constraint,
                query=query,
                messages=_messages(shapes, constraint, shape),
                severity=shapes.value(shape, SH.severity) or SH.Violation,
            )
        )
    return remaining, constraints


def _fill(template: str, row, variables) -> str:
    def replace(match):
        name = match.group(1)
        if name in variables and row[name] is not None:
            return row[name].value
        return match.group(0)

    return re.sub(r"\{[?$](\w+)\}", replace, template)


def evaluate(store: ox.Store, constraint: SparqlConstraint, extra_quads=()) -> list[dict]:
    """Run one constraint over the union graph; one dict per validation result."""
    results = store.query(constraint.query, use_default_graph_as_union=True)
    variables = {v.value for v in results.variables}
    found = []
    for row in results:
        if row["this"] is None:
            continue
        found.append(
            {
                "focus": row["this"],
                "path": row["path"] if "path" in variables else None,
                "value": row["value"] if "value" in variables else None,
                "messages": {lang: _fill(text, row, variables) for lang, text in constraint.messages.items()},
            }
        )
    return found
