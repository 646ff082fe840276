"""CSV tables of the public graph (people, organisations, places, events, participations); their
descriptions are in ``tablemeta``.

Entity tables have one row per entity (an IRI ``{base}{kind}/{slug}`` with a ``schema:name``), sorted
by IRI, and a fixed column order. Translated text has one column per project language plus one for
text without a language tag, so each cell maps back to exactly the literal it came from. A list of
IRIs cannot be mapped by CSVW (a URI template turns a list into one IRI), so multi-valued link columns
are for people reading the table; the RDF dumps and participations.csv carry those links.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import pyoxigraph as ox

from ..graph import RDF_TYPE, SCHEMA, TG, KnowledgeGraph

XSD = "http://www.w3.org/2001/XMLSchema#"
CSVW_DATATYPES = {
    XSD + "string": "string",
    XSD + "date": "date",
    XSD + "dateTime": "datetime",
    XSD + "decimal": "decimal",
    XSD + "double": "double",
    XSD + "integer": "integer",
    XSD + "boolean": "boolean",
}
LANGUAGE_NAMES = {"fr": ("en français", "in French"), "en": ("en anglais", "in English")}


@dataclass(frozen=True)
class Column:
    """One CSV column and how its cells map to RDF (``prop`` None: for readers only, no RDF)."""

    name: str
    prop: str | None = None
    kind: str = "literal"  # "id", "literal", "iri" or "links" (IRIs separated by spaces, no RDF)
    lang: str | None = None
    datatype: str = "string"
    about: str | None = None  # the column holding the subject IRI, when it is not the row's entity
    multi: bool = False
    label: tuple[str, str] = ("", "")
    translated: bool = False  # one of a group of columns: no language, then one per project language

    @property
    def mapped(self) -> bool:
        return self.prop is not None and self.kind in ("literal", "iri")

    def description(self) -> dict[str, str]:
        fr, en = self.label
        if self.kind == "literal" and self.prop:
            if self.lang:
                lang_fr, lang_en = LANGUAGE_NAMES.get(self.lang, (self.lang, self.lang))
                fr, en = f"{fr} ({lang_fr})", f"{en} ({lang_en})"
            elif self.translated:
                fr, en = f"{fr} (sans langue indiquée)", f"{en} (no language given)"
        if self.kind == "links":
            fr, en = f"{fr} ; plusieurs valeurs séparées par des espaces", f"{en}; several values separated by spaces"
        elif self.multi:
            fr, en = f"{fr} ; plusieurs valeurs séparées par « | »", f"{en}; several values separated by \"|\""
        return {"fr": fr, "en": en}


@dataclass(frozen=True)
class Table:
    """A table's name, titles, columns and rows (lists of cell strings, in column order)."""

    name: str
    title: dict
    description: dict
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    about: str = "{+iri}"
    primary_key: tuple[str, ...] = ("iri",)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def csv_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8")


def _s(local: str) -> str:
    return SCHEMA + local


def _text(name: str, prop: str, label: tuple[str, str], languages, multi: bool = False) -> list[Column]:
    """A translated text property: one column without language tag, one per project language."""
    columns = [Column(name, prop, label=label, multi=multi, translated=True)]
    columns += [Column(f"{name}_{lang}", prop, lang=lang, label=label, multi=multi, translated=True) for lang in languages]
    return columns


def _links(name: str, prop: str, label: tuple[str, str]) -> Column:
    return Column(name, prop, kind="links", multi=True, label=label)


_IRI = Column("iri", kind="id", label=("IRI de l'entité (identifiant)", "IRI of the entity (identifier)"))
_TYPES = _links("types", RDF_TYPE.value, ("types schema.org (IRI)", "schema.org types (IRIs)"))
_SAME_AS = _links("same_as", _s("sameAs"), ("la même entité ailleurs (IRI)", "the same entity elsewhere (IRIs)"))
_NAME = ("nom", "name")
_ALT = ("autre nom", "alternate name")
_DESC = ("description", "description")


def _people(languages) -> list[Column]:
    return [
        _IRI,
        *_text("name", _s("name"), _NAME, languages),
        Column("given_name", _s("givenName"), label=("prénom", "given name")),
        Column("family_name", _s("familyName"), label=("nom de famille", "family name")),
        *_text("job_title", _s("jobTitle"), ("fonction, telle que la source la donne", "job title, as the source gives it"), languages),
        *_text("description", _s("description"), _DESC, languages),
        _links("works_for", _s("worksFor"), ("employeur (IRI d'organisation)", "employer (organisation IRIs)")),
        _links("member_of", _s("memberOf"), ("membre de (IRI d'organisation)", "member of (organisation IRIs)")),
        _SAME_AS,
    ]


def _organisations(languages) -> list[Column]:
    return [
        _IRI,
        _TYPES,
        _links("additional_type", _s("additionalType"), ("genre d'organisation (concept SKOS)", "kind of organisation (SKOS concepts)")),
        *_text("name", _s("name"), _NAME, languages),
        *_text("alternate_name", _s("alternateName"), _ALT, languages, multi=True),
        *_text("description", _s("description"), _DESC, languages),
        _links("parent_organization", _s("parentOrganization"), ("organisation mère (IRI)", "parent organisation (IRIs)")),
        _links("department", _s("department"), ("service (IRI d'organisation)", "department (organisation IRIs)")),
        _links("member_of", _s("memberOf"), ("membre de (IRI d'organisation)", "member of (organisation IRIs)")),
        _links("area_served", _s("areaServed"), ("territoire couvert (IRI de lieu)", "area served (place IRIs)")),
        _links("contact_point", _s("contactPoint"), ("point de contact publié (IRI)", "published contact point (IRIs)")),
        Column("email", _s("email"), label=("adresse électronique publiée de l'organisation", "the organisation's published email")),
        Column("telephone", _s("telephone"), label=("téléphone publié de l'organisation", "the organisation's published telephone")),
        _links("url", _s("url"), ("site web", "website")),
        _SAME_AS,
    ]


def _places(languages) -> list[Column]:
    return [
        _IRI,
        _TYPES,
        *_text("name", _s("name"), _NAME, languages),
        *_text("alternate_name", _s("alternateName"), _ALT, languages, multi=True),
        *_text("description", _s("description"), _DESC, languages),
        _links("contained_in_place", _s("containedInPlace"), ("situé dans (IRI de lieu)", "contained in (place IRIs)")),
        Column("address", _s("address"), kind="iri", label=("adresse postale (IRI)", "postal address (IRI)")),
        Column("street_address", _s("streetAddress"), about="address", label=("rue", "street address")),
        Column("postal_code", _s("postalCode"), about="address", label=("code postal", "postal code")),
        Column("address_locality", _s("addressLocality"), about="address", label=("commune", "locality")),
        Column("address_region", _s("addressRegion"), about="address", label=("région", "region")),
        Column("address_country", _s("addressCountry"), about="address", label=("pays (code)", "country (code)")),
        Column("geo", _s("geo"), kind="iri", label=("coordonnées (IRI)", "coordinates (IRI)")),
        Column("latitude", _s("latitude"), about="geo", datatype="decimal", label=("latitude WGS 84", "WGS 84 latitude")),
        Column("longitude", _s("longitude"), about="geo", datatype="decimal", label=("longitude WGS 84", "WGS 84 longitude")),
        _SAME_AS,
    ]


def _events(languages) -> list[Column]:
    return [
        _IRI,
        _TYPES,
        *_text("name", _s("name"), _NAME, languages),
        *_text("alternate_name", _s("alternateName"), _ALT, languages, multi=True),
        *_text("description", _s("description"), _DESC, languages),
        Column("start_date", _s("startDate"), datatype="date", label=("date de début", "start date")),
        Column("end_date", _s("endDate"), datatype="date", label=("date de fin", "end date")),
        Column("event_status", _s("eventStatus"), kind="iri", label=("statut (IRI schema.org)", "status (schema.org IRI)")),
        Column("event_attendance_mode", _s("eventAttendanceMode"), kind="iri", label=("mode de participation (IRI schema.org)", "attendance mode (schema.org IRI)")),
        _links("location", _s("location"), ("lieu (IRI)", "location (place IRIs)")),
        _links("super_event", _s("superEvent"), ("fait partie de (IRI d'événement)", "part of (event IRIs)")),
        _SAME_AS,
        _links("url", _s("url"), ("site web", "website")),
    ]


# Roles in the order the table lists them; the generic super-properties come last and only for pairs
# that no specific role already covers (materialisation states schema:attendee for every delegate).
ROLES = (
    ("delegate", TG + "delegate"),
    ("ambassador", TG + "ambassador"),
    ("participating_organisation", TG + "participatingOrganization"),
    ("organizer", _s("organizer")),
    ("funder", _s("funder")),
    ("partner", TG + "partner"),
    ("sponsor", _s("sponsor")),
    ("attendee", _s("attendee")),
    ("contributor", _s("contributor")),
)
GENERIC_ROLES = {_s("attendee"), _s("contributor")}

PARTICIPATION_COLUMNS = (
    Column("event", kind="id", label=("événement (IRI)", "event (IRI)")),
    Column("event_name", kind="label", label=("nom de l'événement, pour la lecture", "event name, for reading")),
    Column("role", kind="label", label=(
        "rôle : delegate, ambassador, participating_organisation, organizer, funder, partner, sponsor, attendee, contributor",
        "role: delegate, ambassador, participating_organisation, organizer, funder, partner, sponsor, attendee, contributor",
    )),
    Column("participant", "{+role_property}", kind="iri", label=("participant : personne ou organisation (IRI)", "participant: person or organisation (IRI)")),
    Column("participant_name", kind="label", label=("nom du participant, pour la lecture", "participant name, for reading")),
    Column("role_property", kind="label", label=("propriété RDF du rôle (IRI)", "RDF property of the role (IRI)")),
)

KINDS = (
    ("people", "person", _people, ("Personnes", "People"), (
        "Les personnes nommées : délégués, ambassadeurs, contacts. Aucune coordonnée personnelle.",
        "The people named: delegates, ambassadors, contacts. No personal contact details.",
    )),
    ("organisations", "organization", _organisations, ("Organisations", "Organisations"), (
        "Organisations : commissions du film, sociétés, festivals, réseaux, avec leurs contacts publiés.",
        "Organisations: film commissions, companies, festivals, networks, with their published contacts.",
    )),
    ("places", "place", _places, ("Lieux", "Places"), (
        "Pays, régions, communes et lieux visités, avec adresse et coordonnées quand elles sont connues.",
        "Countries, regions, towns and venues visited, with address and coordinates where known.",
    )),
    ("events", "event", _events, ("Événements", "Events"), (
        "Séries de tournées, tournées, visites et rencontres professionnelles.",
        "Tour series, tours, visits and professional events.",
    )),
)


class Objects:
    """Distinct objects of a property over all named graphs, in a stable order, looked up by subject.

    Each property is read with one scan of the store, then served from memory: tables ask for
    millions of cells on a large graph.
    """

    def __init__(self, store: ox.Store, written=()):
        self.store = store
        self._by_property: dict[str, dict] = {}
        # Literals as the source files write them, where the store keeps another form (as the dumps).
        self._written: dict = {}
        for stored, original in written:
            self._written.setdefault(stored, []).append(original.object)

    def __call__(self, subject, prop: str) -> list:
        return self.table(prop).get(subject, [])

    def table(self, prop: str) -> dict:
        """Subject -> its distinct objects of ``prop``, sorted."""
        table = self._by_property.get(prop)
        if table is None:
            found: dict = {}
            written, literal = self._written, ox.Literal
            for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                obj = q.object
                # Only literals have another written form; most subjects have one value of a property.
                objects = written.get(q, (obj,)) if written and type(obj) is literal else (obj,)
                held = found.get(q.subject)
                if held is None:
                    found[q.subject] = set(objects)
                else:
                    held.update(objects)
            table = self._by_property[prop] = {
                s: [*objects] if len(objects) == 1 else sorted(objects, key=_term_order) for s, objects in found.items()
            }
        return table


def _term_order(term) -> tuple:
    return type(term).__name__, str(term)


def _literal_fits(lit: ox.Literal, column: Column) -> bool:
    if column.lang:
        return (lit.language or "").lower() == column.lang
    if lit.language:
        return False
    if column.kind == "label":
        return True
    if column.datatype == "string":
        return lit.datatype.value == XSD + "string"
    return CSVW_DATATYPES.get(lit.datatype.value) == column.datatype


def _cells(store: Objects, column: Column, subjects: list) -> list[str]:
    """The column's cell for each row, whose subject is given (None: an empty cell)."""
    if column.kind == "id":
        return [s.value for s in subjects]
    if column.prop is None:
        return [""] * len(subjects)
    table = store.table(column.prop)
    literal, named = ox.Literal, ox.NamedNode
    cells = []
    # A million cells at scale: one pass per column, terms tested by exact type.
    for subject in subjects:
        values = table.get(subject) if subject is not None else None
        if not values:
            cells.append("")
        elif column.kind in ("literal", "label"):
            texts = [v.value for v in values if type(v) is literal and _literal_fits(v, column)]
            if column.multi:
                # CSVW has no escape for its separator: a value containing it stays in the RDF dumps only.
                cells.append("|".join(t for t in texts if "|" not in t))
            else:
                cells.append(texts[0] if texts else "")
        else:
            iris = [v.value for v in values if type(v) is named]
            cells.append(" ".join(iris) if column.kind == "links" else (iris[0] if iris else ""))
    return cells


def _entities(kg: KnowledgeGraph, kind: str, store: Objects) -> list[ox.NamedNode]:
    """The named nodes under ``{base}{kind}/`` that have a name: addresses and coordinates have none,
    so stay out."""
    prefix, named = f"{kg.base}{kind}/", ox.NamedNode
    return sorted((s for s in store.table(_s("name")) if type(s) is named and s.value.startswith(prefix)), key=lambda n: n.value)


def _settle(store: Objects, column: Column, subjects: list) -> Column:
    """A typed column with the datatype its values have, or unmapped when they mix datatypes."""
    # A CSVW column has one datatype: mixed values keep their lexical forms, for readers only.
    if column.kind != "literal" or column.datatype == "string" or column.lang:
        return column
    seen = {
        CSVW_DATATYPES.get(v.datatype.value)
        for subject in subjects
        if subject is not None
        for v in store(subject, column.prop)
        if isinstance(v, ox.Literal) and not v.language
    }
    if not seen:
        return column
    if len(seen) == 1 and None not in seen:
        return replace(column, datatype=seen.pop())
    return replace(column, kind="label", datatype="string")


def _entity_table(kg: KnowledgeGraph, name: str, kind: str, columns: list[Column], title, description, store: Objects) -> Table:
    entities = _entities(kg, kind, store)
    cells: dict[str, list[str]] = {}
    settled = []
    # Column by column, so that a typed column sees the subjects its "about" column already holds.
    for column in columns:
        if column.about:
            subjects = [ox.NamedNode(iri) if iri else None for iri in cells[column.about]]
        else:
            subjects = entities
        column = _settle(store, column, subjects)
        settled.append(column)
        cells[column.name] = _cells(store, column, subjects)
    return Table(
        name=name,
        title={"fr": title[0], "en": title[1]},
        description={"fr": description[0], "en": description[1]},
        columns=tuple(settled),
        rows=tuple(zip(*(cells[c.name] for c in settled))) if entities else (),
    )


def display_name(store: Objects, node, languages=("fr", "en")) -> str:
    """A name for people reading a table: untagged, else in the first project language that has one."""
    names = [v for v in store(node, _s("name")) if isinstance(v, ox.Literal)]
    for lang in (None, *languages):
        for value in names:
            if (value.language or None) == lang:
                return value.value
    return names[0].value if names else ""


def _participations(kg: KnowledgeGraph, languages, store: Objects) -> Table:
    found: dict[tuple, set] = {}
    for role, prop in ROLES:
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                found.setdefault((quad.subject.value, quad.object.value), set()).add(role)
    order = {role: i for i, (role, _) in enumerate(ROLES)}
    props = dict(ROLES)
    rows = []
    for (event, participant), roles in found.items():
        specific = {r for r in roles if props[r] not in GENERIC_ROLES}
        for role in sorted(specific or roles, key=order.get):
            rows.append((event, order[role], participant, role))
    rows.sort()
    return Table(
        name="participations",
        title={"fr": "Participations", "en": "Participations"},
        description={
            "fr": "Qui prend part à quel événement, et à quel titre : une ligne par participation.",
            "en": "Who takes part in which event, and in which role: one row per participation.",
        },
        columns=PARTICIPATION_COLUMNS,
        rows=tuple(
            (
                event,
                display_name(store, ox.NamedNode(event), languages),
                role,
                participant,
                display_name(store, ox.NamedNode(participant), languages),
                props[role],
            )
            for event, _, participant, role in rows
        ),
        about="{+event}",
        primary_key=("event", "role", "participant"),
    )


def tables(kg: KnowledgeGraph, languages=("fr", "en")) -> list[Table]:
    """Every table of the bundle, from the public graph."""
    languages = tuple(languages)
    objects = Objects(kg.store, kg.written)
    result = [_entity_table(kg, name, kind, make(languages), title, description, objects) for name, kind, make, title, description in KINDS]
    result.append(_participations(kg, languages, objects))
    return result
