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
