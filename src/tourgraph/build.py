"""The pipeline: load -> materialise -> validate -> outputs, written atomically to dist/."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import privacy
from .errors import ValidationFailed
from .export import BuildContext, exporters
from .graph import KnowledgeGraph
from .load import load
from .materialise import materialise
from .project import Project
from .validate import Report, load_shapes, validate


@dataclass(frozen=True)
class Checked:
    """A loaded, materialised graph and its validation report."""

    graph: KnowledgeGraph
    report: Report


def check(project: Project) -> Checked:
    """Load, materialise and validate a project; does not raise on violations."""
    shapes = load_shapes(project)
    graph = materialise(load(project))
    return Checked(graph=graph, report=validate(graph, shapes))


def validated_graph(project: Project) -> Checked:
    """Like ``check`` but raises ValidationFailed when the graph has violations."""
    checked = check(project)
    if not checked.report.conforms:
        raise ValidationFailed(checked.report)
    return checked


def write_outputs(project: Project, graph: KnowledgeGraph, out: Path) -> None:
    """Run every exporter into a staging folder, then swap it in place of ``out`` in one rename, so a
    failed build leaves the previous output untouched."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        ctx = BuildContext(project=project, graph=graph, out=staging)
        for exporter in exporters():
            exporter.write(ctx)
        os.chmod(staging, 0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def public_graph(project: Project) -> Checked:
    """The validated graph as the public sees it (privacy rules applied): what every output shows."""
    checked = validated_graph(project)
    return Checked(graph=privacy.publishable(checked.graph), report=checked.report)


def build(project: Project, out: Path | None = None) -> Checked:
    """Validate, then write all of dist/; nothing is written unless the graph conforms."""
    checked = public_graph(project)
    write_outputs(project, checked.graph, out or project.root / "dist")
    return checked
