"""The HTML site, the per-entity RDF descriptions and the embedded schema.org JSON-LD."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import extruct
import pyoxigraph as ox

from tourgraph.export import BuildContext

BASE = "https://tourgraph.example/"
TOUR = "event/inspiration-tour-2026-hauts-de-france"
SCHEMA = "https://schema.org/"
HOSTILE = "</script><script>alert(1)</script> <!-- & >"
VOCAB = Path(__file__).resolve().parent / "vocab" / "schemaorg-current-https.ttl"


class Links(HTMLParser):
    """Collects href/src attributes, lang attributes and alternates from a page."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: list[dict] = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append(attrs)
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate") and attrs.get("hreflang")):
                self.hrefs.append(attrs[name])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def jsonld(html: str) -> list[dict]:
    return extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]


def html_pages(dist: Path) -> list[Path]:
    return sorted([dist / "index.html", *(dist / "fr").rglob("*.html"), *(dist / "en").rglob("*.html")])


def page_entities(checked):
    from tourgraph.site.graphindex import GraphIndex

    return GraphIndex(checked.graph).pages


def test_layout_follows_the_iri_scheme(dist, checked):
    entities = page_entities(checked)
    assert {e.kind for e in entities.values()} == {"event", "person", "organization", "place", "document"}
    for entity in entities.values():
        assert entity.iri == f"{BASE}{entity.kind}/{entity.slug}"
        for lang in ("fr", "en"):
            assert (dist / lang / entity.kind / f"{entity.slug}.html").is_file()
        assert (dist / f"{entity.path}.ttl").is_file()
        assert (dist / f"{entity.path}.jsonld").is_file()
    for name in ("index.html", "fr/index.html", "en/index.html", "sitemap.xml", "robots.txt", "static/site.css"):
        assert (dist / name).is_file(), name
    # Structured values (addresses, coordinates) get no page of their own.
    assert not (dist / "fr/place/villa-cavrois-address.html").exists()


def test_entity_description_is_its_triples(dist, checked):
    from tourgraph.graph import query_union

    turtle = (dist / f"{TOUR}.ttl").read_bytes()
    graph = {(t.subject, t.predicate, t.object) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}
    expected = {
        (ox.NamedNode(BASE + TOUR), r["p"], r["o"])
        for r in query_union(checked.graph.store, f"SELECT ?p ?o WHERE {{ <{BASE + TOUR}> ?p ?o }}")
    }
    assert graph == expected
    assert any(p.value == "https://tourgraph.example/ns#delegate" for _, p, _ in graph)
    document = json.loads((dist / f"{TOUR}.jsonld").read_text(encoding="utf-8"))
    node = next(n for n in document["@graph"] if n["@id"] == BASE + TOUR)
    assert "schema:BusinessEvent" in node["@type"]


def test_tour_page_shows_programme_people_and_sources(dist):
    html = (dist / f"en/{TOUR}.html").read_text(encoding="utf-8")
    for text in (
        "Visit to the Château de Chantilly", "Visit to Amiens Cathedral", "Visit to Villa Cavrois",
        "Series Mania Forum", "Delegation", "Ernesto Alcalde", "Tracy Wu", "Ambassadors", "Carole Reinhard",
        "Participating companies", "Voulez-Vous Production Services", "Organisers", "Pictanovo", "Film France-CNC",
        "date not given by the source", "data/tours/2026-hauts-de-france/tour.ttl", "published 16 March 2026",
    ):
        assert text in html, text
    assert html.count("date not given by the source") >= 5
    # No part of the programme is dated by the source: no timeline of empty days.
    assert '<li class="day">' not in html and 'id="timeline"' not in html
    fr = (dist / f"fr/{TOUR}.html").read_text(encoding="utf-8")
    assert "date non donnée par la source" in fr and "Délégation" in fr and "publié le 16 mars 2026" in fr


def test_map_is_inline_svg_with_the_venues(dist):
    html = (dist / f"en/{TOUR}.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert svg.count('<circle class="marker"') == 5  # four venues and Lille, the forum's city
    assert "Hauts-de-France" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for x, y in re.findall(r'class="marker" cx="([\d.]+)" cy="([\d.]+)"', svg):
        assert 0 <= float(x) <= 640 and float(y) >= 0
    assert "https://www.openstreetmap.org/?mlat=50.668&amp;mlon=3.164" in html
    assert "https://www.openstreetmap.org/?mlat=50.633&amp;mlon=3.059" in html


def test_pages_are_bilingual_and_linked(dist):
    for lang, other in (("fr", "en"), ("en", "fr")):
        page = parse(dist / f"{lang}/{TOUR}.html")
        assert page.html_lang == lang
        hreflang = {a["hreflang"]: a["href"] for a in page.alternates if a.get("hreflang")}
        assert hreflang == {"fr": f"{BASE}fr/{TOUR}.html", "en": f"{BASE}en/{TOUR}.html", "x-default": f"{BASE}fr/{TOUR}.html"}
        types = {a.get("type"): a["href"] for a in page.alternates if a.get("type")}
        assert types == {"text/turtle": f"../../{TOUR}.ttl", "application/ld+json": f"../../{TOUR}.jsonld"}
        assert f"../../{other}/{TOUR}.html" in page.hrefs


def test_every_relative_link_resolves(dist):
    checked_links = 0
    for path in html_pages(dist):
        for href in parse(path).hrefs:
            if href.startswith(("http://", "https://", "mailto:", "#")):
                continue
            if href in ("/sparql", "/queries/"):
                # The server's pages: on a static host these links say where the endpoint lives.
                continue
            target = (dist / href.lstrip("/")) if href.startswith("/") else (path.parent / urldefrag(href).url).resolve()
            assert target.is_file() or target.name in ("graph.ttl", "graph.jsonld", "graph.nt"), f"{path}: {href}"
            checked_links += 1
    assert checked_links > 1000


def test_links_go_both_ways(dist):
    person = (dist / "en/person/ernesto-alcalde.html").read_text(encoding="utf-8")
    assert f'href="../../en/{TOUR}.html"' in person and "role: delegate" in person
    tour = (dist / f"en/{TOUR}.html").read_text(encoding="utf-8")
    assert 'href="../../en/person/ernesto-alcalde.html"' in tour
    venue = (dist / "en/place/villa-cavrois.html").read_text(encoding="utf-8")
    assert "Events held here" in venue and 'href="../../en/event/visit-villa-cavrois.html"' in venue
    organisation = (dist / "en/organization/film-france-cnc.html").read_text(encoding="utf-8")
    assert 'href="../../en/person/vivien-plagnol.html"' in organisation
    assert f'href="../../en/{TOUR}.html"' in organisation
    assert "vivien.plagnol@cnc.fr" in organisation  # the published press contact point


def test_tour_markup_has_what_search_engines_need(dist):
    (markup,) = jsonld((dist / f"en/{TOUR}.html").read_text(encoding="utf-8"))
    assert markup["@context"] == "https://schema.org/"
    assert markup["@id"] == BASE + TOUR and markup["@type"] == "BusinessEvent"
    for key in ("name", "startDate", "endDate", "location", "organizer", "description", "eventStatus", "eventAttendanceMode"):
        assert markup[key], key
    assert markup["startDate"] == "2026-03-22" and markup["endDate"] == "2026-03-27"
    assert markup["location"]["name"] == "Hauts-de-France"
    assert markup["location"]["address"]["@type"] == "PostalAddress"
    assert markup["eventStatus"] == "https://schema.org/EventScheduled"
    assert markup["description"].startswith("An international delegation")
    assert {a["@id"] for a in markup["attendee"]} >= {BASE + "person/ernesto-alcalde", BASE + "person/carole-reinhard"}
    assert all(set(a) == {"@id", "@type", "name"} for a in markup["attendee"])
    (french,) = jsonld((dist / f"fr/{TOUR}.html").read_text(encoding="utf-8"))
    assert french["description"].startswith("Une délégation internationale")


def _schema_terms() -> set[str]:
    store = ox.Store()
    store.bulk_load(path=str(VOCAB), format=ox.RdfFormat.TURTLE)
    return {q.subject.value[len(SCHEMA):] for q in store.quads_for_pattern(None, None, None, None) if q.subject.value.startswith(SCHEMA)}


def _walk(node, keys: set, types: set):
    if isinstance(node, list):
        for item in node:
            _walk(item, keys, types)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                types.update([value] if isinstance(value, str) else value)
            elif not key.startswith("@"):
                keys.add(key)
                _walk(value, keys, types)


def test_every_page_markup_matches_the_graph(dist, checked):
    from tourgraph.site.graphindex import GraphIndex

    index = GraphIndex(checked.graph)
    keys: set = set()
    types: set = set()
    for entity in index.pages.values():
        for lang in ("fr", "en"):
            html = (dist / lang / entity.kind / f"{entity.slug}.html").read_text(encoding="utf-8")
            (markup,) = jsonld(html)
            assert markup["@id"] == entity.iri
            page_types = markup["@type"] if isinstance(markup["@type"], list) else [markup["@type"]]
            assert sorted(page_types) == index.schema_types(entity.iri)
            _walk(markup, keys, types)
    assert not any(":" in k for k in keys)
    terms = _schema_terms()
    assert keys <= terms, keys - terms
    assert types <= terms, types - terms
    assert "jobTitle" in keys and "Visit" not in types


def test_hostile_text_cannot_break_out_of_the_script(project_copy, tmp_path):
    from tourgraph.build import build
    from tourgraph.project import open_project

    people = project_copy / "data/tours/2026-hauts-de-france/people.ttl"
    text = people.read_text(encoding="utf-8")
    literal = json.dumps(HOSTILE)
    assert 'schema:jobTitle "Executive Producer"@en' in text
    people.write_text(text.replace('schema:jobTitle "Executive Producer"@en', f"schema:jobTitle {literal}@en"), encoding="utf-8")
    out = tmp_path / "dist"
    build(open_project(project_copy), out)
    for page in html_pages(out):
        html = page.read_text(encoding="utf-8")
        assert "</script><script>" not in html and "<!--" not in html, page
    html = (out / "en/person/ernesto-alcalde.html").read_text(encoding="utf-8")
    (markup,) = jsonld(html)
    assert markup["jobTitle"] == HOSTILE
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- &amp; &gt;" in html
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "\\u003c/script\\u003e" in script and json.loads(script)["jobTitle"] == HOSTILE
    snippet = json.loads((out / "snippets/person/ernesto-alcalde.jsonld").read_text(encoding="utf-8"))
    assert snippet["jobTitle"] == {"@value": HOSTILE, "@language": "en"}


def _with_triples(checked, extra: list) -> "object":
    store = checked.graph.copy_store()
    store.bulk_extend(extra)
    return checked.graph.with_store(store)


def _write(project, graph, out: Path) -> Path:
    from tourgraph.export import site, snippets

    ctx = BuildContext(project=project, graph=graph, out=out)
    site.write(ctx)
    snippets.write(ctx)
    return out


def test_a_persons_own_contact_details_are_never_shown(project, checked, tmp_path):
    person = ox.NamedNode(BASE + "person/theodore-au")
    graph = ox.NamedNode(BASE + "graph/tours/2026-hauts-de-france/people")
    extra = [
        ox.Quad(person, ox.NamedNode(SCHEMA + "email"), ox.Literal("theo.private@example.org"), graph),
        ox.Quad(person, ox.NamedNode(SCHEMA + "telephone"), ox.Literal("+33 6 00 00 00 00"), graph),
    ]
    out = _write(project, _with_triples(checked, extra), tmp_path / "dist")
    for path in [*out.rglob("*.html"), *out.rglob("*.jsonld"), *out.rglob("*.ttl")]:
        text = path.read_text(encoding="utf-8")
        assert "theo.private@example.org" not in text and "+33 6 00" not in text, path
    assert "Theodore Au" in (out / "en/person/theodore-au.html").read_text(encoding="utf-8")


def test_sitemap_and_robots(dist, checked):
    tree = ET.parse(dist / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = tree.getroot().findall("s:url", ns)
    locs = [u.find("s:loc", ns).text for u in urls]
    # Every entity page, kind index and home page in both languages (the language chooser is x-default).
    assert len(locs) == len(set(locs)) == 2 * len(page_entities(checked)) + 2 * 5 + 2
    assert all(loc.startswith(BASE) for loc in locs)
    tour = next(u for u in urls if u.find("s:loc", ns).text == f"{BASE}en/{TOUR}.html")
    alternates = {link.get("hreflang"): link.get("href") for link in tour.findall("x:link", ns)}
    assert alternates == {"fr": f"{BASE}fr/{TOUR}.html", "en": f"{BASE}en/{TOUR}.html", "x-default": f"{BASE}fr/{TOUR}.html"}
    # lastmod: the date of the sources stating the entity (here the press release of 16 March 2026).
    assert tour.find("s:lastmod", ns).text == "2026-03-16"
    assert (dist / "robots.txt").read_text() .endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_no_external_resources(dist):
    for path in html_pages(dist):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:link|script|img|iframe)\b[^>]*>", html):
            if 'rel="stylesheet"' in tag or "src=" in tag:
                assert "http" not in tag, (path, tag)
    css = (dist / "static/site.css").read_text()
    assert "@import" not in css and "url(" not in css


def test_labels_follow_the_page_language(dist):
    fr = (dist / "fr/event/visit-cathedrale-d-amiens.html").read_text(encoding="utf-8")
    en = (dist / "en/event/visit-cathedrale-d-amiens.html").read_text(encoding="utf-8")
    assert "<h1>Visite de la Cathédrale d&#39;Amiens</h1>" in fr
    assert "<h1>Visit to Amiens Cathedral</h1>" in en
    # A job title given only in English shows on the French page, marked as English.
    assert '<span lang="en">Executive Producer</span>' in (dist / "fr/person/ernesto-alcalde.html").read_text(encoding="utf-8")


def _site_files(root: Path) -> dict[str, bytes]:
    wanted = ("fr/", "en/", "snippets/", "event/", "person/", "organization/", "place/", "document/", "contact/", "static/")
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and (p.relative_to(root).as_posix().startswith(wanted) or p.name in ("index.html", "sitemap.xml", "robots.txt"))
    }


def test_output_is_byte_identical_across_builds(dist, tmp_path):
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "tourgraph.cli", "build", "--project", str(root), "--out", str(out)], check=True, env=env, capture_output=True)
    first, second = _site_files(dist), _site_files(out)
    assert len(first) > 300
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def synthetic_graph(kg, copies: int):
    """The project's data copied ``copies`` times with renamed entities, blank nodes and named graphs."""
    prefixes = tuple(kg.base + k + "/" for k in ("person", "organization", "place", "event", "document", "contact", "graph"))

    def rename(term, i):
        if isinstance(term, ox.NamedNode) and term.value.startswith(prefixes) and "/graph/ontology/" not in term.value:
            return ox.NamedNode(f"{term.value}-{i}")
        if isinstance(term, ox.BlankNode):
            return ox.BlankNode(f"{term.value}c{i}")
        return term

    quads = list(kg.quads())
    data = [q for q in quads if "/graph/ontology/" not in q.graph_name.value]
    store = ox.Store()
    store.bulk_extend(quads)
    sources = list(kg.sources)
    for i in range(1, copies):
        store.bulk_extend(ox.Quad(rename(q.subject, i), q.predicate, rename(q.object, i), rename(q.graph_name, i)) for q in data)
        sources += [dataclasses.replace(s, graph=f"{s.graph}-{i}", relpath=f"{s.relpath}#{i}") for s in kg.sources if s.role == "data"]
    return dataclasses.replace(kg, store=store, sources=tuple(sources))


def test_render_at_scale(project, checked, tmp_path):
    """A synthetic graph of many tours renders from one index; TOURGRAPH_SITE_COPIES sets its size."""
    copies = int(os.environ.get("TOURGRAPH_SITE_COPIES", "40"))
    graph = synthetic_graph(checked.graph, copies)
    started = time.perf_counter()
    out = _write(project, graph, tmp_path / "dist")
    elapsed = time.perf_counter() - started
    pages = len(list((out / "en").rglob("*.html")))
    single = len(page_entities(checked))
    lists = [p for p in (out / "en").rglob("*.html") if p.parent == out / "en" or p.name == "index.html" or p.name.startswith("page-")]
    # Home, search and 404 pages, and one index per kind (of 1,000 entries a page).
    assert sorted(p.name for p in lists if p.parent == out / "en") == ["404.html", "index.html", "search.html"]
    assert pages - len(lists) == single * copies
    assert (out / f"fr/{TOUR}-{copies - 1}.html").is_file()
    print(f"\n{len(graph)} quads, {pages * 2} pages: site + snippets in {elapsed:.1f} s")
    assert elapsed < 60 * copies / 40


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


def _svg(page: str) -> tuple[float, float, str]:
    svg = re.search(r'<figure class="map".*?</svg>', page, re.S).group(0)
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    return width, height, svg


def test_a_second_tour_gets_a_map_framed_on_its_own_venues(project_copy, tmp_path):
    """A tour in Brittany (a fixture) beside the shipped one: each map is framed on its own venues,
    landscape, its venues well inside, its region named; the fixture's pages say it is an example."""
    import shutil

    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project

    shutil.copytree(FIXTURES / "second-tour", project_copy / "data" / "tours" / "second-tour")
    project = open_project(project_copy)
    out = _write(project, materialise(load(project)), tmp_path / "dist")
    for path, region, markers in (("event/test-tour-bretagne", "Bretagne", 3), (TOUR, "Hauts-de-France", 5)):
        width, height, svg = _svg((out / "en" / f"{path}.html").read_text(encoding="utf-8"))
        assert 1.3 < width / height < 2
        assert re.search(r'<text class="region"[^>]*>([^<]+)</text>', svg).group(1) == region
        points = [(float(x), float(y)) for x, y in re.findall(r'<circle class="marker" cx="([-\d.]+)" cy="([-\d.]+)"', svg)]
        assert len(points) == markers
        # Every venue in the middle of the frame, with room around it for the region.
        assert all(0.12 * width < x < 0.88 * width and 0.12 * height < y < 0.88 * height for x, y in points), points
    brittany = _svg((out / "en/event/test-tour-bretagne.html").read_text(encoding="utf-8"))[2]
    assert 'class="area home"' in brittany and ">Vannes<" in brittany and ">Saint-Malo<" in brittany
    assert ">Lille<" not in brittany and ">Paris<" not in brittany
    for lang, words in (("en", "Example — fictional"), ("fr", "Exemple — fictif")):
        page = (out / lang / "event/test-tour-bretagne.html").read_text(encoding="utf-8")
        assert f'<p class="example-notice" role="note"><strong>{words}</strong>' in page
        assert "example-notice" not in (out / lang / f"{TOUR}.html").read_text(encoding="utf-8")
        # On the home page too: the fixture's card (the latest tour) says so, the shipped tour's does not.
        cards = re.findall(r'<section class="tour-card".*?</section>', (out / lang / "index.html").read_text(encoding="utf-8"), re.S)
        assert ["example-notice" in card for card in cards] == [True, False]


IMAGE_DATA = """@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix person: <person/> .
# Test data: an image with its licence and credit, and one the data gives no licence for.
<graph/common/test-images> dcterms:title "Images de test"@fr, "Test images"@en .
person:keleigh-slaight schema:image <https://images.example/portrait.jpg> .
<https://images.example/portrait.jpg> a schema:ImageObject ;
    schema:contentUrl <https://images.example/portrait.jpg> ;
    schema:license <https://creativecommons.org/licenses/by/4.0/> ;
    schema:creditText "Test credit" ;
    schema:caption "Portrait (test)"@en, "Portrait (essai)"@fr .
person:derek-martin schema:image <https://images.example/no-licence.jpg> .
"""


def test_images_with_licence_and_credit_in_pages_and_markup(project_copy, tmp_path):
    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project

    (project_copy / "data" / "common" / "test-images.ttl").write_text(IMAGE_DATA, encoding="utf-8")
    project = open_project(project_copy)
    out = _write(project, materialise(load(project)), tmp_path / "dist")
    expected = {"@id": "https://images.example/portrait.jpg", "@type": "ImageObject", "contentUrl": "https://images.example/portrait.jpg",
                "license": "https://creativecommons.org/licenses/by/4.0/", "creditText": "Test credit", "caption": "Portrait (test)"}
    page = (out / "en/person/keleigh-slaight.html").read_text(encoding="utf-8")
    assert jsonld(page)[0]["image"] == expected
    assert '<img src="https://images.example/portrait.jpg" alt="Portrait (test)"' in page and "Test credit" in page
    assert "creativecommons.org/licenses/by/4.0/" in page
    snippet = json.loads((out / "snippets/person/keleigh-slaight.jsonld").read_text(encoding="utf-8"))
    assert snippet["image"]["creditText"] == "Test credit" and snippet["image"]["@type"] == "ImageObject"
    # No licence in the data: not shown, and the markup gives the bare URL the data gives.
    other = (out / "en/person/derek-martin.html").read_text(encoding="utf-8")
    assert "no-licence.jpg" not in other.split("</script>", 1)[1]
    assert jsonld(other)[0]["image"] == "https://images.example/no-licence.jpg"


def _stated(kg, graph: str, position: str) -> set[str]:
    """The IRIs a file's graph states something of (``subject``) or points at (``object``)."""
    terms = (getattr(q, position) for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def test_write_entities_after_one_changed_file_gives_a_full_builds_bytes(project_copy, tmp_path):
    """An organisation renamed (shown on its people's pages, and through them on the tour's) and one
    removed from a data file: write_entities on the previous static build, for the IRIs the file
    states before and after, leaves the same files as a full build of the new graph."""
    from tourgraph.load import graph_iri, load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project
    from tourgraph.site.writer import write_entities

    project = open_project(project_copy)
    before = materialise(load(project))
    out = _write(project, before, tmp_path / "incremental")
    untouched = {p: p.stat().st_mtime_ns for p in (out / "place/villa-cavrois.ttl", out / "en/place/villa-cavrois.html")}
    changed_file = project_copy / "data/tours/2026-hauts-de-france/organizations.ttl"
    text = changed_file.read_text(encoding="utf-8")
    text = text.replace('schema:name "Sony Pictures Television"', 'schema:name "Sony Pictures Television Studios"')
    text, removed = re.subn(r'(?ms)^org:froggie-production a schema:Organization ;.*?\.\n\n', "", text)
    assert removed == 1
    changed_file.write_text(text, encoding="utf-8")
    after = materialise(load(open_project(project_copy)))
    graph = graph_iri(project, changed_file, "data")
    subjects = _stated(before, graph, "subject") | _stated(after, graph, "subject")
    paths = write_entities(after, project, out, subjects, linked=_stated(before, graph, "object") | _stated(after, graph, "object"))

    full = _write(project, after, tmp_path / "full")
    incremental, expected = _site_files(out), _site_files(full)
    assert sorted(set(incremental) ^ set(expected)) == []
    assert [name for name in expected if incremental[name] != expected[name]] == []
    # What changed was rewritten or removed, and what it does not show was left alone.
    for path in ("en/organization/sony-pictures-television.html", "fr/person/keleigh-slaight.html", f"en/{TOUR}.html",
                 "en/organization/froggie-production.html", "organization/froggie-production.ttl", "snippets/organization/froggie-production.jsonld"):
        assert path in paths
    assert not (out / "en/organization/froggie-production.html").exists()
    assert "Sony Pictures Television Studios" in (out / f"en/{TOUR}.html").read_text(encoding="utf-8")
    assert [p.name for p, mtime in untouched.items() if p.stat().st_mtime_ns != mtime] == []
