"""An install that cannot hide: every import of the package is a declared dependency, every import of
the tests is declared for the tests, and every data file of the package is shipped with it.

Imports are read with ``ast`` (also those inside functions, which run only on some paths) and mapped to
distributions with importlib.metadata, so a package installed by hand cannot stand in for a declaration.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "tourgraph"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def normalise(name: str) -> str:
    """PEP 503: distribution names compare lower-case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    requirements = list(PYPROJECT["project"]["dependencies"])
    extras, seen = list(extras), set()
    while extras:
        extra = extras.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in PYPROJECT["project"]["optional-dependencies"][extra]:
            # An extra may include another of this project's ("tourgraph[draft]" in test).
            own = re.match(rf"{PYPROJECT['project']['name']}\[([^\]]+)\]$", requirement.strip())
            if own:
                extras += [e.strip() for e in own.group(1).split(",")]
            else:
                requirements.append(requirement)
    return {normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r.strip()).group(0)) for r in requirements}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(files, local: set[str]) -> dict[str, set[str]]:
    """Top-level names of the absolute imports in ``files`` that are neither stdlib nor ``local``, each
    with the files importing it."""
    found: dict[str, set[str]] = {}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skipped = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _type_checking_only(block) for n in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path))
    return found


def undeclared(imports: dict[str, set[str]], allowed: set[str]) -> list[str]:
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for name, where in sorted(imports.items()):
        dists = {normalise(d) for d in distributions.get(name, ())}
        if not dists:
            problems.append(f"{name} (imported by {', '.join(sorted(where))}) is not installed, so no declaration can be checked")
        elif not dists & allowed:
            problems.append(f"{name} (imported by {', '.join(sorted(where))}) comes from {', '.join(sorted(dists))}, not declared")
    return problems


def test_every_import_of_the_package_is_a_runtime_dependency():
    draft = PACKAGE / "draft"
    imports = imported(sorted(p for p in PACKAGE.rglob("*.py") if not p.is_relative_to(draft)), {"tourgraph"})
    assert {"rdflib", "pyoxigraph", "click"} <= set(imports), "the reader finds the package's imports"
    assert undeclared(imports, declared()) == []


def test_the_draft_command_imports_only_its_extra_besides_the_runtime():
    imports = imported(sorted((PACKAGE / "draft").rglob("*.py")), {"tourgraph"})
    assert {"spacy", "dateparser", "rapidfuzz"} <= set(imports)
    assert undeclared(imports, declared("draft")) == []
    assert declared("draft") <= declared("test"), "CI installs .[test]: it must bring the draft extra"


def test_every_import_of_the_tests_is_declared_for_the_tests():
    tests = ROOT / "tests"
    local = {"tourgraph"} | {p.stem for p in tests.rglob("*.py")} | {p.name for p in tests.rglob("*") if p.is_dir()}
    imports = imported(sorted(tests.rglob("*.py")), local)
    assert "pytest" in imports
    assert undeclared(imports, declared("test")) == []


def test_every_data_file_of_the_package_is_shipped():
    # A key per package: "tourgraph.new" patterns are relative to tourgraph/new/.
    patterns = [
        (package.removeprefix("tourgraph").lstrip(".").replace(".", "/") + "/" if package != "tourgraph" else "") + pattern
        for package, listed in PYPROJECT["tool"]["setuptools"]["package-data"].items()
        for pattern in listed
    ]
    data = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert "privacy_shapes.ttl" in data
    missing = [name for name in data if not any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)]
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"


def test_the_reader_catches_an_undeclared_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nimport os\n\nif TYPE_CHECKING:\n    import numpy\n\n"
        "def f():\n    import rdflib.plugin\n    from pytest import fixture\n"
    )
    imports = imported([module], set())
    assert set(imports) == {"rdflib", "pytest"}
    [problem] = undeclared(imports, declared())
    assert problem.startswith("pytest (imported by ") and problem.endswith("comes from pytest, not declared")
