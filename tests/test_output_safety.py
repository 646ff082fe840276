"""No command destroys what it did not write: build --out and serve --dist refuse the project, its
sources, folders around them and folders holding someone else's files; they replace a previous build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tourgraph.cli import cli
from tourgraph.outdir import MARKER, check_output_folder
from tourgraph.errors import InputError
from tourgraph.project import open_project


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes, and every folder: what must stay untouched."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def run_in(folder: Path, *args):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("target", [".", "data", "data/tours", "ontology", "shapes", "queries", "..", "../.."])
def test_build_refuses_the_project_its_sources_and_what_contains_them(project_copy, target):
    before = snapshot(project_copy.parent)
    result = run_in(project_copy, "build", "--out", target)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output and "--out" in result.output
    assert snapshot(project_copy.parent) == before, "nothing may be touched"


def test_the_refusal_says_why_in_french_too(project_copy):
    result = run_in(project_copy, "build", "--out", "data", "--lang", "fr")
    assert result.exit_code == 2
    assert "sources du projet" in result.output


def test_build_refuses_a_folder_with_a_users_file(project_copy, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("my notes")
    result = run_in(project_copy, "build", "--out", str(site))
    assert result.exit_code == 2
    assert "notes.txt" in result.output and "did not write" in result.output
    assert snapshot(site) == {"notes.txt": b"my notes"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == [], "no staging left behind"


def test_build_refuses_a_file_given_as_folder(project_copy):
    (project_copy / "out.txt").write_text("mine")
    result = run_in(project_copy, "build", "--out", "out.txt")
    assert result.exit_code == 2
    assert (project_copy / "out.txt").read_text() == "mine"


def test_build_fills_an_empty_folder_and_then_replaces_its_own_build(project_copy, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    first = run_in(project_copy, "build", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert json.loads((out / MARKER).read_text()) == {"tool": "tourgraph", "format": 1}
    (out / "stale.html").write_text("from an older build")
    second = run_in(project_copy, "build", "--out", str(out))
    assert second.exit_code == 0, second.output
    assert not (out / "stale.html").exists(), "a previous build is replaced whole"
    assert (out / "graph.ttl").is_file() and (out / MARKER).is_file()


def test_default_dist_is_rebuilt(project_copy):
    assert run_in(project_copy, "build").exit_code == 0
    assert (project_copy / "dist" / MARKER).is_file()
    assert run_in(project_copy, "build").exit_code == 0


def test_a_symlink_to_the_data_folder_is_still_the_data_folder(project_copy):
    (project_copy / "site").symlink_to(project_copy / "data")
    with pytest.raises(InputError, match="sources"):
        check_output_folder(open_project(project_copy), project_copy / "site")


def test_serve_dist_follows_the_same_rules(project_copy):
    before = snapshot(project_copy)
    for target in (".", "data", ".."):
        result = run_in(project_copy, "serve", "--dist", target, "--port", "0")
        assert result.exit_code == 2, result.output
        assert "--dist" in result.output
        assert "SPARQL endpoint:" not in result.output
    assert snapshot(project_copy) == before


def _kill_a_build_while_it_writes(project: Path) -> Path:
    """A real build in another process, killed (SIGKILL: no cleanup can run) while it writes its staging folder."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from tourgraph.export import rdf\n"
        "from tourgraph.build import build\n"
        "from tourgraph.project import open_project\n"
        "real = rdf.write\n"
        "def slow(ctx):\n"
        "    real(ctx)\n"
        "    time.sleep(120)\n"
        "rdf.write = slow\n"
        "build(open_project(Path(sys.argv[1])), Path(sys.argv[1]) / 'dist')\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(project)])
    deadline = time.monotonic() + 60
    staging = []
    while time.monotonic() < deadline and not any((p / "graph.nt").is_file() for p in staging):
        time.sleep(0.1)
        staging = list(project.glob(".dist.building-*"))
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert len(staging) == 1 and (staging[0] / "graph.nt").is_file(), staging
    return staging[0]


def test_a_killed_build_leaves_a_folder_the_next_build_removes(project_copy, caplog):
    from tourgraph.build import build

    left = _kill_a_build_while_it_writes(project_copy)
    assert left.exists()  # nothing could clean up after SIGKILL
    with caplog.at_level("WARNING", logger="tourgraph.build"):
        build(open_project(project_copy), project_copy / "dist")
    assert not left.exists()
    assert any(str(left) in r.getMessage() and "stopped before it finished" in r.getMessage() for r in caplog.records)
    assert (project_copy / "dist" / MARKER).is_file()
    assert not list(project_copy.glob(".dist.*"))


def test_what_a_build_may_not_remove_beside_its_folder_stays(project_copy):
    """A staging folder of a process still running, or of another machine (a shared disk), a folder
    that merely looks like ours, and a set-aside build holding anything else are left alone; so is a
    set-aside build while the folder it was replaced by is missing (its only copy)."""
    from tourgraph.outdir import _host, remove_leftovers

    out = project_copy / "dist"
    out.mkdir()
    (out / MARKER).write_text("{}")
    kept = [
        project_copy / f".dist.building-{os.getpid()}-{_host()}-running",
        project_copy / f".dist.building-999999999-{'0' * 8 if _host() != '0' * 8 else '1' * 8}-other-machine",
        project_copy / ".dist.building-notes",
        project_copy / ".dist.previous-mine",
    ]
    for folder in kept:
        (folder / "dist").mkdir(parents=True)
        (folder / "dist" / "page.html").write_text("kept")
    (kept[-1] / "notes.txt").write_text("somebody's")
    removable = project_copy / ".dist.previous-abc123"
    (removable / "dist" / "en").mkdir(parents=True)
    assert remove_leftovers(out) == [removable]
    assert all((folder / "dist" / "page.html").is_file() for folder in kept)

    only_copy = project_copy / ".dist.previous-def456"
    (only_copy / "dist").mkdir(parents=True)
    (only_copy / "dist" / MARKER).write_text("{}")
    (out / MARKER).unlink()
    out.rmdir()
    assert remove_leftovers(out) == []
    assert (only_copy / "dist" / MARKER).is_file()
