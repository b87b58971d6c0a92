"""The HTTP API over a real uvicorn server on 127.0.0.1: tokens, endpoints, the one error shape."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from rulestore_builders import contribution, make_extraction
from rulestore.accounts import create_token, revoke_token
from rulestore.api import create_api_app
from rulestore.db import open_db
from rulestore.review import approve
from rulestore.store import ingest_extraction


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    path = tmp_path / "api.db"
    db = open_db(path)
    ext, cap = make_extraction("通知", [contribution("380")], source="https://jl.gov.cn/a.html")
    rid = ingest_extraction(db, ext, capture=cap, text="通知").rule_ids[0]
    approve(db, rid, actor="alice")
    tokens = {"all": create_token(db, "engine"), "rules": create_token(db, "narrow", scopes=["rules:read"]),
              "revoked": create_token(db, "old")}
    revoke_token(db, 3)
    db.conn.close()
    port = _free_port()
    config = uvicorn.Config(create_api_app(str(path)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", tokens
    srv.should_exit = True
    thread.join(5)


def _get(base: str, path: str, token: str | None = None, **params: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(base + path, params=params, headers=headers, timeout=10, trust_env=False)


def _assert_error_shape(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "detail"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]


def test_rules_rule_query_changes(server):
    base, tokens = server
    rules = _get(base, "/api/rules", tokens["all"]).json()
    assert [(r["status"], r["params"]["amount"]) for r in rules] == [("approved", "380")]
    assert isinstance(rules[0]["evidence"], list) and rules[0]["evidence"][0]["source"] == "https://jl.gov.cn/a.html"
    rule = _get(base, f"/api/rules/{rules[0]['id']}", tokens["all"]).json()
    assert [e["action"] for e in rule["events"]] == ["propose", "approve"] and rule["versions"][0]["evidence"]
    answer = _get(base, "/api/query", tokens["all"], region="长春市", year=2024).json()
    assert answer[0]["from_region"] == "220000" and answer[0]["id"] == rules[0]["id"]
    changes = _get(base, "/api/changes", tokens["all"], since=1).json()
    assert [c["action"] for c in changes] == ["approve"]
    calc = _get(base, "/api/calc", tokens["all"], region="220000", year=2024, paid_on="2023-11-01").json()
    assert calc["amount_due"] == "380"


def test_tokens_are_required_and_scoped(server):
    base, tokens = server
    err = _assert_error_shape(_get(base, "/api/rules"), 401, "invalid_credentials")
    assert "Bearer" in err["message"]
    _assert_error_shape(_get(base, "/api/rules", "nr_not-a-real-token"), 401, "invalid_credentials")
    err = _assert_error_shape(_get(base, "/api/rules", tokens["revoked"]), 401, "invalid_credentials")
    assert "revoked" in err["message"]
    assert _get(base, "/api/rules", tokens["rules"]).status_code == 200
    err = _assert_error_shape(_get(base, "/api/changes", tokens["rules"]), 403, "forbidden")
    assert err["detail"]["needed"] == "changes:read" and "narrow" in err["message"]


def test_bad_inputs_get_the_one_error_shape(server):
    base, tokens = server
    t = tokens["all"]
    err = _assert_error_shape(_get(base, "/api/query", t, region="火星市", year=2024), 404, "unknown_region")
    assert "火星市" in err["message"]
    err = _assert_error_shape(_get(base, "/api/query", t, region="吉林省", year=2024, as_of="2024-02-30"), 422,
                              "invalid_date")
    assert "2024-02-30" in err["message"]
    err = _assert_error_shape(_get(base, "/api/query", t, region="吉林省", year="next"), 422, "invalid_request")
    assert "year" in err["message"] and "next" in err["message"]
    _assert_error_shape(_get(base, "/api/rules/ffffffffffff", t), 404, "not_found")
    _assert_error_shape(_get(base, "/api/nothing-here", t), 404, "not_found")
    err = _assert_error_shape(_get(base, "/api/calc", t, region="220000", year=2024, paid_on="2023/11/01"), 422,
                              "invalid_date")
    assert "paid_on" in err["message"]


def test_openapi_schema_lists_the_endpoints(server):
    base, _ = server
    schema = httpx.get(base + "/openapi.json", timeout=10, trust_env=False).json()
    assert {"/api/rules", "/api/rules/{rule_id}", "/api/query", "/api/changes", "/api/calc"} <= set(schema["paths"])
    assert "ErrorBody" in schema["components"]["schemas"]


def test_a_write_is_seen_by_the_next_query(server, tmp_path):
    """Answers are cached per change-feed position: an approval must show up at once."""
    base, tokens = server
    first = _get(base, "/api/query", tokens["all"], region="吉林省", year=2024)
    assert [r["params"]["amount"] for r in first.json()] == ["380"]
    db = open_db(tmp_path / "api.db")
    ext, cap = make_extraction("更正通知", [contribution("390")], source="https://jl.gov.cn/b.html")
    rid = ingest_extraction(db, ext, capture=cap, text="更正通知").rule_ids[0]
    approve(db, f"{rid}@2", actor="bob")
    db.conn.close()
    second = _get(base, "/api/query", tokens["all"], region="吉林省", year=2024)
    assert [r["params"]["amount"] for r in second.json()] == ["390"]
    assert int(second.headers["x-change-seq"]) > int(first.headers["x-change-seq"])
