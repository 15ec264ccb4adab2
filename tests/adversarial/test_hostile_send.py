"""`presskit send` killed (SIGKILL) mid-send and run again: everyone gets the release, at most the in-flight one twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit
from support.smtpserver import Server

SLUG = "2024-01-15-good"
RECIPIENTS = [f"r{n:03d}@example.net" for n in range(200)]
KILL_AFTER = (1, 50, 150)  # messages received by the server, over all runs, when the running send is killed


def _start(root, server: Server) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "presskit", "send", SLUG, "--list", "press", "--yes"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **server.env()},
    )


def _kill_when(process: subprocess.Popen, server: Server, count: int) -> None:
    deadline = time.monotonic() + 240
    while server.handler.count() < count:
        assert process.poll() is None, f"send ended before {count} messages: {process.communicate()}"
        assert time.monotonic() < deadline, f"{server.handler.count()} messages after 240 s"
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def test_sigkill_three_times_then_a_full_run_sends_each_once_but_the_in_flight_ones(tmp_path):
    with Server(tmp_path) as server:
        root = make_project(tmp_path / "p", {f"{SLUG}.yaml": GOOD_RELEASE}, MINIMAL_CONFIG + server.mail_table())
        (root / "lists").mkdir()
        lines = "".join(f"{address},Journalist {n}\n" for n, address in enumerate(RECIPIENTS))
        (root / "lists" / "press.csv").write_text("email,name\n" + lines, encoding="utf-8")
        for count in KILL_AFTER:
            _kill_when(_start(root, server), server, count)
        last = _start(root, server)
        out, err = last.communicate(timeout=300)
        assert last.returncode == 0, err
        got = [(rcpt, msg["Message-ID"]) for rcpt, msg, _raw in server.handler.messages()]
    copies = Counter(rcpt for rcpt, _ in got)
    assert sorted(copies) == RECIPIENTS
    twice = sorted(rcpt for rcpt, n in copies.items() if n > 1)
    assert max(copies.values()) <= 2
    assert len(twice) <= len(KILL_AFTER)
    order = [rcpt for rcpt, _ in got]
    for rcpt in twice:
        # the message in flight at a kill: the last of the killed run, then the first of the next, same Message-ID
        first = order.index(rcpt)
        assert order[first + 1] == rcpt
        assert got[first][1] == got[first + 1][1]
    assert len(got) == len(RECIPIENTS) + len(twice)
    sent = int(out.split()[1])
    assert out == (
        f"presskit: {sent} to send, {200 - sent} already sent, 0 skipped.\n"
        f"presskit: sent {sent}, failed 0, skipped {200 - sent}.\n"
    )
    # the last run sent to all the others (count >= 150 may include a copy per earlier kill) and maybe one again
    earlier, last_run = set(order[:-sent]), order[-sent:]
    assert sorted(set(RECIPIENTS) - earlier) == sorted(set(last_run) - earlier)
    assert len(set(last_run) & earlier) <= 1
    assert 0 < sent <= 200 - KILL_AFTER[-1] + len(KILL_AFTER)
    log = run_presskit("sends", cwd=root)
    assert "sent 200, failed 0, pending 0" in log.stdout
