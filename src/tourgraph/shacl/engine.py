"""The validation engine: compile a shapes graph to checks, run them over an Oxigraph store.

Every targeted shape whose features the compiler covers becomes SPARQL queries evaluated by Oxigraph
over the whole data graph (two threads: Oxigraph releases the GIL). A shape it does not cover is
validated by pyshacl-turbo, a complete SHACL engine, and ``Outcome.fallback`` says which and why.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from . import xsd
from .checks import REWRITTEN_FUNCTION, Check, CoreChecks, focus_pattern, targeted_shapes
from .conditions import Conditions
from .literals import LiteralJudge
from .messages import fill
from .sparql import SparqlChecks
from .terms import Names, ShapeFailure, Unsupported, stored_form, to_ox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    """One validation result, with the shapes-graph nodes it comes from."""

    focus: object
    severity: str
    component: str
    shape: object
    messages: tuple
    path: object = None
    value: object = None
    constraint: object = None


@dataclass(frozen=True)
class Compiled:
    shapes: rdflib.Graph = field(repr=False)
    checks: tuple[Check, ...]
    leftover: tuple = ()  # (shape, reason) pairs for the complete engine
    targets: tuple = ()  # (stored, written) pairs: target-node literals that Oxigraph rewrites


class Written:
    """Literals as written in the sources, where the store holds them normalised.

    ``by_quad`` maps a stored (subject, predicate, object) triple to the objects written for it;
    ``by_literal`` maps a stored literal to every literal written for it anywhere.
    """

    def __init__(self, pairs=()):
        self.by_quad: dict = {}
        self.by_literal: dict = {}
        predicates = set()
        for stored, written in pairs:
            triple = (stored.subject, stored.predicate, stored.object)
            self.by_quad.setdefault(triple, set()).add(written.object)
            self.by_literal.setdefault(stored.object, set()).add(written.object)
            predicates.add(rdflib.URIRef(stored.predicate.value))
        self.predicates = frozenset(predicates)

    def __bool__(self) -> bool:
        return bool(self.by_literal)

    def originals(self, focus, path, stored) -> set:
        if isinstance(path, rdflib.URIRef):
            found = self.by_quad.get((focus, ox.NamedNode(str(path)), stored))
            if found is not None:
                return found
        return self.by_literal.get(stored, {stored})


def _rewritten_targets(shapes: rdflib.Graph) -> dict:
    """Target-node literals whose stored form differs from the shapes graph's, by stored form."""
    found: dict = {}
    for literal in set(shapes.objects(None, SH.targetNode)):
        if isinstance(literal, rdflib.Literal):
            written = to_ox(literal)
            stored = stored_form(written)
            if stored != written:
                found.setdefault(stored, set()).add(written)
    return found


def compile_shapes(shapes: rdflib.Graph, written: Written | None = None) -> Compiled:
    """Compile every targeted shape; the ones the compiler does not cover are left over, with the reason.

    ``written`` says which literals of the data the store rewrote: checks that may meet one of them
    re-check it as written."""
    names = Names()
    written = written or Written()
    targets = _rewritten_targets(shapes)
    ambiguous = {to_ox(w) for ws in targets.values() if len(ws) > 1 for w in ws}
    sparql = SparqlChecks(shapes, names)
    conditions = Conditions(shapes, names, sparql.parameters)
    core = CoreChecks(conditions, sparql, written.predicates, bool(written) or bool(targets))
    checks, leftover = [], []
    for shape in targeted_shapes(shapes):
        try:
            focus = focus_pattern(shapes, shape, lambda literal: to_ox(literal) in ambiguous)
            checks += core.checks(shape, focus)
        except Unsupported as exc:
            leftover.append((shape, str(exc)))
    pairs = tuple((stored, next(iter(ws))) for stored, ws in targets.items() if len(ws) == 1)
    return Compiled(shapes, tuple(checks), tuple(leftover), pairs)


def _true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


class Runner:
    """Runs compiled checks on one store; ``written`` re-checks normalised literals as written."""

    def __init__(self, store: ox.Store, compiled: Compiled, written: Written | None = None):
        self.store = store
        self.compiled = compiled
        self.written = written or Written()
        self.judge = LiteralJudge(compiled.shapes)
        self._shared: dict = {}
        self._lock = threading.Lock()
        self.targets = dict(compiled.targets)
        self.functions = {xsd.WELL_FORMED_FUNCTION: xsd.well_formed_term}
        if self.written or self.targets:
            stored = {*self.written.by_literal, *self.targets}
            self.functions[ox.NamedNode(REWRITTEN_FUNCTION)] = lambda term: ox.Literal(
                "true" if term in stored else "false", datatype=ox.NamedNode(xsd.XSD + "boolean"))

    def _rows(self, check: Check, text: str):
        substitutions = {ox.Variable(name): term for name, term in check.substitutions}
        try:
            rows = self.store.query(text, substitutions=substitutions or None, custom_functions=self.functions,
                                    use_default_graph_as_union=True)
        except SyntaxError as exc:  # a query rdflib reads and Oxigraph does not: the shape's to fix
            raise ShapeFailure(f"the query of the shape {check.shape} ({check.component.rsplit('#', 1)[-1]}) cannot be read: {exc}") from None
        variables = [v.value for v in rows.variables]
        for row in rows:
            values = {name: row[name] for name in variables if row[name] is not None}
            if "this" in values:
                yield values

    def _shared_rows(self, check: Check) -> list[dict]:
        """The rows of a query several checks share, computed once (by whichever check asks first)."""
        key = (check.query, check.substitutions)
        with self._lock:
            pending = self._shared.get(key)
            mine = pending is None
            if mine:
                pending = self._shared[key] = Future()
        if mine:
            try:
                pending.set_result(list(self._rows(check, check.query)))
            except BaseException as exc:
                pending.set_exception(exc)
        return pending.result()

    def _kept(self, check: Check, values: dict) -> bool:
        kind, *args = check.keep
        if kind == "less":
            return int(values["count"].value) < args[0]
        if kind == "more":
            return int(values["count"].value) > args[0]
        variable, rewritten = args
        flag = values.get(variable)
        if isinstance(flag, ox.Literal) and flag.value == "false":
            return True
        value = values.get("value")
        return rewritten and isinstance(value, ox.Literal) and value in self.written.by_literal

    def run(self, check: Check) -> list[Finding]:
        if check.keep is None:
            rows = self._rows(check, check.query)
        else:
            rows = (values for values in self._shared_rows(check) if self._kept(check, values))
        return [finding for values in rows for finding in self._result(check, values)]

    def _result(self, check: Check, values: dict) -> list[Finding]:
        if _true(values.get("failure")):
            raise ShapeFailure(f"the SPARQL query of {check.label} reported a failure (?failure true).")
        focus = values["this"]
        shown_focus = self.targets.get(focus, focus)
        path = check.path
        if isinstance(values.get("path"), ox.NamedNode):
            path = rdflib.URIRef(values["path"].value)
        if check.value in ("row", "default"):
            value = values.get("value")
            if value is None and check.value == "default" and check.path is None:
                value = focus
        else:
            value = focus if check.value == "focus" else None
        messages = check.messages
        if isinstance(values.get("message"), ox.Literal):
            message = values["message"]
            messages = ((message.language or "", message.value),)
        if check.templated:
            messages = fill(messages, {**dict(check.substitutions), **values})
        originals = self._originals(check, focus, value)
        if originals is not None:
            predicate, parameter = check.written
            return [
                Finding(shown_focus, check.severity, check.component, check.shape, messages, path, original, check.constraint)
                for original in sorted(originals, key=str)
                if not self.judge.component(predicate, parameter, original, check.shape)
            ]
        if value == focus:
            value = shown_focus
        return [Finding(shown_focus, check.severity, check.component, check.shape, messages, path, value, check.constraint)]

    def _originals(self, check: Check, focus, value) -> set | None:
        """The literals as written behind a stored value the store rewrote, or None."""
        if check.written is None or not isinstance(value, ox.Literal):
            return None
        if check.value == "focus" and value in self.targets:
            return {self.targets[value]}
        if value in self.written.by_literal:
            return self.written.originals(focus, check.path, value)
        return None


def run_checks(store: ox.Store, compiled: Compiled, written: Written | None = None, threads: int = 2) -> list[Finding]:
    """Every finding of the compiled checks, in a stable order. A node validated twice against a shape
    (a value of two focus nodes) gives its results twice, as SHACL does; a node matched by several
    targets of one shape is one focus node."""
    runner = Runner(store, compiled, written)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        batches = list(pool.map(runner.run, compiled.checks))
    return [finding for batch in batches for finding in batch]
