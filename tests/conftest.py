"""Session-wide test fixtures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

_BROWSER_FIXTURES = {"page", "context", "browser", "playwright"}


@pytest.fixture(autouse=True)
def _no_foreign_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each non-browser test without the browser tests' event loop marked running.

    pytest-playwright's session-scoped sync API (tests/review_ui browser tests) leaves its loop
    marked running on the main thread for the rest of the session, and any later test whose code
    calls asyncio.run() (the crawler, the API cache tests) then fails with "cannot be called from
    a running event loop". Unmark it for the test, put it back after. Browser tests keep it.
    """
    if _BROWSER_FIXTURES & set(request.fixturenames):
        yield
        return
    loop = asyncio._get_running_loop()
    if loop is not None:
        asyncio._set_running_loop(None)
    try:
        yield
    finally:
        if loop is not None:
            asyncio._set_running_loop(loop)
