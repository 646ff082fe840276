"""What a draft is made of: entities, their facts, the lines of the release each fact comes from, and the
review markers of the facts a person must check."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    """The sentence or list line a fact comes from, as the release writes it, and its line number."""

    line: int
    text: str


@dataclass(frozen=True)
class Lit:
    """A literal: text (with a language tag or none) or a typed value such as an xsd:date."""

    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Ref:
    """A link to another entity of the draft, by its key."""

    key: str


@dataclass
class Fact:
    predicate: str
    obj: Lit | Ref
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Review:
    """Why a drafted fact must be checked by a person; written as a tg:toReview note."""

    prop: str
    fr: str
    en: str


# Where each kind of entity lives: the IRI folder and the draft file (as the shipped tours have them).
KINDS = {
    "person": ("person", "people"),
    "organization": ("organization", "organizations"),
    "place": ("place", "places"),
    "event": ("event", "tour"),
    "series": ("event", "series"),
    "document": ("document", "press-release"),
    "contact": ("contact", "press-release"),
}


@dataclass
class Entity:
    key: str
    kind: str
    slug: str
    types: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    evidence: tuple[Evidence, ...] = ()
    # The IRI of the project entity this one is, when the name is already in the project.
    linked: str | None = None
    linked_name: str | None = None

    @property
    def file(self) -> str:
        return KINDS[self.kind][1]

    @property
    def folder(self) -> str:
        return KINDS[self.kind][0]

    def add(self, predicate: str, obj: Lit | Ref, *evidence: Evidence) -> None:
        """Add a fact once; a second statement of it (the other language's) adds its evidence."""
        for fact in self.facts:
            if fact.predicate == predicate and fact.obj == obj:
                fact.evidence = _merged(fact.evidence, evidence)
                return
        self.facts.append(Fact(predicate, obj, _merged((), evidence)))

    def has(self, predicate: str) -> bool:
        return any(f.predicate == predicate for f in self.facts)

    def values(self, predicate: str) -> list:
        return [f.obj for f in self.facts if f.predicate == predicate]

    def review(self, prop: str, fr: str, en: str) -> None:
        note = Review(prop, fr, en)
        if note not in self.reviews:
            self.reviews.append(note)


def _merged(first: tuple, more: tuple) -> tuple:
    out = list(first)
    for item in more:
        if item is not None and item not in out:
            out.append(item)
    return tuple(out)


@dataclass
class Draft:
    """Every entity drafted from one release, in the order the release names them."""

    entities: dict[str, Entity] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    documents: list[str] = field(default_factory=list)
    tour: str | None = None
    slug: str = ""

    def get(self, key: str) -> Entity | None:
        return self.entities.get(key)

    def new(self, key: str, kind: str, slug: str) -> Entity:
        if key in self.entities:
            return self.entities[key]
        taken = {(e.folder, e.slug) for e in self.entities.values()}
        unique, n = slug, 2
        while (KINDS[kind][0], unique) in taken:
            unique, n = f"{slug}-{n}", n + 1
        entity = Entity(key=key, kind=kind, slug=unique)
        self.entities[key] = entity
        return entity
