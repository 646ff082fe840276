"""A corpus of the mistakes commission staff make, tried through the command line as they would: each
gets a message naming the file (and line) and saying what to do, the right exit code, no traceback,
and nothing of theirs is lost."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tourgraph.cli import cli

TOUR = Path("data/tours/2026-hauts-de-france")


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, output


def fingerprint(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    return next(n for n, line in enumerate((root / relative).read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def validate(root: Path, lang: str = "en") -> tuple[int, str]:
    return run("validate", "--project", root, "--lang", lang)


def test_a_misspelt_property_names_it_where_it_is_written_and_suggests_the_term(project_copy):
    edit(project_copy, f"{TOUR}/people.ttl", "schema:worksFor org:hbo", "schema:worksfor org:hbo")
    code, out = validate(project_copy)
    assert code == 1
    line = line_of(project_copy, f"{TOUR}/people.ttl", "schema:worksfor")
    assert f"people.ttl:{line}" in out and "schema:worksFor" in out and "did you mean" in out.lower()


def test_http_schema_org_is_explained(project_copy):
    edit(project_copy, f"{TOUR}/people.ttl", "@prefix schema: <https://schema.org/>", "@prefix schema: <http://schema.org/>")
    code, out = validate(project_copy)
    assert code == 1
    assert "http://schema.org/" in out and "https://schema.org/" in out and "people.ttl" in out


def test_a_person_defined_twice_is_warned_with_both_places(project_copy):
    (project_copy / TOUR / "people-2.ttl").write_text(
        (project_copy / TOUR / "people.ttl").read_text(encoding="utf-8").replace(
            "<graph/tours/2026-hauts-de-france/people>", "<graph/tours/2026-hauts-de-france/people-2>"), encoding="utf-8")
    code, out = validate(project_copy)
    assert code == 0
    tracy = [line for line in out.splitlines() if "defined in 2 places" in line and "people-2.ttl:" in line]
    assert tracy and "people.ttl:" in tracy[0]


def test_a_duplicate_slug_inside_one_file_is_warned(project_copy):
    (project_copy / TOUR / "people.ttl").write_text(
        (project_copy / TOUR / "people.ttl").read_text(encoding="utf-8")
        + '\nperson:ernesto-alcalde schema:description "Producteur"@fr, "Producer"@en .\n', encoding="utf-8")
    code, out = validate(project_copy)
    assert "separate blocks of one file" in out and "people.ttl:21" in out


@pytest.mark.parametrize("written", ['"27/03/2026"^^xsd:date', '"2027-02-30"^^xsd:date', '"2026-03-27"'])
def test_wrong_dates_say_how_to_write_a_date_once(project_copy, written):
    edit(project_copy, f"{TOUR}/tour.ttl", '"2026-03-27"^^xsd:date', written)
    code, out = validate(project_copy)
    assert code == 1
    advice = [line for line in out.splitlines() if 'Write the end date as "2026-03-27"^^xsd:date' in line]
    assert len(advice) == 1, out
    assert "tour.ttl:" in out
    # A date that is not one is said once, not also as "after" the other date.
    assert "cannot be after" not in out, out
    code, out = validate(project_copy, "fr")
    assert "Écrire la date de fin" in out and "non conforme" in out


def test_a_start_after_the_end_is_said(project_copy):
    edit(project_copy, f"{TOUR}/tour.ttl", '"2026-03-27"^^xsd:date', '"2026-03-20"^^xsd:date')
    code, out = validate(project_copy)
    assert code == 1
    assert "The start date cannot be after the end date. [value: 2026-03-22]" in out and "tour.ttl:" in out


def test_a_shape_whose_query_cannot_be_read_is_named(project_copy):
    shapes = project_copy / "shapes" / "tourgraph-shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8").replace('        [ sh:prefix "xsd" ;', '        [ sh:prefix "xsdx" ;'), encoding="utf-8")
    code, out = validate(project_copy)
    assert code == 2, out
    assert "shapes/" in out and "shapes#EventShape" in out and "sh:declare" in out


def test_a_renamed_file_says_which_graph_it_must_describe(project_copy):
    (project_copy / TOUR / "people.ttl").rename(project_copy / TOUR / "delegation.ttl")
    code, out = validate(project_copy)
    assert code == 1
    assert "<graph/tours/2026-hauts-de-france/delegation>" in out and "<graph/tours/2026-hauts-de-france/people>" in out
    assert "Change the subject of its provenance block" in out


@pytest.mark.parametrize("encoding, message", [("utf-16", "UTF-16"), ("latin-1", "Latin-1")])
def test_files_not_in_utf8_say_save_as_utf8(project_copy, encoding, message):
    path = project_copy / TOUR / "people.ttl"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    before = fingerprint(project_copy)
    code, out = run("build", "--project", project_copy)
    assert code == 2 and message in out and "save it as UTF-8" in out and "people.ttl" in out
    assert fingerprint(project_copy) == before


def test_a_utf8_bom_is_simply_accepted(project_copy):
    path = project_copy / TOUR / "people.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate(project_copy)[0] == 0


def test_spaces_in_a_folder_name_give_a_clear_message_not_a_traceback(project_copy):
    (project_copy / TOUR).rename(project_copy / "data" / "tours" / "2026 hauts de france")
    code, out = validate(project_copy)
    assert code == 1
    assert "<graph/tours/2026%20hauts%20de%20france/people>" in out


def test_an_upper_case_extension_is_read_and_a_txt_copy_is_reported(project_copy):
    (project_copy / TOUR / "people.ttl").rename(project_copy / TOUR / "people.TTL")
    (project_copy / TOUR / "notes.ttl.txt").write_text("x", encoding="utf-8")
    code, out = validate(project_copy)
    assert code == 0
    assert "notes.ttl.txt" in out


def test_build_into_the_project_or_its_data_loses_nothing(project_copy):
    before = fingerprint(project_copy)
    for target in (".", "data", ".."):
        code, out = run("build", "--project", project_copy, "--out", project_copy / target)
        assert code == 2, out
    assert fingerprint(project_copy) == before


def test_a_syntax_error_names_the_line_and_build_writes_nothing(project_copy):
    edit(project_copy, f"{TOUR}/people.ttl", 'schema:name "Tracy Wu" ;', 'schema:name "Tracy Wu ;')
    code, out = run("build", "--project", project_copy)
    assert code == 2 and re.search(r"people\.ttl:\d+", out)
    assert not (project_copy / "dist").exists()
