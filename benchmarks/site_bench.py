"""The site exporter's share of a build, side by side: the time of everything the site and snippet
exporters write (pages, entity descriptions, snippets, indexes, sitemap, search index, calendar) for
one project, with this tree's code and with another checkout's (``--other SRC``, e.g. an older
commit's ``src/`` from ``git archive``), each in a fresh process on the same graph.

    python benchmarks/site_bench.py --sizes 100k,1M --other /tmp/site-old/src --repeat 3

The graph is loaded, materialised and made public (privacy rules) as the build does, without the
validation, which the site does not depend on; only the two exporters are timed, in wall-clock and
CPU seconds (the machine may be shared: CPU time says what the code costs). With ``--repeat N`` the
two trees run in turn N times and the table gives the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def worker(project_dir: str, out: str) -> dict:
    import resource
    import shutil
    import tempfile

    from tourgraph import privacy
    from tourgraph.build import batch_memory
    from tourgraph.export import BuildContext, site, snippets
    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project

    project = open_project(project_dir)
    with batch_memory():
        graph = privacy.publishable(materialise(load(project)))
        folder = Path(tempfile.mkdtemp(prefix="site-bench-", dir=out))
        ctx = BuildContext(project=project, graph=graph, out=folder)
        # CPU of this process and of the processes it forks meanwhile (a static build's page writers).
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, cpu = time.perf_counter(), time.process_time()
        site.write(ctx)
        snippets.write(ctx)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    files = sum(len(names) for _, _, names in os.walk(folder))
    shutil.rmtree(folder, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "cpu": round(cpu, 2), "files": files, "quads": len(graph), "peak_mb": round(peak)}


def run(src: Path, project: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import site_bench; print(json.dumps(site_bench.worker({str(project)!r}, {str(out)!r})))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated: 100k, 1M (projects under benchmarks/data/bench-<size>)")
    parser.add_argument("--other", type=Path, help="another checkout's src/ to time side by side")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each tree, in turn; the table gives medians")
    args = parser.parse_args(argv)
    rows = []
    for size in args.sizes.split(","):
        project = HERE / "data" / f"bench-{size}"
        if not project.is_dir():
            print(f"{project} is missing: python benchmarks/generate.py --triples N --out {project}", file=sys.stderr)
            return 2
        runs: dict = {}
        for _ in range(args.repeat):
            for name, src in (("this tree", ROOT / "src"), ("other", args.other)):
                if src is None:
                    continue
                result = run(src.resolve(), project, args.out)
                runs.setdefault(name, []).append(result)
                print(json.dumps({"size": size, "code": name, **result}), flush=True)
        for name, results in runs.items():
            good = [r for r in results if "error" not in r]
            if not good:
                rows.append({"size": size, "code": name, "error": results[-1]["error"]})
                continue
            rows.append({"size": size, "code": name, "runs": len(good), **good[-1],
                         "seconds": statistics.median(r["seconds"] for r in good), "cpu": statistics.median(r["cpu"] for r in good)})
    print("\n| size | code | runs | site exporter, median (s) | CPU, median (s) | files | peak RSS (MB) |\n|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['size']} | {row['code']} | {row.get('runs', 0)} | {row.get('seconds', row.get('error'))} | {row.get('cpu', '')} | {row.get('files', '')} | {row.get('peak_mb', '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
