"""No shape makes a request: SERVICE is refused from the parse before any query runs (in the compiled
engine and before anything reaches the complete one), and owl:imports are read in the shapes graph only."""

from __future__ import annotations

import pytest
import rdflib

from tourgraph import shacl
from tourgraph.errors import InputError
from tourgraph.validate import load_shapes, validate


HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
@prefix ex: <http://example.org/ns#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
SELECTS = [
    "SELECT $this WHERE { SERVICE <{url}> { $this ?p ?o } }",
    "SELECT $this WHERE { $this a schema:Person FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    # A sub-select with SELECT * would be left to the complete engine: the refusal must come first.
    "SELECT $this WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "SELECT $this WHERE { $this a schema:Person . SERVICE SILENT <{url}> { ?s ?p ?o } }",
]


# Where rdflib and Oxigraph read a text differently (see sparql_guard), the checks read it as Oxigraph.
SMUGGLED = [
    # A carriage return ends a comment for Oxigraph, not for rdflib.
    "SELECT $this WHERE { $this a schema:Person # x\\r SERVICE <{url}> { ?s ?p ?o }\\n}",
    # rdflib expands \\u0022 before parsing (a quote ending the string), Oxigraph only inside the string.
    'SELECT $this WHERE { $this a schema:Person . BIND("\\\\u0022 AS ?a) BIND(" AS ?b) SERVICE <{url}> { ?s ?p ?o } } #" AS ?c) }',
]


@pytest.mark.parametrize("select", SELECTS + SMUGGLED)
def test_service_in_a_sparql_constraint_is_refused_without_a_request(checked, listener, select):
    url, connections = listener
    shapes = rdflib.Graph().parse(data=HEAD + f"""
        ex:S a sh:NodeShape ; sh:targetClass schema:Person ;
            sh:sparql [ sh:prefixes ex:p ; sh:select \"\"\"{select.replace('{url}', url)}\"\"\" ] .
        ex:p sh:declare [ sh:prefix "schema" ; sh:namespace "https://schema.org/" ] .""", format="turtle")
    select_text = str(next(shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#select"))))
    assert "SERVICE" in select_text and ("\r" in select_text or "\\u0022" in select_text or select in SELECTS)
    with pytest.raises(InputError, match="SERVICE"):
        validate(checked.graph, shapes)
    assert connections == []


def test_service_in_an_ask_validator_is_refused_without_a_request(checked, listener):
    url, connections = listener
    shapes = rdflib.Graph().parse(data=HEAD + f"""
        ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK {{ SERVICE <{url}> {{ ?value ?p ?o }} }}" ] .
        ex:S a sh:NodeShape ; sh:targetClass schema:Person ; ex:p 1 .""", format="turtle")
    with pytest.raises(InputError, match="SERVICE"):
        validate(checked.graph, shapes)
    assert connections == []


def test_imports_are_never_fetched(checked, project, listener):
    url, connections = listener
    shapes = load_shapes(project)
    shapes.parse(data=HEAD + f"""
        <{url}#shapes> owl:imports <{url}/more> .
        ex:S a sh:NodeShape ; sh:targetNode <{url}/node> ;
            sh:sparql [ sh:prefixes <{url}#shapes> ; sh:select "SELECT $this WHERE {{ FILTER(false) }}" ] .
        ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:q ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:prefixes <{url}#shapes> ; sh:ask "ASK {{ FILTER(true) }}" ] .
        ex:T a sh:NodeShape ; sh:targetNode <{url}/node> ; ex:q 1 .""", format="turtle")
    report = validate(checked.graph, shapes)
    assert report.fallback, "the ASK validator goes to the complete engine"
    assert connections == []
    assert shacl.compile_shapes(shapes).leftover


@pytest.mark.parametrize("select", SMUGGLED)
def test_the_smuggled_forms_do_hide_service_from_a_plain_rdflib_parse(select):
    from rdflib.plugins.sparql.parser import parseQuery

    shapes = rdflib.Graph().parse(data=HEAD + f'ex:S sh:select """{select.replace("{url}", "http://127.0.0.1:1/x")}""" .', format="turtle")
    text = "PREFIX schema: <https://schema.org/>\n" + str(next(shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#select"))))
    assert "ServiceGraphPattern" not in repr(parseQuery(text))
