#!/usr/bin/env python3
"""`tourgraph serve` next to `oxigraph serve-read-only` on the same data and the same query, with wrk.

    python benchmarks/serve_bench.py                                  # the shipped project
    python benchmarks/serve_bench.py --project benchmarks/data/validate-1M
    python benchmarks/serve_bench.py --project A --project B --runs 5 --duration 10

For each project: `tourgraph build` once (kept under benchmarks/data/serve-<name>/, rebuilt when a
project file is newer, or with --rebuild), `oxigraph load` of the build's graph.nt into a store of
its own (its default graph holds the same triples as tourgraph's union default graph). Then the
servers run as users run them, on 127.0.0.1:
  - oxigraph serve-read-only --location STORE --bind …        (its default flags)
  - tourgraph serve --project P --dist BUILD --port …         (its default flags: answers cached)
  - tourgraph serve … --cache 0                               (every query evaluated by a worker)
and wrk (Debian package `wrk`) sends them the same GET (the stored query `delegation`, parameters at
their defaults, Accept: application/sparql-results+json) at each connection count, the servers taking
turns within each run (order rotated), --runs times. The bodies are checked to agree first.

Printed: median req/s and p99 per server, and the ratios tourgraph/oxigraph of the medians, with
the per-run ratios; then the runaway scenario: simple queries from wrk (4 connections) against
tourgraph with and without one runaway query per second (a cross product that runs until stopped),
--runs rounds each, with the same text each second (a client retrying) and with a text of its own each
second (an attacker's).
Results also go to benchmarks/results/serve-<time>.json and .md (git-ignored).
"""

from __future__ import annotations

import argparse
import collections
import http.client
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"
RESULTS = REPO / "benchmarks" / "results"
ACCEPT = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, target: str, timeout: float = 120) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", target, headers={"Accept": ACCEPT})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_http(port: int, path: str, process: subprocess.Popen, limit: float = 900) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped (exit {process.returncode})")
        try:
            if get(port, path + "?" + urlencode({"query": "ASK {}"}), timeout=5)[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no server answered on port {port} within {limit:g} s")


def newest_source(project: Path) -> float:
    files = [project / "tourgraph.toml"] + [p for d in ("ontology", "data", "shapes") for p in (project / d).rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in files)


def prepared(project: Path, rebuild: bool) -> tuple[Path, Path]:
    """A build of the project and an Oxigraph store of its graph, made once and kept."""
    work = DATA / f"serve-{project.resolve().name}"
    dist, store = work / "dist", work / "oxigraph"
    marker = dist / ".tourgraph-build"
    if rebuild or not marker.is_file() or marker.stat().st_mtime < newest_source(project):
        print(f"building {project} into {dist} …", file=sys.stderr, flush=True)
        subprocess.run(["tourgraph", "build", "--project", str(project), "--out", str(dist)], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(store, ignore_errors=True)
    if not (store / "CURRENT").is_file():
        print(f"loading {dist / 'graph.nt'} into {store} …", file=sys.stderr, flush=True)
        subprocess.run(["oxigraph", "load", "--location", str(store), "--file", str(dist / "graph.nt")], check=True, capture_output=True)
    return dist, store


def the_query(project: Path) -> str:
    sys.path.insert(0, str(REPO / "src"))
    from tourgraph.project import open_project
    from tourgraph.queries import bind, stored_queries

    opened = open_project(project)
    return bind(stored_queries(opened.folder("queries"))["delegation"], {}, opened.base)


def same_results(ox_body: bytes, tg_body: bytes) -> str:
    if ox_body == tg_body:
        return "identical bytes"
    import pyoxigraph as ox

    def solutions(body):
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return sorted(tuple(str(s[v]) if s[v] is not None else "" for v in parsed.variables) for s in parsed)

    return "same solutions" if solutions(ox_body) == solutions(tg_body) else "DIFFERENT"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int, duration: float) -> dict:
    threads = min(connections, 2)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "-H", f"Accept: {ACCEPT}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {m.group(1): float(m.group(2)) * _UNITS[m.group(3)] for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps, "p50_ms": latency.get("50"), "p99_ms": latency.get("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


class Servers:
    """The three servers of one project, started once and stopped together."""

    def __init__(self, project: Path, dist: Path, store: Path):
        self.processes: list[subprocess.Popen] = []
        self.log = (dist.parent / "servers.log").open("w")
        self.ports = {name: free_port() for name in ("oxigraph", "tourgraph", "tourgraph --cache 0")}
        self.paths = {"oxigraph": "/query", "tourgraph": "/sparql", "tourgraph --cache 0": "/sparql"}
        self._start(["oxigraph", "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{self.ports['oxigraph']}"])
        for name in ("tourgraph", "tourgraph --cache 0"):
            extra = ["--cache", "0"] if name.endswith("0") else []
            self._start(["tourgraph", "serve", "--project", str(project), "--dist", str(dist), "--port", str(self.ports[name]), *extra])
        for name, process in zip(self.ports, self.processes):
            wait_http(self.ports[name], self.paths[name], process)

    def _start(self, command: list[str]) -> None:
        self.processes.append(subprocess.Popen(command, stdout=self.log, stderr=self.log))

    def target(self, name: str, query: str) -> str:
        return f"{self.paths[name]}?" + urlencode({"query": query})

    def url(self, name: str, query: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}" + self.target(name, query)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


def runaways(port: int, stop: threading.Event, answers: list, distinct: bool) -> None:
    """One runaway query per second until ``stop``; each waits for its answer in a thread of its own.
    ``distinct``: each runaway a text of its own (an attacker's), else the same text each second (a
    client retrying)."""
    count = itertools.count()

    def one(target):
        try:
            answers.append(get(port, target, timeout=120)[0])
        except OSError as exc:
            answers.append(type(exc).__name__)

    threads = []
    while not stop.is_set():
        text = RUNAWAY.replace("?l }", f"?l{next(count)} }}") if distinct else RUNAWAY
        threads.append(threading.Thread(target=one, args=("/sparql?" + urlencode({"query": text}),), daemon=True))
        threads[-1].start()
        stop.wait(1.0)
    for thread in threads:
        thread.join(130)


def runaway_rounds(url: str, port: int, seconds: float, rounds: int, distinct: bool) -> dict:
    """Rounds of wrk (4 connections) without, then with, one runaway per second."""
    result = {"without": [], "with": [], "runaway_answers": []}
    for _ in range(rounds):
        result["without"].append(wrk(url, 4, seconds))
        stop = threading.Event()
        injector = threading.Thread(target=runaways, args=(port, stop, result["runaway_answers"], distinct))
        injector.start()
        time.sleep(0.5)
        result["with"].append(wrk(url, 4, seconds))
        stop.set()
        injector.join()
    return result


def bench_project(project: Path, args) -> dict:
    dist, store = prepared(project, args.rebuild)
    query = the_query(project)
    triples = sum(1 for line in (dist / "graph.nt").open("rb") if line.strip())
    servers = Servers(project, dist, store)
    try:
        bodies = {name: get(servers.ports[name], servers.target(name, query)) for name in servers.ports}
        for name, (status, _) in bodies.items():
            if status != 200:
                raise RuntimeError(f"{name} answered {status} to the query")
        agreement = {name: same_results(bodies["oxigraph"][1], bodies[name][1]) for name in servers.ports if name != "oxigraph"}
        if "DIFFERENT" in agreement.values():
            raise RuntimeError(f"the servers disagree: {agreement}")
        names = list(servers.ports)
        table = {}
        for connections in args.connections:
            runs = {name: [] for name in names}
            for index in range(args.runs):
                order = names[index % len(names):] + names[:index % len(names)]
                for name in order:
                    runs[name].append(wrk(servers.url(name, query), connections, args.duration))
            table[connections] = runs
            print(f"  {project.name}: {connections} connections done", file=sys.stderr, flush=True)
        runaway = {}
        if args.runaway:
            for name in ("tourgraph --cache 0", "tourgraph"):
                for texts in ("same", "distinct"):
                    runaway[f"{name}, {texts} text"] = runaway_rounds(servers.url(name, query), servers.ports[name], args.runaway,
                                                                      args.runs, texts == "distinct")
        return {"project": str(project), "triples": triples, "agreement": agreement, "table": table, "runaway": runaway,
                "bytes": len(bodies["oxigraph"][1])}
    finally:
        servers.stop()


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(results: list[dict], args) -> str:
    lines = [f"wrk, {args.duration:g} s per run, {args.runs} runs per server and connection count (servers taking turns); medians.", ""]
    for result in results:
        name = Path(result["project"]).name
        lines += [f"### {name}: {result['triples']:,} triples; answer {result['bytes']:,} bytes; "
                  + "; ".join(f"{k} vs oxigraph: {v}" for k, v in result["agreement"].items()), ""]
        lines.append("| connections | oxigraph req/s (p99 ms) | tourgraph req/s (p99 ms) | ratio | tourgraph --cache 0 req/s (p99 ms) | ratio | runs' ratios (cached; uncached) |")
        lines.append("|---|---|---|---|---|---|---|")
        for connections, runs in result["table"].items():
            ox, tg, tu = (runs[n] for n in ("oxigraph", "tourgraph", "tourgraph --cache 0"))
            per_run = ", ".join(f"{a['rps'] / o['rps']:.2f}" for a, o in zip(tg, ox)) + "; " + ", ".join(f"{a['rps'] / o['rps']:.2f}" for a, o in zip(tu, ox))
            cells = [f"{median(r, 'rps'):.0f} ({median(r, 'p99_ms'):.1f})" for r in (ox, tg, tu)]
            errors = sum(r["non_2xx"] + r["socket_errors"] for r in ox + tg + tu)
            lines.append(f"| {connections} | {cells[0]} | {cells[1]} | {median(tg, 'rps') / median(ox, 'rps'):.2f} | {cells[2]} | "
                         f"{median(tu, 'rps') / median(ox, 'rps'):.2f} | {per_run}{f' ({errors} errors)' if errors else ''} |")
        for server, figures in result["runaway"].items():
            quiet, loaded = figures["without"], figures["with"]
            ratios = [b["rps"] / a["rps"] for a, b in zip(quiet, loaded)]
            each = ", ".join(f"{r:.2f}" for r in ratios)
            p99s = ", ".join(f"{r['p99_ms']:.0f}" for r in loaded)
            lines.append("")
            lines.append(f"runaways, {server}, 4 connections: {median(quiet, 'rps'):.0f} req/s (p99 {median(quiet, 'p99_ms'):.1f} ms) without; "
                         f"{median(loaded, 'rps'):.0f} req/s (p99 {median(loaded, 'p99_ms'):.1f} ms, {sum(r['non_2xx'] for r in loaded)} non-2xx) "
                         f"with one per second: **{statistics.median(ratios):.2f}** of the throughput (rounds: "
                         f"{each}; p99 {p99s} ms); "
                         f"runaways answered {dict(sorted(collections.Counter(map(str, figures['runaway_answers'])).items()))}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, action="append", help="a project folder (repeatable) [default: the shipped project]")
    parser.add_argument("--connections", type=lambda v: [int(x) for x in v.split(",")], default=[1, 4, 16, 64])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per server and connection count")
    parser.add_argument("--runaway", type=float, default=10.0, help="seconds of the runaway scenario per server (0: skip it)")
    parser.add_argument("--rebuild", action="store_true", help="build the projects again even if their build is newer than their files")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    load_before = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = []
    for project in args.project or [REPO]:
        results.append(bench_project(project, args))
        print(report(results[-1:], args), flush=True)
    text = report(results, args) + f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after.\n"
    (RESULTS / f"serve-{stamp}.json").write_text(json.dumps({"args": {k: v for k, v in vars(args).items() if k != "project"}, "results": results}, indent=1, default=str) + "\n")
    (RESULTS / f"serve-{stamp}.md").write_text(text)
    print(text.splitlines()[-1])


if __name__ == "__main__":
    main()
