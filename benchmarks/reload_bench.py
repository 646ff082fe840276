#!/usr/bin/env python3
"""Live preview: the time from an edited data file to the reloaded page in a real browser.

    python benchmarks/reload_bench.py                       # the shipped project and 100k triples
    python benchmarks/reload_bench.py --sizes shipped --repeat 5

For each project (a copy: the shipped one, or benchmarks/data/validate-<size>/ made by
benchmarks/generate.py when missing), `tourgraph serve --reload` runs as a user starts it, on
127.0.0.1; headless Chromium (Debian's, through Playwright) opens the home page and a page of the
entity edited; then, --repeat times, one name in one data file is changed (and changed back the next
time) and the clock runs until the browser has loaded the page again and shows the new name. The
server's own "rebuilt in N s" line is read beside it. Medians are printed; results go to
benchmarks/results/reload-<time>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks" / "data"
RESULTS = REPO / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
URL = re.compile(r"SPARQL endpoint: (http://127\.0\.0\.1:\d+)/sparql")
REBUILT = re.compile(r"rebuilt in ([\d.]+) s")
# The edited entity of each project: its data file, the name written there, and its page.
EDITS = {
    "shipped": ("data/tours/2026-hauts-de-france/tour.ttl", "A Daydream Journey in Hauts-de-France",
                "en/event/inspiration-tour-2026-hauts-de-france.html"),
    "generated": ("data/common/inspiration-tours.ttl", "Inspiration Tour Alpes-Maritimes",
                  "en/event/inspiration-tour-alpes-maritimes.html"),
}


def project_copy(size: str, into: Path) -> tuple[Path, tuple[str, str, str]]:
    target = into / "project"
    if size == "shipped":
        source = REPO
        edit = EDITS["shipped"]
    else:
        source = DATA / f"validate-{size}"
        if not source.is_dir():
            triples = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}[size]
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(triples), "--out", str(source)], check=True)
        edit = EDITS["generated"]
    target.mkdir(parents=True)
    shutil.copy(source / "tourgraph.toml", target / "tourgraph.toml")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(source / folder, target / folder)
    return target, edit


class Server:
    def __init__(self, project: Path, tmp: Path):
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tourgraph.cli", "serve", "--project", str(project), "--port", "0", "--reload"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: list[str] = []
        self.url = None
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(600) or self.url is None:
            self.process.kill()
            raise SystemExit("the server announced no URL:\n" + "".join(self.lines))

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)
            match = URL.search(line)
            if match:
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()

    def rebuilt(self, after: int) -> float | None:
        found = [float(m.group(1)) for line in self.lines[after:] if (m := REBUILT.search(line))]
        return found[-1] if found else None

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def measure(size: str, repeat: int, browser) -> dict:
    with tempfile.TemporaryDirectory(prefix="tourgraph-reload-bench-") as tmp:
        project, (relpath, name, page_path) = project_copy(size, Path(tmp))
        edited = project / relpath
        started = time.perf_counter()
        server = Server(project, Path(tmp))
        startup = time.perf_counter() - started
        page = browser.new_page()
        page.goto(f"{server.url}/{page_path}")
        if name not in page.title():
            raise SystemExit(f"{page_path} does not show {name!r}: {page.title()!r}")
        rounds = []
        current = name
        try:
            for index in range(repeat):
                new = f"{name} ({index + 1})"
                text = edited.read_text(encoding="utf-8")
                page.evaluate("window.tourgraphBench = true")
                seen = len(server.lines)
                start = time.perf_counter()
                edited.write_text(text.replace(f'"{current}"', f'"{new}"', 1), encoding="utf-8")
                page.wait_for_function(f"!window.tourgraphBench && document.readyState === 'complete' && document.title.includes({json.dumps(new)})",
                                       timeout=600_000)
                seconds = time.perf_counter() - start
                rounds.append({"edit_to_page_s": round(seconds, 3), "server_rebuilt_s": server.rebuilt(seen)})
                print(f"[{size}] round {index + 1}: edit to reloaded page {seconds:.2f} s (server: rebuilt in {server.rebuilt(seen)} s)", flush=True)
                current = new
        finally:
            page.close()
            server.stop()
    return {
        "size": size, "startup_s": round(startup, 2), "rounds": rounds,
        "median_edit_to_page_s": statistics.median(r["edit_to_page_s"] for r in rounds),
        "median_server_rebuilt_s": statistics.median(r["server_rebuilt_s"] for r in rounds if r["server_rebuilt_s"] is not None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,100k", help="shipped and/or generated sizes (10k, 100k, 1M)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="tourgraph-reload-chromium-") as profile:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            for size in args.sizes.split(","):
                results.append(measure(size.strip(), args.repeat, browser))
        finally:
            browser.close()
    print("\n| project | server start (s) | edit to reloaded page, median (s) | server rebuild, median (s) | rounds |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['size']} | {r['startup_s']} | {r['median_edit_to_page_s']:.2f} | {r['median_server_rebuilt_s']:.2f} | {len(r['rounds'])} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"reload-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
