"""Output families. Each module declares the files it writes (``FORMATS``) and has ``write(ctx)``;
adding a format touches one module and the list in ``stages()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..graph import KnowledgeGraph
from ..project import Project


@dataclass(frozen=True)
class BuildContext:
    """What every exporter receives: the project, the public graph and the folder to write into."""

    project: Project
    graph: KnowledgeGraph
    out: Path
    extra: dict = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def stages():
    """The exporters as stages run one after the other. A stage is a list of lanes: lanes are
    independent and may run at the same time; the modules of a lane run in order in one process and
    may share ``ctx.extra``. A stage may read every file the stages before it wrote."""
    from . import buildstate, bundle, opendata, rdf, site, snippets, void

    # The site (its lists, or every page of a static build) in one lane; the dumps, VoID and the open-data
    # tables in the other, which a large build starts beside the validation (``build.build``).
    lanes = [[site, snippets], [rdf, void, buildstate, bundle]]
    # opendata comes last: it describes and checksums the files the others wrote.
    return [lanes, [[opendata]]]


def exporters():
    """Every exporter, in the order a serial run would use."""
    return [module for stage in stages() for lane in stage for module in lane]
