"""A local S3-compatible server for the tests of stores and runs at ``s3://`` URLs:
moto's server on 127.0.0.1, on a free port, started and stopped by the test."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def s3_server(monkeypatch: pytest.MonkeyPatch, bucket: str = "bucket") -> Iterator[dict[str, str]]:
    """Start moto's S3 server, point this process (and the processes it starts) at it
    with fake credentials, create ``bucket``; yield the environment; stop the server."""
    moto_server = pytest.importorskip("moto.server")
    s3fs = pytest.importorskip("s3fs")
    port = _free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    try:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        s3fs.S3FileSystem.clear_instance_cache()  # a file system of an earlier server must not be reused
        import urllib.request

        # moto keeps its buckets per process, not per server: start from none
        urllib.request.urlopen(urllib.request.Request(f"{env['AWS_ENDPOINT_URL']}/moto-api/reset", method="POST"))
        s3fs.S3FileSystem().mkdir(bucket)
        yield env
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()
