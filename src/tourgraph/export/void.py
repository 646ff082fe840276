"""void.ttl: a VoID description of the published dataset (size, class and property partitions,
SPARQL endpoint, dumps, licence), sorted so the same graph gives the same bytes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from ..graph import PREFIXES
from . import BuildContext
from .rdf import GRAPH_LINES, UNION_LINES, graph_lines, union_lines

FORMATS = ("void.ttl",)

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
DUMPS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig")


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


@dataclass(frozen=True)
class Counts:
    triples: int
    subjects: int
    properties: dict  # predicate IRI -> distinct triples
    objects: int
    classes: dict  # class IRI -> distinct instances
    graphs: dict  # graph IRI -> triples


def counts(graphs: dict[bytes, list[bytes]], union: list[bytes] | None = None) -> Counts:
    """The VoID figures from canonical N-Triples lines (``rdf.graph_lines``, and ``rdf.union_lines`` of
    them when the dumps made it already): a line is subject, predicate and object separated by spaces,
    and neither a subject nor a predicate holds a space."""
    union = union_lines(graphs) if union is None else union
    # A million lines at scale: split once, then each figure counted at C speed.
    parts = [line.split(b" ", 2) for line in union]
    rdf_type = f"<{RDF_TYPE.value}>".encode()
    instances: dict = {}
    for subject, predicate, rest in parts:
        if predicate == rdf_type and rest.startswith(b"<"):
            instances.setdefault(rest[:-2], set()).add(subject)
    iri = lambda term: term[1:-1].decode("utf-8")
    return Counts(
        triples=len(union),
        subjects=len({subject for subject, _, _ in parts}),
        objects=len({rest[:-2] for _, _, rest in parts}),
        properties={iri(p): n for p, n in Counter(predicate for _, predicate, _ in parts).items()},
        classes={iri(c): len(s) for c, s in instances.items()},
        graphs={iri(g): len(lines) for g, lines in graphs.items()},
    )


def description(ctx: BuildContext) -> list[ox.Triple]:
    """The VoID triples for the context's graph and project."""
    project = ctx.project
    n = ox.NamedNode
    dataset = n(project.base + "void.ttl#dataset")
    triples = [ox.Triple(dataset, RDF_TYPE, n(VOID + "Dataset"))]
    # Other nodes' triples go after the dataset's, so Turtle groups each subject in one block.
    nodes: list[ox.Triple] = []
    add = lambda p, o: triples.append(ox.Triple(dataset, n(p), o))
    for lang, text in sorted(project.title.items()):
        add(DCTERMS + "title", ox.Literal(text, language=lang))
    for lang, text in sorted(project.description.items()):
        add(DCTERMS + "description", ox.Literal(text, language=lang))
    add(DCTERMS + "license", n(project.licence["iri"]))
    publisher = project.config.get("publisher", {}).get("iri")
    if publisher:
        add(DCTERMS + "publisher", n(project.iri(publisher)))
    add(VOID + "uriSpace", ox.Literal(project.base))
    add(VOID + "vocabulary", n(PREFIXES["schema"]))
    add(VOID + "sparqlEndpoint", n(project.base + "sparql"))
    add(VOID + "rootResource", n(project.base))
    for dump in DUMPS:
        if (ctx.out / dump).is_file():
            add(VOID + "dataDump", n(project.base + dump))
    figures = counts(ctx.extra.get(GRAPH_LINES) or graph_lines(ctx.graph), ctx.extra.get(UNION_LINES))
    add(VOID + "triples", _count(figures.triples))
    add(VOID + "distinctSubjects", _count(figures.subjects))
    add(VOID + "properties", _count(len(figures.properties)))
    add(VOID + "distinctObjects", _count(figures.objects))
    add(VOID + "classes", _count(len(figures.classes)))
    for index, cls in enumerate(sorted(figures.classes)):
        node = ox.BlankNode(f"class{index:04d}")
        add(VOID + "classPartition", node)
        nodes += [ox.Triple(node, n(VOID + "class"), n(cls)), ox.Triple(node, n(VOID + "entities"), _count(figures.classes[cls]))]
    for index, prop in enumerate(sorted(figures.properties)):
        node = ox.BlankNode(f"property{index:04d}")
        add(VOID + "propertyPartition", node)
        nodes += [ox.Triple(node, n(VOID + "property"), n(prop)), ox.Triple(node, n(VOID + "triples"), _count(figures.properties[prop]))]
    for graph in sorted(figures.graphs):
        add(VOID + "subset", n(graph))
        nodes += [ox.Triple(n(graph), RDF_TYPE, n(VOID + "Dataset")), ox.Triple(n(graph), n(VOID + "triples"), _count(figures.graphs[graph]))]
    return triples + nodes


def write(ctx: BuildContext) -> None:
    prefixes = {"void": VOID, "dcterms": DCTERMS, "xsd": PREFIXES["xsd"], "schema": PREFIXES["schema"]}
    ox.serialize(description(ctx), str(ctx.path("void.ttl")), ox.RdfFormat.TURTLE, prefixes=prefixes)
