"""The open-data tables of a build, put back under data/ as spreadsheets, read back to the same triples.

Every table of dist/opendata/ is tried as CSV, as XLSX and as ODS (written by openpyxl and odfpy, text
cells as the CSV holds them, and "typed" as a person editing in a spreadsheet leaves them: numbers and
dates as such), with the csv-metadata.json the build wrote. The triples are compared with the csvw
package's reading of the same CSV and metadata (an independent CSVW reader) and with the build's graph.
With the templates' metadata (the same columns, links mapped one IRI per cell), the tables give back
every triple of the graph about their entities that their columns hold.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from sheet_files import canonical, csv_rows, csvw_package_triples, typed, write_ods, write_xlsx
from tourgraph.export.tablecolumns import GENERIC_ROLES, ROLES
from tourgraph.sheets import parse_sheet
from tourgraph.sheets.templates import header, template_metadata

TABLES = ("people", "organisations", "places", "events", "participations")
FORMATS = ("csv", "xlsx", "xlsx-typed", "ods-typed")
SOURCE = "the open-data tables of a build of the shipped project"


@pytest.fixture(scope="module")
def graph(dist) -> set[str]:
    return canonical(ox.parse(path=str(dist / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))


@pytest.fixture(scope="module")
def dist_metadata(dist) -> dict:
    return json.loads((dist / "opendata" / "csv-metadata.json").read_text(encoding="utf-8"))


def _one_table(metadata: dict, name: str) -> dict:
    return {**metadata, "dc:source": SOURCE, "tables": [t for t in metadata["tables"] if t["url"] == f"{name}.csv"]}


def _datatypes(metadata: dict, name: str) -> list[str]:
    table = next(t for t in metadata["tables"] if t["url"] == f"{name}.csv")
    return [c.get("datatype", "string") for c in table["tableSchema"]["columns"] if not c.get("virtual")]


def put_back(rows: list[list[str]], name: str, fmt: str, metadata: dict, folder: Path) -> Path:
    """The table saved in ``fmt`` under ``folder``, beside its metadata, as a person would put it back."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "csv-metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    if fmt == "csv":
        path = folder / f"{name}.csv"
        import csv

        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows(rows)
        return path
    cells = rows
    if fmt.endswith("-typed"):
        kinds = _datatypes(metadata, name)
        cells = [rows[0]] + [[typed(v, k) for v, k in zip(row, kinds)] for row in rows[1:]]
    sheet = {"people": "People", "organisations": "Organisations", "places": "Places", "events": "Events"}.get(name, name)
    if fmt.startswith("xlsx"):
        return write_xlsx(folder / f"{name}.xlsx", {sheet: cells})
    return write_ods(folder / f"{name}.ods", {sheet: cells})


def read_back(path: Path, base: str) -> tuple[set[ox.Triple], list[ox.Quad]]:
    graph = ox.NamedNode(base + "graph/t/" + path.stem)
    parsed = parse_sheet(path, base, graph, f"data/t/{path.name}")
    data = {ox.Triple(q.subject, q.predicate, q.object) for q in parsed.quads if q.subject != graph}
    return data, [q for q in parsed.quads if q.subject == graph]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", TABLES)
def test_a_table_put_back_with_its_metadata_reads_back_to_the_same_triples(dist, dist_metadata, graph, project, tmp_path, name, fmt):
    metadata = _one_table(dist_metadata, name)
    independent = tmp_path / "independent"
    independent.mkdir()
    shutil.copy(dist / "opendata" / f"{name}.csv", independent / f"{name}.csv")
    (independent / "csv-metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    expected = canonical(csvw_package_triples(independent / "csv-metadata.json"))

    path = put_back(csv_rows(dist / "opendata" / f"{name}.csv"), name, fmt, metadata, tmp_path / "data" / "t")
    data, provenance = read_back(path, project.base)

    assert canonical(data) == expected
    assert expected and expected <= graph, sorted(expected - graph)[:5]
    described = {(q.predicate.value, q.object.value) for q in provenance}
    assert ("http://purl.org/dc/terms/source", SOURCE) in described
    assert ("http://purl.org/dc/terms/license", dist_metadata["dc:license"]["@id"]) in described


def _split_links(rows: list[list[str]], metadata: dict, name: str) -> list[list[str]]:
    """The documented edit for the templates: a cell of several IRIs becomes one row per extra IRI."""
    table = next(t for t in metadata["tables"] if t["url"] == f"{name}.csv")
    links = {i for i, c in enumerate(c for c in table["tableSchema"]["columns"] if not c.get("virtual")) if "valueUrl" in c}
    out = [rows[0]]
    for row in rows[1:]:
        extra = []
        first = list(row)
        for index in links:
            values = row[index].split()
            if len(values) > 1:
                first[index] = values[0]
                extra += [[row[0] if i == 0 else (value if i == index else "") for i in range(len(row))] for value in values[1:]]
        out += [first, *extra]
    return out


def _expected_from_graph(graph: set[str], data: set[ox.Triple]) -> set[str]:
    """The graph's triples about the table's subjects, for the properties the table maps."""
    subjects = {str(t.subject) for t in data}
    predicates = {str(t.predicate) for t in data}
    found = set()
    for line in graph:
        subject, rest = line.split(" ", 1)
        predicate = rest.split(" ", 1)[0]
        if subject in subjects and predicate in predicates:
            found.add(line)
    return found


@pytest.mark.parametrize("name", TABLES)
def test_the_templates_read_a_table_back_to_every_triple_it_holds(dist, dist_metadata, graph, project, tmp_path, name):
    template = template_metadata(project.languages, {"fr": "Essai", "en": "Test"}, project.licence["iri"], project.base + "organization/pictanovo",
                                 {"en": SOURCE})
    rows = csv_rows(dist / "opendata" / f"{name}.csv")
    # The templates have the open-data tables' columns, in the same order.
    assert rows[0] == header(template, name)
    path = put_back(_split_links(rows, template, name), name, "csv", template, tmp_path / "data" / "t")
    data, _ = read_back(path, project.base)
    read = canonical(data)
    assert read <= graph, sorted(read - graph)[:5]
    expected = _expected_from_graph(graph, data)
    if name == "participations":
        # schema:attendee is stated by materialisation for every delegate: the table lists the role once.
        generic = {f"<{iri}>" for iri in GENERIC_ROLES}
        pairs = {(line.split(" ")[0], line.split(" ")[2]) for line in read}
        expected = {line for line in expected if line.split(" ")[1] not in generic or (line.split(" ")[0], line.split(" ")[2]) not in pairs}
    lost = expected - read
    if name == "places":
        # The one thing the tables cannot carry: the types of the address and coordinates nodes. CSVW
        # makes one triple of a cell, and the address cell already gives schema:address.
        kinds = {"<https://schema.org/PostalAddress>", "<https://schema.org/GeoCoordinates>"}
        assert lost and {line.split(" ")[1] for line in lost} == {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}
        assert {line.split(" ")[2] for line in lost} == kinds
        lost = set()
    assert lost == set(), sorted(lost)[:5]
    if name == "people":
        assert f"<{project.base}person/tracy-wu> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Person>" in read
        assert f"<{project.base}person/tracy-wu> <https://schema.org/worksFor> <{project.base}organization/20th-century-studios>" in read
    if name == "participations":
        assert dict(ROLES)["delegate"] in {line.split(" ")[1][1:-1] for line in read}
