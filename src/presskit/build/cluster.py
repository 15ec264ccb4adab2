"""Where a build renders: this machine's processes, or a Dask cluster (`presskit build --executor dask://HOST:PORT`).

With a cluster, each release is a task of build/remote.py (a pure function: content, photos and site in,
files out); the results are written into this machine's build folder, so publication stays local and atomic.
The cluster pool offers what the pipeline uses of workers.RenderPool: start() and render().
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Callable
from concurrent.futures import CancelledError

from presskit.build import remote
from presskit.build.staging import Staging, StagingError
from presskit.build.workers import Pool, Rendered, RenderPool
from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.site.view import ReleaseView

SCHEMES = ("dask", "tcp")
_ADDRESS = re.compile(
    r"(?P<scheme>[a-z]+)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)"
    r":(?P<port>[0-9]{1,5})"
)
CONNECT_TIMEOUT = 10  # seconds
RETRIES = 1  # a task that raised (a worker's full disk) is tried once more; a lost worker's tasks are always re-run
IN_FLIGHT_PER_THREAD = 4  # releases submitted ahead of the results: the workers never wait, memory stays bounded
MIN_IN_FLIGHT = 16  # also for workers that join after the build started


class ClusterError(Exception):
    """The cluster cannot be used: unreachable, or its workers would not render the same bytes."""


def scheduler_address(executor: str) -> str:
    """`dask://HOST:PORT` (or `tcp://HOST:PORT`) as the scheduler's address; ValueError saying what is wrong."""
    match = _ADDRESS.fullmatch(executor)
    if match is None or match["scheme"] not in SCHEMES:
        raise ValueError(f"--executor {executor!r} is not dask://HOST:PORT (a host name or address, and a port)")
    if not 1 <= int(match["port"]) <= 65535:
        raise ValueError(f"--executor {executor!r}: the port must be between 1 and 65535")
    return f"{match['host']}:{int(match['port'])}"


class Executor:
    """The renderers of one build: a pool of local processes, or a connection to a Dask scheduler (closed at the end)."""

    def __init__(self, jobs: int, client=None):
        self.jobs = jobs
        self.client = client

    @classmethod
    def open(cls, executor: str | None, jobs: int) -> Executor:
        """Local processes when `executor` is None; else connect to the cluster and check its workers."""
        if executor is None:
            return cls(jobs)
        try:
            address = scheduler_address(executor)
        except ValueError as exc:
            raise ClusterError(str(exc)) from None
        return cls(jobs, _connect(address))

    @property
    def local(self) -> bool:
        """Whether releases are rendered by this machine's processes."""
        return self.client is None

    def pool(self, config: Config, languages: tuple[str, ...]) -> RenderPool | ClusterPool:
        if self.client is None:
            return RenderPool(config, self.jobs, languages)
        return ClusterPool(self.client, config, languages)

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


def _connect(address: str):
    try:
        # Deliberate lazy import: Dask is the optional extra presskit[cluster], and takes a second to import.
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--executor needs Dask: install presskit[cluster] (pip install 'presskit[cluster]')"
        ) from None
    # Dask's own log lines (a lost connection's tracebacks) are not for the press officer: what matters is reported.
    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    host, _, port = address.rpartition(":")
    try:  # a refused connection is known at once (Dask's client would try again until its timeout)
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
        client = Client(f"tcp://{address}", timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    try:
        _check_workers(client)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client) -> None:
    """Every connected worker must have this machine's presskit, rendering libraries and fonts."""
    here = remote.environment()
    try:
        found = client.run(remote.environment)
    except Exception as exc:
        raise ClusterError(f"cannot ask the Dask workers what they run: {type(exc).__name__}: {exc}") from None
    for worker, environment in sorted(found.items()):
        differences = remote.differing(here, environment)
        if differences:
            raise ClusterError(
                f"the Dask worker {worker} would not render the same documents: {differences}; "
                "install the same presskit, libraries and fonts on every worker"
            )


class ClusterPool(Pool):
    """Renders releases on a Dask cluster into this machine's build folder (workers.RenderPool's interface)."""

    def __init__(self, client, config: Config, languages: tuple[str, ...] = ()):
        self.client = client
        self.address = client.scheduler.address.removeprefix("tcp://")
        self.config = config
        self.languages = languages
        self._site = None  # the Site, sent once to every worker

    def start(
        self,
        items: list[ReleaseView],
        staging: Staging,
        started: Callable[[], None] = lambda: None,
        done: Callable[[str, Rendered], None] = lambda slug, rendered: None,
    ) -> ClusterRendering:
        """Send the first releases to the cluster; the Rendering's results() sends the others and waits for all."""
        rendering = ClusterRendering(self, items, staging, done)
        started()
        return rendering

    def site(self):
        """The site's future on the cluster (the configuration, templates and logo, sent to every worker once)."""
        if self._site is None:
            site = remote.Site.of(self.config, self.languages)
            self._site = self.client.scatter(site, broadcast=True, hash=False)
        return self._site

    def submit(self, view: ReleaseView):
        root = self.config.root
        photos = {remote.inside(p.source, root): p.source.read_bytes() for p in view.release.photos}
        return self.client.submit(remote.render, self.site(), view, photos, pure=False, retries=RETRIES)

    def crash(self, view: ReleaseView, message: str) -> Rendered:
        reporter = Reporter(self.config.root)
        reporter.error(view.release.source, 1, 1, message, "render.cluster")
        return Rendered(reporter.items)


class ClusterRendering:
    """Releases being rendered on the cluster: results() writes each one's files as it arrives, in any order."""

    def __init__(self, pool: ClusterPool, items: list[ReleaseView], staging: Staging, done):
        self._pool = pool
        self._items = items
        self._staging = staging
        self._done = done
        self._finished: dict[str, Rendered] | None = None if items else {}
        self._waiting = list(reversed(items))
        self._futures: dict = {}
        if items:
            threads = sum(pool.client.nthreads().values()) or 1
            for _ in range(min(len(items), max(MIN_IN_FLIGHT, IN_FLIGHT_PER_THREAD * threads))):
                self._send()

    @property
    def pending(self) -> bool:
        return self._finished is None

    def _send(self):
        view = self._waiting.pop()
        future = self._pool.submit(view)
        self._futures[future] = view
        return future

    def results(self) -> dict[str, Rendered]:
        """Every release's outcome; a task the cluster could not run becomes that release's error, never an exception."""
        if self._finished is None:
            from distributed import as_completed  # deliberate lazy import: the optional extra, loaded by _connect

            results: dict[str, Rendered] = {}
            flow = as_completed(list(self._futures), loop=self._pool.client.loop)
            for future in flow:
                view = self._futures.pop(future)
                try:
                    outcome = future.result()
                except CancelledError as exc:  # not by this build: the scheduler is lost, and every release with it
                    reason = getattr(exc, "reason", None) or "cancelled"
                    raise StagingError(f"lost the Dask scheduler at {self._pool.address} ({reason})") from None
                except OSError as exc:
                    results[view.slug] = self._pool.crash(view, f"the cluster could not render it: {exc}")
                except Exception as exc:
                    message = f"the cluster could not render it: {type(exc).__name__}: {exc}"
                    results[view.slug] = self._pool.crash(view, message)
                else:
                    results[view.slug] = self._write(view, outcome)
                future.release()
                if self._waiting:
                    flow.add(self._send())
                self._done(view.slug, results[view.slug])
            self._finished = {view.slug: results[view.slug] for view in self._items}
        return self._finished

    def _write(self, view: ReleaseView, outcome: remote.Outcome) -> Rendered:
        """A rendered release's files (photos with their credits included) into the build folder."""
        if not outcome.rendered.ok:
            return outcome.rendered
        for name in outcome.files:
            if name in ("", ".", "..") or name.startswith("/") or ".." in name.split("/"):
                return self._pool.crash(view, f"the cluster returned an unexpected file name: {name!r}")
        for name, data in sorted(outcome.files.items()):
            self._staging.path(f"{view.slug}/{name}").write_bytes(data)
        return outcome.rendered

    def __enter__(self) -> ClusterRendering:
        return self

    def __exit__(self, *exc) -> None:
        """After a failure, the releases still on the cluster are cancelled."""
        if self._futures:
            self._pool.client.cancel(list(self._futures))
            self._futures.clear()
