"""Compiled templates kept in templates/__pycache__ (site.render._CompiledTemplates): a template read
from the cache renders what a fresh compile renders, an edited template is compiled again, and a
folder that cannot be written to costs only the cache."""

from __future__ import annotations

import sys

import jinja2
import pytest

from tourgraph.site.render import _CompiledTemplates


def _env(templates, cache_dir):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True,
                              bytecode_cache=_CompiledTemplates(str(cache_dir)))


@pytest.fixture
def writes_bytecode(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_a_cached_template_renders_as_a_fresh_one_and_an_edit_is_seen(tmp_path, writes_bytecode):
    templates, cache_dir = tmp_path / "templates", tmp_path / "templates" / "__pycache__"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ name }}</p>")
    assert _env(templates, cache_dir).get_template("page.html").render(name="<Amiens>") == "<p>&lt;Amiens&gt;</p>"
    assert len(list(cache_dir.iterdir())) == 1
    # A new environment (a new process) takes the compiled code from the cache, not from a compile.
    env = _env(templates, cache_dir)
    compiled = []
    env.compile = lambda *a, **k: compiled.append(a) or jinja2.Environment.compile(env, *a, **k)
    assert env.get_template("page.html").render(name="Lille") == "<p>Lille</p>"
    assert not compiled
    (templates / "page.html").write_text("<h1>{{ name }}</h1>")
    assert _env(templates, cache_dir).get_template("page.html").render(name="Lille") == "<h1>Lille</h1>"


def test_nothing_is_kept_when_python_keeps_no_bytecode(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 1 + 1 }}")
    assert _env(templates, templates / "__pycache__").get_template("page.html").render() == "2"
    assert not (templates / "__pycache__").exists()


def test_a_cache_folder_blocked_by_a_file_costs_only_the_cache(tmp_path, writes_bytecode):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("{{ 2 * 3 }}")
    (templates / "__pycache__").write_text("not a folder")
    assert _env(templates, templates / "__pycache__").get_template("page.html").render() == "6"
