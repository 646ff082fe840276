"""The draft as Turtle files laid out like a tour folder written by hand: one file per kind of entity,
each describing its own named graph's provenance, every fact under a comment quoting the line of the
release it comes from, and a tg:toReview note on each fact a person must check."""

from __future__ import annotations

from dataclasses import dataclass

from .link import SCHEMA, TG
from .model import Draft, Entity, Evidence, Lit, Ref

PREFIXES = {
    "schema": SCHEMA,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "tg": TG,
    "kind": "https://tourgraph.example/ns/kind/",
}
FOLDERS = {"person": "person", "org": "organization", "place": "place", "event": "event", "doc": "document", "contact": "contact"}
FILES = ["tour", "people", "organizations", "places", "series", "press-release"]
TITLES = {
    "tour": ("La tournée, ses visites et ses événements", "The tour, its visits and events"),
    "people": ("Personnes nommées", "People named"),
    "organizations": ("Organisations nommées", "Organisations named"),
    "places": ("Lieux et territoires nommés", "Places and territories named"),
    "series": ("La série de tournées et ses autres éditions", "The tour series and its other editions"),
    "press-release": ("Le communiqué de presse et ses contacts presse", "The press release and its press contacts"),
}


@dataclass(frozen=True)
class Context:
    base: str
    licence: str
    release_name: str
    graph_folder: str  # path under data/ of the draft folder: "tours/2026-hauts-de-france"
    date: str | None


def literal(lit: Lit) -> str:
    text = lit.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lit.datatype:
        short = lit.datatype.replace(PREFIXES["xsd"], "xsd:")
        return f'"{text}"^^{short if short.startswith("xsd:") else "<" + lit.datatype + ">"}'
    return f'"{text}"@{lit.lang}' if lit.lang else f'"{text}"'


class Namer:
    def __init__(self, draft: Draft, ctx: Context):
        self.draft, self.ctx = draft, ctx

    def iri(self, entity: Entity) -> str:
        return entity.linked or f"{self.ctx.base}{entity.folder}/{entity.slug}"

    def term(self, target: str | Ref | Entity) -> str:
        if isinstance(target, Ref):
            entity = self.draft.get(target.key)
            iri = self.iri(entity) if entity else target.key
        elif isinstance(target, Entity):
            iri = self.iri(target)
        else:
            iri = target
        for prefix, folder in FOLDERS.items():
            stem = f"{self.ctx.base}{folder}/"
            if iri.startswith(stem) and _local(iri[len(stem):]):
                return f"{prefix}:{iri[len(stem):]}"
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and _local(iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"


def _local(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "-_" for c in name) and not name.endswith(".")


def _comment(evidence: Evidence) -> str:
    where = f"l. {evidence.line}" if evidence.line else "release"
    return f'# {where}: "{evidence.text}"'


def render(draft: Draft, ctx: Context, stem: str, entities: list[Entity]) -> str:
    namer = Namer(draft, ctx)
    docs = [namer.term(Ref(k)) for k in draft.documents]
    fr, en = TITLES[stem]
    when = f" du {ctx.date}" if ctx.date else ""
    lines = [
        f"# Brouillon écrit par « tourgraph draft » depuis {ctx.release_name} : chaque fait cite la ligne du communiqué",
        "# dont il vient. À relire ; retirer chaque note tg:toReview une fois le fait vérifié.",
        f"# Draft written by `tourgraph draft` from {ctx.release_name}: each fact quotes the line of the release it",
        "# comes from. Review it; remove each tg:toReview note once the fact is checked.",
    ]
    lines += [f"@prefix {p}: <{n}> ." for p, n in PREFIXES.items()]
    lines += [f"@prefix {p}: <{f}/> ." for p, f in FOLDERS.items()]
    source = ", ".join(docs) if docs else literal(Lit(f"press release {ctx.release_name}"))
    lines += [
        "",
        f"<graph/{ctx.graph_folder}/{stem}> a prov:Entity ;",
        f"    dcterms:title {literal(Lit(f'{fr} dans le communiqué de presse{when} (brouillon)', 'fr'))},",
        f"        {literal(Lit(f'{en} in the press release{_en_date(ctx.date)} (draft)', 'en'))} ;",
        f"    dcterms:description {literal(Lit(f'Brouillon écrit par tourgraph draft depuis {ctx.release_name}, à relire.', 'fr'))},",
        f"        {literal(Lit(f'Draft written by tourgraph draft from {ctx.release_name}, to review.', 'en'))} ;",
        f"    dcterms:source {source} ;",
    ]
    if docs:
        lines.append(f"    prov:wasDerivedFrom {', '.join(docs)} ;")
    lines.append(f"    dcterms:license <{ctx.licence}> .")
    for entity in entities:
        lines.append("")
        lines += _entity(namer, entity)
    return "\n".join(lines) + "\n"


def _en_date(date: str | None) -> str:
    return f" of {date}" if date else ""


def _entity(namer: Namer, entity: Entity) -> list[str]:
    out: list[str] = []
    statements: list[tuple[tuple, str]] = []
    if entity.types and not entity.linked:
        types = ", ".join(namer.term(t if "://" in t else SCHEMA + t) for t in entity.types)
        first = entity.facts[0].evidence if entity.facts else entity.evidence
        statements.append((first, f"a {types}"))
    for fact in entity.facts:
        obj = literal(fact.obj) if isinstance(fact.obj, Lit) else namer.term(fact.obj)
        statements.append((fact.evidence, f"{namer.term(fact.predicate)} {obj}"))
    if not statements and not entity.reviews:
        return []
    if entity.linked_name:
        out.append(f"# Already in the project as {entity.linked_name} ({namer.iri(entity)}): only the new facts are drafted here.")
    shown: tuple = ()
    body: list[str] = []
    for evidence, text in statements:
        if evidence and evidence != shown:
            body += [f"    {_comment(e)}" for e in evidence]
            shown = evidence
        body.append(f"    {text}")
    for note in entity.reviews:
        body.append("    # À relire / To review")
        body.append(f"    tg:toReview [ a schema:PropertyValue ; schema:propertyID {literal(Lit(namer.term(note.prop)))} ;")
        body.append(f"        schema:description {literal(Lit(note.fr, 'fr'))}, {literal(Lit(note.en, 'en'))} ]")
    # The subject goes before the first statement, after the comments that support it.
    first_statement = next(n for n, line in enumerate(body) if not line.lstrip().startswith("#"))
    subject = namer.term(entity)
    statements_out = body[:first_statement] + [f"{subject} {body[first_statement].strip()}"] + body[first_statement + 1:]
    out += [line[4:] if line.startswith("    #") and n < first_statement else line for n, line in enumerate(statements_out)]
    _punctuate(out)
    return out


def _punctuate(lines: list[str]) -> None:
    """" ;" after every statement but the last, " ." after the last (comments are left as they are)."""
    statement_lines = [n for n, line in enumerate(lines) if not line.lstrip().startswith("#") and not line.startswith("        ")]
    ends = []
    for n, index in enumerate(statement_lines):
        nxt = statement_lines[n + 1] if n + 1 < len(statement_lines) else len(lines)
        last = max(i for i in range(index, nxt) if not lines[i].lstrip().startswith("#"))
        ends.append(last)
    for n, index in enumerate(ends):
        lines[index] += " ." if n == len(ends) - 1 else " ;"
