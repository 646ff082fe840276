"""The pipeline: load -> materialise -> validate -> outputs, written atomically to dist/."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from . import incremental, privacy
from .errors import ValidationFailed
from .export import BuildContext, buildstate, rdf, site, stages
from .graph import KnowledgeGraph
from .load import load
from .materialise import materialise
from .outdir import MARKER, check_output_folder, is_previous_build, marker_text, replace_folder, staging_folder
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


def loaded(project: Project):
    """The project's shapes and materialised graph (the shapes first: a broken shape is said before
    the data is read)."""
    shapes = load_shapes(project)
    return shapes, materialise(load(project))


def check(project: Project) -> Checked:
    """Load, materialise and validate a project; does not raise on violations."""
    shapes, graph = loaded(project)
    return Checked(graph=graph, report=validate(graph, shapes, project))


def published(checked: Checked) -> Checked:
    """The graph of a check as the public sees it (privacy rules applied): what every output shows;
    raises ValidationFailed when the graph has violations."""
    if not checked.report.passes:
        raise ValidationFailed(checked.report)
    return Checked(graph=privacy.publishable(checked.graph), report=checked.report)


# Below this size, starting a process costs more than running the exporters one after the other.
PARALLEL_EXPORT_QUADS = 50_000


def _run_lane(lane, ctx: BuildContext, conn, public: bool) -> None:
    try:
        if public:
            ctx = replace(ctx, graph=privacy.publishable(ctx.graph))
        for exporter in lane:
            exporter.write(ctx)
    except BaseException as exc:  # sent whole to the parent, which raises it there
        conn.send(exc)
    else:
        conn.send(None)
    finally:
        conn.close()


class Lanes:
    """Lanes of exporters, each in a forked process; ``public``: each takes the public view of
    ``ctx.graph`` first (a lane started before the validation, from the loaded graph)."""

    def __init__(self, lanes, ctx: BuildContext, public: bool = False):
        fork = multiprocessing.get_context("fork")
        self.children = []
        for lane in lanes:
            receive, send = fork.Pipe(duplex=False)
            process = fork.Process(target=_run_lane, args=(lane, ctx, send, public))
            process.start()
            send.close()
            self.children.append((lane, process, receive))

    def wait(self) -> BaseException | None:
        """Wait for every lane; the first failure, or None."""
        failure = None
        for lane, process, receive in self.children:
            try:
                outcome = receive.recv()
            except EOFError:  # the process died before it could report
                outcome = None
            receive.close()
            process.join()
            if failure is None and outcome is not None:
                failure = outcome
            elif failure is None and process.exitcode != 0:
                failure = RuntimeError(f"the {lane[0].__name__} exporter stopped with exit code {process.exitcode}.")
        return failure

    def stop(self) -> None:
        """Stop every lane (their output goes with the staging folder)."""
        for _, process, receive in self.children:
            process.kill()
            process.join()
            receive.close()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_stage(stage, ctx: BuildContext, parallel: bool, ahead: Lanes | None = None) -> None:
    """Run the lanes of a stage: the first in this process, the others in forked processes meanwhile.
    ``ahead``: the others were started already (before the validation), so only their end is awaited."""
    if ahead is None and (not parallel or len(stage) == 1 or not _can_fork()):
        for lane in stage:
            for exporter in lane:
                exporter.write(ctx)
        return
    others = ahead or Lanes(stage[1:], ctx)
    failure = None
    try:
        for exporter in stage[0]:
            exporter.write(ctx)
    except BaseException as exc:
        failure = exc
    outcome = others.wait()
    failure = failure or outcome
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


@contextmanager
def staged(project: Project, out: Path, option: str = "--out"):
    """A staging folder beside ``out``, swapped in place of it in one rename when the block ends well
    (so a failed build leaves the previous output untouched), removed otherwise.

    ``out``, resolved, must be new, empty or a previous build (``outdir.check_output_folder``, by the
    caller); it is checked again just before the swap, since the exporters take a while and the folder is
    replaced whole. Folders that stopped builds left beside ``out`` are removed first.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(out)
    try:
        yield staging
        (staging / MARKER).write_text(marker_text(), encoding="utf-8")
        os.chmod(staging, 0o755)
        check_output_folder(project, out, option)
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _export(ctx: BuildContext, out: Path, reuse: bool, ahead: Lanes | None = None):
    if reuse:
        reuse_previous(ctx, out)
    for index, stage in enumerate(stages()):
        run_stage(stage, ctx, parallel=len(ctx.graph) >= PARALLEL_EXPORT_QUADS, ahead=ahead if index == 0 else None)
    return ctx.extra.get(site.REUSED)


def write_outputs(project: Project, graph: KnowledgeGraph, out: Path, option: str = "--out", reuse: bool = False):
    """Run every exporter into a staging folder, then swap it in place of ``out`` (``staged``). With
    ``reuse``, a static build takes from the previous build in ``out`` the files of the entities the
    changes since leave alone (hard links: nothing of ``out`` is written to); returns what it took
    (``export.site.Reused``), or None."""
    out = check_output_folder(project, out, option)
    with staged(project, out, option) as staging:
        return _export(BuildContext(project=project, graph=graph, out=staging), out, reuse)


def public_graph(project: Project) -> Checked:
    """The project's validated graph as the public sees it (``published``)."""
    return published(check(project))


@contextmanager
def batch_memory():
    """Pause the cyclic garbage collector for a batch job.

    Exporters allocate millions of short-lived containers next to a large long-lived graph index;
    each full collection walks all of it (a third of the time of the RDF dumps at 1M triples).
    Reference counting still frees everything that is not cyclic. The collector is switched back on
    but not run: a full collection at the end would walk the whole graph once more (0.8 s at 1M
    triples) for the few cycles the job left, which the next collection frees anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(project: Project, out: Path | None = None, full: bool = False) -> Checked:
    """Validate, then write all of dist/; nothing is written unless the graph conforms. A static build
    reuses what the previous build in ``out`` has of the entities the changes leave alone, unless ``full``.

    A large graph's dumps do not wait for the validation: their lane starts in a forked process as soon
    as the graph is loaded, writes into the staging folder and is stopped, with the folder removed, if
    the graph does not conform (the validation and the dumps take about as long, on two cores)."""
    out = check_output_folder(project, out or project.root / "dist")
    with batch_memory():
        shapes, graph = loaded(project)
        if len(graph) < PARALLEL_EXPORT_QUADS or not _can_fork() or not out.parent.is_dir():
            checked = published(Checked(graph, validate(graph, shapes, project)))
            with staged(project, out) as staging:
                reused = _export(BuildContext(project=project, graph=checked.graph, out=staging), out, reuse=not full)
            return replace(checked, reused=reused)
        with staged(project, out) as staging:
            ahead = Lanes(stages()[0][1:], BuildContext(project=project, graph=graph, out=staging), public=True)
            try:
                checked = published(Checked(graph, validate(graph, shapes, project)))
                reused = _export(BuildContext(project=project, graph=checked.graph, out=staging), out, reuse=not full, ahead=ahead)
            except BaseException:
                ahead.stop()
                raise
    return replace(checked, reused=reused)
