"""The pipeline: load -> materialise -> validate -> outputs, written atomically to dist/."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from . import incremental, privacy
from .errors import ValidationFailed
from .export import BuildContext, buildstate, rdf, site, stages
from .graph import KnowledgeGraph
from .load import load
from .materialise import materialise
from .outdir import MARKER, check_output_folder, is_previous_build, marker_text, replace_folder
from .project import Project
from .site.writer import is_static
from .validate import Report, load_shapes, validate


@dataclass(frozen=True)
class Checked:
    """A loaded, materialised graph and its validation report."""

    graph: KnowledgeGraph
    report: Report
    # Set by a build that took files from the previous one (export.site.Reused).
    reused: object = None


def check(project: Project) -> Checked:
    """Load, materialise and validate a project; does not raise on violations."""
    shapes = load_shapes(project)
    graph = materialise(load(project))
    return Checked(graph=graph, report=validate(graph, shapes, project))


def validated_graph(project: Project) -> Checked:
    """Like ``check`` but raises ValidationFailed when the graph has violations."""
    checked = check(project)
    if not checked.report.passes:
        raise ValidationFailed(checked.report)
    return checked


# Below this size, starting a process costs more than running the exporters one after the other.
PARALLEL_EXPORT_QUADS = 50_000


def _run_lane(lane, ctx: BuildContext, conn) -> None:
    try:
        for exporter in lane:
            exporter.write(ctx)
    except BaseException as exc:  # sent whole to the parent, which raises it there
        conn.send(exc)
    else:
        conn.send(None)
    finally:
        conn.close()


def run_stage(stage, ctx: BuildContext, parallel: bool) -> None:
    """Run the lanes of a stage: the first in this process, the others in forked processes meanwhile."""
    if not parallel or len(stage) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for lane in stage:
            for exporter in lane:
                exporter.write(ctx)
        return
    fork = multiprocessing.get_context("fork")
    children = []
    for lane in stage[1:]:
        receive, send = fork.Pipe(duplex=False)
        process = fork.Process(target=_run_lane, args=(lane, ctx, send))
        process.start()
        send.close()
        children.append((lane, process, receive))
    failure = None
    try:
        for exporter in stage[0]:
            exporter.write(ctx)
    except BaseException as exc:
        failure = exc
    for lane, process, receive in children:
        try:
            outcome = receive.recv()
        except EOFError:  # the process died before it could report
            outcome = None
        process.join()
        if failure is None and outcome is not None:
            failure = outcome
        elif failure is None and process.exitcode != 0:
            failure = RuntimeError(f"the {lane[0].__name__} exporter stopped with exit code {process.exitcode}.")
    if failure is not None:
        raise failure


def reuse_previous(ctx: BuildContext, previous: Path) -> None:
    """Let a static build take from ``previous`` what its changes leave alone (``incremental``): the
    build's state is made now, to compare with the one ``previous`` left, and handed to the exporters."""
    if not is_static(ctx.project, ctx.extra.get(site.STATIC)) or not is_previous_build(previous):
        return
    before = incremental.read(previous)
    if before is None:
        return
    lines = ctx.extra[rdf.GRAPH_LINES] = rdf.graph_lines(ctx.graph)
    now = ctx.extra[buildstate.BUILT_STATE] = incremental.state(ctx.graph, incremental.environment(ctx.project, True), lines)
    changes = incremental.changes(before, now, previous)
    if changes is not None:
        ctx.extra[site.CHANGES] = changes


def write_outputs(project: Project, graph: KnowledgeGraph, out: Path, option: str = "--out", reuse: bool = False):
    """Run every exporter into a staging folder, then swap it in place of ``out`` in one rename, so a
    failed build leaves the previous output untouched. With ``reuse``, a static build takes from the
    previous build in ``out`` the files of the entities the changes since leave alone (hard links:
    nothing of ``out`` is written to); returns what it took (``export.site.Reused``), or None.

    ``out`` must be new, empty or a previous build (``outdir.check_output_folder``); it is checked again
    just before the swap, since the exporters take a while and the folder is replaced whole.
    """
    out = check_output_folder(project, out, option)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        ctx = BuildContext(project=project, graph=graph, out=staging)
        if reuse:
            reuse_previous(ctx, out)
        for stage in stages(is_static(project, ctx.extra.get(site.STATIC))):
            run_stage(stage, ctx, parallel=len(graph) >= PARALLEL_EXPORT_QUADS)
        (staging / MARKER).write_text(marker_text(), encoding="utf-8")
        os.chmod(staging, 0o755)
        check_output_folder(project, out, option)
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ctx.extra.get(site.REUSED)


def public_graph(project: Project) -> Checked:
    """The validated graph as the public sees it (privacy rules applied): what every output shows."""
    checked = validated_graph(project)
    return Checked(graph=privacy.publishable(checked.graph), report=checked.report)


@contextmanager
def batch_memory():
    """Pause the cyclic garbage collector for a batch job.

    Exporters allocate millions of short-lived containers next to a large long-lived graph index;
    each full collection walks all of it (a third of the time of the RDF dumps at 1M triples).
    Reference counting still frees everything that is not cyclic, and the collector runs once at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


def build(project: Project, out: Path | None = None, full: bool = False) -> Checked:
    """Validate, then write all of dist/; nothing is written unless the graph conforms. A static build
    reuses what the previous build in ``out`` has of the entities the changes leave alone, unless ``full``."""
    out = out or project.root / "dist"
    # A folder the build may not replace is said before the validation, not after it.
    check_output_folder(project, out)
    with batch_memory():
        checked = public_graph(project)
        reused = write_outputs(project, checked.graph, out, reuse=not full)
    return replace(checked, reused=reused)
