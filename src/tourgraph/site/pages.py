"""The bilingual HTML site: one page per entity and language, index pages, sitemap and robots.txt.

Pages are made from the graph index (no query per page) with templates compiled once.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape, quoteattr

import jinja2
from markupsafe import Markup, escape

from ..graph import SCHEMA
from . import i18n, parallel
from .geo import Point, osm_link, parse_coordinate, svg_map
from . import html
from .graphindex import (
    DCTERMS,
    PERSON_PRIVATE,
    LABEL_PROPERTIES,
    PAGE_KINDS,
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
from .markup import CONTEXT, Framer, script_json

HERE = Path(__file__).parent
PROV = "http://www.w3.org/ns/prov#"
ATTENDEE = SCHEMA + "attendee"
ORGANIZER = SCHEMA + "organizer"
SUB_EVENT = SCHEMA + "subEvent"
LOCATION = SCHEMA + "location"
GEO = SCHEMA + "geo"
START, END = SCHEMA + "startDate", SCHEMA + "endDate"
DESCRIPTION = SCHEMA + "description"
# Shown in the page header rather than as rows of facts.
HEADER_PROPERTIES = frozenset((RDF_TYPE, DESCRIPTION, *LABEL_PROPERTIES[:1]))
# Facts in this order first, the rest by name.
FACT_ORDER = [SCHEMA + p for p in (
    "alternateName", "givenName", "familyName", "jobTitle", "worksFor", "memberOf", "startDate", "endDate", "location", "address", "geo",
    "containedInPlace", "eventStatus", "eventAttendanceMode", "organizer", "funder", "superEvent", "additionalType",
    "parentOrganization", "department", "areaServed", "contactPoint", "headline", "datePublished", "inLanguage",
)]
_FACT_RANK = {p: n for n, p in enumerate(FACT_ORDER)}
INVERSES = {
    SCHEMA + a: SCHEMA + b
    for a, b in (
        ("subEvent", "superEvent"), ("superEvent", "subEvent"), ("department", "parentOrganization"),
        ("parentOrganization", "department"), ("workTranslation", "translationOfWork"),
        ("translationOfWork", "workTranslation"), ("about", "subjectOf"), ("subjectOf", "about"),
    )
}
# The largest number of days a timeline draws one by one; longer events list only their dated parts.
MAX_TIMELINE_DAYS = 62
SITEMAP_LIMIT = 50000


@cache
def environment() -> jinja2.Environment:
    """The template environment, compiled once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals["value"] = value_html
    env.globals["values"] = values_html
    return env


def values_html(values: list[dict], notes: dict, item: str = "li", separator: str = "") -> Markup:
    """Many values, each in its own ``<li>`` (or joined by ``separator`` when ``item`` is empty); in
    Python for the same reason as ``value_html``: lists are the bulk of a page."""
    if item:
        return Markup("\n".join(f"<{item}>{value_html(v, notes)}</{item}>" for v in values))
    return Markup(separator.join(value_html(v, notes) for v in values))


def value_html(v: dict, notes: dict) -> Markup:
    """One value as HTML: a link, a date or text, its note, and the numbers of its sources. Written in
    Python rather than as a template macro because pages call it thousands of times."""
    text = escape(v["text"])
    lang = f' lang="{escape(v["lang"])}"' if v["lang"] else ""
    if v["href"]:
        out = f'<a href="{escape(v["href"])}"{lang}>{text}</a>'
    elif v["datetime"]:
        out = f'<time datetime="{escape(v["datetime"])}">{text}</time>'
    elif lang:
        out = f"<span{lang}>{text}</span>"
    else:
        out = str(text)
    if v["note"]:
        out += f' <span class="note">({escape(v["note"])})</span>'
    for n in sorted({notes[g] for g in v["graphs"] if g in notes}):
        out += f'<sup class="src"><a href="#source-{n}" aria-label="source {n}">{n}</a></sup>'
    return Markup(out)


def page_path(lang: str, entity: Entity) -> str:
    return f"{lang}/{entity.kind}/{entity.slug}.html"


def _is_date(lit) -> bool:
    return lit.datatype.value in (XSD + "date", XSD + "dateTime")


def _day(lit) -> date | None:
    try:
        return date.fromisoformat(lit.value[:10])
    except ValueError:
        return None


class Site:
    """Makes the view of every page from the index and renders it."""

    def __init__(self, index: GraphIndex, project):
        self.ix = index
        self.project = project
        self.base = index.base
        self.framer = Framer(index)
        self.env = environment()
        self.graph_files = {s.graph: s.relpath for s in index.kg.sources}
        self.attendee_roles = sorted(index.sub_properties.get(ATTENDEE, ()), key=self._group_order)
        # Per-build memo of what many pages share: source boxes, navigation, value summaries.
        self._sources: dict = {}
        # Per-process memos for the entity pages: links and notes per (node, language), labels of
        # properties, page shells. Workers fill their own copies.
        self._links: dict = {}
        self._notes: dict = {}
        self._labels: dict = {}
        self._shells: dict = {}
        self._escaped_base = html.esc(self.base)
        self._escaped = {lang: {k: html.esc(v) for k, v in i18n.STRINGS[lang].items()} for lang in i18n.LANGUAGES}

    # ------------------------------------------------------------------ labels and values

    def _group_order(self, prop: str):
        keys = list(i18n.GROUP_LABELS)
        return (keys.index(prop) if prop in keys else len(keys), prop)

    def property_label(self, prop: str, lang: str) -> str:
        key = ("property", prop, lang)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = self._property_label(prop, lang)
        return found

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
        return f"{self.property_label(prop, lang)} (inverse)"

    def group_label(self, prop: str, lang: str) -> str:
        pair = i18n.GROUP_LABELS.get(prop)
        return pair[lang] if pair else i18n.words(self.property_label(prop, lang))

    def literal(self, lit, lang: str, graphs=()) -> dict:
        text = i18n.format_date(lit.value, lang) if _is_date(lit) else lit.value
        return {
            "text": text,
            "href": None,
            "lang": lit.language if lit.language and lit.language != lang else None,
            "datetime": lit.value if _is_date(lit) else None,
            "graphs": tuple(graphs),
            "note": None,
        }

    def link(self, node: str, lang: str, root: str, graphs=(), note: str | None = None) -> dict:
        """A node as a value on a page: a link to its page, a summary of a structured value, or the IRI."""
        entity = self.ix.pages.get(node)
        href = text = None
        if entity is not None:
            href, text = root + page_path(lang, entity), self.ix.label(node, lang)
        elif node.startswith(SCHEMA):
            text = i18n.type_label(node[len(SCHEMA):], lang)
        elif node in self.ix.out:
            text, href = self.summary(node, lang)
        else:
            text, href = node, node
        return {"text": text, "href": href, "lang": None, "datetime": None, "graphs": tuple(graphs), "note": note}

    def summary(self, node: str, lang: str) -> tuple[str, str | None]:
        """One line for a structured value (address, coordinates, contact point) or a labelled term."""
        key = ("summary", node, lang)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = self._summary(node, lang)
        return found

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
        if any(ix.literals(node, p) for p in LABEL_PROPERTIES) and SCHEMA + "ContactPoint" not in types:
            return ix.label(node, lang), None
        parts = []
        for prop in sorted(ix.props(node)):
            if prop != RDF_TYPE and ix.visible(node, prop):
                parts.extend(lit.value for lit in pick_literals(ix.literals(node, prop), lang))
        return (" · ".join(parts) or ix.label(node, lang)), None

    def values(self, node: str, prop: str, lang: str, root: str, objects: dict) -> list[dict]:
        literal_items = pick_literals([o for o in objects if not is_node(o)], lang)
        out = [self.literal(lit, lang, objects[lit]) for lit in literal_items]
        nodes = [self.link(o, lang, root, objects[o]) for o in objects if is_node(o)]
        out.extend(sorted(nodes, key=lambda v: (v["text"].casefold(), v["href"] or "")))
        return out

    def person_note(self, node: str, lang: str) -> str | None:
        """``Job title, Employer`` under a person's name in a list."""
        key = (node, lang)
        if key in self._notes:
            return self._notes[key]
        found = self._notes[key] = self._person_note(node, lang)
        return found

    def _person_note(self, node: str, lang: str) -> str | None:
        parts = [self.ix.text(node, SCHEMA + "jobTitle", lang)]
        parts += sorted(self.ix.label(o, lang) for o in self.ix.objects(node, SCHEMA + "worksFor") if is_node(o))
        parts += sorted(self.ix.label(o, lang) for o in self.ix.objects(node, SCHEMA + "memberOf") if is_node(o))
        return ", ".join(p for p in parts if p) or None

    # ------------------------------------------------------------------ values on entity pages
    #
    # An entity page's values are items ``(html, graphs)``: the value's HTML (as ``value_html`` writes
    # it) without its source numbers, which are added once the page's sources are numbered.

    def link_item(self, node: str, lang: str, root: str) -> tuple[tuple[str, str], str]:
        """``(sort key, html)`` of a node as a link, memoised: hubs are linked from thousands of pages."""
        key = (node, lang, root)
        found = self._links.get(key)
        if found is None:
            entity = self.ix.pages.get(node)
            if entity is not None:  # the common case, without the dict of link() and value_html()
                text, href = self.ix.label(node, lang), root + page_path(lang, entity)
                found = self._links[key] = ((text.casefold(), href), f'<a href="{html.esc(href)}">{html.esc(text)}</a>')
                return found
            v = self.link(node, lang, root)
            found = self._links[key] = ((v["text"].casefold(), v["href"] or ""), str(value_html(v, {})))
        return found

    def literal_html(self, lit, lang: str) -> str:
        """``value_html(self.literal(lit, lang), {})`` without the intermediate dict."""
        if _is_date(lit):
            return f'<time datetime="{html.esc(lit.value)}">{html.esc(i18n.format_date(lit.value, lang))}</time>'
        language = lit.language
        if language and language != lang:
            return f'<span lang="{html.esc(language)}">{html.esc(lit.value)}</span>'
        return html.esc(lit.value)

    def _linked(self, nodes, lang: str, root: str, notes=None) -> list[tuple[str, tuple]]:
        """``(node, graphs)`` pairs as items sorted by label then href (ties in the given order)."""
        rows = []
        for node, graphs in nodes:
            key, text = self.link_item(node, lang, root)
            if notes is not None:
                text += html.note(notes(node))
            rows.append((key, text, graphs))
        rows.sort(key=lambda row: row[0])
        return [(text, graphs) for _, text, graphs in rows]

    def value_items(self, lang: str, root: str, objects: dict) -> list[tuple[str, tuple]]:
        literals = pick_literals([o for o in objects if not is_node(o)], lang)
        items = [(self.literal_html(lit, lang), objects[lit]) for lit in literals]
        items += self._linked(((o, g) for o, g in objects.items() if is_node(o)), lang, root)
        return items

    # ------------------------------------------------------------------ sections of a page

    def facts(self, node: str, lang: str, root: str, skip: set) -> list[tuple[str, list]]:
        """``(label, items)`` per property of the node, in FACT_ORDER then by IRI."""
        ix = self.ix
        props = ix.props(node)
        rows = []
        last = len(FACT_ORDER)
        for prop in sorted(props, key=lambda p: (_FACT_RANK.get(p, last), p)):
            if prop in HEADER_PROPERTIES or prop in skip or not ix.visible(node, prop):
                continue
            objects = props[prop]
            # A super-property's values already shown under one of its sub-properties are not repeated.
            subs = ix.sub_properties.get(prop)
            if subs:
                objects = dict(objects)
                for sub in subs:
                    if sub in props:
                        for o in props[sub]:
                            objects.pop(o, None)
            if objects:
                rows.append((self.property_label(prop, lang), self.value_items(lang, root, objects)))
        return rows

    def role_label(self, prop: str, lang: str) -> str:
        key = ("role", prop, lang)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = self.ix.text(prop, RDFS + "label", lang) or i18n.words(local_name(prop))
        return found

    def incoming(self, node: str, lang: str, root: str, skip: set) -> list[tuple[str, list]]:
        """What points at the node, grouped by property; sub-properties become roles of their super-property."""
        ix = self.ix
        inc = ix.inc.get(node, {})
        props = ix.props(node)
        sections = []
        folded = {sub for sup in inc for sub in ix.sub_properties.get(sup, ()) if sub in inc}
        for prop in sorted(inc):
            if prop == RDF_TYPE or prop in folded or prop in skip:
                continue
            forward = props.get(INVERSES.get(prop, ""), {})
            subs = [sub for sub in ix.sub_properties.get(prop, ()) if sub in inc]
            private = prop in PERSON_PRIVATE
            rows = []
            for subject, graphs in inc[prop].items():
                if subject in forward or (private and not ix.visible(subject, prop)):
                    continue
                key, text = self.link_item(subject, lang, root)
                if subs:
                    roles = sorted(self.role_label(sub, lang) for sub in subs if subject in inc[sub])
                    if roles:
                        text += html.note(i18n.text(lang, "role", roles=", ".join(roles)))
                rows.append((key, text, graphs))
            if rows:
                rows.sort(key=lambda row: row[0])
                sections.append((self.inverse_label(prop, lang), [(text, graphs) for _, text, graphs in rows]))
        return sections

    def groups(self, node: str, lang: str, root: str) -> tuple[list[tuple[str, list]], set]:
        """The delegation, ambassadors, companies, organisers and other attendees of an event."""
        ix = self.ix
        props = ix.props(node)
        groups, shown = [], set()

        def note(member: str) -> str | None:
            return self.person_note(member, lang) if ix.is_person(member) else None

        for prop in [*self.attendee_roles, ORGANIZER, ATTENDEE]:
            members = props.get(prop, {})
            members = {m: g for m, g in members.items() if is_node(m) and (prop != ATTENDEE or m not in shown)}
            if not members:
                continue
            if prop != ORGANIZER:
                shown.update(members)
            title = i18n.text(lang, "other_attendees") if prop == ATTENDEE else self.group_label(prop, lang)
            groups.append((title, self._linked(members.items(), lang, root, note)))
        return groups, {*self.attendee_roles, ORGANIZER, ATTENDEE}

    def _first_date(self, node: str, prop: str):
        dates = sorted((lit for lit in self.ix.literals(node, prop) if _is_date(lit)), key=literal_sort_key)
        return dates[0] if dates else None

    def programme(self, node: str, lang: str, root: str) -> list[dict]:
        ix = self.ix
        rows = []
        for sub, graphs in ix.objects(node, SUB_EVENT).items():
            if not is_node(sub):
                continue
            start = self._first_date(sub, START)
            end = self._first_date(sub, END)
            places = sorted((p, g) for p, g in ix.objects(sub, LOCATION).items() if is_node(p))
            rows.append({
                "node": sub,
                "event": (self.link_item(sub, lang, root)[1], graphs),
                "start": start,
                "end": end,
                "places": [(self.link_item(p, lang, root)[1], g) for p, g in places],
                "sort": (start.value if start else "~", ix.label(sub, lang).casefold(), sub),
            })
        rows.sort(key=lambda r: r["sort"])
        return rows

    def timeline(self, node: str, programme: list[dict], lang: str) -> dict | None:
        start, end = self._first_date(node, START), self._first_date(node, END)
        first, last = (_day(start) if start else None), (_day(end) if end else None)
        if first is None:
            return None
        last = last if last and last >= first else first
        dated, undated = {}, []
        for row in programme:
            day = date.fromisoformat(row["start"].value[:10]) if row["start"] else None
            if day is None:
                undated.append(row)
            else:
                dated.setdefault(day, []).append(row)
        span = (last - first).days + 1
        days = [first + timedelta(n) for n in range(span)] if span <= MAX_TIMELINE_DAYS else []
        days = sorted(set(days) | set(dated))
        return {
            "start": start,
            "end": end,
            "days": [
                {"iso": d.isoformat(), "text": i18n.format_date(d.isoformat(), lang), "events": dated.get(d, []), "inside": first <= d <= last}
                for d in days
            ],
            "undated": undated,
        }

    def venue_points(self, nodes: list[str], lang: str, root: str) -> list[Point]:
        ix = self.ix
        points, seen = [], set()
        for place in nodes:
            for geo in sorted(o for o in ix.objects(place, GEO) if is_node(o)):
                lat, lon = ix.text(geo, SCHEMA + "latitude", None), ix.text(geo, SCHEMA + "longitude", None)
                lat_f = parse_coordinate(lat, 90) if lat else None
                lon_f = parse_coordinate(lon, 180) if lon else None
                if lat_f is None or lon_f is None or (place, lat, lon) in seen:
                    continue
                seen.add((place, lat, lon))
                entity = ix.pages.get(place)
                points.append(Point(
                    number=len(points) + 1, lat=lat_f, lon=lon_f, label=ix.label(place, lang),
                    href=root + page_path(lang, entity) if entity else None, osm=osm_link(lat, lon),
                ))
        return points

    def licence(self, iri: str, lang: str) -> dict:
        titles = self.project.licence.get("title", {})
        text = titles.get(lang) if iri == self.project.licence.get("iri") and isinstance(titles, dict) else None
        return {"text": text or iri, "href": iri}

    # ------------------------------------------------------------------ whole pages

    def chrome(self, lang: str, path: str, alternates: dict[str, str], title: str) -> dict:
        """What every page shares: language, relative root, alternates, navigation."""
        root = "../" * path.count("/")
        other = [code for code in i18n.LANGUAGES if code != lang]
        return {
            "lang": lang,
            "t": i18n.STRINGS[lang],
            "root": root,
            "path": path,
            "title": title,
            "site_title": self.site_title(lang),
            "canonical": self.base + path,
            "alternates": [{"lang": code, "href": self.base + alternates[code]} for code in i18n.LANGUAGES],
            "x_default": self.base + alternates[i18n.LANGUAGES[0]],
            "switch": [{"lang": code, "name": i18n.STRINGS[code]["language_name"], "href": root + alternates[code]} for code in other],
            "nav": self.nav(lang, root),
            "rdf": None,
        }

    def nav(self, lang: str, root: str) -> Markup:
        """The site navigation, the same on every page of a language at one depth: made once."""
        key = ("nav", lang, root)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = Markup("\n".join(
                f'<li><a href="{escape(root)}{lang}/{kind}/index.html">{escape(i18n.KIND_LABELS[kind][lang])}</a></li>'
                for kind in PAGE_KINDS
            ))
        return found

    def site_title(self, lang: str) -> str:
        title = self.project.title
        return title.get(lang) or next(iter(title.values()), "tourgraph") if isinstance(title, dict) else str(title)

    def entity_shell(self, lang: str, root: str) -> html.Shell:
        """``entity.html`` rendered once with placeholders for what differs from page to page."""
        key = (lang, root)
        shell = self._shells.get(key)
        if shell is None:
            slot = html.slot
            context = {
                "lang": lang,
                "t": i18n.STRINGS[lang],
                "root": root,
                "path": slot("path"),
                "title": slot("title"),
                "site_title": self.site_title(lang),
                "canonical": slot("canonical"),
                "alternates": [{"lang": code, "href": slot("alternate-" + code)} for code in i18n.LANGUAGES],
                "x_default": slot("alternate-" + i18n.LANGUAGES[0]),
                "switch": [
                    {"lang": code, "name": i18n.STRINGS[code]["language_name"], "href": slot("switch-" + code)}
                    for code in i18n.LANGUAGES if code != lang
                ],
                "nav": self.nav(lang, root),
                "rdf": {"turtle": slot("turtle"), "jsonld": slot("jsonld-file"), "iri": slot("iri")},
                "jsonld": slot("jsonld"),
                "article": slot("article"),
            }
            shell = self._shells[key] = html.Shell(self.env.get_template("entity.html").render(context))
        return shell

    def entity_pages(self, entity: Entity) -> list[tuple[str, str]]:
        """``(path, html)`` of the entity's page in every language."""
        paths = {code: page_path(code, entity) for code in i18n.LANGUAGES}
        # Paths need no escaping: kinds are fixed names, slugs match graphindex._SLUG (no &<>'").
        base = self._escaped_base
        pages = []
        for lang in i18n.LANGUAGES:
            path = paths[lang]
            root = "../" * path.count("/")
            values = {
                "path": path,
                "title": html.esc(self.ix.label(entity.iri, lang)),
                "canonical": base + path,
                "turtle": f"{root}{entity.path}.ttl",
                "jsonld-file": f"{root}{entity.path}.jsonld",
                "iri": base + entity.path,
                "jsonld": script_json(self.framer.frame(entity.iri, lang)),
                "article": self.article(entity, lang, root),
            }
            for code in i18n.LANGUAGES:
                values["alternate-" + code] = base + paths[code]
                values["switch-" + code] = root + paths[code]
            pages.append((path, self.entity_shell(lang, root).fill(values)))
        return pages

    def entity_page(self, entity: Entity, lang: str) -> str:
        return dict(self.entity_pages(entity))[page_path(lang, entity)]

    def article(self, entity: Entity, lang: str, root: str) -> str:
        """The ``<article>`` of an entity page (the ``main`` block of ``entity.html``)."""
        ix = self.ix
        e = html.esc
        t = self._escaped[lang]
        node = entity.iri
        skip: set = set()
        programme = timeline = None
        groups: list = []
        map_nodes = sorted(o for o in ix.objects(node, LOCATION) if is_node(o))
        if entity.kind == "place":
            map_nodes = [node]
        if ix.objects(node, SUB_EVENT):
            programme = self.programme(node, lang, root)
            timeline = self.timeline(node, programme, lang)
            skip.add(SUB_EVENT)
            map_nodes = [p for row in programme for p in sorted(o for o in ix.objects(row["node"], LOCATION) if is_node(o))] + map_nodes
        if SCHEMA + "Event" in ix.objects(node, RDF_TYPE) or any(ix.objects(node, p) for p in (ATTENDEE, ORGANIZER)):
            groups, handled = self.groups(node, lang, root)
            skip |= handled
        points = self.venue_points(map_nodes, lang, root)
        facts = self.facts(node, lang, root, skip)
        incoming = self.incoming(node, lang, root, set())

        # Sources: every graph stating a fact about the node or a value shown, numbered by file.
        graphs = {g for p in ix.props(node).values() for gs in p.values() for g in gs}
        for _, items in (*facts, *incoming, *groups):
            for _, gs in items:
                graphs.update(gs)
        for row in programme or ():
            graphs.update(row["event"][1])
            for _, gs in row["places"]:
                graphs.update(gs)
        files = self.graph_files
        ordered = sorted((g for g in graphs if g), key=lambda g: (files.get(g, "~" + g), g))
        numbers = {g: n for n, g in enumerate(ordered, start=1)}
        sups = html.sups

        def item(it) -> str:
            return it[0] + sups(it[1], numbers)

        out = [f'<article class="entity {e(entity.kind)}">\n<header>\n<p class="types">']
        out.extend(f'<span class="type">{e(i18n.type_label(x, lang))}</span>' for x in ix.schema_types(node))
        out.append(f"</p>\n<h1>{e(ix.label(node, lang))}</h1>\n")
        lead = self.person_note(node, lang) if ix.is_person(node) else None
        if lead:
            out.append(f'<p class="lead">{e(lead)}</p>')
        out.append(f'<p class="iri"><code>{e(node)}</code></p>\n</header>\n')
        for d in pick_literals(ix.literals(node, DESCRIPTION), lang):
            out.append(f'<p class="description">{self.literal_html(d, lang)}</p>\n')
        if facts:
            out.append(f'<section aria-labelledby="facts">\n<h2 id="facts">{t["facts"]}</h2>\n<dl class="facts">\n')
            for label, items in facts:
                out.append(f'<dt>{e(label)}</dt>\n<dd>{"<br>".join(map(item, items))}</dd>\n')
            out.append("</dl>\n</section>\n")
        if programme:
            out.append(f'<section aria-labelledby="programme">\n<h2 id="programme">{t["programme"]}</h2>\n<ol class="programme">\n')
            for row in programme:
                row["html"] = item(row["event"])
                out.append(f'<li><span class="event">{row["html"]}</span>\n')
                if row["places"]:
                    out.append(f'<span class="where">{t["location"]}{t["sep"]}{", ".join(map(item, row["places"]))}</span>')
                if row["start"]:
                    when = self.literal_html(row["start"], lang)
                    if row["end"]:
                        when += " – " + self.literal_html(row["end"], lang)
                else:
                    when = f'<em>{t["no_date"]}</em>'
                out.append(f'<span class="when">{when}</span></li>\n')
            out.append("</ol>\n</section>\n")
        if timeline:
            out.append(f'<section aria-labelledby="timeline">\n<h2 id="timeline">{t["timeline"]}</h2>\n<p>{self.literal_html(timeline["start"], lang)}')
            if timeline["end"]:
                out.append(" – " + self.literal_html(timeline["end"], lang))
            out.append('</p>\n<ol class="timeline">\n')
            for day in timeline["days"]:
                out.append(f'<li class="{"day" if day["inside"] else "day outside"}"><time datetime="{e(day["iso"])}">{e(day["text"])}</time>\n')
                if day["events"]:
                    out.append("<ul>" + "".join(f'<li>{row["html"]}</li>' for row in day["events"]) + "</ul>")
                out.append("</li>\n")
            out.append("</ol>\n")
            if timeline["undated"]:
                out.append(f'<h3>{t["undated"]}</h3>\n<ul class="undated">\n')
                out.extend(f'<li>{row["html"]} <em>({t["no_date"]})</em></li>\n' for row in timeline["undated"])
                out.append("</ul>\n")
            out.append("</section>\n")
        if points:
            out.append(html.svg_map(svg_map(points), i18n.STRINGS[lang]))
        for title, items in groups:
            out.append(f'<section class="group">\n<h2>{e(title)}</h2>\n<ul class="people">\n')
            out.append("\n".join(f"<li>{item(it)}</li>" for it in items))
            out.append("\n</ul>\n</section>\n")
        for title, items in incoming:
            out.append(f'<section class="incoming">\n<h2>{e(title)}</h2>\n<ul>\n')
            out.append("\n".join(f"<li>{item(it)}</li>" for it in items))
            out.append("\n</ul>\n</section>\n")
        if ordered:
            out.append(f'<section class="sources" aria-labelledby="sources">\n<h2 id="sources">{t["sources"]}</h2>\n<ol>\n')
            for g in ordered:
                out.append(f'<li id="source-{numbers[g]}">{self.source_html(g, lang, root)}</li>\n')
            out.append("</ol>\n</section>\n")
        out.append("</article>\n")
        return "".join(out)

    def source_html(self, graph: str, lang: str, root: str) -> str:
        """A named graph as a source, in the list of an entity page after its number: its file,
        title, the documents it is derived from, its licence. The same on every page: made once."""
        key = ("source", graph, lang, root)
        found = self._sources.get(key)
        if found is not None:
            return found
        ix, e, t = self.ix, html.esc, self._escaped[lang]
        out = f'<span class="file">{t["source_file"]} <code>{e(self.graph_files.get(graph, graph))}</code></span>'
        title = ix.text(graph, DCTERMS + "title", lang)
        if title:
            out += t["sep"] + e(title)
        sources = dict(ix.objects(graph, DCTERMS + "source"))
        for doc in ix.objects(graph, PROV + "wasDerivedFrom"):
            sources.setdefault(doc, [])
        if sources:
            derived = [
                self.document_html(doc, lang, root) if is_node(doc) else self.literal_html(doc, lang)
                for doc in sorted(sources, key=lambda d: (not is_node(d), d if is_node(d) else d.value))
            ]
            out += f'<br>{t["derived_from"]}{t["sep"]}' + " ; ".join(derived)
        licences = [self.licence(o, lang) for o in sorted(o for o in ix.objects(graph, DCTERMS + "license") if is_node(o))]
        if licences:
            out += f'<br>{t["licence"]}{t["sep"]}' + ", ".join(f'<a href="{e(lic["href"])}">{e(lic["text"])}</a>' for lic in licences)
        self._sources[key] = out
        return out

    def document_html(self, doc: str, lang: str, root: str) -> str:
        """A source document: a link to it and the date it was published."""
        key = ("document", doc, lang, root)
        found = self._sources.get(key)
        if found is None:
            published = self._first_date(doc, SCHEMA + "datePublished")
            note = i18n.text(lang, "published", date=i18n.format_date(published.value, lang)) if published else None
            found = self._sources[key] = self.link_item(doc, lang, root)[1] + html.note(note)
        return found

    def site_markup(self, lang: str, url: str, name: str, page_type: str) -> Markup:
        document = {"@context": CONTEXT, "@type": page_type, "@id": url, "url": url, "name": name, "inLanguage": lang}
        publisher = self.project.config.get("publisher", {}).get("iri")
        if publisher:
            iri = self.project.iri(publisher)
            document["publisher"] = {"@id": iri, "name": self.ix.label(iri, lang)}
        return Markup(script_json(document))

    def home_page(self, lang: str) -> str:
        ix = self.ix
        path = f"{lang}/index.html"
        page = self.chrome(lang, path, {code: f"{code}/index.html" for code in i18n.LANGUAGES}, self.site_title(lang))
        root = page["root"]
        tours = [e.iri for e in ix.pages.values() if e.kind == "event" and ix.objects(e.iri, SUB_EVENT)]
        counts = {kind: 0 for kind in PAGE_KINDS}
        for e in ix.pages.values():
            counts[e.kind] += 1
        description = self.project.description
        context = {
            **page,
            "description": description.get(lang, "") if isinstance(description, dict) else str(description),
            "tours": sorted((self.link(t, lang, root) for t in tours), key=lambda v: (v["text"].casefold(), v["href"])),
            "kinds": [
                {"text": i18n.KIND_LABELS[k][lang], "href": f"{root}{lang}/{k}/index.html", "count": i18n.text(lang, "count", n=counts[k])}
                for k in PAGE_KINDS if counts[k]
            ],
            "jsonld": self.site_markup(lang, self.base + path, self.site_title(lang), "WebSite"),
        }
        return self.env.get_template("home.html").render(context, notes={})

    def kind_page(self, kind: str, lang: str, entities: list[Entity]) -> str:
        path = f"{lang}/{kind}/index.html"
        title = i18n.KIND_LABELS[kind][lang]
        page = self.chrome(lang, path, {code: f"{code}/{kind}/index.html" for code in i18n.LANGUAGES}, title)
        root = page["root"]
        items = []
        for e in entities:
            item = self.link(e.iri, lang, root)
            types = ", ".join(i18n.type_label(t, lang) for t in self.ix.schema_types(e.iri))
            item["note"] = self.person_note(e.iri, lang) if self.ix.is_person(e.iri) else types
            items.append(item)
        items.sort(key=lambda v: (v["text"].casefold(), v["href"]))
        context = {**page, "entries": items, "jsonld": self.site_markup(lang, self.base + path, title, "CollectionPage")}
        return self.env.get_template("kind.html").render(context, notes={})

    def chooser_page(self) -> str:
        page = self.chrome(i18n.LANGUAGES[0], "index.html", {code: f"{code}/index.html" for code in i18n.LANGUAGES}, self.site_title(i18n.LANGUAGES[0]))
        context = {
            **page,
            "choices": [
                {"lang": code, "href": f"{code}/index.html", "name": i18n.STRINGS[code]["language_name"], "title": self.site_title(code), "prompt": i18n.STRINGS[code]["choose_language"], "sep": i18n.STRINGS[code]["sep"]}
                for code in i18n.LANGUAGES
            ],
            "jsonld": self.site_markup(i18n.LANGUAGES[0], self.base, self.site_title(i18n.LANGUAGES[0]), "WebSite"),
        }
        return self.env.get_template("chooser.html").render(context)


def sitemap_urls(index: GraphIndex) -> list[dict[str, str]]:
    """Every page in every language, as {lang: relative path}, in a stable order."""
    groups = [{code: "index.html" for code in i18n.LANGUAGES}]
    groups.append({code: f"{code}/index.html" for code in i18n.LANGUAGES})
    kinds = sorted({e.kind for e in index.pages.values()})
    groups += [{code: f"{code}/{kind}/index.html" for code in i18n.LANGUAGES} for kind in kinds]
    groups += [{code: page_path(code, e) for code in i18n.LANGUAGES} for e in index.pages.values()]
    return groups


def write_sitemaps(out: Path, base: str, groups: list[dict[str, str]]) -> list[str]:
    """sitemap.xml with hreflang alternates; above 50,000 URLs, a sitemap index over numbered parts."""
    entries = []
    seen = set()
    for group in groups:
        for code in i18n.LANGUAGES:
            if group[code] in seen:
                continue
            seen.add(group[code])
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{other}" href={quoteattr(base + group[other])}/>'
                for other in i18n.LANGUAGES
            )
            entries.append(f"<url><loc>{xml_escape(base + group[code])}</loc>{links}</url>\n")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    if len(entries) <= SITEMAP_LIMIT:
        (out / "sitemap.xml").write_text(head + "".join(entries) + "</urlset>\n", encoding="utf-8")
        return ["sitemap.xml"]
    names = []
    for start in range(0, len(entries), SITEMAP_LIMIT):
        name = f"sitemap-{start // SITEMAP_LIMIT + 1}.xml"
        (out / name).write_text(head + "".join(entries[start:start + SITEMAP_LIMIT]) + "</urlset>\n", encoding="utf-8")
        names.append(name)
    parts = "".join(f"<sitemap><loc>{xml_escape(base + n)}</loc></sitemap>\n" for n in names)
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + parts + "</sitemapindex>\n",
        encoding="utf-8",
    )
    return ["sitemap.xml", *names]


class SiteWriter:
    """The site's files as work for ``parallel.run``: ``entity(e)`` writes the pages of one entity
    (nothing for an entity without a page), ``jobs()`` the index pages, static files, sitemaps and
    robots.txt. Folders are made here, once."""

    def __init__(self, index: GraphIndex, project, out: Path):
        self.index = index
        self.out = out
        self.site = site = Site(index, project)
        self.by_kind: dict[str, list[Entity]] = {}
        for entity in index.pages.values():
            self.by_kind.setdefault(entity.kind, []).append(entity)
        for lang in i18n.LANGUAGES:
            for kind in self.by_kind:
                (out / lang / kind).mkdir(parents=True, exist_ok=True)
        (out / "static").mkdir(exist_ok=True)
        self.folder = f"{out}/"
        # Templates compiled and page shells made before any fork, once for all workers.
        for name in ("home.html", "kind.html", "chooser.html"):
            site.env.get_template(name)
        for lang in i18n.LANGUAGES:
            site.entity_shell(lang, "../../")

    def entity(self, entity: Entity) -> None:
        if entity.iri in self.index.pages:
            for path, text in self.site.entity_pages(entity):
                html.write_file(self.folder + path, text.encode("utf-8"))

    def _write(self, path: str, text: str) -> None:
        html.write_file(self.folder + path, text.encode("utf-8"))

    def jobs(self) -> list:
        """The other files, one job each, largest first."""
        site, out, index = self.site, self.out, self.index
        kinds = sorted(self.by_kind, key=lambda k: -len(self.by_kind[k]))
        jobs = [
            (lambda kind=kind, lang=lang: self._write(f"{lang}/{kind}/index.html", site.kind_page(kind, lang, self.by_kind[kind])))
            for kind in kinds for lang in i18n.LANGUAGES
        ]
        jobs.append(lambda: write_sitemaps(out, index.base, sitemap_urls(index)))
        jobs += [(lambda lang=lang: self._write(f"{lang}/index.html", site.home_page(lang))) for lang in i18n.LANGUAGES]
        jobs.append(lambda: self._write("index.html", site.chooser_page()))
        jobs.append(self._static)
        return jobs

    def _static(self) -> None:
        for item in sorted((HERE / "static").iterdir()):
            if item.is_file():
                shutil.copyfile(item, self.out / "static" / item.name)
        self._write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {self.index.base}sitemap.xml\n")


def write_site(index: GraphIndex, project, out: Path) -> None:
    """Every page, the static files, sitemap.xml and robots.txt under ``out``."""
    writer = SiteWriter(index, project, out)
    parallel.run(writer.entity, list(index.pages.values()), jobs=writer.jobs())
