"""The server's HTML pages (/sparql, /queries/, errors) in the site's layout: the same templates,
header, language switch and footer as the built pages, links by absolute path (``/en/…``)."""

from __future__ import annotations

from urllib.parse import urlencode

from . import i18n
from .render import chrome, environment, render as render_page


def _local(base: str):
    """An IRI of the project (``{base}person/x``) as the server's own path (``/person/x``), so that a
    result links to the local page; any other IRI unchanged."""

    def local(href: str) -> str:
        return "/" + href[len(base):] if href.startswith(base) else href

    return local


def render(name: str, project, lang: str, keep=(), **view) -> str:
    """``sparql.html``, ``queries.html``, ``not_found.html`` or ``preview_failed.html`` (serve --reload
    before a first good build) for the server, in ``lang``. The
    language switch of /sparql and /queries/ links the same page with ``lang=`` and the parameters
    ``keep`` (``(name, value)`` pairs: the query whose results are shown)."""
    words = i18n.strings(lang)
    titles = {"sparql.html": "SPARQL", "queries.html": words["stored_queries"], "not_found.html": words["not_found"],
              "preview_failed.html": words["preview_failed"]}
    path = {"sparql.html": "sparql", "queries.html": "queries/", "not_found.html": f"{lang}/404.html",
            "preview_failed.html": f"{lang}/"}[name]
    alone = name in ("not_found.html", "preview_failed.html")
    page = chrome(project, lang, path, None, titles[name], served=True, noindex=alone)
    page["switch"] = [] if alone else [
        {"lang": code, "name": i18n.strings(code)["language_name"], "href": f"/{path}?" + urlencode([*keep, ("lang", code)])}
        for code in project.languages if code != lang
    ]
    environment().globals["local"] = _local(project.base)
    if name == "not_found.html":
        others = [code for code in project.languages if code != lang]
        view = {"other": {"lang": others[0], "t": i18n.strings(others[0])} if others else None, **view}
    return render_page(name, {"jsonld": None, **view}, page)
