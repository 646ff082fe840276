"""What a query worker does with one job: check the query with the guard, run it on the store, and
serialise at most ``max_rows`` solutions or triples natively, in the requested format.

The cap is exact and native: Oxigraph serialises a whole result set, never a prefix of one, so the
rows are cut in its TSV (N-Triples for graphs), where each row is one line (line breaks in terms are
escaped), and the requested format is then written by Oxigraph from that. TSV and N-Triples answers
are serialised once."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

RESULT_FORMATS = ("json", "xml", "csv", "tsv", "table", "values")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "table")


class NoFormat(Exception):
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE) has no format the client accepts."""

    def __init__(self, form: str):
        super().__init__(form)
        self.form = form


@dataclass(frozen=True)
class Job:
    """What a worker runs: the query, its dataset, the serialisation wanted for each kind of result
    (None: not acceptable), the base for relative IRIs and the variables the engine binds.

    Formats besides the standard ones: ``table`` (cells for the HTML query page) and ``values`` (plain
    values per column, for the stored-query API, with the parameters whose IRI names nothing when no
    row matches)."""

    query: str
    results_fmt: str | None
    graph_fmt: str | None
    max_rows: int
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Answer:
    body: bytes
    rows: int
    truncated: bool
    form: str = "SELECT"
    fmt: str = "json"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class _Enough(Exception):
    """Raised inside Oxigraph's serialiser once the capped output holds one line too many."""


class _LineCap:
    """A sink for a line-per-row serialisation (TSV, N-Triples, which escape line breaks in terms)
    that stops the serialiser once it has ``limit`` lines and one more."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.lines = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _Enough
        return len(data)

    def flush(self) -> None:
        pass

    def capped(self) -> tuple[bytes, bool]:
        """The first ``limit`` lines, and whether there were more."""
        text = b"".join(self.parts)
        if self.lines <= self.limit:
            return text, False
        end = -1
        for _ in range(self.limit):
            end = text.index(b"\n", end + 1)
        return text[: end + 1], True


def _capped(results, fmt, limit: int) -> tuple[bytes, bool]:
    sink = _LineCap(limit)
    try:
        results.serialize(output=sink, format=fmt)
    except _Enough:
        pass
    return sink.capped()


def _cell(term) -> dict:
    import pyoxigraph as ox

    if term is None:
        return {"text": "", "href": None, "note": None}
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": term.value, "note": None}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value, "href": None, "note": None}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "href": None, "note": "@" + term.language if term.language else None}
    return {"text": str(term), "href": None, "note": None}


def _value(term):
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(term) if value is None else value


def _solutions(store, job: Job, results, fmt: str) -> tuple[bytes, int, bool]:
    import pyoxigraph as ox

    tsv, truncated = _capped(results, ox.QueryResultsFormat.TSV, job.max_rows + 1)
    rows = tsv.count(b"\n") - 1
    if fmt == "tsv":
        return tsv, rows, truncated
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    if fmt in ("json", "xml", "csv"):
        return parsed.serialize(format=_results_format(fmt)), rows, truncated
    columns = [v.value for v in parsed.variables]
    if fmt == "table":
        table = {"columns": columns, "rows": [[_cell(t) for t in row] for row in parsed], "boolean": None}
        return pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL), rows, truncated
    from .queries import unmatched_iris

    values = [dict(zip(columns, map(_value, row))) for row in parsed]
    terms = dict(job.substitutions)
    document = {"columns": columns, "rows": values, "unmatched": [] if values else unmatched_iris(store, terms)}
    return pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL), rows, truncated


def _triples(results, fmt: str, limit: int) -> tuple[bytes, int, bool]:
    import pyoxigraph as ox

    from .graph import PREFIXES

    nt, truncated = _capped(results, ox.RdfFormat.N_TRIPLES, limit)
    count = nt.count(b"\n")
    if fmt == "ntriples":
        return nt, count, truncated
    triples = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "table":
        rows = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples]
        table = {"columns": ["subject", "predicate", "object"], "rows": rows, "boolean": None}
        return pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL), count, truncated
    if fmt == "turtle":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"", count, truncated
    return ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"", count, truncated


def evaluate(store, job: Job, graphs: frozenset[str] | None = None) -> Answer:
    """Check a job's query with the guard, then run it on a store: at most ``max_rows`` solutions or
    triples, serialised natively. Raises Refused for what the guard refuses, NoFormat, SyntaxError."""
    import pyoxigraph as ox

    from .sparql_guard import Refused, check_graphs, inspect

    info = inspect(job.query, job.base_iri)
    graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
    fmt = job.graph_fmt if graph_form else job.results_fmt
    if fmt is None or (fmt == "values" and info.form != "SELECT"):
        raise NoFormat(info.form)
    kwargs = {"base_iri": job.base_iri, "substitutions": {ox.Variable(k): v for k, v in job.substitutions}}
    if job.default_graphs is not None or job.named_graphs is not None:
        if graphs is not None:
            check_graphs(job.default_graphs or (), graphs, "default-graph-uri")
            check_graphs(job.named_graphs or (), graphs, "named-graph-uri")
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    elif info.has_dataset:
        if graphs is not None:
            check_graphs(info.default_graphs, graphs, "FROM")
            check_graphs(info.named_graphs, graphs, "FROM NAMED")
    else:
        kwargs["use_default_graph_as_union"] = True
    try:
        results = store.query(job.query, **kwargs)
    except RuntimeError as exc:
        # pyoxigraph refuses to substitute a variable a SELECT does not project, with this error.
        if job.substitutions and "does not contain" in str(exc):
            raise Refused(400, f"cannot bind the parameters: {_one_line(exc)}") from None
        raise
    if isinstance(results, ox.QueryBoolean):
        if fmt == "table":
            body = pickle.dumps({"columns": [], "rows": [], "boolean": bool(results)})
        else:
            body = results.serialize(format=_results_format(fmt))
        return Answer(body, 1, False, info.form, fmt)
    if isinstance(results, ox.QuerySolutions):
        body, rows, truncated = _solutions(store, job, results, fmt)
    else:
        body, rows, truncated = _triples(results, fmt, job.max_rows)
    return Answer(body, rows, truncated, info.form, fmt)


def _results_format(fmt: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]


def answer_job(store, job: Job, graphs: frozenset[str] | None) -> tuple:
    """A worker's reply to one job, as a plain tuple."""
    from .sparql_guard import Refused

    try:
        answer = evaluate(store, job, graphs)
        return ("ok", answer.body, answer.rows, answer.truncated, answer.form, answer.fmt)
    except Refused as exc:
        return ("error", exc.status, exc.reason)
    except NoFormat as exc:
        return ("noformat", exc.form)
    except MemoryError:
        return ("error", 503, "the query needs more memory than a query may use here; make it more selective.")
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {_one_line(exc)}")
    except ValueError as exc:
        return ("error", 400, f"cannot serialise the results: {_one_line(exc)}")
    except RuntimeError as exc:
        # A function the engine does not implement is the query's limit, not the server's fault.
        if "is not supported" in str(exc):
            return ("error", 400, f"the query uses something this endpoint does not support: {_one_line(exc)}")
        return ("error", 500, f"query failed: {_one_line(exc)}")
    except Exception as exc:
        return ("error", 500, f"query failed: {_one_line(exc)}")


