"""Every stored query runs on the shipped data and answers what the press release says."""

import json

import pyoxigraph as ox
import pytest

from tourgraph.errors import InputError
from tourgraph.queries import Param, bind, format_table, parse_query, run_local, stored_queries, term_for

from conftest import ROOT

BASE = "https://tourgraph.example/"
TOUR = BASE + "event/inspiration-tour-2026-hauts-de-france"
DELEGATES = {
    "Ernesto Alcalde", "Theodore Au", "Alexis Auditore", "Aaron Hurvitz",
    "Derek Martin", "Keleigh Slaight", "Robert West", "Tracy Wu",
}
AMBASSADORS = {"Claire Letoret", "Stéphanie Perret", "Christine Raspillère", "Carole Reinhard"}
COMPANIES = {
    "Firststep", "Peninsula Film", "FullDawa Films", "Left & Right", "Meadow Pictures",
    "Gaumont Production Services", "Froggie Production", "Voulez-Vous Production Services",
}


@pytest.fixture(scope="module")
def queries():
    return stored_queries(ROOT / "queries")


def answer(checked, queries, name, **params):
    return run_local(checked.graph, bind(queries[name], params, BASE), name)


def column(table, var):
    index = table.variables.index(var)
    return [row[index].value for row in table.rows if row[index] is not None]


def test_at_least_eight_queries_with_bilingual_headers(queries):
    assert len(queries) >= 8
    for q in queries.values():
        assert {"fr", "en"} <= set(q.title), q.name
        assert {"fr", "en"} <= set(q.description), q.name


def test_every_query_returns_rows(checked, queries):
    for name in queries:
        assert answer(checked, queries, name).rows, name


def test_delegation_is_exactly_the_eight(checked, queries):
    table = answer(checked, queries, "delegation", tour=TOUR)
    names = [n for n in column(table, "name")]
    assert set(names) == DELEGATES and len(names) == 8
    rows = {row[table.variables.index("name")].value: row for row in table.rows}
    title = rows["Alexis Auditore"][table.variables.index("jobTitle")].value
    assert title == "Director, Physical Production"


def test_ambassadors(checked, queries):
    assert set(column(answer(checked, queries, "ambassadors"), "name")) == AMBASSADORS


def test_local_companies(checked, queries):
    table = answer(checked, queries, "local-companies")
    assert len(table.rows) == len(COMPANIES)
    assert COMPANIES <= {t.value for row in table.rows for t in row if t is not None}


def test_press_contacts_have_published_emails(checked, queries):
    values = {t.value for row in answer(checked, queries, "press-contacts").rows for t in row if t is not None}
    assert any("vivien.plagnol@cnc.fr" in v for v in values)


def test_series_has_the_other_editions(checked, queries):
    values = " ".join(t.value for row in answer(checked, queries, "series-tours").rows for t in row if t is not None)
    for region in ("Alpes-Maritimes", "Strasbourg", "Bretagne", "Pays de la Loire", "Hauts-de-France"):
        assert region in values, region


def test_venues_have_coordinates(checked, queries):
    table = answer(checked, queries, "venues")
    assert len(table.rows) >= 4
    lat = next(v for v in table.variables if v.startswith("lat"))
    assert all(49 < float(v) < 51.5 for v in column(table, lat))


def test_binding_a_param_restricts_results(checked, queries):
    other = answer(checked, queries, "delegation", tour=BASE + "event/no-such-tour")
    assert other.rows == ()


def test_injection_attempt_is_refused():
    param = Param("tour", "iri")
    with pytest.raises(InputError):
        term_for(param, "x> } ; DROP ALL ; { <y", BASE)
    literal = term_for(Param("q", "string"), 'a" } DROP ALL #', BASE)
    assert isinstance(literal, ox.Literal) and literal.value == 'a" } DROP ALL #'


def test_bind_uses_values_with_typed_terms():
    query = parse_query("# title@en: t\n# param: n integer 3\n# param: d date 2026-03-22\nSELECT ?n ?d WHERE {}", "t")
    text = bind(query, {}, BASE)
    assert 'VALUES (?n ?d) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer> "2026-03-22"^^<http://www.w3.org/2001/XMLSchema#date>) }' in text
    with pytest.raises(InputError):
        bind(query, {"n": "three"}, BASE)
    with pytest.raises(InputError):
        bind(query, {"nope": "1"}, BASE)


def test_output_formats(checked, queries):
    table = answer(checked, queries, "ambassadors")
    parsed = json.loads(format_table(table, "json"))
    assert parsed["head"]["vars"] == list(table.variables)
    assert len(parsed["results"]["bindings"]) == 4
    csv_text = format_table(table, "csv")
    assert csv_text.splitlines()[0] == ",".join(table.variables)
    tsv_text = format_table(table, "tsv")
    assert tsv_text.splitlines()[0].startswith("?")
    assert "(4 rows)" in format_table(table, "table")
