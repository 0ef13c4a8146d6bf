"""A real moto server on 127.0.0.1 for the collector tests, reset between tests.

The server runs in a thread of the test process (`moto.server.ThreadedMotoServer`) on a
free port; boto3 reaches it through `AWS_ENDPOINT_URL` with fake credentials, exactly as
it would reach AWS. `MOTO_EC2_LOAD_DEFAULT_AMIS=false` keeps moto's thousands of public
AMIs and snapshots out of the inventory. Helpers live in `helpers.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from .helpers import FAKE_ENV, Moto, post


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Moto]:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    post(f"{moto_url}/moto-api/reset")
    server = Moto(moto_url)
    try:
        yield server
    finally:
        server.enforce_iam(False)
        post(f"{moto_url}/moto-api/reset")


