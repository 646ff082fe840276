"""The guard decides on rdflib's parse, Oxigraph runs the text: the cases where the two could read one
text differently, the queries the old tokenizer let through or refused wrongly, relative IRIs, the
bounded cache, and the workers that cannot reach the network at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseQuery

from test_serve import BASE, COUNT_ALL, call, one_line, select
from test_serve import app  # noqa: F401 (a fixture)
from tourgraph import sparql_guard
from tourgraph.query_pool import Job, QueryPool, answer_job
from tourgraph.sparql_guard import ByteBoundedCache, Refused, inspect

PLACES = BASE + "graph/common/places"

# The smuggling forms: each once read by the old tokenizer as harmless.
SMUGGLED = [
    "SELECT * WHERE {{ FILTER(1<'>' || true) SERVICE <{url}> {{ ?s ?p ?o }} BIND(\"'\" AS ?z) }} #\"",
    "SELECT * WHERE {{ FILTER(1<='>' || true) SERVICE <{url}> {{ ?s ?p ?o }} BIND(\"'\" AS ?z) }} #\"",
    "ASK {{ FILTER(1<'>' || true) SERVICE <{url}> {{ ?s ?p ?o }} BIND(\"'\" AS ?z) }} #\"",
    "SELECT * WHERE {{ FILTER(1<'''>''' || true) SERVICE <{url}> {{ ?s ?p ?o }} BIND(\"'''\" AS ?z) }} #\"",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ FILTER(1<'>' || true) SERVICE <{url}> {{ ?s ?p ?o }} BIND(\"'\" AS ?z) }} }} #\"",
    "SELECT ?s (EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} AS ?b) WHERE {{ ?s ?p ?o }}",
    # Differential: rdflib expands \u0022 into a quote before parsing, Oxigraph keeps it a character
    # of the string; unguarded, rdflib reads a SERVICE-free query where Oxigraph runs SERVICE.
    'SELECT * WHERE {{ BIND("\\u0022 AS ?a) BIND(" AS ?b) SERVICE <{url}> {{ ?s ?p ?o }} }} #" AS ?b) }}',
    "SELECT * WHERE {{ BIND('\\u0027 AS ?a) BIND(' AS ?b) SERVICE <{url}> {{ ?s ?p ?o }} }} #' AS ?b) }}",
    'SELECT * WHERE {{ BIND("\\U00000022 AS ?a) BIND(" AS ?b) SERVICE <{url}> {{ ?s ?p ?o }} }} #" AS ?b) }}',
    # Differential: Oxigraph ends a comment at a carriage return, rdflib at a line feed only.
    "SELECT * WHERE {{ ?s ?p ?o # x\r SERVICE <{url}> {{ ?s ?p ?o }}\n}}",
    "ASK {{ ?s ?p ?o #\rFILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}\n}}",
]


def _oxigraph_calls(text: str, hits: list) -> bool:
    """Whether pyoxigraph itself, run in this process, contacts the listener for this text."""
    before = len(hits)
    # Not an empty store: Oxigraph skips a SERVICE joined with a pattern that has no solution.
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.NamedNode("http://example.org/o")))
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (OSError, RuntimeError, SyntaxError):
        pass
    # Oxigraph's SERVICE call is made while the query runs, so the listener has it by now or soon.
    deadline = time.monotonic() + 0.5
    while len(hits) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    return len(hits) > before


@pytest.mark.parametrize("template", SMUGGLED)
def test_smuggled_service_is_refused_and_nothing_goes_out(app, listener, template):
    url, hits = listener
    text = template.format(url=url)
    with pytest.raises(Refused) as refused:
        inspect(text, "http://testserver/sparql")
    assert refused.value.status == 403
    response = call(app, "GET", "/sparql", params={"query": text})
    assert response.status_code == 403 and "SERVICE" in one_line(response)
    time.sleep(0.1)
    assert hits == []


@pytest.mark.parametrize("index", [6, 9])
def test_the_differentials_are_real(listener, index):
    """Without the guard's reading, rdflib and Oxigraph disagree on these texts."""
    url, hits = listener
    text = SMUGGLED[index].format(url=url)
    assert "ServiceGraphPattern" not in repr(parseQuery(text)), "rdflib's own parse no longer hides the SERVICE"
    assert _oxigraph_calls(text, hits), "Oxigraph no longer runs this SERVICE: the premise changed"


def test_other_line_breaks_end_no_comment_in_either_parser(app, listener):
    url, hits = listener
    for char in ("\x0b", "\x0c", "\x85", "\u2028"):
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o # x{char} SERVICE <{url}> {{ ?s ?p ?o }}\n}}"
        assert inspect(text, "http://testserver/sparql").form == "SELECT"
        assert not _oxigraph_calls(text, hits)
        assert select(app, text)[0]["n"] == select(app, COUNT_ALL)[0]["n"]
    assert hits == []


def test_escapes_outside_strings_and_iris_are_refused(app, listener):
    url, hits = listener
    for text in (f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}", "SELECT * WHERE { ?s ?p \\u005cU00000031 . }"):
        response = call(app, "GET", "/sparql", params={"query": text})
        assert 400 <= response.status_code < 500, text
    assert hits == []


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX service: <https://schema.org/> SELECT ?s WHERE { ?s a service:Person }",
        "PREFIX from: <https://schema.org/> SELECT ?s WHERE { ?s a from:Person }",
        "PREFIX named: <https://schema.org/> SELECT ?s WHERE { ?s a named:Person }",
        "SELECT ?x WHERE { ?s ?p ?x FILTER(?x<'>') } LIMIT 3",
        "SELECT ?x WHERE { ?s ?p ?x FILTER(?x <= '>') } LIMIT 3",
        f"BASE <{BASE}> BASE <graph/> SELECT (COUNT(*) AS ?n) FROM <common/places> WHERE {{ ?s ?p ?o }}",
        f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/common/pl\\u0061ces> WHERE {{ ?s ?p ?o }}",
        f"PREFIX g: <{BASE}graph/common/> SELECT (COUNT(*) AS ?n) FROM g:places WHERE {{ ?s ?p ?o }}",
        "SELECT ?x WHERE { ?s ?p ?x FILTER(?x > -1.5) } LIMIT 1",
    ],
)
def test_valid_queries_once_refused_are_answered(app, query):
    response = call(app, "GET", "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text


def test_from_with_escapes_and_chained_base_names_the_same_graph(app):
    plain = select(app, f"SELECT (COUNT(*) AS ?n) FROM <{PLACES}> WHERE {{ ?s ?p ?o }}")[0]["n"]["value"]
    escaped = select(app, f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/common/pl\\u0061ces> WHERE {{ ?s ?p ?o }}")[0]["n"]["value"]
    chained = select(app, f"BASE <{BASE}> BASE <graph/> SELECT (COUNT(*) AS ?n) FROM <common/places> WHERE {{ ?s ?p ?o }}")[0]["n"]["value"]
    assert int(plain) > 0 and plain == escaped == chained


def test_relative_iris_resolve_against_the_endpoint_url_as_oxigraph_server_does(app):
    rows = select(app, "SELECT ?x WHERE { BIND(<rel/x> AS ?x) }")
    assert rows[0]["x"]["value"] == "http://testserver/rel/x"
    refused = call(app, "GET", "/sparql", params={"query": "SELECT * FROM <graph/common/places> WHERE { ?s ?p ?o }"})
    assert refused.status_code == 400 and "http://testserver/graph/common/places" in one_line(refused)


def test_updates_are_refused_by_the_parse():
    for text in ("INSERT DATA { <a:s> <a:p> <a:o> }", "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }", "DROP ALL", "LOAD <http://example.org/x>"):
        with pytest.raises(Refused) as refused:
            inspect(text)
        assert refused.value.status == 403, text


def test_syntax_errors_say_where():
    with pytest.raises(Refused) as refused:
        inspect("SELECT *\nWHERE { ?s ?p }")
    assert refused.value.status == 400 and "line 2" in refused.value.reason


def test_the_cache_is_bounded_by_bytes():
    cache = ByteBoundedCache(10_000)
    for index in range(1000):
        cache.put(index, index, 300)
    assert cache.used <= 10_000 and len(cache) == 33
    assert cache.get(999) == 999 and cache.get(0) is None
    cache.put("huge", "x", 5_000)  # larger than an eighth of the budget: not kept
    assert cache.get("huge") is None


def test_the_guards_cache_holds_megabyte_texts_within_its_budget():
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1 << 20)
    for index in range(40):
        inspect(big + str(index))
    assert sparql_guard._CACHE.used <= sparql_guard.CACHE_BYTES


# ---------------------------------------------------------------- workers without a network


def test_a_worker_lives_in_a_network_namespace_of_its_own(tmp_path):
    dump = tmp_path / "empty.nq"
    dump.write_bytes(b"")
    pool = QueryPool(dump, 1, timeout=10)
    try:
        pool.wait_ready()
        worker = next(iter(pool._all))
        assert worker.sandbox is None, worker.sandbox
        mine = os.readlink("/proc/self/ns/net")
        theirs = os.readlink(f"/proc/{worker.process.pid}/ns/net")
        assert theirs != mine
        interfaces = open(f"/proc/{worker.process.pid}/net/dev").read().splitlines()[2:]
        assert [line.split(":")[0].strip() for line in interfaces] == ["lo"]
    finally:
        pool.close()


def test_a_worker_cannot_reach_a_listener_even_past_the_guard(listener):
    """The worker's isolation, then Oxigraph's SERVICE with the guard bypassed: the listener hears nothing."""
    url, hits = listener
    script = textwrap.dedent(f"""
        import pyoxigraph as ox
        from tourgraph.query_pool import isolate_network
        assert isolate_network() is None
        try:
            list(ox.Store().query("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        except OSError as exc:
            print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout and "unreachable" in done.stdout.lower(), done.stdout
    time.sleep(0.2)
    assert hits == []


def test_the_worker_refuses_what_the_guard_refuses(listener):
    url, hits = listener
    job = Job(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "json", "turtle", 10, "http://testserver/sparql")
    assert answer_job(ox.Store(), job, frozenset())[:2] == ("error", 403)
    time.sleep(0.1)
    assert hits == []


def test_isolation_reports_why_it_could_not_happen():
    """In a process that already has two threads, a user namespace cannot be made: the reason is given."""
    script = textwrap.dedent("""
        import os, threading, time
        from tourgraph.query_pool import isolate_network
        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
        if os.getuid() == 0:
            os.setuid(65534)  # without CAP_SYS_ADMIN, only a user namespace could help, and threads forbid it
        print(isolate_network())
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unshare refused"), done.stdout
