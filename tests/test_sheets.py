"""Spreadsheets under data/: read with their CSVW metadata, checked like Turtle (vocabulary, shapes), and
every bad cell an error naming the file, the sheet, the row and the column, with what to do (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheet_files import write_ods, write_xlsx
from tourgraph.cli import cli
from tourgraph.new import template_root
from tourgraph.sheets.templates import header, metadata_bytes, template_metadata

TOUR = Path("data") / "tours" / "t"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def tour(project_copy) -> Path:
    folder = project_copy / TOUR
    folder.mkdir(parents=True)
    document = template_metadata(("fr", "en"), {"fr": "Essai", "en": "Test"}, "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                                 "https://tourgraph.example/organization/pictanovo", {"en": "tests/test_sheets.py"})
    (folder / "csv-metadata.json").write_bytes(metadata_bytes(document))
    return folder


def rows(name: str, *values: dict) -> list[list[str]]:
    document = json.loads((template_root() / "data" / "tours" / "example" / "csv-metadata.json").read_text(encoding="utf-8"))
    names = header(document, name)
    return [names] + [[v.get(n, "") for n in names] for v in values]


def write_csv(path: Path, table: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(table)
    return path


def failing(project: Path, *extra) -> str:
    result = run("validate", "--project", str(project), *extra)
    assert result.exit_code == 2, result.output
    return result.output


PERSON = {"iri": "person/jane-test", "name": "Jane Test", "job_title_en": "Producer"}


def test_a_bad_date_in_a_workbook_names_file_sheet_row_and_column(tour, project_copy):
    write_xlsx(tour / "events.xlsx", {"Events": rows("events", {"iri": "event/t", "types": "https://schema.org/Event", "name": "T"},
                                                     {"iri": "event/u", "name": "U", "start_date": "22/03/2026"})})
    output = failing(project_copy)
    assert "data/tours/t/events.xlsx, sheet Events, row 3, column start_date: '22/03/2026' is not a date: write it year-month-day, 2026-03-22" in output
    french = failing(project_copy, "--lang", "fr")
    assert "data/tours/t/events.xlsx, feuille Events, ligne 3, colonne start_date : '22/03/2026' n'est pas une date" in french
    data = json.loads(run("validate", "--project", str(project_copy), "--format", "json").stdout)
    assert (data["file"], data["sheet"], data["row"], data["column"], data["exit_code"]) == ("data/tours/t/events.xlsx", "Events", 3, "start_date", 2)


def test_cells_that_would_make_useless_triples_are_refused_with_what_to_do(tour, project_copy):
    cases = [
        ({"iri": "place/p", "name": "P", "latitude": "50,668", "geo": "place/p-geo"}, "column latitude: '50,668' is written with a decimal comma: write 50.668"),
        ({"iri": "place/p", "name": "P", "street_address": "1 rue X"}, "column street_address: address is empty in this row, but this column's subject is made from it"),
        ({"iri": "place/p", "name": "P", "types": "https://schema.org/City https://schema.org/Place"}, "CSVW makes one IRI of a cell"),
        ({"iri": "place/p", "name": "P", "types": "schema:City"}, "in CSVW, schema: means http://schema.org/, not https://schema.org/; write the whole IRI, https://schema.org/City"),
        ({"iri": "place/p", "name": "P", "types": "City"}, "'City' is a class without its namespace: write the whole IRI, such as https://schema.org/City"),
        ({"name": "P"}, "row 2, column iri: empty, but every row needs a value here"),
    ]
    for values, expected in cases:
        write_csv(tour / "places.csv", rows("places", values))
        assert expected in failing(project_copy), values


def test_headers_and_files_that_do_not_fit_the_metadata(tour, project_copy):
    table = rows("people", PERSON)
    table[0][4] = "givenname"
    write_csv(tour / "people.csv", table)
    assert "people.csv, row 1, column #5: headed 'givenname', but the metadata's column 5 is given_name" in failing(project_copy)
    write_csv(tour / "people.csv", rows("people", PERSON), delimiter=";")
    assert "separated by \";\" (as Excel saves CSV in French)" in failing(project_copy)
    write_csv(tour / "people.csv", rows("people", {**PERSON, "name": "Chloé Test"}), encoding="latin-1")
    assert "save it as \"CSV UTF-8\"" in failing(project_copy)
    (tour / "people.csv").unlink()
    write_ods(tour / "people.ods", {"People": rows("people", PERSON), "Notes": [["to do"]]})
    assert "people.ods, sheet Notes: no table of data/tours/t/csv-metadata.json is named like this sheet (notes.csv" in failing(project_copy)
    (tour / "people.ods").unlink()
    (tour / "csv-metadata.json").unlink()
    write_csv(tour / "people.csv", rows("people", PERSON))
    assert "no CSVW metadata describes the table people.csv" in failing(project_copy)


def test_sheets_are_sources_checked_like_turtle(tour, project_copy):
    write_ods(tour / "people.ods", {"People": rows("people", {"iri": "person/jane-test", "name": "Jane Test"})})
    write_csv(tour / "participations.csv", rows("participations", {"event": "event/inspiration-tour-2026-hauts-de-france", "role": "delegate",
                                                                    "participant": "person/jane-test", "role_property": "https://tourgraph.example/ns#delegate"}))
    result = run("validate", "--project", str(project_copy))
    # A delegate without a job title: the shapes apply, and name the row of the sheet.
    assert result.exit_code == 1, result.output
    assert "https://tourgraph.example/person/jane-test  (data/tours/t/people.ods:2)" in result.output
    assert "must have a job title" in result.output
    assert "csv-metadata.json" not in result.output  # metadata beside its sheets is no unread file

    document = json.loads((tour / "csv-metadata.json").read_text(encoding="utf-8"))
    people = next(t for t in document["tables"] if t["url"] == "people.csv")
    people["tableSchema"]["columns"][7]["propertyUrl"] = "https://schema.org/jobtitle"  # job_title_fr, misspelt
    (tour / "csv-metadata.json").write_text(json.dumps(document), encoding="utf-8")
    write_ods(tour / "people.ods", {"People": rows("people", {**PERSON, "job_title_fr": "Productrice"})})
    result = run("validate", "--project", str(project_copy))
    assert result.exit_code == 1
    assert "schema:jobtitle is not a schema.org term — did you mean schema:jobTitle?" in result.output


def test_the_example_metadata_is_the_template_metadata():
    example = template_root() / "data" / "tours" / "example" / "csv-metadata.json"
    document = template_metadata(("fr", "en"), {"fr": "Personnes et participations de la tournée d'exemple (fictives)",
                                                "en": "People and participations of the example tour (fictional)"},
                                 "https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "organization/commission",
                                 {"fr": "Exemple inventé par tourgraph new project : aucune source, aucun fait réel.",
                                  "en": "Example invented by tourgraph new project: no source, no real fact."})
    assert example.read_bytes() == metadata_bytes(document)
