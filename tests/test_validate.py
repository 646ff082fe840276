import json
import re

import pytest

from tourgraph.build import check
from tourgraph.errors import InputError
from tourgraph.project import open_project

from conftest import VOCAB


def test_shipped_data_conforms(checked):
    assert checked.report.conforms, checked.report.to_text()


def _strip_job_titles(project_copy):
    for path in (project_copy / "data").rglob("*.ttl"):
        text = path.read_text()
        # A jobTitle is always written on its own line in the shipped data.
        path.write_text(re.sub(r"^\s*schema:jobTitle .*$\n", "", text, flags=re.M))


def test_missing_job_titles_are_violations_naming_the_file(project_copy):
    _strip_job_titles(project_copy)
    report = check(open_project(project_copy)).report
    assert not report.conforms
    job = [r for r in report.results if r.path and "jobTitle" in r.path]
    assert job, report.to_text()
    ernesto = [r for r in job if r.focus.endswith("/person/ernesto-alcalde")]
    assert ernesto and ernesto[0].sources[0][0] == "data/tours/2026-hauts-de-france/people.ttl"
    assert ernesto[0].sources[0][1] is not None
    assert "jobTitle" in report.to_text()
    parsed = json.loads(report.to_json())
    assert parsed["conforms"] is False and parsed["violations"] == report.violation_count


def test_end_before_start_is_a_violation(project_copy):
    tour = project_copy / "data" / "tours" / "2026-hauts-de-france" / "tour.ttl"
    tour.write_text(tour.read_text().replace('"2026-03-27"^^xsd:date', '"2026-03-01"^^xsd:date'))
    report = check(open_project(project_copy)).report
    assert any(r.focus.endswith("inspiration-tour-2026-hauts-de-france") and r.severity == "Violation" for r in report.results), report.to_text()


def test_messages_exist_in_french_and_english(project_copy):
    _strip_job_titles(project_copy)
    report = check(open_project(project_copy)).report
    result = next(r for r in report.results if r.path and "jobTitle" in r.path)
    assert {"fr", "en"} <= set(result.messages)


def test_missing_shapes_folder_is_an_input_error(project_copy):
    import shutil

    shutil.rmtree(project_copy / "shapes")
    with pytest.raises(InputError, match="shapes"):
        check(open_project(project_copy))


def test_shapes_conform_to_shacl_shacl(project):
    import pyshacl
    import rdflib

    from tourgraph.validate import load_shapes

    shacl_shacl = VOCAB / "shacl-shacl.ttl"
    conforms, _, text = pyshacl.validate(load_shapes(project), shacl_graph=rdflib.Graph().parse(shacl_shacl))
    assert conforms, text


def test_every_schema_term_exists_in_schema_org(checked):
    import pyoxigraph as ox

    vocab = VOCAB / "schemaorg-current-https.ttl"
    defined = {q.subject.value for q in ox.parse(path=str(vocab), format=ox.RdfFormat.TURTLE) if isinstance(q.subject, ox.NamedNode)}
    used = set()
    for q in checked.graph.quads():
        for term in (q.predicate, q.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith("https://schema.org/"):
                used.add(term.value)
    assert used and not (used - defined), sorted(used - defined)
    assert not any("http://schema.org/" in q.predicate.value for q in checked.graph.quads())
