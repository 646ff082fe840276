"""The open-data bundle's tables, dist/opendata/: CSV tables with CSVW metadata, a Frictionless data
package and a README (FR/EN). ``opendata`` catalogues and zips them once every file is written.

The tables read the graph alone, so they are written in the first stage, next to the site and dumps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import BuildContext
from .dcat import Settings, settings
from .tablecolumns import Table
from .tablemeta import csvw_metadata, datapackage, json_bytes
from .tables import tables

FOLDER = "opendata"
METADATA = "csv-metadata.json"
FORMATS = (
    f"{FOLDER}/{METADATA}",
    f"{FOLDER}/datapackage.json",
    f"{FOLDER}/README.md",
    f"{FOLDER}/people.csv",
    f"{FOLDER}/organisations.csv",
    f"{FOLDER}/places.csv",
    f"{FOLDER}/events.csv",
    f"{FOLDER}/participations.csv",
)


def written(folder: Path) -> set[str]:
    """The names of the files ``write`` put in ``folder``: the fixed ones and the tables its CSVW metadata lists."""
    tables_listed = json.loads((folder / METADATA).read_text(encoding="utf-8"))["tables"]
    return {name.rpartition("/")[2] for name in FORMATS if not name.endswith(".csv")} | {t["url"] for t in tables_listed}


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
    files[METADATA] = json_bytes(csvw_metadata(all_tables, s.dataset_title, s.licence, s.publisher))
    files["datapackage.json"] = json_bytes(
        datapackage(all_tables, _slug(s.dataset_title.get("en", "tourgraph")), s.dataset_title, s.dataset_description, {"iri": s.licence, "title": s.licence_title})
    )
    files["README.md"] = readme(s, all_tables)
    for name, data in sorted(files.items()):
        ctx.path(f"{FOLDER}/{name}").write_bytes(data)
