"""SHACL validation (Core and SHACL-SPARQL) compiled to SPARQL on Oxigraph, with pyshacl-turbo for
the shapes the compiler does not cover. ``validate`` is the entry point."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from .engine import Compiled, Finding, Written, compile_shapes, run_checks
from .report import report_graph
from .terms import ShapeFailure

__all__ = ["Outcome", "Finding", "Written", "ShapeFailure", "compile_shapes", "validate", "report_graph"]


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...]
    fallback: tuple  # (shape, reason) pairs validated by the complete engine

    @property
    def conforms(self) -> bool:
        """SHACL's definition: no validation result at all, whatever its severity."""
        return not self.findings


def validate(store: ox.Store, shapes: rdflib.Graph, written: Written | None = None, *, compiled: Compiled | None = None,
             complete_engine_only: bool = False) -> Outcome:
    """Validate the union of the store's graphs against ``shapes``; raises ShapeFailure on a SHACL failure."""
    written = written or Written()
    if complete_engine_only:
        from .checks import targeted_shapes

        compiled = Compiled(shapes, (), tuple((s, "asked for") for s in targeted_shapes(shapes)))
    compiled = compiled or compile_shapes(shapes, written)
    findings = run_checks(store, compiled, written)
    if compiled.leftover:
        from .fallback import findings as fallback_findings

        findings += fallback_findings(store, shapes, {s for s, _ in compiled.leftover}, written, Finding)
    return Outcome(tuple(findings), compiled.leftover)
