"""The view model of an entity's page in one language: what the page shows, as plain data for the
``entity.html`` template. People first (the tour at a glance, programme, map, who took part), the
provenance in a compact "About this data" section at the end."""

from __future__ import annotations

from datetime import date, timedelta

from ..graph import SCHEMA
from . import i18n
from .geo import venue_map
from .graphindex import DCTERMS, PERSON_PRIVATE, RDF_TYPE, Entity, is_node, pick_literals
from .markup import script_json
from .values import Value, Values, page_path

PROV = "http://www.w3.org/ns/prov#"
EXAMPLE = "https://tourgraph.example/ns#example"
ATTENDEE, ORGANIZER = SCHEMA + "attendee", SCHEMA + "organizer"
SUB_EVENT, LOCATION, GEO = SCHEMA + "subEvent", SCHEMA + "location", SCHEMA + "geo"
START, END = SCHEMA + "startDate", SCHEMA + "endDate"
DESCRIPTION, IMAGE = SCHEMA + "description", SCHEMA + "image"
QUOTED = (SCHEMA + "articleBody", SCHEMA + "text")
# Shown in the page's header, the glance, the quote or the images rather than as rows of facts.
HEADER_PROPERTIES = frozenset((RDF_TYPE, DESCRIPTION, SCHEMA + "name", IMAGE, *QUOTED))
FACT_ORDER = [SCHEMA + p for p in (
    "alternateName", "givenName", "familyName", "jobTitle", "worksFor", "memberOf", "startDate", "endDate", "location", "address",
    "geo", "containedInPlace", "eventStatus", "eventAttendanceMode", "organizer", "funder", "superEvent", "additionalType",
    "parentOrganization", "department", "areaServed", "contactPoint", "url", "sameAs", "headline", "datePublished", "inLanguage",
)]
_FACT_RANK = {p: n for n, p in enumerate(FACT_ORDER)}
INVERSES = {SCHEMA + a: SCHEMA + b for a, b in (
    ("subEvent", "superEvent"), ("superEvent", "subEvent"), ("department", "parentOrganization"),
    ("parentOrganization", "department"), ("workTranslation", "translationOfWork"),
    ("translationOfWork", "workTranslation"), ("about", "subjectOf"), ("subjectOf", "about"),
)}
MAX_TIMELINE_DAYS = 62


def _day(lit) -> date | None:
    try:
        return date.fromisoformat(lit.value[:10])
    except ValueError:
        return None


class EntityViews:
    """Makes the view model of any entity's page from the graph index."""

    def __init__(self, values: Values, framer):
        self.v = values
        self.ix = values.ix
        self.framer = framer
        self.graph_files = {s.graph: s.relpath for s in self.ix.kg.sources}
        self.attendee_roles = sorted(self.ix.sub_properties.get(ATTENDEE, ()), key=self._group_order)
        self._lines = getattr(self.ix.kg, "index", None)

    def _group_order(self, prop: str):
        keys = list(i18n.GROUP_LABELS)
        return (keys.index(prop) if prop in keys else len(keys), prop)

    def view(self, entity: Entity, lang: str, root: str) -> dict:
        ix, node = self.ix, entity.iri
        skip: set = set()
        programme = groups = glance = None
        if ix.objects(node, SUB_EVENT):
            programme = self.programme(node, lang, root)
            skip.add(SUB_EVENT)
        if SCHEMA + "Event" in ix.objects(node, RDF_TYPE) or any(ix.objects(node, p) for p in (ATTENDEE, ORGANIZER)):
            groups, handled = self.groups(node, lang, root)
            skip |= handled
        if programme is not None:
            glance = self.glance(node, lang, root, programme, groups)
        map_view = self.map(entity, lang, root, programme)
        return {
            "kind": entity.kind,
            "iri": node,
            "title": ix.label(node, lang),
            "example": self.is_example(node),
            "types": [i18n.type_label(t, lang) for t in ix.schema_types(node)],
            "lead": self.v.note_for(node, lang),
            "descriptions": self.view_descriptions(node, lang),
            "images": self.images(node, lang),
            "quote": self.quote(node, lang),
            "glance": glance,
            "programme": programme or [],
            "timeline": self.timeline(node, programme, lang) if programme else None,
            "map": map_view,
            "groups": groups or [],
            "facts": self.facts(node, lang, root, skip),
            "incoming": self.incoming(node, lang, root),
            "about": self.about(node, lang, root),
            "rdf": {"turtle": f"{root}{entity.path}.ttl", "jsonld": f"{root}{entity.path}.jsonld"},
            "jsonld": script_json(self.framer.frame(node, lang)),
            "description": self._meta_description(node, lang),
        }

    def is_example(self, node: str) -> bool:
        """Whether the data flags the entity as invented (``tg:example true``, as ``tourgraph new
        project``'s example tour does)."""
        return any(not is_node(o) and o.value in ("true", "1") for o in self.ix.objects(node, EXAMPLE))

    def view_descriptions(self, node: str, lang: str) -> list[Value]:
        return [self.v.literal(d, lang) for d in pick_literals(self.ix.literals(node, DESCRIPTION), lang)]

    def _meta_description(self, node: str, lang: str) -> str:
        found = pick_literals(self.ix.literals(node, DESCRIPTION), lang)
        text = found[0].value if found else (self.v.note_for(node, lang) or self.v.site_description(lang))
        return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"

    # ------------------------------------------------------------------ what, when, where, who

    def programme(self, node: str, lang: str, root: str) -> list[dict]:
        """The sub-events in itinerary order: by date, then in the order the data describes them (the
        source file and line), then by IRI; numbered 1, 2, … the same in every language and on the map."""
        ix = self.ix
        rows = []
        for sub in ix.objects(node, SUB_EVENT):
            if not is_node(sub):
                continue
            start, end = self.v.first_date(sub, START), self.v.first_date(sub, END)
            places = sorted(p for p in ix.objects(sub, LOCATION) if is_node(p))
            rows.append({
                "node": sub, "start": start, "end": end, "places": places,
                "sort": (start.value if start else "~", self._written_at(sub), sub),
            })
        rows.sort(key=lambda r: r["sort"])
        out = []
        for number, row in enumerate(rows, start=1):
            out.append({
                "number": number,
                "node": row["node"],
                "event": self.v.link(row["node"], lang, root),
                "places": [self.v.link(p, lang, root) for p in row["places"]],
                "place_nodes": row["places"],
                "start": self.v.literal(row["start"], lang) if row["start"] else None,
                "end": self.v.literal(row["end"], lang) if row["end"] else None,
                "day": _day(row["start"]) if row["start"] else None,
            })
        return out

    def _written_at(self, node: str) -> tuple:
        import pyoxigraph as ox

        if self._lines is None:
            return ("~", 0)
        places = [p for p in self._lines.places(ox.NamedNode(node)) if p.line is not None]
        first = min(places, key=lambda p: (not p.typed, p.file, p.line)) if places else None
        return (first.file, first.line) if first else ("~", 0)

    def timeline(self, node: str, programme: list[dict], lang: str) -> dict | None:
        """Days of the event, drawn only when some part of the programme has a date."""
        dated = [row for row in programme if row["day"]]
        if not dated:
            return None
        start, end = self.v.first_date(node, START), self.v.first_date(node, END)
        first = (_day(start) if start else None) or min(row["day"] for row in dated)
        last = (_day(end) if end else None) or max(row["day"] for row in dated)
        last = max(last, first)
        by_day: dict = {}
        for row in dated:
            by_day.setdefault(row["day"], []).append(row)
        span = (last - first).days + 1
        days = [first + timedelta(n) for n in range(span)] if span <= MAX_TIMELINE_DAYS else []
        days = sorted(set(days) | set(by_day))
        return {
            "days": [{"iso": d.isoformat(), "text": i18n.format_date(d.isoformat(), lang), "rows": by_day.get(d, [])} for d in days],
            "undated": [row for row in programme if not row["day"]],
        }

    def groups(self, node: str, lang: str, root: str) -> tuple[list[dict], set]:
        """The delegation, ambassadors, companies, organisers and other attendees of an event."""
        ix = self.ix
        props = ix.props(node)
        groups, shown = [], set()
        for prop in [*self.attendee_roles, ORGANIZER, ATTENDEE]:
            members = {m for m in props.get(prop, {}) if is_node(m) and (prop != ATTENDEE or m not in shown)}
            if not members:
                continue
            if prop != ORGANIZER:
                shown.update(members)
            title = i18n.text(lang, "other_attendees") if prop == ATTENDEE else self.v.group_label(prop, lang)
            items = sorted((self.v.link(m, lang, root, self.v.note_for(m, lang)) for m in members), key=lambda v: (v.text.casefold(), v.href or ""))
            people = [m for m in members if ix.is_person(m)]
            groups.append({"prop": prop, "title": title, "items": items, "people": len(people), "count": len(members)})
        return groups, {*self.attendee_roles, ORGANIZER, ATTENDEE}

    def glance(self, node: str, lang: str, root: str, programme: list[dict], groups: list[dict] | None) -> dict:
        """The tour at a glance: dates, the delegation's size, the venues and towns, organisers, press contacts."""
        ix, v = self.ix, self.v
        start, end = v.first_date(node, START), v.first_date(node, END)
        venues = []
        for row in programme:
            for place in row["place_nodes"]:
                if place not in venues:
                    venues.append(place)
        counts = [{"n": g["count"], "label": g["title"]} for g in groups or () if g["prop"] != ORGANIZER]
        organisers = [g for g in groups or () if g["prop"] == ORGANIZER]
        return {
            "start": v.literal(start, lang) if start else None,
            "end": v.literal(end, lang) if end else None,
            "where": [v.link(p, lang, root) for p in sorted(p for p in ix.objects(node, LOCATION) if is_node(p))],
            "counts": counts,
            "stops": len(programme),
            "venues": [v.link(p, lang, root) for p in venues],
            "organisers": organisers[0]["items"] if organisers else [],
            "press": self.press_contacts(node, lang, groups),
        }

    def press_contacts(self, node: str, lang: str, groups) -> list[dict]:
        """The press contact points of the organisers (and of the event itself), as mailto links."""
        ix = self.ix
        owners = [node] + [m for g in groups or () if g["prop"] == ORGANIZER for m in sorted(ix.objects(node, ORGANIZER)) if is_node(m)]
        out, seen = [], set()
        for owner in owners:
            for point in sorted(p for p in ix.objects(owner, SCHEMA + "contactPoint") if is_node(p)):
                kind = (ix.text(point, SCHEMA + "contactType", None) or "").casefold()
                email = ix.text(point, SCHEMA + "email", None)
                if kind != "press" or not email or point in seen:
                    continue
                seen.add(point)
                organisation = ix.label(owner, lang) if owner != node else None
                out.append({"name": ix.text(point, SCHEMA + "name", lang) or email, "email": email, "organisation": organisation})
        return out

    def map(self, entity: Entity, lang: str, root: str, programme: list[dict] | None) -> dict | None:
        """The venues of a tour (numbered as in the programme), of an event, or the place itself."""
        ix, node = self.ix, entity.iri
        stops: list[tuple[int | None, str]] = []
        if programme:
            stops = [(row["number"], p) for row in programme for p in row["place_nodes"]]
        elif entity.kind == "place":
            stops = [(None, node)]
        else:
            stops = [(None, p) for p in sorted(o for o in ix.objects(node, LOCATION) if is_node(o))]
        points, missing = [], []
        for number, place in stops:
            coordinate = self.coordinates(place)
            label = ix.label(place, lang)
            entity_page = ix.pages.get(place)
            href = root + page_path(lang, entity_page) if entity_page else None
            if coordinate is None:
                missing.append({"number": number, "label": label, "href": href})
            else:
                points.append({"number": number, "label": label, "href": href, "lat": coordinate[0], "lon": coordinate[1]})
        return venue_map(points, missing, lang) if points else None

    def coordinates(self, place: str) -> tuple[float, float] | None:
        from .geo import parse_coordinate

        for geo in sorted(o for o in self.ix.objects(place, GEO) if is_node(o)):
            lat, lon = self.ix.text(geo, SCHEMA + "latitude", None), self.ix.text(geo, SCHEMA + "longitude", None)
            lat_f = parse_coordinate(lat, 90) if lat else None
            lon_f = parse_coordinate(lon, 180) if lon else None
            if lat_f is not None and lon_f is not None:
                return lat_f, lon_f
        return None

    # ------------------------------------------------------------------ images, quotes, facts

    def images(self, node: str, lang: str) -> list[dict]:
        """``schema:image`` as ImageObjects with their licence and credit; an image without both is not shown."""
        ix, out = self.ix, []
        for image in sorted(o for o in ix.objects(node, IMAGE) if is_node(o)):
            # contentUrl (an IRI, or a URL written as text), else the image's own IRI.
            given = sorted(o if is_node(o) else o.value for o in ix.objects(image, SCHEMA + "contentUrl"))
            url = given[0] if given else (image if not image.startswith("_:") else None)
            licence = sorted(o for o in ix.objects(image, SCHEMA + "license") if is_node(o))
            credit = ix.text(image, SCHEMA + "creditText", lang)
            if not url or not licence or not credit:
                continue
            caption = ix.text(image, SCHEMA + "caption", lang) or ix.text(image, SCHEMA + "name", lang) or ix.label(node, lang)
            out.append({"src": url, "alt": caption, "credit": credit, "licence": self.v.licence(licence[0], lang)})
        return out

    def quote(self, node: str, lang: str) -> dict | None:
        """A document's own text (a press release is the source of the facts), and its original URL."""
        for prop in QUOTED:
            found = pick_literals(self.ix.literals(node, prop), lang)
            if found:
                url = next((o for o in sorted(self.ix.objects(node, SCHEMA + "url")) if is_node(o)), None)
                lit = found[0]
                return {"paragraphs": [p.strip() for p in lit.value.split("\n\n") if p.strip()], "lang": lit.language if lit.language != lang else None, "url": url}
        return None

    def facts(self, node: str, lang: str, root: str, skip: set) -> list[tuple[str, list[Value]]]:
        ix = self.ix
        props = ix.props(node)
        rows, last = [], len(FACT_ORDER)
        for prop in sorted(props, key=lambda p: (_FACT_RANK.get(p, last), p)):
            if prop in HEADER_PROPERTIES or prop in skip or not ix.visible(node, prop):
                continue
            objects = props[prop]
            subs = ix.sub_properties.get(prop)
            if subs:
                objects = {o: g for o, g in objects.items() if not any(o in props.get(sub, ()) for sub in subs)}
            if objects:
                rows.append((self.v.property_label(prop, lang), self.v.values(objects, lang, root)))
        return rows

    def incoming(self, node: str, lang: str, root: str) -> list[tuple[str, list[Value]]]:
        """What points at the node, grouped by property; sub-properties become roles of their super-property."""
        ix, v = self.ix, self.v
        inc = ix.inc.get(node, {})
        props = ix.props(node)
        folded = {sub for sup in inc for sub in ix.sub_properties.get(sup, ()) if sub in inc}
        sections = []
        for prop in sorted(inc):
            if prop == RDF_TYPE or prop in folded:
                continue
            forward = props.get(INVERSES.get(prop, ""), {})
            subs = [sub for sub in ix.sub_properties.get(prop, ()) if sub in inc]
            private = prop in PERSON_PRIVATE
            rows = []
            for subject in inc[prop]:
                if subject in forward or (private and not ix.visible(subject, prop)):
                    continue
                note = None
                if subs:
                    roles = sorted(v.role_label(sub, lang) for sub in subs if subject in inc[sub])
                    note = i18n.text(lang, "role", roles=", ".join(roles)) if roles else None
                rows.append(v.link(subject, lang, root, note))
            if rows:
                rows.sort(key=lambda x: (x.text.casefold(), x.href or ""))
                sections.append((v.inverse_label(prop, lang), rows))
        return sections

    # ------------------------------------------------------------------ about this data

    def about(self, node: str, lang: str, root: str) -> dict:
        """Where the page's facts come from: the files (named graphs) stating them, their sources and licences."""
        ix = self.ix
        graphs = {g for objects in ix.props(node).values() for gs in objects.values() for g in gs if g}
        files = self.graph_files
        sources = []
        for graph in sorted(graphs, key=lambda g: (files.get(g, "~" + g), g)):
            sources.append(self.v._cached(("source", graph, lang, root), lambda graph=graph: self._source(graph, lang, root)))
        return {"iri": node, "sources": sources}

    def _source(self, graph: str, lang: str, root: str) -> dict:
        ix, v = self.ix, self.v
        docs = dict(ix.objects(graph, DCTERMS + "source"))
        for doc in ix.objects(graph, PROV + "wasDerivedFrom"):
            docs.setdefault(doc, [])
        derived = []
        for doc in sorted(docs, key=lambda d: (not is_node(d), d if is_node(d) else d.value)):
            if is_node(doc):
                published = v.first_date(doc, SCHEMA + "datePublished")
                note = i18n.text(lang, "published", date=i18n.format_date(published.value, lang)) if published else None
                derived.append(v.link(doc, lang, root, note))
            else:
                derived.append(v.literal(doc, lang))
        licences = [v.licence(o, lang) for o in sorted(o for o in ix.objects(graph, DCTERMS + "license") if is_node(o))]
        return {"file": self.graph_files.get(graph, graph), "title": ix.text(graph, DCTERMS + "title", lang), "derived": derived, "licences": licences}
