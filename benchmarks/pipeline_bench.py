#!/usr/bin/env python3
"""Time the tourgraph pipeline at several sizes, side by side with "the plain way" (rdflib + pyshacl).

    python benchmarks/pipeline_bench.py                       # 10k and 100k triples
    python benchmarks/pipeline_bench.py --sizes 10k,100k,1M   # and one million
    python benchmarks/pipeline_bench.py --sizes 1M --plain-max 0 --no-steps   # build only, no plain way

For each size a project is generated once (benchmarks/generate.py) under --data-dir (default
benchmarks/data/, git-ignored) and reused while its seed and size match. Then, each in a fresh Python
process so that timings and peak memory do not leak from one to the other:

* ours, step by step (tourgraph's library functions): load, materialise, load_shapes, validate, each
  exporter, each stored query (queries/*.rq, parameters at their defaults, tourgraph.queries.run_local);
* ``tourgraph build`` as a subprocess, under /usr/bin/time -v (wall time and peak RSS); then (unless
  --no-on-demand) the same of a copy with ``[site] static = false`` (entity pages left to ``tourgraph
  serve``, the default of a new project); then (unless --no-incremental) one data file of a copy changed, ``tourgraph build`` of the copy into the same
  folder (a static build takes the files the change leaves alone) and a full build of the copy into
  a new folder, compared byte for byte;
* the plain way (skipped above --plain-max triples): rdflib parse of every file into one Graph,
  materialisation by a SPARQL Update, pyshacl.validate with the same shapes (its own SHACL-SPARQL),
  rdflib SPARQL of the stored queries (skipped above --plain-query-max; each capped by
  --query-timeout), rdflib serialisation to Turtle, N-Triples and JSON-LD. Each step is capped by
  --step-timeout and reported as "> N s" when it runs out.

It also times ``python -c "import rdflib, pyshacl"`` against ``tourgraph build`` of the shipped
project (best of --repeat runs each, after a warm-up run, with PYTHONDONTWRITEBYTECODE unset so that
both sides run compiled files as on a user's machine). Prints a Markdown table and writes the results as JSON to
benchmarks/results/ (git-ignored). Exit code 0 whatever the figures; the targets are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 2026

# Issue "Speed at scale: a 1M-triple build in 30 s, incremental rebuilds, …".
TARGETS = {
    "build_1m_seconds": 30.0,
    "build_1m_peak_rss_gb": 2.0,
    "speedup_vs_plain": 4.0,
    "shipped_build_vs_import_ratio": 2.0,
    "incremental_vs_full_ratio": 0.05,
}


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 100k, 1M)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])


def label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


# ---------------------------------------------------------------- workers (run in a child process)


class StepTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise StepTimeout()


CPU: dict = {}  # step -> CPU seconds of this process (user + system), robust to a busy machine


def timed(record: dict, name: str, fn, timeout: float | None = None):
    """Run fn(), store its wall time (or "> timeout") under record[name]; returns fn's value or None.
    The step's CPU time goes to CPU[name]."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    cpu = time.process_time()
    try:
        value = fn()
        record[name] = round(time.perf_counter() - start, 3)
        CPU[name] = round(time.process_time() - cpu, 3)
        return value
    except StepTimeout:
        record[name] = f"> {timeout:g} s"
        return None
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def worker_ours(project_dir: Path, with_queries: bool) -> dict:
    start = time.perf_counter()
    from tourgraph.export import BuildContext, exporters
    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project
    from tourgraph.queries import bind, run_local, stored_queries
    from tourgraph.validate import load_shapes, validate

    out: dict = {"steps": {}, "queries": {}, "exporters": {}}
    steps = out["steps"]
    steps["import"] = round(time.perf_counter() - start, 3)
    project = open_project(project_dir)
    kg = timed(steps, "load", lambda: load(project))
    out["loaded_quads"] = len(kg)
    kg = timed(steps, "materialise", lambda: materialise(kg))
    out["materialised_quads"] = len(kg)
    shapes = timed(steps, "load_shapes", lambda: load_shapes(project))
    report = timed(steps, "validate", lambda: validate(kg, shapes))
    out["conforms"] = report.conforms
    out["violations"] = report.violation_count
    out["warnings"] = report.warning_count
    try:
        from tourgraph import privacy

        public = timed(steps, "privacy", lambda: privacy.publishable(kg))
    except ImportError:
        public = kg
    with tempfile.TemporaryDirectory(prefix="tgbench-export-") as tmp:
        ctx = BuildContext(project=project, graph=public, out=Path(tmp))
        for exporter in exporters():
            timed(out["exporters"], exporter.__name__.rsplit(".", 1)[-1], lambda: exporter.write(ctx))
    steps["exporters"] = round(sum(v for v in out["exporters"].values() if isinstance(v, float)), 3)
    if with_queries:
        for name, query in stored_queries(project.folder("queries")).items():
            record: dict = {}
            table = timed(record, "seconds", lambda: run_local(kg, bind(query, {}, project.base), name))
            record["rows"] = len(table.rows)
            out["queries"][name] = record
    out["peak_rss_mb"] = peak_rss_mb()
    out["cpu"] = CPU
    return out


_MATERIALISE_PLAIN = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
INSERT { ?s ?super ?o } WHERE { ?p rdfs:subPropertyOf+ ?super . FILTER(isIRI(?super)) ?s ?p ?o } ;
INSERT { ?s rdf:type ?super } WHERE { ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) ?s rdf:type ?c }
"""


def worker_plain(project_dir: Path, step_timeout: float, with_queries: bool, query_timeout: float) -> dict:
    start = time.perf_counter()
    import pyshacl
    import rdflib

    out: dict = {"steps": {}, "queries": {}}
    steps = out["steps"]
    steps["import"] = round(time.perf_counter() - start, 3)
    from tourgraph.project import open_project
    from tourgraph.queries import bind, stored_queries

    project = open_project(project_dir)
    files = project.rdf_files("ontology") + project.rdf_files("data")
    shape_files = project.rdf_files("shapes")
    graph = rdflib.Graph()

    def parse():
        for path in files:
            graph.parse(path, format="turtle", publicID=project.base)
        return graph

    if timed(steps, "parse", parse, step_timeout) is None:
        out["peak_rss_mb"] = peak_rss_mb()
        out["cpu"] = CPU
        return out
    out["loaded_triples"] = len(graph)
    timed(steps, "materialise", lambda: graph.update(_MATERIALISE_PLAIN), step_timeout)
    out["materialised_triples"] = len(graph)
    shapes = rdflib.Graph()
    for path in shape_files:
        shapes.parse(path, format="turtle", publicID=project.base)
    result = timed(steps, "validate", lambda: pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                                               allow_warnings=True), step_timeout)
    if result is not None:
        out["conforms"] = bool(result[0])
    if with_queries:
        for name, query in stored_queries(project.folder("queries")).items():
            record: dict = {}
            rows = timed(record, "seconds", lambda: list(graph.query(bind(query, {}, project.base))), query_timeout)
            if rows is not None:
                record["rows"] = len(rows)
            out["queries"][name] = record
    for fmt, key in (("turtle", "serialise_turtle"), ("nt", "serialise_ntriples"), ("json-ld", "serialise_jsonld")):
        timed(steps, key, lambda: graph.serialize(format=fmt, encoding="utf-8"), step_timeout)
    out["peak_rss_mb"] = peak_rss_mb()
    out["cpu"] = CPU
    return out


# ---------------------------------------------------------------- driver


def run_worker(kind: str, project: Path, args, with_queries: bool, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--project", str(project),
           "--step-timeout", str(args.step_timeout), "--query-timeout", str(args.query_timeout)]
    if not with_queries:
        cmd.append("--no-queries")
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"worker exceeded {timeout:g} s"}
    wall = round(time.perf_counter() - start, 3)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["exit code %d" % proc.returncode])[-1], "wall": wall}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def time_v(cmd: list[str], timeout: float | None = None, env: dict | None = None) -> dict:
    """Wall time, peak RSS and exit code of a command, via /usr/bin/time -v when there is one."""
    use_time = Path("/usr/bin/time").exists()
    full = ["/usr/bin/time", "-v", *cmd] if use_time else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    try:
        proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"wall": f"> {timeout:g} s", "exit": None}
    wall = round(time.perf_counter() - start, 3)
    result = {"wall": wall, "exit": proc.returncode}
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr) if use_time else None
    if match:
        result["peak_rss_mb"] = round(int(match.group(1)) / 1024, 1)
        cpu = [re.search(rf"{kind} time \(seconds\): ([0-9.]+)", proc.stderr) for kind in ("User", "System")]
        if all(cpu):
            result["cpu"] = round(sum(float(m.group(1)) for m in cpu), 2)
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result["peak_rss_mb"] = round(after / 1024, 1) if after > before else None
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if not l.startswith("\t") and "Command being timed" not in l]
        result["stderr"] = "\n".join(lines[-5:])
    return result


def tourgraph_cmd() -> list[str]:
    exe = shutil.which("tourgraph")
    return [exe] if exe else [sys.executable, "-m", "tourgraph.cli"]


def ensure_project(size: int, data_dir: Path, regenerate: bool) -> tuple[Path, dict]:
    sys.path.insert(0, str(HERE))
    import generate

    folder = data_dir / f"bench-{label(size)}"
    marker = folder / ".generated.json"
    if not regenerate and marker.is_file():
        summary = json.loads(marker.read_text())
        if summary.get("requested") == size and summary.get("seed") == SEED:
            return folder, summary
    start = time.perf_counter()
    if size == 0:
        summary = generate.generate(folder, None, 0, SEED, force=True)
    else:
        summary = generate.generate(folder, size, None, SEED, force=True)
    summary["requested"] = size
    summary["generate_seconds"] = round(time.perf_counter() - start, 2)
    marker.write_text(json.dumps(summary))
    return folder, summary


def changed_copy(project: Path, into: Path) -> Path:
    """A copy of ``project`` with one data file changed: a person of the middle synthetic tour renamed."""
    copy = into / "project"
    shutil.copytree(project, copy)
    tours = sorted((copy / "data" / "tours").glob("synthetic-*"))
    people = (tours[len(tours) // 2] if tours else copy / "data" / "tours" / "2026-hauts-de-france") / "people.ttl"
    text = people.read_text(encoding="utf-8")
    changed = re.sub(r'schema:name "([^"]*)"', lambda m: f'schema:name "{m.group(1)} Jr."', text, count=1)
    if changed == text:
        raise SystemExit(f"{people}: no schema:name to change")
    people.write_text(changed, encoding="utf-8")
    return copy


def same_files(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    def listing(root: Path) -> dict:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    left, right = listing(a), listing(b)
    return left.keys() == right.keys() and all(left[k].read_bytes() == right[k].read_bytes() for k in left)


def incremental(project: Path, tmp: str, timeout: float) -> dict:
    """``tourgraph build`` into the folder of the previous build (``{tmp}/dist``, of ``project``) after
    one data file changed, then a full build of the changed project into a new folder: their times,
    and whether the two folders are byte-identical."""
    copy = changed_copy(project, Path(tmp))
    again = time_v([*tourgraph_cmd(), "build", "--project", str(copy), "--out", f"{tmp}/dist"], timeout)
    full = time_v([*tourgraph_cmd(), "build", "--full", "--project", str(copy), "--out", f"{tmp}/full"], timeout)
    result = {"incremental": again, "full": full, "identical": same_files(Path(tmp) / "dist", Path(tmp) / "full")}
    if isinstance(again["wall"], float) and isinstance(full["wall"], float):
        result["ratio"] = round(again["wall"] / full["wall"], 3)
    return result


def on_demand_copy(project: Path, into: Path) -> Path:
    """A copy of ``project`` whose build leaves the entity pages to ``tourgraph serve`` (``[site] static = false``)."""
    copy = into / "on-demand"
    shutil.copytree(project, copy)
    config = copy / "tourgraph.toml"
    text = config.read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^static = true$", "static = false", text)
    if changed == text:
        raise SystemExit(f"{config}: no 'static = true' to change")
    config.write_text(changed, encoding="utf-8")
    return copy


def with_compile_caches() -> dict:
    """The environment of a user's shell: Python and Jinja keep what they compile (this machine's
    PYTHONDONTWRITEBYTECODE=1 would make every run compile tourgraph's modules and templates again,
    while the libraries pip installed were compiled at their installation)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def best_of(n: int, cmd: list[str], env: dict | None = None) -> dict:
    time_v(cmd, env=env)  # warm-up: the compiled files and the disk cache, as after a first run
    runs = [time_v(cmd, env=env) for _ in range(n)]
    ok = [r for r in runs if r["exit"] == 0]
    best = min(ok or runs, key=lambda r: r["wall"] if isinstance(r["wall"], float) else float("inf"))
    best["runs"] = [r["wall"] for r in runs]
    return best


def seconds(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def plain_build_total(plain: dict) -> float | str | None:
    steps = plain.get("steps", {})
    keys = ("import", "parse", "materialise", "validate", "serialise_turtle", "serialise_ntriples", "serialise_jsonld")
    values = [steps.get(k) for k in keys]
    if any(v is None for v in values):
        return None
    if any(isinstance(v, str) for v in values):
        return "> " + f"{sum(float(re.sub(r'[^0-9.]', '', str(v))) for v in values):.0f} s"
    return round(sum(values), 3)


def markdown(results: dict) -> str:
    sizes = results["sizes"]
    cols = [label(s["requested"]) for s in sizes]
    lines = ["| step | " + " | ".join(f"{c} ours | {c} plain" for c in cols) + " |",
             "|---|" + "---|---|" * len(cols)]

    def row(name, ours_get, plain_get):
        cells = []
        for s in sizes:
            cells += [seconds(ours_get(s)), seconds(plain_get(s))]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    g = lambda *path: (lambda s: _dig(s, *path))
    row("triples loaded (materialised)", lambda s: f"{_dig(s, 'ours', 'loaded_quads')} ({_dig(s, 'ours', 'materialised_quads')})",
        lambda s: f"{_dig(s, 'plain', 'loaded_triples')} ({_dig(s, 'plain', 'materialised_triples')})" if _dig(s, 'plain', 'loaded_triples') else "–")
    row("files", lambda s: s["project"]["files"], lambda s: "")
    row("import", g("ours", "steps", "import"), g("plain", "steps", "import"))
    row("load / parse (s)", g("ours", "steps", "load"), g("plain", "steps", "parse"))
    row("materialise (s)", g("ours", "steps", "materialise"), g("plain", "steps", "materialise"))
    row("validate (s)", g("ours", "steps", "validate"), g("plain", "steps", "validate"))
    row("  validate CPU (s)", g("ours", "cpu", "validate"), g("plain", "cpu", "validate"))
    row("privacy check (s)", g("ours", "steps", "privacy"), lambda s: "")
    row("exporters (s) / serialise ttl", g("ours", "steps", "exporters"), g("plain", "steps", "serialise_turtle"))
    row("  serialise nt (plain)", lambda s: "", g("plain", "steps", "serialise_ntriples"))
    row("  serialise json-ld (plain)", lambda s: "", g("plain", "steps", "serialise_jsonld"))
    names = sorted({n for s in sizes for n in list(_dig(s, "ours", "queries") or {}) + list(_dig(s, "plain", "queries") or {})})
    for name in names:
        row(f"query {name} (s)", g("ours", "queries", name, "seconds"), g("plain", "queries", name, "seconds"))
    row("worker peak RSS (MB)", g("ours", "peak_rss_mb"), g("plain", "peak_rss_mb"))
    row("**tourgraph build** wall (s) / plain total", g("build", "wall"), lambda s: plain_build_total(s.get("plain", {})))
    row("tourgraph build CPU user+sys (s)", g("build", "cpu"), lambda s: "")
    row("tourgraph build peak RSS (MB)", g("build", "peak_rss_mb"), lambda s: "")
    row("tourgraph build, pages on demand (`static = false`) wall (s)", g("build_on_demand", "wall"), lambda s: "")
    row("  CPU user+sys (s), peak RSS (MB)", lambda s: f"{_dig(s, 'build_on_demand', 'cpu')}, {_dig(s, 'build_on_demand', 'peak_rss_mb')}" if s.get("build_on_demand") else None, lambda s: "")
    row("one file changed: build into the previous (s)", g("incremental", "incremental", "wall"), lambda s: "")
    row("one file changed: full build (s)", g("incremental", "full", "wall"), lambda s: "")
    row("  ratio (target <= 0.05), byte-identical", lambda s: f"{_dig(s, 'incremental', 'ratio')}, {_dig(s, 'incremental', 'identical')}" if s.get("incremental") else None, lambda s: "")
    lines.append("")
    for s in sizes:
        for name, exps in [("exporters", _dig(s, "ours", "exporters"))]:
            if exps:
                lines.append(f"{label(s['requested'])} exporters: " + ", ".join(f"{k} {seconds(v)} s" for k, v in exps.items()))
    imp = results.get("import_vs_build")
    if imp:
        lines.append("")
        lines.append(f"`python -c \"import rdflib, pyshacl\"`: {seconds(imp['import']['wall'])} s; "
                     f"`tourgraph build` of the shipped project: {seconds(imp['build']['wall'])} s "
                     f"(ratio {imp['ratio']}, target <= {TARGETS['shipped_build_vs_import_ratio']})")
    lines.append("")
    lines += [f"- {t['target']}: {t['measured']} → **{t['verdict']}**" for t in results.get("targets", [])]
    return "\n".join(lines)


def _dig(d, *path):
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def check_targets(results: dict) -> list[dict]:
    out = []
    by_size = {s["requested"]: s for s in results["sizes"]}
    one_m = by_size.get(1_000_000)
    for key, what in (("build", "static build"), ("build_on_demand", "build with pages on demand")):
        if not one_m or key not in one_m:
            continue
        wall = _dig(one_m, key, "wall")
        ok = isinstance(wall, float) and _dig(one_m, key, "exit") == 0
        out.append({"target": f"{what} of 1M triples <= {TARGETS['build_1m_seconds']:g} s", "measured": f"{seconds(wall)} s (exit {_dig(one_m, key, 'exit')})",
                    "verdict": "met" if ok and wall <= TARGETS["build_1m_seconds"] else "MISSED"})
        rss = _dig(one_m, key, "peak_rss_mb")
        out.append({"target": f"{what} of 1M triples <= {TARGETS['build_1m_peak_rss_gb']:g} GB peak RSS", "measured": f"{rss} MB",
                    "verdict": "met" if rss and rss <= TARGETS["build_1m_peak_rss_gb"] * 1024 else "MISSED"})
    for s in results["sizes"]:
        plain = plain_build_total(s.get("plain", {}))
        wall = _dig(s, "build", "wall")
        if plain is None or not isinstance(wall, float):
            continue
        if isinstance(plain, str):
            lower = float(re.sub(r"[^0-9.]", "", plain))
            ratio = f"> {lower / wall:.1f}x"
            ok = lower / wall >= TARGETS["speedup_vs_plain"]
        else:
            ratio = f"{plain / wall:.1f}x"
            ok = plain / wall >= TARGETS["speedup_vs_plain"]
        out.append({"target": f"build at {label(s['requested'])} >= {TARGETS['speedup_vs_plain']:g}x faster than the plain way",
                    "measured": f"plain {seconds(plain)}{'' if isinstance(plain, str) else ' s'} / build {seconds(wall)} s = {ratio}", "verdict": "met" if ok else "MISSED"})
    for s in results["sizes"]:
        inc = s.get("incremental")
        if inc and inc.get("ratio") is not None:
            out.append({"target": f"build at {label(s['requested'])} after one changed file <= {TARGETS['incremental_vs_full_ratio']:g} of a full build, byte-identical",
                        "measured": f"{inc['ratio']} ({seconds(inc['incremental']['wall'])} s / {seconds(inc['full']['wall'])} s), identical: {inc['identical']}",
                        "verdict": "met" if inc["identical"] and inc["ratio"] <= TARGETS["incremental_vs_full_ratio"] else "MISSED"})
    imp = results.get("import_vs_build")
    if imp and imp.get("ratio") is not None:
        out.append({"target": f"build of the shipped project <= {TARGETS['shipped_build_vs_import_ratio']}x `import rdflib, pyshacl`",
                    "measured": f"{imp['ratio']}x", "verdict": "met" if imp["ratio"] <= TARGETS["shipped_build_vs_import_ratio"] else "MISSED"})
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated triple counts (10k,100k,1M)")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data", help="where generated projects go")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    parser.add_argument("--regenerate", action="store_true", help="regenerate projects even if present")
    parser.add_argument("--plain-max", type=parse_size, default=parse_size("1M"), help="skip the plain way above this size")
    parser.add_argument("--plain-query-max", type=parse_size, default=parse_size("100k"), help="skip plain-way queries above this size")
    parser.add_argument("--step-timeout", type=float, default=900, help="cap per plain-way step (s)")
    parser.add_argument("--query-timeout", type=float, default=60, help="cap per plain-way query (s)")
    parser.add_argument("--build-timeout", type=float, default=3600)
    parser.add_argument("--no-steps", action="store_true", help="skip the step-by-step run of ours (build only)")
    parser.add_argument("--no-import-check", action="store_true", help="skip import-vs-build of the shipped project")
    parser.add_argument("--no-incremental", action="store_true", help="skip the build after one changed file")
    parser.add_argument("--no-on-demand", action="store_true", help="skip the build of the project with static = false")
    parser.add_argument("--tmp", type=Path, default=None, help="where the builds go (default: the system's temporary folder)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the import/shipped-build comparison (best is kept)")
    # worker mode (internal)
    parser.add_argument("--worker", choices=["ours", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        if args.worker == "ours":
            result = worker_ours(args.project, not args.no_queries)
        else:
            result = worker_plain(args.project, args.step_timeout, not args.no_queries, args.query_timeout)
        print(json.dumps(result))
        return 0

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    results: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "loadavg_start": os.getloadavg()},
        "versions": {},
        "sizes": [],
        "targets_defined": TARGETS,
    }
    for module in ("pyoxigraph", "rdflib", "pyshacl"):
        try:
            results["versions"][module] = __import__(module).__version__
        except Exception:  # noqa: BLE001 - informative only
            pass
    args.data_dir.mkdir(parents=True, exist_ok=True)

    if not args.no_import_check:
        shipped, _ = ensure_project(0, args.data_dir, args.regenerate)
        with tempfile.TemporaryDirectory(prefix="tgbench-") as tmp:
            env = with_compile_caches()
            imp = best_of(args.repeat, [sys.executable, "-c", "import rdflib, pyshacl"], env)
            build = best_of(args.repeat, [*tourgraph_cmd(), "build", "--project", str(shipped), "--out", f"{tmp}/dist"], env)
        ratio = round(build["wall"] / imp["wall"], 2) if isinstance(build["wall"], float) and build["exit"] == 0 else None
        results["import_vs_build"] = {"import": imp, "build": build, "ratio": ratio}
        print(f"import rdflib, pyshacl: {imp['wall']} s; tourgraph build (shipped): {build['wall']} s (exit {build['exit']})", file=sys.stderr)

    for size in sizes:
        project, summary = ensure_project(size, args.data_dir, args.regenerate)
        entry: dict = {"requested": size, "project": summary}
        print(f"[{label(size)}] {summary['triples']} triples in {summary['files']} files at {project}", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="tgbench-", dir=args.tmp) as tmp:
            entry["build"] = time_v([*tourgraph_cmd(), "build", "--project", str(project), "--out", f"{tmp}/dist"], args.build_timeout)
            print(f"[{label(size)}] build: {entry['build']}", file=sys.stderr)
            if not args.no_on_demand:
                copy = on_demand_copy(project, Path(tmp))
                entry["build_on_demand"] = time_v([*tourgraph_cmd(), "build", "--project", str(copy), "--out", f"{tmp}/on-demand-dist"], args.build_timeout)
                print(f"[{label(size)}] build, pages on demand: {entry['build_on_demand']}", file=sys.stderr)
                shutil.rmtree(Path(tmp) / "on-demand-dist", ignore_errors=True)
            if not args.no_incremental and entry["build"]["exit"] == 0:
                entry["incremental"] = incremental(project, tmp, args.build_timeout)
                print(f"[{label(size)}] one file changed: {entry['incremental']}", file=sys.stderr)
        if not args.no_steps:
            entry["ours"] = run_worker("ours", project, args, True, args.build_timeout)
            print(f"[{label(size)}] ours: {entry['ours'].get('steps')}", file=sys.stderr)
        if size <= args.plain_max:
            entry["plain"] = run_worker("plain", project, args, size <= args.plain_query_max, args.build_timeout * 3)
            print(f"[{label(size)}] plain: {entry['plain'].get('steps', entry['plain'])}", file=sys.stderr)
        results["sizes"].append(entry)

    results["machine"]["loadavg_end"] = os.getloadavg()
    results["targets"] = check_targets(results)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.results_dir / f"pipeline-{stamp}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    shutil.copy(path, args.results_dir / "latest.json")
    table = markdown(results)
    (args.results_dir / f"pipeline-{stamp}.md").write_text(table + "\n")
    print(table)
    print(f"\nresults: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
