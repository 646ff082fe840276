"""Writing the site into a build folder.

Every build writes what a visitor lands on and what lists the entities: ``index.html`` (the language
chooser), each language's home, kind indexes, search page and 404 page, ``404.html``, the search
index, the calendars, ``sitemap.xml``, ``robots.txt``, the static files and ``site.json`` (what the
server needs to render the rest). A static build (``[site] static = true`` in tourgraph.toml) also writes every entity's pages, its RDF description
(``{kind}/{slug}.ttl``, ``.jsonld``) and its snippet; otherwise ``tourgraph serve`` renders those on
demand from the same view models and templates (``ondemand.py``).

``write_reusing`` writes a static build that takes the files of the entities a change leaves alone
from the previous build (``tourgraph.incremental``); ``write_entities`` rewrites the files of some
entities of a build in place.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from ..graph import SCHEMA
from . import parallel
from .catalogue import Catalogue
from .describe import describer
from .files import calendar, sitemap_groups, write_robots, write_search_index, write_sitemaps
from .graphindex import FANOUT, RDF_TYPE, VALUE_LINKS, GraphIndex, entity_of, has_page
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

    def put(path: str, text: str, done: list) -> None:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(str(target), text.encode("utf-8"))
        done.append(path)

    def language(lang: str) -> list[str]:
        done: list[str] = []
        put(f"{lang}/index.html", lists.home(lang), done)
        put(f"{lang}/404.html", lists.not_found(lang), done)
        put(f"{lang}/search.html", lists.search(lang), done)
        for kind in sorted(cat.by_kind()):
            for path, text in lists.kind_pages(kind, lang):
                put(path, text, done)
        done += write_search_index(out, cat, lang)
        put(f"{lang}/calendar.ics", calendar(cat, project.base, lang, lists.site_title(lang)), done)
        return done

    def sitemap() -> list[str]:
        return write_sitemaps(out, project.base, sitemap_groups(cat, languages), languages)

    done: list[str] = []
    put("index.html", lists.chooser(), done)
    put("404.html", lists.not_found(languages[0], served=True), done)
    # In this process: a build runs the site beside the RDF dumps, which take longer, so a process per
    # language would take their processor (measured at 1M: 2.5 CPU-s more for the forks' copies).
    for lang in languages:
        done += language(lang)
    done += sitemap()
    write_robots(out, project.base)
    done.append("robots.txt")
    copy_static(out)
    if not static:
        put(ORDER, json.dumps(written_order(kg), indent=0, sort_keys=True) + "\n", done)
    put(MANIFEST, json.dumps(manifest(project, static), indent=1, sort_keys=True) + "\n", done)
    written.update(done)
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


def entity_files(kg, project) -> dict[str, str]:
    """Every file a static build writes for one entity (path -> the entity's IRI): the RDF description
    of every entity, and the pages and snippet of those ``GraphIndex.pages`` holds; read from the
    store's subjects and types, without indexing the graph."""
    types: dict[str, list] = {}
    for quad in kg.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
        if type(quad.subject) is ox.NamedNode:
            types.setdefault(quad.subject.value, []).append(quad.object.value)
    subjects = kg.store.query(f"SELECT DISTINCT ?s {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), {json.dumps(kg.base)})) }}")
    files = {}
    for (subject,) in subjects:
        entity = entity_of(kg.base, subject.value) if type(subject) is ox.NamedNode else None
        if entity is None:
            continue
        files[f"{entity.path}.ttl"] = files[f"{entity.path}.jsonld"] = entity.iri
        if has_page(entity, types.get(entity.iri)):
            files[f"snippets/{entity.path}.jsonld"] = entity.iri
            for code in project.languages:
                files[page_path(code, entity)] = entity.iri
    return files


# At most one thread per processor, and this many: on 2 cores, 3 or 4 threads did no better than 2
# (547,000 links).
LINK_THREADS = 4


def write_reusing(kg, project, out: Path, previous: Path, iris, linked=()) -> tuple[int, int]:
    """The static build of ``kg`` into the new folder ``out``, taking from ``previous`` (a static build
    of the same project, ontology and tourgraph) the files of every entity that a change of the
    statements of ``iris`` and ``linked`` (as in ``write_entities``) leaves as they were, as hard links
    (copies where the file system has none); the entities it may change, and any of whose files
    ``previous`` lacks, are written, and so is everything that is not an entity's. Returns (entities
    written, files taken).

    Nothing is ever written over a link, which would write into ``previous``: the lists and the changed
    entities are written first, an entity is linked whole or not at all, and one that cannot be is
    written after."""
    targets = showing(kg, iris) | set(linked)
    by_entity: dict[str, list[str]] = {}
    for path, iri in sorted(entity_files(kg, project).items()):
        by_entity.setdefault(iri, []).append(path)
    changed = sorted(iri for iri in by_entity if iri in targets)
    _write_entities_of(kg, project, out, changed, lists=True)
    kept = [(iri, paths) for iri, paths in by_entity.items() if iri not in targets]
    # The kernel's work of half a million links overlaps across threads (1.7x with two on two cores).
    count = min(LINK_THREADS, parallel.workers())
    with ThreadPoolExecutor(count) as pool:
        parts = list(pool.map(lambda n: _link_entities(kept[n::count], f"{previous}/", f"{out}/"), range(count)))
    missing = sorted(iri for _, part in parts for iri in part)
    _write_entities_of(kg, project, out, missing)
    return len(changed) + len(missing), sum(taken for taken, _ in parts)


def _link_entities(entities: list[tuple[str, list[str]]], source: str, target: str) -> tuple[int, list[str]]:
    """Each entity's files from ``source`` under ``target``, all of them or none: (files taken, the
    entities one of whose files ``source`` lacks)."""
    folders: set = set()
    taken, missing = 0, []
    # Strings, not Paths: this loop runs once per file of the site (half a million at 1M triples).
    for iri, paths in entities:
        done = []
        for path in paths:
            folder = path.rpartition("/")[0]
            if folder not in folders:
                os.makedirs(target + folder, exist_ok=True)
                folders.add(folder)
            try:
                _take(source + path, target + path)
            except FileNotFoundError:
                for linked_path in done:
                    os.unlink(target + linked_path)
                missing.append(iri)
                break
            done.append(path)
        else:
            taken += len(done)
    return taken, missing


def _write_entities_of(kg, project, out: Path, iris: list[str], lists: bool = False) -> None:
    """The files of these entities (and with ``lists`` the files every build writes) under ``out``."""
    index = GraphIndex.around(kg, iris)
    writer = EntityWriter(index, project, out)
    jobs = [lambda: write_common(kg, project, out, True)] if lists else []
    parallel.run(writer, [index.entity(iri) for iri in iris], jobs=jobs)


def _take(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def write_entities(kg, project, out: Path, iris, static: bool | None = None, linked=()) -> list[str]:
    """Rewrite what a change of the statements of ``iris`` makes different in the site under ``out``
    (a previous build of the same project): in a static build, the pages, RDF descriptions and
    snippets of every entity whose page shows something of them (``showing``) and of the ``linked``
    IRIs (whose own pages show the statements pointing at them), and in every build the lists (home,
    kind indexes, search index, calendars, sitemap). The files of an IRI that no longer describes an
    entity, or no longer one with a page, are removed. Returns the paths written or removed, relative
    to ``out``, sorted.

    For a changed data file: ``iris`` are the subjects of its statements and ``linked`` the IRIs they
    point at, in the old graph and in the new one. The result is byte-identical to a full build of
    ``kg`` (the ontology unchanged)."""
    static = is_static(project, static)
    changed: set[str] = set()
    if static:
        targets = sorted(showing(kg, iris) | set(linked))
        index = GraphIndex.around(kg, targets)
        writer = EntityWriter(index, project, out)
        for iri in targets:
            entity = index.entity(iri)
            if entity is None:
                continue
            description = [f"{entity.path}.ttl", f"{entity.path}.jsonld"]
            page = [f"snippets/{entity.path}.jsonld", *(page_path(code, entity) for code in project.languages)]
            kept = (description if iri in index.out else []) + (page if iri in index.pages else [])
            if kept:
                writer(entity)
            changed.update(kept)
            for path in description + page:
                if path not in kept and (out / path).exists():
                    os.remove(out / path)
                    changed.add(path)
    before = _listing_files(out, project)
    written: set = set()
    write_common(kg, project, out, static, written=written)
    for stale in sorted(before - written):
        os.remove(out / stale)
        changed.add(stale)
    return sorted(changed | written)


def showing(kg, iris) -> set[str]:
    """``iris`` and the IRIs whose page shows some statement of one of them: the reverse of what
    ``GraphIndex.around`` reads for a page. A page of N reads the statements of N's neighbours M (either
    way), of what M points at through a property that is not a list (O), and of the structured values
    (V) those hold; and the descriptions of the graphs stating N's own facts, with what they point at
    (their source documents). So a change to X shows on the pages of X's neighbours, of the neighbours
    of what points at X, and of the neighbours of what points at what holds X as a value; a change to a
    graph or its source document shows on the pages of the entities the graph states facts of."""
    store = kg.store
    named = ox.NamedNode

    def incoming(node, keep) -> set:
        return {q.subject for q in store.quads_for_pattern(None, None, node, None) if keep(q.predicate.value, q.subject)}

    def neighbours(node) -> set:
        found = {q.object for q in store.quads_for_pattern(node, None, None, None) if type(q.object) is not ox.Literal}
        return found | {q.subject for q in store.quads_for_pattern(None, None, node, None)}

    def followed(predicate, _subject) -> bool:
        return predicate not in FANOUT

    def holds(predicate, _subject) -> bool:
        return predicate in VALUE_LINKS

    graphs = {g for g in store.named_graphs()}
    found: set = set()
    for iri in set(iris):
        x = named(iri)
        # Pointed at through a list property, a blank node is still followed (GraphIndex.around).
        pointing = incoming(x, followed)
        holders = incoming(x, holds)
        for holder in holders:
            pointing |= incoming(holder, followed if type(holder) is named else lambda p, s: True)
        near = {x} | neighbours(x) | pointing
        for m in pointing:
            near |= neighbours(m)
        sources = {x} | {q.subject for q in store.quads_for_pattern(None, None, x, None) if q.subject in graphs}
        for graph in sources & graphs:
            near |= {q.subject for q in store.quads_for_pattern(None, None, None, graph)}
        found.update(n.value for n in near if type(n) is named)
    return found


def _listing_files(out: Path, project) -> set[str]:
    """The files whose number and names change with the data: search shards, kind indexes and their
    pages, sitemap parts."""
    found = {p.name for p in out.glob("sitemap-*.xml")}
    if (out / "search").is_dir():
        found.update(p.relative_to(out).as_posix() for p in (out / "search").rglob("*.json"))
    for lang in project.languages:
        if (out / lang).is_dir():
            found.update(p.relative_to(out).as_posix() for pattern in ("*/page-*.html", "*/index.html") for p in (out / lang).glob(pattern))
    return found
