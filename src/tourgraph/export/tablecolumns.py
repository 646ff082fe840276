"""What the open-data tables hold: their columns, how each maps to RDF, and the kinds of entity and
roles they list (the rows are computed in ``tables``; the CSVW descriptions in ``tablemeta``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..graph import RDF_TYPE, SCHEMA, TG

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
