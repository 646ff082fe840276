"""Targeted shapes as checks: one SPARQL SELECT per constraint component, whose rows are the
validation results over the whole data graph (SHACL Core; SHACL-SPARQL is in sparql.py)."""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from .conditions import PAIRS, PROPERTY_ONLY, RDF_TYPE_PATH, VALUE_COMPONENTS, Conditions, _int
from .messages import default_messages, messages_of
from .terms import ShapeFailure, Unsupported, is_true, sparql_term

REWRITTEN_FUNCTION = "urn:tourgraph:shacl:rewritten"
# Components whose verdict on a literal depends on how it is written (its datatype or lexical form).
_WRITTEN_SENSITIVE = VALUE_COMPONENTS - {SH["class"], SH.nodeKind}


@dataclass(frozen=True)
class Check:
    """One constraint component of one shape as a query; each row of ``query`` is one result.

    ``value`` says where sh:value comes from: "row" (the ?value column), "focus" (the focus node) or
    "none", or "default" (SHACL-SPARQL: ?value, else the focus node of a node shape). ``written`` is the
    (predicate, value) of a value-level component to re-check in Python on literals as written in the
    source, where the store holds them normalised. ``substitutions`` are pre-bound constants (Oxigraph
    substitutions).
    """

    shape: object
    component: str
    query: str
    severity: str
    messages: tuple
    path: object = None
    value: str = "row"
    constraint: object = None
    substitutions: tuple = ()
    templated: bool = False
    written: tuple | None = None
    # Several checks may share one query (one scan for the components of a property shape): ``keep``
    # then says which rows are this check's: ("false", var, rewritten) rows where ?var is false (or, if
    # ``rewritten``, whose value the store rewrote), ("less", n) / ("more", n) rows whose ?count is.
    keep: tuple | None = None

    @property
    def label(self) -> str:
        return f"{self.shape.n3() if hasattr(self.shape, 'n3') else self.shape} {self.component.rsplit('#', 1)[-1]}"


def component_iri(predicate) -> str:
    name = str(predicate).rsplit("#", 1)[-1]
    return f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"


TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def is_implicit_class(shapes: rdflib.Graph, shape) -> bool:
    return (shape, RDF.type, RDFS.Class) in shapes and any(
        (shape, RDF.type, kind) in shapes for kind in (SH.NodeShape, SH.PropertyShape)
    )


def targeted_shapes(shapes: rdflib.Graph) -> list:
    targeted = {s for p in TARGET_PREDICATES for s in shapes.subjects(p, None)}
    targeted |= {s for s in shapes.subjects(RDF.type, RDFS.Class) if is_implicit_class(shapes, s)}
    return sorted(s for s in targeted if not is_true(shapes.value(s, SH.deactivated)))


def focus_pattern(shapes: rdflib.Graph, shape, rewritten_literal) -> Focus:
    """A group binding ?this to each focus node of the shape's targets, once."""
    alternatives = [f"{{ ?this {RDF_TYPE_PATH} {sparql_term(c)} }}" for c in sorted(shapes.objects(shape, SH.targetClass))]
    if is_implicit_class(shapes, shape):
        alternatives.append(f"{{ ?this {RDF_TYPE_PATH} {sparql_term(shape)} }}")
    nodes = sorted(shapes.objects(shape, SH.targetNode))
    for node in nodes:
        if isinstance(node, rdflib.BNode):
            raise Unsupported(f"the blank node {node.n3()} as a target node")
        if isinstance(node, rdflib.Literal) and rewritten_literal(node):
            raise Unsupported(f"the target node {node.n3()}, which the store would rewrite")
    if nodes:
        alternatives.append("{ VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " } }")
    alternatives += [f"{{ ?this {sparql_term(p)} ?_any }}" for p in sorted(shapes.objects(shape, SH.targetSubjectsOf))]
    alternatives += [f"{{ ?_any {sparql_term(p)} ?this }}" for p in sorted(shapes.objects(shape, SH.targetObjectsOf))]
    if shapes.value(shape, SH.target) is not None:
        raise Unsupported("sh:target (SHACL Advanced Features targets)")
    return Focus("{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(alternatives) + " } }")


@dataclass(frozen=True)
class Focus:
    """A group binding ?this to the focus nodes of a shape (``p``), and the variables (``k``) a check
    projects with ?this so that a node validated twice (the value of two parents) gives its results
    twice, as SHACL does."""

    p: str
    k: str = ""


def values_focus(parent: Focus, path: str, names) -> Focus:
    """The value nodes of a property shape whose focus nodes ``parent`` binds, one per parent."""
    var = names.fresh("f")
    pattern = f"{{ SELECT DISTINCT ?this {var}{parent.k} WHERE {{ {{ SELECT (?this AS {var}){parent.k} WHERE {{ {parent.p} }} }} {var} {path} ?this }} }}"
    return Focus(pattern, f"{parent.k} {var}")


class CoreChecks:
    """Builds the Checks of SHACL Core components; ``sparql`` builds those of SHACL-SPARQL."""

    def __init__(self, conditions: Conditions, sparql, rewritten: frozenset, focus_rewritten: bool):
        self.c = conditions
        self.g = conditions.shapes
        self.sparql = sparql
        # Predicates whose literal values the store rewrote, and whether a focus node may be one.
        self.rewritten = rewritten
        self.focus_rewritten = focus_rewritten

    def _sensitive(self, predicate, path) -> bool:
        if predicate not in _WRITTEN_SENSITIVE:
            return False
        if path is None:
            return self.focus_rewritten
        return bool(self.rewritten) and (not isinstance(path, rdflib.URIRef) or path in self.rewritten)

    def severity(self, shape) -> str:
        severity = self.g.value(shape, SH.severity)
        if severity is None:
            return str(SH.Violation)
        if not isinstance(severity, rdflib.URIRef):
            raise ShapeFailure(f"the sh:severity of {shape.n3()} must be an IRI.")
        return str(severity)

    def make(self, shape, predicate, value, query: str, *, path=None, value_from="row", written=False, keep=None) -> Check:
        component = component_iri(predicate)
        messages = messages_of(self.g, shape) or default_messages(self.g, predicate, value)
        sensitive = written and self._sensitive(predicate, path)
        return Check(shape, component, query, self.severity(shape), messages, path, value_from,
                     written=(predicate, value) if sensitive else None, keep=keep)

    def _value_filter(self, condition: str, var: str, predicate, path=None) -> str:
        # Values the store rewrote are re-checked as written; the query returns them all.
        if self._sensitive(predicate, path):
            return f"FILTER(!({condition}) || (isLiteral({var}) && <{REWRITTEN_FUNCTION}>({var})))"
        return f"FILTER(!({condition}))"

    def checks(self, shape, focus: Focus) -> list[Check]:
        """Every Check of a shape whose focus nodes ``focus`` binds to ?this."""
        if is_true(self.g.value(shape, SH.deactivated)):
            return []
        if self.c.is_property_shape(shape):
            return self.property_checks(shape, focus)
        return self.node_checks(shape, focus)

    def node_checks(self, shape, focus: Focus) -> list[Check]:
        checks = []
        for predicate, value in self.c.components(shape):
            if predicate in VALUE_COMPONENTS:
                condition = self.c.value_condition(predicate, value, "?this", shape, frozenset({shape}))
                query = f"SELECT DISTINCT ?this{focus.k} WHERE {{ {focus.p} {self._value_filter(condition, '?this', predicate)} }}"
                checks.append(self.make(shape, predicate, value, query, value_from="focus", written=True))
            elif predicate == SH.hasValue:
                query = f"SELECT DISTINCT ?this{focus.k} WHERE {{ {focus.p} FILTER(!sameTerm(?this, {sparql_term(value)})) }}"
                checks.append(self.make(shape, predicate, value, query, value_from="none"))
            elif predicate == SH.closed:
                if is_true(value):
                    checks.append(self.closed_check(shape, value, focus, "?this"))
            elif predicate == SH.equals:
                other = sparql_term(value)
                # Each branch of the UNION binds the focus itself: a branch is evaluated on its own.
                query = (f"SELECT DISTINCT ?this ?value{focus.k} WHERE {{ {{ {focus.p} ?this {other} ?value FILTER(!sameTerm(?value, ?this)) }} "
                         f"UNION {{ {focus.p} FILTER NOT EXISTS {{ ?this {other} ?this }} BIND(?this AS ?value) }} }}")
                checks.append(self.make(shape, predicate, value, query))
            elif predicate == SH.disjoint:
                query = f"SELECT DISTINCT ?this (?this AS ?value){focus.k} WHERE {{ {focus.p} ?this {sparql_term(value)} ?this }}"
                checks.append(self.make(shape, predicate, value, query))
            elif predicate == SH.property:
                checks += self.checks(value, focus)
            elif predicate == SH.sparql:
                checks += self.sparql.constraint_checks(shape, value, focus, self.severity(shape))
            elif predicate in self.c.custom_parameters:
                continue
            elif predicate in PROPERTY_ONLY:
                raise ShapeFailure(f"the node shape {shape.n3()} has {predicate.n3()}, which only property shapes may have.")
            else:
                raise Unsupported(f"{predicate.n3()} on the node shape {shape.n3()}")
        return checks + self.sparql.component_checks(shape, focus, self.severity(shape))

    def closed_check(self, shape, value, focus: Focus, value_node: str, path_pattern: str = "") -> Check:
        allowed = self.c.allowed_properties(shape)
        test = f"FILTER(!(?path IN ({', '.join(allowed)})))" if allowed else ""
        query = f"SELECT ?this ?path ?value{focus.k} WHERE {{ {focus.p} {path_pattern} {value_node} ?path ?value {test} }}"
        return self.make(shape, SH.closed, value, query)

    def property_checks(self, shape, focus: Focus) -> list[Check]:
        g = self.g
        path_node = g.value(shape, SH.path)
        path = self.c.path(shape)
        components = self.c.components(shape)
        checks = self.value_checks(shape, focus, path, path_node, [(p, v) for p, v in components if p in VALUE_COMPONENTS])
        checks += self.count_checks(shape, focus, path, path_node, dict((p, v) for p, v in components if p in (SH.minCount, SH.maxCount)))
        for predicate, value in components:
            if predicate in VALUE_COMPONENTS or predicate in (SH.minCount, SH.maxCount):
                continue
            elif predicate == SH.uniqueLang:
                if is_true(value):
                    query = (f"SELECT DISTINCT ?this ?lang{focus.k} WHERE {{ {focus.p} ?this {path} ?a, ?b "
                             f"FILTER(!sameTerm(?a, ?b) && lang(?a) != \"\" && lang(?a) = lang(?b)) BIND(lang(?a) AS ?lang) }}")
                    checks.append(self.make(shape, predicate, value, query, path=path_node, value_from="none"))
            elif predicate == SH.hasValue:
                query = f"SELECT DISTINCT ?this{focus.k} WHERE {{ {focus.p} FILTER NOT EXISTS {{ ?this {path} {sparql_term(value)} }} }}"
                checks.append(self.make(shape, predicate, value, query, path=path_node, value_from="none"))
            elif predicate == SH.equals:
                other = sparql_term(value)
                query = (f"SELECT DISTINCT ?this ?value{focus.k} WHERE {{ {focus.p} "
                         f"{{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
                         f"{{ ?this {other} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
                checks.append(self.make(shape, predicate, value, query, path=path_node))
            elif predicate == SH.disjoint:
                query = f"SELECT DISTINCT ?this ?value{focus.k} WHERE {{ {focus.p} ?this {path} ?value . ?this {sparql_term(value)} ?value }}"
                checks.append(self.make(shape, predicate, value, query, path=path_node))
            elif predicate in PAIRS:
                query = (f"SELECT DISTINCT ?this ?value ?other{focus.k} WHERE {{ {focus.p} ?this {path} ?value . ?this {sparql_term(value)} ?other "
                         f"FILTER(!COALESCE(?value {PAIRS[predicate]} ?other, false)) }}")
                checks.append(self.make(shape, predicate, value, query, path=path_node))
            elif predicate == SH.qualifiedValueShape:
                checks += self.qualified_checks(shape, value, focus, path, path_node)
            elif predicate == SH.closed:
                if is_true(value):
                    checks.append(self.closed_check(shape, value, focus, "?_vn", f"?this {path} ?_vn ."))
            elif predicate == SH.property:
                checks += self.checks(value, values_focus(focus, path, self.c.names))
            elif predicate == SH.sparql:
                checks += self.sparql.constraint_checks(shape, value, focus, self.severity(shape))
            elif predicate in self.c.custom_parameters:
                continue
            else:
                raise Unsupported(f"{predicate.n3()} on the property shape {shape.n3()}")
        return checks + self.sparql.component_checks(shape, focus, self.severity(shape))

    def value_checks(self, shape, focus: Focus, path: str, path_node, components: list) -> list[Check]:
        """The value-level components of a property shape, in one scan of its values: each condition
        is bound to a variable, and a row is a result of every component whose variable is false."""
        if len(components) == 1:
            predicate, value = components[0]
            condition = self.c.value_condition(predicate, value, "?value", shape, frozenset({shape}))
            query = f"SELECT DISTINCT ?this ?value{focus.k} WHERE {{ {focus.p} ?this {path} ?value . {self._value_filter(condition, '?value', predicate, path_node)} }}"
            return [self.make(shape, predicate, value, query, path=path_node, written=True)]
        binds, tests, sensitive = [], [], []
        for number, (predicate, value) in enumerate(components):
            condition = self.c.value_condition(predicate, value, "?value", shape, frozenset({shape}))
            binds.append(f"BIND({condition} AS ?_c{number})")
            tests.append(f"!?_c{number}")
            sensitive.append(self._sensitive(predicate, path_node))
        if any(sensitive):
            tests.append(f"(isLiteral(?value) && <{REWRITTEN_FUNCTION}>(?value))")
        variables = " ".join(f"?_c{n}" for n in range(len(components)))
        query = (f"SELECT DISTINCT ?this ?value {variables}{focus.k} WHERE {{ {focus.p} ?this {path} ?value . "
                 f"{' '.join(binds)} FILTER({' || '.join(tests)}) }}")
        return [
            self.make(shape, predicate, value, query, path=path_node, written=True, keep=("false", f"_c{number}", sensitive[number]))
            for number, (predicate, value) in enumerate(components)
        ]

    def count_checks(self, shape, focus: Focus, path: str, path_node, counts: dict) -> list[Check]:
        """sh:minCount and sh:maxCount of a property shape, both from one count of its values."""
        low = _int(counts[SH.minCount], "minCount") if SH.minCount in counts else 0
        high = _int(counts[SH.maxCount], "maxCount") if SH.maxCount in counts else None
        tests = ([f"COUNT(DISTINCT ?v) < {low}"] if low > 0 else []) + ([f"COUNT(DISTINCT ?v) > {high}"] if high is not None else [])
        if not tests:
            return []
        values = f"OPTIONAL {{ ?this {path} ?v }}" if low > 0 else f"?this {path} ?v"
        query = (f"SELECT ?this (COUNT(DISTINCT ?v) AS ?count){focus.k} WHERE {{ {focus.p} {values} }} "
                 f"GROUP BY ?this{focus.k} HAVING ({' || '.join(tests)})")
        checks = []
        if low > 0:
            checks.append(self.make(shape, SH.minCount, counts[SH.minCount], query, path=path_node, value_from="none", keep=("less", low)))
        if high is not None:
            checks.append(self.make(shape, SH.maxCount, counts[SH.maxCount], query, path=path_node, value_from="none", keep=("more", high)))
        return checks

    def qualified_checks(self, shape, qualified, focus: Focus, path: str, path_node) -> list[Check]:
        g = self.g
        test = self.c.qualified_filter(shape, qualified, "?x", frozenset({shape}))
        checks = []
        low, high = g.value(shape, SH.qualifiedMinCount), g.value(shape, SH.qualifiedMaxCount)
        if low is not None:
            query = (f"SELECT ?this{focus.k} WHERE {{ {focus.p} OPTIONAL {{ ?this {path} ?x FILTER({test}) }} }} "
                     f"GROUP BY ?this{focus.k} HAVING (COUNT(DISTINCT ?x) < {_int(low, 'qualifiedMinCount')})")
            checks.append(self.make(shape, SH.qualifiedMinCount, low, query, path=path_node, value_from="none"))
        if high is not None:
            query = (f"SELECT ?this{focus.k} WHERE {{ {focus.p} ?this {path} ?x FILTER({test}) }} "
                     f"GROUP BY ?this{focus.k} HAVING (COUNT(DISTINCT ?x) > {_int(high, 'qualifiedMaxCount')})")
            checks.append(self.make(shape, SH.qualifiedMaxCount, high, query, path=path_node, value_from="none"))
        return checks
