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
