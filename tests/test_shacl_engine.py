"""The SHACL compiler must report what pyshacl (the reference implementation) reports."""

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tourgraph.build import check
from tourgraph.graph import compact, to_rdflib
from tourgraph.project import open_project
from tourgraph.shacl_engine import compile_shapes
from tourgraph.validate import load_shapes, validate

BROKEN = """\
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix tg: <https://tourgraph.example/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<graph/tours/2026-hauts-de-france/broken> dcterms:title "t"@fr, "t"@en ;
    dcterms:source "test" ; dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .

<event/visit-villa-cavrois> schema:startDate "2026-04-02"^^xsd:date .
<event/inspiration-tour-bretagne> schema:startDate "soon"^^xsd:date .
<organization/hbo> schema:description "Seulement en français"@fr, "Zweite"@de .
<organization/cnc> schema:name "Deuxième nom"@fr .
<person/theodore-au> schema:name "Ted Au" ; schema:worksFor <place/amiens> ; schema:memberOf "LMGI" .
<person/tracy-wu> schema:email "tracy@example.org" .
<contact/press-pictanovo> schema:email "not an email" .
<place/villa-cavrois-geo> schema:latitude "123.5"^^xsd:decimal .
<event/inspiration-tour-2026-hauts-de-france> schema:eventStatus schema:EventPostponedSomething ;
    schema:endDate "2026-03-01"^^xsd:date .
tg:orphan rdfs:isDefinedBy <https://tourgraph.example/ns> ; rdfs:label "orphelin"@fr, "orphan"@en ;
    rdfs:comment "c"@fr, "c"@en .
<event/forum-without-place> a schema:BusinessEvent ; schema:name "Forum"@fr, "Forum"@en .
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("broken") / "project")
    (root / "data" / "tours" / "2026-hauts-de-france" / "broken.ttl").write_text(BROKEN)
    project = open_project(root)
    return project, check(project)


def _reference(graph, shapes):
    _, report, _ = pyshacl.validate(to_rdflib(graph.quads()), shacl_graph=shapes, advanced=True, allow_warnings=True)
    found = set()
    details = set(report.objects(None, SH.detail))
    for node in report.subjects(RDF.type, SH.ValidationResult):
        if node in details:
            # pyshacl also lists the nested results behind an sh:node result; SHACL reports the outer one.
            continue
        path = report.value(node, SH.resultPath)
        found.add((
            str(report.value(node, SH.focusNode)),
            compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
            str(report.value(node, SH.sourceConstraintComponent)),
            str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
        ))
    return found


def _ours(report):
    return {(r.focus, r.path if r.constraint != str(SH.SPARQLConstraintComponent) else None, r.constraint, r.severity) for r in report.results}


def _without_sparql_paths(found):
    return {(f, p if c != str(SH.SPARQLConstraintComponent) else None, c, s) for f, p, c, s in found}


def test_shipped_shapes_compile_entirely(project):
    compiled = compile_shapes(load_shapes(project))
    assert compiled.leftover is None
    assert len(compiled.checks) > 50


def test_same_results_as_pyshacl_on_broken_data(broken):
    project, checked = broken
    ours = _ours(checked.report)
    reference = _without_sparql_paths(_reference(checked.graph, load_shapes(project)))
    assert ours == reference
    components = {c.rsplit("#", 1)[-1] for _, _, c, _ in ours}
    assert {
        "DatatypeConstraintComponent", "MaxCountConstraintComponent", "MinCountConstraintComponent",
        "OrConstraintComponent", "NodeKindConstraintComponent", "PatternConstraintComponent",
        "InConstraintComponent", "MaxInclusiveConstraintComponent", "LessThanOrEqualsConstraintComponent",
        "SPARQLConstraintComponent", "UniqueLangConstraintComponent",
    } <= components, components


def test_same_results_as_pyshacl_on_shipped_data(project, checked):
    assert _ours(checked.report) == _without_sparql_paths(_reference(checked.graph, load_shapes(project))) == set()


def test_results_name_the_source_file_and_line(broken):
    _, checked = broken
    tracy = [r for r in checked.report.results if r.focus.endswith("person/tracy-wu")]
    assert tracy and tracy[0].path == "schema:email"
    files = dict(tracy[0].sources)
    assert "data/tours/2026-hauts-de-france/broken.ttl" in files
    assert files["data/tours/2026-hauts-de-france/people.ttl"] is not None


def test_sub_event_outside_parent_dates_is_a_violation(broken):
    _, checked = broken
    dated = [r for r in checked.report.results if r.focus.endswith("visit-villa-cavrois") and r.constraint.endswith("SPARQLConstraintComponent")]
    assert dated and dated[0].severity == "Violation"
    assert "2026-04-02" in dated[0].message("en")


def test_missing_translation_is_only_a_warning(broken):
    _, checked = broken
    hbo = [r for r in checked.report.results if r.focus.endswith("organization/hbo") and r.constraint.endswith("SPARQLConstraintComponent")]
    assert hbo and all(r.severity == "Warning" for r in hbo)


def test_uncompilable_shapes_fall_back_to_pyshacl(project, checked):
    shapes = load_shapes(project)
    closed = rdflib.URIRef("https://tourgraph.example/shapes#ClosedArticle")
    shapes.add((closed, RDF.type, SH.NodeShape))
    shapes.add((closed, SH.targetClass, rdflib.URIRef("https://schema.org/Article")))
    shapes.add((closed, SH.closed, rdflib.Literal(True)))
    compiled = compile_shapes(shapes)
    assert compiled.leftover is not None
    assert (closed, SH.targetClass, None) in compiled.leftover
    report = validate(checked.graph, shapes)
    closed_results = [r for r in report.results if r.constraint.endswith("ClosedConstraintComponent")]
    assert closed_results and all(r.focus.endswith(("-fr", "-en")) for r in closed_results)
