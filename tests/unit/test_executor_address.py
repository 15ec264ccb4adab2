"""`--executor`: only dask://HOST:PORT (or tcp://HOST:PORT) names a scheduler; anything else is refused, with the reason."""

from __future__ import annotations

import pytest

from presskit.build.cluster import scheduler_address


@pytest.mark.parametrize(
    ("executor", "address"),
    [
        ("dask://127.0.0.1:8786", "127.0.0.1:8786"),
        ("tcp://render-1.example.org:8786", "render-1.example.org:8786"),
        ("dask://[::1]:8786", "[::1]:8786"),
        ("dask://localhost:08786", "localhost:8786"),
    ],
)
def test_a_scheduler_address_is_read(executor, address):
    assert scheduler_address(executor) == address


@pytest.mark.parametrize(
    "executor",
    [
        "http://127.0.0.1:8786",
        "dask://127.0.0.1",
        "dask://:8786",
        "127.0.0.1:8786",
        "dask://host name:8786",
        "dask://-host:8786",
        "dask://127.0.0.1:8786/path",
        "dask://user@127.0.0.1:8786",
        "dask://127.0.0.1:8786\n",
        "ssh://127.0.0.1:22",
    ],
)
def test_anything_else_is_not_a_scheduler(executor):
    with pytest.raises(ValueError, match=r"is not dask://HOST:PORT \(a host name or address, and a port\)$"):
        scheduler_address(executor)


@pytest.mark.parametrize("port", ["0", "65536", "99999"])
def test_the_port_is_a_tcp_port(port):
    with pytest.raises(ValueError, match="the port must be between 1 and 65535$"):
        scheduler_address(f"dask://127.0.0.1:{port}")
