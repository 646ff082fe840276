"""tourgraph serve --reload: a change rebuilt and served, a mistake shown on the pages with the
messages of `tourgraph validate` while the last good build stays served, and open pages reloaded in
a real headless Chromium by a real `tourgraph serve --reload` on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from test_accessibility import browser  # noqa: F401  (Chromium that reaches 127.0.0.1 only)
from test_browser import TOUR
from test_serve import call
from test_serve_process import start, wait_for_url
from tourgraph.serve import create_app
from tourgraph.server.reload import SCRIPT_PATH, LivePreview

TOUR_FILE = Path("data/tours/2026-hauts-de-france/tour.ttl")
NAME = "A Daydream Journey in Hauts-de-France"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _name_on_store(app) -> str:
    query = f"SELECT ?n WHERE {{ GRAPH ?g {{ <https://tourgraph.example/{TOUR}> <https://schema.org/name> ?n }} }}"
    response = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"][0]["n"]["value"]


@pytest.fixture
def preview(project_copy):
    live = LivePreview(project_copy, lambda project, checked: create_app(project, None, checked=checked, workers=1), grace=0)
    live.service.pool.wait_ready()
    yield live
    live.close()


def test_a_change_is_rebuilt_and_a_mistake_keeps_the_last_good_build(preview, project_copy, dist):
    first_dist = preview.service.dist
    page = call(preview, "GET", f"/en/{TOUR}.html")
    assert page.status_code == 200 and NAME in page.text
    # The page of `tourgraph build` (rendered on demand here), with the script before </body>.
    tag = f'<script src="{SCRIPT_PATH}" data-version="0" data-state="0" defer></script>'.encode()
    built = (dist / f"en/{TOUR}.html").read_bytes()
    assert page.content == built.replace(b"</body>", tag + b"</body>")
    assert not (first_dist / f"en/{TOUR}.html").exists()
    assert "etag" not in page.headers and page.headers["cache-control"] == "no-store"
    assert int(page.headers["content-length"]) == len(page.content)
    head = call(preview, "HEAD", f"/en/{TOUR}.html")
    assert int(head.headers["content-length"]) == len(page.content)
    # What is not HTML goes out as built.
    turtle = call(preview, "GET", f"/{TOUR}.ttl")
    assert turtle.status_code == 200 and SCRIPT_PATH.encode() not in turtle.content
    assert (dist / f"{TOUR}.ttl").read_bytes() == turtle.content

    _edit(project_copy / TOUR_FILE, '"2026-03-27"^^xsd:date', '"27/03/2026"^^xsd:date')
    outcome = preview.rebuild([str(project_copy / TOUR_FILE)])
    assert not outcome.to_dict("en")["ok"] and outcome.version == 0
    said = call(preview, "GET", "/_tourgraph/reload", params={"since": "-1", "lang": "fr"}).json()
    assert said["state"] == 1 and said["ok"] is False and "dernière construction valide" in said["heading"]
    assert "Écrire la date de fin" in said["report"] and "tour.ttl:" in said["report"]
    english = call(preview, "GET", "/_tourgraph/reload", params={"since": "-1", "lang": "en"}).json()
    assert "Write the end date" in english["report"]
    # The last good build is still the one served, pages and SPARQL alike.
    assert preview.service.dist == first_dist and NAME in call(preview, "GET", f"/en/{TOUR}.html").text
    assert _name_on_store(preview) == NAME

    _edit(project_copy / TOUR_FILE, '"27/03/2026"^^xsd:date', '"2026-03-27"^^xsd:date')
    _edit(project_copy / TOUR_FILE, f'"{NAME}"', f'"{NAME} (revised)"')
    outcome = preview.rebuild([str(project_copy / TOUR_FILE)])
    assert outcome.failure is None and outcome.version == 1 and outcome.state == 2
    assert preview.service.dist != first_dist and not first_dist.exists()
    page = call(preview, "GET", f"/en/{TOUR}.html")
    assert f"{NAME} (revised)" in page.text and 'data-version="1"' in page.text
    assert _name_on_store(preview) == f"{NAME} (revised)"


def test_a_file_that_cannot_be_read_is_said_and_the_build_stays(preview, project_copy):
    people = project_copy / "data/tours/2026-hauts-de-france/people.ttl"
    people.write_text(people.read_text(encoding="utf-8") + "\nthis is not turtle .\n", encoding="utf-8")
    outcome = preview.rebuild([str(people)])
    said = outcome.to_dict("en")
    assert said["ok"] is False and "people.ttl" in said["report"] and outcome.version == 0
    assert call(preview, "GET", f"/en/{TOUR}.html").status_code == 200


def test_a_project_that_does_not_validate_yet_is_served_as_its_report_until_it_does(project_copy):
    _edit(project_copy / TOUR_FILE, '"2026-03-22"^^xsd:date', '"22/03/2026"^^xsd:date')
    live = LivePreview(project_copy, lambda project, checked: create_app(project, None, checked=checked, workers=1), grace=0)
    try:
        assert live.service is None
        page = call(live, "GET", f"/en/{TOUR}.html", headers={"Accept-Language": "fr"})
        assert page.status_code == 503 and page.headers["content-language"] == "fr"
        assert "Le projet ne passe pas la validation" in page.text and "Écrire la date de début" in page.text
        assert 'data-version="0" data-state="0"' in page.text
        assert call(live, "GET", "/static/site.css").status_code == 200
        for outside in ("/static/%2e%2e/templates/base.html", "/static/..%2f..%2fcli.py", "/static/nothing.css"):
            assert call(live, "GET", outside).status_code == 404, outside
        _edit(project_copy / TOUR_FILE, '"22/03/2026"^^xsd:date', '"2026-03-22"^^xsd:date')
        outcome = live.rebuild([str(project_copy / TOUR_FILE)])
        assert outcome.failure is None and outcome.version == 1 and live.service is not None
        page = call(live, "GET", f"/en/{TOUR}.html")
        assert page.status_code == 200 and NAME in page.text and 'data-version="1"' in page.text
    finally:
        live.close()


def test_the_poll_answers_at_once_then_waits_for_the_next_change(preview, project_copy):
    started = time.monotonic()
    now = call(preview, "GET", "/_tourgraph/reload").json()
    assert now == {"state": 0, "version": 0, "ok": True, "heading": None, "report": None, "seconds": 0.0}
    assert time.monotonic() - started < 5
    answered: dict = {}
    waiting = threading.Thread(target=lambda: answered.update(call(preview, "GET", "/_tourgraph/reload", params={"since": "0"}).json()))
    waiting.start()
    waiting.join(timeout=1.5)
    assert waiting.is_alive() and not answered, "a poll for state 0 answers only once something changes"
    _edit(project_copy / TOUR_FILE, f'"{NAME}"', f'"{NAME} (revised)"')
    preview.rebuild([str(project_copy / TOUR_FILE)])
    waiting.join(timeout=30)
    assert answered["state"] == 1 and answered["version"] == 1 and answered["ok"] is True
    script = call(preview, "GET", SCRIPT_PATH)
    assert script.status_code == 200 and "location.reload()" in script.text


def test_open_pages_reload_and_show_a_mistake_in_a_real_browser(browser, project_copy, tmp_path):
    server = start(tmp_path, "--reload", project=project_copy)
    try:
        url = wait_for_url(server)
        page = browser.new_page()
        page.goto(f"{url}/en/{TOUR}.html")
        assert page.title().startswith(NAME)
        page.evaluate("window.keptAcrossReloads = true")

        _edit(project_copy / TOUR_FILE, '"2026-03-27"^^xsd:date', '"27/03/2026"^^xsd:date')
        panel = page.locator("#tourgraph-reload")
        panel.wait_for(state="visible", timeout=60_000)
        assert "Write the end date" in panel.inner_text() and "tour.ttl:" in panel.inner_text()
        assert page.evaluate("window.keptAcrossReloads") is True  # shown on the page as it is, no reload

        _edit(project_copy / TOUR_FILE, '"27/03/2026"^^xsd:date', '"2026-03-27"^^xsd:date')
        _edit(project_copy / TOUR_FILE, f'"{NAME}"', f'"{NAME} (revised)"')
        page.wait_for_function("document.title.includes('(revised)')", timeout=60_000)
        assert page.evaluate("window.keptAcrossReloads") is None  # the page was loaded again
        assert page.locator("#tourgraph-reload").count() == 0
        # The reloaded page polls again: the next change reaches it too.
        _edit(project_copy / TOUR_FILE, f'"{NAME} (revised)"', f'"{NAME} (second revision)"')
        page.wait_for_function("document.title.includes('(second revision)')", timeout=60_000)
        page.close()
        assert browser.outside == []
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 128 + 15, server.stderr.read()


def test_reload_and_dist_exclude_each_other(tmp_path):
    from click.testing import CliRunner

    from tourgraph.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--reload", "--dist", str(tmp_path)])
    assert result.exit_code == 2 and "--reload builds what it serves" in result.output
