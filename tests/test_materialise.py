import pyoxigraph as ox

from tourgraph.graph import RDF_TYPE, SCHEMA, TG
from tourgraph.load import load
from tourgraph.materialise import materialise


def test_super_properties_and_classes_are_stated(project):
    kg = load(project)
    before = len(kg)
    out = materialise(kg)
    assert len(kg) == before, "materialise must not change its input"
    attendee = ox.NamedNode(SCHEMA + "attendee")
    for quad in out.store.quads_for_pattern(None, ox.NamedNode(TG + "delegate"), None, None):
        assert ox.Quad(quad.subject, attendee, quad.object, quad.graph_name) in out.store
    visits = list(out.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(TG + "Visit"), None))
    assert visits
    for quad in visits:
        assert ox.Quad(quad.subject, RDF_TYPE, ox.NamedNode(SCHEMA + "Event"), quad.graph_name) in out.store


def test_inferred_triples_stay_in_their_source_graph(project):
    out = materialise(load(project))
    attendee = ox.NamedNode(SCHEMA + "attendee")
    graphs = {q.graph_name.value for q in out.store.quads_for_pattern(None, attendee, None, None)}
    assert graphs and all(g.startswith(project.base + "graph/") for g in graphs)
