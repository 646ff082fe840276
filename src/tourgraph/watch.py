"""Validate again on each change of a project's files (``tourgraph validate --watch``).

The graph is kept between changes: a changed data file is read again alone (``load.reload``); a change
of the shapes, the ontology or tourgraph.toml reads the project anew. A mistake in a file is shown and
the watch goes on with the last graph that could be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import TourgraphError
from .graph import KnowledgeGraph
from .load import fingerprints, load, reload
from .project import Project, open_project
from .validate import Report, load_shapes, validate

# Folders of a project whose files are sources or configuration; the rest (dist/, caches) is not watched.
WATCHED = ("data", "ontology", "shapes", "queries")


def watched(root: Path) -> Callable[[object, str], bool]:
    """A watchfiles filter for the project's sources and configuration."""
    folders = [root / name for name in WATCHED]

    def keep(_change, path: str) -> bool:
        target = Path(path)
        if target.name.startswith(".") or target.name.endswith("~"):
            return False
        return target == root / "tourgraph.toml" or any(target.is_relative_to(folder) for folder in folders)

    return keep


@dataclass
class Watcher:
    """The project as last read: its graph and shapes, and when its files last changed."""

    root: Path
    project: Project | None = None
    graph: KnowledgeGraph | None = None
    shapes: object = None
    seen: dict | None = None

    def check(self, paths: Iterable[str] = ()) -> Report:
        """Validate the project as it is now, reading again only what ``paths`` touched when it can."""
        structural = {self.root / "tourgraph.toml", *(self.root / n for n in ("ontology", "shapes"))}
        anew = self.graph is None or any(Path(p) == self.root / "tourgraph.toml" or any(Path(p).is_relative_to(f) for f in structural)
                                         for p in paths)
        if anew:
            self.project = open_project(self.root)
            self.shapes = load_shapes(self.project)
        # Taken before the files are read: a file saved while they are read is read again next time.
        now = fingerprints(self.project)
        self.graph = load(self.project) if anew else reload(self.graph, self.project, self.seen, now)
        self.seen = now
        return validate(self.graph, self.shapes, self.project)


def changes(root: Path, stop=None, idle: bool = False) -> Iterator[set[str]]:
    """The paths of the project's sources and configuration that changed, a set per round of changes
    (until ``stop`` is set); the first set, empty, comes once the watch is set up, so that no change made
    after it is missed. With ``idle``, an empty set comes too each time a few tenths of a second pass
    without a change."""
    import watchfiles

    yield_first = True
    for found in watchfiles.watch(root, watch_filter=watched(root), debounce=200, step=50, stop_event=stop,
                                  rust_timeout=300, yield_on_timeout=True):
        if yield_first or found or idle:
            yield {path for _, path in found}
            yield_first = False


def watch(root: Path, show: Callable[[Report | TourgraphError, float], None], stop=None) -> None:
    """Validate now and after each change until interrupted (or ``stop`` is set); ``show`` receives each
    report, or the error that kept the project from being read, with the seconds it took."""
    watcher = Watcher(root)
    for paths in changes(root, stop):
        start = time.perf_counter()
        try:
            outcome = watcher.check(paths)
        except TourgraphError as exc:
            outcome = exc
        show(outcome, time.perf_counter() - start)
