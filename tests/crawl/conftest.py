"""Fixtures for crawl tests: loopback hosts served by real HTTP servers (nothing else is a target)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from crawl_fixture_site import FixtureServer


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """Three hosts: main (127.0.0.2), files (127.0.0.3) and foreign (127.0.0.4, never allowed)."""
    srv = FixtureServer({"main": "127.0.0.2", "files": "127.0.0.3", "foreign": "127.0.0.4"}).start()
    yield srv
    srv.stop()
