"""tourgraph validate --watch: a real process watching a project copy while the test edits its files."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tourgraph.watch import Watcher

TOUR = Path("data/tours/2026-hauts-de-france")


def test_the_watcher_reads_again_only_the_changed_file_and_sees_the_mistake(project_copy):
    watcher = Watcher(project_copy)
    assert watcher.check().passes
    graph = watcher.graph
    people = project_copy / TOUR / "people.ttl"
    time.sleep(0.01)
    people.write_text(people.read_text(encoding="utf-8").replace('"2026-03-27"', '"27/03/2026"'), encoding="utf-8")
    tour = project_copy / TOUR / "tour.ttl"
    tour.write_text(tour.read_text(encoding="utf-8").replace('"2026-03-27"^^xsd:date', '"27/03/2026"^^xsd:date'), encoding="utf-8")
    report = watcher.check([str(tour)])
    assert not report.passes and any("Write the end date" in r.message() for r in report.results)
    assert watcher.graph is not graph and watcher.project is not None


class Lines:
    """The lines a process writes (stdout and stderr), read in threads, awaited one pattern at a time."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue = queue.Queue()
        for stream in (process.stdout, process.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def until(self, text: str, timeout: float = 60) -> list[str]:
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"{text!r} not seen within {timeout} s; got: {''.join(seen)[-2000:]}")


def test_validate_watch_reports_each_change_until_interrupted(project_copy):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tourgraph.cli", "validate", "--watch", "--project", str(project_copy)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        lines = Lines(process)
        lines.until("conforms: 0 violation(s)")
        tour = project_copy / TOUR / "tour.ttl"
        good = tour.read_text(encoding="utf-8")
        tour.write_text(good.replace('"2026-03-27"^^xsd:date', '"27/03/2026"^^xsd:date'), encoding="utf-8")
        broken = "".join(lines.until("does not conform"))
        assert "Write the end date" in broken and "tour.ttl:" in broken
        tour.write_text(good.replace("schema:Event", "schema:Event ;;; ]", 1), encoding="utf-8")
        error = "".join(lines.until("Error:"))
        assert "tour.ttl:" in error and "syntax error" in error and "Traceback" not in error
        tour.write_text(good, encoding="utf-8")
        lines.until("conforms: 0 violation(s)")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    assert process.returncode in (130, 0, -signal.SIGINT), process.returncode
