"""What to write for each kind of entity, read from the project's shapes: the fields (properties) each
kind has, which are required, which values they take and what the shapes say about them (FR/EN).

Kinds are the classes the shapes target; the few shapes with other targets (the objects of
tg:delegate, the subjects of schema:email) add their constraints to the kind they concern, with the
condition said. A shape whose targets no kind covers is an error: the documentation would miss it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from ..graph import PREFIXES, SCHEMA, TG

SHAPES = "https://tourgraph.example/shapes#"
_S = rdflib.Namespace(SCHEMA)
_TG = rdflib.Namespace(TG)
PLACE_CLASSES = ("LandmarksOrHistoricalBuildings", "Museum", "TouristAttraction", "Church", "City", "AdministrativeArea", "Country")


@dataclass(frozen=True)
class KindSpec:
    key: str
    title: dict
    classes: tuple[str, ...]
    iri: str  # how an IRI of this kind is written: person/…
    table: str | None  # the spreadsheet table of this kind (sheets/templates.py)


KINDS = (
    KindSpec("person", {"fr": "Personnes", "en": "People"}, (SCHEMA + "Person",), "person/", "people"),
    KindSpec("organization", {"fr": "Organisations", "en": "Organisations"}, (SCHEMA + "Organization", SCHEMA + "GovernmentOrganization"), "organization/", "organisations"),
    KindSpec("contact", {"fr": "Points de contact", "en": "Contact points"}, (SCHEMA + "ContactPoint",), "contact/", None),
    KindSpec("place", {"fr": "Lieux", "en": "Places"}, tuple(SCHEMA + c for c in PLACE_CLASSES), "place/", "places"),
    KindSpec("address", {"fr": "Adresses postales", "en": "Postal addresses"}, (SCHEMA + "PostalAddress",), "place/…-address", "places"),
    KindSpec("geo", {"fr": "Coordonnées géographiques", "en": "Geographic coordinates"}, (SCHEMA + "GeoCoordinates",), "place/…-geo", "places"),
    KindSpec("event", {"fr": "Événements : tournées, visites, séries", "en": "Events: tours, visits, series"},
             (SCHEMA + "Event", SCHEMA + "BusinessEvent", SCHEMA + "EventSeries", TG + "Visit"), "event/", "events"),
    KindSpec("article", {"fr": "Articles et communiqués", "en": "Articles and press releases"}, (SCHEMA + "Article",), "document/", None),
    KindSpec("graph", {"fr": "Provenance de chaque fichier", "en": "Provenance of each file"},
             (TG + "SourceGraph", "http://www.w3.org/ns/prov#Entity"), "graph/…", None),
    KindSpec("concept", {"fr": "Types d'organisation (ontology/kinds.ttl)", "en": "Kinds of organisation (ontology/kinds.ttl)"},
             ("http://www.w3.org/2004/02/skos/core#Concept", "http://www.w3.org/2004/02/skos/core#ConceptScheme"), "kind:…", None),
)
# Shapes on other targets: the kind they describe, and the condition under which they apply.
_OTHER_TARGETS = {
    SHAPES + "ParticipantShape": ("person", {"fr": "pour un délégué ou une ambassadrice", "en": "for a delegate or an ambassador"}),
    SHAPES + "EmailShape": (None, None),
    SHAPES + "OntologyTermShape": (None, None),
    SHAPES + "TranslationShape": (None, None),
    SHAPES + "ReviewMarkerShape": (None, None),
    SHAPES + "ExampleShape": (None, None),
}


@dataclass
class Field:
    path: str
    required: dict | None = None  # None: optional; {} always; {fr, en}: under a condition
    max_count: int | None = None
    values: list[dict] = field(default_factory=list)  # what the values are, {fr, en} each
    messages: list[dict] = field(default_factory=list)
    warning: bool = False
    datatype: str | None = None
    classes: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    node_kind: str | None = None


@dataclass
class Kind:
    spec: KindSpec
    classes: list[str]
    fields: list[Field]
    notes: list[dict]


def compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def read_shapes(root: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for folder in ("shapes", "ontology"):
        for path in sorted((root / folder).glob("*.ttl")):
            graph.parse(path, format="turtle")
    return graph


def _texts(graph: rdflib.Graph, node, prop) -> dict:
    return {str(o.language): str(o) for o in graph.objects(node, prop) if isinstance(o, rdflib.Literal) and o.language}


def _list(graph: rdflib.Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _values(graph: rdflib.Graph, shape) -> list[dict]:
    """Plain words for a property shape's value constraints."""
    out = []
    datatype = graph.value(shape, SH.datatype)
    if datatype == XSD.string:
        out.append({"fr": "texte simple (sans langue)", "en": "plain text (no language tag)"})
    elif datatype == RDF.langString:
        out.append({"fr": "texte en français (@fr) ou en anglais (@en)", "en": "text in French (@fr) or English (@en)"})
    elif datatype is not None:
        out.append({"fr": f"valeur {compact(str(datatype))}", "en": f"a {compact(str(datatype))} value"})
    if graph.value(shape, SH.node) == rdflib.URIRef(SHAPES + "FrEnText"):
        out.append({"fr": "texte simple, en français (@fr) ou en anglais (@en)", "en": "text: plain, French (@fr) or English (@en)"})
    classes = [graph.value(member, SH["class"]) for member in _list(graph, graph.value(shape, SH["or"]))]
    classes += list(graph.objects(shape, SH["class"]))
    classes = [c for c in classes if c is not None]
    if classes:
        names = ", ".join(compact(str(c)) for c in classes)
        out.append({"fr": f"IRI d'une entité du graphe : {names}", "en": f"IRI of an entity of the graph: {names}"})
    elif graph.value(shape, SH.nodeKind) == SH.IRI:
        out.append({"fr": "une IRI", "en": "an IRI"})
    elif graph.value(shape, SH.nodeKind) == SH.IRIOrLiteral:
        out.append({"fr": "une IRI ou un texte", "en": "an IRI or a text"})
    allowed = _list(graph, graph.value(shape, SH["in"]))
    if allowed:
        names = ", ".join(compact(str(v)) for v in allowed)
        out.append({"fr": f"l'une des valeurs {names}", "en": f"one of {names}"})
    pattern = graph.value(shape, SH.pattern)
    if pattern is not None:
        out.append({"fr": f"de la forme /{pattern}/", "en": f"matching /{pattern}/"})
    low, high = graph.value(shape, SH.minInclusive), graph.value(shape, SH.maxInclusive)
    if low is not None and high is not None:
        out.append({"fr": f"entre {low} et {high}", "en": f"between {low} and {high}"})
    if graph.value(shape, SH.uniqueLang) == rdflib.Literal(True):
        out.append({"fr": "au plus une par langue", "en": "at most one per language"})
    return out


def _kind_of(targets: set[str]) -> KindSpec | None:
    for spec in KINDS:
        if targets & set(spec.classes):
            return spec
    return None


def kinds(root: Path) -> list[Kind]:
    """Every kind of entity with its fields, in the order of KINDS, from the shapes under ``root``."""
    graph = read_shapes(root)
    found = {spec.key: Kind(spec, [], [], []) for spec in KINDS}
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = {str(t) for t in graph.objects(shape, SH.targetClass)}
        condition: dict = {}
        spec = _kind_of(targets)
        if spec is None:
            if str(shape) in _OTHER_TARGETS:
                key, condition = _OTHER_TARGETS[str(shape)]
                if key is None:
                    continue
                spec = next(s for s in KINDS if s.key == key)
            elif not list(graph.objects(shape, SH.property)) and not targets:
                continue  # a value shape used by others (tgsh:FrEnText)
            else:
                raise ValueError(f"{shape}: no kind of authoring/fields.py covers its targets {sorted(targets)}")
        kind = found[spec.key]
        for cls in sorted(targets):
            if cls not in kind.classes:
                kind.classes.append(cls)
        if targets and set(spec.classes) - targets and not condition:
            left = set(spec.classes) - targets
            if len(left) < len(targets):
                names = ", ".join(compact(t) for t in sorted(left))
                condition = {"fr": f"sauf {names}", "en": f"except {names}"}
            else:
                names = ", ".join(compact(t) for t in sorted(targets))
                condition = {"fr": f"pour {names}", "en": f"for {names}"}
        warning = graph.value(shape, SH.severity) == SH.Warning
        for prop_shape in graph.objects(shape, SH.property):
            _add(kind, graph, prop_shape, condition, warning)
        for constraint in graph.objects(shape, SH.sparql):
            message = _texts(graph, constraint, SH.message)
            if message:
                kind.notes.append(message)
    for kind in found.values():
        # Required fields first; then by name, whatever order the shapes' blank nodes come in.
        kind.fields.sort(key=lambda f: (f.required is None, f.required != {}, f.max_count == 0, compact(f.path)))
        kind.notes.sort(key=lambda n: n.get("en", ""))
    return [found[spec.key] for spec in KINDS]


def _add(kind: Kind, graph: rdflib.Graph, prop_shape, condition: dict, warning: bool) -> None:
    path = str(graph.value(prop_shape, SH.path))
    entry = next((f for f in kind.fields if f.path == path), None)
    if entry is None:
        entry = Field(path=path, warning=warning)
        kind.fields.append(entry)
    min_count = graph.value(prop_shape, SH.minCount)
    if min_count is not None and int(min_count) > 0:
        entry.required = {} if not condition or entry.required == {} else condition
    max_count = graph.value(prop_shape, SH.maxCount)
    if max_count is not None:
        entry.max_count = int(max_count) if entry.max_count is None else min(entry.max_count, int(max_count))
    datatype = graph.value(prop_shape, SH.datatype)
    if graph.value(prop_shape, SH.node) == rdflib.URIRef(SHAPES + "FrEnText"):
        datatype = RDF.langString
    entry.datatype = entry.datatype or (str(datatype) if datatype is not None else None)
    classes = [graph.value(m, SH["class"]) for m in _list(graph, graph.value(prop_shape, SH["or"]))] + list(graph.objects(prop_shape, SH["class"]))
    entry.classes += [str(c) for c in classes if c is not None and str(c) not in entry.classes]
    entry.allowed += [str(v) for v in _list(graph, graph.value(prop_shape, SH["in"])) if str(v) not in entry.allowed]
    node_kind = graph.value(prop_shape, SH.nodeKind)
    entry.node_kind = entry.node_kind or (str(node_kind) if node_kind is not None else None)
    for value in _values(graph, prop_shape):
        if value not in entry.values:
            entry.values.append(value)
    message = _texts(graph, prop_shape, SH.message)
    if message and message not in entry.messages:
        if condition:
            message = {lang: f"({condition.get(lang, '')}) {text}" for lang, text in message.items()}
        entry.messages.append(message)
