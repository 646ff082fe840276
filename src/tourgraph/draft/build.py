"""The draft's stages put together, and the links to the project applied: an entity the project holds
keeps its IRI and gets only the facts the project does not state yet."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..project import Project
from .events import TourBuilder
from .link import SCHEMA, ProjectIndex
from .model import Draft, Lit, Ref
from .output import check_draft_folder, write_draft_folder
from .reader import read_version
from .reading import read_release
from .turtle import FILES, Context, render
from .versions import versions

DESCRIPTIVE = {SCHEMA + p for p in ("name", "alternateName", "givenName", "familyName", "description")}


def read(release_path: Path, index: ProjectIndex) -> Draft:
    release = read_release(release_path)
    found = versions(release)
    probe = TourBuilder([], index)
    readings = [read_version(v, probe.is_org) for v in found]
    builder = TourBuilder(readings, index)
    draft = builder.build()
    draft.spellings = builder.spellings
    return draft


def build_draft(project: Project, release_path: Path, tour: str | None, out: Path | None) -> dict:
    """Write the draft folder; what it wrote, as the fields of ``DraftResult`` but the time taken."""
    draft = read(release_path, ProjectIndex(project))
    slug = tour or draft.slug
    target = Path(out) if out else project.root / "data" / "tours" / slug
    target = check_draft_folder(project, target)
    # Linked against the project without the target folder: an earlier draft there is no reference.
    linked = link(draft, ProjectIndex(project, exclude=target))
    data = (project.root / "data").resolve()
    folder = target.relative_to(data).as_posix() if target.is_relative_to(data) else f"tours/{slug}"
    docs = [draft.entities[k] for k in draft.documents]
    date = docs[0].values(SCHEMA + "datePublished")[0].value if docs else None
    ctx = Context(base=project.base, licence=project.licence["iri"], release_name=Path(release_path).name,
                  graph_folder=folder, date=date)
    files = {}
    for stem in FILES:
        entities = [e for e in draft.entities.values() if e.file == stem]
        if entities and any(e.facts or e.types or e.reviews for e in entities if not e.linked or e.facts or e.reviews):
            files[f"{stem}.ttl"] = render(draft, ctx, stem, entities)
    if "tour.ttl" not in files:
        raise InputError(f"{release_path}: found no tour to draft (no dates, organisers or participants).",
                         fr=f"{release_path} : aucune tournée à rédiger (ni dates, ni organisateurs, ni participants).")
    write_draft_folder(project, target, files, Path(release_path).name)
    counts = {}
    for entity in draft.entities.values():
        if not entity.linked:
            counts[entity.kind] = counts.get(entity.kind, 0) + 1
    return dict(out=target, files=tuple(sorted(files)), counts=counts, linked=linked,
                reviews=sum(len(e.reviews) for e in draft.entities.values()), languages=draft.languages)


def link(draft: Draft, index: ProjectIndex) -> int:
    """Point the entities the project already holds to its IRIs; keep only the facts it lacks."""
    count = 0
    for entity in draft.entities.values():
        if entity.kind in ("document", "contact"):
            continue
        spelled = getattr(draft, "spellings", {}).get(entity.key)
        names = (spelled.texts() if spelled else []) + [f.obj.value for f in entity.facts
                                                        if f.predicate in (SCHEMA + "name", SCHEMA + "alternateName")]
        kinds = ["event", "series"] if entity.kind in ("event", "series") else [entity.kind]
        match = next((m for k in kinds for m in [index.find(k, names)] if m), None)
        if match is None:
            continue
        count += 1
        entity.linked, entity.linked_name = match.iri, match.name
        if not match.exact:
            entity.review(SCHEMA + "name", f"Relié à « {match.name} » du projet par un nom proche : vérifier que c'est la même entité.",
                          f"Linked to the project's \"{match.name}\" by a close spelling: check it is the same entity.")
    for entity in draft.entities.values():
        if entity.linked:
            entity.facts = [f for f in entity.facts if _new(entity, f, draft, index)]
    return count


def _new(entity, fact, draft: Draft, index: ProjectIndex) -> bool:
    import pyoxigraph as ox

    if fact.predicate in DESCRIPTIVE:
        return False
    if isinstance(fact.obj, Ref):
        target = draft.get(fact.obj.key)
        iri = (target.linked or None) if target else fact.obj.key
        return iri is None or not index.has(entity.linked, fact.predicate, ox.NamedNode(iri))
    if fact.predicate == SCHEMA + "jobTitle":
        same_lang = [v for v in index.values(entity.linked, fact.predicate) if (v.language or None) == fact.obj.lang]
        if same_lang:
            if all(v.value != fact.obj.value for v in same_lang):
                entity.review(fact.predicate, f"Le communiqué donne la fonction « {fact.obj.value} » ; le projet en a une autre.",
                              f"The release gives the title \"{fact.obj.value}\"; the project has another one.")
            return False
        return True
    lit = ox.Literal(fact.obj.value, language=fact.obj.lang) if fact.obj.lang else (
        ox.Literal(fact.obj.value, datatype=ox.NamedNode(fact.obj.datatype)) if fact.obj.datatype else ox.Literal(fact.obj.value))
    return not index.has(entity.linked, fact.predicate, lit)


__all__ = ["Lit", "build_draft"]
