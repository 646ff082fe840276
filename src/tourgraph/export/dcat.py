"""The DCAT-AP 3 catalogue of the open-data bundle, as RDF triples.

It states the vocabulary typing that the official DCAT-AP range shapes check (an EU file type is a
dcterms:MediaTypeOrExtent, a theme a skos:Concept with a label…), so the catalogue validates on its
own, the way a portal harvesting it sees it. Every date is derived from the data or from
tourgraph.toml, never from the clock, so the same input gives the same catalogue.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import InputError
from ..graph import SCHEMA, KnowledgeGraph
from ..project import Project
from .rdf import sorted_ntriples

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "skos": SKOS,
    "xsd": XSD,
    "rdf": RDF,
    "filetype": EU + "file-type/",
}

# Extension -> (IANA media type, EU file type).
FORMATS = {
    ".ttl": ("text/turtle", "RDF_TURTLE"),
    ".nt": ("application/n-triples", "RDF_N_TRIPLES"),
    ".jsonld": ("application/ld+json", "JSON_LD"),
    ".trig": ("application/trig", "RDF_TRIG"),
    ".csv": ("text/csv", "CSV"),
    ".zip": ("application/zip", "ZIP"),
}

# EU language authority codes for the project's languages.
LANGUAGES = {"fr": "FRA", "en": "ENG", "de": "DEU", "es": "SPA", "it": "ITA", "nl": "NLD", "pt": "POR"}

THEME = EU + "data-theme/EDUC"
THEME_LABELS = {"en": "Education, culture and sport", "fr": "Éducation, culture et sport"}
THEME_SCHEME = EU + "data-theme"
FRANCE = EU + "country/FRA"

DEFAULT_KEYWORDS = {
    "fr": ["commission du film", "tournage", "cinéma", "audiovisuel", "graphe de connaissances"],
    "en": ["film commission", "filming", "cinema", "audiovisual", "knowledge graph"],
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


@dataclass(frozen=True)
class FileInfo:
    """A file of the build that the catalogue describes as a distribution."""

    path: str  # relative to dist/, with "/"
    size: int
    sha256: str
    title: dict
    description: dict
    conforms_to: tuple[tuple[str, dict], ...] = ()  # (relative path of a schema file, its titles)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    if datatype:
        return ox.Literal(value, datatype=_n(datatype))
    return ox.Literal(value)


def _date_literal(value) -> ox.Literal:
    text = value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else str(value)
    return _lit(text, datatype=XSD + ("dateTime" if "T" in text else "date"))


def _config_date(project: Project, key: str):
    """``[dataset] issued`` / ``modified`` from tourgraph.toml (a TOML date or an ISO string)."""
    value = project.config.get("dataset", {}).get(key)
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and (_DATE.match(value) or _DATETIME.match(value)):
        return value
    raise InputError(f"[dataset] {key} must be a date such as 2026-03-16.", path="tourgraph.toml")


def _dates(kg: KnowledgeGraph, properties: tuple[str, ...]) -> list[str]:
    """The dates (YYYY-MM-DD) that the graph gives for these properties, sorted."""
    found = set()
    for prop in properties:
        for quad in kg.store.quads_for_pattern(None, _n(prop), None, None):
            if isinstance(quad.object, ox.Literal) and _DATE.match(quad.object.value[:10]):
                found.add(quad.object.value[:10])
    return sorted(found)


def _texts(config: dict, key: str, fallback: dict) -> dict:
    value = config.get(key) or fallback
    if isinstance(value, str):
        return {"en": value}
    return {lang: text for lang, text in value.items() if text}


def _press_email(kg: KnowledgeGraph, publisher: str) -> str | None:
    """The publisher's published press email (a schema:ContactPoint with contactType press)."""
    emails = []
    for cp in kg.store.quads_for_pattern(_n(publisher), _n(SCHEMA + "contactPoint"), None, None):
        types = {q.object.value.strip().casefold() for q in kg.store.quads_for_pattern(cp.object, _n(SCHEMA + "contactType"), None, None)}
        if types & {"press", "presse"}:
            emails += [q.object.value for q in kg.store.quads_for_pattern(cp.object, _n(SCHEMA + "email"), None, None)]
    if not emails:
        return None
    email = sorted(emails)[0]
    return email if email.startswith("mailto:") else "mailto:" + email


def _name(kg: KnowledgeGraph, iri: str) -> str | None:
    names = sorted(q.object.value for q in kg.store.quads_for_pattern(_n(iri), _n(SCHEMA + "name"), None, None))
    return names[0] if names else None


@dataclass(frozen=True)
class Settings:
    """What the catalogue says about the dataset, from tourgraph.toml and the graph."""

    base: str
    title: dict
    description: dict
    dataset_title: dict
    dataset_description: dict
    keywords: dict
    publisher: str
    publisher_name: str
    licence: str
    licence_title: dict
    languages: tuple[str, ...]
    homepage: str | None
    issued: str | None
    modified: str | None
    start: str | None
    end: str | None
    press_email: str | None

    @property
    def root(self) -> str:
        return self.base + "opendata/"


def settings(project: Project, kg: KnowledgeGraph) -> Settings:
    """Read the catalogue's settings; a missing publisher is a user error."""
    config = project.config
    dataset = config.get("dataset", {})
    publisher_config = config.get("publisher", {})
    if not publisher_config.get("iri"):
        raise InputError("[publisher] iri is missing: the open-data catalogue needs the publishing organisation.", path="tourgraph.toml")
    publisher = project.iri(publisher_config["iri"])
    publisher_name = publisher_config.get("name") or _name(kg, publisher)
    if not publisher_name:
        raise InputError("[publisher] name is missing and the graph gives no schema:name for the publisher.", path="tourgraph.toml")
    published = _dates(kg, (SCHEMA + "datePublished", DCT + "issued"))
    changed = _dates(kg, (SCHEMA + "datePublished", SCHEMA + "dateModified", DCT + "issued", DCT + "modified"))
    event_dates = _dates(kg, (SCHEMA + "startDate", SCHEMA + "endDate"))
    licence = project.licence
    return Settings(
        base=project.base,
        title=_texts(config.get("project", {}), "title", {"en": project.root.name}),
        description=_texts(config.get("project", {}), "description", project.title),
        dataset_title=_texts(dataset, "title", project.title),
        dataset_description=_texts(dataset, "description", project.description or project.title),
        keywords=dataset.get("keywords") or DEFAULT_KEYWORDS,
        publisher=publisher,
        publisher_name=publisher_name,
        licence=project.iri(licence["iri"]),
        licence_title=licence.get("title") or {"fr": "Licence Ouverte 2.0 (Etalab)", "en": "Open Licence 2.0 (Etalab)"},
        languages=tuple(project.languages),
        homepage=config.get("project", {}).get("homepage"),
        issued=_config_date(project, "issued") or (published[0] if published else None),
        modified=_config_date(project, "modified") or (changed[-1] if changed else None),
        start=event_dates[0] if event_dates else None,
        end=event_dates[-1] if event_dates else None,
        press_email=_press_email(kg, publisher),
    )


def catalogue(s: Settings, files: list[FileInfo]) -> list[ox.Triple]:
    """The catalogue's triples, for the given distributions."""
    triples: list[ox.Triple] = []

    def add(subject, predicate: str, obj) -> None:
        triples.append(ox.Triple(subject, _n(predicate), obj))

    def texts(subject, predicate: str, values: dict) -> None:
        for lang, text in sorted(values.items()):
            add(subject, predicate, _lit(text, lang=lang))

    catalog = _n(s.root + "#catalog")
    dataset = _n(s.root + "#dataset")
    publisher = _n(s.publisher)
    licence = _n(s.licence)

    add(catalog, RDF + "type", _n(DCAT + "Catalog"))
    texts(catalog, DCT + "title", s.title)
    texts(catalog, DCT + "description", s.description)
    add(catalog, DCT + "publisher", publisher)
    add(catalog, DCT + "license", licence)
    add(catalog, DCAT + "dataset", dataset)
    add(catalog, DCAT + "themeTaxonomy", _n(THEME_SCHEME))
    if s.homepage:
        add(catalog, FOAF + "homepage", _n(s.homepage))
        add(_n(s.homepage), RDF + "type", _n(FOAF + "Document"))

    add(publisher, RDF + "type", _n(FOAF + "Agent"))
    add(publisher, RDF + "type", _n(FOAF + "Organization"))
    add(publisher, FOAF + "name", _lit(s.publisher_name))

    add(dataset, RDF + "type", _n(DCAT + "Dataset"))
    add(dataset, DCT + "identifier", _lit(s.root + "#dataset"))
    texts(dataset, DCT + "title", s.dataset_title)
    texts(dataset, DCT + "description", s.dataset_description)
    for lang, words in sorted(s.keywords.items()):
        for word in sorted(words):
            add(dataset, DCAT + "keyword", _lit(word, lang=lang))
    add(dataset, DCT + "publisher", publisher)
    add(dataset, DCAT + "theme", _n(THEME))
    add(dataset, DCT + "spatial", _n(FRANCE))
    if s.homepage:
        add(dataset, DCAT + "landingPage", _n(s.homepage))
    for node in (catalog, dataset):
        for lang in s.languages:
            if lang in LANGUAGES:
                add(node, DCT + "language", _n(EU + "language/" + LANGUAGES[lang]))
        if s.issued:
            add(node, DCT + "issued", _date_literal(s.issued))
        if s.modified:
            add(node, DCT + "modified", _date_literal(s.modified))
    for lang in s.languages:
        if lang in LANGUAGES:
            add(_n(EU + "language/" + LANGUAGES[lang]), RDF + "type", _n(DCT + "LinguisticSystem"))

    if s.press_email:
        contact = _n(s.root + "#contact-point")
        add(dataset, DCAT + "contactPoint", contact)
        add(contact, RDF + "type", _n(VCARD + "Kind"))
        add(contact, RDF + "type", _n(VCARD + "Organization"))
        add(contact, VCARD + "fn", _lit(f"{s.publisher_name} (presse / press)"))
        add(contact, VCARD + "hasEmail", _n(s.press_email))

    if s.start or s.end:
        period = ox.BlankNode("temporal")
        add(dataset, DCT + "temporal", period)
        add(period, RDF + "type", _n(DCT + "PeriodOfTime"))
        if s.start:
            add(period, DCAT + "startDate", _date_literal(s.start))
        if s.end:
            add(period, DCAT + "endDate", _date_literal(s.end))

    add(_n(THEME), RDF + "type", _n(SKOS + "Concept"))
    texts(_n(THEME), SKOS + "prefLabel", THEME_LABELS)
    add(_n(THEME), SKOS + "inScheme", _n(THEME_SCHEME))
    add(_n(THEME_SCHEME), RDF + "type", _n(SKOS + "ConceptScheme"))
    texts(_n(THEME_SCHEME), DCT + "title", {"en": "Data theme", "fr": "Thème des données"})
    add(_n(FRANCE), RDF + "type", _n(DCT + "Location"))
    add(licence, RDF + "type", _n(DCT + "LicenseDocument"))
    texts(licence, DCT + "title", s.licence_title)
    add(_n(SPDX + "checksumAlgorithm_sha256"), RDF + "type", _n(SPDX + "ChecksumAlgorithm"))

    for info in files:
        slug = re.sub(r"[^a-z0-9]+", "-", info.path.lower()).strip("-")
        dist = _n(s.root + "#" + slug)
        url = _n(s.base + info.path)
        media, filetype = FORMATS[info.path[info.path.rfind("."):]]
        add(dataset, DCAT + "distribution", dist)
        add(dist, RDF + "type", _n(DCAT + "Distribution"))
        texts(dist, DCT + "title", info.title)
        texts(dist, DCT + "description", info.description)
        add(dist, DCAT + "accessURL", url)
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", _n(IANA + media))
        add(_n(IANA + media), RDF + "type", _n(DCT + "MediaType"))
        add(dist, DCT + "format", _n(EU + "file-type/" + filetype))
        add(_n(EU + "file-type/" + filetype), RDF + "type", _n(DCT + "MediaTypeOrExtent"))
        add(dist, DCAT + "byteSize", _lit(str(info.size), datatype=XSD + "nonNegativeInteger"))
        add(dist, DCT + "license", licence)
        checksum = ox.BlankNode("checksum-" + slug)
        add(dist, SPDX + "checksum", checksum)
        add(checksum, RDF + "type", _n(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", _lit(info.sha256, datatype=XSD + "hexBinary"))
        for schema_path, titles in info.conforms_to:
            standard = _n(s.base + schema_path)
            add(dist, DCT + "conformsTo", standard)
            add(standard, RDF + "type", _n(DCT + "Standard"))
            texts(standard, DCT + "title", titles)
    return triples


def turtle(triples: list[ox.Triple]) -> bytes:
    """Sorted Turtle with the catalogue's prefixes: byte-identical for the same triples."""
    canonical = [q.triple for q in ox.parse(sorted_ntriples(triples), format=ox.RdfFormat.N_TRIPLES)]
    return ox.serialize(canonical, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def jsonld(triples: list[ox.Triple]) -> bytes:
    """Flattened JSON-LD, one node object per subject, sorted."""
    canonical = [q.triple for q in ox.parse(sorted_ntriples(triples), format=ox.RdfFormat.N_TRIPLES)]
    nodes: dict[str, dict] = {}

    def ref(term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value

    for t in canonical:
        node = nodes.setdefault(ref(t.subject), {"@id": ref(t.subject)})
        if t.predicate.value == RDF + "type" and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value))
            continue
        if isinstance(t.object, ox.Literal):
            if t.object.language:
                value = {"@value": t.object.value, "@language": t.object.language}
            elif t.object.datatype.value == XSD + "string":
                value = {"@value": t.object.value}
            else:
                value = {"@value": t.object.value, "@type": _compact(t.object.datatype.value)}
        else:
            value = {"@id": ref(t.object)}
        node.setdefault(_compact(t.predicate.value), []).append(value)
    document = {"@context": dict(PREFIXES), "@graph": sorted(nodes.values(), key=lambda n: n["@id"])}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
