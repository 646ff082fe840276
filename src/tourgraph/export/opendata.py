"""The open-data bundle's catalogue and archive, dist/opendata/: a DCAT-AP 3 catalogue of every
published file and a zip of the bundle (the tables, their metadata and README that ``bundle`` writes).

It runs after the other exporters: the catalogue gives the size and SHA-256 of the files they wrote.
The zip holds the catalogue too, so that copy cannot describe the zip itself (its checksum would
depend on its own bytes): it describes every other file, and the published catalog.ttl adds the zip.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from . import BuildContext, bundle
from .bundle import FOLDER, METADATA
from .dcat import FileInfo, catalogue, jsonld, settings, turtle

ZIP_NAME = "tourgraph-opendata.zip"
FORMATS = (
    f"{FOLDER}/catalog.ttl",
    f"{FOLDER}/catalog.jsonld",
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


def _texts(values: list[dict]) -> dict:
    return {value["@language"]: value["@value"] for value in values}


def _table_info(table: dict, data: bytes) -> FileInfo:
    """A CSV file as the catalogue describes it, from its table in the CSVW metadata."""
    title = _texts(table["dc:title"])
    return _info(
        f"{FOLDER}/{table['url']}",
        data,
        {"fr": f"{title['fr']} (CSV)", "en": f"{title['en']} (CSV)"},
        _texts(table["dc:description"]),
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


def write(ctx: BuildContext) -> None:
    s = settings(ctx.project, ctx.graph)
    folder = ctx.out / FOLDER
    files = {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.name in bundle.written(folder)}
    metadata = json.loads(files[METADATA])
    described = _dump_infos(ctx) + [_table_info(table, files[table["url"]]) for table in metadata["tables"]]
    inner = catalogue(s, described)
    archive = _zip({**files, "catalog.ttl": turtle(inner), "catalog.jsonld": jsonld(inner)})
    published = catalogue(s, described + [_zip_info(archive)])
    for name, data in sorted({ZIP_NAME: archive, "catalog.ttl": turtle(published), "catalog.jsonld": jsonld(published)}.items()):
        ctx.path(f"{FOLDER}/{name}").write_bytes(data)
