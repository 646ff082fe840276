"""The state of a static build (``tourgraph.incremental``), which lets the next build of the same
folder take the files of the entities a change leaves alone. Not written by a build that leaves the
entity pages to ``tourgraph serve``: it has nothing of the kind to take."""

from __future__ import annotations

from ..incremental import STATE, environment, state
from ..site.writer import is_static
from . import BuildContext
from .rdf import GRAPH_LINES, graph_lines
from .site import STATIC

FORMATS = (STATE,)
# ctx.extra key: the build's state when it was made before the exporters ran (to compare it).
BUILT_STATE = "tourgraph.incremental.state"


def write(ctx: BuildContext) -> None:
    if not is_static(ctx.project, ctx.extra.get(STATIC)):
        return
    made = ctx.extra.get(BUILT_STATE)
    if made is None:
        lines = ctx.extra.get(GRAPH_LINES) or graph_lines(ctx.graph)
        made = state(ctx.graph, environment(ctx.project, True), lines)
    ctx.path(STATE).write_text(made.to_json(), encoding="utf-8")
