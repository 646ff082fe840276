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


def stages(static: bool = False):
    """The exporters as stages run one after the other. A stage is a list of lanes: lanes are
    independent and may run at the same time; the modules of a lane run in order in one process and
    may share ``ctx.extra``. A stage may read every file the stages before it wrote. ``static``: the
    build writes every entity's pages, which makes the site the longest lane."""
    from . import buildstate, bundle, opendata, rdf, site, snippets, void

    # The open-data tables go beside the shorter of the two lanes: the dumps, or a site of lists only.
    lanes = [[site, snippets], [rdf, void, buildstate, bundle]] if static else [[site, snippets, bundle], [rdf, void, buildstate]]
    # opendata comes last: it describes and checksums the files the others wrote.
    return [lanes, [[opendata]]]


def exporters():
    """Every exporter, in the order a serial run would use."""
    return [module for stage in stages() for lane in stage for module in lane]
