"""Entity pages rendered on demand by ``tourgraph serve`` for a build that did not write them (a build
without ``[site] static = true``): ``{lang}/{kind}/{slug}.html``, ``{kind}/{slug}.ttl`` and ``.jsonld``
and ``snippets/{kind}/{slug}.jsonld``, from the build's ``graph.trig`` with the same view models and
templates as a static build, so the bytes are the same as that build's files.

The build's graph.trig is sorted, so where each sub-event is written in the sources (the programme's
order after the dates) comes from ``site-order.json``, which such a build writes beside it."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..graph import KnowledgeGraph, Source
from ..locations import Place
from .graphindex import ENTITY_KINDS, GraphIndex
from .writer import MANIFEST, ORDER

DEFAULT_CACHE_BYTES = 32 << 20


class WrittenOrder:
    """The source index's answer for the sub-events of the build (file and line of each), read from
    ``site-order.json``: what ``EntityViews`` asks of ``KnowledgeGraph.index``."""

    def __init__(self, places: dict[str, list]):
        self._places = places

    def places(self, term) -> tuple[Place, ...]:
        found = self._places.get(term.value)
        return (Place(found[0], found[1], True),) if found else ()


class ByteCache:
    """Least recently used files, at most ``limit`` bytes of content in all (0: none kept)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, value: tuple[bytes, str]) -> None:
        cost = len(value[0])
        if cost > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._items[key] = value
            self.size += cost
            while self.size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped[0])


class OnDemand:
    """The renderer of one build folder; the graph is loaded at the first request."""

    def __init__(self, dist: Path, project, sources: dict[str, str], cache_bytes: int = DEFAULT_CACHE_BYTES):
        self.dist = Path(dist)
        self.project = project
        self.sources = sources
        self.cache = ByteCache(cache_bytes)
        self._kg = None
        self._lock = threading.Lock()
        self._around = lru_cache(maxsize=8)(self._index)

    @classmethod
    def for_build(cls, dist: Path, project, sources: dict[str, str], cache_bytes: int = DEFAULT_CACHE_BYTES) -> "OnDemand | None":
        """None for a static build (its files are all there) or a folder without the site's manifest."""
        try:
            manifest = json.loads((Path(dist) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return None if manifest.get("static") else cls(dist, project, sources, cache_bytes)

    def graph(self) -> KnowledgeGraph:
        with self._lock:
            if self._kg is None:
                store = ox.Store()
                store.bulk_load(path=str(self.dist / "graph.trig"), format=ox.RdfFormat.TRIG)
                roles = {graph: ("ontology" if "/graph/ontology/" in graph else "data") for graph in self.sources}
                sources = tuple(Source(graph=g, path=Path(p), relpath=p, role=roles[g]) for g, p in sorted(self.sources.items()))
                try:
                    order = json.loads((self.dist / ORDER).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    order = {}
                self._kg = KnowledgeGraph(store=store, sources=sources, base=self.project.base, index=WrittenOrder(order))
            return self._kg

    def _index(self, iri: str) -> GraphIndex:
        return GraphIndex.around(self.graph(), [iri])

    def render(self, relative: str) -> tuple[bytes, str] | None:
        """``(content, suffix)`` of a file of the build's layout that the build did not write, or None."""
        relative = relative.strip("/")
        found = self.cache.get(relative)
        if found is None:
            found = self._render(relative)
            if found is not None:
                self.cache.put(relative, found)
        return found

    def _render(self, relative: str) -> tuple[bytes, str] | None:
        from .describe import description, jsonld_text
        from .markup import dumps
        from .pages import Pages

        parts = relative.split("/")
        languages = list(self.project.languages)
        if len(parts) == 3 and parts[0] in languages and parts[2].endswith(".html"):
            lang, kind, name, suffix = parts[0], parts[1], parts[2][:-5], ".html"
        elif len(parts) == 3 and parts[0] == "snippets" and parts[2].endswith(".jsonld"):
            lang, kind, name, suffix = None, parts[1], parts[2][:-7], "snippet"
        elif len(parts) == 2 and parts[1].endswith((".ttl", ".jsonld")):
            lang, kind = None, parts[0]
            name, _, ext = parts[1].rpartition(".")
            suffix = "." + ext
        else:
            return None
        if kind not in ENTITY_KINDS or not name:
            return None
        iri = f"{self.project.base}{kind}/{name}"
        index = self._around(iri)
        entity = index.entity(iri)
        if entity is None or iri not in index.out:
            return None
        if suffix == ".ttl":
            return ox.serialize(description(index, iri), format=ox.RdfFormat.TURTLE, prefixes=self.graph().prefixes()), ".ttl"
        if suffix == ".jsonld":
            return jsonld_text(description(index, iri)).encode("utf-8"), ".jsonld"
        if iri not in index.pages:
            return None
        pages = Pages(index, self.project)
        if suffix == "snippet":
            return (dumps(pages.framer.frame(iri)) + "\n").encode("utf-8"), ".jsonld"
        return pages.entity_page(entity, lang).encode("utf-8"), ".html"
