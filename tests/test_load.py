import pyoxigraph as ox
import pytest

from tourgraph.errors import InputError
from tourgraph.load import graph_iri, load
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


def _project_with(project_copy, name: str, text, mode="w"):
    path = project_copy / "data" / "extra" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return open_project(project_copy)


def test_the_index_gives_the_line_where_an_entity_is_described_not_where_it_is_named(project_copy):
    text = (
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix person: <person/> .\n"
        "<event/x> schema:attendee person:ada ,\n"
        "        person:bob .\n"
        "\n"
        "person:bob\n"
        "    a schema:Person ;\n"
        "    schema:name \"Bob\" .\n"
        "person:ada a schema:Person ; schema:name \"Ada\" .\n"
        "<person/cy> a schema:Person . <https://tourgraph.example/person/di> a schema:Person .\n"
    )
    kg = load(_project_with(project_copy, "people.ttl", text))
    line = lambda slug: [(p.file, p.line) for p in kg.index.places(ox.NamedNode(f"https://tourgraph.example/person/{slug}"))]
    assert line("bob") == [("data/extra/people.ttl", 6)]
    assert line("ada") == [("data/extra/people.ttl", 9)]
    assert line("cy") == [("data/extra/people.ttl", 10)]
    assert line("di") == [("data/extra/people.ttl", 10)]
    shipped = kg.index.places(ox.NamedNode("https://tourgraph.example/person/tracy-wu"))
    source = (project_copy / shipped[0].file).read_text().splitlines()[shipped[0].line - 1]
    assert source.startswith("person:tracy-wu a schema:Person")


def test_two_definitions_of_one_entity_are_found(project_copy):
    text = "@prefix schema: <https://schema.org/> .\n<person/tracy-wu> a schema:Person ; schema:worksFor <organization/hbo> .\n"
    kg = load(_project_with(project_copy, "again.ttl", text))
    twice = {s.value: [(p.file, p.line) for p in places] for s, places, _ in kg.index.described_twice()}
    assert sorted(twice["https://tourgraph.example/person/tracy-wu"]) == [
        ("data/extra/again.ttl", 2), ("data/tours/2026-hauts-de-france/people.ttl", 56)]
    # A file adding other facts (coordinates, a town) without repeating the type is by design.
    assert "https://tourgraph.example/place/villa-cavrois" not in twice


def test_a_utf8_byte_order_mark_is_accepted(project_copy):
    text = '\ufeff<person/zoe> <https://schema.org/name> "Zoé" .\n'.encode("utf-8")
    kg = load(_project_with(project_copy, "bom.ttl", text))
    assert any(q.object.value == "Zoé" for q in kg.store.quads_for_pattern(ox.NamedNode("https://tourgraph.example/person/zoe"), None, None, None))


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_other_encodings_say_save_as_utf8(project_copy, encoding):
    text = '# first line\n<person/zoe> <https://schema.org/name> "Zoé" .\n'.encode(encoding)
    with pytest.raises(InputError) as info:
        load(_project_with(project_copy, "enc.ttl", text))
    assert info.value.path == "data/extra/enc.ttl"
    assert "save it as UTF-8" in info.value.format() and "UTF-8" in info.value.format("fr")
    if encoding == "latin-1":
        assert info.value.line == 2


def test_spaces_and_brackets_in_paths_give_valid_graph_iris(project_copy):
    project = _project_with(project_copy, "2027 test tour/tour (copy).ttl", '<person/x> <https://schema.org/name> "X" .\n')
    path = project_copy / "data" / "extra" / "2027 test tour" / "tour (copy).ttl"
    iri = graph_iri(project, path, "data")
    assert iri == "https://tourgraph.example/graph/extra/2027%20test%20tour/tour%20%28copy%29"
    ox.NamedNode(iri)
    assert iri in {s.graph for s in load(project).sources}


def test_literals_the_store_rewrites_are_kept_as_written(project_copy):
    text = ('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
            '<place/p> <https://schema.org/latitude> "49.1940"^^xsd:decimal ; <https://schema.org/x> "3"^^xsd:byte .\n')
    kg = load(_project_with(project_copy, "lit.ttl", text))
    written = {str(w.object): str(s.object) for s, w in kg.written}
    assert written['"49.1940"^^<http://www.w3.org/2001/XMLSchema#decimal>'] == '"49.194"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert written['"3"^^<http://www.w3.org/2001/XMLSchema#byte>'] == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_reading_in_two_processes_gives_the_same_graph_index_and_literals(project_copy, monkeypatch):
    import tourgraph.load as loading

    project = open_project(project_copy)
    monkeypatch.setattr(loading, "PARALLEL_BYTES", 1 << 40)
    serial = load(project)
    monkeypatch.setattr(loading, "PARALLEL_BYTES", 1)
    parallel = load(project)
    assert set(map(str, parallel.quads())) == set(map(str, serial.quads()))
    assert parallel.index.described == serial.index.described
    assert parallel.written == serial.written and parallel.written
    assert [s.relpath for s in parallel.sources] == [s.relpath for s in serial.sources]


def test_an_error_in_the_second_process_names_its_file_and_line(project_copy, monkeypatch):
    import tourgraph.load as loading

    monkeypatch.setattr(loading, "PARALLEL_BYTES", 1)
    project = open_project(project_copy)
    last = project.rdf_files("data")[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\n<person/x> <https://schema.org/name> \"unterminated .\n", encoding="utf-8")
    first_half, second_half = loading._halves(project.rdf_files("data"))
    assert last in second_half
    with pytest.raises(InputError) as info:
        load(project)
    assert info.value.path == project.relpath(last) and info.value.line == len(last.read_text().splitlines())


def test_reload_reads_only_what_changed_and_gives_what_a_full_load_gives(project_copy):
    import time

    from tourgraph.load import fingerprints, reload

    project = open_project(project_copy)
    kg, before = load(project), fingerprints(project)
    assert reload(kg, project, before) is kg
    people = project_copy / "data" / "tours" / "2026-hauts-de-france" / "people.ttl"
    time.sleep(0.01)
    people.write_text(people.read_text(encoding="utf-8").replace("Ernesto Alcalde", "Ernesto Alcalde Jr"), encoding="utf-8")
    (project_copy / "data" / "common" / "places.ttl").unlink()
    (project_copy / "data" / "extra.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<place/p> <https://schema.org/latitude> \"1.50\"^^xsd:decimal .\n")
    again = reload(kg, project, before)
    full = load(project)
    assert set(map(str, again.quads())) == set(map(str, full.quads()))
    assert again.index.described == full.index.described
    assert again.written == full.written
    assert [s.relpath for s in again.sources] == [s.relpath for s in full.sources]
    # The graph reloaded from is left as it was.
    assert "Ernesto Alcalde Jr" not in {q.object.value for q in kg.quads()}
    assert "Ernesto Alcalde Jr" in {q.object.value for q in again.quads()}
