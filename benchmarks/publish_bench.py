#!/usr/bin/env python3
"""`tourgraph publish` next to `curl -X PUT` of the same N-Triples file to the same store, and what
readers see while a graph is replaced.

    python benchmarks/publish_bench.py                                   # 100k and 1M, Oxigraph and Virtuoso
    python benchmarks/publish_bench.py --sizes 100k --stores oxigraph
    python benchmarks/publish_bench.py --atomicity --sizes 100k          # readers sampled during replacements
    python benchmarks/publish_bench.py --virtuoso-param TransactionAfterImageLimit=1500000000

Projects: benchmarks/data/validate-<size>/ (made by benchmarks/generate.py when missing). Each is
built once (`tourgraph build` under /usr/bin/time: the build's own peak RSS; its dist/graph.nt is
what curl sends), kept under benchmarks/data/publish-<size>/. Each store starts afresh on 127.0.0.1
(tests/triplestores.py: `oxigraph serve` with its default flags; Virtuoso 7 with a virtuoso.ini of its
own, NumberOfBuffers for the size, a user granted SPARQL_UPDATE), then, replacing one graph that
already holds the same triples:

  curl      curl -X PUT -T graph.nt (Virtuoso: --digest), the graph's first load, then a replacement
  publish   tourgraph publish in a fresh process (library calls, so the phases are timed apart):
            validation (public_graph), then publish(checked=…): body counted, probe, upload, switch;
            peak RSS (VmHWM) after validation and at the end
  cli       `tourgraph publish --endpoint …` under /usr/bin/time -v: wall time and peak RSS

With --atomicity, a reader thread counts the graph's triples as fast as the store answers while it
is replaced by a version of another size (the graph of the other size in --sizes, or 70 % of it):
curl PUT, tourgraph publish, and on Virtuoso a bare SPARQL COPY and MOVE between two graphs. Every
distinct count seen is printed in order: only the old and the new count means the readers saw the
graph replaced at once.

Results go to benchmarks/results/publish-<time>.json and .md (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"
RESULTS = REPO / "benchmarks" / "results"
sys.path.insert(0, str(REPO / "tests"))

from triplestores import Oxigraph, Virtuoso  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
USER, PASSWORD = "bench", "bench-password"
GRAPH = "https://tourgraph.example/graph/published"

PHASES = r"""
import json, logging, sys, time
steps = []
class Steps(logging.Handler):
    def emit(self, record):
        steps.append([round(time.monotonic() - started, 2), record.getMessage()[:160]])
logging.getLogger("httpx").addHandler(Steps())
logging.getLogger("httpx").setLevel(logging.INFO)
from tourgraph.build import batch_memory, public_graph
from tourgraph.project import open_project
from tourgraph.publish import publish
from tourgraph.stores import Store
def hwm():
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024
project = open_project(sys.argv[1])
started = time.monotonic()
with batch_memory():
    checked = public_graph(project)
validated = time.monotonic()
after_validation = hwm()
result = publish(project, Store(endpoint=sys.argv[2], replace=sys.argv[4]), sys.argv[3], checked=checked)
done = time.monotonic()
print(json.dumps({"validate_s": validated - started, "publish_s": done - validated, "total_s": done - started,
                  "hwm_after_validation_mb": after_validation, "hwm_mb": hwm(), "triples": result.triples,
                  "method": result.method, "tries": result.tries, "steps": steps}))
"""


def timed_rss(command: list[str], env=None) -> dict:
    """Wall time, peak RSS (MB) and exit code of a command under /usr/bin/time -v."""
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {"wall_s": wall, "rss_mb": int(match.group(1)) // 1024 if match else None, "exit": done.returncode,
            "stdout": done.stdout.strip()[-600:], "stderr": done.stderr.split("\tCommand being timed")[0].strip()[-600:]}


def project_for(size: str) -> Path:
    project = DATA / f"validate-{size}"
    if not (project / "tourgraph.toml").exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(SIZES[size]), "--out", str(project)], check=True)
    return project


def built(size: str, project: Path) -> tuple[Path, dict]:
    """The project's build (dist/graph.nt), made once; the build's own wall time and peak RSS."""
    folder = DATA / f"publish-{size}"
    record = folder / "build.json"
    if record.exists() and (folder / "dist" / "graph.nt").exists():
        return folder / "dist" / "graph.nt", json.loads(record.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    figures = timed_rss(["tourgraph", "build", "--project", str(project), "--out", str(folder / "dist")])
    if figures["exit"] != 0:
        raise RuntimeError(f"tourgraph build failed: {figures['stderr']}")
    record.write_text(json.dumps(figures))
    return folder / "dist" / "graph.nt", figures


class Running:
    """One store for one size: the server, the Graph Store URL, curl's authentication options."""

    def __init__(self, kind: str, folder: Path, triples: int, parameters: dict):
        self.kind = kind
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "oxigraph":
            self.server = Oxigraph(folder / "oxigraph")
            self.server.start()
            self.curl_auth: list[str] = []
            self.env = {}
        else:
            buffers = max(20_000, min(340_000, triples // 6))
            self.server = Virtuoso(folder / "virtuoso", buffers=buffers, parameters=parameters)
            self.server.start()
            self.server.add_user(USER, PASSWORD)
            self.curl_auth = ["--digest", "-u", f"{USER}:{PASSWORD}"]
            self.env = {"TOURGRAPH_USER": USER, "TOURGRAPH_PASSWORD": PASSWORD}
        self.store_url = self.server.store_url

    def curl_put(self, path: Path, graph: str) -> dict:
        started = time.monotonic()
        done = subprocess.run(
            ["curl", "-sS", "--max-time", "1800", "-o", "/dev/null", "-w", "%{http_code}", *self.curl_auth, "-X", "PUT",
             "-H", "Content-Type: application/n-triples", "-T", str(path), f"{self.store_url}?graph={graph}"],
            capture_output=True, text=True,
        )
        return {"wall_s": time.monotonic() - started, "status": done.stdout.strip(), "error": done.stderr.strip()[:300]}

    def count(self, graph: str) -> int:
        return self.server.count(graph)

    def stop(self):
        self.server.stop()


def run_phases(project: Path, store: Running, graph: str, replace: str) -> dict:
    env = {**os.environ, **store.env}
    done = subprocess.run([sys.executable, "-c", PHASES, str(project), store.store_url, graph, replace], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:400]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: str, kind: str, parameters: dict, workdir: Path) -> dict:
    project = project_for(size)
    graph_nt, build = built(size, project)
    triples = sum(1 for _ in graph_nt.open("rb"))
    print(f"[{size} {kind}] build {build['wall_s']:.1f} s, {build['rss_mb']} MB; {triples} triples, {graph_nt.stat().st_size >> 20} MB of N-Triples", flush=True)
    store = Running(kind, workdir / f"{kind}-{size}", triples, parameters)
    try:
        first = store.curl_put(graph_nt, GRAPH)
        time.sleep(2)
        replaced = store.curl_put(graph_nt, GRAPH)
        time.sleep(2)
        counted = store.count(GRAPH)
        print(f"[{size} {kind}] curl: first load {first['wall_s']:.1f} s ({first['status']}), replacement {replaced['wall_s']:.1f} s ({replaced['status']}), graph holds {counted}", flush=True)
        phases = run_phases(project, store, GRAPH, "auto")
        print(f"[{size} {kind}] publish: {phases}", flush=True)
        again = run_phases(project, store, GRAPH, "auto")
        print(f"[{size} {kind}] publish again: {again}", flush=True)
        put = run_phases(project, store, GRAPH, "put") if kind == "virtuoso" else None
        if put:
            print(f"[{size} {kind}] publish --replace put: {put}", flush=True)
        cli = timed_rss(["tourgraph", "publish", "--project", str(project), "--endpoint", store.store_url, "--graph", GRAPH],
                        env={**os.environ, **store.env})
        print(f"[{size} {kind}] cli: {cli['wall_s']:.1f} s, {cli['rss_mb']} MB, exit {cli['exit']}: {cli['stdout'] or cli['stderr']}", flush=True)
        after = store.count(GRAPH)
    finally:
        store.stop()
    upload = min((p["publish_s"] for p in (phases, again) if "publish_s" in p), default=None)
    return {
        "size": size, "store": kind, "triples": triples, "ntriples_mb": graph_nt.stat().st_size / 2**20,
        "build": {k: build[k] for k in ("wall_s", "rss_mb")}, "curl_first": first, "curl_replace": replaced,
        "publish": phases, "publish_again": again, "publish_put": put, "cli": {k: cli[k] for k in ("wall_s", "rss_mb", "exit", "stdout", "stderr")},
        "count_after": after,
        "upload_vs_curl": upload / replaced["wall_s"] if upload and replaced["wall_s"] else None,
        "parameters": parameters,
    }


def sampling(store: Running, graph: str, action) -> tuple[dict, list]:
    """Run ``action`` while a reader counts ``graph``; the distinct counts in the order seen."""
    seen: list = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                value = store.count(graph)
            except (httpx.HTTPError, AssertionError, KeyError) as exc:
                value = f"error: {type(exc).__name__}"
            if not seen or seen[-1][0] != value:
                seen.append([value, 1])
            else:
                seen[-1][1] += 1

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    started = time.monotonic()
    outcome = action()
    elapsed = time.monotonic() - started
    time.sleep(0.5)
    stop.set()
    reader.join(120)
    return {"wall_s": elapsed, "outcome": outcome}, seen


def atomicity(sizes: list[str], kinds: list[str], parameters: dict, workdir: Path) -> list[dict]:
    """What readers count while a graph of one size is replaced by one of another size."""
    size = sizes[-1]
    project = project_for(size)
    graph_nt, _ = built(size, project)
    lines = graph_nt.read_bytes().splitlines(keepends=True)
    smaller = workdir / "smaller.nt"
    smaller.write_bytes(b"".join(lines[: len(lines) * 7 // 10]))
    rows = []
    for kind in kinds:
        store = Running(kind, workdir / f"atomicity-{kind}", len(lines), parameters)
        try:
            def report(label, action, graph=GRAPH):
                figures, seen = sampling(store, graph, action)
                print(f"[atomicity {kind} {size}] {label}: {figures['wall_s']:.1f} s, {figures['outcome']}; counts seen {seen}", flush=True)
                rows.append({"store": kind, "size": size, "case": label, **figures, "seen": seen})

            store.curl_put(smaller, GRAPH)
            report(f"curl PUT {len(lines)} over {len(lines) * 7 // 10}", lambda: store.curl_put(graph_nt, GRAPH))
            store.curl_put(smaller, GRAPH)
            report(f"tourgraph publish {len(lines)} over {len(lines) * 7 // 10}", lambda: run_phases(project, store, GRAPH, "auto"))
            if kind == "virtuoso":
                update = lambda text: _update(store, text)
                for verb in ("COPY", "MOVE"):
                    store.curl_put(smaller, GRAPH)
                    store.curl_put(graph_nt, GRAPH + "-bench-source")
                    report(f"SPARQL {verb} {len(lines)} over {len(lines) * 7 // 10}", lambda: update(f"{verb} <{GRAPH}-bench-source> TO <{GRAPH}>"))
                    update(f"DROP SILENT GRAPH <{GRAPH}-bench-source>")
                store.curl_put(graph_nt, GRAPH)
                spoiled = workdir / "spoiled.nt"
                spoiled.write_bytes(b"".join(lines[: len(lines) * 7 // 10]) + b"<urn:x:s> <urn:x:p> \"unterminated .\n")
                report(f"curl PUT of {len(lines) * 7 // 10} lines then a bad one, over {len(lines)}", lambda: store.curl_put(spoiled, GRAPH))
        finally:
            store.stop()
    return rows


def _update(store: Running, text: str) -> str:
    try:
        response = httpx.post(store.server.update_url, data={"update": text}, auth=httpx.DigestAuth(USER, PASSWORD), timeout=1800)
    except httpx.HTTPError as exc:
        return f"no answer: {type(exc).__name__}"
    from tourgraph.storehttp import reason

    return f"HTTP {response.status_code}" + ("" if response.status_code < 300 else f" {reason(response)}")


def markdown(rows: list[dict], atoms: list[dict]) -> str:
    out = ["| size | store | triples | build | curl PUT (replace) | publish: validate | publish: upload (best of 2) | upload / curl | --replace put | peak RSS after validation → end | CLI wall, RSS |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        p = r["publish"]
        ratio = f"{r['upload_vs_curl']:.2f}" if r["upload_vs_curl"] else "—"
        best = min((x for x in (p, r["publish_again"]) if "publish_s" in x), key=lambda x: x["publish_s"], default=p)
        put = r["publish_put"]
        put_cell = f"{put['publish_s']:.1f} s ({put['publish_s'] / r['curl_replace']['wall_s']:.2f}×)" if put and "publish_s" in put else "—"
        out.append(
            f"| {r['size']} | {r['store']} | {r['triples']} | {r['build']['wall_s']:.1f} s, {r['build']['rss_mb']} MB | "
            f"{r['curl_replace']['wall_s']:.1f} s ({r['curl_replace']['status']}) | {p.get('validate_s', 0):.1f} s | "
            f"{best.get('publish_s', 0):.1f} s ({best.get('method', best.get('error', ''))}) | {ratio} | {put_cell} | "
            f"{p.get('hwm_after_validation_mb', '—')} → {p.get('hwm_mb', '—')} MB | {r['cli']['wall_s']:.1f} s, {r['cli']['rss_mb']} MB (exit {r['cli']['exit']}) |"
        )
    if atoms:
        out += ["", "| store | case | time | outcome | counts seen (value × samples, in order) |", "| --- | --- | --- | --- | --- |"]
        for a in atoms:
            seen = " → ".join(f"{value} ×{n}" for value, n in a["seen"])
            out.append(f"| {a['store']} | {a['case']} | {a['wall_s']:.1f} s | {str(a['outcome'])[:120]} | {seen} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--stores", default="oxigraph,virtuoso")
    parser.add_argument("--atomicity", action="store_true", help="sample readers during replacements instead of timing")
    parser.add_argument("--virtuoso-param", action="append", default=[], metavar="KEY=VALUE", help="added to virtuoso.ini [Parameters]")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    kinds = [s.strip() for s in args.stores.split(",") if s.strip()]
    parameters = dict(item.split("=", 1) for item in args.virtuoso_param)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        workdir = Path(tmp)
        rows = [] if args.atomicity else [measure(size, kind, parameters, workdir) for size in sizes for kind in kinds]
        atoms = atomicity(sizes, kinds, parameters, workdir) if args.atomicity else []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"publish-{stamp}.json").write_text(json.dumps({"rows": rows, "atomicity": atoms}, indent=1))
    table = markdown(rows, atoms)
    (RESULTS / f"publish-{stamp}.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
