"""`tourgraph new tour SLUG`: data/tours/SLUG/ with one Turtle file per kind of entity (or spreadsheets),
each carrying the prefixes, its provenance block and, commented out, every field the shapes ask for.

The provenance block is real and valid, with a source to fill and a tg:toReview note that validation
reports as a warning until a person names the source; everything else is commented, so the folder
validates as written.
"""

from __future__ import annotations

import re

from ..authoring.examples import Examples
from ..authoring.fields import Kind, compact, kinds
from ..errors import InputError
from ..project import Project
from ..sheets.templates import PLACEHOLDER_SOURCE, TABLES, csv_template, metadata_bytes, template_metadata, write_xlsx_template
from . import Written, listing, refuse_existing, staged

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PREFIXES = """@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix tg: <https://tourgraph.example/ns#> .
@prefix kind: <https://tourgraph.example/ns/kind/> .
@prefix person: <person/> .
@prefix org: <organization/> .
@prefix place: <place/> .
@prefix event: <event/> .
@prefix doc: <document/> .
@prefix contact: <contact/> .
"""
# file -> (title FR, title EN, [(kind key, subject, class, heading)])
FILES = {
    "tour": ("Tournée {slug} : programme", "Tour {slug}: programme", [
        ("event", "event:{slug}", "schema:BusinessEvent", ("la tournée", "the tour")),
        ("event", "event:{slug}-visit-1", "tg:Visit", ("une visite (un bloc par visite)", "a visit (one block per visit)")),
    ]),
    "people": ("Personnes de la tournée {slug}", "People of the tour {slug}", [
        ("person", "person:jane-doe", "schema:Person", ("une personne (un bloc par personne)", "a person (one block per person)")),
    ]),
    "organizations": ("Organisations de la tournée {slug}", "Organisations of the tour {slug}", [
        ("organization", "org:an-organisation", "schema:Organization", ("une organisation (un bloc par organisation)", "an organisation (one block each)")),
        ("contact", "contact:press-an-organisation", "schema:ContactPoint", ("son contact presse publié", "its published press contact")),
    ]),
    "places": ("Lieux de la tournée {slug}", "Places of the tour {slug}", [
        ("place", "place:a-venue", "schema:LandmarksOrHistoricalBuildings", ("un lieu (un bloc par lieu)", "a place (one block per place)")),
        ("address", "place:a-venue-address", "schema:PostalAddress", ("son adresse", "its address")),
        ("geo", "place:a-venue-geo", "schema:GeoCoordinates", ("ses coordonnées", "its coordinates")),
    ]),
}
SHEET_FILES = ("tour",)


def _status(entry, lang: str) -> str:
    if entry.required is None:
        text = {"en": "optional", "fr": "facultatif"}[lang]
    elif entry.required == {}:
        text = {"en": "REQUIRED", "fr": "OBLIGATOIRE"}[lang]
    else:
        text = {"en": f"REQUIRED {entry.required['en']}", "fr": f"OBLIGATOIRE {entry.required['fr']}"}[lang]
    if entry.max_count:
        text += {"en": f", at most {entry.max_count}", "fr": f", au plus {entry.max_count}"}[lang]
    return text


def block(kind: Kind, subject: str, cls: str, heading: tuple[str, str], examples: Examples) -> list[str]:
    """A commented entity with every field of its kind: a line of explanation (EN, FR), then the field."""
    lines = ["", f"# ---------------------------------------------------------------- {heading[1]} / {heading[0]}",
             "# Uncomment (remove \"# \"), fill, keep the lines you need; the last one ends with \" .\"",
             "# Décommentez (retirez « # »), remplissez, gardez les lignes utiles ; la dernière finit par « . »",
             f"# {subject} a {cls} ;"]
    never = [compact(f.path) for f in kind.fields if f.max_count == 0]
    fields = [f for f in kind.fields if f.max_count != 0]
    for index, entry in enumerate(fields):
        message_en = " ".join(m.get("en", "") for m in entry.messages[:1])
        message_fr = " ".join(m.get("fr", "") for m in entry.messages[:1])
        lines.append(f"##   {compact(entry.path)} — {_status(entry, 'en')}: {message_en}")
        lines.append(f"##   {compact(entry.path)} — {_status(entry, 'fr')} : {message_fr}")
        end = " ." if index == len(fields) - 1 else " ;"
        lines.append(f"#     {compact(entry.path)} {examples.value(kind, entry)}{end}")
    if never:
        lines.append(f"## Never / jamais : {', '.join(never)} (privacy / confidentialité).")
    return lines


def provenance(graph: str, title: tuple[str, str], licence: str) -> list[str]:
    source_fr, source_en = PLACEHOLDER_SOURCE["fr"], PLACEHOLDER_SOURCE["en"]
    return [
        f"<{graph}> a prov:Entity ;",
        f'    dcterms:title "{title[0]} (À COMPLÉTER)"@fr, "{title[1]} (TO FILL)"@en ;',
        f'    dcterms:source "{source_fr}"@fr,',
        f'        "{source_en}"@en ;',
        f"    dcterms:license <{licence}> ;",
        "    tg:toReview [ a schema:PropertyValue ;",
        '        schema:propertyID "dcterms:source" ;',
        '        schema:description "Source provisoire écrite par tourgraph new tour : nommez la source de ces faits (un document '
        'du graphe, doc:…, ou un texte), complétez le titre, puis retirez cette note."@fr,',
        '            "Placeholder source written by tourgraph new tour: name the source of these facts (a document of the graph, '
        'doc:…, or a text), complete the title, then remove this note."@en ] .',
    ]


def turtle_file(name: str, slug: str, licence: str, found: dict[str, Kind], examples: Examples) -> str:
    title_fr, title_en, blocks = FILES[name]
    title = (title_fr.format(slug=slug), title_en.format(slug=slug))
    lines = [f"# {title[1]} — written by tourgraph new tour: the provenance block below is to complete, and every",
             "# field the shapes ask for is written out, commented, with an example value (from the fictional example tour).",
             f"# {title[0]} — écrit par tourgraph new tour : le bloc de provenance est à compléter, et chaque champ",
             "# demandé par les formes est écrit en commentaire, avec un exemple de valeur (de la tournée d'exemple fictive).",
             PREFIXES.rstrip(), ""]
    lines += provenance(f"graph/tours/{slug}/{name}", title, licence)
    for key, subject, cls, heading in blocks:
        lines += block(found[key], subject.format(slug=slug), cls, heading, examples)
    return "\n".join(lines) + "\n"


def check_slug(slug: str) -> None:
    if not SLUG.match(slug):
        raise InputError(f"{slug!r} is not a tour SLUG: use lower-case letters, digits and hyphens, such as 2027-bretagne.",
                         fr=f"{slug!r} n'est pas un SLUG de tournée : lettres minuscules, chiffres et tirets, comme 2027-bretagne.")


def new_tour(project: Project, slug: str, sheets: str | None = None) -> Written:
    """Write data/tours/SLUG/: Turtle files, or tour.ttl and the spreadsheet templates (``sheets`` csv or xlsx)."""
    check_slug(slug)
    target = project.folder("data") / "tours" / slug
    shown = project.relpath(target)
    refuse_existing(target, shown, "tour")
    found = {k.spec.key: k for k in kinds(project.root)}
    examples = Examples()
    licence = project.licence["iri"]
    with staged(target) as staging:
        for name in (SHEET_FILES if sheets else FILES):
            (staging / f"{name}.ttl").write_text(turtle_file(name, slug, licence, found, examples), encoding="utf-8")
        if sheets:
            publisher = project.iri(project.config.get("publisher", {}).get("iri", "")) or project.base
            title = {"fr": f"Personnes, organisations, lieux et participations de la tournée {slug} (À COMPLÉTER)",
                     "en": f"People, organisations, places and participations of the tour {slug} (TO FILL)"}
            document = template_metadata(project.languages, title, licence, publisher)
            (staging / "csv-metadata.json").write_bytes(metadata_bytes(document))
            for table in TABLES:
                if sheets == "xlsx":
                    write_xlsx_template(document, table, staging / f"{table}.xlsx")
                else:
                    (staging / f"{table}.csv").write_bytes(csv_template(document, table))
        files = listing(staging)
    return Written(folder=target, files=files, next_steps=_next(shown, sheets))


def _next(shown: str, sheets: str | None) -> dict:
    fill_en = (f"fill the sheets in {shown}/ (one row per entity, the columns of dist/opendata/; csv-metadata.json says what "
               "each column holds) and its dc:title and dc:source" if sheets else
               f"in each file of {shown}/, uncomment the blocks you need and fill them (REQUIRED fields first)")
    fill_fr = (f"remplissez les tableurs de {shown}/ (une ligne par entité, les colonnes de dist/opendata/ ; csv-metadata.json "
               "dit ce que contient chaque colonne), ainsi que son dc:title et son dc:source" if sheets else
               f"dans chaque fichier de {shown}/, décommentez les blocs utiles et remplissez-les (les champs OBLIGATOIRES d'abord)")
    return {
        "en": [f"{fill_en}.", "complete each provenance block (title, source) and remove its tg:toReview note.",
               "tourgraph validate: the notes are warnings until removed; docs/authoring.md lists every field."],
        "fr": [f"{fill_fr}.", "complétez chaque bloc de provenance (titre, source) et retirez sa note tg:toReview.",
               "tourgraph validate : les notes restent des avertissements jusqu'à leur retrait ; docs/authoring.md liste chaque champ."],
    }
