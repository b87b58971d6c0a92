"""Fixtures for the review UI tests: a seeded store, a TestClient, a live server, chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from review_helpers import SCREENSHOTS, SECRET, LiveServer, login

import review_seed
from review_ui import Settings, create_app


@pytest.fixture
def store(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "review.db"
    info = review_seed.seed(path, extra=3)
    return {"path": path, **info}


@pytest.fixture
def app(store: dict[str, Any]) -> Any:
    return create_app(store["path"], Settings(secret_key=SECRET))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def reviewer(client: TestClient) -> TestClient:
    response = login(client)
    assert response.status_code == 303, response.text
    return client


# ---------------------------------------------------------------- live server + chromium

@pytest.fixture
def live_store(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "live.db"
    info = review_seed.seed(path, extra=60)
    return {"path": path, **info}


@pytest.fixture
def live_server(live_store: dict[str, Any]) -> Iterator[LiveServer]:
    with LiveServer(create_app(live_store["path"], Settings(secret_key=SECRET))) as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's chromium, never a downloaded one (see shared pitfalls.md)
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"review_ui-{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take
