"""Output folders and concurrent builds: presskit deletes only what it created, and two builds never lose a file."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from support.hostile import file_size_limit, mount_tmpfs
from support.project import GOOD_RELEASE, expected_store, make_project, run_presskit, tree_digest

NOW = "2024-02-01T00:00:00+00:00"
HELD = "title: Held back\ndate: 2024-03-01\nembargo: 2024-03-01T09:00:00+01:00\nbody: Secret.\ncontacts:\n  - name: A\n"
PHOTO = GOOD_RELEASE + "photos:\n  - file: ../pictures/lab.png\n    alt: The lab\n    credit: Test Office\n"


def _everything(project: Path) -> dict[str, str]:
    """Every file of the project and beside it, links followed, and every link's target: what a refusal must not move
    (but presskit's cache of validated releases, which a build that read the releases may update)."""
    digest = {
        name: value for name, value in tree_digest(project.parent).items() if not name.startswith("project/.presskit/")
    }
    for root, dirs, files in os.walk(project.parent):
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                digest[f"link:{path.relative_to(project.parent)}"] = os.readlink(path)
    return digest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A built project with a photo in its own folder, a logo, a templates folder and an embargoed release."""
    config = 'logo = "brand/logo.png"\n'
    folder = make_project(
        tmp_path / "project",
        {"2024-01-15-good.yaml": PHOTO, "2024-03-01-held.yaml": HELD},
        config='[tool.presskit]\norganization = "Test Office"\nbase_url = "https://news.example.org/"\nlang = "en"\n'
        + config,
    )
    (folder / "pictures").mkdir()
    Image.new("RGB", (40, 30), "navy").save(folder / "pictures" / "lab.png")
    (folder / "brand").mkdir()
    Image.new("RGB", (20, 20), "red").save(folder / "brand" / "logo.png")
    (folder / "templates").mkdir()
    (folder / "templates" / "README.txt").write_text("my notes\n")
    result = run_presskit("build", "--now", NOW, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def _published(project: Path) -> str:
    return os.path.realpath(project / "out")


REFUSED = [
    (
        ["--out", "releases"],
        "refusing to use releases as the output folder: it is inside the releases folder (releases)",
    ),
    (
        ["--out", "releases/new"],
        "refusing to use releases/new as the output folder: it is inside the releases folder (releases)",
    ),
    (
        ["--out", "templates"],
        "refusing to use templates as the output folder: it is inside the templates folder (templates)",
    ),
    (
        ["--out", "pictures/x"],
        "refusing to use pictures/x as the output folder: it is inside the folder of photo lab.png (pictures)",
    ),
    (["--out", "brand/x"], "refusing to use brand/x as the output folder: it is inside the logo's folder (brand)"),
    (
        ["--out", ".presskit"],
        "refusing to use .presskit as the output folder: it is inside the cache folder (.presskit)",
    ),
    (
        ["--out", ".out.builds"],
        "refusing to use .out.builds as the output folder: it is inside presskit's build store .out.builds",
    ),
    (
        ["--out", ".out.builds/x"],
        "refusing to use .out.builds/x as the output folder: it is inside presskit's build store .out.builds",
    ),
    (["--out", "."], "refusing to use . as the output folder: it contains the project"),
    (["--out", ".."], "refusing to use .. as the output folder: it contains the project"),
    (
        ["--out", "mine"],
        "refusing to use mine as the output folder: it is a folder presskit did not make and it is not empty "
        "(give a new or an empty folder)",
    ),
    (
        ["--embargoed", "releases"],
        "refusing to use releases as the embargoed folder: it is inside the releases folder (releases)",
    ),
    (
        ["--embargoed", "mine"],
        "refusing to use mine as the embargoed folder: it is a folder presskit did not make and it is not empty "
        "(give a new or an empty folder)",
    ),
    (
        ["--embargoed", "out"],
        "refusing to use out as the embargoed folder: it must be apart from out (the output folder), "
        "neither inside the other",
    ),
    (
        ["--embargoed", "out/private"],
        "refusing to use out/private as the embargoed folder: it must be apart from out "
        "(the output folder), neither inside the other",
    ),
    (
        ["--out", "public", "--embargoed", "public/private"],
        "refusing to use public/private as the embargoed folder: it must be "
        "apart from public (the output folder), neither inside the other",
    ),
    (
        ["--embargoed", "."],
        "refusing to use . as the embargoed folder: it must be apart from out (the output folder), "
        "neither inside the other",
    ),
]


@pytest.mark.parametrize(("options", "message"), REFUSED, ids=[" ".join(o) for o, _ in REFUSED])
def test_an_output_folder_presskit_did_not_make_is_refused_and_nothing_moves(project: Path, options, message):
    (project / "mine").mkdir()
    (project / "mine" / "thesis.odt").write_text("years of work\n")
    (project / "notes.txt").write_text("notes\n")
    (project / "releases" / "2024-01-15-good.yaml").write_text(PHOTO.replace("First paragraph", "Edited paragraph"))
    before = _everything(project)
    result = run_presskit("build", "--now", NOW, *options, cwd=project)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == f"presskit: {message}; nothing was written."
    assert "Traceback" not in result.stderr
    assert _everything(project) == before


def test_a_file_given_as_the_output_folder_is_a_usage_error(project: Path):
    (project / "notes.txt").write_text("notes\n")
    before = _everything(project)
    result = run_presskit("build", "--out", "notes.txt", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for '--out': Directory 'notes.txt' is a file."
    assert _everything(project) == before


def test_the_embargoed_folder_given_as_the_published_build_is_refused(project: Path):
    before = _everything(project)
    published = _published(project)
    result = run_presskit("build", "--now", NOW, "--embargoed", published, cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"presskit: refusing to use {published} as the embargoed folder: it is inside presskit's build store .out.builds; "
        "nothing was written."
    )
    assert _everything(project) == before


def test_a_build_store_holding_other_files_is_refused(project: Path):
    (project / ".public.builds").mkdir()
    (project / ".public.builds" / "keep.txt").write_text("mine\n")
    before = _everything(project)
    result = run_presskit("build", "--now", NOW, "--out", "public", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "presskit: refusing to use public as the output folder: .public.builds beside it holds files presskit did not make; "
        "nothing was written."
    )
    assert _everything(project) == before


def test_a_new_or_empty_folder_is_accepted_and_the_next_build_reuses_it(project: Path, tmp_path: Path):
    empty = tmp_path / "www"
    empty.mkdir()
    for _ in range(2):
        result = run_presskit(
            "build", "--now", NOW, "--out", str(empty), "--embargoed", str(tmp_path / "private"), cwd=project
        )
        assert result.returncode == 0, result.stderr
        assert empty.is_symlink() and (tmp_path / "private").is_symlink()
        assert Path(os.path.realpath(empty)).parent == tmp_path / ".www.builds"
        assert sorted(p.name for p in (tmp_path / "private").iterdir()) == [
            "2024-03-01-held",
            "index.html",
            "logo.png",
            "newsroom.css",
        ]
    assert (tmp_path / ".www.builds" / ".presskit-store").is_file()


def test_an_empty_output_folder_that_fills_during_the_build_is_not_removed(project: Path, tmp_path: Path):
    """A file that appears in the accepted empty folder while the build waits: the folder is checked again once
    the build has the lock (and publication only ever removes an empty folder, with rmdir)."""
    empty = tmp_path / "www"
    empty.mkdir()
    (tmp_path / ".www.builds").mkdir()
    fd = _hold_lock(tmp_path / ".www.builds")
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "build", "--now", NOW, "--out", str(empty)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _waiting_line(process) == f"presskit: waiting for another build of this project (pid {os.getpid()})...\n"
        (empty / "late.txt").write_text("arrived during the build\n")
    finally:
        os.close(fd)
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 2
    assert err.splitlines()[-1] == (
        f"presskit: refusing to use {empty} as the output folder: it is a folder presskit did not make and it is not empty "
        "(give a new or an empty folder); nothing was written."
    )
    assert sorted(p.name for p in empty.iterdir()) == ["late.txt"]
    assert (empty / "late.txt").read_text() == "arrived during the build\n"


def test_the_message_tells_the_truth_when_the_newsroom_was_published_but_the_embargoed_copies_failed(
    project: Path, tmp_path: Path
):
    disk = tmp_path / "disk"
    disk.mkdir()
    Image.effect_noise((600, 600), 80).convert("RGB").save(project / "pictures" / "noise.png")
    held = HELD + "photos:\n  - file: ../pictures/noise.png\n    alt: Noise\n    credit: Test Office\n"
    (project / "releases" / "2024-03-01-held.yaml").write_text(held)
    (project / "releases" / "2024-01-15-good.yaml").write_text(PHOTO.replace("First paragraph", "Edited paragraph"))
    mounted = mount_tmpfs(disk, "600k")
    try:
        command = [sys.executable, "-m", "presskit", "build", "--now", NOW, "--embargoed", str(disk / "private")]
        result = subprocess.run(
            command,
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=None if mounted else file_size_limit,
        )
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "presskit: 1 error; the newsroom was published in out, but the embargoed copies were not written."
    )
    page = (project / "out" / "2024-01-15-good" / "index.html").read_text()
    assert "Edited paragraph" in page


# -- two builds at once ---------------------------------------------------------------------------------------------


def _hold_lock(store: Path):
    """Take the build lock as another build would: an exclusive flock on <store>/lock with this pid in it."""
    fd = os.open(store / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _waiting_line(process: subprocess.Popen) -> str:
    """The first line of the process's stderr that says it waits (warnings may come before it)."""
    line = process.stderr.readline()
    while line and "waiting" not in line:
        line = process.stderr.readline()
    return line


def test_with_no_wait_a_second_build_exits_at_once_and_changes_nothing(project: Path):
    fd = _hold_lock(project / ".out.builds")
    before = _everything(project)
    try:
        started = time.monotonic()
        result = run_presskit("build", "--now", NOW, "--no-wait", cwd=project)
        elapsed = time.monotonic() - started
    finally:
        os.close(fd)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[-1]
        == f"presskit: another build of this project is running (pid {os.getpid()}); nothing was done."
    )
    assert elapsed < 60
    assert _everything(project) == before


def test_a_second_build_waits_with_a_message_then_builds(project: Path):
    (project / "releases" / "2024-01-15-good.yaml").write_text(PHOTO.replace("First paragraph", "Edited paragraph"))
    fd = _hold_lock(project / ".out.builds")
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "build", "--now", NOW],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _waiting_line(process) == f"presskit: waiting for another build of this project (pid {os.getpid()})...\n"
        time.sleep(0.5)
        assert process.poll() is None  # still waiting
        assert "Edited paragraph" not in (project / "out" / "2024-01-15-good" / "index.html").read_text()
    finally:
        os.close(fd)
    _out, _err = process.communicate(timeout=300)
    assert process.returncode == 0, _err
    assert "Edited paragraph" in (project / "out" / "2024-01-15-good" / "index.html").read_text()


def test_serve_takes_the_same_lock_for_its_build(project: Path):
    fd = _hold_lock(project / ".out.builds")
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "serve", "--port", "0", "--now", NOW],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _waiting_line(process) == f"presskit: waiting for another build of this project (pid {os.getpid()})...\n"
        os.close(fd)
        fd = None
        built = process.stdout.readline()
        assert built.startswith("presskit: built in ") and built.endswith(" s (0 rendered, 1 unchanged).\n"), built
        serving = process.stdout.readline()
        assert serving.startswith("presskit: serving http://127.0.0.1:"), serving
    finally:
        if fd is not None:
            os.close(fd)
        process.kill()
        process.wait(timeout=30)


def _processes() -> dict[int, int]:
    """Every live process of the machine and its parent (zombies, which are gone but not yet reaped, left out)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in "ZX":
                found[int(entry.name)] = int(fields[1])
    return found


def _descendants(pid: int) -> set[int]:
    tree = _processes()
    found, queue = set(), [pid]
    while queue:
        parent = queue.pop()
        for child, its_parent in tree.items():
            if its_parent == parent and child not in found:
                found.add(child)
                queue.append(child)
    return found


@pytest.mark.parametrize("first", [True, False], ids=["first build, fork server", "later build, forked workers"])
def test_a_build_killed_while_rendering_leaves_no_worker_and_no_lock_behind(project: Path, first: bool):
    """kill -9 of a build whose workers are rendering: they end with it (they would otherwise wait for work
    forever), and the next build finds the lock free."""
    for number in range(2, 31):
        (project / "releases" / f"2024-01-{number:02}-more.yaml").write_text(
            PHOTO.replace("A good", f"Number {number}")
        )
    out = ["--out", "fresh"] if first else []  # nothing published there yet: the fork server starts
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "build", "--now", NOW, "-j", "2", *out],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            workers = _descendants(process.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "no render worker started"  # two workers (and the fork server, if first)
        process.kill()
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while workers & _processes().keys() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not workers & _processes().keys(), "render workers outlived their build"
        result = run_presskit("build", "--now", NOW, "--no-wait", *out, cwd=project)
        assert result.returncode == 0, result.stderr
        page = project / ("fresh" if first else "out") / "2024-01-30-more" / "index.html"
        assert "Number 30" in page.read_text()
    finally:
        for pid in workers & _processes().keys():
            os.kill(pid, signal.SIGKILL)


ROUNDS = int(os.environ.get("PRESSKIT_CONCURRENT_ROUNDS", "20"))


@pytest.mark.parametrize("builds", [2, 3])
def test_concurrent_builds_with_edits_always_leave_out_equal_to_a_fresh_build(tmp_path: Path, builds: int):
    releases = {
        f"2024-01-{day:02d}-r{day}.yaml": GOOD_RELEASE.replace("A good release", f"Release {day}")
        for day in (10, 11, 12)
    }
    project = make_project(tmp_path / "project", releases)
    assert run_presskit("build", "-j", "1", cwd=project).returncode == 0
    for round_ in range(ROUNDS):
        name = f"2024-01-{10 + round_ % 3:02d}-r{10 + round_ % 3}.yaml"
        text = GOOD_RELEASE.replace("First paragraph", f"Round {round_} paragraph")
        (project / "releases" / name).write_text(text.replace("A good release", f"Release {round_}"))
        if round_ % 4 == 3:  # sometimes a release comes and goes
            (project / "releases" / f"2024-02-{round_:02d}-extra.yaml").write_text(GOOD_RELEASE)
        if round_ % 4 == 0:
            for extra in (project / "releases").glob("2024-02-*"):
                extra.unlink()
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "presskit", "build", "-j", "1", "-q"],
                cwd=project,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(builds)
        ]
        for process in processes:
            _out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
        verify = run_presskit("build", "--verify", cwd=project)
        assert verify.returncode == 0, f"round {round_}: {verify.stderr}"
        built = sorted(p.name for p in (project / ".out.builds").iterdir())
        assert built == expected_store(project / "out"), f"round {round_}"
        assert f"Round {round_} paragraph" in (project / "out" / name[:-5] / "index.html").read_text()
    shutil.rmtree(project)
