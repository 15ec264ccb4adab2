"""The build stage's machinery, in process: publication made durable by syncfs(2), the fork server's preloaded
modules, a worker's measure of its own memory."""

from __future__ import annotations

from pathlib import Path


def test_the_build_folder_is_made_durable_by_one_syncfs_on_linux(tmp_path):
    """Publishing flushes the new build with syncfs(2) (one call, not an fsync per file): on Linux the
    call must be found and succeed, or every build falls back to the slower file-by-file fsync."""
    from presskit.build.staging import _syncfs

    (tmp_path / "file").write_bytes(b"x")
    assert _syncfs(tmp_path) is True


def test_the_fork_server_preloads_every_renderer_module():
    """The workers' fork server is started before the renderers' registry is imported (warmstart), so
    its list of modules is written out: it must name every renderer, or workers would import it per start."""
    from presskit import renderers
    from presskit.build import warmstart

    assert set(renderers.modules()) <= set(warmstart.PRELOAD)
    assert len(set(renderers.modules())) == len(renderers.REGISTRY) >= 5
    # The page comes last: it shows the sizes of the files rendered before it.
    assert list(renderers.REGISTRY)[:4] == ["pdf", "docx", "ninjs", "newsml"]
    assert list(renderers.REGISTRY)[-1] == "html"
    assert "presskit.build.workers" in warmstart.PRELOAD


def test_a_worker_measures_its_resident_memory_to_decide_on_trimming():
    """Workers give freed memory back to the system only above renderpool.TRIM_ABOVE resident bytes:
    the measure must be this process's real resident size (VmRSS), or the decision would be blind."""
    from presskit.build.workers import TRIM_ABOVE, _resident_bytes

    status = Path("/proc/self/status").read_text()
    vm_rss = int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) * 1024
    measured = _resident_bytes()
    assert 0 < measured < TRIM_ABOVE * 20
    assert abs(measured - vm_rss) < 8 * 2**20
