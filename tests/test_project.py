from pathlib import Path

import pytest

from tourgraph.errors import InputError
from tourgraph.project import open_project


def test_reads_base_and_finds_rdf_files(project):
    assert project.base == "https://tourgraph.example/"
    files = project.rdf_files("data")
    assert files and all(p.suffix in {".ttl", ".nt", ".jsonld", ".trig", ".nq"} for p in files)
    assert files == sorted(files)


def test_missing_config_is_an_input_error(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(InputError, match="tourgraph.toml"):
        open_project(tmp_path)


def test_bad_toml_names_file_and_line(project_copy):
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text() + "\n[broken\n")
    with pytest.raises(InputError) as info:
        open_project(project_copy)
    assert info.value.path.endswith("tourgraph.toml") and info.value.line


def test_base_must_be_absolute(project_copy):
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text().replace('base = "https://tourgraph.example/"', 'base = "nope"'))
    with pytest.raises(InputError, match="absolute IRI"):
        open_project(project_copy)


TOUR = Path("data/tours/2026-hauts-de-france")


def _relpaths(paths, project):
    return [project.relpath(p) for p in paths]


def test_rdf_extensions_are_matched_whatever_their_case(project_copy):
    from tourgraph.load import load

    (project_copy / TOUR / "tour.ttl").rename(project_copy / TOUR / "tour.TTL")
    (project_copy / TOUR / "places.ttl").rename(project_copy / TOUR / "places.turtle")
    project = open_project(project_copy)
    files = _relpaths(project.rdf_files("data"), project)
    assert f"{TOUR.as_posix()}/tour.TTL" in files and f"{TOUR.as_posix()}/places.turtle" in files
    graphs = {s.graph for s in load(project).sources}
    assert project.base + "graph/tours/2026-hauts-de-france/tour" in graphs
    assert project.base + "graph/tours/2026-hauts-de-france/places" in graphs


def test_every_other_file_under_data_is_reported_with_what_to_do(project_copy):
    folder = project_copy / TOUR
    (folder / "tour.ttl").rename(folder / "tour.ttl.txt")
    for name in ("notes.docx", "people.tsv", "people.xls", "export.json", "old.rdf", "stray-metadata.json"):
        (folder / name).write_bytes(b"x")
    project = open_project(project_copy)
    unread = {u.relpath.rsplit("/", 1)[-1]: u for u in project.unread_files()}
    assert sorted(unread) == ["export.json", "notes.docx", "old.rdf", "people.tsv", "people.xls", "stray-metadata.json", "tour.ttl.txt"]
    assert "rename it to tour.ttl" in unread["tour.ttl.txt"].message()
    assert "renommez-le en tour.ttl" in unread["tour.ttl.txt"].message("fr")
    assert "save it as .xlsx" in unread["people.xls"].message()
    assert "enregistrez-le en .csv" in unread["people.tsv"].message("fr")
    assert "no spreadsheet here uses it" in unread["stray-metadata.json"].message()
    assert ".jsonld" in unread["export.json"].message()
    assert "[data] ignore" in unread["notes.docx"].message()
    assert unread["notes.docx"].to_dict("fr")["file"] == f"{TOUR.as_posix()}/notes.docx"
    assert not any(p.name == "tour.ttl.txt" for p in project.rdf_files("data"))


def test_system_and_editor_clutter_is_neither_read_nor_reported(project_copy):
    folder = project_copy / TOUR
    for name in (".DS_Store", "~$people.xlsx", "tour.ttl~", "#tour.ttl#", "._tour.ttl", "Thumbs.db"):
        (folder / name).write_bytes(b"\x00junk")
    (folder / ".backup").mkdir()
    (folder / ".backup" / "tour.ttl").write_text("not valid turtle {")
    project = open_project(project_copy)
    assert project.unread_files() == []
    assert all(".backup" not in p.parts and not p.name.startswith(".") for p in project.rdf_files("data"))


def test_files_ignored_in_tourgraph_toml_are_neither_read_nor_reported(project_copy):
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text() + '\n[data]\nignore = ["*.md", "drafts/**", "tours/*/people.csv"]\n')
    (project_copy / "data" / "README.md").write_text("# notes")
    (project_copy / TOUR / "how.md").write_text("# notes")
    (project_copy / TOUR / "people.csv").write_text("a,b\n")
    (project_copy / "data" / "drafts").mkdir()
    (project_copy / "data" / "drafts" / "next.ttl").write_text("not valid turtle {")
    (project_copy / "data" / "drafts" / "people.csv").write_text("a,b\n")
    (project_copy / "data" / "people.xls").write_text("a,b\n")
    project = open_project(project_copy)
    assert [u.relpath for u in project.unread_files()] == ["data/people.xls"]
    assert not any("drafts" in p.parts or p.name == "people.csv" for p in project.rdf_files("data"))


def test_a_wrong_ignore_list_is_an_input_error(project_copy):
    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text() + '\n[data]\nignore = "*.md"\n')
    with pytest.raises(InputError, match=r"\[data\] ignore") as info:
        open_project(project_copy)
    assert info.value.path.endswith("tourgraph.toml")


def test_two_files_that_would_be_one_graph_are_an_input_error(project_copy):
    (project_copy / TOUR / "tour.jsonld").write_text("{}")
    project = open_project(project_copy)
    with pytest.raises(InputError, match="same named graph") as info:
        project.rdf_files("data")
    assert "tour.jsonld" in info.value.message and "tour.ttl" in info.value.message


def test_a_config_with_a_byte_order_mark_is_read_and_latin1_is_explained(project_copy):
    config = project_copy / "tourgraph.toml"
    text = config.read_text(encoding="utf-8")
    config.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert open_project(project_copy).base == "https://tourgraph.example/"
    config.write_bytes(text.encode("utf-8").replace("Tournées".encode(), "Tournées".encode("latin-1")))
    with pytest.raises(InputError, match="save the file as UTF-8") as info:
        open_project(project_copy)
    assert "enregistrez le fichier en UTF-8" in info.value.format("fr")
