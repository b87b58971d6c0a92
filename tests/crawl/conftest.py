"""Fixtures for crawl tests: loopback hosts served by real HTTP servers (nothing else is a target)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from crawl_fixture_site import FixtureServer


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """Three hosts: main (127.0.0.2), files (127.0.0.3) and foreign (127.0.0.4, never allowed)."""
    srv = FixtureServer({"main": "127.0.0.2", "files": "127.0.0.3", "foreign": "127.0.0.4"}).start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _no_foreign_event_loop() -> Iterator[None]:
    """Run each crawl test without another test's event loop marked running on this thread.

    pytest-playwright's sync API (tests/review_ui browser tests, when they run first in the same
    session) leaves its loop marked running on the main thread, and the crawler's asyncio.run()
    then refuses ("cannot be called from a running event loop"). Unmark it, put it back after.
    """
    loop = asyncio._get_running_loop()
    if loop is not None:
        asyncio._set_running_loop(None)
    try:
        yield
    finally:
        if loop is not None:
            asyncio._set_running_loop(loop)
