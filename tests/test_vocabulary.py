"""The closed vocabulary: terms of data/ that schema.org, ontology/ and [vocabularies] do not define."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from tourgraph import terms, vocabulary
from tourgraph.errors import InputError
from tourgraph.load import load
from tourgraph.project import open_project

from conftest import ROOT, VOCAB

SCHEMA = "https://schema.org/"
PEOPLE = "data/tours/2026-hauts-de-france/people.ttl"
TOUR = "data/tours/2026-hauts-de-france/tour.ttl"
BASE = "https://tourgraph.example/"


def edit(project: Path, relpath: str, old: str, new: str) -> int:
    """Replace the first ``old`` of a file with ``new``; the line (1-based) where ``new`` now starts."""
    path = project / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def findings(project: Path) -> list[vocabulary.Finding]:
    opened = open_project(project)
    return vocabulary.check(load(opened), opened)


def only(found: list, **expected) -> vocabulary.Finding:
    assert len(found) == 1, [f.messages["en"] for f in found]
    for name, value in expected.items():
        assert getattr(found[0], name) == value, (name, getattr(found[0], name))
    assert found[0].severity == "Violation" and found[0].constraint == vocabulary.CONSTRAINT
    return found[0]


def test_shipped_data_uses_only_defined_terms(project):
    assert vocabulary.check(load(project), project) == []


def test_misspelt_property_is_named_with_its_line_and_the_right_spelling(project_copy):
    line = edit(project_copy, PEOPLE, "schema:worksFor org:stingy", "schema:worksfor org:stingy")
    finding = only(
        findings(project_copy),
        term=SCHEMA + "worksfor",
        path="schema:worksfor",
        suggestion=SCHEMA + "worksFor",
        file=PEOPLE,
        line=line,
        focus=BASE + "person/ernesto-alcalde",
    )
    assert finding.messages["en"] == "schema:worksfor is not a schema.org term — did you mean schema:worksFor?"
    assert finding.messages["fr"] == "schema:worksfor n'est pas un terme de schema.org — vouliez-vous dire schema:worksFor ?"


def test_unknown_class_gets_the_nearest_class(project_copy):
    line = edit(project_copy, PEOPLE, "person:theodore-au a schema:Person", "person:theodore-au a schema:Persn")
    finding = only(findings(project_copy), term=SCHEMA + "Persn", path="rdf:type", suggestion=SCHEMA + "Person", file=PEOPLE, line=line)
    assert finding.focus == BASE + "person/theodore-au"
    assert "schema:Persn" in finding.messages["fr"] and "schema:Person" in finding.messages["fr"]


def test_a_property_used_as_a_class_is_found_and_the_class_suggested(project_copy):
    line = edit(project_copy, PEOPLE, "person:theodore-au a schema:Person", "person:theodore-au a schema:Person, schema:person")
    # schema:person does not exist; schema:event does, as a (superseded) property.
    edit(project_copy, TOUR, "a schema:BusinessEvent", "a schema:BusinessEvent, schema:event")
    first, second = findings(project_copy)
    assert (first.file, first.line, first.term, first.suggestion) == (PEOPLE, line, SCHEMA + "person", SCHEMA + "Person")
    assert (second.file, second.term, second.path, second.suggestion) == (TOUR, SCHEMA + "event", "rdf:type", SCHEMA + "Event")
    assert "used as a class" in second.messages["en"] and "schema.org does not define it as one" in second.messages["en"]
    assert "employé comme classe" in second.messages["fr"]


def test_a_class_used_as_a_property(project_copy):
    press = "data/tours/2026-hauts-de-france/press-release.ttl"
    line = edit(project_copy, press, "org:pictanovo schema:contactPoint", "org:pictanovo schema:ContactPoint")
    finding = only(findings(project_copy), term=SCHEMA + "ContactPoint", path="schema:ContactPoint", suggestion=SCHEMA + "contactPoint",
                   file=press, line=line, focus=BASE + "organization/pictanovo")
    assert finding.messages["en"] == (
        "schema:ContactPoint is used as a property, but schema.org does not define it as one — did you mean schema:contactPoint?"
    )


def test_http_schema_org_is_explained_once_per_file(project_copy):
    line = edit(project_copy, PEOPLE, "@prefix schema: <https://schema.org/> .", "@prefix schema: <http://schema.org/> .")
    finding = only(
        findings(project_copy),
        file=PEOPLE,
        line=line,
        term="http://schema.org/",
        suggestion=SCHEMA,
        path=None,
        focus=BASE + "graph/tours/2026-hauts-de-france/people",
    )
    en, fr = finding.messages["en"], finding.messages["fr"]
    assert en.startswith("this file uses http://schema.org/ (") and "this project writes https://schema.org/" in en
    assert "change the @prefix line to @prefix schema: <https://schema.org/> ." in en
    assert fr.startswith("ce fichier emploie http://schema.org/") and "corrigez la ligne @prefix" in fr


def test_http_schema_org_in_json_ld_points_at_the_context(project_copy):
    (project_copy / "data" / "extra.jsonld").write_text(
        '{\n  "@context": {\n    "schema": "http://schema.org/"\n  },\n'
        '  "@id": "person/someone",\n  "@type": "schema:Person",\n  "schema:name": "Someone"\n}\n',
        encoding="utf-8",
    )
    finding = only(findings(project_copy), file="data/extra.jsonld", line=3, term="http://schema.org/")
    assert "(2 terms)" in finding.messages["en"] and 'change the @context to "schema": "https://schema.org/"' in finding.messages["en"]


def test_json_ld_terms_are_located_by_their_compact_name_or_key(project_copy):
    (project_copy / "data" / "extra.jsonld").write_text(
        '{\n  "@context": {"@vocab": "https://schema.org/", "schema": "https://schema.org/"},\n  "@graph": [\n'
        '    {"@id": "person/a", "@type": "schema:Person", "schema:nmae": "A"},\n'
        '    {"@id": "person/b", "@type": "Persn",\n     "name": "B"}\n  ]\n}\n',
        encoding="utf-8",
    )
    found = {f.term: f for f in findings(project_copy)}
    assert set(found) == {SCHEMA + "nmae", SCHEMA + "Persn"}
    assert (found[SCHEMA + "nmae"].line, found[SCHEMA + "nmae"].suggestion) == (4, SCHEMA + "name")
    assert (found[SCHEMA + "Persn"].line, found[SCHEMA + "Persn"].suggestion) == (5, SCHEMA + "Person")


def test_listed_vocabularies_pass_and_closed_ones_are_checked_term_by_term(project_copy):
    # foaf is closed in rdflib (its terms are checked); dcat is not (accepted whole); example.org is unknown to rdflib.
    with (project_copy / "tourgraph.toml").open("a", encoding="utf-8") as toml:
        toml.write('foaf = "http://xmlns.com/foaf/0.1/"\ndcat = "http://www.w3.org/ns/dcat#"\nex = "http://example.org/vocab#"\n')
    edit(project_copy, PEOPLE, "@prefix schema:", "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
         "@prefix ex: <http://example.org/vocab#> .\n@prefix schema:")
    edit(project_copy, PEOPLE, 'schema:name "Ernesto Alcalde" ;', 'schema:name "Ernesto Alcalde" ; foaf:nick "Ernie" ; '
         'dcat:inSeries <event/inspiration-tours> ; ex:anything true ; a foaf:Person ;')
    assert findings(project_copy) == []

    line = edit(project_copy, TOUR, "dcterms:license <https", "dcterms:licence <https")
    finding = only(findings(project_copy), term="http://purl.org/dc/terms/licence", path="dcterms:licence",
                   suggestion="http://purl.org/dc/terms/license", file=TOUR, line=line)
    assert "did you mean dcterms:license?" in finding.messages["en"]
    assert finding.messages["en"] == "dcterms:licence is not a term of the dcterms vocabulary (http://purl.org/dc/terms/) — did you mean dcterms:license?"
    assert finding.messages["fr"] == (
        "dcterms:licence n'est pas un terme du vocabulaire dcterms (http://purl.org/dc/terms/) — vouliez-vous dire dcterms:license ?"
    )


def test_unlisted_namespace_says_how_to_list_it_and_listing_it_works(project_copy):
    edit(project_copy, PEOPLE, "@prefix schema:", "@prefix ex: <http://example.org/vocab#> .\n@prefix schema:")
    line = edit(project_copy, PEOPLE, 'schema:name "Theodore Au" ;', 'schema:name "Theodore Au" ; ex:x 1 ;')
    finding = only(findings(project_copy), term="http://example.org/vocab#x", path="ex:x", suggestion=None, file=PEOPLE, line=line)
    assert 'list it in tourgraph.toml under [vocabularies]: ex = "http://example.org/vocab#"' in finding.messages["en"]
    assert 'déclarez-le dans tourgraph.toml sous [vocabularies] : ex = "http://example.org/vocab#"' in finding.messages["fr"]

    # Doing what the message says is enough.
    with (project_copy / "tourgraph.toml").open("a", encoding="utf-8") as toml:
        toml.write('ex = "http://example.org/vocab#"\n')
    assert findings(project_copy) == []


def test_full_iri_of_an_unlisted_namespace_is_located(project_copy):
    line = edit(project_copy, PEOPLE, 'schema:name "Theodore Au" ;', 'schema:name "Theodore Au" ;\n    <http://example.org/vocab#x> 1 ;')
    finding = only(findings(project_copy), path="<http://example.org/vocab#x>", file=PEOPLE, line=line + 1)
    assert 'list it in tourgraph.toml under [vocabularies]: vocab = "http://example.org/vocab#"' in finding.messages["en"]


def test_a_relative_iri_as_property_suggests_the_prefixed_term(project_copy):
    line = edit(project_copy, PEOPLE, "schema:worksFor org:hbo", "<worksFor> org:hbo")
    finding = only(findings(project_copy), term=BASE + "worksFor", path="<worksFor>", suggestion=SCHEMA + "worksFor", file=PEOPLE, line=line)
    assert "relative IRI" in finding.messages["en"] and "did you mean schema:worksFor?" in finding.messages["en"]


def test_misspelt_ontology_term_gets_the_ontology_term(project_copy):
    line = edit(project_copy, TOUR, "tg:delegate person:", "tg:delegates person:")
    finding = only(findings(project_copy), term="https://tourgraph.example/ns#delegates", path="tg:delegates",
                   suggestion="https://tourgraph.example/ns#delegate", file=TOUR, line=line)
    assert "is not a term of the project's ontology (ontology/)" in finding.messages["en"]
    assert finding.messages["fr"].startswith("tg:delegates n'est pas un terme de l'ontologie du projet (ontology/) — vouliez-vous dire tg:delegate ?")


def test_a_concept_of_the_ontology_is_no_class(project_copy):
    edit(project_copy, PEOPLE, "person:theodore-au a schema:Person", "person:theodore-au a schema:Person, <ns/kind/studio>")
    finding = only(findings(project_copy), term="https://tourgraph.example/ns/kind/studio", path="rdf:type")
    assert "used as a class" in finding.messages["en"]


def test_blank_node_subject_is_the_focus(project_copy):
    (project_copy / "data" / "extra.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n<place/somewhere> schema:geo [\n    a schema:GeoCoordinates ;\n"
        "    schema:lattitude 50.1\n] .\n",
        encoding="utf-8",
    )
    finding = only(findings(project_copy), term=SCHEMA + "lattitude", suggestion=SCHEMA + "latitude", file="data/extra.ttl", line=4)
    assert finding.focus.startswith("_:")


def test_only_data_files_are_checked(project_copy):
    edit(project_copy, "ontology/tourgraph.ttl", "rdfs:subClassOf schema:Event ;", "rdfs:subClassOf schema:Event ; schema:sameAss schema:Event ;")
    assert findings(project_copy) == []


def test_rdf_is_always_known_and_other_vocabularies_only_when_listed(project_copy):
    toml = project_copy / "tourgraph.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[vocabularies]")
    toml.write_text(text[:start] + '[vocabularies]\nprov = "http://www.w3.org/ns/prov#"\n', encoding="utf-8")
    found = findings(project_copy)
    assert found and {f.term for f in found} == {"http://purl.org/dc/terms/" + name for name in ("license", "source", "title", "issued", "description")}
    assert all("[vocabularies]" in f.messages["en"] and f.suggestion is None for f in found)


def test_listing_https_schema_org_changes_nothing(project_copy):
    with (project_copy / "tourgraph.toml").open("a", encoding="utf-8") as toml:
        toml.write('schema = "https://schema.org/"\n')
    assert "schema" not in terms.vocabularies(open_project(project_copy))
    edit(project_copy, PEOPLE, "schema:worksFor org:hbo", "schema:worksfor org:hbo")
    only(findings(project_copy), term=SCHEMA + "worksfor", suggestion=SCHEMA + "worksFor")


def test_no_vocabularies_table_means_the_default_ones(project_copy):
    toml = project_copy / "tourgraph.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index("[vocabularies]")], encoding="utf-8")
    assert findings(project_copy) == []
    assert terms.vocabularies(open_project(project_copy)) == terms.DEFAULT_VOCABULARIES


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ('ex = "http://example.org/vocab"', 'must end with "/" or "#"'),
        ("ex = 3", "must be a namespace IRI"),
        ('schema = "http://schema.org/"', "this project writes schema.org as https://schema.org/, which needs no entry"),
    ],
)
def test_bad_vocabularies_entry_is_an_input_error_with_its_line(project_copy, entry, says):
    toml = project_copy / "tourgraph.toml"
    text = toml.read_text(encoding="utf-8") + entry + "\n"
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        terms.vocabularies(open_project(project_copy))
    assert says in caught.value.message and caught.value.messages["fr"] != caught.value.message
    assert (caught.value.path, caught.value.line) == ("tourgraph.toml", text.count("\n"))


def test_shipped_schemaorg_terms_are_the_vendored_release():
    """The package's list against the release as rdflib reads it (another parser than the generator's)."""
    release = rdflib.Graph().parse(VOCAB / "schemaorg-current-https.ttl", format="turtle")
    expected: dict[str, set] = {}
    for subject, kind in release.subject_objects(RDF.type):
        if isinstance(subject, rdflib.URIRef) and str(subject).startswith(SCHEMA):
            letter = "C" if kind == RDFS.Class else "P" if kind == RDF.Property else "I"
            expected.setdefault(str(subject)[len(SCHEMA):], set()).add(letter)
    shipped = terms.schemaorg().terms
    assert {name: set(kinds) for name, kinds in shipped.items()} == expected
    assert len(shipped) > 2900 and shipped["worksFor"] == "P" and shipped["Person"] == "C"
    header = (ROOT / "src" / "tourgraph" / "schemaorg_terms.txt").read_text(encoding="utf-8").splitlines()[:8]
    assert any("release 30.0" in line for line in header) and any("CC BY-SA 3.0" in line for line in header)


def test_generator_reproduces_the_shipped_list():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "schemaorg_terms.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "matches" in run.stdout
