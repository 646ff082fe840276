import pyoxigraph as ox
import pytest

from tourgraph.graph import RDF_TYPE, SCHEMA, TG
from tourgraph.load import load
from tourgraph.materialise import materialise


def test_super_properties_and_classes_are_stated(project):
    kg = load(project, materialised=False)
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


@pytest.mark.parametrize("root", ["shipped", "synthetic"])
def test_load_states_exactly_what_materialise_adds(project, tmp_path, root):
    """load materialises as it reads (no second copy of the store): the same quads as the SPARQL way."""
    if root == "synthetic":
        import subprocess
        import sys

        from conftest import ROOT
        from tourgraph.project import open_project

        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples", "5000", "--out", str(tmp_path / "p")],
                       check=True, stdout=subprocess.DEVNULL)
        project = open_project(tmp_path / "p")
    fused = load(project)
    assert fused.materialised and materialise(fused) is fused
    plain = load(project, materialised=False)
    assert not plain.materialised
    reference = materialise(plain)
    assert set(map(str, fused.quads())) == set(map(str, reference.quads()))
    assert len(reference) > len(plain)


def test_super_terms_declared_in_a_data_file_are_stated_too(project_copy):
    from tourgraph.project import open_project

    (project_copy / "data" / "extra.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://schema.org/Person> rdfs:subClassOf <urn:test:Being> .\n")
    project = open_project(project_copy)
    fused = load(project)
    reference = materialise(load(project, materialised=False))
    assert set(map(str, fused.quads())) == set(map(str, reference.quads()))
    assert next(fused.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode("urn:test:Being"), None), None) is not None
