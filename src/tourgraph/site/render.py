"""The one template system of the site and the server's pages: Jinja2 templates in ``templates/``
(autoescaped, strict), rendered from a view model and a language.

``render(name, view, lang, chrome)`` is what the server calls too: its /sparql, /queries/ and error
pages use the site's layout (header, navigation, language switch, footer links to the data)."""

from __future__ import annotations

import os
import sys
from functools import cache, lru_cache
from pathlib import Path

import jinja2

from ..export.opendata import ZIP_NAME
from . import i18n
from .graphindex import PAGE_KINDS

HERE = Path(__file__).parent


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, with ``x.name`` on a dict looked up without an exception. Jinja tries
    ``getattr`` first and catches the AttributeError, about 150 times per page of view-model dicts;
    a dict's only attributes are its methods, so the answer is the same."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in ``templates/__pycache__``, as Python keeps compiled modules: Jinja
    checks each against its template's source, and compiling the site's templates is a tenth of a
    second of every build. Like Python, nothing is kept where the package is read-only or where
    PYTHONDONTWRITEBYTECODE says not to."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass  # compiled again

    def dump_bytecode(self, bucket) -> None:
        if sys.dont_write_bytecode:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@cache
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        bytecode_cache=_CompiledTemplates(str(HERE / "templates" / "__pycache__")),
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
        **shared_chrome(root, lang, title_of[lang]),
    }


@lru_cache(maxsize=256)
def shared_chrome(root: str, lang: str, site_title: str) -> dict:
    """The header and the start of the footer (``templates/chrome.html``), which depend on the
    language and the folder depth alone: rendered once per pair rather than on each of a site's
    thousands of pages."""
    module = environment().get_template("chrome.html").module
    t = i18n.strings(lang)
    return {"header": module.header(root, lang, t, site_title), "footer": module.footer(root, lang, t)}


def _site_title(project, lang: str) -> str:
    title = project.title
    return (title.get(lang) or next(iter(title.values()), "tourgraph")) if isinstance(title, dict) else str(title)


def _site_description(project, lang: str) -> str:
    description = project.description
    return (description.get(lang) or next(iter(description.values()), "")) if isinstance(description, dict) else str(description)


def render(name: str, view: dict, page: dict) -> str:
    """``templates/{name}`` with the page's chrome (from ``chrome``) and its view model."""
    return environment().get_template(name).render(page=page, view=view, t=page["t"], lang=page["lang"], root=page["root"])
