"""`presskit build --executor dask://HOST:PORT` against a real Dask scheduler and workers on 127.0.0.1: the same bytes
as a local build, a worker killed mid-build changes nothing, an unreachable or mismatched cluster writes nothing."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.project import copy_sample_project, run_presskit, tree_digest
from support.readers import REPO

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install 'presskit[cluster]')")

NOW = "2026-01-01T00:00:00+00:00"
GENERATED = 30
LIFETIME = "300s"  # every process of the cluster stops by itself after this, whatever happens to the test


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dask(*args: str, log: Path, env: dict | None = None) -> subprocess.Popen:
    """A `dask` command (scheduler or worker) in its own process, its output in a log file."""
    command = [str(Path(sys.executable).parent / "dask"), *args]
    with open(log, "ab") as stream:
        return subprocess.Popen(
            command, stdout=stream, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, cwd=log.parent
        )


class Cluster:
    """A scheduler and its workers on 127.0.0.1, each process killed by its PID at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []

    def start(self, workers: int, env: dict | None = None) -> Cluster:
        self.processes.append(
            _dask(
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-dashboard",
                "--idle-timeout",
                LIFETIME,
                log=self.folder / "scheduler.log",
            )
        )
        for _ in range(workers):
            self.add_worker(env)
        with distributed.Client(f"tcp://{self.address}", timeout="60s") as client:
            client.wait_for_workers(len(self.workers), timeout=120)
        return self

    def add_worker(self, env: dict | None = None) -> subprocess.Popen:
        # --no-nanny: the PID is the worker itself, so that killing it loses the worker (a nanny would restart it).
        worker = _dask(
            "worker",
            f"tcp://{self.address}",
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--no-nanny",
            "--no-dashboard",
            "--lifetime",
            LIFETIME,
            "--death-timeout",
            "30s",
            log=self.folder / f"worker-{len(self.workers)}.log",
            env=env,
        )
        self.processes.append(worker)
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The samples plus 30 generated releases (bench/generate.py), and its out/ built locally once."""
    folder = tmp_path_factory.mktemp("cluster")
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(folder, GENERATED)
    samples = copy_sample_project(tmp_path_factory.mktemp("samples"))
    shutil.copytree(samples / "templates", folder / "templates")  # the samples' pdf.css override goes to the workers
    for release in (samples / "releases").glob("*.yaml"):
        shutil.copy(release, folder / "releases" / release.name)
    result = run_presskit("build", "--now", NOW, "--out", "local", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running.start(workers=2)
    finally:
        running.stop()


def _built_files(project: Path, out: str) -> dict[str, str]:
    files = tree_digest(project / out)
    assert len(files) > 5 * (GENERATED + 5), sorted(files)  # every release's PDF, DOCX, page and photos at least
    return files


def test_a_cluster_build_is_byte_identical_to_a_local_build(project, cluster):
    result = run_presskit(
        "build", "--now", NOW, "--out", "cluster", "--executor", f"dask://{cluster.address}", cwd=project
    )

    assert result.returncode == 0, result.stderr
    assert f"built {GENERATED + 5} releases ({GENERATED + 5} rendered, 0 unchanged)" in result.stdout
    assert _built_files(project, "cluster") == _built_files(project, "local")


def test_a_worker_killed_during_the_build_changes_nothing(project, cluster):
    command = [sys.executable, "-m", "presskit", "build", "--now", NOW, "--out", "killed"]
    build = subprocess.Popen(
        [*command, "--executor", f"dask://{cluster.address}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        rendered = 0
        for line in build.stderr:  # one progress line per release rendered (stderr is not a terminal)
            rendered += " rendered " in line
            if rendered == 3:
                break
        victim = cluster.workers[-1]
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        stdout, stderr = build.communicate(timeout=240)
    finally:
        if build.poll() is None:
            os.kill(build.pid, signal.SIGKILL)
            build.wait()

    assert rendered == 3
    assert build.returncode == 0, stderr
    assert f"built {GENERATED + 5} releases ({GENERATED + 5} rendered, 0 unchanged)" in stdout
    assert _built_files(project, "killed") == _built_files(project, "local")


def test_an_unreachable_scheduler_is_a_usage_error_and_nothing_is_written(project):
    port = _free_port()  # nothing listens there

    result = run_presskit(
        "build", "--now", NOW, "--out", "nowhere", "--executor", f"dask://127.0.0.1:{port}", cwd=project
    )

    assert result.returncode == 2
    assert result.stderr == (
        f"presskit: cannot reach the Dask scheduler at 127.0.0.1:{port}: Connection refused; nothing was written.\n"
    )
    assert "Traceback" not in result.stderr
    assert not (project / "nowhere").exists()
    assert not (project / ".nowhere.builds").exists()
    verify = run_presskit("build", "--verify", "--out", "local", "--executor", f"dask://127.0.0.1:{port}", cwd=project)
    assert verify.returncode == 2
    assert verify.stderr == result.stderr  # nothing was compared: not one file "not written by a fresh build"


def test_an_executor_that_is_not_a_scheduler_address_is_refused(project):
    result = run_presskit("build", "--executor", "http://127.0.0.1:8786", cwd=project)

    assert result.returncode == 2
    assert result.stderr == (
        "presskit: --executor 'http://127.0.0.1:8786' is not dask://HOST:PORT (a host name or address, and a port);"
        " nothing was written.\n"
    )


def test_a_worker_with_another_presskit_is_refused_before_anything_is_written(project, tmp_path):
    # A worker importing a presskit whose files differ (one comment added) would not make the same bytes.
    other = tmp_path / "other-presskit"
    shutil.copytree(REPO / "src" / "presskit", other / "presskit", ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "presskit" / "renderers" / "pdf.py", "a", encoding="utf-8") as stream:
        stream.write("# changed\n")
    mismatched = Cluster(tmp_path)
    try:
        mismatched.start(workers=1, env={"PYTHONPATH": str(other)})
        start = time.monotonic()
        result = run_presskit(
            "build", "--now", NOW, "--out", "mismatched", "--executor", f"dask://{mismatched.address}", cwd=project
        )
    finally:
        mismatched.stop()

    assert time.monotonic() - start < 60
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("presskit: the Dask worker tcp://127.0.0.1:")
    assert "would not render the same documents: presskit 0.1.0 (" in result.stderr
    assert result.stderr.endswith(
        "install the same presskit, libraries and fonts on every worker; nothing was written.\n"
    )
    assert not (project / "mismatched").exists()


def test_a_scheduler_lost_during_the_build_is_one_error_and_nothing_is_published(project, tmp_path):
    lost = Cluster(tmp_path)
    try:
        lost.start(workers=1)
        build = subprocess.Popen(
            [sys.executable, "-m", "presskit", "build", "--now", NOW, "--out", "lost"]
            + ["--executor", f"dask://{lost.address}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for line in build.stderr:
                if " rendered " in line:
                    break
            os.kill(lost.processes[0].pid, signal.SIGKILL)  # the scheduler
            _stdout, stderr = build.communicate(timeout=120)
        finally:
            if build.poll() is None:
                os.kill(build.pid, signal.SIGKILL)
                build.wait()
    finally:
        lost.stop()

    assert build.returncode == 1, stderr
    errors = [line for line in stderr.splitlines() if "error" in line]
    assert errors == [
        f"lost:1:1: error: cannot write the output: lost the Dask scheduler at {lost.address}"
        " (scheduler-connection-lost) [output]",
        "presskit: 1 error; the output folder was left as it was.",
    ]
    assert "Traceback" not in stderr
    assert not (project / "lost").exists()
