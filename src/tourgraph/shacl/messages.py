"""Result messages: the shapes' own sh:message values, else a default per component (English, French)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

DEFAULTS = {
    "class": ("Value is not an instance of {p}", "La valeur n'est pas une instance de {p}"),
    "datatype": ("Value is not a well-formed literal of datatype {p}", "La valeur n'est pas un littéral bien formé de type {p}"),
    "nodeKind": ("Value is not of node kind {p}", "La valeur n'est pas de la nature {p}"),
    "languageIn": ("Language tag not in the allowed list {p}", "Étiquette de langue hors de la liste {p}"),
    "pattern": ("Value does not match the pattern {p}", "La valeur ne suit pas le motif {p}"),
    "in": ("Value is not one of the allowed values {p}", "La valeur n'est pas une des valeurs permises {p}"),
    "minCount": ("Fewer than {p} values", "Moins de {p} valeurs"),
    "maxCount": ("More than {p} values", "Plus de {p} valeurs"),
    "uniqueLang": ("More than one value with the same language tag", "Plus d'une valeur dans la même langue"),
    "or": ("Value does not conform to any of the alternative shapes", "La valeur ne respecte aucune des formes possibles"),
    "and": ("Value does not conform to every shape", "La valeur ne respecte pas toutes les formes"),
    "not": ("Value conforms to a shape it must not conform to", "La valeur respecte une forme interdite"),
    "xone": ("Value does not conform to exactly one shape", "La valeur ne respecte pas exactement une des formes"),
    "node": ("Value does not conform to the shape {p}", "La valeur ne respecte pas la forme {p}"),
    "hasValue": ("Missing required value {p}", "Valeur requise absente : {p}"),
    "minInclusive": ("Value is not >= {p}", "La valeur n'est pas >= {p}"),
    "maxInclusive": ("Value is not <= {p}", "La valeur n'est pas <= {p}"),
    "minExclusive": ("Value is not > {p}", "La valeur n'est pas > {p}"),
    "maxExclusive": ("Value is not < {p}", "La valeur n'est pas < {p}"),
    "minLength": ("Value is shorter than {p} characters", "La valeur compte moins de {p} caractères"),
    "maxLength": ("Value is longer than {p} characters", "La valeur compte plus de {p} caractères"),
    "lessThan": ("Value is not < the value of {p}", "La valeur n'est pas < la valeur de {p}"),
    "lessThanOrEquals": ("Value is not <= the value of {p}", "La valeur n'est pas <= la valeur de {p}"),
    "equals": ("Values differ from those of {p}", "Les valeurs diffèrent de celles de {p}"),
    "disjoint": ("Value is also a value of {p}", "La valeur est aussi une valeur de {p}"),
    "closed": ("Property {p} is not allowed on a closed shape", "Propriété {p} interdite par une forme fermée"),
    "qualifiedMinCount": ("Fewer than {p} values conform to the qualified shape", "Moins de {p} valeurs respectent la forme qualifiée"),
    "qualifiedMaxCount": ("More than {p} values conform to the qualified shape", "Plus de {p} valeurs respectent la forme qualifiée"),
    "sparql": ("SPARQL constraint violated", "Contrainte SPARQL non respectée"),
}


def messages_of(shapes: rdflib.Graph, node) -> tuple:
    """(language, text) pairs of a node's sh:message values ("" for a message without language)."""
    return tuple(sorted((getattr(m, "language", None) or "", str(m)) for m in shapes.objects(node, SH.message)))


def _shown(shapes: rdflib.Graph, value) -> str:
    if isinstance(value, rdflib.URIRef):
        return shapes.namespace_manager.normalizeUri(value) if "#" in value or "/" in value else str(value)
    if isinstance(value, rdflib.BNode):
        return "[…]"
    return str(value)


def default_messages(shapes: rdflib.Graph, predicate, value) -> tuple:
    name = str(predicate).rsplit("#", 1)[-1]
    english, french = DEFAULTS.get(name, (name, name))
    shown = _shown(shapes, value)
    return (("en", english.format(p=shown)), ("fr", french.format(p=shown)))


_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def term_text(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def fill(messages: tuple, values: dict) -> tuple:
    """Replace {?name} and {$name} with the string of the value bound to name (left as is when unbound)."""

    def replace(match):
        term = values.get(match.group(1))
        return term_text(term) if term is not None else match.group(0)

    return tuple((lang, _VARIABLE.sub(replace, text)) for lang, text in messages)
