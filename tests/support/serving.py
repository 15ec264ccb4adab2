"""`presskit serve` started by a test: its address read from its output, its pages fetched, conditions awaited."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

WAIT = 120  # seconds: generous bounds for a busy machine; each wait ends as soon as its condition holds


def wait_for(condition, what: str):
    """The first true value of `condition()`, asked every 0.1 s; the test fails after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def fetch(port: int, path: str) -> str | None:
    """The page served at `path`, None when there is none (404)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def start(project: Path, *args: str) -> tuple[subprocess.Popen, int, list[str]]:
    """`presskit serve --port 0 --jobs 1` in `project`: the process, its port and its standard error's lines
    (gathered as they come)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "serve", "--port", "0", "--jobs", "1", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue = queue.Queue()
    errors: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [errors.append(line) for line in process.stderr], daemon=True).start()

    def port() -> int | None:
        try:
            match = re.search(r"serving http://127\.0\.0\.1:(\d+)/", lines.get(timeout=0.5))
        except queue.Empty:
            return None
        return int(match.group(1)) if match else None

    try:
        return process, wait_for(port, "the server's address"), errors
    except BaseException:
        process.kill()
        raise


def stop(process: subprocess.Popen) -> None:
    """Ctrl+C: the server must stop cleanly (exit 0); killed by its PID in any case."""
    process.send_signal(signal.SIGINT)
    try:
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
