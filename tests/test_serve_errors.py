"""An unexpected exception inside a handler (in-process): a 500 with a request id, the reason in the
log (one line), never the exception's details in the answer and never a traceback reaching the server."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

import tourgraph.server.stored
from tourgraph.serve import create_app


@pytest.fixture(scope="module")
def app(project, checked, dist):
    application = create_app(project, dist, checked=checked, build_site=False, workers=1)
    yield application
    application.state.service.close()


def get(app, url: str, **kwargs) -> httpx.Response:
    async def send():
        # raise_app_exceptions stays on: an exception escaping the app would fail the test.
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(url, **kwargs)

    return asyncio.run(send())


def test_an_exception_in_a_handler_is_a_500_with_a_request_id_and_one_log_line(app, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk holding /srv/secret is full")

    monkeypatch.setattr(tourgraph.server.stored, "_query_summary", broken)
    caplog.set_level(logging.WARNING, logger="tourgraph.serve")
    response = get(app, "/queries/", headers={"Accept": "application/json"})
    assert response.status_code == 500
    rid = response.headers["X-Request-Id"]
    assert rid in response.text
    assert "secret" not in response.text and "RuntimeError" not in response.text
    records = [r for r in caplog.records if rid in r.getMessage()]
    assert len(records) == 1
    line = records[0].getMessage()
    assert records[0].levelno == logging.ERROR
    assert "GET /queries/" in line and "RuntimeError: the disk holding /srv/secret is full" in line
    assert "\n" not in line


def test_every_answer_carries_a_request_id(app):
    first, second = get(app, "/queries/", headers={"Accept": "application/json"}), get(app, "/nowhere")
    assert first.status_code == 200 and second.status_code == 404
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
