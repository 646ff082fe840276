"""The versions' readings merged into one draft: the same person, organisation or place named in French
and in English is one entity (matched by name, acronym or place in a parallel list), and an entity the
project already holds is linked to, not drafted again."""

from __future__ import annotations

from .link import SCHEMA, TG, ProjectIndex
from .lists import COMPANY_WORDS, looks_like_name
from .model import Draft, Entity, Evidence, Lit, Ref
from .names import Spellings, sentence, titles
from .nlp import person_like
from .prose import Org
from .reader import Reading
from .text import initials_match, key, slugify

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def paired(lists: list[list]) -> list[list]:
    """Parallel lists of the versions (the same venues, in the same order) as groups of items: by
    position when the lists are as long as each other, else each item on its own."""
    lists = [lst for lst in lists if lst]
    if not lists:
        return []
    if len({len(lst) for lst in lists}) == 1:
        return [list(group) for group in zip(*lists)]
    return [[item] for lst in lists for item in lst]


class Builder:
    def __init__(self, readings: list[Reading], index: ProjectIndex):
        self.readings = readings
        self.index = index
        self.draft = Draft(languages=tuple(r.lang for r in readings))
        self.spellings: dict[str, Spellings] = {}
        self.alias: dict[str, str] = {}
        self.bilingual = len(readings) > 1

    # ------------------------------------------------------------------ entities and names

    def entity(self, kind: str, names: list[tuple[str, str, Evidence]], slug: str | None = None, aliases=()) -> Entity:
        """The entity these names denote: one met before under one of the names (or aliases), else a new one."""
        keys = [f"{kind}:{key(n)}" for n, _, _ in names if key(n)] + [f"{kind}:{key(a)}" for a in aliases if a]
        found = next((self.alias[k] for k in keys if k in self.alias), None)
        if found is None:
            found = keys[0]
            self.draft.new(found, kind, slug or slugify(names[0][0]))
        for k in keys:
            self.alias.setdefault(k, found)
        spelled = self.spellings.setdefault(found, Spellings())
        for name, lang, evidence in names:
            spelled.add(name, lang, evidence)
        return self.draft.entities[found]

    def org(self, group: list[tuple[Org, str, Evidence]]) -> Entity:
        """An organisation from its mentions (one per version): names, acronym, kind."""
        names = [(o.name, lang, ev) for o, lang, ev in group if o.name]
        acronyms = [o.acronym for o, _, _ in group if o.acronym]
        entity = self.entity("organization", names, slug=slugify(acronyms[0]) if acronyms else None, aliases=acronyms)
        for acronym in dict.fromkeys(acronyms):
            entity.add(SCHEMA + "alternateName", Lit(acronym), *[ev for o, _, ev in group if o.acronym == acronym])
        for o, lang, ev in group:
            for word in (o.kind_word, o.gloss):
                kind = self.index.kind_for(word, lang) if word else None
                if kind:
                    entity.add(SCHEMA + "additionalType", Ref(kind), ev)
        return entity

    def named_org(self, name: str, lang: str, evidence: Evidence) -> Entity:
        return self.org([(Org(name=name), lang, evidence)])

    # ------------------------------------------------------------------ people

    def people(self, role: str, predicate: str, tour: Entity) -> None:
        groups: dict[str, list] = {}
        for reading in self.readings:
            for said in getattr(reading, role):
                groups.setdefault(key(said.value.name), []).append((said.value, reading.lang, said.evidence))
        for group in groups.values():
            person = self.person(group)
            tour.add(predicate, Ref(person.key), *[ev for _, _, ev in group])

    def person(self, group: list) -> Entity:
        names = [(line.name, lang, ev) for line, lang, ev in group]
        person = self.entity("person", names)
        person.types = ["Person"]
        words = names[0][0].split()
        if len(words) == 2:
            person.add(SCHEMA + "givenName", Lit(words[0]), *[ev for _, _, ev in names])
            person.add(SCHEMA + "familyName", Lit(words[1]), *[ev for _, _, ev in names])
        said = [(line.title, lang, ev) for line, lang, ev in group if line.title]
        for literal, evidence in titles(said, self.bilingual):
            person.add(SCHEMA + "jobTitle", literal, *evidence)
        employers = [(line.employer, lang, ev) for line, lang, ev in group if line.employer]
        if employers:
            org = self.entity("organization", employers)
            org.types = org.types or ["Organization"]
            person.add(SCHEMA + "worksFor", Ref(org.key), *[ev for _, _, ev in employers])
            name = employers[0][0]
            if looks_like_name(name) and not COMPANY_WORDS.search(name) and person_like(name):
                person.review(SCHEMA + "worksFor",
                              f"L'employeur « {name} » pourrait être une personne et non une société : vérifier.",
                              f"The employer \"{name}\" may be a person rather than a company: check.")
        for line, lang, ev in group:
            for member in line.memberships:
                org = self.entity("organization", [(member, lang, ev)])
                org.types = org.types or ["Organization"]
                person.add(SCHEMA + "memberOf", Ref(org.key), ev)
        return person

    # ------------------------------------------------------------------ companies and contacts

    def companies(self, tour: Entity) -> None:
        lists = [[(s.value, r.lang, s.evidence) for s in r.companies] for r in self.readings]
        intros = {r.lang: r.company_intro for r in self.readings if r.company_intro}
        for group in paired(lists):
            org = self.entity("organization", [(item.name, lang, ev) for item, lang, ev in group])
            org.types = org.types or ["Organization"]
            tour.add(TG + "participatingOrganization", Ref(org.key), *[ev for _, _, ev in group])
            for lang, intro in intros.items():
                kind = self.index.kind_for(intro.text, lang)
                if kind:
                    org.add(SCHEMA + "additionalType", Ref(kind), intro)
            name = group[0][0].name
            if looks_like_name(name) and not COMPANY_WORDS.search(name) and person_like(name):
                org.review(SCHEMA + "name", f"« {name} » pourrait être une personne et non une société : vérifier.",
                           f"\"{name}\" may be a person rather than a company: check.")

    def is_org(self, text: str) -> bool:
        """Whether ``text`` names an organisation of this release or of the project (press contact lines)."""
        if f"organization:{key(text)}" in self.alias:
            return True
        return self.index.find("organization", [text]) is not None

    def contacts(self) -> None:
        groups: dict[str, list] = {}
        for reading in self.readings:
            for said in reading.contacts:
                groups.setdefault(key(said.value.name), []).append((said.value, reading.lang, said.evidence))
        for group in groups.values():
            person = self.person(group)
            employer = next((line.employer for line, _, _ in group if line.employer), None)
            emails = [(line.email, ev) for line, _, ev in group if line.email]
            if not emails or not employer:
                continue
            org = self.entity("organization", [(employer, group[0][1], group[0][2])])
            contact = self.draft.new(f"contact:{org.key}:{person.key}", "contact", f"press-{org.slug}")
            contact.types = ["ContactPoint"]
            for email, ev in emails:
                contact.add(SCHEMA + "email", Lit(email), ev)
            contact.add(SCHEMA + "name", Lit(group[0][0].name), *[ev for _, ev in emails])
            contact.add(SCHEMA + "contactType", Lit("press"), *[ev for _, ev in emails])
            org.add(SCHEMA + "contactPoint", Ref(contact.key), *[ev for _, ev in emails])

    # ------------------------------------------------------------------ about sections

    def about(self) -> None:
        for reading in self.readings:
            for name, evidence in reading.about.items():
                org = self.entity("organization", [(name, reading.lang, evidence[0])])
                org.types = org.types or ["Organization"]
                text = " ".join(e.text for e in evidence)
                org.add(SCHEMA + "description", Lit(text, reading.lang), *evidence)
            for said in reading.memberships:
                name, members = said.value
                org = self.entity("organization", [(name, reading.lang, said.evidence)])
                for member in members:
                    other = self.entity("organization", [(member.name, reading.lang, said.evidence)])
                    other.types = other.types or ["Organization"]
                    org.add(SCHEMA + "memberOf", Ref(other.key), said.evidence)
                    if member.gloss:
                        if initials_match(member.name, member.gloss):
                            other.add(SCHEMA + "alternateName", Lit(member.gloss, reading.lang), said.evidence)
                        other.add(SCHEMA + "description", Lit(sentence(member.gloss), reading.lang), said.evidence)
                        kind = self.index.kind_for(member.gloss, reading.lang)
                        if kind:
                            other.add(SCHEMA + "additionalType", Ref(kind), said.evidence)
            for said in reading.parents:
                name, gloss, parent = said.value
                child = self.entity("organization", [(name, reading.lang, said.evidence)])
                mother = self.org([(parent, reading.lang, said.evidence)])
                child.add(SCHEMA + "parentOrganization", Ref(mother.key), said.evidence)
                mother.add(SCHEMA + "department", Ref(child.key), said.evidence)
                kind = self.index.kind_for(gloss, reading.lang) if gloss else None
                if kind:
                    child.add(SCHEMA + "additionalType", Ref(kind), said.evidence)

    # ------------------------------------------------------------------ names as facts

    def finish_names(self) -> None:
        for entity_key, spelled in self.spellings.items():
            entity = self.draft.entities[entity_key]
            if entity.kind == "person":
                entity.add(SCHEMA + "name", Lit(spelled.texts()[0]), *spelled.evidence())
                continue
            acronyms = {f.obj.value for f in entity.facts if f.predicate == SCHEMA + "alternateName"}
            kept = Spellings([s for s in spelled.seen if s[0] not in acronyms]) if len(acronyms) else spelled
            names, alternates = (kept or spelled).literals(accents_as_alternate=entity.kind == "organization")
            for literal, evidence in names:
                entity.facts.insert(0, _fact(SCHEMA + "name", literal, evidence))
            for literal, evidence in alternates:
                entity.add(SCHEMA + "alternateName", literal, *evidence)


def _fact(predicate, literal, evidence):
    from .model import Fact

    return Fact(predicate, literal, tuple(evidence))
