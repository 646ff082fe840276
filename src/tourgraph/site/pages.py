"""Whole pages: a view model (``entity_view``, ``lists``) put in the site's chrome and rendered by
the templates (``render``). The same calls make the pages ``build`` writes and those ``serve``
renders on demand."""

from __future__ import annotations

from . import i18n
from .entity_view import EntityViews
from .graphindex import Entity, GraphIndex
from .markup import CONTEXT, Framer, script_json
from .render import chrome, render
from .values import Values, page_path


class Pages:
    """Renders the pages of one graph index (a full one, or ``GraphIndex.around`` some entities)."""

    def __init__(self, index: GraphIndex, project):
        self.ix = index
        self.project = project
        self.languages = list(project.languages)
        self.values = Values(index, project)
        self.framer = Framer(index)
        self.views = EntityViews(self.values, self.framer)

    def entity_page(self, entity: Entity, lang: str) -> str:
        path = page_path(lang, entity)
        root = "../" * path.count("/")
        view = self.views.view(entity, lang, root)
        page = chrome(self.project, lang, path, {code: page_path(code, entity) for code in self.languages}, view["title"],
                      description=view["description"], kind="article" if entity.kind == "document" else "website")
        page["rdf"] = view["rdf"]
        page["image"] = view["images"][0]["src"] if view["images"] else None
        return render("entity.html", view, page)

    def entity_pages(self, entity: Entity) -> list[tuple[str, str]]:
        """``(path, html)`` of the entity's page in every language."""
        return [(page_path(lang, entity), self.entity_page(entity, lang)) for lang in self.languages]

    def site_markup(self, lang: str, url: str, name: str, page_type: str) -> str:
        document = {"@context": CONTEXT, "@type": page_type, "@id": url, "url": url, "name": name, "inLanguage": lang}
        publisher = self.project.config.get("publisher", {}).get("iri")
        if publisher:
            iri = self.project.iri(publisher)
            document["publisher"] = {"@id": iri, "name": self.ix.label(iri, lang)}
        return script_json(document)

    def glance(self, tour: str, lang: str, root: str) -> dict:
        """A tour's card on the home page: its link, dates, venues, who, organisers, press contacts."""
        entity = self.ix.pages[tour]
        views = self.views
        programme = views.programme(tour, lang, root)
        groups, _ = views.groups(tour, lang, root)
        glance = views.glance(tour, lang, root, programme, groups)
        first = next((g for g in groups if g["people"]), None)
        descriptions = views.view_descriptions(tour, lang)
        return {
            "link": self.values.link(entity.iri, lang, root),
            "glance": glance,
            "faces": first["items"] if first else [],
            "faces_title": first["title"] if first else "",
            "description": descriptions[0] if descriptions else None,
            "example": views.is_example(tour),
        }


def interface(lang: str) -> dict:
    return i18n.strings(lang)
