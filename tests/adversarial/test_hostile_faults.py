"""Faults: a build killed at any moment, a full disk, a read-only folder: out/ is always one complete build."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from support.hostile import file_size_limit, mount_tmpfs
from support.project import GOOD_RELEASE, error_lines, expected_store, make_project, run_presskit, tree_digest

SECOND = GOOD_RELEASE.replace("First paragraph of the body.", "Second version of the body, with more words in it.")


def _published(project: Path) -> list[str]:
    """What is in .out.builds: after a successful build, only the folder `out` points to and the spare (the build
    before it), their manifests and the release folders they link to, besides the store's marker and the lock file."""
    return sorted(p.name for p in (project / ".out.builds").iterdir())


def test_sigkill_at_random_moments_leaves_the_old_or_the_new_build_never_a_mix(tmp_path: Path):
    project = make_project(tmp_path / "project", {"2024-01-15-good.yaml": GOOD_RELEASE})
    source = project / "releases" / "2024-01-15-good.yaml"
    assert run_presskit("build", cwd=project).returncode == 0
    digests = {GOOD_RELEASE: tree_digest(project / "out")}
    source.write_text(SECOND)
    started = time.monotonic()
    assert run_presskit("build", cwd=project).returncode == 0
    duration = time.monotonic() - started
    digests[SECOND] = tree_digest(project / "out")
    assert digests[GOOD_RELEASE] != digests[SECOND]
    assert digests[GOOD_RELEASE].keys() == digests[SECOND].keys()

    rng = random.Random(20261126)
    current = SECOND
    outcomes = []
    for _ in range(20):
        target = GOOD_RELEASE if current == SECOND else SECOND
        source.write_text(target)
        # Half the kills anywhere in the build, half near its end, where the new build is published.
        delay = rng.uniform(0.0, duration) if len(outcomes) % 2 else rng.uniform(duration * 0.75, duration * 1.15)
        process = subprocess.Popen(
            [sys.executable, "-m", "presskit", "build"],
            cwd=project,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it finished first: then out/ must be the new build
        process.wait(timeout=60)
        now = tree_digest(project / "out")
        assert now in (digests[GOOD_RELEASE], digests[SECOND]), f"a mix after a kill at {delay:.2f}s"
        current = GOOD_RELEASE if now == digests[GOOD_RELEASE] else SECOND
        assert os.path.realpath(project / "out").startswith(str((project / ".out.builds").resolve()))
        outcomes.append((round(delay, 2), "new" if current == target else "old"))
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert tree_digest(project / "out") == digests[target]
    assert _published(project) == expected_store(project / "out"), outcomes


def test_a_full_disk_while_writing_gives_a_clear_message_and_keeps_out(tmp_path: Path):
    project = make_project(tmp_path / "project", {"2024-01-15-good.yaml": GOOD_RELEASE})
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = mount_tmpfs(disk, "600k")
    try:
        assert run_presskit("build", "--out", str(disk / "out"), cwd=project).returncode == 0
        before = tree_digest(disk / "out")
        link = os.readlink(disk / "out")
        # A 1.1 MB photo: more than the 600 KB disk (or the 300 KB file limit) can take.
        Image.effect_noise((600, 600), 80).convert("RGB").save(project / "releases" / "noise.png")
        (project / "releases" / "2024-01-15-good.yaml").write_text(
            GOOD_RELEASE + "photos:\n  - file: noise.png\n    alt: Noise\n"
        )
        command = [sys.executable, "-m", "presskit", "build", "--out", str(disk / "out")]
        result = subprocess.run(
            command,
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=None if mounted else file_size_limit,
        )
        reason = "No space left on device" if mounted else "File too large"
        assert result.returncode == 1, result.stderr
        assert error_lines(result.stderr) == [
            f"{disk / 'out'}:1:1: error: cannot write the output: {reason} (writing 2024-01-15-good/noise-1.png) [output]",
            "presskit: 1 error; the output folder was left as it was.",
        ]
        assert tree_digest(disk / "out") == before
        assert os.readlink(disk / "out") == link
        build = link.split("/")[-1]
        assert build == os.path.basename(os.path.realpath(disk / "out"))
        assert sorted(p.name for p in (disk / ".out.builds").iterdir()) == expected_store(disk / "out")
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def _read_only(folder: Path):
    """Make a folder unwritable for this process: a read-only bind mount as root, file modes otherwise."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        return lambda: subprocess.run(["umount", str(folder)], check=True), "Read-only file system"
    folder.chmod(0o555)
    return lambda: folder.chmod(0o755), "Permission denied"


def test_a_read_only_build_store_gives_a_clear_message_and_keeps_out(project_copy: Path):
    before = tree_digest(project_copy / "out")
    link = os.readlink(project_copy / "out")
    (project_copy / "releases" / "2024-01-15-good.yaml").write_text(SECOND)
    restore, reason = _read_only(project_copy / ".out.builds")
    try:
        result = run_presskit("build", cwd=project_copy)
    finally:
        restore()
    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        f"out:1:1: error: cannot use the build store next to {project_copy.resolve() / 'out'}: {reason} [output]",
        "presskit: 1 error; the output folder was left as it was.",
    ]
    assert tree_digest(project_copy / "out") == before
    assert os.readlink(project_copy / "out") == link
    assert run_presskit("build", cwd=project_copy).returncode == 0  # and the next build succeeds


def test_an_out_link_pointing_elsewhere_is_refused_and_left_alone(project_copy: Path, tmp_path: Path):
    elsewhere = tmp_path / "precious"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("do not delete\n")
    (project_copy / "out").unlink()
    (project_copy / "out").symlink_to(elsewhere)
    store = tree_digest(project_copy / ".out.builds")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"presskit: refusing to use out as the output folder: it is a link to {elsewhere}, not to a build presskit made; "
        "nothing was written."
    )
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert (elsewhere / "keep.txt").read_text() == "do not delete\n"
    assert os.readlink(project_copy / "out") == str(elsewhere)
    assert tree_digest(project_copy / ".out.builds") == store
