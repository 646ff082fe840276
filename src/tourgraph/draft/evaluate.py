"""A draft measured against a reference (the folder a person wrote or reviewed), as RDF facts.

Both sides are read as RDF graphs. Entities are aligned before comparing: a draft entity is the reference
entity of the same kind (person, organisation, place, event, contact point, document) that shares one of
its names (schema:name or schema:alternateName, compared without case, accents, punctuation or the
curly/straight apostrophe); contact points align by email, documents by language. Draft IRIs are then
rewritten to the reference's, literals normalised the same way (NFC, apostrophes and quotes made
straight, spaces collapsed; language tags and datatypes kept), and the two sets of triples compared.

A type counts as right when the reference's types entail it through schema.org's class hierarchy (a
draft schema:Event for a reference schema:BusinessEvent); it is recalled only by the same type or a
more specific one. Provenance nodes, review notes, descriptions, addresses and coordinates (facts the
project takes from outside the release) and the editorial ones listed in ``UNMEASURED`` are left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from .text import key

S = "https://schema.org/"
TG = "https://tourgraph.example/ns#"
DCT = "http://purl.org/dc/terms/"
CATEGORIES = {
    "people": [S + "name@person", S + "givenName", S + "familyName", "type@person"],
    "titles": [S + "jobTitle"],
    "employers": [S + "worksFor"],
    "memberships": [S + "memberOf"],
    "roles": [TG + "delegate", TG + "ambassador", TG + "participatingOrganization", TG + "partner", S + "funder"],
    "organisers": [S + "organizer"],
    "companies": ["type@organization", S + "name@organization", S + "alternateName@organization", S + "department",
                  S + "parentOrganization", S + "areaServed"],
    "venues": ["type@place", S + "name@place", S + "alternateName@place", S + "containedInPlace"],
    "events": ["type@event", S + "name@event", S + "alternateName@event", S + "location", S + "subEvent", S + "superEvent",
               S + "eventStatus", S + "eventAttendanceMode"],
    "dates": [S + "startDate", S + "endDate", S + "datePublished", DCT + "issued"],
    "contacts": [S + "contactPoint", "type@contact", S + "email", S + "name@contact", S + "contactType"],
    "documents": ["type@document", S + "name@document", S + "headline", S + "inLanguage", S + "workTranslation",
                  S + "translationOfWork", S + "about", S + "subjectOf"],
}
# Editorial choices or outside facts: reported as not measured.
UNMEASURED = {S + "description", S + "additionalType", S + "mentions", S + "address", S + "geo", TG + "toReview",
              S + "additionalProperty"}
KIND_TYPES = {
    "person": {"Person"}, "contact": {"ContactPoint"}, "document": {"Article", "NewsArticle", "CreativeWork"},
    "organization": {"Organization", "GovernmentOrganization", "Corporation", "NGO"},
    "place": {"Place", "Country", "AdministrativeArea", "City", "LandmarksOrHistoricalBuildings", "Museum",
              "TouristAttraction", "Church"},
    "event": {"Event", "BusinessEvent", "EventSeries", "Festival"},
}


def text_key(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    text = re.sub("[’‘`´]", "'", text)
    text = re.sub("[“”«»]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def read_folder(*paths: Path, base: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        files = sorted(Path(path).rglob("*.ttl")) if Path(path).is_dir() else [Path(path)]
        for file in files:
            graph.parse(file, format="turtle", publicID=base)
    return graph


@dataclass
class Comparison:
    true_positive: dict = field(default_factory=dict)
    false_positive: dict = field(default_factory=dict)
    missed: dict = field(default_factory=dict)

    def _sum(self, table: dict) -> int:
        return sum(len(v) for v in table.values())

    @property
    def precision(self) -> float:
        found = self._sum(self.true_positive) + self._sum(self.false_positive)
        return self._sum(self.true_positive) / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self._sum(self.true_positive) + self._sum(self.missed)
        return self._sum(self.true_positive) / wanted if wanted else 0.0

    def table(self, title: str) -> str:
        rows = [f"{title}: precision {self.precision:.3f}, recall {self.recall:.3f}",
                f"  {'category':<12} {'right':>6} {'invented':>9} {'missed':>7}"]
        for cat in CATEGORIES:
            tp, fp, fn = (len(t.get(cat, ())) for t in (self.true_positive, self.false_positive, self.missed))
            if tp or fp or fn:
                rows.append(f"  {cat:<12} {tp:>6} {fp:>9} {fn:>7}")
        for cat, facts in sorted(self.false_positive.items()):
            rows += [f"  invented ({cat}): {f}" for f in sorted(facts)]
        for cat, facts in sorted(self.missed.items()):
            rows += [f"  missed ({cat}): {f}" for f in sorted(facts)]
        return "\n".join(rows)


def _kind(graph: rdflib.Graph, node) -> str | None:
    types = {str(t).removeprefix(S) for t in graph.objects(node, RDF.type)}
    for kind, names in KIND_TYPES.items():
        if types & names:
            return kind
    return None


def _entities(graph: rdflib.Graph) -> dict:
    out = {}
    for node in set(graph.subjects(RDF.type, None)):
        if not isinstance(node, URIRef) or (node, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in graph:
            continue
        kind = _kind(graph, node)
        if kind is None:
            continue
        keys = {key(str(n)) for p in (S + "name", S + "alternateName") for n in graph.objects(node, URIRef(p))}
        if kind == "contact":
            keys = {str(e).lower() for e in graph.objects(node, URIRef(S + "email"))}
        elif kind == "document":
            keys = {str(e) for e in graph.objects(node, URIRef(S + "inLanguage"))}
        out[node] = (kind, keys)
    return out


def _align(draft: rdflib.Graph, reference: rdflib.Graph) -> dict:
    ours, theirs = _entities(draft), _entities(reference)
    mapping = {}
    for node, (kind, keys) in ours.items():
        best = max(((len(keys & k2), other) for other, (k, k2) in theirs.items() if k == kind and keys & k2), default=None,
                   key=lambda item: (item[0], str(item[1])))
        if best:
            mapping[node] = best[1]
    return mapping


def _superclasses(schema: rdflib.Graph | None) -> dict:
    closure: dict = {}
    if schema is None:
        return closure
    for cls in set(schema.subjects(RDF.type, RDFS.Class)):
        seen, todo = {cls}, [cls]
        while todo:
            for parent in schema.objects(todo.pop(), RDFS.subClassOf):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        closure[cls] = seen
    return closure


def _facts(graph: rdflib.Graph, mapping: dict, kinds: dict) -> dict[str, set]:
    by_cat: dict[str, set] = {}
    for s, p, o in graph:
        if not isinstance(s, URIRef) or s not in kinds or str(p) in UNMEASURED:
            continue
        kind = kinds[s][0]
        name = "type@" + kind if p == RDF.type else str(p)
        name_kind = f"{p}@{kind}"
        cat = next((c for c, preds in CATEGORIES.items() if name in preds or name_kind in preds), None)
        if cat is None:
            continue
        obj = mapping.get(o, o)
        if isinstance(obj, Literal):
            obj = (text_key(obj), obj.language, str(obj.datatype) if obj.datatype else None)
        by_cat.setdefault(cat, set()).add((str(mapping.get(s, s)), str(p), obj if isinstance(obj, tuple) else str(obj)))
    return by_cat


def compare(draft: rdflib.Graph, reference: rdflib.Graph, schema: rdflib.Graph | None = None) -> Comparison:
    mapping = _align(draft, reference)
    ours = _facts(draft, mapping, _entities(draft))
    theirs = _facts(reference, {}, _entities(reference))
    supers = _superclasses(schema)
    result = Comparison()
    for cat in CATEGORIES:
        mine, wanted = ours.get(cat, set()), theirs.get(cat, set())
        tp, fp = set(), set()
        for fact in mine:
            if fact in wanted:
                tp.add(fact)
            elif fact[1] == str(RDF.type) and any(w[0] == fact[0] and w[1] == fact[1] and URIRef(fact[2]) in supers.get(URIRef(w[2]), ())
                                                  for w in wanted):
                tp.add(fact)
            else:
                fp.add(fact)
        missed = {w for w in wanted if w not in mine and not (
            w[1] == str(RDF.type) and any(m[0] == w[0] and m[1] == w[1] and URIRef(w[2]) in supers.get(URIRef(m[2]), ()) for m in mine))}
        for table, facts in ((result.true_positive, tp), (result.false_positive, fp), (result.missed, missed)):
            if facts:
                table[cat] = facts
    return result
