"""Spreadsheets as sources: a CSV, XLSX or ODS file under data/ is one named graph, its rows mapped to
RDF by CSVW metadata found beside it (``people.csv-metadata.json`` or the folder's
``csv-metadata.json``, as the standard looks for them): the same kind of file dist/opendata/ writes.

A CSV file is the table whose ``url`` is its name. A workbook's sheet is the table named like the sheet
(sheet ``People`` of ``people.xlsx``: the table ``people.csv``), and a workbook of one sheet is also the
table named like the workbook, whatever its sheet is called. The metadata's top-level annotations
(``dc:title``, ``dc:source``, ``dc:license``, …) describe the file's graph, as the provenance block of a
Turtle file does: CSVW's standard mode puts them on the table group, which tourgraph identifies with
the file's graph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox

from ..errors import InputError
from ..locations import Place
from .cells import SHEETS, WORKBOOKS, RawTable, read_csv, read_workbook
from .convert import Context, convert
from .errors import CellError
from .metadata import PREFIXES, Metadata, Table, candidates, expand_name, is_metadata_file, read_metadata

__all__ = ["SHEETS", "is_metadata_file", "metadata_for", "parse_sheet"]


def parse_sheet(path: Path, base: str, graph: ox.NamedNode, display: str):
    """One spreadsheet file as ``tourgraph.load.Parsed``: quads in ``graph``, the row where each subject is
    first described, and the typed literals as the cells write them."""
    from ..load import Parsed

    metadata, tables = metadata_for(path, base, display)
    ctx = Context(display=display, graph=graph, salt=hashlib.sha1(display.encode()).hexdigest()[:8], quads=[], literals=[], places={})
    for raw, table in tables:
        if not table.suppress:
            convert(raw, table, ctx)
    provenance = _annotations(metadata, graph)
    ctx.quads += provenance
    ctx.places.setdefault(graph, [Place(display, None, False)])
    return Parsed(ctx.quads, ctx.places, ctx.literals + [q for q in provenance if _typed(q.object)])


def metadata_for(path: Path, base: str, display: str) -> tuple[Metadata, list[tuple[RawTable, Table]]]:
    """The metadata describing a spreadsheet file, and each of its tables with its description."""
    folder = Path(display).parent
    tried = []
    workbook = path.suffix.lower() in WORKBOOKS
    raws = read_workbook(path, display) if workbook else None
    for candidate in candidates(path):
        if not candidate.is_file():
            continue
        shown = (folder / candidate.name).as_posix()
        metadata = read_metadata(candidate, shown, base)
        if workbook:
            matched = _match_sheets(raws, metadata, path, display)
            if matched is not None:
                return metadata, matched
        else:
            table = _table_of(metadata, path.name)
            if table is not None:
                return metadata, [(read_csv(path, display, table.dialect), table)]
        tried.append(shown)
    wanted = _wanted(path, raws)
    listed = " or ".join(tried) if tried else f"{path.name}-metadata.json or csv-metadata.json beside it"
    raise InputError(
        f"no CSVW metadata describes {wanted} ({'looked in ' + listed if tried else 'there is no ' + listed}): "
        "a spreadsheet is read with the CSVW metadata that maps its columns to RDF; `tourgraph new tour SLUG --sheets csv` "
        "writes one (csv-metadata.json), and the csv-metadata.json of dist/opendata/ describes the open-data tables.",
        path=display,
        fr=f"aucune métadonnée CSVW ne décrit {wanted} ({'cherché dans ' + listed if tried else 'il n’y a pas de ' + listed}) : "
        "un tableur est lu avec les métadonnées CSVW qui relient ses colonnes au RDF ; `tourgraph new tour SLUG --sheets csv` "
        "en écrit (csv-metadata.json), et le csv-metadata.json de dist/opendata/ décrit les tables des données ouvertes.",
    )


def _wanted(path: Path, raws) -> str:
    if raws is None:
        return f"the table {path.name}"
    names = ", ".join(f"{r.sheet.lower()}.csv" for r in raws) or "(no sheet with cells)"
    return f"the sheets of {path.name} (tables {names})"


def _table_of(metadata: Metadata, file_name: str) -> Table | None:
    wanted = urljoin(metadata.url, file_name)
    return next((t for t in metadata.tables if t.resolved == wanted), None)


def _match_sheets(raws: list[RawTable], metadata: Metadata, path: Path, display: str):
    """Each sheet with its table; None when the metadata describes none of them (another file's metadata)."""
    by_name = {t.file_name.lower(): t for t in metadata.tables}
    matched, missing = [], []
    for raw in raws:
        table = by_name.get(f"{raw.sheet.lower()}.csv")
        if table is None and len(raws) == 1:
            table = by_name.get(f"{path.stem.lower()}.csv") or _table_of(metadata, path.name)
        if table is None:
            missing.append(raw.sheet)
        else:
            matched.append((raw, table))
    if not matched:
        return None
    if missing:
        listed = ", ".join(t.file_name for t in metadata.tables)
        raise CellError(
            f"no table of {metadata.display} is named like this sheet ({missing[0].lower()}.csv; it describes {listed}): rename the "
            "sheet after its table, describe the sheet in the metadata, or move the sheet to another file.",
            path=display, sheet=missing[0],
            fr=f"aucune table de {metadata.display} ne porte le nom de cette feuille ({missing[0].lower()}.csv ; elle décrit {listed}) : "
            "renommez la feuille comme sa table, décrivez-la dans les métadonnées, ou déplacez-la dans un autre fichier.",
        )
    return matched


def _typed(term) -> bool:
    return isinstance(term, ox.Literal) and not term.language and term.datatype.value.startswith(PREFIXES["xsd"]) \
        and term.datatype.value != PREFIXES["xsd"] + "string"


def _annotations(metadata: Metadata, graph: ox.NamedNode) -> list[ox.Quad]:
    """The top-level annotations as triples about the file's graph (JSON-LD values, CSVW's context)."""
    quads = []
    for prop, value in metadata.annotations:
        predicate = _iri(prop, metadata)
        for item in value if isinstance(value, list) else [value]:
            quads.append(ox.Quad(graph, predicate, _term(item, metadata, prop), graph))
    return quads


def _iri(text: str, metadata: Metadata) -> ox.NamedNode:
    try:
        return ox.NamedNode(urljoin(metadata.url, expand_name(text)))
    except ValueError:
        raise InputError(f"{text!r} is not an IRI.", path=metadata.display, fr=f"{text!r} n'est pas une IRI.") from None


def _term(value, metadata: Metadata, prop: str):
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(PREFIXES["xsd"] + "double"))
    if isinstance(value, str):
        return ox.Literal(value, language=metadata.language) if metadata.language else ox.Literal(value)
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return _iri(value["@id"], metadata)
    if isinstance(value, dict) and "@value" in value and set(value) <= {"@value", "@language", "@type"} and isinstance(value["@value"], str):
        if "@type" in value:
            return ox.Literal(value["@value"], datatype=_iri(value["@type"], metadata))
        language = value.get("@language", metadata.language)
        return ox.Literal(value["@value"], language=language) if language else ox.Literal(value["@value"])
    raise InputError(
        f"{prop}: tourgraph reads annotations that are text, {{\"@value\": …, \"@language\": …}} or {{\"@id\": …}}, not {value!r}.",
        path=metadata.display,
        fr=f"{prop} : tourgraph lit les annotations qui sont du texte, {{\"@value\": …, \"@language\": …}} ou {{\"@id\": …}}, pas {value!r}.",
    )
