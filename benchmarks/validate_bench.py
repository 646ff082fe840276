#!/usr/bin/env python3
"""The validation call at scale: the compiled engine against the complete one (pyshacl-turbo), side by
side in one run, on synthetic projects of benchmarks/generate.py, clean and with thousands of warnings.

    python benchmarks/validate_bench.py                       # 100k and 1M, clean and with warnings
    python benchmarks/validate_bench.py --sizes 100k --repeat 5

For each project: load + materialise once, then the medians of ``--repeat`` runs of the SHACL call
(``tourgraph.validate.validate`` without the project's own checks, as the issue's 1.2 s / 16 s figures
were measured), of the same with the project checks (closed vocabulary, entities defined twice,
graphs of files), of the text report, and one run of pyshacl-turbo on every shape
(``complete_engine_only``). The warnings variant removes the English description of the companies
of every tour, so each gets a "missing translation" warning located in its file.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
_ENGLISH_DESCRIPTION = re.compile(r', "[^"\n]*"@en \.$', re.M)


def project(size: str, warnings: bool) -> Path:
    root = HERE / "data" / f"validate-{size}{'-warnings' if warnings else ''}"
    if not (root / "tourgraph.toml").is_file():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(SIZES[size]), "--out", str(root)], check=True,
                       stdout=subprocess.DEVNULL)
        if warnings:
            for path in (root / "data" / "tours").glob("synthetic-*/organizations.ttl"):
                path.write_text(_ENGLISH_DESCRIPTION.sub(" .", path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def timed(function, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def measure(size: str, warnings: bool, repeat: int, complete: bool) -> dict:
    from tourgraph import shacl
    from tourgraph.load import load
    from tourgraph.materialise import materialise
    from tourgraph.project import open_project
    from tourgraph.validate import load_shapes, validate

    root = project(size, warnings)
    proj = open_project(root)
    start = time.perf_counter()
    graph = materialise(load(proj))
    loading = time.perf_counter() - start
    shapes = load_shapes(proj)
    validate(graph, shapes)  # warm-up: imports, the xmlschema meta-schema if needed
    shacl_call, report = timed(lambda: validate(graph, shapes), repeat)
    with_checks, full = timed(lambda: validate(graph, shapes, proj), repeat)
    text, _ = timed(lambda: full.to_text(), repeat)
    row = {
        "project": f"{size}{' + warnings' if warnings else ''}", "quads": len(graph), "results": len(report.results),
        "load+materialise s": round(loading, 2), "validate s (compiled)": round(shacl_call, 3),
        "validate + project checks s": round(with_checks, 3), "text report s": round(text, 3),
        "µs per result (text)": round(1e6 * text / max(1, len(full.results)), 1),
    }
    if complete:
        start = time.perf_counter()
        outcome = shacl.validate(graph.store, shapes, shacl.Written(graph.written), complete_engine_only=True)
        row["pyshacl-turbo s"] = round(time.perf_counter() - start, 3)
        row["turbo / compiled"] = round(row["pyshacl-turbo s"] / shacl_call, 2)
        row["same results"] = len(outcome.findings) == len(report.results)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-warnings", action="store_true", help="only the clean projects")
    parser.add_argument("--complete-max", default="1M", help="largest size at which pyshacl-turbo also runs")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    rows = []
    for size in sizes:
        for warnings in (False,) if args.no_warnings else (False, True):
            complete = SIZES[size] <= SIZES[args.complete_max]
            rows.append(measure(size, warnings, args.repeat, complete))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    print("\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")


if __name__ == "__main__":
    main()
