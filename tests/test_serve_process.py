"""tourgraph serve as a real process: its temporary folders go on SIGTERM and SIGINT, a busy port is an
error before any URL is announced, and each failed request is one log line with its request id."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

URL = re.compile(r"SPARQL endpoint: (http://127\.0\.0\.1:\d+)/sparql")


def start(tmp: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tourgraph.cli", "serve", "--project", str(ROOT), "--port", "0", "--workers", "1", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_for_url(proc: subprocess.Popen, limit: float = 120) -> str:
    deadline = time.monotonic() + limit
    seen = []
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
    """The query workers (subprocesses in their own sessions) the server started."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


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
        assert workers
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
