"""void.ttl: a VoID description of the published dataset (size, class and property partitions,
SPARQL endpoint, dumps, licence), sorted so the same graph gives the same bytes."""

from __future__ import annotations

import pyoxigraph as ox

from ..graph import PREFIXES
from . import BuildContext

FORMATS = ("void.ttl",)

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
DUMPS = ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig")


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def _rows(store: ox.Store, sparql: str):
    return [tuple(row) for row in store.query(sparql, use_default_graph_as_union=True)]


def description(ctx: BuildContext) -> list[ox.Triple]:
    """The VoID triples for the context's graph and project."""
    project, store = ctx.project, ctx.graph.store
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
    totals = _rows(store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s) (COUNT(DISTINCT ?p) AS ?p) (COUNT(DISTINCT ?o) AS ?o) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")[0]
    classes = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER isIRI(?c) } GROUP BY ?c ORDER BY STR(?c)")
    properties = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p ORDER BY STR(?p)")
    add(VOID + "triples", _count(int(totals[0].value)))
    add(VOID + "distinctSubjects", _count(int(totals[1].value)))
    add(VOID + "properties", _count(int(totals[2].value)))
    add(VOID + "distinctObjects", _count(int(totals[3].value)))
    add(VOID + "classes", _count(len(classes)))
    for index, (cls, count) in enumerate(classes):
        node = ox.BlankNode(f"class{index:04d}")
        add(VOID + "classPartition", node)
        nodes += [ox.Triple(node, n(VOID + "class"), cls), ox.Triple(node, n(VOID + "entities"), _count(int(count.value)))]
    for index, (prop, count) in enumerate(properties):
        node = ox.BlankNode(f"property{index:04d}")
        add(VOID + "propertyPartition", node)
        nodes += [ox.Triple(node, n(VOID + "property"), prop), ox.Triple(node, n(VOID + "triples"), _count(int(count.value)))]
    graphs = _rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY STR(?g)")
    for graph, count in graphs:
        add(VOID + "subset", graph)
        nodes += [ox.Triple(graph, RDF_TYPE, n(VOID + "Dataset")), ox.Triple(graph, n(VOID + "triples"), _count(int(count.value)))]
    return triples + nodes


def write(ctx: BuildContext) -> None:
    prefixes = {"void": VOID, "dcterms": DCTERMS, "xsd": PREFIXES["xsd"], "schema": PREFIXES["schema"]}
    ox.serialize(description(ctx), str(ctx.path("void.ttl")), ox.RdfFormat.TURTLE, prefixes=prefixes)
