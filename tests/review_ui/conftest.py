"""Fixtures for the review UI tests: a seeded store, a TestClient, a live server, chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

import review_seed
from review_ui import Settings, create_app

SECRET = "test-secret-key-0123456789abcdef"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


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


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def csrf_of(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF field"
    return str(field["value"])


def login(client: TestClient, name: str = "alice", password: str = review_seed.PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": name, "password": password, "csrf_token": csrf_of(page.text),
                                       "next": "/queue"}, follow_redirects=False)


@pytest.fixture
def reviewer(client: TestClient) -> TestClient:
    response = login(client)
    assert response.status_code == 303, response.text
    return client


# ---------------------------------------------------------------- live server + chromium

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


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
