"""An example value for each field, in Turtle: taken from the example tour that `tourgraph new project`
writes (fictional data), else made from the field's constraints (a date for a date, an IRI of the right
kind for a link)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .fields import KINDS, Field, Kind, compact

TEMPLATE_BASE = "https://commission.example/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# How the templates write the IRIs of the graph's own entities.
LOCAL_PREFIXES = {"person": "person/", "org": "organization/", "place": "place/", "event": "event/", "doc": "document/",
                  "contact": "contact/", "kind": "https://tourgraph.example/ns/kind/"}


def template_root() -> Path:
    return Path(str(resources.files("tourgraph.new") / "project"))


def example_store() -> ox.Store:
    """The example tour and common files of the project template, read as a project reads them."""
    from ..load import parse_source

    store = ox.Store()
    data = template_root() / "data"
    for path in sorted(p for p in data.rglob("*") if p.suffix in (".ttl", ".csv")):
        display = path.relative_to(template_root()).as_posix()
        graph = ox.NamedNode(TEMPLATE_BASE + "graph/" + path.relative_to(data).with_suffix("").as_posix())
        store.bulk_extend(parse_source(path, TEMPLATE_BASE, graph, display).quads)
    return store


def term_text(term) -> str:
    """A term as a Turtle file of the templates writes it."""
    if isinstance(term, ox.NamedNode):
        value = term.value
        if value.startswith(TEMPLATE_BASE):
            local = value[len(TEMPLATE_BASE):]
            for prefix, namespace in LOCAL_PREFIXES.items():
                if local.startswith(namespace) and "/" not in local[len(namespace):]:
                    return f"{prefix}:{local[len(namespace):]}"
            return f"<{local}>"
        for prefix, namespace in LOCAL_PREFIXES.items():
            if namespace.startswith("https://") and value.startswith(namespace):
                return f"{prefix}:{value[len(namespace):]}"
        return compact(value)
    if isinstance(term, ox.Literal):
        text = term.value.replace("\\", "\\\\").replace('"', '\\"')
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value == XSD + "string":
            return f'"{text}"'
        if term.datatype.value in (XSD + "boolean", XSD + "integer", XSD + "decimal"):
            return term.value
        return f'"{text}"^^{compact(term.datatype.value)}'
    return "[ … ]"


class Examples:
    """Example values by (kind, property), found once in the example tour."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else example_store()

    def value(self, kind: Kind, entry: Field) -> str:
        found = []
        for cls in kind.classes:
            for typed in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), None):
                found += [q.object for q in self.store.quads_for_pattern(typed.subject, ox.NamedNode(entry.path), None, None)]
        if found:
            # A language-tagged text in French first, for the example to look like the data.
            found.sort(key=lambda t: (not (isinstance(t, ox.Literal) and t.language == "fr"), str(t)))
            return term_text(found[0])
        return fallback(entry)


def fallback(entry: Field) -> str:
    """An example made from the field's constraints, for a field the example tour does not use."""
    if entry.allowed:
        return term_text(ox.NamedNode(entry.allowed[0]))
    if entry.classes:
        spec = next((s for s in KINDS if entry.classes[0] in s.classes), None)
        return _PREFIX_OF_KIND.get(spec.key if spec else "", "<…>")
    samples = {XSD + "date": '"2026-03-22"^^xsd:date', XSD + "dateTime": '"2026-03-22T10:00:00"^^xsd:dateTime',
               XSD + "decimal": "50.668", XSD + "boolean": "false", XSD + "string": '"…"',
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString": '"…"@fr'}
    if entry.datatype in samples:
        return samples[entry.datatype]
    if entry.node_kind == "http://www.w3.org/ns/shacl#IRIOrLiteral":
        return "doc:…"
    if entry.node_kind == "http://www.w3.org/ns/shacl#IRI":
        return "<https://…>"
    return '"…"'


_PREFIX_OF_KIND = {"person": "person:…", "organization": "org:…", "place": "place:…", "event": "event:…", "article": "doc:…",
                   "contact": "contact:…", "concept": "kind:…", "address": "place:…-address", "geo": "place:…-geo"}
