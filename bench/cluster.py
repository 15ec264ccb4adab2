"""Full re-render of N releases on this machine against a local Dask cluster of W workers (not part of the test suite).

    .venv/bin/python bench/cluster.py --releases 100 --workers 2 --runs 3

Starts `dask scheduler` and `dask worker --nthreads 1` × W on 127.0.0.1, and measures, as medians of --runs fresh
processes, each a full render into an empty output folder: `build -j 1` (the render time of one release: its wall
time / N), `build -j W`, and `build --executor` on a cluster of W workers (then of 1 worker: the per-task overhead
of the cluster is its wall time minus -j 1's, / N). The target of issue 16: cluster wall ≈ N × render / W, within 1.3×.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # installed with dask[distributed]
from generate import generate

NOW = "2026-01-01T00:00:00+00:00"
DASK = str(Path(sys.executable).parent / "dask")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu(processes: list) -> float:
    """CPU seconds (user and system) used so far by these running processes."""
    return sum(sum(psutil.Process(p.pid).cpu_times()[:2]) for p in processes)


def build_times(project: Path, runs: int, *options: str, cluster: tuple = ()) -> tuple[float, float]:
    """Medians of `runs` full renders (each into a fresh output folder): wall time, and CPU seconds of the build
    and its children, plus those of the cluster's processes (scheduler and workers) meanwhile."""
    walls, cpus = [], []
    for run in range(runs):
        out = project / f"out-{run}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cluster_before = _cpu(cluster)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "presskit", "build", "-q", "--now", NOW, "--out", str(out), *options],
            cwd=project,
            check=True,
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpus.append(own + _cpu(cluster) - cluster_before)
        out.unlink()  # a link to the build folder in .out-N.builds/
        shutil.rmtree(project / f".out-{run}.builds")
    return statistics.median(walls), statistics.median(cpus)


def cluster_times(project: Path, runs: int, workers: int, logs: Path) -> tuple[float, float]:
    """build_times() on a fresh cluster of `workers` workers, warmed by one build first."""
    port = _free_port()
    processes = []
    with open(logs / f"dask-{workers}.log", "ab") as log:
        try:
            common = ["--no-dashboard"]
            processes.append(
                subprocess.Popen(
                    [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), *common], stdout=log, stderr=log
                )
            )
            for _ in range(workers):
                processes.append(
                    subprocess.Popen(
                        [DASK, "worker", f"127.0.0.1:{port}", "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny"]
                        + common,
                        stdout=log,
                        stderr=log,
                    )
                )
            time.sleep(8)
            executor = ("--executor", f"dask://127.0.0.1:{port}")
            build_times(project, 1, *executor)  # workers import WeasyPrint and load fonts once in their life
            return build_times(project, runs, *executor, cluster=tuple(processes))
        finally:
            for process in processes:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    n, w = options.releases, options.workers
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="presskit-cluster-bench-") as folder:
        project = Path(folder)
        generate(project, n)
        one, one_cpu = build_times(project, options.runs, "-j", "1")
        local, _cpu_uncounted = build_times(project, options.runs, "-j", str(w))
        cluster, cluster_cpu = cluster_times(project, options.runs, w, project)
        single, single_cpu = cluster_times(project, options.runs, 1, project)
    render = one / n
    ideal = n * render / w
    print(
        f"{n} releases, medians of {options.runs} runs (load average before: {load:.1f}, after: {os.getloadavg()[0]:.1f})"
    )
    print("                               wall      CPU (build, scheduler and workers)")
    print(f"build -j 1:                   {one:6.2f} s  {one_cpu:6.2f} s ({one_cpu / n * 1000:.0f} ms a release)")
    print(f"build -j {w}:                   {local:6.2f} s     n/a (its workers are not this process's children)")
    print(
        f"build --executor, {w} workers:  {cluster:6.2f} s  {cluster_cpu:6.2f} s ({cluster_cpu / n * 1000:.0f} ms a release)"
    )
    print(
        f"build --executor, 1 worker:   {single:6.2f} s  {single_cpu:6.2f} s ({single_cpu / n * 1000:.0f} ms a release)"
    )
    print(f"cluster of {w}: {cluster / ideal:.2f} × N × render / W ({ideal:.2f} s, render = -j 1's wall / N)")


if __name__ == "__main__":
    main()
