"""`noticerules serve`: the contract form starts the UI and the API on a real port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from ingest.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_help_names_the_contract_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "Example: noticerules serve"):
        assert option in result.output


def test_serve_starts_the_ui_and_the_api(store: dict[str, Any]) -> None:
    port = _free_port()
    env = {**os.environ, "NOTICERULES_SECRET": "serve-test-secret-0123456789"}
    proc = subprocess.Popen([sys.executable, "-m", "ingest.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--db", str(store["path"])], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                login = httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "serve did not answer within 30 s"
                time.sleep(0.2)
        assert login.status_code == 200 and 'name="csrf_token"' in login.text
        assert httpx.get(f"{base}/queue", follow_redirects=False).status_code == 303
        api = httpx.get(f"{base}/api/rules", headers={"Authorization": f"Bearer {store['token']}"})
        assert api.status_code == 200 and api.json()
        assert httpx.get(f"{base}/api/rules").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_names_a_bad_store_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing-dir" / "x.db"), "--port", "1"])
    assert result.exit_code != 0
    assert "missing-dir" in result.output
