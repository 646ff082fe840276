"""The pages every build writes, made from the catalogue: the language chooser, the home page of each
language (the latest tours at a glance), the index of each kind (in pages of ``PAGE_SIZE``), the
search page and the 404 page."""

from __future__ import annotations

from markupsafe import Markup

from ..graph import SCHEMA
from . import i18n
from .catalogue import Catalogue
from .graphindex import PAGE_KINDS, GraphIndex
from .pages import Pages
from .render import chrome, render
from .values import Value, page_path

PAGE_SIZE = 1000
PERSON, JOB_TITLE, WORKS_FOR = SCHEMA + "Person", SCHEMA + "jobTitle", SCHEMA + "worksFor"
FEATURED = 3
HOME_TOURS = 50


class Lists:
    def __init__(self, catalogue: Catalogue, project):
        self.cat = catalogue
        self.project = project
        self.languages = list(project.languages)
        self._featured: Pages | None = None
        self.tours = catalogue.tours()

    def _link(self, iri: str, lang: str, root: str, note: str | None = None) -> Value:
        entity = self.cat.entries[iri].entity
        return Value(self.cat.label(iri, lang), href=root + page_path(lang, entity), note=note)

    def _date(self, iri: str, prop: str, lang: str) -> Value | None:
        lit = self.cat.date(iri, prop)
        return Value(i18n.format_date(lit.value, lang), datetime=lit.value) if lit else None

    def featured_pages(self) -> Pages:
        """The pages of the featured tours, from an index around them only."""
        if self._featured is None:
            index = GraphIndex.around(self.cat.kg, [e.entity.iri for e in self.tours[:FEATURED]])
            self._featured = Pages(index, self.project)
        return self._featured

    def home(self, lang: str) -> str:
        path = f"{lang}/index.html"
        page = chrome(self.project, lang, path, {code: f"{code}/index.html" for code in self.languages}, i18n.strings(lang)["home"])
        page["title"] = page["site_title"]
        root = page["root"]
        counts = {kind: len(entries) for kind, entries in self.cat.by_kind().items()}
        featured = self.featured_pages() if self.tours else None
        view = {
            "featured": [featured.glance(e.entity.iri, lang, root) for e in self.tours[:FEATURED]] if featured else [],
            "tours": [
                {"link": self._link(e.entity.iri, lang, root), "start": self._date(e.entity.iri, SCHEMA + "startDate", lang),
                 "end": self._date(e.entity.iri, SCHEMA + "endDate", lang)}
                for e in self.tours[FEATURED:HOME_TOURS]
            ],
            "more_tours": len(self.tours) > HOME_TOURS,
            "kinds": [
                {"text": i18n.pick(i18n.KIND_LABELS[k], lang), "href": f"{root}{lang}/{k}/index.html", "count": i18n.text(lang, "count", n=counts[k])}
                for k in PAGE_KINDS if counts.get(k)
            ],
            "jsonld": self._markup(lang, self.project.base + path, page["site_title"], "WebSite"),
        }
        return render("home.html", view, page)

    def kind_pages(self, kind: str, lang: str) -> list[tuple[str, str]]:
        """``(path, html)`` of the index of one kind: ``index.html``, then ``page-2.html``, …"""
        entries = self.cat.by_kind().get(kind, [])
        title = i18n.pick(i18n.KIND_LABELS[kind], lang)
        items = []
        type_notes: dict = {}
        label, text, names = self.cat.label, self.cat.text, self.cat.labels(lang)
        for entry in entries:
            iri = entry.entity.iri
            if PERSON in entry.types:
                parts = [text(iri, JOB_TITLE, lang)]
                parts += sorted(names.get(o) or label(o, lang) for o in entry.links.get(WORKS_FOR, ()))
                note = ", ".join(p for p in parts if p)
            else:
                key = tuple(entry.types)
                note = type_notes.get(key)
                if note is None:
                    note = type_notes[key] = ", ".join(
                        i18n.type_label(t[len(SCHEMA):], lang) for t in entry.types if t.startswith(SCHEMA) and "/" not in t[len(SCHEMA):]
                    )
            name = names[iri]
            # The IRI decides between equal names (IRIs are unique: the rest is never compared).
            items.append((name.casefold(), iri, name, note, entry.entity.slug))
        items.sort()
        chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        names = ["index.html"] + [f"page-{n}.html" for n in range(2, len(chunks) + 1)]
        out = []
        for number, (chunk, name) in enumerate(zip(chunks, names), start=1):
            path = f"{lang}/{kind}/{name}"
            page = chrome(self.project, lang, path, {code: f"{code}/{kind}/{name}" for code in self.languages}, title)
            view = {
                "rows": _rows(chunk, f"{page['root']}{lang}/{kind}/"),
                "number": number, "pages": len(chunks),
                "previous": names[number - 2] if number > 1 else None,
                "next": names[number] if number < len(chunks) else None,
                "jsonld": self._markup(lang, self.project.base + path, title, "CollectionPage"),
            }
            out.append((path, render("kind.html", view, page)))
        return out

    def chooser(self) -> str:
        first = self.languages[0]
        page = chrome(self.project, first, "index.html", {code: f"{code}/index.html" for code in self.languages}, "")
        page["title"] = " · ".join(chrome(self.project, code, "index.html", None, "")["site_title"] for code in self.languages)
        page["x_default"] = self.project.base
        page["canonical"] = self.project.base
        page["switch"] = []
        view = {
            "choices": [
                {"lang": code, "href": f"{code}/index.html", "name": i18n.strings(code)["language_name"],
                 "title": chrome(self.project, code, "index.html", None, "")["site_title"],
                 "prompt": i18n.strings(code)["choose_language"], "sep": i18n.strings(code)["sep"]}
                for code in self.languages
            ],
            "jsonld": self._markup(first, self.project.base, page["title"], "WebSite"),
        }
        return render("chooser.html", view, page)

    def not_found(self, lang: str, served: bool = False) -> str:
        """The 404 page in ``lang``, the other languages' words below (a static host shows one page)."""
        path = f"{lang}/404.html"
        page = chrome(self.project, lang, path, {code: f"{code}/404.html" for code in self.languages}, i18n.strings(lang)["not_found"],
                      noindex=True, served=served)
        page["canonical"] = None
        page["alternates"], page["x_default"] = [], None
        others = [code for code in self.languages if code != lang]
        view = {"other": {"lang": others[0], "t": i18n.strings(others[0])} if others else None, "jsonld": None}
        return render("not_found.html", view, page)

    def search(self, lang: str) -> str:
        path = f"{lang}/search.html"
        page = chrome(self.project, lang, path, {code: f"{code}/search.html" for code in self.languages}, i18n.strings(lang)["search"], noindex=True)
        return render("search.html", {"jsonld": None}, page)

    def site_title(self, lang: str) -> str:
        return chrome(self.project, lang, "index.html", None, "")["site_title"]

    def _markup(self, lang: str, url: str, name: str, page_type: str) -> str:
        from .markup import CONTEXT, script_json

        document = {"@context": CONTEXT, "@type": page_type, "@id": url, "url": url, "name": name, "inLanguage": lang}
        publisher = self.project.config.get("publisher", {}).get("iri")
        if publisher:
            iri = self.project.iri(publisher)
            document["publisher"] = {"@id": iri, "name": self.cat.label(iri, lang)}
        return script_json(document)


def _rows(chunk, folder: str) -> Markup:
    """The ``<li>`` of an index page's entries, written here rather than by a template loop: an index
    page lists a thousand entries, and a million-triple project has a hundred pages of them."""
    # The folder is a relative root, a language code and a kind; a slug is Entity's pattern (letters,
    # digits, ._~-): none of them needs escaping in an attribute.
    lines = []
    for _, _, name, note, slug in chunk:
        extra = f' <span class="note">({html_text(note)})</span>' if note else ""
        lines.append(f'<li><a href="{folder}{slug}.html">{html_text(name)}</a>{extra}</li>\n')
    return Markup("".join(lines))


def html_text(text: str) -> str:
    """``markupsafe.escape`` as a plain string (the same five characters, the same entities), without
    making a Markup object per call."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    return text
