"""The SPARQL service description (sd:Service) of the endpoint: protocol, result formats, and the
dataset with its named graphs and triple count, serialised by Oxigraph."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from ..graph import PREFIXES

SD = "http://www.w3.org/ns/sparql-service-description#"
SD_PREFIXES = {"sd": SD, "void": "http://rdfs.org/ns/void#", "dcterms": "http://purl.org/dc/terms/", "rdf": PREFIXES["rdf"]}
FORMATS_W3C = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD")
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def service_description(endpoint: str, graphs: tuple[str, ...], triples: int, sources: dict[str, str]) -> list[ox.Triple]:
    """An sd:Service for this endpoint: protocol, formats, and the dataset with its named graphs."""
    n = ox.NamedNode
    rdf_type = n(PREFIXES["rdf"] + "type")
    me = n(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    description = [
        ox.Triple(me, rdf_type, n(SD + "Service")),
        ox.Triple(me, n(SD + "endpoint"), me),
        ox.Triple(me, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(me, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
        ox.Triple(me, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, n(SD + "Graph")),
        ox.Triple(default, n("http://rdfs.org/ns/void#triples"), ox.Literal(str(triples), datatype=n(PREFIXES["xsd"] + "integer"))),
    ]
    description += [ox.Triple(me, n(SD + "resultFormat"), n(FORMATS_W3C + name)) for name in RESULT_FORMATS]
    for index, graph in enumerate(sorted(graphs)):
        node = ox.BlankNode(f"namedGraph{index}")
        description += [
            ox.Triple(dataset, n(SD + "namedGraph"), node),
            ox.Triple(node, rdf_type, n(SD + "NamedGraph")),
            ox.Triple(node, n(SD + "name"), n(graph)),
        ]
        if graph in sources:
            description.append(ox.Triple(node, n("http://purl.org/dc/terms/source"), ox.Literal(sources[graph])))
    return description


@lru_cache(maxsize=32)
def _serialised(endpoint: str, fmt: str, graphs: tuple[str, ...], triples: int, sources: tuple[tuple[str, str], ...]) -> bytes:
    # Keyed by the endpoint's URL as the client named it (Host header), so bounded.
    description = service_description(endpoint, graphs, triples, dict(sources))
    if fmt == "turtle":
        return ox.serialize(description, format=ox.RdfFormat.TURTLE, prefixes=SD_PREFIXES)
    return ox.serialize(description, format=_RDF_FORMATS[fmt])


def serialised_description(endpoint: str, fmt: str, dataset: dict, sources: dict[str, str]) -> bytes:
    """The service description in Turtle, N-Triples or JSON-LD, made once per endpoint URL and format."""
    graphs = tuple(dataset["graphs"])
    relevant = tuple(sorted((g, sources[g]) for g in graphs if g in sources))
    return _serialised(endpoint, fmt, graphs, dataset["triples"], relevant)
