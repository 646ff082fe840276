"""The built tour page in headless Chromium: programme, map, JSON-LD and no horizontal scroll.

Uses the Debian Chromium (/usr/bin/chromium) through Playwright's client, with no browser download.
Outside CI the test is skipped when Chromium or Playwright is missing; under CI it fails instead.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
TOUR = "event/inspiration-tour-2026-hauts-de-france"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (required under CI)")
        pytest.skip(reason)


@contextmanager
def chromium(profile: Path, **options):
    """Debian's Chromium, headless, through Playwright's client, with a profile of its own."""
    _require(Path(CHROMIUM).is_file(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "the playwright package is not installed (pip install playwright)")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, **options)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium-profile"), offline=True) as context:
        yield context


def _open(browser, dist: Path, path: str, width: int):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((dist / path).as_uri())
    return page


def test_tour_page_renders_programme_map_and_markup(browser, dist, output_dir):
    page = _open(browser, dist, f"en/{TOUR}.html", 1280)
    assert page.title().startswith("A Daydream Journey in Hauts-de-France")
    programme = page.locator("ol.programme > li")
    assert programme.count() == 5
    # Itinerary order: no part is dated, so the order the data describes them in (tour.ttl).
    texts = programme.all_inner_texts()
    assert "Château de Chantilly" in texts[0] and "Series Mania Forum" in texts[-1]
    assert page.locator("section.group h2").all_inner_texts()[:3] == ["Delegation", "Ambassadors", "Participating companies"]
    svg = page.locator("figure.map svg")
    assert svg.count() == 1 and svg.bounding_box()["width"] > 300
    # Every stop is drawn, the forum too (Lille's point, places-geonames.ttl), numbered as in the programme.
    markers = page.locator("figure.map circle.marker")
    assert markers.count() == 5
    assert page.locator("figure.map text.marker").all_text_contents() == ["1", "2", "3", "4", "5"]
    assert all(markers.nth(i).bounding_box()["width"] > 10 for i in range(markers.count()))
    scripts = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(scripts) == 1
    markup = json.loads(scripts[0])
    assert markup["@id"] == "https://tourgraph.example/" + TOUR
    assert markup["location"]["address"]["addressRegion"] == "Hauts-de-France"
    shot = output_dir / "tour-page-1280.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10000
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", [f"en/{TOUR}.html", f"fr/{TOUR}.html", "fr/place/villa-cavrois.html", "en/person/keleigh-slaight.html", "index.html", "fr/organization/index.html"])
def test_no_horizontal_scroll(browser, dist, output_dir, path, width):
    page = _open(browser, dist, path, width)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{path} is {scroll}px wide in a {inner}px window"
    if path == f"fr/{TOUR}.html" and width == 375:
        page.screenshot(path=str(output_dir / "tour-page-fr-375.png"), full_page=True)
    page.close()


def test_language_switch_is_followed(browser, dist):
    page = _open(browser, dist, f"fr/{TOUR}.html", 1280)
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.click('ul.switch a[hreflang="en"]')
    assert page.url.endswith(f"/en/{TOUR}.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()
