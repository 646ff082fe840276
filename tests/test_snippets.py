"""The embeddable schema.org JSON-LD snippets, one per entity."""

from __future__ import annotations

import json

import pytest

BASE = "https://tourgraph.example/"


@pytest.fixture(scope="module")
def index(checked):
    from tourgraph.site.graphindex import GraphIndex

    return GraphIndex(checked.graph)


def load(dist, path: str) -> dict:
    return json.loads((dist / "snippets" / f"{path}.jsonld").read_text(encoding="utf-8"))


def test_one_snippet_per_page_entity(dist, index):
    files = {p.relative_to(dist / "snippets").with_suffix("").as_posix() for p in (dist / "snippets").rglob("*.jsonld")}
    assert files == {e.path for e in index.pages.values()}
    for entity in index.pages.values():
        snippet = load(dist, entity.path)
        assert snippet["@context"] == "https://schema.org/"
        assert snippet["@id"] == entity.iri
        types = snippet["@type"] if isinstance(snippet["@type"], list) else [snippet["@type"]]
        assert sorted(types) == index.schema_types(entity.iri)


def test_snippet_uses_schema_terms_only(dist, index):
    def keys(node):
        if isinstance(node, list):
            for item in node:
                yield from keys(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)

    for entity in index.pages.values():
        text = (dist / "snippets" / f"{entity.path}.jsonld").read_text(encoding="utf-8")
        assert "tourgraph.example/ns#" not in text
        assert all(k.startswith("@") or ":" not in k for k in keys(json.loads(text)))


def test_snippet_keeps_both_languages(dist):
    visit = load(dist, "event/visit-cathedrale-d-amiens")
    assert {"@value": "Visite de la Cathédrale d'Amiens", "@language": "fr"} in visit["name"]
    assert {"@value": "Visit to Amiens Cathedral", "@language": "en"} in visit["name"]
    assert visit["location"]["name"] == [
        {"@language": "en", "@value": "Amiens Cathedral"},
        {"@language": "fr", "@value": "Cathédrale d'Amiens"},
    ]
    assert visit["location"]["address"]["streetAddress"] == "30 Place Notre-Dame"
    assert visit["location"]["geo"] == {
        "@id": BASE + "place/cathedrale-d-amiens-geo",
        "@type": "GeoCoordinates",
        "latitude": "49.8947",
        "longitude": "2.3022",
    }


def test_tour_snippet_is_framed_around_the_event(dist):
    tour = load(dist, "event/inspiration-tour-2026-hauts-de-france")
    assert tour["startDate"] == "2026-03-22" and tour["endDate"] == "2026-03-27"
    assert tour["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    delegates = {a["@id"] for a in tour["attendee"]}
    assert BASE + "person/ernesto-alcalde" in delegates and BASE + "organization/firststep" in delegates
    assert {e["@id"] for e in tour["subEvent"]} == {
        BASE + "event/" + s
        for s in ("visit-chateau-de-chantilly", "visit-cathedrale-d-amiens", "visit-villa-cavrois", "visit-la-piscine-roubaix", "series-mania-forum-2026")
    }
    assert tour["superEvent"]["name"] == "Inspiration Tour"


def test_person_snippet(dist):
    person = load(dist, "person/clemence-dupre")
    assert person["name"] == "Clémence Dupré"
    assert person["worksFor"] == {"@id": BASE + "organization/pictanovo", "@type": "Organization", "name": "Pictanovo"}
    assert {"@value": "Head of Communication & CSR", "@language": "en"} in person["jobTitle"]
    assert "email" not in person and "telephone" not in person


def test_page_and_snippet_say_the_same(dist):
    import extruct

    html = (dist / "en/organization/pictanovo.html").read_text(encoding="utf-8")
    (page,) = extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]
    snippet = load(dist, "organization/pictanovo")
    assert page.keys() == snippet.keys()
    assert page["contactPoint"] == snippet["contactPoint"]
    assert page["description"] == next(d["@value"] for d in snippet["description"] if d["@language"] == "en")


def test_readme_explains_embedding(dist):
    readme = (dist / "snippets/README.md").read_text(encoding="utf-8")
    assert '<script type="application/ld+json">' in readme
    assert f"{BASE}{{kind}}/{{slug}}" in readme and "\\u003c" in readme
