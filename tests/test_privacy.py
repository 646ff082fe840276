"""Privacy: no person's own contact details and no opted-out person in anything the build publishes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from tourgraph import privacy
from tourgraph.errors import ValidationFailed
from tourgraph.graph import SCHEMA, TG

BASE = "https://tourgraph.example/"
GRAPH = ox.NamedNode(BASE + "graph/test/private")
ERNESTO = ox.NamedNode(BASE + "person/ernesto-alcalde")
THEODORE = ox.NamedNode(BASE + "person/theodore-au")
HBO = ox.NamedNode(BASE + "organization/hbo")
TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def s(local: str) -> ox.NamedNode:
    return ox.NamedNode(SCHEMA + local)


def with_quads(kg, *quads):
    """A copy of ``kg`` with extra quads in a test graph."""
    store = kg.copy_store()
    store.bulk_extend(ox.Quad(*q, GRAPH) for q in quads)
    return kg.with_store(store)


def mentions(kg, node) -> list:
    return [q for q in kg.quads() if node in (q.subject, q.object)]


def test_public_view_drops_a_persons_own_contact_details_and_keeps_published_ones(checked):
    address = ox.NamedNode(BASE + "person/ernesto-alcalde-address")
    kg = with_quads(
        checked.graph,
        (ERNESTO, s("email"), ox.Literal("ernesto@example.net")),
        (ERNESTO, s("telephone"), ox.Literal("+1 555 0100")),
        (ERNESTO, s("address"), address),
        (address, s("streetAddress"), ox.Literal("1 Private Lane")),
    )
    size = len(kg)
    public = privacy.public_view(kg)
    assert len(kg) == size, "public_view must not change its input"
    assert not list(public.store.quads_for_pattern(ERNESTO, s("email"), None, None))
    assert not list(public.store.quads_for_pattern(ERNESTO, s("telephone"), None, None))
    assert not mentions(public, address), "the address node only served the person: it goes too"
    assert list(public.store.quads_for_pattern(ERNESTO, s("name"), None, None))
    press = ox.NamedNode(BASE + "contact/press-pictanovo")
    assert list(public.store.quads_for_pattern(press, s("email"), None, None)), "press contacts stay public"
    assert privacy.check(public, kg).conforms


def test_a_place_given_as_a_persons_address_loses_the_link_but_stays(checked):
    town = ox.NamedNode(BASE + "place/springfield")
    kg = with_quads(
        checked.graph,
        (town, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), s("City")),
        (town, s("name"), ox.Literal("Springfield")),
        (ERNESTO, s("address"), town),
    )
    public = privacy.public_view(kg)
    assert not list(public.store.quads_for_pattern(ERNESTO, s("address"), None, None))
    assert list(public.store.quads_for_pattern(town, s("name"), None, None))


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_opting_out_ann_keeps_anne_what_goes_is_decided_by_links_not_iri_prefixes(checked):
    ann, anne = ox.NamedNode(BASE + "person/ann"), ox.NamedNode(BASE + "person/anne")
    ann_address, ann_card = ox.NamedNode(BASE + "person/ann/address"), ox.NamedNode(BASE + "contact/ann-card")
    kg = with_quads(
        checked.graph,
        (ann, RDF_TYPE, s("Person")), (ann, s("name"), ox.Literal("Ann Example")),
        (ann, ox.NamedNode(TG + "publicationOptOut"), TRUE),
        (ann, s("colleague"), anne),
        (ann, s("address"), ann_address), (ann_address, s("streetAddress"), ox.Literal("2 Hidden Road")),
        (ann, s("contactPoint"), ann_card), (ann_card, RDF_TYPE, s("ContactPoint")),
        (ann_card, s("email"), ox.Literal("ann@example.net")),
        (anne, RDF_TYPE, s("Person")), (anne, s("name"), ox.Literal("Anne Other")),
        (anne, s("jobTitle"), ox.Literal("Producer")),
    )
    public = privacy.public_view(kg)
    kept = {(q.predicate.value, q.object.value) for q in public.store.quads_for_pattern(anne, None, None, None)}
    assert {(SCHEMA + "name", "Anne Other"), (SCHEMA + "jobTitle", "Producer")} <= kept, "anne is someone else"
    assert not mentions(public, ann)
    assert not mentions(public, ann_address) and not mentions(public, ann_card), "ann's own address and card go with her"


def test_an_entity_an_opted_out_person_links_to_stays_even_when_nobody_else_does(checked):
    festival = ox.NamedNode(BASE + "person/theodore-au-productions")
    kg = with_quads(
        checked.graph,
        (THEODORE, ox.NamedNode(TG + "publicationOptOut"), TRUE),
        (THEODORE, s("memberOf"), festival),
        (festival, RDF_TYPE, s("Organization")), (festival, s("name"), ox.Literal("A festival")),
    )
    public = privacy.public_view(kg)
    assert list(public.store.quads_for_pattern(festival, s("name"), None, None)), "an organisation whose IRI starts like his is not his"


def test_the_private_properties_are_one_list_read_from_the_privacy_shapes():
    import rdflib
    from rdflib.namespace import SH

    from tourgraph.site import graphindex

    # An independent reading of the shapes file (rdflib, not Oxigraph).
    shapes = rdflib.Graph().parse(data=privacy.shapes_text(), format="turtle")
    expected = set()
    for shape in shapes.subjects(SH.targetClass, rdflib.URIRef(SCHEMA + "Person")):
        for prop in shapes.objects(shape, SH.property):
            if shapes.value(prop, SH.maxCount) == rdflib.Literal(0):
                expected.add(str(shapes.value(prop, SH.path)))
    assert expected == {SCHEMA + p for p in ("email", "telephone", "faxNumber", "address", "contactPoint")}
    assert set(privacy.person_private_properties()) == expected
    assert {p.value for p in privacy.PRIVATE_PROPERTIES} == expected
    assert graphindex.PERSON_PRIVATE == expected


def test_public_view_removes_an_opted_out_person_everywhere(checked):
    kg = with_quads(checked.graph, (THEODORE, ox.NamedNode(TG + "publicationOptOut"), TRUE))
    public = privacy.public_view(kg)
    assert mentions(kg, THEODORE) and not mentions(public, THEODORE)
    assert list(public.store.quads_for_pattern(HBO, s("name"), None, None)), "his employer stays"
    assert not list(public.store.quads_for_pattern(None, ox.NamedNode(TG + "publicationOptOut"), None, None))
    assert not list(public.store.quads_for_pattern(None, s("additionalProperty"), None, None)), "nor its materialised copy"
    assert len(public) < len(kg) and privacy.check(public, kg).conforms


def test_privacy_shapes_report_contact_details_and_opt_outs_left_in_a_graph(checked):
    leaky = with_quads(
        checked.graph,
        (ERNESTO, s("telephone"), ox.Literal("+1 555 0100")),
        (THEODORE, ox.NamedNode(TG + "publicationOptOut"), TRUE),
    )
    report = privacy.check(leaky)
    found = {(r.focus, r.path) for r in report.results if r.severity == "Violation"}
    assert (ERNESTO.value, "schema:telephone") in found
    assert (THEODORE.value, "tg:publicationOptOut") in found


def test_build_refuses_text_that_still_names_an_opted_out_person(checked):
    kg = with_quads(
        checked.graph,
        (THEODORE, ox.NamedNode(TG + "publicationOptOut"), TRUE),
        (HBO, s("description"), ox.Literal("Theodore Au produces for HBO.", language="en")),
    )
    with pytest.raises(ValidationFailed) as failure:
        privacy.publishable(kg)
    assert [r.focus for r in failure.value.report.results] == [HBO.value]


def test_the_ontology_defines_the_opt_out_in_both_languages(checked):
    term = ox.NamedNode(TG + "publicationOptOut")
    for prop in ("label", "comment"):
        languages = {q.object.language for q in checked.graph.store.quads_for_pattern(term, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#" + prop), None, None)}
        assert languages == {"fr", "en"}


PRIVATE = """\
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix tg: <ns#> .
@prefix person: <person/> .
@prefix contact: <contact/> .

<graph/tours/2026-hauts-de-france/private> a prov:Entity ;
    dcterms:title "Coordonnées internes"@fr, "Internal contact details"@en ;
    dcterms:source "the commission's own records" ;
    dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .

person:ernesto-alcalde schema:contactPoint contact:ernesto-alcalde-private .

contact:ernesto-alcalde-private a schema:ContactPoint ;
    schema:contactType "personal" ;
    schema:email "ernesto.alcalde.private@example.net" ;
    schema:telephone "+1 310 555 0147" .

person:theodore-au tg:publicationOptOut true .
"""


def published_texts(dist: Path):
    """Every file of dist/, and every member of every zip in it, as text."""
    for path in sorted(dist.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path.relative_to(dist)), data.decode("utf-8", errors="replace")
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{path.name}!{name}", archive.read(name).decode("utf-8", errors="replace")


def test_no_private_detail_nor_opted_out_person_reaches_dist(project_copy):
    from tourgraph.build import build
    from tourgraph.project import open_project

    (project_copy / "data" / "tours" / "2026-hauts-de-france" / "private.ttl").write_text(PRIVATE, encoding="utf-8")
    out = project_copy / "dist"
    build(open_project(project_copy), out)
    forbidden = ("ernesto.alcalde.private", "555 0147", "5550147", "ernesto-alcalde-private", "Theodore Au", "theodore-au", "Theodore")
    texts = dict(published_texts(out))
    assert len(texts) > 20 and any(name.endswith(".zip!people.csv") for name in texts)
    leaks = [(name, word) for name, text in texts.items() for word in forbidden if word in text]
    assert leaks == []
    everything = "\n".join(texts.values())
    assert "Ernesto Alcalde" in everything and "cdupre@pictanovo.com" in everything
