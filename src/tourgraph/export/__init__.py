"""Output families. Each module declares the files it writes (``FORMATS``) and has ``write(ctx)``;
adding a format touches one module and the ``EXPORTERS`` list."""

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


def exporters():
    """The exporters in the order they run (later ones may read files earlier ones wrote)."""
    from . import opendata, rdf, site, snippets, void

    return [rdf, site, snippets, void, opendata]  # opendata last: it checksums the files the others wrote
