"""Entity pages rendered on demand by ``tourgraph serve`` for a build that did not write them (a build
without ``[site] static = true``): ``{lang}/{kind}/{slug}.html``, ``{kind}/{slug}.ttl`` and ``.jsonld``
and ``snippets/{kind}/{slug}.jsonld``, from the build's ``graph.trig`` with the same view models and
templates as a static build, so the bytes are the same as that build's files."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyoxigraph as ox

from ..graph import KnowledgeGraph, Source
from .graphindex import ENTITY_KINDS, GraphIndex
from .writer import MANIFEST


class OnDemand:
    """The renderer of one build folder; the graph is loaded at the first request."""

    def __init__(self, dist: Path, project, sources: dict[str, str]):
        self.dist = Path(dist)
        self.project = project
        self.sources = sources
        self._kg = None
        self._lock = threading.Lock()

    @classmethod
    def for_build(cls, dist: Path, project, sources: dict[str, str]) -> "OnDemand | None":
        """None for a static build (its files are all there) or a folder without the site's manifest."""
        try:
            manifest = json.loads((Path(dist) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return None if manifest.get("static") else cls(dist, project, sources)

    def graph(self) -> KnowledgeGraph:
        with self._lock:
            if self._kg is None:
                store = ox.Store()
                store.bulk_load(path=str(self.dist / "graph.trig"), format=ox.RdfFormat.TRIG)
                roles = {graph: ("ontology" if "/graph/ontology/" in graph else "data") for graph in self.sources}
                sources = tuple(Source(graph=g, path=Path(p), relpath=p, role=roles[g]) for g, p in sorted(self.sources.items()))
                self._kg = KnowledgeGraph(store=store, sources=sources, base=self.project.base)
            return self._kg

    def render(self, relative: str) -> tuple[bytes, str] | None:
        """``(content, suffix)`` of a file of the build's layout that the build did not write, or None."""
        from .describe import description, jsonld_text
        from .pages import Pages
        from .markup import dumps

        parts = relative.strip("/").split("/")
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
        if kind not in ENTITY_KINDS:
            return None
        kg = self.graph()
        iri = f"{self.project.base}{kind}/{name}"
        index = GraphIndex.around(kg, [iri])
        entity = index.entity(iri)
        if entity is None or iri not in index.out:
            return None
        if suffix == ".ttl":
            return ox.serialize(description(index, iri), format=ox.RdfFormat.TURTLE, prefixes=kg.prefixes()), ".ttl"
        if suffix == ".jsonld":
            return jsonld_text(description(index, iri)).encode("utf-8"), ".jsonld"
        if iri not in index.pages:
            return None
        pages = Pages(index, self.project)
        if suffix == "snippet":
            return (dumps(pages.framer.frame(iri)) + "\n").encode("utf-8"), ".jsonld"
        return pages.entity_page(entity, lang).encode("utf-8"), ".html"
