"""The command-line contract of DESIGN.md: exit codes and one-line errors, never a traceback."""

import json
import re
import subprocess
import sys

from click.testing import CliRunner

from tourgraph.cli import cli
from conftest import ROOT


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_validate_exits_0_on_shipped_data():
    result = run("validate", "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_json_format():
    result = run("validate", "--project", str(ROOT), "--format", "json")
    assert json.loads(result.output)["conforms"] is True


def test_validate_turtle_format_is_a_shacl_report():
    result = run("validate", "--project", str(ROOT), "--format", "turtle")
    assert "ValidationReport" in result.output


def test_validate_exits_1_and_names_job_title(project_copy):
    for path in (project_copy / "data").rglob("*.ttl"):
        path.write_text(re.sub(r"^\s*schema:jobTitle .*$\n", "", path.read_text(), flags=re.M))
    result = run("validate", "--project", str(project_copy))
    assert result.exit_code == 1
    assert "jobTitle" in result.output
    assert "people.ttl:" in result.output


def test_validate_exits_2_on_syntax_error_with_file_and_line(project_copy):
    tour = project_copy / "data" / "tours" / "2026-hauts-de-france" / "tour.ttl"
    lines = tour.read_text().splitlines()
    lines[9] = lines[9] + " ;;; ]"
    tour.write_text("\n".join(lines) + "\n")
    result = run("validate", "--project", str(project_copy))
    assert result.exit_code == 2
    assert "data/tours/2026-hauts-de-france/tour.ttl:" in result.output


def test_no_traceback_from_the_real_console_script(project_copy):
    (project_copy / "data" / "bad.ttl").write_text("@prefix : <x> .\n:a :b")
    proc = subprocess.run(
        [sys.executable, "-m", "tourgraph.cli", "build", "--project", str(project_copy)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "data/bad.ttl:2" in proc.stderr
    assert not (project_copy / "dist").exists()


def test_build_exits_1_and_writes_nothing_when_invalid(project_copy):
    for path in (project_copy / "data").rglob("*.ttl"):
        path.write_text(re.sub(r"^\s*schema:jobTitle .*$\n", "", path.read_text(), flags=re.M))
    result = run("build", "--project", str(project_copy))
    assert result.exit_code == 1
    assert not (project_copy / "dist").exists()


def test_missing_project_is_exit_2(tmp_path):
    result = run("validate", "--project", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "Error:" in result.output


def test_query_unknown_name_is_exit_2():
    result = run("query", "no-such-query", "--project", str(ROOT))
    assert result.exit_code == 2
    assert "no stored query" in result.output


def test_query_bad_param_is_exit_2():
    result = run("query", "delegation", "--project", str(ROOT), "--param", "tour=<bad iri>")
    assert result.exit_code == 2
    assert "not a valid IRI" in result.output


def test_query_csv_output():
    result = run("query", "delegation", "--project", str(ROOT), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Ernesto Alcalde" in result.output


def test_input_errors_are_json_with_format_json(tmp_path):
    result = run("validate", "--project", str(tmp_path / "nowhere"), "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["error"] == "input" and error["exit_code"] == 2 and "does not exist" in error["message"]


def test_a_syntax_error_in_json_names_file_and_line_in_french(project_copy):
    (project_copy / "data" / "bad.ttl").write_text("@prefix : <x> .\n:a :b")
    result = run("validate", "--project", str(project_copy), "--format", "json", "--lang", "fr")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["file"] == "data/bad.ttl" and error["line"] == 2


def test_errors_are_in_the_chosen_language(project_copy):
    (project_copy / "tourgraph.toml").write_text('[project]\nbase = "nope"\n')
    for command in ("validate", "build"):
        result = run(command, "--project", str(project_copy), "--lang", "fr")
        assert result.exit_code == 2
        assert result.output.startswith("Erreur : "), result.output
        assert "doit être une IRI absolue" in result.output


def test_unread_files_are_warned_by_validate_and_build_and_listed_in_json(project_copy):
    tour = project_copy / "data" / "tours" / "2026-hauts-de-france"
    (tour / "people.xls").write_bytes(b"PK\x03\x04")
    (tour / "notes.docx").write_bytes(b"PK\x03\x04")
    text = run("validate", "--project", str(project_copy))
    assert text.exit_code == 0
    assert "Warning: data/tours/2026-hauts-de-france/people.xls: not read: .xls files are not read; save it as .xlsx" in text.output
    assert "notes.docx" in text.output
    data = json.loads(run("validate", "--project", str(project_copy), "--format", "json", "--lang", "fr").stdout)
    assert [item["file"] for item in data["files_not_read"]] == [
        "data/tours/2026-hauts-de-france/notes.docx", "data/tours/2026-hauts-de-france/people.xls",
    ]
    assert data["files_not_read"][1]["message"].startswith("non lu : les fichiers .xls")
    turtle = run("validate", "--project", str(project_copy), "--format", "turtle")
    assert "people.xls" not in turtle.stdout and "people.xls" in turtle.stderr
    built = run("build", "--project", str(project_copy), "--lang", "fr")
    assert built.exit_code == 0, built.output
    assert "Avertissement : data/tours/2026-hauts-de-france/notes.docx : non lu" in built.stderr
    assert built.stdout.startswith("Construit ") and "2 fichier(s) de data/ non lu(s)" in built.stdout


def test_build_summary_in_english(project_copy):
    built = run("build", "--project", str(project_copy))
    assert built.exit_code == 0
    assert re.fullmatch(r"Built \S+: \d+ quads from \d+ files; \d+ warning\(s\)\.\n", built.stdout), built.stdout


def test_when_no_file_is_read_the_warning_says_which_files_and_why(tmp_path):
    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "shapes").mkdir()
    (project / "tourgraph.toml").write_text('[project]\nbase = "https://example.org/"\n')
    (project / "data" / "tour.ttl.txt").write_text("<a> <b> <c> .\n")
    text = run("validate", "--project", str(project))
    assert text.exit_code == 2
    assert "data/tour.ttl.txt: not read" in text.output and "rename it to tour.ttl" in text.output
    data = json.loads(run("validate", "--project", str(project), "--format", "json").stdout)
    assert data["exit_code"] == 2 and data["files_not_read"][0]["file"] == "data/tour.ttl.txt"
