"""The analyses of SHACL-SPARQL texts kept between runs (shacl.verdicts): a kept verdict is the
analysis itself (the same variables, the same refusal naming the shape that asks), a changed text is
analysed again, a file that is not one of ours is ignored, and nothing is kept where Python keeps no
bytecode."""

from __future__ import annotations

import json
import sys

import pytest

from tourgraph import sparql_guard
from tourgraph.shacl import verdicts
from tourgraph.shacl.sparql import SparqlQuery
from tourgraph.shacl.terms import ShapeFailure

PREFIXES = {"schema": "https://schema.org/"}
PREBOUND = {"this", "shapesGraph", "currentShape"}
ACCEPTED = "SELECT $this ?name WHERE { $this schema:name ?name . FILTER (STRLEN(?name) > 200) }"
SMUGGLED = "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this schema:name ?n } }"


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The verdicts' file in a folder of the test's own, written as a user's runs write it."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(verdicts, "FOLDER", tmp_path / "__pycache__")
    monkeypatch.setattr(verdicts, "FILE", tmp_path / "__pycache__" / "sparql-verdicts.json")
    monkeypatch.setattr(verdicts, "_memory", None)
    return verdicts.FILE


def _next_run(monkeypatch, parse_allowed: bool):
    """A new process: nothing in memory; the parser, when not allowed, fails the test if called."""
    monkeypatch.setattr(verdicts, "_memory", None)
    if not parse_allowed:
        def parse(text):
            raise AssertionError(f"parsed again: {text!r}")
        monkeypatch.setattr(sparql_guard, "parse", parse)


def test_a_kept_verdict_is_the_analysis(kept, monkeypatch):
    fresh = SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/a>")
    assert fresh.variables == {"this", "name"} and fresh.used == {"this"}
    assert kept.is_file()
    _next_run(monkeypatch, parse_allowed=False)
    again = SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/b>")
    assert (again.variables, again.used, again.owner) == (fresh.variables, fresh.used, "<shape/b>")


def test_a_kept_refusal_is_refused_again_naming_the_shape_that_asks(kept, monkeypatch):
    with pytest.raises(ShapeFailure, match=r"of <shape/a> uses SERVICE, which SHACL forbids"):
        SparqlQuery(SMUGGLED, PREFIXES, PREBOUND, "<shape/a>")
    _next_run(monkeypatch, parse_allowed=False)
    with pytest.raises(ShapeFailure, match=r"of <shape/b> uses SERVICE, which SHACL forbids"):
        SparqlQuery(SMUGGLED, PREFIXES, PREBOUND, "<shape/b>")


def test_a_changed_text_or_other_prebound_variables_are_analysed_again(kept, monkeypatch):
    SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/a>")
    _next_run(monkeypatch, parse_allowed=True)
    parsed = []
    real = sparql_guard.parse
    monkeypatch.setattr(sparql_guard, "parse", lambda text: parsed.append(text) or real(text))
    changed = ACCEPTED.replace("200", "300")
    assert SparqlQuery(changed, PREFIXES, PREBOUND, "<shape/a>").variables == {"this", "name"}
    assert SparqlQuery(ACCEPTED, PREFIXES, PREBOUND | {"name"}, "<shape/a>").used == {"this", "name"}
    assert len(parsed) == 2 and "300" in parsed[0]


@pytest.mark.parametrize("content", [
    "not json",
    json.dumps({"format": 99, "verdicts": {}}),
    json.dumps([1, 2, 3]),
], ids=["not JSON", "another format", "not an object"])
def test_a_file_that_is_not_ours_is_ignored(kept, monkeypatch, content):
    kept.parent.mkdir()
    kept.write_text(content, encoding="utf-8")
    assert SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/a>").variables == {"this", "name"}
    assert json.loads(kept.read_text(encoding="utf-8"))["format"] == verdicts.FORMAT


def test_a_forged_verdict_of_the_wrong_shape_is_not_taken(kept, monkeypatch):
    """A verdict must be one of the three kinds the analysis gives; anything else is analysed again."""
    name = verdicts.key(
        "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items())) + SMUGGLED, len(PREFIXES), frozenset(PREBOUND))
    kept.parent.mkdir()
    kept.write_text(json.dumps({"format": verdicts.FORMAT, "verdicts": {name: {"variables": "this", "extra": 1}}}), encoding="utf-8")
    with pytest.raises(ShapeFailure, match="uses SERVICE"):
        SparqlQuery(SMUGGLED, PREFIXES, PREBOUND, "<shape/a>")


def test_nothing_is_kept_where_python_keeps_no_bytecode(kept, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/a>")
    assert not kept.parent.exists()


def test_a_write_that_fails_costs_only_the_cache_and_leaves_no_temporary_file(kept, monkeypatch):
    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(verdicts.os, "replace", refuse)
    assert SparqlQuery(ACCEPTED, PREFIXES, PREBOUND, "<shape/a>").variables == {"this", "name"}
    assert list(kept.parent.iterdir()) == []
