"""The /api/query fast path (CachedQueryMiddleware): same bytes, same token checks, writes seen at once.

The app is called in-process over ASGI with a real SQLite store; Starlette's router writes
``endpoint`` into the request scope, which tells whether a request went the full way.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI

from rulestore_builders import GUANGXI, contribution, make_extraction
from rulestore.accounts import create_token, revoke_token
from rulestore.api import create_api_app
from rulestore.db import open_db
from rulestore.review import approve
from rulestore.store import ingest_extraction


@pytest.fixture
def store(tmp_path: Path) -> tuple[FastAPI, Path, dict[str, str]]:
    path = tmp_path / "cache.db"
    db = open_db(path)
    ext, cap = make_extraction("通知", [contribution("380")], source="https://jl.gov.cn/a.html")
    rid = ingest_extraction(db, ext, capture=cap, text="通知").rule_ids[0]
    approve(db, rid, actor="alice")
    tokens = {"all": create_token(db, "engine"), "rules": create_token(db, "narrow", scopes=["rules:read"]),
              "changes": create_token(db, "feed", scopes=["changes:read"]), "other": create_token(db, "other")}
    db.conn.close()
    return create_api_app(str(path)), path, tokens


def _call(app: FastAPI, query: str, token: str | None) -> tuple[int, dict[str, str], bytes, bool]:
    """(status, headers, body, went through the router) for GET /api/query?<query>."""
    headers = [(b"host", b"test")]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope: dict[str, Any] = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                             "scheme": "http", "path": "/api/query", "raw_path": b"/api/query",
                             "query_string": query.encode(), "root_path": "", "headers": headers,
                             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body, "endpoint" in scope


JILIN = f"region={quote('吉林省')}&year=2024"


def test_a_cached_answer_skips_routing_with_the_same_bytes_and_headers(store):
    app, _, tokens = store
    first = _call(app, JILIN, tokens["all"])
    second = _call(app, JILIN, tokens["rules"])
    assert first[0] == second[0] == 200
    assert first[3] is True and second[3] is False
    assert second[2] == first[2] and b'"amount":"380"' in first[2]
    assert second[1] == first[1] and set(first[1]) == {"x-change-seq", "content-length", "content-type"}


def test_token_checks_hold_for_cached_answers(store):
    app, path, tokens = store
    assert _call(app, JILIN, tokens["all"])[0] == 200
    for token, status in ((None, 401), ("nr_not-a-real-token", 401), (tokens["changes"], 403)):
        got = _call(app, JILIN, token)
        assert (got[0], got[3]) == (status, True), token
        assert b'"error":{"status":' + str(status).encode() in got[2]
    assert _call(app, JILIN, tokens["other"])[:2:] == _call(app, JILIN, tokens["all"])[:2:]
    db = open_db(path)
    revoke_token(db, 1)  # "all", from another connection, after its verdict was cached
    db.conn.close()
    revoked = _call(app, JILIN, tokens["all"])
    assert revoked[0] == 401 and b"revoked" in revoked[2]
    assert _call(app, JILIN, tokens["other"])[0] == 200


def test_odd_query_strings_take_the_full_path_and_answer_the_same(store):
    app, _, tokens = store
    t = tokens["all"]
    plain = _call(app, JILIN, t)
    assert _call(app, JILIN, t)[3] is False
    for query in (JILIN + "&year=2024", f"region={quote('吉林省')}&year=02024", JILIN + "&extra=1"):
        got = _call(app, query, t)
        assert got[3] is True, query
        assert got[0] == 200 and got[2] == plain[2], query
    for query in (f"region={quote('吉林省')}&year=next", JILIN + "&kind="):
        bad = _call(app, query, t)
        assert bad[0] == 422 and bad[3] is True and b'"error":{"status":422' in bad[2], query
    other = _call(app, f"region={quote('吉林省')}&year=2024&kind=fiscal_subsidy", t)
    assert other[0] == 200 and other[2] == b"[]"


def test_a_commit_from_another_connection_is_seen_by_the_next_cached_query(store):
    app, path, tokens = store
    first = _call(app, JILIN, tokens["all"])
    assert _call(app, JILIN, tokens["all"])[3] is False
    db = open_db(path)
    ext, cap = make_extraction("更正通知", [contribution("390")], source="https://jl.gov.cn/b.html")
    rid = ingest_extraction(db, ext, capture=cap, text="更正通知").rule_ids[0]
    approve(db, f"{rid}@2", actor="bob")
    db.conn.close()
    second = _call(app, JILIN, tokens["all"])
    assert second[3] is True and b'"amount":"390"' in second[2]
    assert int(second[1]["x-change-seq"]) > int(first[1]["x-change-seq"])
    third = _call(app, JILIN, tokens["all"])
    assert third[3] is False and third[2] == second[2]


def _store_and_approve(path: Path, amount: str, source: str, region: dict[str, Any] | None = None,
                       version: int = 1) -> None:
    db = open_db(path)
    ext, cap = make_extraction(f"通知 {amount}", [contribution(amount, region=region)], source=source, region=region)
    rid = ingest_extraction(db, ext, capture=cap, text=f"通知 {amount}").rule_ids[0]
    approve(db, f"{rid}@{version}", actor="bob")
    db.conn.close()


def test_a_write_drops_only_the_answers_it_can_change(store):
    """A change in one region and year leaves other regions' and years' cached answers in use."""
    app, path, tokens = store
    t = tokens["all"]
    _store_and_approve(path, "400", "https://gx.gov.cn/a.html", GUANGXI)
    qinbei, jilin_2023 = "region=450703&year=2024", f"region={quote('吉林省')}&year=2023"
    before = {q: _call(app, q, t) for q in (JILIN, qinbei, jilin_2023)}
    assert all(got[3] for got in before.values()) and b'"amount":"400"' in before[qinbei][2]
    assert all(not _call(app, q, t)[3] for q in before)

    _store_and_approve(path, "390", "https://jl.gov.cn/b.html", version=2)  # Jilin 2024 changes
    jilin = _call(app, JILIN, t)
    assert jilin[3] is True and b'"amount":"390"' in jilin[2]
    for q in (qinbei, jilin_2023):
        kept = _call(app, q, t)
        assert kept[3] is False and kept[2] == before[q][2], q
        assert kept[1]["x-change-seq"] == jilin[1]["x-change-seq"] != before[q][1]["x-change-seq"]
        fresh = _call(app, q.replace("year=", "year=0"), t)  # 02024: FastAPI's path, computed anew
        assert fresh[3] is True and fresh[2] == kept[2], q

    _store_and_approve(path, "410", "https://gx.gov.cn/b.html", GUANGXI, version=2)  # the county's province
    county = _call(app, qinbei, t)
    assert county[3] is True and b'"amount":"410"' in county[2] and b'"from_region":"450000"' in county[2]
    assert _call(app, JILIN, t)[3] is False
