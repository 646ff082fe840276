"""Every stored query runs on the shipped data and answers what the press release says."""

import json

import pyoxigraph as ox
import pytest

from click.testing import CliRunner

from tourgraph.cli import cli
from tourgraph.errors import InputError
from tourgraph.queries import Param, format_table, parse_query, run_local, stored_queries, substitutions, term_for, unmatched_iris

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
    """A stored query run locally, its parameters bound by the engine (substitutions)."""
    query = queries[name]
    return run_local(checked.graph, query.text, name, substitutions=substitutions(query, params, BASE), base_iri=BASE)


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


def test_parameters_are_typed_terms_bound_by_the_engine(checked):
    query = parse_query("# title@en: t\n# param: n integer 3\n# param: d date 2026-03-22\nSELECT ?n ?d WHERE {}", "t")
    terms = substitutions(query, {}, BASE)
    assert str(terms["n"]) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(terms["d"]) == '"2026-03-22"^^<http://www.w3.org/2001/XMLSchema#date>'
    table = run_local(checked.graph, query.text, "t", substitutions=terms)
    assert [[t.value for t in row] for row in table.rows] == [["3", "2026-03-22"]]
    with pytest.raises(InputError):
        substitutions(query, {"n": "three"}, BASE)
    with pytest.raises(InputError):
        substitutions(query, {"nope": "1"}, BASE)


def test_the_engine_binds_what_the_text_never_shows(checked, queries):
    """A parameter value that would break a pasted query is only ever a term."""
    query = parse_query('# title@en: t\n# param: q string x\nSELECT ?q ?o WHERE { ?s <https://schema.org/name> ?o FILTER(STR(?o) = ?q) }', "t")
    table = run_local(checked.graph, query.text, "t", substitutions=substitutions(query, {"q": '" } DROP ALL #'}, BASE))
    assert table.rows == ()
    assert '" } DROP ALL #' not in query.text


def test_an_invalid_iri_parameter_is_an_input_error():
    for raw in ("http://example.org/%zz", "http://exa mple.org/", "x> } ; DROP ALL ; { <y"):
        with pytest.raises(InputError) as error:
            term_for(Param("tour", "iri"), raw, BASE)
        assert "not a valid IRI" in str(error.value)


def test_a_parameter_must_be_a_result_column(tmp_path):
    text = "# title@en: t\n# param: tour iri event/x\nSELECT ?name WHERE { ?tour <https://schema.org/name> ?name }\n"
    with pytest.raises(InputError) as error:
        parse_query(text, "t", tmp_path / "t.rq")
    assert error.value.line == 2 and "add ?tour" in error.value.message


def test_a_zero_row_run_says_which_iri_names_nothing(checked, queries):
    terms = substitutions(queries["delegation"], {"tour": "event/no-such-tour"}, BASE)
    assert unmatched_iris(checked.graph.store, terms) == ["tour"]
    assert unmatched_iris(checked.graph.store, substitutions(queries["delegation"], {}, BASE)) == []


def test_cli_query_binds_reports_and_never_tracebacks(project_copy):
    runner = CliRunner()
    ok = runner.invoke(cli, ["query", "delegation", "--project", str(project_copy), "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert len(ok.stdout.strip().splitlines()) == 1 + len(DELEGATES)
    typo = runner.invoke(cli, ["query", "delegation", "--project", str(project_copy), "--param", "tour=event/inspiration-tour-2062"])
    assert typo.exit_code == 0
    assert "(0 rows)" in typo.stdout and "names nothing in the graph" in typo.stderr and "tour" in typo.stderr
    for bad in ("tour=http://example.org/%zz", "tour=http://exa mple.org/", "nope=1"):
        result = runner.invoke(cli, ["query", "delegation", "--project", str(project_copy), "--param", bad])
        assert result.exit_code == 2, (bad, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


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
