import pyoxigraph as ox
import pytest

from tourgraph.errors import InputError
from tourgraph.load import load, locate
from tourgraph.project import open_project


def test_one_named_graph_per_file(project):
    kg = load(project)
    graphs = {q.graph_name.value for q in kg.quads()}
    assert graphs == {s.graph for s in kg.sources}
    assert len(kg.sources) == len(project.rdf_files("data")) + len(project.rdf_files("ontology"))


def test_relative_iris_resolve_against_the_base(project):
    kg = load(project)
    tour = ox.NamedNode("https://tourgraph.example/event/inspiration-tour-2026-hauts-de-france")
    assert list(kg.store.quads_for_pattern(tour, None, None, None))


def test_blank_node_labels_are_stable(project):
    first = sorted(str(q) for q in load(project).quads())
    second = sorted(str(q) for q in load(project).quads())
    assert first == second


def test_every_rdf_syntax_is_read(project_copy):
    extra = project_copy / "data" / "extra"
    extra.mkdir()
    (extra / "a.nt").write_text('<https://tourgraph.example/person/a> <https://schema.org/name> "A" .\n')
    (extra / "b.jsonld").write_text('{"@id": "person/b", "https://schema.org/name": "B"}')
    (extra / "c.trig").write_text('<person/c> <https://schema.org/name> "C" .\n')
    kg = load(open_project(project_copy))
    names = {q.object.value for q in kg.store.quads_for_pattern(None, ox.NamedNode("https://schema.org/name"), None, None)}
    assert {"A", "B", "C"} <= names
    assert "https://tourgraph.example/graph/extra/b" in {s.graph for s in kg.sources}


def test_syntax_error_names_file_and_line(project_copy):
    bad = project_copy / "data" / "tours" / "2026-hauts-de-france" / "people.ttl"
    lines = bad.read_text().splitlines()
    lines.insert(5, "this is not turtle <<< .")
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as info:
        load(open_project(project_copy))
    assert info.value.path == "data/tours/2026-hauts-de-france/people.ttl"
    assert info.value.line == 6


def test_locate_finds_prefixed_and_relative_names(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text("@prefix person: <person/> .\n\nperson:ada <https://schema.org/name> \"Ada\" .\n<person/bob> a <https://schema.org/Person> .\n")
    assert locate(path, "https://tourgraph.example/person/ada", "https://tourgraph.example/") == 3
    assert locate(path, "https://tourgraph.example/person/bob", "https://tourgraph.example/") == 4
    assert locate(path, "https://tourgraph.example/person/ad", "https://tourgraph.example/") is None
