"""The site under ``tourgraph serve``. A build that leaves the entity pages to the server (``[site]
static = false``): each entity's pages, descriptions and snippet rendered on demand, byte for byte
the files a static build of the same project writes, negotiated like them; ``/`` by Accept-Language;
the 404 page; the language switch of /sparql and /queries/. HTTP runs in-process (httpx.ASGITransport)."""

from __future__ import annotations

import re

import pytest

from tourgraph.serve import create_app
from tourgraph.site.ondemand import ByteCache

from conftest import copy_project
from test_serve import call

# One entity of each kind with a page, and a contact point (a description, no page).
ENTITIES = [
    "person/keleigh-slaight",
    "organization/pictanovo",
    "place/villa-cavrois",
    "event/inspiration-tour-2026-hauts-de-france",
]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _not_static(folder):
    config = folder / "tourgraph.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^static = true$", "static = false", text), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def lazy(tmp_path_factory):
    """The shipped project with ``static = false``, built, and an app serving that build as it is."""
    from tourgraph.build import build
    from tourgraph.project import open_project

    project = open_project(_not_static(copy_project(tmp_path_factory.mktemp("lazy") / "project")))
    out = project.root / "dist"
    build(project, out)
    app = create_app(project, out, timeout=20, workers=2)
    app.state.service.pool.wait_ready()
    yield project, out, app
    app.state.service.close()


def test_the_build_leaves_the_entity_pages_out(lazy, dist):
    _, out, _ = lazy
    for path in ENTITIES:
        assert (dist / "en" / f"{path}.html").is_file()
        assert not (out / "en" / f"{path}.html").exists() and not (out / f"{path}.ttl").exists()
    assert (out / "en" / "index.html").is_file() and (out / "site-order.json").is_file()


@pytest.mark.parametrize("path", ENTITIES)
def test_pages_descriptions_and_snippets_are_the_static_builds_bytes(lazy, dist, path):
    _, _, app = lazy
    for lang in ("fr", "en"):
        page = call(app, "GET", f"/{lang}/{path}.html")
        assert page.status_code == 200, page.text
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.content == (dist / lang / f"{path}.html").read_bytes(), f"{lang}/{path}.html differs"
    for name in (f"{path}.ttl", f"{path}.jsonld", f"snippets/{path}.jsonld"):
        response = call(app, "GET", f"/{name}")
        assert response.status_code == 200, name
        assert response.content == (dist / name).read_bytes(), f"{name} differs"


@pytest.mark.parametrize("path", ENTITIES)
def test_entity_iris_are_negotiated(lazy, dist, path):
    _, _, app = lazy
    english = call(app, "GET", f"/{path}", headers={"Accept": BROWSER, "Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert english.status_code == 200 and english.content == (dist / "en" / f"{path}.html").read_bytes()
    assert english.headers["content-language"] == "en" and english.headers["content-location"] == f"/en/{path}.html"
    french = call(app, "GET", f"/{path}", headers={"Accept": "text/html"})
    assert french.content == (dist / "fr" / f"{path}.html").read_bytes()
    turtle = call(app, "GET", f"/{path}", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and turtle.content == (dist / f"{path}.ttl").read_bytes()
    jsonld = call(app, "GET", f"/{path}", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json" and jsonld.content == (dist / f"{path}.jsonld").read_bytes()
    for response in (english, french, turtle, jsonld):
        assert [v.strip() for v in response.headers["vary"].split(",")][:2] == ["Accept", "Accept-Language"]
    assert call(app, "GET", f"/{path}", headers={"Accept": "image/png"}).status_code == 406


def test_a_contact_point_has_a_description_and_no_page(lazy, dist):
    _, _, app = lazy
    contact = sorted((dist / "contact").glob("*.ttl"))[0].stem
    turtle = call(app, "GET", f"/contact/{contact}", headers={"Accept": BROWSER})
    # No page: the browser's */* takes the description.
    assert turtle.status_code == 200 and turtle.content == (dist / "contact" / f"{contact}.ttl").read_bytes()
    assert call(app, "GET", f"/en/contact/{contact}.html").status_code == 404
    assert call(app, "GET", f"/contact/{contact}", headers={"Accept": "text/html"}).status_code == 406


@pytest.mark.parametrize("url", ["/person/nobody-at-all", "/en/person/nobody-at-all.html", "/person/nobody-at-all.ttl",
                                 "/snippets/person/nobody-at-all.jsonld", "/planet/mars", "/en/person/../../tourgraph.toml"])
def test_an_unknown_entity_is_a_404(lazy, url):
    _, _, app = lazy
    plain = call(app, "GET", url)
    assert plain.status_code == 404 and plain.text == "not found.\n"
    for lang, words in (("en", "Page not found"), ("fr", "Page introuvable")):
        page = call(app, "GET", url, headers={"Accept": BROWSER, "Accept-Language": lang})
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert f'<html lang="{lang}"' in page.text and words in page.text


def test_root_follows_accept_language_and_keeps_the_chooser(lazy):
    _, out, app = lazy
    for header, lang in (("en-US,en;q=0.9", "en"), ("fr-CA", "fr"), ("de, en;q=0.5", "en")):
        response = call(app, "GET", "/", headers={"Accept-Language": header})
        assert response.status_code == 302 and response.headers["location"] == f"/{lang}/"
        assert "Accept-Language" in response.headers["vary"]
    for headers in ({}, {"Accept-Language": "de"}):
        chooser = call(app, "GET", "/", headers=headers)
        assert chooser.status_code == 200 and chooser.content == (out / "index.html").read_bytes()


def test_the_cache_is_bounded_by_bytes():
    cache = ByteCache(100)
    for n in range(5):
        cache.put(n, (b"x" * 30, ".html"))
    assert cache.size <= 100 and cache.get(0) is None and cache.get(4) is not None
    cache.put("big", (b"x" * 101, ".html"))
    assert cache.get("big") is None
    cache.get(2)
    cache.put(5, (b"x" * 30, ".html"))
    assert cache.get(2) is not None and cache.get(3) is None


@pytest.mark.parametrize("url", ["/sparql", "/sparql?query=ASK%20%7B%7D", "/queries/"])
def test_the_servers_pages_switch_language(lazy, url):
    _, _, app = lazy
    sep = "&" if "?" in url else "?"
    for lang, other in (("fr", "en"), ("en", "fr")):
        page = call(app, "GET", f"{url}{sep}lang={lang}", headers={"Accept": BROWSER, "Accept-Language": other})
        assert page.status_code == 200 and f'<html lang="{lang}"' in page.text
        links = re.findall(r'<ul class="switch">\s*<li><a href="([^"]+)" hreflang="(\w+)"', page.text)
        assert len(links) == 1 and links[0][1] == other
        switched = call(app, "GET", links[0][0].replace("&amp;", "&"), headers={"Accept": BROWSER, "Accept-Language": lang})
        assert switched.status_code == 200 and f'<html lang="{other}"' in switched.text
        if "query=" in url:
            # The results stay on the page in the other language.
            assert "ASK {}" in switched.text and "<strong>true</strong>" in switched.text
    by_header = call(app, "GET", url, headers={"Accept": BROWSER, "Accept-Language": "en"})
    assert '<html lang="en"' in by_header.text
