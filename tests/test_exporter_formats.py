"""Each exporter declares the files it writes (``FORMATS``): a build writes what they declare and
nothing else, with every page written (static) and with the entity pages left to the server."""

from __future__ import annotations

import re

import pytest

from tourgraph.build import build
from tourgraph.export import exporters
from tourgraph.incremental import STATE
from tourgraph.outdir import MARKER
from tourgraph.project import open_project

PLACEHOLDERS = {"kind": r"[a-z]+", "slug": r"[^/]+", "n": r"[0-9]+", "key": r"[^/]+"}
# What an on-demand build leaves to ``tourgraph serve``.
SERVED = {"{lang}/{kind}/{slug}.html", "{kind}/{slug}.ttl", "{kind}/{slug}.jsonld", "snippets/{kind}/{slug}.jsonld"}
# Written only where the data asks for them: a kind with more entities than a page lists, more URLs
# than a sitemap holds.
LARGE_SITES_ONLY = {"{lang}/{kind}/page-{n}.html", "sitemap-{n}.xml"}


def pattern(declared: str, languages) -> re.Pattern:
    """``{lang}/{kind}/{slug}.html`` -> the paths it stands for; a declaration ending in ``/`` is a
    folder and everything in it."""
    out = ""
    for piece in re.split(r"(\{[a-z]+\})", declared):
        if piece.startswith("{"):
            name = piece[1:-1]
            out += "(?:" + "|".join(map(re.escape, languages)) + ")" if name == "lang" else PLACEHOLDERS[name]
        else:
            out += re.escape(piece)
    return re.compile(out + (".*" if declared.endswith("/") else ""))


@pytest.mark.parametrize("static", [True, False], ids=["static", "on-demand"])
def test_a_build_writes_what_the_exporters_declare(project_copy, tmp_path, static):
    toml = project_copy / "tourgraph.toml"
    toml.write_text(re.sub(r"(?m)^static = .*$", f"static = {str(static).lower()}", toml.read_text(encoding="utf-8")), encoding="utf-8")
    project = open_project(project_copy)
    out = tmp_path / "dist"
    build(project, out)
    languages = list(project.languages)
    declared = [(module.__name__.rpartition(".")[2], text, pattern(text, languages)) for module in exporters() for text in module.FORMATS]
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER)
    undeclared = [f for f in files if not any(rx.fullmatch(f) for _, _, rx in declared)]
    assert not undeclared, f"files no exporter declares: {undeclared[:10]}"
    for name, text, rx in declared:
        written = [f for f in files if rx.fullmatch(f)]
        if text in SERVED and not static:
            # A kind's index.html fits {lang}/{kind}/{slug}.html too: it is declared by its own name.
            entity_files = [f for f in written if not any(o.fullmatch(f) for _, t, o in declared if t not in SERVED)]
            assert not entity_files, f"an on-demand build wrote {entity_files[:3]} ({name}: {text})"
        elif text == "site-order.json":
            assert bool(written) is not static, "site-order.json is what the server of an on-demand build reads"
        elif text == STATE:
            assert bool(written) is static, "the state is what the next static build takes files by"
        elif text not in LARGE_SITES_ONLY:
            assert written, f"{name} declares {text} but the build has no such file"
