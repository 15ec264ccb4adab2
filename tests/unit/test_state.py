"""The reading state (sources/state.py, used by sources/load.py): rows kept and trusted only as far as they may be,
signed, replaced when damaged, and shared safely by processes running at once or killed."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presskit import config as project_config
from presskit.diagnostics import Reporter
from presskit.sources import load as loader
from presskit.sources import state as state_store

from support.project import GOOD_RELEASE, make_project

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
WARNED = GOOD_RELEASE.replace("location: Paris\n", "")  # one warning: no location


def project_of(folder: Path, count: int) -> Path:
    return make_project(folder, {f"2024-01-{n % 28 + 1:02d}-r{n}.yaml": WARNED for n in range(count)})


def read(project: Path, **options) -> tuple[list[loader.Source], list[str]]:
    reporter = Reporter(project)
    config = project_config.load(project, reporter)
    sources = loader.load(config, reporter, NOW, **options)
    return sources, [str(d) for d in reporter.items]


def stored(project: Path) -> dict[str, tuple]:
    connection = sqlite3.connect(project / state_store.STATE_FILE)
    try:
        return {r[0]: r[1:] for r in connection.execute("SELECT name, trusted, digest, signature FROM releases")}
    finally:
        connection.close()


def aged(project: Path) -> None:
    """Make the files older than the next run's clock (their rows are then recorded as fully trusted)."""
    time.sleep(0.05)


def test_rows_are_kept_and_reused_with_the_same_digests_and_warnings(tmp_path: Path):
    project = project_of(tmp_path, 3)
    aged(project)
    fresh, fresh_diagnostics = read(project, cache=False)
    first, diagnostics = read(project)
    assert diagnostics == fresh_diagnostics and len(diagnostics) == 6  # no lead, no location
    assert [s.digest for s in first] == [s.digest for s in fresh]
    assert {trusted for trusted, _digest, _signature in stored(project).values()} == {state_store.ALL}
    second, again = read(project)
    assert again == diagnostics
    assert [s.digest for s in second] == [s.digest for s in fresh]
    assert [s.release for s in second] == [s.release for s in fresh]  # decoded from the stored model
    assert [s.positions for s in second] == [s.positions for s in fresh]


def test_a_file_changed_within_the_clock_tick_is_compared_by_content(tmp_path: Path):
    """A file whose times are not older than the run's clock may change again unseen: its row is 'racy'."""
    project = project_of(tmp_path, 1)
    path = next((project / "releases").iterdir())
    future = time.time_ns() + 3600 * 10**9  # as if modified in the same tick as the run
    os.utime(path, ns=(future, future))
    read(project)
    assert [trusted for trusted, _d, _s in stored(project).values()] == [state_store.CONTENT]
    path.write_text(WARNED.replace("A good release", "A good edit!!"), encoding="utf-8")
    os.utime(path, ns=(future, future))  # size and times as recorded: only the bytes tell
    sources, _ = read(project)
    assert sources[0].release.title == "A good edit!!"


def test_rows_signed_with_another_key_or_fingerprint_are_ignored(tmp_path: Path, monkeypatch):
    project = project_of(tmp_path, 2)
    read(project)
    before = stored(project)
    # Another user's key: every row fails its signature; the rows are made again with this user's key.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    sources, diagnostics = read(project)
    assert len(sources) == 2 and len(diagnostics) == 4
    after = stored(project)
    assert {name: row[2] for name, row in after.items()} != {name: row[2] for name, row in before.items()}
    # Another configuration: the rows are stale and replaced.
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + 'organization_url = "https://example.org/"\n'
    )
    state = state_store.State.open(project, loader.project_fingerprint(project_config.load(project, Reporter())))
    assert state is not None and state.rows(models=False) == {}
    state.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-schema", "wrong-types"])
def test_a_damaged_or_planted_database_is_replaced(tmp_path: Path, damage: str):
    project = project_of(tmp_path, 2)
    _, diagnostics = read(project)
    database = project / state_store.STATE_FILE
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        database.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        database.write_bytes(database.read_bytes()[:1500])
    else:
        database.unlink()
        connection = sqlite3.connect(database)
        if damage == "other-schema":
            connection.execute("PRAGMA user_version = 99")
        else:  # presskit's tables, with values of the wrong types
            connection.execute(f"PRAGMA user_version = {state_store.SCHEMA}")
            connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            connection.execute(f"CREATE TABLE releases ({state_store.COLUMNS}, signature, model)")
            fingerprint = loader.project_fingerprint(project_config.load(project, Reporter()))
            connection.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            count = len(state_store.COLUMNS.split(", ")) + 2  # and the signature and the model
            connection.execute(f"INSERT INTO releases VALUES ({', '.join('?' * count)})", [b"\xff"] * count)
        connection.commit()
        connection.close()
    sources, again = read(project)
    assert len(sources) == 2 and again == diagnostics
    assert len(stored(project)) == 2  # made anew
    assert read(project)[1] == diagnostics


def _hammer(project: str, rounds: int) -> None:
    """Read the project again and again, editing one file now and then (run in two processes at once)."""
    folder = Path(project)
    for number in range(rounds):
        if number % 3 == 0:
            path = folder / "releases" / f"2024-01-0{os.getpid() % 2 + 1}-r{os.getpid() % 2}.yaml"
            temporary = path.with_name(f".edit-{os.getpid()}")
            temporary.write_text(WARNED.replace("A good release", f"Edit {os.getpid()} {number}"), encoding="utf-8")
            os.replace(temporary, path)
        sources, diagnostics = read(folder)
        assert len(sources) == 20 and len(diagnostics) == 40


def test_two_processes_reading_at_once_do_not_corrupt_it(tmp_path: Path):
    project = project_of(tmp_path, 20)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hammer, args=(str(project), 12)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    connection = sqlite3.connect(project / state_store.STATE_FILE)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()
    aged(project)
    sources, diagnostics = read(project)
    fresh, fresh_diagnostics = read(project, cache=False)
    assert diagnostics == fresh_diagnostics
    assert [(s.digest, s.release) for s in sources] == [(s.digest, s.release) for s in fresh]


KILLED = """
import sys, datetime as dt
from pathlib import Path
from presskit import config as project_config
from presskit.diagnostics import Reporter
from presskit.sources import load as loader
project = Path(sys.argv[1])
number = 0
while True:
    number += 1
    path = project / "releases" / f"2024-01-01-r{number % 60}.yaml"
    text = path.read_text()
    path.write_text(text.replace("title: ", "title: x", 1))
    reporter = Reporter(project)
    loader.load(project_config.load(project, reporter), reporter, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), cache=number % 2 == 0)
    print(number, flush=True)
"""


def test_a_run_killed_at_any_moment_leaves_a_state_that_reads_right(tmp_path: Path):
    """kill -9 while rows are written: a later run gives exactly what a fresh reading gives."""
    project = make_project(tmp_path, {f"2024-01-01-r{n}.yaml": WARNED for n in range(60)})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for delay in (0.3, 0.7, 1.1, 1.6):
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED, str(project)], stdout=subprocess.PIPE, env=env, start_new_session=True
        )
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    aged(project)
    sources, diagnostics = read(project)
    fresh, fresh_diagnostics = read(project, cache=False)
    assert diagnostics == fresh_diagnostics
    assert [(s.digest, s.release) for s in sources] == [(s.digest, s.release) for s in fresh]


def test_models_read_later_are_the_ones_their_rows_named(tmp_path: Path):
    """A build reads the rows without their models (sources/load.py load_models reads them when it goes on)."""
    project = project_of(tmp_path, 2)
    aged(project)
    fresh, _ = read(project, cache=False)
    config = project_config.load(project, Reporter())
    later, _ = read(project, models=False, keep=True)
    assert [s.needs_model for s in later] == [True, True]
    assert [(s.embargo, s.draft, s.photo_files()) for s in later] == [(None, False, [])] * 2  # known undecoded
    assert loader.load_models(config, later) is True
    assert [s.release for s in later] == [s.release for s in fresh]
    assert [s.positions for s in later] == [s.positions for s in fresh]
    replaced, _ = read(project, models=False, keep=True)
    with sqlite3.connect(project / state_store.STATE_FILE) as connection:  # another run wrote another model since
        connection.execute("UPDATE releases SET model = ? WHERE name = ?", (b"{}", "releases/2024-01-02-r1.yaml"))
    connection.close()
    assert loader.load_models(config, replaced) is False
