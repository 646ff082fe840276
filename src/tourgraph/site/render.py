"""The one template system of the site and the server's pages: Jinja2 templates in ``templates/``
(autoescaped, strict), rendered from a view model and a language.

``render(name, view, lang, chrome)`` is what the server calls too: its /sparql, /queries/ and error
pages use the site's layout (header, navigation, language switch, footer links to the data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from ..export.opendata import ZIP_NAME
from . import i18n
from .graphindex import PAGE_KINDS

HERE = Path(__file__).parent


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals["kinds"] = PAGE_KINDS
    env.globals["kind_label"] = lambda kind, lang: i18n.pick(i18n.KIND_LABELS[kind], lang)
    env.filters["date_range"] = date_range
    env.filters["number"] = i18n.format_number
    env.globals["opendata_zip"] = ZIP_NAME
    return env


def date_range(start, end) -> str:
    """``22 – 27 March 2026`` from two Values (end may be None)."""
    if end is None or end.text == start.text:
        return start.text
    return f"{start.text} – {end.text}"


def chrome(project, lang: str, path: str, alternates: dict[str, str] | None, title: str, *, served: bool = False,
           description: str = "", kind: str = "website", noindex: bool = False) -> dict:
    """What every page shares: language, the relative root of ``path``, canonical URL and alternates
    (``alternates`` maps each language to its page's path; None for a page in one language only),
    navigation and the site's title. A ``served`` page (the server's) links by absolute paths."""
    languages = list(project.languages)
    root = "/" if served else "../" * path.count("/")
    base = project.base
    title_of = {code: _site_title(project, code) for code in languages}
    return {
        "lang": lang,
        "t": i18n.strings(lang),
        "root": root,
        "path": path,
        "title": title,
        "site_title": title_of[lang],
        "description": description or _site_description(project, lang),
        "canonical": base + path if not served else None,
        "alternates": [{"lang": code, "href": base + alternates[code]} for code in languages] if alternates else [],
        "x_default": base + alternates[languages[0]] if alternates else None,
        "switch": [
            {"lang": code, "name": i18n.strings(code)["language_name"], "href": root + alternates[code] if alternates else f"{root}{code}/index.html"}
            for code in languages if code != lang
        ] if alternates else [],
        "og_type": kind,
        "noindex": noindex,
        "served": served,
        "rdf": None,
        "image": None,
    }


def _site_title(project, lang: str) -> str:
    title = project.title
    return (title.get(lang) or next(iter(title.values()), "tourgraph")) if isinstance(title, dict) else str(title)


def _site_description(project, lang: str) -> str:
    description = project.description
    return (description.get(lang) or next(iter(description.values()), "")) if isinstance(description, dict) else str(description)


def render(name: str, view: dict, page: dict) -> str:
    """``templates/{name}`` with the page's chrome (from ``chrome``) and its view model."""
    return environment().get_template(name).render(page=page, view=view, t=page["t"], lang=page["lang"], root=page["root"])
