"""SHACL-SPARQL: SPARQL-based constraints and constraint components.

Each query is parsed by rdflib's SPARQL parser to enforce what SHACL forbids (MINUS, SERVICE, VALUES,
``AS`` a pre-bound variable, sub-selects hiding a pre-bound variable) before anything runs: a query
of a shape can never make a request. Pre-binding is done by Oxigraph: the query runs as
``{ focus nodes } LATERAL { the query }``, and Oxigraph evaluates the right side of a LATERAL with
each left solution as its starting bindings, which binds $this in every group, filter and sub-select
as SHACL's pre-binding (appendix A) asks, provided the query lists $this (and any other pre-bound
variable it uses) in its projection; Oxigraph substitutes the other pre-bound variables. A query it
cannot run that way (``SELECT *``, a pre-bound variable it does not return, an ASK validator, a
PREFIX of its own) is left to the complete engine.
"""

from __future__ import annotations

import itertools
import re

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.plugins.sparql.parserutils import CompValue

from .. import sparql_guard as guard
from . import verdicts
from .checks import Check
from .messages import default_messages, messages_of
from .terms import ShapeFailure, Unsupported, is_true, path_sparql, to_ox

_PATH_VARIABLE = re.compile(r"[?$]PATH\b")
_FORBIDDEN = {"MinusGraphPattern": "MINUS", "ServiceGraphPattern": "SERVICE", "InlineData": "VALUES", "ValuesClause": "VALUES"}


def _variables(node) -> set[str]:
    found = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, rdflib.Variable):
            found.add(str(item))
        elif isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return found


def _field(node: CompValue, key: str):
    # CompValue.get returns the key itself for a missing key.
    return node[key] if key in node else None


def _projected(select: CompValue) -> set[str] | None:
    """Variables a SELECT projects; None for SELECT *."""
    projection = _field(select, "projection")
    if not projection:
        return None
    return {str(_field(v, "evar") or _field(v, "var")) for v in projection}


def analyse(text: str, prefixes: int, prebound: frozenset[str]) -> dict:
    """What SHACL's restrictions say of a query (``text``: the prologue of ``prefixes`` declarations,
    then the query): ``{"variables": [...]}``, or ``{"failure": message}`` (a shape that cannot be used)
    or ``{"unsupported": message}`` (a query left to the complete engine), the message naming its shape
    as ``{owner}``. A pure function of its arguments, so ``verdicts`` may keep it between runs."""
    try:
        # The guard's reading: the text as Oxigraph reads it (escapes, line ends), so that nothing
        # Oxigraph would run (a SERVICE) hides from the checks below.
        prologue, query = guard.parse(text)
    except guard.Refused as exc:
        return {"failure": "the SPARQL query of {owner} cannot be used: " + exc.reason}
    # rdflib's reading knows some prefixes (xsd:, rdf:) undeclared; Oxigraph, which runs the query, does not.
    declared = {d.get("prefix") or "" for d in prologue if d.name == "PrefixDecl"}
    undeclared = sorted({n.get("prefix") or "" for n in guard.nodes(query) if n.name == "pname"} - declared)
    if undeclared:
        return {"failure": f"the SPARQL query of {{owner}} uses the prefix {undeclared[0]}: without declaring it "
                           "(with sh:declare in the shapes' sh:prefixes, or PREFIX in the query)."}
    variables = _variables(query)
    used = prebound & variables
    unsupported = []
    # Every restriction of SHACL is checked before anything is left to another engine.
    for node in guard.nodes(query):
        if node.name in _FORBIDDEN:
            return {"failure": f"the SPARQL query of {{owner}} uses {_FORBIDDEN[node.name]}, which SHACL forbids in shapes."}
        if node.name == "Bind" and str(_field(node, "var")) in prebound:
            return {"failure": f"the SPARQL query of {{owner}} binds the pre-bound variable ?{_field(node, 'var')} with AS."}
        for item in (_field(node, "projection") or ()) if node.name in ("SubSelect", "SelectQuery") else ():
            if _field(item, "evar") is not None and str(_field(item, "evar")) in prebound:
                return {"failure": f"the SPARQL query of {{owner}} binds the pre-bound variable ?{_field(item, 'evar')} with AS."}
        if node.name == "SubSelect":
            projected = _projected(node)
            if projected is None:
                unsupported.append("a sub-select with SELECT *")
                continue
            hidden = (used | {"this"}) - {"shapesGraph", "currentShape"} - projected
            if hidden:
                return {"failure": f"a sub-select in the SPARQL query of {{owner}} does not return ?{sorted(hidden)[0]}."}
    projected = _projected(query)
    # The declarations beyond the prologue's own (one per prefix) are the query's own.
    for what in (
        unsupported[0] if unsupported else None,
        "a SPARQL query with PREFIX or BASE declarations of its own" if len(prologue) > prefixes else None,
        "an ASK validator" if query.name != "SelectQuery" else None,
        "SELECT * (the pre-bound variables must be listed)" if projected is None else None,
        f"a pre-bound variable (?{sorted(used - projected)[0]}) the SELECT does not return" if projected is not None and used - projected else None,
    ):
        if what is not None:
            return {"unsupported": what + ", in {owner}"}
    return {"variables": sorted(variables)}


class SparqlQuery:
    """One sh:select or sh:ask text with its prefixes, checked against SHACL's restrictions (``analyse``)."""

    def __init__(self, text: str, prefixes: dict[str, str], prebound: set[str], owner: str):
        self.body = text
        self.prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
        self.owner = owner
        found = verdicts.analysis(analyse, self.prologue + text, len(prefixes), frozenset(prebound))
        if "failure" in found:
            raise ShapeFailure(found["failure"].replace("{owner}", owner))
        if "unsupported" in found:
            raise Unsupported(found["unsupported"].replace("{owner}", owner))
        self.variables = set(found["variables"])
        self.used = prebound & self.variables

    def lateral(self, focus: str) -> str:
        """The query correlated with the focus nodes: ``{ focus } LATERAL { query }``."""
        return f"{self.prologue}SELECT * WHERE {{ {focus} LATERAL {{ {self.body} }} }}"


def prefixes_of(shapes: rdflib.Graph, node, owner: str) -> dict[str, str]:
    """The prefix mappings of sh:prefixes/owl:imports*/sh:declare (read in the shapes graph, never fetched)."""
    found: dict[str, str] = {}
    seen = set()
    todo = list(shapes.objects(node, SH.prefixes))
    while todo:
        holder = todo.pop()
        if holder in seen:
            continue
        seen.add(holder)
        todo += list(shapes.objects(holder, OWL.imports))
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise ShapeFailure(f"a prefix declaration of {owner} lacks sh:prefix or sh:namespace.")
            if found.get(str(prefix), str(namespace)) != str(namespace):
                raise ShapeFailure(f"the prefix {prefix}: of {owner} is declared with two namespaces.")
            found[str(prefix)] = str(namespace)
    return found


def _instance_of(shapes: rdflib.Graph, node, cls) -> bool:
    types = set(shapes.objects(node, RDF.type))
    seen = set()
    while types:
        t = types.pop()
        if t == cls:
            return True
        if t not in seen:
            seen.add(t)
            types |= set(shapes.objects(t, RDFS.subClassOf))
    return False


class SparqlChecks:
    """Builds the Checks of sh:sparql constraints and of declared SPARQL-based constraint components."""

    def __init__(self, shapes: rdflib.Graph, names):
        self.g = shapes
        self.names = names
        self.components = self._declared_components()

    @property
    def parameters(self) -> frozenset:
        return frozenset(p for params in self.components.values() for p, _ in params)

    def _declared_components(self) -> dict:
        g = self.g
        components = {}
        for node in set(g.subjects(RDF.type, None)):
            if node in (SH.ConstraintComponent,) or not _instance_of(g, node, SH.ConstraintComponent):
                continue
            if str(node).startswith(str(SH)):
                continue
            params = []
            for parameter in g.objects(node, SH.parameter):
                path = g.value(parameter, SH.path)
                if not isinstance(path, rdflib.URIRef):
                    raise ShapeFailure(f"a parameter of the constraint component {node.n3()} has no IRI sh:path.")
                params.append((path, is_true(g.value(parameter, SH.optional))))
            components[node] = sorted(params)
        return components

    def _owner(self, node) -> str:
        return node.n3(self.g.namespace_manager) if isinstance(node, rdflib.URIRef) else "a shape"

    def _path_text(self, shape, text: str) -> str:
        if self.g.value(shape, SH.path) is None:
            return text
        return _PATH_VARIABLE.sub(lambda _: path_sparql(self.g, self.g.value(shape, SH.path)), text)

    def _select_check(self, shape, query: SparqlQuery, focus, *, component, severity, messages, constraint,
                      constants: tuple) -> Check:
        if "shapesGraph" in query.used:
            # The shapes are not a graph of the data's dataset here.
            raise Unsupported(f"$shapesGraph, in {query.owner}")
        used = tuple((n, t) for n, t in constants if n in query.used)
        return Check(shape, str(component), query.lateral(focus.p), severity, messages, self.g.value(shape, SH.path),
                     "default", constraint, used, True)

    def constraint_checks(self, shape, constraint, focus, severity: str) -> list[Check]:
        g = self.g
        if is_true(g.value(constraint, SH.deactivated)):
            return []
        owner = self._owner(shape)
        selects = list(g.objects(constraint, SH.select))
        if len(selects) != 1:
            raise ShapeFailure(f"a SPARQL constraint of {owner} has {len(selects)} sh:select values (exactly one is needed).")
        prebound = {"this", "shapesGraph", "currentShape"}
        query = SparqlQuery(self._path_text(shape, str(selects[0])), prefixes_of(g, constraint, owner), prebound, owner)
        messages = messages_of(g, constraint) or messages_of(g, shape) or default_messages(g, SH.sparql, None)
        return [self._select_check(shape, query, focus, component=SH.SPARQLConstraintComponent, severity=severity,
                                   messages=messages, constraint=constraint, constants=self._current(shape))]

    def _current(self, shape) -> tuple:
        return (("currentShape", to_ox(shape)),)

    def component_checks(self, shape, focus, severity: str) -> list[Check]:
        """Checks of every declared component whose mandatory parameters the shape has values for."""
        checks = []
        for component, params in sorted(self.components.items()):
            mandatory = [p for p, optional in params if not optional]
            if not mandatory or any(self.g.value(shape, p) is None for p in mandatory):
                continue
            choices = [[(p, v) for v in sorted(self.g.objects(shape, p))] or [(p, None)] for p, _ in params]
            for combination in itertools.product(*choices):
                bound = tuple((str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], to_ox(v)) for p, v in combination if v is not None)
                checks += self._component_check(shape, component, focus, severity, bound)
        return checks

    def _validator(self, shape, component):
        g = self.g
        specific = SH.propertyValidator if g.value(shape, SH.path) is not None else SH.nodeValidator
        for predicate in (specific, SH.validator):
            for validator in sorted(g.objects(component, predicate)):
                if predicate == SH.validator and not _instance_of(g, validator, SH.SPARQLAskValidator):
                    continue
                if predicate != SH.validator and not _instance_of(g, validator, SH.SPARQLSelectValidator) and g.value(validator, SH.select) is None:
                    continue
                return validator
        return None

    def _component_check(self, shape, component, focus, severity: str, bound: tuple) -> list[Check]:
        g = self.g
        validator = self._validator(shape, component)
        if validator is None:
            return []
        owner = self._owner(component)
        names = {name for name, _ in bound}
        prebound = {"this", "shapesGraph", "currentShape"} | names
        if g.value(validator, SH.ask) is not None:
            # Checked for what SHACL forbids, then left to the complete engine (raises either way).
            SparqlQuery(str(g.value(validator, SH.ask)), prefixes_of(g, validator, owner), prebound | {"value"}, owner)
        messages = messages_of(g, validator) or messages_of(g, component) or messages_of(g, shape) or default_messages(g, SH.sparql, None)
        prefixes = prefixes_of(g, validator, owner)
        constants = self._current(shape) + bound
        query = SparqlQuery(self._path_text(shape, str(g.value(validator, SH.select))), prefixes, prebound, owner)
        return [self._select_check(shape, query, focus, component=component, severity=severity, messages=messages,
                                   constraint=None, constants=constants)]
