"""SHACL Core constraint components as SPARQL conditions.

``Conditions.conforms(shape, var)`` is a SPARQL boolean expression that holds when the node bound to
``var`` conforms to ``shape`` (used by sh:node, sh:not, sh:and, sh:or, sh:xone and qualified value
shapes); ``value_condition`` is the same for one value-level component. Property shapes nested in
such expressions become NOT EXISTS / EXISTS groups over their path, so any depth compiles to one query.
"""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import xsd
from .terms import Names, ShapeFailure, Unsupported, is_true, path_sparql, rdf_list, sparql_term

RDF_TYPE_PATH = f"{sparql_term(RDF.type)}/{sparql_term(RDFS.subClassOf)}*"
INVALID = "<urn:tourgraph:shacl:invalid>"

NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}

# Components whose parameter is checked value node by value node.
VALUE_COMPONENTS = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.languageIn, SH.pattern, SH["in"], SH.minLength, SH.maxLength,
    SH.node, SH["not"], SH["and"], SH["or"], SH.xone, *COMPARISONS,
})
# Predicates of a shape that are parameters of another component, or carry no constraint at all.
NOT_COMPONENTS = frozenset({
    RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.deactivated, SH.defaultValue,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.flags, SH.ignoredProperties,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.declare, SH.prefixes,
    SH.labelTemplate, SH.suggestedShapesGraph, SH.shapesGraph, SH.entailment,
    # A SPARQL constraint's own properties, on a shape that is its own constraint (sh:sparql itself).
    SH.select, SH.ask, SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator, SH.optional,
})
PROPERTY_ONLY = frozenset({SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape})


def datatype_condition(datatype, var: str) -> str:
    """The value is a literal of this datatype whose lexical form is in its lexical space."""
    term = sparql_term(datatype)
    check = f"(isLiteral({var}) && sameTerm(datatype({var}), {term})"
    if str(datatype) in xsd.CASTABLE:
        check += f" && isLiteral(COALESCE({term}(STR({var})), {INVALID}))"
    elif xsd.is_xsd(str(datatype)) and datatype != XSD.string:
        check += f" && {sparql_term(rdflib.URIRef(xsd.WELL_FORMED_FUNCTION.value))}({var})"
    return check + ")"


def _int(value, name: str) -> int:
    if not isinstance(value, rdflib.Literal) or not isinstance(value.toPython(), int):
        raise ShapeFailure(f"sh:{name} takes an integer, not {value.n3()}.")
    return int(value.toPython())


class Conditions:
    """Compiles components of one shapes graph; remembers nothing between calls but fresh names."""

    def __init__(self, shapes: rdflib.Graph, names: Names | None = None, custom_parameters: frozenset = frozenset()):
        self.shapes = shapes
        self.names = names or Names()
        # Parameters of the SPARQL-based constraint components the shapes graph declares.
        self.custom_parameters = custom_parameters

    def components(self, shape) -> list[tuple]:
        """(predicate, value) pairs of a shape that are constraint parameters, in a stable order."""
        found = []
        for predicate, value in sorted(self.shapes.predicate_objects(shape)):
            if predicate in NOT_COMPONENTS:
                continue
            if str(predicate).startswith(str(SH)) or predicate in self.custom_parameters:
                found.append((predicate, value))
        return found

    def is_property_shape(self, shape) -> bool:
        return self.shapes.value(shape, SH.path) is not None

    def path(self, shape) -> str:
        return path_sparql(self.shapes, self.shapes.value(shape, SH.path))

    # ------------------------------------------------------------ one value node

    def value_condition(self, predicate, value, var: str, shape, seen: frozenset) -> str:
        """The condition of one value-level component on the value node ``var``."""
        g = self.shapes
        if predicate == SH["class"]:
            return f"EXISTS {{ {var} {RDF_TYPE_PATH} {sparql_term(value)} }}"
        if predicate == SH.datatype:
            return datatype_condition(value, var)
        if predicate == SH.nodeKind:
            if value not in NODE_KINDS:
                raise ShapeFailure(f"sh:nodeKind {value.n3()} is not a SHACL node kind.")
            return NODE_KINDS[value].format(v=var)
        if predicate == SH.languageIn:
            tags = " || ".join(f"langMatches(lang({var}), {sparql_term(rdflib.Literal(str(t)))})" for t in rdf_list(g, value))
            return f"(isLiteral({var}) && ({tags or 'false'}))"
        if predicate == SH.pattern:
            flags = g.value(shape, SH.flags)
            extra = f", {sparql_term(rdflib.Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({var}) && COALESCE(REGEX(STR({var}), {sparql_term(rdflib.Literal(str(value)))}{extra}), false))"
        if predicate == SH["in"]:
            options = " || ".join(f"sameTerm({var}, {sparql_term(v)})" for v in rdf_list(g, value))
            return f"({options or 'false'})"
        if predicate in COMPARISONS:
            return f"COALESCE({var} {COMPARISONS[predicate]} {sparql_term(value)}, false)"
        if predicate in (SH.minLength, SH.maxLength):
            operator = ">=" if predicate == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {operator} {_int(value, 'minLength')})"
        if predicate == SH.node:
            return self.conforms(value, var, seen)
        if predicate == SH["not"]:
            return f"!{self.conforms(value, var, seen)}"
        if predicate in (SH["or"], SH["and"], SH.xone):
            # One EXISTS per alternative: Oxigraph evaluates a class path with an unbound end (VALUES
            # of the classes inside one EXISTS) far more slowly than several EXISTS with a bound one.
            members = [self.conforms(m, var, seen) for m in rdf_list(g, value)]
            if predicate == SH.xone:
                return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)" if members else "false"
            joiner = " || " if predicate == SH["or"] else " && "
            return "(" + joiner.join(members) + ")" if members else ("false" if predicate == SH["or"] else "true")
        raise Unsupported(f"{predicate.n3()} as a value-level component")

    # ------------------------------------------------------------ whole shapes

    def conforms(self, shape, var: str, seen: frozenset = frozenset()) -> str:
        """A SPARQL expression true when the node in ``var`` conforms to ``shape``."""
        if shape in seen:
            raise Unsupported(f"the recursive shape {shape.n3()} (SHACL leaves recursion undefined)")
        if is_true(self.shapes.value(shape, SH.deactivated)):
            return "true"
        seen = seen | {shape}
        parts = []
        if self.is_property_shape(shape):
            parts += self._property_conditions(shape, var, seen)
        else:
            for predicate, value in self.components(shape):
                parts.append(self.node_condition(predicate, value, var, shape, seen))
            for nested in sorted(self.shapes.objects(shape, SH.property)):
                parts.append(self.conforms(nested, var, seen))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def node_condition(self, predicate, value, var: str, shape, seen: frozenset) -> str:
        """One component of a node shape, whose only value node is the focus node ``var``."""
        if predicate in VALUE_COMPONENTS:
            return self.value_condition(predicate, value, var, shape, seen)
        if predicate == SH.hasValue:
            return f"sameTerm({var}, {sparql_term(value)})"
        if predicate == SH.property:
            return "true"  # handled by conforms()
        if predicate == SH.closed:
            return self.closed_condition(shape, var, value) if is_true(value) else "true"
        if predicate in (SH.equals, SH.disjoint):
            other = self.names.fresh("o")
            if predicate == SH.equals:
                return (f"(NOT EXISTS {{ {var} {sparql_term(value)} {other} FILTER(!sameTerm({other}, {var})) }}"
                        f" && EXISTS {{ {var} {sparql_term(value)} {var} }})")
            return f"NOT EXISTS {{ {var} {sparql_term(value)} {var} }}"
        if predicate in PROPERTY_ONLY:
            raise ShapeFailure(f"the node shape {shape.n3()} has {predicate.n3()}, which only property shapes may have.")
        raise Unsupported(f"{predicate.n3()} on the node shape {shape.n3()}")

    def closed_condition(self, shape, var: str, value) -> str:
        predicate, obj = self.names.fresh("p"), self.names.fresh("o")
        allowed = self.allowed_properties(shape)
        test = f"FILTER(!({predicate} IN ({', '.join(allowed)})))" if allowed else ""
        return f"NOT EXISTS {{ {var} {predicate} {obj} {test} }}"

    def allowed_properties(self, shape) -> list[str]:
        g = self.shapes
        allowed = {g.value(p, SH.path) for p in g.objects(shape, SH.property)}
        for ignored in g.objects(shape, SH.ignoredProperties):
            allowed |= set(rdf_list(g, ignored))
        return sorted(sparql_term(p) for p in allowed if isinstance(p, rdflib.URIRef))

    def _property_conditions(self, shape, var: str, seen: frozenset) -> list[str]:
        """Conditions of a property shape's components at the focus node ``var``."""
        path = self.path(shape)
        parts = []
        for predicate, value in self.components(shape):
            x = self.names.fresh("x")
            if predicate in VALUE_COMPONENTS:
                condition = self.value_condition(predicate, value, x, shape, seen)
                parts.append(f"NOT EXISTS {{ {var} {path} {x} FILTER(!({condition})) }}")
            elif predicate == SH.property:
                if self.is_property_shape(value):
                    parts.append(f"NOT EXISTS {{ {var} {path} {x} FILTER(!({self.conforms(value, x, seen)})) }}")
            elif predicate == SH.minCount:
                parts.append(self._count_condition(var, path, x, ">=", _int(value, "minCount")))
            elif predicate == SH.maxCount:
                parts.append(self._count_condition(var, path, x, "<=", _int(value, "maxCount")))
            elif predicate == SH.hasValue:
                parts.append(f"EXISTS {{ {var} {path} {x} FILTER(sameTerm({x}, {sparql_term(value)})) }}")
            elif predicate == SH.uniqueLang:
                if is_true(value):
                    y = self.names.fresh("y")
                    parts.append(f"NOT EXISTS {{ {var} {path} {x}, {y} FILTER(!sameTerm({x}, {y}) && lang({x}) != \"\" && lang({x}) = lang({y})) }}")
            elif predicate in (SH.equals, SH.disjoint):
                other = sparql_term(value)
                if predicate == SH.disjoint:
                    parts.append(f"NOT EXISTS {{ {var} {path} {x} . {var} {other} {x} }}")
                else:
                    parts.append(f"NOT EXISTS {{ {var} {path} {x} FILTER NOT EXISTS {{ {var} {other} {x} }} }}")
                    parts.append(f"NOT EXISTS {{ {var} {other} {x} FILTER NOT EXISTS {{ {var} {path} {x} }} }}")
            elif predicate in PAIRS:
                y = self.names.fresh("y")
                parts.append(f"NOT EXISTS {{ {var} {path} {x} . {var} {sparql_term(value)} {y} FILTER(!COALESCE({x} {PAIRS[predicate]} {y}, false)) }}")
            elif predicate == SH.qualifiedValueShape:
                parts += self._qualified_conditions(shape, value, var, path, seen)
            elif predicate == SH.closed:
                if is_true(value):
                    parts.append(f"NOT EXISTS {{ {var} {path} {x} FILTER(!{self.closed_condition(shape, x, value)}) }}")
            else:
                raise Unsupported(f"{predicate.n3()} on the property shape {shape.n3()}")
        return parts

    def _count_condition(self, var: str, path: str, x: str, operator: str, n: int) -> str:
        # EXISTS over a sub-select that projects the focus variable: correct however the engine
        # substitutes the outer binding, because the join on the focus variable does it anyway.
        if operator == ">=":
            if n <= 0:
                return "true"
            if n == 1:
                return f"EXISTS {{ {var} {path} {x} }}"
            return f"EXISTS {{ SELECT {var} WHERE {{ {var} {path} {x} }} GROUP BY {var} HAVING (COUNT(DISTINCT {x}) >= {n}) }}"
        if n == 0:
            return f"NOT EXISTS {{ {var} {path} {x} }}"
        if n == 1:
            y = self.names.fresh("y")
            return f"NOT EXISTS {{ {var} {path} {x}, {y} FILTER(!sameTerm({x}, {y})) }}"
        return f"NOT EXISTS {{ SELECT {var} WHERE {{ {var} {path} {x} }} GROUP BY {var} HAVING (COUNT(DISTINCT {x}) > {n}) }}"

    def qualified_filter(self, shape, qualified, x: str, seen: frozenset) -> str:
        """The value ``x`` conforms to the qualified shape (and, if asked, to none of its siblings)."""
        condition = self.conforms(qualified, x, seen)
        if is_true(self.shapes.value(shape, SH.qualifiedValueShapesDisjoint)):
            for sibling in self.siblings(shape):
                condition += f" && !{self.conforms(sibling, x, seen)}"
        return condition

    def siblings(self, shape) -> list:
        """The qualified value shapes of the other property shapes of the same parents (SHACL 4.7.3)."""
        g = self.shapes
        own = set(g.objects(shape, SH.qualifiedValueShape))
        found = set()
        for parent in g.subjects(SH.property, shape):
            for sibling_shape in g.objects(parent, SH.property):
                found |= set(g.objects(sibling_shape, SH.qualifiedValueShape))
        return sorted(found - own)

    def _qualified_conditions(self, shape, qualified, var: str, path: str, seen: frozenset) -> list[str]:
        g = self.shapes
        x = self.names.fresh("q")
        test = self.qualified_filter(shape, qualified, x, seen)
        parts = []
        low, high = g.value(shape, SH.qualifiedMinCount), g.value(shape, SH.qualifiedMaxCount)
        body = f"{var} {path} {x} FILTER({test})"
        if low is not None and _int(low, "qualifiedMinCount") > 0:
            parts.append(f"EXISTS {{ SELECT {var} WHERE {{ {body} }} GROUP BY {var} HAVING (COUNT(DISTINCT {x}) >= {_int(low, 'qualifiedMinCount')}) }}")
        if high is not None:
            parts.append(f"NOT EXISTS {{ SELECT {var} WHERE {{ {body} }} GROUP BY {var} HAVING (COUNT(DISTINCT {x}) > {_int(high, 'qualifiedMaxCount')}) }}")
        return parts
