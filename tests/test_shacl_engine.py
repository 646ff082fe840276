"""The compiled SHACL engine against the complete one (pyshacl-turbo, 120/120 on the W3C suite) on the
project's own shapes and data: the same results, result by result."""

from __future__ import annotations

import logging

import pytest
import rdflib
from rdflib.namespace import SH

from conftest import copy_project
from tourgraph import shacl
from tourgraph.build import check
from tourgraph.graph import compact
from tourgraph.project import open_project
from tourgraph.shacl import compile_shapes
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
<event/visit-la-piscine-roubaix> schema:endDate "2027-02-30"^^xsd:date .
<organization/hbo> schema:description "Seulement en français"@fr, "Zweite"@de .
<organization/cnc> schema:name "Deuxième nom"@fr .
<person/theodore-au> schema:name "Ted Au" ; schema:worksFor <place/amiens> ; schema:memberOf "LMGI" .
<person/tracy-wu> schema:email "tracy@example.org" ; tg:publicationOptOut "1"^^xsd:boolean .
<person/derek-martin> tg:publicationOptOut "yes"^^xsd:boolean .
<contact/press-pictanovo> schema:email "not an email" .
<place/villa-cavrois-geo> schema:latitude "123.5"^^xsd:decimal .
<place/chateau-de-chantilly-geo> schema:longitude "02.4858"^^xsd:decimal .
<event/inspiration-tour-2026-hauts-de-france> schema:eventStatus schema:EventPostponedSomething ;
    schema:endDate "2026-03-01"^^xsd:date .
tg:orphan rdfs:isDefinedBy <https://tourgraph.example/ns> ; rdfs:label "orphelin"@fr, "orphan"@en ;
    rdfs:comment "c"@fr, "c"@en .
<event/forum-without-place> a schema:BusinessEvent ; schema:name "Forum"@fr, "Forum"@en .
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("broken") / "project")
    (root / "data" / "tours" / "2026-hauts-de-france" / "broken.ttl").write_text(BROKEN)
    project = open_project(root)
    return project, check(project)


def _key(finding) -> tuple:
    path = finding.path
    return (
        str(finding.focus),
        compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
        finding.component,
        finding.severity,
        None if finding.value is None else str(finding.value),
    )


def both_engines(graph, shapes):
    written = shacl.Written(graph.written)
    ours = shacl.validate(graph.store, shapes, written)
    reference = shacl.validate(graph.store, shapes, written, complete_engine_only=True)
    return sorted(map(_key, ours.findings)), sorted(map(_key, reference.findings))


def test_shipped_shapes_compile_entirely(project):
    compiled = compile_shapes(load_shapes(project))
    assert compiled.leftover == ()
    assert len(compiled.checks) > 100


def test_same_results_as_the_complete_engine_on_broken_data(broken):
    project, checked = broken
    ours, reference = both_engines(checked.graph, load_shapes(project))
    assert ours == reference
    components = {c.rsplit("#", 1)[-1] for _, _, c, _, _ in ours}
    assert {
        "DatatypeConstraintComponent", "MaxCountConstraintComponent", "MinCountConstraintComponent",
        "OrConstraintComponent", "NodeKindConstraintComponent", "PatternConstraintComponent",
        "InConstraintComponent", "MaxInclusiveConstraintComponent",
        "SPARQLConstraintComponent", "UniqueLangConstraintComponent",
    } <= components, components


def test_same_results_as_the_complete_engine_on_shipped_data(project, checked):
    ours, reference = both_engines(checked.graph, load_shapes(project))
    assert ours == reference == []


def test_ill_formed_literals_are_caught_as_written(broken):
    _, checked = broken
    values = {(r.focus.rsplit("/", 1)[-1], r.value) for r in checked.report.results if r.constraint.endswith("DatatypeConstraintComponent")}
    assert ("visit-la-piscine-roubaix", "2027-02-30") in values
    assert ("derek-martin", "yes") in values
    # "1"^^xsd:boolean is a well-formed boolean (it is not "true", which only matters to SHACL's own parameters).
    assert not any(focus == "tracy-wu" for focus, _ in values)


def test_results_name_the_file_and_line_where_the_entity_is_described(broken):
    project, checked = broken
    tracy = [r for r in checked.report.results if r.focus.endswith("person/tracy-wu") and r.path == "schema:email"]
    assert tracy
    files = dict(tracy[0].sources)
    assert files["data/tours/2026-hauts-de-france/broken.ttl"] == 16
    line = files["data/tours/2026-hauts-de-france/people.ttl"]
    text = (project.root / "data/tours/2026-hauts-de-france/people.ttl").read_text().splitlines()[line - 1]
    assert text.startswith("person:tracy-wu a schema:Person")


def test_sub_event_outside_parent_dates_is_a_violation(broken):
    _, checked = broken
    dated = [r for r in checked.report.results if r.focus.endswith("visit-villa-cavrois") and r.constraint.endswith("SPARQLConstraintComponent")]
    assert dated and dated[0].severity == "Violation"
    assert "2026-04-02" in dated[0].message("en")


def test_missing_translation_is_only_a_warning(broken):
    _, checked = broken
    hbo = [r for r in checked.report.results if r.focus.endswith("organization/hbo") and r.constraint.endswith("SPARQLConstraintComponent")]
    assert hbo and all(r.severity == "Warning" for r in hbo)


def test_warnings_alone_pass_but_do_not_conform(project_copy):
    (project_copy / "data" / "tours" / "2026-hauts-de-france" / "note.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<graph/tours/2026-hauts-de-france/note> dcterms:title "n"@fr, "n"@en ; dcterms:source "test" ;\n'
        "    dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .\n"
        '<place/france> schema:description "Un pays"@fr .\n'
    )
    report = check(open_project(project_copy)).report
    assert report.passes and not report.conforms and report.warning_count == report.violation_count + 1
    assert "sh:conforms false" in report.to_turtle()


def test_a_focus_matched_by_several_targets_is_validated_once(checked):
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
        <urn:s> a sh:NodeShape ; sh:targetClass schema:Person ; sh:targetSubjectsOf schema:jobTitle ;
            sh:targetNode <https://tourgraph.example/person/tracy-wu> ;
            sh:property [ sh:path schema:jobTitle ; sh:maxCount 0 ] .""", format="turtle")
    report = validate(checked.graph, shapes)
    tracy = [r for r in report.results if r.focus.endswith("person/tracy-wu")]
    assert len(tracy) == 1


def test_annotations_on_a_shape_do_not_send_it_to_the_complete_engine(project):
    shapes = load_shapes(project)
    person = rdflib.URIRef("https://tourgraph.example/shapes#PersonShape")
    shapes.add((person, rdflib.RDFS.subClassOf, rdflib.URIRef("https://tourgraph.example/shapes#Base")))
    shapes.add((person, rdflib.RDFS.seeAlso, rdflib.URIRef("https://schema.org/Person")))
    assert compile_shapes(shapes).leftover == ()


def test_what_the_compiler_leaves_goes_to_the_complete_engine_and_says_so(checked, project, caplog):
    shapes = load_shapes(project)
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> . @prefix ex: <http://example.org/ns#> .
        ex:NamesAreShort a sh:ConstraintComponent ;
            sh:parameter [ sh:path ex:maxCharacters ] ;
            sh:validator [ a sh:SPARQLAskValidator ;
                sh:ask "ASK { FILTER (STRLEN(STR(?value)) <= $maxCharacters) }" ] .
        ex:PersonNames a sh:NodeShape ; sh:targetClass schema:Person ;
            sh:property [ sh:path schema:name ; ex:maxCharacters 11 ] .""", format="turtle")
    with caplog.at_level(logging.WARNING, logger="tourgraph.validate"):
        report = validate(checked.graph, shapes)
    assert any(reason.startswith("an ASK validator") and "NamesAreShort" in reason for _, reason in report.fallback)
    assert "complete engine" in caplog.text and "PersonNames" in caplog.text
    long_names = {r.focus.rsplit("/", 1)[-1] for r in report.results if r.constraint == "http://example.org/ns#NamesAreShort"}
    assert "christine-raspillere" in long_names and "theodore-au" not in long_names
