"""presskit's benchmark (not part of the test suite): whole-process wall time and peak memory of real commands.

    .venv/bin/python bench/run.py                      # the full table (about 15 minutes on 2 cores)
    .venv/bin/python bench/run.py --cold 20 --sizes 100 --runs 1 --pandoc-limit 5   # a quick look
    .venv/bin/python bench/run.py --scaling-only --sizes 10000,100000 --large 10000  # check and no-op at scale

Every measured command is a fresh `python -m presskit ...` process on a generated project (bench/generate.py).
Wall times are medians of --runs runs; peak memory is the largest sum of the proportional set size (PSS:
resident memory, pages shared between processes counted once) of the process and its workers, sampled
every 20 ms; the JSON also has the plain RSS sum, which counts the pages workers share with their parent twice. Results: a table on stdout and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from generate import SAMPLES, generate

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NOW = "2026-01-01T00:00:00+00:00"  # every generated release is in the past


# -- measuring one process ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as stream:
                found += [int(c) for c in stream.read().split()]
    except OSError:
        pass
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes: PSS shares the pages a forked worker has in common with its parent."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return pss, rss


def _tree_memory(pid: int) -> tuple[int, int]:
    pss = rss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        one = _memory(current)
        pss, rss = pss + one[0], rss + one[1]
        todo += _children(current)
    return pss, rss


def _become_subreaper() -> None:
    """Have the processes a command leaves behind (presskit's fork server, which forks the workers of a
    first build) handed to this process when the command exits, so that their CPU time can be counted."""
    import ctypes

    PR_SET_CHILD_SUBREAPER = 36
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("bench: prctl(PR_SET_CHILD_SUBREAPER) failed: the CPU times would miss the workers")


def _reap_orphans() -> None:
    """Wait for every descendant that outlived the command: RUSAGE_CHILDREN then includes it and its workers."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def measure(args: list[str], cwd: Path, memory: bool = True) -> dict:
    """Run one command; its wall time, the peak memory of its process tree, and its own largest RSS.

    Sampling memory reads /proc/<pid>/smaps_rollup every 20 ms, which walks the page tables of every
    process of the tree and slows them down (measured: a cold build of 200 took 17.2 s sampled, 14.0 s
    not): timings that are compared are taken with memory=False, and memory in a run of its own.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pss, rss = _tree_memory(process.pid)
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and the workers it waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    if memory:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed in {cwd}:\n{err[-3000:]}")
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": peak[0] / 2**20,
        "peak_rss_mb": peak[1] / 2**20,
        "stdout": out,
        "stderr": err,
    }


def presskit(*args: str) -> list[str]:
    return [PYTHON, "-m", "presskit", *args]


def clean(project: Path) -> None:
    for name in ("out", ".out.builds", ".presskit"):
        path = project / name
        if path.is_symlink():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)


def median_of(runs: int, prepare, args: list[str], project: Path) -> dict:
    """The median wall time of `runs` unsampled runs, and the peak memory of one more, sampled."""
    results = []
    for _ in range(runs):
        prepare()
        results.append(measure(args, project, memory=False))
    prepare()
    sampled = measure(args, project)
    walls = [r["wall"] for r in results]
    return {
        "wall": statistics.median(walls),
        "walls": walls,
        "peak_mb": sampled["peak_mb"],
        "peak_rss_mb": sampled["peak_rss_mb"],
        "last": results[-1],
    }


# -- scenarios ------------------------------------------------------------------------------------

IDEAL = r"""
import json, sys, tempfile, time
from pathlib import Path
from presskit.site import templates
from presskit.sources import load as archive
from presskit.build.pipeline import load_project
from presskit.diagnostics import Reporter
from presskit.renderers import RenderContext
from presskit.renderers.pdf import PdfRenderer
from presskit.site.view import ReleaseView, SiteView
root = Path(sys.argv[1])
config, sources = load_project(root, Reporter(root))
share, shares = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (0, 1)
sources = sources[share::shares]
context = RenderContext(config, templates.environment(config), SiteView(config))
renderer = PdfRenderer()
times = []
with tempfile.TemporaryDirectory() as folder:
    renderer.render(ReleaseView(sources[0].release, config), Path(folder), context)  # warm-up, not counted
    for source in sources:
        started = time.perf_counter()
        renderer.render(ReleaseView(source.release, config), Path(folder), context)
        times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def single_pdf_times(project: Path) -> list[float]:
    """Each release's PDF render time in one warm process, the other cores idle: what the ideal build
    divides among the cores (the issue's definition)."""
    result = measure([PYTHON, "-c", IDEAL, str(project)], project, memory=False)
    return json.loads(result["stdout"])


def busy_pdf_times(project: Path, cores: int) -> list[float]:
    """The same renders, timed while every core renders PDFs: one process per core, each with its share.
    A PDF takes longer when the other cores work too (they share caches and memory bandwidth); this is
    the floor a build rendering nothing but PDFs on every core could reach on this machine."""
    processes = [
        subprocess.Popen(
            [PYTHON, "-c", IDEAL, str(project), str(n), str(cores)],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(cores)
    ]
    times = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"bench: the PDF timing failed:\n{err[-3000:]}")
        times += json.loads(out)
    return times


def pandoc_loop(project: Path, limit: int | None) -> dict | None:
    """What a press office would script: pandoc called for DOCX, HTML and PDF (through WeasyPrint) per release."""
    pandoc = shutil.which("pandoc")
    weasyprint = Path(PYTHON).parent / "weasyprint"
    if pandoc is None or not weasyprint.exists():
        return None
    sources = sorted((project / "releases").glob("*.yaml"))
    markdown = project / "pandoc-src"
    markdown.mkdir(exist_ok=True)
    if not os.environ.get("PYTHONPATH"):  # with PYTHONPATH (another worktree's presskit), that presskit
        sys.path.insert(0, str(REPO / "src"))
    from presskit.build.pipeline import load_project
    from presskit.diagnostics import Reporter

    _config, loaded = load_project(project, Reporter(project))
    for source in loaded:
        release = source.release
        front = json.dumps({"title": release.title, "date": release.date.isoformat(), "lang": release.lang})
        (markdown / f"{release.slug}.md").write_text(
            f"---\n{front}\n---\n\n{release.lead}\n\n{release.body}\n", encoding="utf-8"
        )
    files = sorted(markdown.glob("*.md"))[: limit or None]
    script = "set -e\nfor f in " + " ".join(str(f) for f in files) + "; do\n"
    script += '  pandoc "$f" -o "${f%.md}.docx"\n  pandoc -s "$f" -o "${f%.md}.html"\n'
    script += f'  pandoc "$f" --pdf-engine={weasyprint} -o "${{f%.md}}.pdf" 2>/dev/null\ndone\n'
    result = measure(["bash", "-c", script], project)
    scale = len(sources) / len(files)
    return {
        "wall": result["wall"] * scale,
        "measured_wall": result["wall"],
        "measured_releases": len(files),
        "peak_mb": result["peak_mb"],
        "peak_rss_mb": result["peak_rss_mb"],
    }


def edit_one(project: Path) -> tuple[Path, str]:
    """Change one release's body (a different sentence each time); the file and the new sentence."""
    path = sorted((project / "releases").glob("*.yaml"))[len(list((project / "releases").glob("*.yaml"))) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "\n  Edited for the benchmark at "
    text = text.split(marker)[0].rstrip("\n") if marker in text else text.rstrip("\n")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("body:")) + 1
    sentence = f"Edited for the benchmark at {time.time_ns()}."
    lines.insert(at, f"  {sentence}\n")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, sentence


def serve_edits(project: Path, runs: int) -> dict:
    """`presskit serve` on the project: from the write of one edited release (edit_one) to the moment its
    page served over HTTP has the new sentence (polled every 10 ms), median of `runs` edits. Also, from
    serve's own progress lines (stderr, timestamped as they arrive): the edited release's render."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    args = presskit("serve", "--port", "0", "--now", NOW)
    process = subprocess.Popen(args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[tuple[float, str]] = []  # (when, line) of stdout and stderr
    arrived = threading.Condition()

    def read(stream) -> None:
        for line in stream:
            with arrived:
                lines.append((time.perf_counter(), line))
                arrived.notify_all()

    for stream in (process.stdout, process.stderr):
        threading.Thread(target=read, args=(stream,), daemon=True).start()

    def wait_line(pattern: str, after: int, timeout: float = 600) -> int:
        deadline = time.perf_counter() + timeout
        with arrived:
            while True:
                found = next((i for i in range(after, len(lines)) if pattern in lines[i][1]), None)
                if found is not None:
                    return found
                if process.poll() is not None or time.perf_counter() > deadline:
                    raise SystemExit(
                        f"bench: serve never said {pattern!r}:\n{''.join(text for _, text in lines)[-3000:]}"
                    )
                arrived.wait(0.5)

    walls, renders, rebuilds = [], [], []
    try:
        started = wait_line("serving http://127.0.0.1:", 0)
        port = int(lines[started][1].split("127.0.0.1:")[1].split("/")[0])
        time.sleep(2)  # presskit before issue 16 started watching only after printing the address
        for _ in range(runs):
            seen = len(lines)
            path, sentence = edit_one(project)
            written = time.perf_counter()
            url = f"http://127.0.0.1:{port}/{path.stem}/"
            while time.perf_counter() - written < 600:
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        if sentence in response.read().decode("utf-8", "replace"):
                            break
                except OSError:
                    pass
                time.sleep(0.01)
            else:
                raise SystemExit(f"bench: serve did not serve the edited {url} within 600 s")
            walls.append(time.perf_counter() - written)
            done = wait_line("presskit: rebuilt in", seen)  # idle again before the next edit
            rebuilds.append(float(lines[done][1].split("rebuilt in ")[1].split(" s")[0]))
            start = next((i for i in range(seen, done) if "presskit: rendering 1 release" in lines[i][1]), None)
            end = next((i for i in range(seen, done + 1) if "[1/1] rendered" in lines[i][1]), None)
            if start is not None and end is not None:
                renders.append(lines[end][0] - lines[start][0])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return {"wall": statistics.median(walls), "walls": walls, "renders": renders, "rebuilds": rebuilds}


def seed_build(project: Path) -> None:
    """A published build for a large archive without rendering it all: one release per sample is rendered
    for real, and every other release's files are hard links to the rendered one of the same sample,
    recorded in the manifest under the release's own fingerprint, as presskit records a release it rendered."""
    if not os.environ.get("PYTHONPATH"):  # with PYTHONPATH (another worktree's presskit), that presskit
        sys.path.insert(0, str(REPO / "src"))
    from presskit.build.pipeline import load_project, release_views
    from presskit.build.plan import release_fingerprint, site_fingerprint
    from presskit.diagnostics import Reporter

    releases = project / "releases"
    parked = project / "parked"
    parked.mkdir()
    kinds = len(SAMPLES)  # generate.py cycles through the samples in file order
    files = sorted(releases.glob("*.yaml"))
    for path in files[kinds:]:
        path.rename(parked / path.name)
    measure(presskit("build", "--quiet", "--now", NOW), project)
    for path in parked.iterdir():
        path.rename(releases / path.name)
    parked.rmdir()
    config, sources = load_project(project, Reporter(project))
    store = project / ".out.builds"
    folder = Path(os.path.realpath(project / "out"))
    data = json.loads((store / f"manifest-{folder.name}.json").read_text())
    models = [sources[i].release.slug for i in range(kinds)]
    site = site_fingerprint(config, tuple(sorted({s.release.lang for s in sources})))
    views = {view.slug: view for view in release_views([s.release for s in sources], config)}
    for number, source in enumerate(sources):
        slug = source.release.slug
        model = models[number % kinds]
        if slug in models:
            continue
        target = folder / slug
        target.mkdir()
        names = []
        for name in data["releases"][model]["files"]:
            new = name.replace(model, slug)
            os.link(folder / model / name, target / new)
            names.append(new)
        data["releases"][slug] = {
            "fingerprint": release_fingerprint(source, views[slug], site),
            "files": sorted(names),
        }
    data.pop("site", None)  # the newsroom files recorded are those of the few releases rendered
    (store / f"manifest-{folder.name}.json").write_text(json.dumps(data))
    # One build on top, as presskit makes it: it links every release and records the newsroom's files.
    measure(presskit("build", "--quiet", "--now", NOW), project)


# -- the run --------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            lines = cpuinfo.readlines()
        for line in lines:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores ({cpu}), {memory:.0f} GB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", type=int, default=200, help="releases in the cold-build comparison (default 200)")
    parser.add_argument(
        "--large", type=int, default=1000, help="archive size for the no-op, edit-one and memory targets (default 1000)"
    )
    parser.add_argument(
        "--sizes",
        default="100,1000,10000",
        help="archive sizes for the scaling of check and no-op (default 100,1000,10000)",
    )
    parser.add_argument(
        "--real-limit",
        type=int,
        default=1000,
        help="larger archives get a seeded build (see seed_build) instead of a real cold build",
    )
    parser.add_argument(
        "--scaling-only",
        action="store_true",
        help="only the scaling rows (check, no-op, edit one): no cold-build, ideal or pandoc comparison",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument(
        "--pandoc-limit",
        type=int,
        default=0,
        help="time the pandoc loop on this many releases and scale linearly (default: all)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latest.json")
    parser.add_argument(
        "--scratch",
        type=Path,
        default=REPO / "bench" / "results",
        help="where the generated projects live (default: bench/results/)",
    )
    options = parser.parse_args()
    _become_subreaper()
    cores = len(os.sched_getaffinity(0))
    sizes = sorted({int(s) for s in options.sizes.split(",")} | {options.large})
    rows: list[dict] = []
    results: dict = {
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runs": options.runs,
        "rows": rows,
    }

    def row(name: str, releases: int, measured: dict, note: str = "") -> dict:
        entry = {
            "scenario": name,
            "releases": releases,
            "wall_s": round(measured["wall"], 3),
            "walls_s": [round(w, 3) for w in measured.get("walls", [measured["wall"]])],
            "peak_mb": round(measured.get("peak_mb", 0), 1),
            "peak_rss_mb": round(measured.get("peak_rss_mb", 0), 1),
            "note": note,
        }
        rows.append(entry)
        print(
            f"  {name:<34} {releases:>6} {entry['wall_s']:>9.2f} s {entry['peak_mb']:>6.0f} MB PSS {entry['peak_rss_mb']:>6.0f} MB RSS  {note}",
            flush=True,
        )
        return entry

    options.scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scratch-", dir=options.scratch) as scratch:
        print(f"presskit benchmark on {results['machine']}", flush=True)
        times = cold_comparison(options, Path(scratch), cores, results, row) if not options.scaling_only else []
        scaling(options, Path(scratch), sizes, times, results, row)
    report_targets(options, results)


def cold_comparison(options, scratch: Path, cores: int, results: dict, row) -> list[float]:
    """The cold build of --cold releases against the ideal and the pandoc loop; each PDF's render time."""
    # 1. Cold build of --cold releases against the ideal and the pandoc loop.
    project = scratch / f"cold-{options.cold}"
    generate(project, options.cold)
    # Runs alternate with the ideal's measurement, so that both see the same (shared, noisy) machine.
    colds, ideals, busies, every_time = [], [], [], []
    for _ in range(options.runs):
        clean(project)
        colds.append(measure(presskit("build", "--quiet", "--now", NOW), project, memory=False))
        times = single_pdf_times(project)
        ideals.append(sum(times) / cores)
        every_time += times
        busy = busy_pdf_times(project, cores)
        busies.append(sum(busy) / cores)
    clean(project)
    sampled = measure(presskit("build", "--quiet", "--now", NOW), project)  # memory only: sampling slows it
    cold = {
        "wall": statistics.median(r["wall"] for r in colds),
        "walls": [r["wall"] for r in colds],
        "cpu": statistics.median(r["cpu"] for r in colds),
        "peak_mb": sampled["peak_mb"],
        "peak_rss_mb": sampled["peak_rss_mb"],
    }
    cold_row = row("cold build", options.cold, cold)
    ideal = {"wall": statistics.median(ideals), "walls": ideals}
    times = every_time
    row(
        "ideal (sum of PDF renders / cores)",
        options.cold,
        ideal,
        f"{statistics.mean(times) * 1000:.0f} ms per PDF, {cores} cores, the other cores idle",
    )
    busy_ideal = {"wall": statistics.median(busies), "walls": busies}
    row(
        "PDFs only, on every core at once",
        options.cold,
        busy_ideal,
        f"{statistics.median(busies) * cores / options.cold * 1000:.0f} ms per PDF while {cores} processes render",
    )
    pandoc = pandoc_loop(project, options.pandoc_limit or None)
    if pandoc is not None:
        note = (
            "" if pandoc["measured_releases"] == options.cold else f"measured on {pandoc['measured_releases']}, scaled"
        )
        row("pandoc loop (DOCX, HTML, PDF)", options.cold, pandoc, note)
    results["cold_vs_ideal"] = round(cold_row["wall_s"] / ideal["wall"], 2)
    # The same ideal with the PDF times taken while every core renders (see busy_pdf_times).
    results["cold_vs_busy_ideal"] = round(cold_row["wall_s"] / busy_ideal["wall"], 2)
    results["busy_ideal_vs_ideal"] = round(busy_ideal["wall"] / ideal["wall"], 2)
    # What the cold build would take with every core free: its CPU time (all processes) over the cores.
    results["cold_cpu_s"] = round(cold["cpu"], 2)
    results["cold_cpu_per_core_vs_ideal"] = round(cold["cpu"] / cores / ideal["wall"], 2)
    print(
        f"  (cold build CPU time {cold['cpu']:.1f} s in all processes = {cold['cpu'] / cores:.1f} s per core: "
        f"{results['cold_cpu_per_core_vs_ideal']} x the ideal)",
        flush=True,
    )
    results["pandoc_vs_cold"] = round(pandoc["wall"] / cold_row["wall_s"], 1) if pandoc else None
    shutil.rmtree(project)
    return times


def scaling(options, scratch: Path, sizes: list[int], times: list[float], results: dict, row) -> None:
    """Check (first run, then warm) and build (cold or seeded, no-op, one edit) at each archive size."""
    render = statistics.mean(times) if times else 0.0  # one release's PDF: what an edit must render
    for size in sizes:
        project = scratch / f"archive-{size}"
        started = time.perf_counter()
        generate(project, size)
        print(f"  (generated {size} releases in {time.perf_counter() - started:.1f} s)", flush=True)
        check_cold = measure(presskit("check", "--now", NOW), project)
        row("check, first run", size, check_cold)
        row(
            "check, state warm",
            size,
            median_of(options.runs, lambda: None, presskit("check", "--now", NOW), project),
        )
        if size <= options.real_limit:
            shutil.rmtree(project / ".presskit")  # a cold build: nothing read before
            row(
                "cold build",
                size,
                measure(presskit("build", "--quiet", "--now", NOW), project),
                "memory sampled: slower",
            )
        else:
            seed_build(project)
        noop = median_of(options.runs, lambda: None, presskit("build", "--now", NOW), project)
        assert "(0 rendered," in noop["last"]["stdout"], noop["last"]["stdout"]
        row("no-op rebuild", size, noop, "seeded build" if size > options.real_limit else "")
        edit = median_of(
            options.runs, lambda project=project: edit_one(project), presskit("build", "--now", NOW), project
        )
        assert "(1 rendered," in edit["last"]["stdout"], edit["last"]["stdout"]
        row("rebuild after editing one", size, edit)
        if size == options.large:
            served = serve_edits(project, options.runs)
            render_note = (
                f"render {statistics.median(served['renders']):.2f} s (runs {', '.join(f'{r:.2f}' for r in served['renders'])}); "
                if served["renders"]
                else ""
            )
            row(
                "serve: edit one, save to page",
                size,
                served,
                f"{render_note}serve's own 'rebuilt in' {', '.join(f'{r:.1f}' for r in served['rebuilds'])} s",
            )
            results["serve_edit_large_s"] = round(served["wall"], 3)
            if served["renders"]:
                results["serve_edit_large_minus_render_s"] = round(
                    served["wall"] - statistics.median(served["renders"]), 3
                )
        results.setdefault("noop_s", {})[size] = round(noop["wall"], 3)
        results.setdefault("edit_s", {})[size] = round(edit["wall"], 3)
        if size == options.large:
            results["noop_large_s"] = round(noop["wall"], 3)
            results["edit_large_minus_render_s"] = round(edit["wall"] - render, 3)
            results["peak_large_mb"] = round(max(r["peak_mb"] for r in results["rows"] if r["releases"] == size), 1)
        shutil.rmtree(project)


def report_targets(options, results: dict) -> None:
    """Each target met or missed, printed and written with every row to --out."""
    cold = [
        (f"cold {options.cold} <= 1.3 x ideal", results.get("cold_vs_ideal"), results.get("cold_vs_ideal", 99) <= 1.3),
        (
            f"(cold {options.cold} CPU time / cores <= 1.3 x ideal: the same, with the cores free)",
            results.get("cold_cpu_per_core_vs_ideal"),
            results.get("cold_cpu_per_core_vs_ideal", 99) <= 1.3,
        ),
        (
            f"(cold {options.cold} <= 1.3 x the ideal timed with every core rendering PDFs)",
            results.get("cold_vs_busy_ideal"),
            results.get("cold_vs_busy_ideal", 99) <= 1.3,
        ),
        (
            f"cold {options.cold} >= 4 x faster than pandoc",
            results.get("pandoc_vs_cold"),
            (results.get("pandoc_vs_cold") or 0) >= 4,
        ),
    ]
    targets = [] if options.scaling_only else cold
    targets += [
        (f"no-op {options.large} < 1 s", results.get("noop_large_s"), (results.get("noop_large_s") or 99) < 1),
        (
            f"edit one of {options.large} < 1.5 s + its render",
            results.get("edit_large_minus_render_s"),
            (results.get("edit_large_minus_render_s") or 99) < 1.5,
        ),
        (
            f"peak memory at {options.large} < 250 MB",
            results.get("peak_large_mb"),
            (results.get("peak_large_mb") or 9999) < 250,
        ),
    ]
    if "serve_edit_large_minus_render_s" in results:
        value = results["serve_edit_large_minus_render_s"]
        targets.append((f"serve: edit one of {options.large}, save to page < 0.5 s + its render", value, value < 0.5))
    warm = results.get("check_warm_s", {})
    if 10000 in warm:
        targets.append(("warm check of 10000 < 0.6 s", warm[10000], warm[10000] < 0.6))
    for kind in ("noop", "edit"):
        figures = results.get(f"{kind}_s", {})
        if 10000 in figures and 100000 in figures:
            ratio = round(figures[100000] / figures[10000], 2)
            targets.append((f"{kind} at 100000 within 2 x of 10000", ratio, ratio <= 2))
    results["targets"] = [{"target": t, "value": v, "met": bool(m)} for t, v, m in targets]
    print("\ntargets:")
    for target, value, met in targets:
        print(f"  {'met    ' if met else 'MISSED '} {target}: {value}")
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {options.out}")


if __name__ == "__main__":
    main()
