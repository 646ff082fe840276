"""SHACL-SPARQL constraints run in Oxigraph must find what pyshacl finds."""

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH

from tourgraph.build import check
from tourgraph.graph import to_rdflib
from tourgraph.project import open_project
from tourgraph.shacl_sparql import split_shapes
from tourgraph.validate import load_shapes


def _break(project_copy):
    tour = project_copy / "data" / "tours" / "2026-hauts-de-france" / "broken.ttl"
    tour.write_text(
        "@prefix schema: <https://schema.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<event/visit-villa-cavrois> schema:startDate \"2026-04-02\"^^xsd:date .\n"
        "<organization/hbo> schema:description \"Seulement en français\"@fr .\n"
        "<https://tourgraph.example/ns#orphan> <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <https://tourgraph.example/ns> ;\n"
        "  <http://www.w3.org/2000/01/rdf-schema#label> \"orphelin\"@fr, \"orphan\"@en ;\n"
        "  <http://www.w3.org/2000/01/rdf-schema#comment> \"c\"@fr, \"c\"@en .\n"
        "<graph/tours/2026-hauts-de-france/broken> <http://purl.org/dc/terms/title> \"t\"@fr, \"t\"@en ;\n"
        "  <http://purl.org/dc/terms/source> \"test\" ; <http://purl.org/dc/terms/license> <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .\n"
    )
    return open_project(project_copy)


def test_split_removes_only_node_shape_sparql(project):
    shapes = load_shapes(project)
    remaining, constraints = split_shapes(shapes)
    assert constraints
    assert len(remaining) == len(shapes) - len(constraints)
    assert len(shapes) == len(load_shapes(project)), "split_shapes must not change its input"


def test_sparql_results_match_pyshacl(project_copy):
    project = _break(project_copy)
    ours = check(project)
    sparql = {
        (r.focus, r.severity)
        for r in ours.report.results
        if r.constraint == str(SH.SPARQLConstraintComponent)
    }
    _, graph, _ = pyshacl.validate(to_rdflib(ours.graph.quads()), shacl_graph=load_shapes(project), advanced=True, allow_warnings=True)
    theirs = set()
    for node in graph.subjects(RDF.type, SH.ValidationResult):
        if graph.value(node, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
            severity = graph.value(node, SH.resultSeverity).split("#")[-1]
            theirs.add((str(graph.value(node, SH.focusNode)), severity))
    assert sparql == theirs
    foci = {focus for focus, _ in sparql}
    base = "https://tourgraph.example/"
    assert {base + "event/visit-villa-cavrois", base + "organization/hbo", base + "ns#orphan"} <= foci


def test_sub_event_outside_parent_dates_is_a_violation(project_copy):
    project = _break(project_copy)
    report = check(project).report
    dated = [r for r in report.results if r.focus.endswith("visit-villa-cavrois") and r.severity == "Violation"]
    assert dated, report.to_text()
    assert "2026-04-02" in dated[0].message("en")


def test_missing_translation_is_only_a_warning(project_copy):
    report = check(_break(project_copy)).report
    hbo = [r for r in report.results if r.focus.endswith("organization/hbo")]
    assert hbo and all(r.severity == "Warning" for r in hbo)
    assert "en" in hbo[0].message("en")
