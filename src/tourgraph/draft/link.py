"""What the project already holds, so that the draft links to it instead of describing it again: the
names of its people, organisations, places and events (matched with rapidfuzz on keys that ignore case,
accents and punctuation), the facts already stated, and the organisation kinds of ontology/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..load import parse_file
from ..project import Project
from .text import key

SCHEMA = "https://schema.org/"
TG = "https://tourgraph.example/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KIND_OF_TYPE = {
    "person": {"Person"},
    "organization": {"Organization", "GovernmentOrganization", "Corporation", "NGO", "EducationalOrganization", "PerformingGroup"},
    "place": {"Place", "Country", "AdministrativeArea", "City", "State", "LandmarksOrHistoricalBuildings", "Museum",
              "TouristAttraction", "Church", "CivicStructure"},
    "event": {"Event", "BusinessEvent", "Festival", TG + "Visit"},
    "series": {"EventSeries"},
}
NAMES = (SCHEMA + "name", SCHEMA + "alternateName")
# Below this similarity (0-100, on comparison keys) two names are two entities.
FUZZY = 92


@dataclass(frozen=True)
class Match:
    iri: str
    name: str
    exact: bool


class ProjectIndex:
    def __init__(self, project: Project | None, exclude: Path | None = None):
        self.store = ox.Store()
        self.names: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in KIND_OF_TYPE}
        self.kinds: list[tuple[str, str, str]] = []
        if project is None:
            return
        for role in ("ontology", "data"):
            for path in project.rdf_files(role):
                if exclude is not None and path.resolve().is_relative_to(exclude):
                    continue
                graph = ox.NamedNode(project.base + "graph/index/" + project.relpath(path))
                self.store.bulk_extend(parse_file(path, project.base, graph, project.relpath(path)))
        self._read_names()
        self._read_kinds()

    def _read_names(self) -> None:
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
            if not isinstance(quad.subject, ox.NamedNode):
                continue
            local = quad.object.value.removeprefix(SCHEMA)
            for kind, types in KIND_OF_TYPE.items():
                if local in types or quad.object.value in types:
                    for predicate in NAMES:
                        for name in self.store.quads_for_pattern(quad.subject, ox.NamedNode(predicate), None, None):
                            entry = (key(name.object.value), quad.subject.value, name.object.value)
                            if entry not in self.names[kind]:
                                self.names[kind].append(entry)

    def _read_kinds(self) -> None:
        concept = ox.NamedNode(SKOS + "Concept")
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), concept, None):
            for predicate in ("prefLabel", "definition"):
                for text in self.store.quads_for_pattern(quad.subject, ox.NamedNode(SKOS + predicate), None, None):
                    self.kinds.append((quad.subject.value, predicate, text.object.value, text.object.language or ""))

    def find(self, kind: str, names: list[str]) -> Match | None:
        """The project entity of this kind that bears one of ``names``; fuzzy only for long names."""
        from rapidfuzz import fuzz, process

        entries = self.names.get(kind, [])
        if not entries:
            return None
        keys = [k for k, _, _ in entries]
        best = None
        for name in names:
            wanted = key(name)
            if not wanted:
                continue
            if wanted in keys:
                _, iri, found = entries[keys.index(wanted)]
                return Match(iri, found, True)
            if len(wanted) < 8:
                continue
            hit = process.extractOne(wanted, keys, scorer=fuzz.ratio, score_cutoff=FUZZY)
            if hit and (best is None or hit[1] > best[1]):
                best = hit
        if best:
            _, iri, found = entries[best[2]]
            return Match(iri, found, False)
        return None

    def has(self, subject: str, predicate: str, obj) -> bool:
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), obj, None))

    def values(self, subject: str, predicate: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)]

    def kind_for(self, text: str, lang: str) -> str | None:
        """The organisation kind (SKOS concept of ontology/) that ``text`` names or defines. A short phrase
        ("le festival", "la commission nationale du film", "European Film Commissions Network") names a
        kind when its head noun is the head of the kind's label; a longer one ("sociétés de production …
        spécialisées dans l'accueil de tournages internationaux") when it states the kind's definition."""
        from rapidfuzz import fuzz

        words = key(text).split()
        best = None
        for iri, predicate, label, label_lang in self.kinds:
            if label_lang and label_lang != lang:
                continue
            if predicate == "prefLabel" and len(words) <= 8:
                score = 100 if _head(label, lang) == _head(text, lang) else 0
            elif predicate == "definition" and len(words) > 8:
                score = max(fuzz.partial_ratio(key(label), key(text)), fuzz.token_set_ratio(_lemmas(label, lang), _lemmas(text, lang)))
            else:
                continue
            if score >= 90 and (best is None or score > best[0]):
                best = (score, iri)
        return best[1] if best else None


def _lemmas(text: str, lang: str) -> str:
    from .nlp import pipeline

    if lang == "fr":
        return " ".join(t.lemma_.lower() for t in pipeline("fr")(text) if t.is_alpha)
    return " ".join(w.rstrip("s") for w in key(text).split())


def _head(text: str, lang: str) -> str | None:
    """The head noun of a short phrase: the first noun in French (spaCy's parts of speech), the last word
    before "of"/"for" in English."""
    from .nlp import pipeline, stop_words

    if lang == "fr":
        doc = pipeline("fr")(text.lower())
        nouns = [t.lemma_ for t in doc if t.pos_ in ("NOUN", "PROPN") and t.is_alpha]
        return key(nouns[0]).rstrip("sx") if nouns else None
    words = [w for w in key(text).split() if w not in stop_words("en") or w in ("of", "for")]
    for n, word in enumerate(words):
        if word in ("of", "for"):
            words = words[:n]
            break
    return words[-1].rstrip("s") if words else None
