"""What the app serves from: a tourgraph build (``dist/``), the project's stored queries and the query
workers holding the build's graph. The server process itself keeps no copy of the graph."""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..load import graph_iri
from ..outdir import MARKER, is_previous_build
from ..project import Project
from ..queries import StoredQuery, stored_queries
from ..query_pool import LONG_AFTER, QUERY_MEMORY, QueryPool
from .answers import Answers

log = logging.getLogger("tourgraph.serve")
GRAPH_FILE = "graph.trig"


@dataclass
class Service:
    project: Project
    dist: Path
    pool: QueryPool
    answers: Answers
    timeout: float
    max_rows: int
    queries: dict[str, StoredQuery]
    sources: dict[str, str]  # named graph IRI -> the project file it was read from
    cleanup: list[Path] = field(default_factory=list)

    async def dataset(self) -> dict:
        """The served graph's named graphs and distinct triples, counted once by the workers' zygote."""
        return await self.pool.ready()

    def close(self) -> None:
        """Stop the workers and remove the temporary folders; safe to call twice."""
        try:
            self.pool.close()
        finally:
            for path in self.cleanup:
                shutil.rmtree(path, ignore_errors=True)
            self.cleanup.clear()


def served_build(project: Project, dist: Path) -> Path:
    """``dist`` resolved if it is a tourgraph build holding its graph; otherwise an InputError saying what to do."""
    dist = Path(dist).expanduser().resolve()
    if not dist.is_dir() or not is_previous_build(dist):
        raise InputError(
            f"--dist {dist} is not a tourgraph build (it has no {MARKER} file): build it with "
            f"`tourgraph build --out {dist}`, or leave --dist out to validate and build into a temporary folder.",
            fr=f"--dist {dist} n'est pas une construction tourgraph (pas de fichier {MARKER}) : construisez-la avec "
            f"`tourgraph build --out {dist}`, ou retirez --dist pour valider et construire dans un dossier temporaire.",
        )
    if not (dist / GRAPH_FILE).is_file():
        raise InputError(
            f"--dist {dist} has no {GRAPH_FILE}: rebuild it with `tourgraph build --out {dist}`.",
            fr=f"--dist {dist} n'a pas de {GRAPH_FILE} : reconstruisez-la avec `tourgraph build --out {dist}`.",
        )
    return dist


def warn_if_stale(project: Project, dist: Path) -> None:
    """One log line when project files changed after the build that is served as it is."""
    built = (dist / MARKER).stat().st_mtime
    try:
        files = [p for folder in ("ontology", "data", "shapes") for p in project.rdf_files(folder)]
    except InputError:
        return
    newer = [project.relpath(p) for p in files if p.stat().st_mtime > built]
    if newer:
        listed = ", ".join(newer[:3]) + (", …" if len(newer) > 3 else "")
        log.warning("%s was built before %d project file(s) changed (%s): it is served as it was built; "
                    "run `tourgraph build` to include them.", dist, len(newer), listed)


def _sources(project: Project) -> dict[str, str]:
    try:
        return {graph_iri(project, path, role): project.relpath(path) for role in ("ontology", "data") for path in project.rdf_files(role)}
    except InputError:
        return {}


def open_service(project: Project, dist: Path | None, *, timeout: float, max_rows: int, workers: int,
                 cache_bytes: int, checked=None, build_site: bool = False, long_after: float = LONG_AFTER,
                 query_memory: int = QUERY_MEMORY) -> Service:
    """The service over a build: a fresh one in a temporary folder (``dist`` None: the project is
    validated and built), ``dist`` rebuilt (``build_site``), or ``dist`` served as it is. The workers
    load the build's graph.trig, or a dump of ``checked.graph`` when that is given."""
    from ..build import public_graph, write_outputs
    from ..outdir import check_output_folder

    if timeout <= 0:
        raise InputError("--timeout must be a positive number of seconds.")
    if max_rows < 1:
        raise InputError("--max-rows must be at least 1.")
    if query_memory < 16:
        raise InputError("--query-memory must be at least 16 (megabytes).")
    queries = stored_queries(project.folder("queries"))
    if dist is not None and build_site:
        # Said before the validation, which takes a while, and before anything is written.
        dist = check_output_folder(project, dist, "--dist")
    elif dist is not None:
        dist = served_build(project, dist)
        if checked is None:
            warn_if_stale(project, dist)
    if dist is None or build_site:
        checked = checked or public_graph(project)
    # One temporary folder for whatever the server writes (a site, a dump): one thing to remove.
    cleanup: list[Path] = []
    try:
        if dist is None:
            cleanup.append(Path(tempfile.mkdtemp(prefix="tourgraph-serve-")))
            dist = cleanup[0] / "dist"
            write_outputs(project, checked.graph, dist)
        elif build_site:
            write_outputs(project, checked.graph, dist, "--dist")
        source = dist / GRAPH_FILE
        if checked is not None and not build_site and not cleanup:
            # A graph given with a build that is not its own (tests): the workers load that graph.
            cleanup.append(Path(tempfile.mkdtemp(prefix="tourgraph-serve-")))
            source = cleanup[0] / "dataset.nq"
            checked.graph.store.dump(str(source), format=ox.RdfFormat.N_QUADS)
        pool = QueryPool(source, workers, timeout, long_after=long_after, memory=query_memory)
    except BaseException:
        for path in cleanup:
            shutil.rmtree(path, ignore_errors=True)
        raise
    return Service(
        project=project, dist=dist.resolve(), pool=pool, answers=Answers(pool, cache_bytes), timeout=timeout,
        max_rows=max_rows, queries=queries, sources=_sources(project), cleanup=cleanup,
    )
