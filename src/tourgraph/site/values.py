"""Values as a page shows them: labels of properties, types and nodes, literals in the page's language,
links to other pages, one-line summaries of structured values. Plain data (``Value``), rendered by the
templates' ``value`` macro."""

from __future__ import annotations

from typing import NamedTuple

from ..graph import SCHEMA
from . import i18n
from .geo import osm_link
from .graphindex import (
    LABEL_PROPERTIES,
    RDF_TYPE,
    RDFS,
    XSD,
    Entity,
    GraphIndex,
    is_node,
    literal_sort_key,
    local_name,
    pick_literals,
)


class Value(NamedTuple):
    """One value on a page: text, and a link (``href``), a date (``datetime``) or a language tag
    (``lang``, set only when it differs from the page's), with an optional note in brackets."""

    text: str
    href: str | None = None
    lang: str | None = None
    datetime: str | None = None
    note: str | None = None


def page_path(lang: str, entity: Entity) -> str:
    return f"{lang}/{entity.kind}/{entity.slug}.html"


def is_date(lit) -> bool:
    return lit.datatype.value in (XSD + "date", XSD + "dateTime")


class Values:
    """Labels and values of one graph index, memoised per process (hubs are linked from many pages)."""

    def __init__(self, index: GraphIndex, project):
        self.ix = index
        self.project = project
        self._memo: dict = {}

    def _cached(self, key, make):
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def property_label(self, prop: str, lang: str) -> str:
        return self._cached(("property", prop, lang), lambda: self._property_label(prop, lang))

    def _property_label(self, prop: str, lang: str) -> str:
        if prop.startswith(SCHEMA):
            found = i18n.property_label(prop[len(SCHEMA):], lang)
            if found:
                return found
        label = self.ix.text(prop, RDFS + "label", lang)
        return label[:1].upper() + label[1:] if label else i18n.words(local_name(prop))

    def inverse_label(self, prop: str, lang: str) -> str:
        if prop.startswith(SCHEMA):
            found = i18n.inverse_label(prop[len(SCHEMA):], lang)
            if found:
                return found
        return i18n.text(lang, "inverse", label=self.property_label(prop, lang))

    def group_label(self, prop: str, lang: str) -> str:
        pair = i18n.GROUP_LABELS.get(prop)
        return i18n.pick(pair, lang) if pair else i18n.words(self.property_label(prop, lang))

    def role_label(self, prop: str, lang: str) -> str:
        return self._cached(("role", prop, lang), lambda: self.ix.text(prop, RDFS + "label", lang) or i18n.words(local_name(prop)))

    def literal(self, lit, lang: str) -> Value:
        if is_date(lit):
            return Value(i18n.format_date(lit.value, lang), datetime=lit.value)
        return Value(lit.value, lang=lit.language if lit.language and lit.language != lang else None)

    def link(self, node: str, lang: str, root: str, note: str | None = None) -> Value:
        """A node as a value: a link to its page, a summary of a structured value, or the IRI itself."""
        found = self._cached(("link", node, lang, root), lambda: self._link(node, lang, root))
        return found._replace(note=note) if note else found

    def _link(self, node: str, lang: str, root: str) -> Value:
        entity = self.ix.pages.get(node)
        if entity is not None:
            return Value(self.ix.label(node, lang), href=root + page_path(lang, entity))
        if node.startswith(SCHEMA):
            return Value(i18n.type_label(node[len(SCHEMA):], lang))
        if node in self.ix.out:
            text, href = self.summary(node, lang)
            return Value(text, href=href)
        return Value(node, href=node)

    def summary(self, node: str, lang: str) -> tuple[str, str | None]:
        """One line for a structured value (address, coordinates, contact point) or a labelled term."""
        return self._cached(("summary", node, lang), lambda: self._summary(node, lang))

    def _summary(self, node: str, lang: str) -> tuple[str, str | None]:
        ix = self.ix
        types = ix.objects(node, RDF_TYPE)
        if SCHEMA + "GeoCoordinates" in types:
            lat, lon = ix.text(node, SCHEMA + "latitude", None), ix.text(node, SCHEMA + "longitude", None)
            if lat and lon:
                return f"{lat}, {lon}", osm_link(lat, lon)
        if SCHEMA + "PostalAddress" in types:
            parts = [ix.text(node, SCHEMA + p, lang) for p in ("streetAddress", "postalCode", "addressLocality", "addressRegion", "addressCountry")]
            line = ", ".join(p for p in parts if p)
            if line:
                return line, None
        if SCHEMA + "ContactPoint" in types:
            email = ix.text(node, SCHEMA + "email", None)
            name = ix.text(node, SCHEMA + "name", lang)
            if email:
                return (f"{name} <{email}>" if name else email), "mailto:" + email
        if any(ix.literals(node, p) for p in LABEL_PROPERTIES) and SCHEMA + "ContactPoint" not in types:
            return ix.label(node, lang), None
        parts = []
        for prop in sorted(ix.props(node)):
            if prop != RDF_TYPE and ix.visible(node, prop):
                parts.extend(lit.value for lit in pick_literals(ix.literals(node, prop), lang))
        return (" · ".join(parts) or ix.label(node, lang)), None

    def values(self, objects, lang: str, root: str) -> list[Value]:
        """The objects of a property: literals in the page's language, then links sorted by label."""
        literals = pick_literals([o for o in objects if not is_node(o)], lang)
        out = [self.literal(lit, lang) for lit in literals]
        links = [self.link(o, lang, root) for o in objects if is_node(o)]
        out.extend(sorted(links, key=lambda v: (v.text.casefold(), v.href or "")))
        return out

    def person_note(self, node: str, lang: str) -> str | None:
        """``Job title, Employer`` under a person's name in a list."""
        return self._cached(("note", node, lang), lambda: self._person_note(node, lang)) or None

    def _person_note(self, node: str, lang: str) -> str:
        ix = self.ix
        parts = [ix.text(node, SCHEMA + "jobTitle", lang)]
        for prop in ("worksFor", "memberOf"):
            parts += sorted(ix.label(o, lang) for o in ix.objects(node, SCHEMA + prop) if is_node(o))
        return ", ".join(p for p in parts if p)

    def note_for(self, node: str, lang: str) -> str | None:
        return self.person_note(node, lang) if self.ix.is_person(node) else None

    def first_date(self, node: str, prop: str):
        dates = sorted((lit for lit in self.ix.literals(node, prop) if is_date(lit)), key=literal_sort_key)
        return dates[0] if dates else None

    def site_title(self, lang: str) -> str:
        title = self.project.title
        if isinstance(title, dict):
            return title.get(lang) or next(iter(title.values()), "tourgraph")
        return str(title)

    def site_description(self, lang: str) -> str:
        description = self.project.description
        if isinstance(description, dict):
            return description.get(lang) or next(iter(description.values()), "")
        return str(description)

    def licence(self, iri: str, lang: str) -> Value:
        titles = self.project.licence.get("title", {})
        text = titles.get(lang) if iri == self.project.licence.get("iri") and isinstance(titles, dict) else None
        return Value(text or iri, href=iri)
