"""The open-data bundle, dist/opendata/: CSV tables with CSVW metadata and a Frictionless data package,
a README (FR/EN), a DCAT-AP 3 catalogue of every published file and a zip of the bundle.

It runs after the other exporters: the catalogue gives the size and SHA-256 of the dumps they wrote.
The zip holds the catalogue too, so that copy cannot describe the zip itself (its checksum would
depend on its own bytes): it describes every other file, and the published catalog.ttl adds the zip.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from . import BuildContext
from .dcat import FileInfo, Settings, catalogue, jsonld, settings, turtle
from .tables import Table, csvw_metadata, datapackage, json_bytes, tables

FOLDER = "opendata"
ZIP_NAME = "tourgraph-opendata.zip"
FORMATS = (
    f"{FOLDER}/catalog.ttl",
    f"{FOLDER}/catalog.jsonld",
    f"{FOLDER}/csv-metadata.json",
    f"{FOLDER}/datapackage.json",
    f"{FOLDER}/README.md",
    f"{FOLDER}/people.csv",
    f"{FOLDER}/organisations.csv",
    f"{FOLDER}/places.csv",
    f"{FOLDER}/events.csv",
    f"{FOLDER}/participations.csv",
    f"{FOLDER}/{ZIP_NAME}",
)

# The dumps written by export/rdf.py that the catalogue describes, with their titles.
DUMPS = (
    ("graph.ttl", "Turtle"),
    ("graph.nt", "N-Triples"),
    ("graph.jsonld", "JSON-LD"),
    ("graph.trig", "TriG"),
)
# 1980-01-01 is the earliest date a zip entry can carry; a fixed date keeps the archive's bytes stable.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _info(path: str, data: bytes, title: dict, description: dict, conforms_to=()) -> FileInfo:
    return FileInfo(path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(), title=title, description=description, conforms_to=tuple(conforms_to))


def _dump_infos(ctx: BuildContext) -> list[FileInfo]:
    infos = []
    for name, label in DUMPS:
        path = ctx.out / name
        if path.is_file():
            infos.append(
                _info(
                    name,
                    path.read_bytes(),
                    {"fr": f"Graphe complet ({label})", "en": f"Whole graph ({label})"},
                    {
                        "fr": f"Toutes les données publiques en RDF ({label}), termes schema.org."
                        + (" Un graphe nommé par fichier source, avec sa provenance." if name.endswith(".trig") else ""),
                        "en": f"All the public data as RDF ({label}), schema.org terms."
                        + (" One named graph per source file, with its provenance." if name.endswith(".trig") else ""),
                    },
                )
            )
    return infos


_SCHEMAS = (
    (f"{FOLDER}/csv-metadata.json", {"fr": "Métadonnées CSVW des tables", "en": "CSVW metadata of the tables"}),
    (f"{FOLDER}/datapackage.json", {"fr": "Data package Frictionless des tables", "en": "Frictionless data package of the tables"}),
)


def _table_info(table: Table, data: bytes) -> FileInfo:
    return _info(
        f"{FOLDER}/{table.filename}",
        data,
        {"fr": f"{table.title['fr']} (CSV)", "en": f"{table.title['en']} (CSV)"},
        table.description,
        _SCHEMAS,
    )


def _zip_info(data: bytes) -> FileInfo:
    return _info(
        f"{FOLDER}/{ZIP_NAME}",
        data,
        {"fr": "Archive des tables CSV et de leurs métadonnées", "en": "Archive of the CSV tables and their metadata"},
        {
            "fr": "Les tables CSV, leurs métadonnées CSVW et Frictionless, le catalogue DCAT et un README.",
            "en": "The CSV tables, their CSVW and Frictionless metadata, the DCAT catalogue and a README.",
        },
    )


def _zip(files: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the files: sorted entries, fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[name], compresslevel=9)
    return buffer.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tourgraph"


def readme(s: Settings, all_tables: list[Table]) -> bytes:
    """The bundle's README in French then English: files, columns, licence, privacy."""
    lines = [f"# {s.dataset_title.get('fr') or s.dataset_title.get('en', '')}", ""]
    sections = (
        ("fr", "Données ouvertes", "Fichiers", "Colonnes", "Licence", "Vie privée", "Éditeur", (
            "Tables CSV (UTF-8, séparateur virgule, une ligne d'en-tête) extraites du graphe de connaissances. "
            "Chaque entité est identifiée par son IRI ; les textes traduits ont une colonne par langue "
            "(`_fr`, `_en`) et une sans langue. `csv-metadata.json` (CSVW) relie chaque cellule au même RDF "
            "que les fichiers `graph.*` ; `datapackage.json` décrit les tables pour Frictionless. "
            "Les colonnes qui listent plusieurs IRI (séparées par des espaces) sont là pour la lecture : "
            "le RDF complet est dans `graph.ttl`, `graph.nt`, `graph.jsonld` et `graph.trig`.",
            "`catalog.ttl` / `catalog.jsonld` : catalogue DCAT-AP 3. Dans cette archive, il décrit chaque "
            "fichier sauf l'archive elle-même ; le catalogue publié en ligne la décrit aussi.",
            "Aucune adresse électronique, aucun téléphone ni aucune adresse postale d'une personne n'est publié ; "
            "une personne peut demander à ne plus apparaître dans aucune publication. Les contacts presse "
            "publiés par les organisations restent publics.",
        )),
        ("en", "Open data", "Files", "Columns", "Licence", "Privacy", "Publisher", (
            "CSV tables (UTF-8, comma-separated, one header row) drawn from the knowledge graph. Each entity "
            "is identified by its IRI; translated text has one column per language (`_fr`, `_en`) and one "
            "without a language. `csv-metadata.json` (CSVW) maps every cell to the same RDF as the `graph.*` "
            "files; `datapackage.json` describes the tables for Frictionless. Columns that list several IRIs "
            "(separated by spaces) are for reading: the complete RDF is in `graph.ttl`, `graph.nt`, "
            "`graph.jsonld` and `graph.trig`.",
            "`catalog.ttl` / `catalog.jsonld`: DCAT-AP 3 catalogue. In this archive it describes every file "
            "but the archive itself; the catalogue published online describes the archive too.",
            "No person's own email, telephone or postal address is published, and anyone can ask to be left "
            "out of every publication. Press contacts published by organisations stay public.",
        )),
    )
    for lang, heading, files_h, columns_h, licence_h, privacy_h, publisher_h, (about, catalogue_note, privacy) in sections:
        colon = " :" if lang == "fr" else ":"  # French typography puts a space before a colon
        lines += [f"## {heading} ({lang.upper()})", "", s.dataset_description.get(lang, ""), "", about, "", f"### {files_h}", ""]
        lines += [f"- `{t.filename}` — {t.title[lang]} ({len(t.rows)}){colon} {t.description[lang]}" for t in all_tables]
        lines += ["", catalogue_note, ""]
        for table in all_tables:
            lines += [f"### {columns_h} — `{table.filename}`", ""]
            lines += [f"- `{c.name}`{colon} {c.description()[lang]}" for c in table.columns]
            lines.append("")
        lines += [f"### {licence_h}", "", f"[{s.licence_title.get(lang, s.licence)}]({s.licence})", ""]
        lines += [f"### {publisher_h}", "", f"{s.publisher_name} — <{s.publisher}>", ""]
        lines += [f"### {privacy_h}", "", privacy, ""]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def write(ctx: BuildContext) -> None:
    s = settings(ctx.project, ctx.graph)
    all_tables = tables(ctx.graph, ctx.project.languages)
    files: dict[str, bytes] = {table.filename: table.csv_bytes() for table in all_tables}
    files["csv-metadata.json"] = json_bytes(csvw_metadata(all_tables, s.dataset_title, s.licence, s.publisher))
    files["datapackage.json"] = json_bytes(
        datapackage(all_tables, _slug(s.dataset_title.get("en", "tourgraph")), s.dataset_title, s.dataset_description, {"iri": s.licence, "title": s.licence_title})
    )
    files["README.md"] = readme(s, all_tables)
    described = _dump_infos(ctx) + [_table_info(t, files[t.filename]) for t in all_tables]
    inner = catalogue(s, described)
    archive = _zip({**files, "catalog.ttl": turtle(inner), "catalog.jsonld": jsonld(inner)})
    published = catalogue(s, described + [_zip_info(archive)])
    files.update({ZIP_NAME: archive, "catalog.ttl": turtle(published), "catalog.jsonld": jsonld(published)})
    for name, data in sorted(files.items()):
        ctx.path(f"{FOLDER}/{name}").write_bytes(data)
