"""SHACL compiled to SPARQL and evaluated by Oxigraph, one query per constraint over the whole graph.

pyshacl walks the graph node by node through rdflib (about 40 s for 100k triples with our shapes, and
it re-parses a SPARQL constraint's query for every focus node). Here each constraint of a targeted
shape becomes one SELECT whose rows are the validation results: the shape's targets are joined at the
start of the query, which pre-binds $this as SHACL requires. Shapes that use a feature this compiler
does not cover are left to pyshacl (see ``compile_shapes``), so validation stays complete; the tests
check that both engines report the same results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .errors import InputError
from .graph import compact
from .sparql_guard import Refused, where_start

# Datatypes whose lexical forms Oxigraph can check with a cast (an ill-formed literal fails the cast).
_CASTABLE = {str(XSD[name]) for name in ("boolean", "date", "dateTime", "decimal", "double", "float", "integer", "time")}
_INVALID = "<urn:tourgraph:invalid>"

# Predicates of a shape that carry no constraint of their own.
_IGNORED = {
    RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.flags, SH.defaultValue,
    RDFS.label, RDFS.comment, SH.path, SH.declare, SH.prefixes,
}

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}

DEFAULT_MESSAGES = {
    "Class": "Value is not an instance of {p}",
    "Datatype": "Value is not a well-formed literal of datatype {p}",
    "NodeKind": "Value is not of node kind {p}",
    "LanguageIn": "Language tag not in the allowed list",
    "Pattern": "Value does not match the pattern {p}",
    "In": "Value is not one of the allowed values",
    "MinCount": "Fewer than {p} values",
    "MaxCount": "More than {p} values",
    "UniqueLang": "More than one value with the same language tag",
    "Or": "Value does not conform to any of the alternative shapes",
    "And": "Value does not conform to every shape",
    "Not": "Value conforms to a shape it must not conform to",
    "Xone": "Value does not conform to exactly one shape",
    "Node": "Value does not conform to shape {p}",
    "HasValue": "Missing required value {p}",
    "MinInclusive": "Value is not >= {p}",
    "MaxInclusive": "Value is not <= {p}",
    "MinExclusive": "Value is not > {p}",
    "MaxExclusive": "Value is not < {p}",
    "MinLength": "Value is shorter than {p} characters",
    "MaxLength": "Value is longer than {p} characters",
    "LessThan": "Value is not < the value of {p}",
    "LessThanOrEquals": "Value is not <= the value of {p}",
    "Equals": "Values differ from those of {p}",
    "Disjoint": "Value is also a value of {p}",
    "SPARQL": "SPARQL constraint violated",
}


class Unsupported(Exception):
    """A shape feature this compiler leaves to pyshacl."""


@dataclass(frozen=True)
class Check:
    """One constraint as one SPARQL query; its rows (?this, ?value, ?path) are validation results."""

    shape: rdflib.term.Node
    component: str
    query: str
    messages: dict
    severity: rdflib.URIRef
    path: str | None = None
    substitute: bool = field(default=False, compare=False)


def _term(node) -> str:
    """A term in SPARQL syntax (N-Triples escaping, so no value can break out of the query)."""
    if isinstance(node, rdflib.URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        datatype = str(node.datatype) if node.datatype else str(XSD.string)
        return str(ox.Literal(str(node), datatype=ox.NamedNode(datatype)))
    raise Unsupported(f"blank node {node} as a constraint value")


def _list(shapes: rdflib.Graph, node) -> list:
    return list(Collection(shapes, node))


def path_sparql(shapes: rdflib.Graph, path) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, rdflib.URIRef):
        return _term(path)
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(path_sparql(shapes, p) for p in _list(shapes, path)) + ")"
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(path_sparql(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_sparql(shapes, p) for p in _list(shapes, alternatives)) + ")"
    raise Unsupported(f"path {path}")


def path_text(shapes: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return compact(str(path))
    return path_sparql(shapes, path)


class Compiler:
    """Turns a shapes graph into Checks; shapes it cannot compile are reported, not guessed."""

    def __init__(self, shapes: rdflib.Graph):
        self.shapes = shapes

    def focus_pattern(self, shape) -> str:
        g = self.shapes
        patterns = [f"{{ ?this a/{_term(RDFS.subClassOf)}* {_term(c)} }}" for c in g.objects(shape, SH.targetClass)]
        if (shape, RDF.type, RDFS.Class) in g:
            patterns.append(f"{{ ?this a/{_term(RDFS.subClassOf)}* {_term(shape)} }}")
        patterns += [f"{{ BIND({_term(n)} AS ?this) }}" for n in g.objects(shape, SH.targetNode)]
        patterns += [f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_term(p)} ?any }} }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        patterns += [f"{{ SELECT DISTINCT ?this WHERE {{ ?any {_term(p)} ?this }} }}" for p in g.objects(shape, SH.targetObjectsOf)]
        return " UNION ".join(patterns)

    def expression(self, shape, var: str, seen: frozenset = frozenset()) -> str:
        """A SPARQL boolean expression true when the node in ``var`` conforms to ``shape``."""
        g = self.shapes
        if shape in seen:
            raise Unsupported("recursive shape")
        if g.value(shape, SH.deactivated) == rdflib.Literal(True):
            return "true"
        parts = []
        for predicate, value in sorted(g.predicate_objects(shape)):
            if predicate in _IGNORED:
                continue
            parts.append(self.component(predicate, value, var, shape, seen | {shape}))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def component(self, predicate, value, var: str, shape, seen: frozenset) -> str:
        """One value-level constraint component as an expression over ``var``."""
        g = self.shapes
        if predicate == SH["class"]:
            return f"EXISTS {{ {var} a/{_term(RDFS.subClassOf)}* {_term(value)} }}"
        if predicate == SH.datatype:
            check = f"(isLiteral({var}) && datatype({var}) = {_term(value)}"
            if str(value) in _CASTABLE:
                check += f" && isLiteral(COALESCE({_term(value)}(STR({var})), {_INVALID}))"
            return check + ")"
        if predicate == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise Unsupported(f"node kind {value}")
            return _NODE_KINDS[value].format(v=var)
        if predicate == SH.languageIn:
            tags = " || ".join(f"langMatches(lang({var}), {_term(rdflib.Literal(str(t)))})" for t in _list(g, value))
            return f"(isLiteral({var}) && ({tags or 'false'}))"
        if predicate == SH.pattern:
            flags = g.value(shape, SH.flags)
            extra = f", {_term(rdflib.Literal(str(flags)))}" if flags else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_term(rdflib.Literal(str(value)))}{extra}))"
        if predicate == SH["in"]:
            options = " || ".join(f"sameTerm({var}, {_term(v)})" for v in _list(g, value))
            return f"({options or 'false'})"
        if predicate in _COMPARISONS:
            return f"COALESCE({var} {_COMPARISONS[predicate]} {_term(value)}, false)"
        if predicate in (SH.minLength, SH.maxLength):
            operator = ">=" if predicate == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {operator} {int(value)})"
        if predicate == SH.node:
            return self.expression(value, var, seen)
        if predicate == SH["not"]:
            return f"!{self.expression(value, var, seen)}"
        if predicate in (SH["or"], SH["and"], SH.xone):
            members = [self.expression(m, var, seen) for m in _list(g, value)]
            if predicate == SH.xone:
                return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)"
            joiner = " || " if predicate == SH["or"] else " && "
            return "(" + joiner.join(members) + ")" if members else ("false" if predicate == SH["or"] else "true")
        if predicate == SH.hasValue and not g.value(shape, SH.path):
            return f"sameTerm({var}, {_term(value)})"
        raise Unsupported(f"{predicate} inside a value shape")

    def checks_for(self, shape) -> list[Check]:
        """Every Check of a targeted node shape (its own constraints and its property shapes')."""
        g = self.shapes
        focus = self.focus_pattern(shape)
        severity = g.value(shape, SH.severity) or SH.Violation
        checks = []
        if g.value(shape, SH.path) is not None:
            checks += self.property_checks(shape, focus)
        else:
            for predicate, value in sorted(g.predicate_objects(shape)):
                if predicate in _IGNORED or predicate in (SH.property, SH.sparql):
                    continue
                if predicate in (SH.closed, SH.ignoredProperties):
                    raise Unsupported("sh:closed")
                condition = self.component(predicate, value, "?this", shape, frozenset({shape}))
                query = f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER(!({condition})) }}"
                checks.append(self.check(shape, predicate, value, query, severity))
            for property_shape in sorted(g.objects(shape, SH.property)):
                if g.value(property_shape, SH.deactivated) != rdflib.Literal(True):
                    checks += self.property_checks(property_shape, focus)
            for constraint in sorted(g.objects(shape, SH.sparql)):
                checks += self.sparql_check(shape, constraint, focus, severity)
        return checks

    def property_checks(self, shape, focus: str) -> list[Check]:
        g = self.shapes
        path_node = g.value(shape, SH.path)
        path = path_sparql(g, path_node)
        severity = g.value(shape, SH.severity) or SH.Violation
        shown = path_text(g, path_node)
        checks = []
        for predicate, value in sorted(g.predicate_objects(shape)):
            if predicate in _IGNORED:
                continue
            if predicate == SH.minCount:
                n = int(value)
                if n == 0:
                    continue
                query = (
                    f"SELECT ?this WHERE {{ {{ {focus} }} OPTIONAL {{ ?this {path} ?v }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
                )
            elif predicate == SH.maxCount:
                query = (
                    f"SELECT ?this WHERE {{ {{ {focus} }} ?this {path} ?v }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(value)})"
                )
            elif predicate == SH.uniqueLang:
                if value != rdflib.Literal(True):
                    continue
                query = (
                    f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b . "
                    f"FILTER(isLiteral(?a) && lang(?a) != \"\" && lang(?a) = lang(?b) && !sameTerm(?a, ?b)) }}"
                )
            elif predicate == SH.hasValue:
                query = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_term(value)} }} }}"
            elif predicate in _PAIRS:
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . ?this {_term(value)} ?other . "
                    f"FILTER(!COALESCE(?value {_PAIRS[predicate]} ?other, false)) }}"
                )
            elif predicate == SH.equals:
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
                    f"{{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {_term(value)} ?value }} }} UNION "
                    f"{{ ?this {_term(value)} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}"
                )
            elif predicate == SH.disjoint:
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . ?this {_term(value)} ?value }}"
            elif predicate in (SH.property, SH.sparql, SH.closed, SH.ignoredProperties, SH.qualifiedValueShape,
                               SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint):
                raise Unsupported(f"{predicate} on a property shape")
            else:
                condition = self.component(predicate, value, "?value", shape, frozenset({shape}))
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . FILTER(!({condition})) }}"
            checks.append(self.check(shape, predicate, value, query, severity, shown))
        return checks

    def sparql_check(self, shape, constraint, focus: str, severity) -> list[Check]:
        g = self.shapes
        if g.value(constraint, SH.deactivated) == rdflib.Literal(True):
            return []
        select = g.value(constraint, SH.select)
        if select is None:
            raise Unsupported("SPARQL constraint without sh:select")
        select = re.sub(r"\$this\b", "?this", str(select))
        try:
            start = where_start(select)
        except Refused as exc:
            raise InputError(f"SPARQL constraint of shape {shape}: {exc.reason}") from None
        if start < 0:
            raise InputError(f"SPARQL constraint of shape {shape} has no WHERE group.")
        prefixes = set()
        for holder in g.objects(constraint, SH.prefixes):
            for declaration in g.objects(holder, SH.declare):
                prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    prefixes.add(f"PREFIX {prefix}: <{namespace}>")
        query = "\n".join(sorted(prefixes)) + f"\n{select[:start]} {{ {focus} }} {select[start:]}"
        messages = _messages(g, constraint) or _messages(g, shape) or {"en": DEFAULT_MESSAGES["SPARQL"]}
        return [Check(shape, str(SH.SPARQLConstraintComponent), query, messages, severity, substitute=True)]

    def check(self, shape, predicate, value, query: str, severity, path: str | None = None) -> Check:
        name = str(predicate).rsplit("#", 1)[-1]
        name = name[0].upper() + name[1:]
        messages = _messages(self.shapes, shape)
        if not messages:
            shown = path_text(self.shapes, value) if isinstance(value, rdflib.URIRef) else str(value)
            messages = {"en": DEFAULT_MESSAGES.get(name, name).format(p=shown)}
        return Check(shape, f"{SH}{name}ConstraintComponent", query, messages, severity, path)


def _messages(shapes: rdflib.Graph, node) -> dict:
    return {getattr(m, "language", None) or "": str(m) for m in shapes.objects(node, SH.message)}


def _targeted(shapes: rdflib.Graph) -> list:
    targets = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p, None)}
    targets |= {s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, RDF.type, RDFS.Class) in shapes}
    return sorted(s for s in targets if shapes.value(s, SH.deactivated) != rdflib.Literal(True))


@dataclass(frozen=True)
class Compiled:
    checks: tuple[Check, ...]
    leftover: rdflib.Graph | None  # shapes for pyshacl, or None when every shape compiled


def compile_shapes(shapes: rdflib.Graph) -> Compiled:
    """Compile every targeted shape; the ones that cannot be compiled stay targeted in ``leftover``."""
    compiler = Compiler(shapes)
    checks: list[Check] = []
    unsupported = []
    for shape in _targeted(shapes):
        try:
            checks += compiler.checks_for(shape)
        except Unsupported:
            unsupported.append(shape)
    if not unsupported:
        return Compiled(tuple(checks), None)
    leftover = rdflib.Graph()
    compiled = set(_targeted(shapes)) - set(unsupported)
    target_predicates = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    for triple in shapes:
        subject, predicate, _ = triple
        if subject in compiled and predicate in target_predicates:
            continue
        leftover.add(triple)
    for shape in compiled:
        if (shape, RDF.type, RDFS.Class) in leftover:
            leftover.remove((shape, RDF.type, SH.NodeShape))
    return Compiled(tuple(checks), leftover)


def _fill(template: str, row, variables) -> str:
    def replace(match):
        name = match.group(1)
        if name in variables and row[name] is not None:
            return row[name].value
        return match.group(0)

    return re.sub(r"\{[?$](\w+)\}", replace, template)


def run_check(store: ox.Store, check: Check) -> list[dict]:
    """The results of one Check over the union graph."""
    results = store.query(check.query, use_default_graph_as_union=True)
    variables = {v.value for v in results.variables}
    found = []
    for row in results:
        focus = row["this"]
        if focus is None:
            continue
        path = check.path
        if "path" in variables and isinstance(row["path"], ox.NamedNode):
            path = compact(row["path"].value)
        messages = check.messages
        if check.substitute:
            messages = {lang: _fill(text, row, variables) for lang, text in messages.items()}
        found.append({"focus": focus, "value": row["value"] if "value" in variables else None, "path": path, "messages": messages})
    return found
