"""tourgraph serve as a real process: its temporary folders go on SIGTERM and SIGINT, its query
processes go with it (even on SIGKILL), a busy port is an error before any URL is announced, each failed
request is one log line with its request id, and ``--dist`` serves a build as it is."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

URL = re.compile(r"SPARQL endpoint: (http://127\.0\.0\.1:\d+)/sparql")


def start(tmp: Path, *args: str, project: Path = ROOT) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tourgraph.cli", "serve", "--project", str(project), "--port", "0", "--workers", "1", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_for_url(proc: subprocess.Popen, limit: float = 120, seen: list | None = None) -> str:
    deadline = time.monotonic() + limit
    seen = [] if seen is None else seen
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = URL.search(line)
        if match:
            return match.group(1)
    proc.kill()
    pytest.fail("no URL announced: " + "".join(seen))


def workers_of(pid: int) -> list[int]:
    """The query processes the server started: the zygote (in a session of its own) and the workers it forked."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    children = [int(p) for p in out.split()]
    return children + [w for child in children for w in workers_of(child)]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split(") ", 1)[1].startswith("Z"))


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_signal_removes_the_temporary_site_and_dump(tmp_path, sig, code):
    proc = start(tmp_path)
    try:
        url = wait_for_url(proc)
        made = list(tmp_path.iterdir())
        assert [p.name for p in made] and all(p.name.startswith("tourgraph-serve-") for p in made)
        assert any((p / "dist" / "index.html").is_file() for p in made), "the site is built in the temporary folder"
        with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=30) as answer:
            assert answer.status == 200
        workers = workers_of(proc.pid)
        assert len(workers) >= 2, "a zygote and at least one worker"
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == code
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(tmp_path.iterdir()) == [], "temporary folders left behind"
    time.sleep(0.5)
    assert not [w for w in workers if alive(w)], "query workers left running"
    assert "Traceback" not in proc.stderr.read()


def test_a_signal_while_building_leaves_nothing_behind(tmp_path):
    proc = start(tmp_path)
    try:
        assert "Validating" in proc.stderr.readline()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(tmp_path.iterdir()) == []
    assert "SPARQL endpoint" not in proc.stderr.read()


def test_a_busy_port_is_exit_2_and_no_url_is_printed(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "TMPDIR": str(tmp_path)}
        proc = subprocess.run(
            [sys.executable, "-m", "tourgraph.cli", "serve", "--project", str(ROOT), "--port", str(port)],
            capture_output=True, text=True, timeout=120, env=env,
        )
    assert proc.returncode == 2
    assert f"127.0.0.1:{port}" in proc.stderr and "--port" in proc.stderr
    assert "http://" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Validating" not in proc.stderr, "the port is checked before the long build"
    assert list(tmp_path.iterdir()) == []


def test_a_failed_request_is_one_log_line_with_the_id_the_client_sees(tmp_path):
    proc = start(tmp_path)
    try:
        url = wait_for_url(proc)
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + "/sparql?query=SELEC%20nonsense", timeout=30)
        rid = info.value.headers["X-Request-Id"]
        code = info.value.code
        assert 400 <= code < 500 and re.fullmatch(r"[0-9a-f]{12}", rid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = [line for line in proc.stderr.read().splitlines() if rid in line]
    assert len(lines) == 1, lines
    assert "WARNING" in lines[0] and f"GET /sparql {code}" in lines[0]
    assert "]: " in lines[0] and len(lines[0].split("]: ", 1)[1]) > 5, "the line says why the request failed"


def test_a_killed_server_takes_its_query_processes_with_it(tmp_path):
    """kill -9 leaves the temporary folder (nothing can run then) but no process: the zygote sees its
    control socket close, and the workers die with the zygote, even one busy with a runaway query."""
    import threading

    proc = start(tmp_path, "--timeout", "60")
    try:
        url = wait_for_url(proc)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        query = url + "/sparql?" + urllib.parse.urlencode({"query": runaway})
        threading.Thread(target=lambda: _ignore_errors(urllib.request.urlopen, query, timeout=60), daemon=True).start()
        time.sleep(1.0)
        workers = workers_of(proc.pid)
        assert len(workers) >= 3, "a zygote, the runaway's worker and its replacement"
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10
    while [w for w in workers if alive(w)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "query processes outlived the server"
    shutil.rmtree(tmp_path, ignore_errors=True)


def _ignore_errors(function, *args, **kwargs):
    try:
        function(*args, **kwargs)
    except OSError:
        pass


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def test_serve_dist_serves_a_build_as_it_is(tmp_path, dist, project_copy):
    """--dist: no validation, no build, nothing written; the build's graph and files are what is served.
    The project's data is broken on purpose: a rebuild would fail, so answers prove there was none."""
    served = tmp_path / "served"
    shutil.copytree(dist, served)
    before = _snapshot(served)
    broken = project_copy / "data" / "common" / "places.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nthis is not turtle\n", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    seen: list[str] = []
    proc = start(scratch, "--dist", str(served), project=project_copy)
    try:
        url = wait_for_url(proc, seen=seen)
        assert any("not rebuilt" in line for line in seen) and not any("Validating" in line for line in seen), seen
        assert any("data/common/places.ttl" in line and "tourgraph build" in line for line in seen), "the stale build is said"
        assert list(scratch.iterdir()) == [], "serving a build writes no temporary site"
        count = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        request = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": count}), headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            triples = int(json.load(answer)["results"]["bindings"][0]["n"]["value"])
        assert triples == sum(1 for line in (served / "graph.nt").read_bytes().splitlines() if line.strip())
        ttl = sorted((served / "person").glob("*.ttl"))[0]
        request = urllib.request.Request(url + f"/person/{ttl.stem}", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.read() == ttl.read_bytes()
        request = urllib.request.Request(url + "/sparql", headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert f'"{triples}"^^<http://www.w3.org/2001/XMLSchema#integer>' in answer.read().decode()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _snapshot(served) == before, "the build was changed"
    assert list(scratch.iterdir()) == []


def test_serve_dist_refuses_a_folder_that_is_not_a_build(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<p>somebody's site</p>")
    done = subprocess.run(
        [sys.executable, "-m", "tourgraph.cli", "serve", "--project", str(ROOT), "--port", "0", "--dist", str(folder)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 2
    assert ".tourgraph-build" in done.stderr and "tourgraph build --out" in done.stderr
    assert "http://" not in done.stderr and "Traceback" not in done.stderr
    assert (folder / "index.html").read_text() == "<p>somebody's site</p>"
