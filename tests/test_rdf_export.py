"""The dumps: same triples in every format, read by independent parsers, byte-identical rebuilds."""

import json

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic, to_isomorphic

from tourgraph.build import build


def _graph(path, fmt):
    return rdflib.Graph().parse(path, format=fmt)


def test_every_dump_holds_the_same_triples(dist, checked):
    nt = _graph(dist / "graph.nt", "nt")
    assert len(nt) == len({q.triple for q in checked.graph.quads()})
    assert isomorphic(nt, _graph(dist / "graph.ttl", "turtle"))
    trig = rdflib.Dataset()
    trig.parse(dist / "graph.trig", format="trig")
    union = rdflib.Graph()
    for s, p, o, _ in trig.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(nt, union)
    assert isomorphic(nt, _graph(dist / "graph.jsonld", "json-ld"))


def test_trig_has_one_graph_per_source_with_provenance(dist, checked):
    trig = rdflib.Dataset()
    trig.parse(dist / "graph.trig", format="trig")
    names = {str(g.identifier) for g in trig.graphs() if len(g)}
    assert {s.graph for s in checked.graph.sources} <= names
    prov = rdflib.URIRef("http://purl.org/dc/terms/source")
    for source in checked.graph.sources:
        if source.role == "data":
            graph = trig.graph(rdflib.URIRef(source.graph))
            assert graph.value(rdflib.URIRef(source.graph), prov) is not None, source.relpath


def test_pyld_reads_the_jsonld_without_fetching(dist, checked):
    from pyld import jsonld

    def no_fetch(url, options=None):
        raise AssertionError(f"pyld tried to load {url}")

    document = json.loads((dist / "graph.jsonld").read_text())
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_fetch})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nquads")
    assert isomorphic(from_pyld, _graph(dist / "graph.nt", "nt"))
    context = json.loads((dist / "context.jsonld").read_text())
    assert context["@context"]["schema"] == "https://schema.org/"


def test_building_twice_gives_identical_bytes(project, tmp_path, dist):
    again = tmp_path / "again"
    build(project, again)
    first = {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, different


def test_turtle_is_readable_with_prefixes(dist):
    text = (dist / "graph.ttl").read_text()
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "schema:name" in text


def test_dumps_and_tables_keep_literals_as_the_sources_write_them(project_copy, tmp_path):
    """Oxigraph's store keeps "49.1940" as "49.194" and "3"^^xsd:byte as an xsd:integer; dist/ does not."""
    from tourgraph.build import build
    from tourgraph.project import open_project

    geo = project_copy / "data" / "tours" / "2026-hauts-de-france" / "places-geo.ttl"
    assert '"49.1940"^^xsd:decimal' in geo.read_text()
    out = tmp_path / "dist"
    build(open_project(project_copy), out)
    for name in ("graph.nt", "graph.ttl", "graph.trig", "graph.jsonld"):
        assert "49.1940" in (out / name).read_text(encoding="utf-8"), name
    triples = set((out / "graph.nt").read_text(encoding="utf-8").splitlines())
    assert not any('"49.194"^^' in line for line in triples)
    places = next((out / "opendata").rglob("places*.csv")).read_text(encoding="utf-8")
    assert "49.1940" in places
