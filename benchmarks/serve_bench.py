#!/usr/bin/env python3
"""Throughput of `tourgraph serve` next to `oxigraph serve` on the same data, in one run.

    python benchmarks/serve_bench.py                       # the shipped project
    python benchmarks/serve_bench.py --triples 100000      # plus a synthetic project (benchmarks/generate.py)
    python benchmarks/serve_bench.py --project DIR         # any project folder
    python benchmarks/serve_bench.py --data FILE.nq        # an N-Quads file, with the repository's queries

Each server answers the stored queries (parameters at their defaults) from N concurrent clients
(keep-alive HTTP/1.1, GET ?query=…, SPARQL JSON) for --duration seconds after a warm-up; the report
gives requests/s and p50/p99 latency per server and the ratio. Both servers use the union of the named
graphs as default graph. Validation is skipped (a benchmark measures serving, not SHACL).
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(port: int, path: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path + "?" + urlencode({"query": "ASK {}"}), headers={"Accept": "application/sparql-results+json"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server answered on port {port} within {limit:g} s")


def load_graph(project_dir: Path | None, data: Path | None):
    """The project's materialised graph (or an N-Quads file as one), without SHACL validation."""
    from tourgraph.build import Checked
    from tourgraph.graph import KnowledgeGraph
    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project

    if data is not None:
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        project = open_project(REPO)
        return project, Checked(graph=KnowledgeGraph(store=store, sources=(), base=project.base), report=None)
    project = open_project(project_dir)
    return project, Checked(graph=materialise(load(project)), report=None)


def serve_tourgraph(project_dir: str, data: str, port: int, workers: int) -> None:
    """Run `tourgraph serve`'s app on a port (called in a child process)."""
    import uvicorn

    from tourgraph.serve import create_app

    project, checked = load_graph(Path(project_dir) if project_dir else None, Path(data) if data else None)
    dist = Path(tempfile.mkdtemp(prefix="bench-dist-"))
    app = create_app(project, dist, checked=checked, build_site=False, workers=workers, timeout=60, max_rows=100_000)
    app.state.service.pool.wait_ready(300)
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", lifespan="off", access_log=False)
    finally:
        app.state.service.close()
        shutil.rmtree(dist, ignore_errors=True)


def query_mix(project, exclude=()) -> list[tuple[str, str]]:
    from tourgraph.errors import InputError
    from tourgraph.queries import bind, stored_queries

    mix = []
    for name, stored in stored_queries(REPO / "queries").items():
        if name in exclude:
            continue
        try:
            mix.append((name, bind(stored, {}, project.base)))
        except InputError:
            continue
    return mix


def hammer(port: int, path: str, mix, clients: int, duration: float, warmup: float) -> dict:
    """Requests/s and latency percentiles of ``clients`` keep-alive clients cycling through ``mix``."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_at = time.monotonic() + warmup
    stop_at = start_at + duration
    targets = [path + "?" + urlencode({"query": q}) for _, q in mix]

    def client(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        turn = index
        while True:
            now = time.monotonic()
            if now >= stop_at:
                break
            target = targets[turn % len(targets)]
            turn += 1
            began = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok = False
            took = time.perf_counter() - began
            if now >= start_at:
                latencies[index].append(took)
                errors[index] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = sorted(x for xs in latencies for x in xs)
    count = len(flat)
    return {
        "requests": count,
        "errors": sum(errors),
        "rps": count / duration,
        "p50_ms": 1000 * statistics.median(flat) if flat else float("nan"),
        "p99_ms": 1000 * flat[min(count - 1, int(count * 0.99))] if flat else float("nan"),
    }


def row_counts(port: int, path: str, mix) -> dict[str, int]:
    counts = {}
    for name, query in mix:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", path + "?" + urlencode({"query": query}), headers={"Accept": "application/sparql-results+json"})
        counts[name] = len(json.loads(conn.getresponse().read())["results"]["bindings"])
        conn.close()
    return counts


def bench_one(label: str, project_dir: Path | None, data: Path | None, args) -> dict:
    project, checked = load_graph(project_dir, data)
    triples = len({q.triple for q in checked.graph.quads()})
    mix = query_mix(project, args.exclude)
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    processes = []
    try:
        dump = work / "dataset.nq"
        checked.graph.store.dump(str(dump), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
        subprocess.run(["oxigraph", "load", "--location", str(work / "oxigraph"), "--file", str(dump)], check=True, capture_output=True)
        ox_port, tg_port = free_port(), free_port()
        processes.append(subprocess.Popen(
            ["oxigraph", "serve", "--location", str(work / "oxigraph"), "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        processes.append(subprocess.Popen(
            [sys.executable, __file__, "--serve-tourgraph", str(project_dir or ""), str(data or ""), str(tg_port), str(args.workers)],
        ))
        wait_http(ox_port, "/query")
        wait_http(tg_port, "/sparql", limit=600)
        same = row_counts(tg_port, "/sparql", mix) == row_counts(ox_port, "/query", mix)
        results = {"label": label, "triples": triples, "queries": len(mix), "same_answers": same}
        results["oxigraph"] = hammer(ox_port, "/query", mix, args.clients, args.duration, args.warmup)
        results["tourgraph"] = hammer(tg_port, "/sparql", mix, args.clients, args.duration, args.warmup)
        results["ratio"] = results["tourgraph"]["rps"] / results["oxigraph"]["rps"]
        return results
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


def report(results: list[dict]) -> str:
    lines = [f"{'data':<18}{'triples':>9}  {'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"]
    for r in results:
        for server in ("tourgraph", "oxigraph"):
            m = r[server]
            lines.append(f"{r['label']:<18}{r['triples']:>9}  {server:<10}{m['rps']:>9.1f}{m['p50_ms']:>9.2f}{m['p99_ms']:>9.2f}{m['errors']:>8}")
        lines.append(f"{'':<18}{'':>9}  ratio tourgraph/oxigraph = {r['ratio']:.2f} ({r['queries']} queries; same row counts: {r['same_answers']})")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-tourgraph":
        project_dir, data, port, workers = sys.argv[2:6]
        serve_tourgraph(project_dir, data, int(port), int(workers))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, help="also bench a synthetic project of about this many triples")
    parser.add_argument("--project", type=Path, help="bench this project folder instead of the shipped one")
    parser.add_argument("--data", type=Path, help="bench this N-Quads file (with the repository's queries)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per server")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2, help="tourgraph query worker processes")
    parser.add_argument("--exclude", action="append", default=[], metavar="NAME", help="leave a stored query out of the mix (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    runs = []
    if args.data:
        runs.append((args.data.name, None, args.data))
    else:
        runs.append(((args.project or REPO).name if args.project else "shipped", args.project or REPO, None))
    scratch = None
    if args.triples:
        generator = REPO / "benchmarks" / "generate.py"
        if not generator.is_file():
            sys.exit("benchmarks/generate.py is missing: pass --project DIR or --data FILE.nq instead.")
        scratch = Path(tempfile.mkdtemp(prefix="serve-bench-project-"))
        subprocess.run([sys.executable, str(generator), "--triples", str(args.triples), "--out", str(scratch / "p"), "--force"], check=True, stdout=subprocess.DEVNULL)
        runs.append((f"synthetic-{args.triples // 1000}k", scratch / "p", None))
    try:
        results = [bench_one(label, project_dir, data, args) for label, project_dir, data in runs]
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
