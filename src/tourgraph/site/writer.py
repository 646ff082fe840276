"""Writing the site into a build folder.

Every build writes what a visitor lands on and what lists the entities: ``index.html`` (the language
chooser), each language's home, kind indexes, search page and 404 page, ``404.html``, the search
index, the calendars, ``sitemap.xml``, ``robots.txt``, the static files and ``site.json`` (what the
server needs to render the rest). A static build (``[site] static = true`` in tourgraph.toml) also writes every entity's pages, its RDF description
(``{kind}/{slug}.ttl``, ``.jsonld``) and its snippet; otherwise ``tourgraph serve`` renders those on
demand from the same view models and templates (``ondemand.py``).

``write_entities`` rewrites the files of some entities only, for incremental builds.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from ..graph import SCHEMA
from . import parallel
from .catalogue import Catalogue
from .describe import describer
from .files import calendar, sitemap_groups, write_robots, write_search_index, write_sitemaps
from .graphindex import GraphIndex
from .html import write_file
from .lists import Lists
from .markup import dumps
from .pages import Pages
from .values import page_path

HERE = Path(__file__).parent
MANIFEST = "site.json"
# Where each sub-event is written in the sources (file, line): the programme's order after the dates,
# which a build that leaves the entity pages to ``serve`` keeps for it (graph.trig is sorted).
ORDER = "site-order.json"


def is_static(project, static: bool | None = None) -> bool:
    """Whether a build writes every page: ``static`` if given, else ``[site] static`` (default false)."""
    if static is not None:
        return static
    value = project.config.get("site", {}).get("static", False)
    return value is True


def manifest(project, static: bool) -> dict:
    return {"static": static, "languages": list(project.languages), "base": project.base}


def write_common(kg, project, out: Path, static: bool, catalogue: Catalogue | None = None, written: set | None = None) -> Catalogue:
    """The files every build writes (see the module's docstring); their paths are added to ``written``."""
    written = set() if written is None else written
    cat = catalogue or Catalogue(kg, GraphIndex(kg, ()).entity)
    lists = Lists(cat, project)
    languages = list(project.languages)

    def put(path: str, text: str) -> None:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(str(target), text.encode("utf-8"))
        written.add(path)

    put("index.html", lists.chooser())
    put("404.html", lists.not_found(languages[0], served=True))
    for lang in languages:
        put(f"{lang}/index.html", lists.home(lang))
        put(f"{lang}/404.html", lists.not_found(lang))
        put(f"{lang}/search.html", lists.search(lang))
        for kind in sorted(cat.by_kind()):
            for path, text in lists.kind_pages(kind, lang):
                put(path, text)
        written.update(write_search_index(out, cat, lang))
        put(f"{lang}/calendar.ics", calendar(cat, project.base, lang, lists.site_title(lang)))
    written.update(write_sitemaps(out, project.base, sitemap_groups(cat, languages), languages))
    write_robots(out, project.base)
    written.add("robots.txt")
    copy_static(out)
    if not static:
        put(ORDER, json.dumps(written_order(kg), indent=0, sort_keys=True) + "\n")
    put(MANIFEST, json.dumps(manifest(project, static), indent=1, sort_keys=True) + "\n")
    return cat


def written_order(kg) -> dict[str, list]:
    """Each sub-event's IRI -> [file, line] of the block that describes it (its typed one first), as
    ``EntityViews`` orders a programme."""
    if kg.index is None:
        return {}
    order = {}
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(SCHEMA + "subEvent"), None, None):
        node = quad.object
        if type(node) is not ox.NamedNode or node.value in order:
            continue
        places = [p for p in kg.index.places(node) if p.line is not None]
        if places:
            first = min(places, key=lambda p: (not p.typed, p.file, p.line))
            order[node.value] = [first.file, first.line]
    return order


def copy_static(out: Path) -> None:
    source = HERE / "static"
    for item in sorted(source.rglob("*")):
        if item.is_file():
            target = out / "static" / item.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, target)


class EntityWriter:
    """Writes one entity's files: its pages in every language, its RDF description and its snippet."""

    def __init__(self, index: GraphIndex, project, out: Path):
        self.index = index
        self.pages = Pages(index, project)
        self.out = out
        self.folder = f"{out}/"
        self.describe = describer(index, out)
        kinds = sorted({e.kind for e in index.pages.values()})
        for lang in project.languages:
            for kind in kinds:
                (out / lang / kind).mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            (out / "snippets" / kind).mkdir(parents=True, exist_ok=True)

    def __call__(self, entity) -> None:
        self.describe(entity)
        if entity.iri in self.index.pages:
            for path, text in self.pages.entity_pages(entity):
                write_file(self.folder + path, text.encode("utf-8"))
            snippet = dumps(self.pages.framer.frame(entity.iri)) + "\n"
            write_file(f"{self.folder}snippets/{entity.path}.jsonld", snippet.encode("utf-8"))


def write_site(kg, project, out: Path, static: bool | None = None, index: GraphIndex | None = None) -> None:
    """The site of ``kg`` under ``out``: what every build writes, and with ``static`` every entity's files."""
    static = is_static(project, static)
    if not static:
        write_common(kg, project, out, static)
        return
    index = index or GraphIndex(kg)
    writer = EntityWriter(index, project, out)
    cat = Catalogue(kg, index.entity)
    parallel.run(writer, index.entities, jobs=[lambda: write_common(kg, project, out, static, cat)])


def write_entities(kg, project, out: Path, iris, static: bool | None = None) -> list[str]:
    """Rewrite what the entities ``iris`` change in the site under ``out`` (a previous build of the
    same project): in a static build, their pages, RDF descriptions and snippets, and the pages of the
    entities they link to or are linked from (which show their names); in every build, the lists
    (home, kind indexes, search index, calendars, sitemap). An IRI that no longer describes an entity
    has its files removed. Returns the paths written or removed, relative to ``out``, sorted.

    The result is byte-identical to a full build of the same graph."""
    static = is_static(project, static)
    changed: list[str] = []
    if static:
        wanted = sorted(set(iris))
        around = GraphIndex.around(kg, wanted)
        touched = set(wanted)
        for iri in wanted:
            for objects in around.props(iri).values():
                touched.update(o for o in objects if isinstance(o, str) and not o.startswith("_:"))
            for subjects in around.inc.get(iri, {}).values():
                touched.update(s for s in subjects if not s.startswith("_:"))
        index = GraphIndex.around(kg, sorted(touched))
        writer = EntityWriter(index, project, out)
        for iri in sorted(touched):
            entity = index.entity(iri)
            if entity is None:
                continue
            paths = [f"{entity.path}.ttl", f"{entity.path}.jsonld", f"snippets/{entity.path}.jsonld"]
            paths += [page_path(code, entity) for code in project.languages]
            if iri in index.out:
                writer(entity)
            for path in paths:
                if (out / path).exists() and iri not in index.pages and (path.endswith(".html") or path.startswith("snippets/")):
                    os.remove(out / path)
            changed += [p for p in paths if (out / p).exists() or iri not in index.out]
            if iri not in index.out:
                for path in paths:
                    if (out / path).exists():
                        os.remove(out / path)
    before = _listing_files(out, project)
    written = set()
    write_common(kg, project, out, static, written=written)
    for stale in sorted(before - written):
        os.remove(out / stale)
        changed.append(stale)
    changed += sorted(written)
    return sorted(set(changed))


def _listing_files(out: Path, project) -> set[str]:
    """The files of the lists whose number changes with the data: search shards, index pages."""
    found = set()
    if (out / "search").is_dir():
        found.update(p.relative_to(out).as_posix() for p in (out / "search").rglob("*.json"))
    for lang in project.languages:
        if (out / lang).is_dir():
            found.update(p.relative_to(out).as_posix() for p in (out / lang).glob("*/page-*.html"))
    return found
