"""The /api/query fast path (QueryFastPath) and the answer cache: the same bytes and headers as
FastAPI's path, the same token checks, writes seen by the next query, and a write dropping only
the answers it can change.

The app is called in-process over ASGI with a real SQLite store; Starlette's router writes
``endpoint`` into the request scope, which tells whether a request went through FastAPI.
The same store opened under a second name (a symlink) has its own cache: answers computed
afresh there are what the cached ones must equal.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI

from rulestore_builders import GUANGXI, contribution, make_extraction
from rulestore import api
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


def _fresh(path: Path, name: str) -> FastAPI:
    """An app over the same store under another file name: an empty answer cache of its own."""
    link = path.parent / name
    link.symlink_to(path.name)
    return create_api_app(str(link))


def _cached_keys(path: Path) -> set[tuple[Any, ...]]:
    return set(api._answers_for(str(path))._items)


def test_the_fast_path_answers_like_fastapi(store):
    app, path, tokens = store
    first = _call(app, JILIN, tokens["all"])  # a miss, computed by the fast path
    second = _call(app, JILIN, tokens["rules"])  # a hit
    full = _call(_fresh(path, "full.db"), f"region={quote('吉林省')}&year=02024", tokens["all"])  # FastAPI's path
    assert (first[3], second[3], full[3]) == (False, False, True)
    assert first[0] == second[0] == full[0] == 200
    assert first[2] == second[2] == full[2] and b'"amount":"380"' in first[2]
    assert first[1] == second[1] == full[1] and set(first[1]) == {"x-change-seq", "content-length", "content-type"}


def test_token_checks_hold_for_cached_answers(store):
    app, path, tokens = store
    assert _call(app, JILIN, tokens["all"])[0] == 200
    for token, status in ((None, 401), ("nr_not-a-real-token", 401), (tokens["changes"], 403)):
        got = _call(app, JILIN, token)
        assert (got[0], got[3]) == (status, True), token
        assert b'"error":{"status":' + str(status).encode() in got[2]
    assert _call(app, JILIN, tokens["other"])[:2:] == _call(app, JILIN, tokens["all"])[:2:]
    db = open_db(path)
    revoke_token(db, 1)  # "all", from another connection, after its verdict was kept
    db.conn.close()
    revoked = _call(app, JILIN, tokens["all"])
    assert revoked[0] == 401 and b"revoked" in revoked[2]
    assert _call(app, JILIN, tokens["other"])[0] == 200


def test_odd_query_strings_and_errors_take_fastapis_path(store):
    app, _, tokens = store
    t = tokens["all"]
    plain = _call(app, JILIN, t)
    for query in (JILIN + "&year=2024", f"region={quote('吉林省')}&year=02024", JILIN + "&extra=1"):
        got = _call(app, query, t)
        assert got[3] is True, query
        assert got[0] == 200 and got[2] == plain[2], query
    for query, status, code in ((f"region={quote('吉林省')}&year=next", 422, b"invalid_request"),
                                (JILIN + "&kind=", 422, b"invalid_value"),
                                (JILIN + "&kind=no_such_kind", 422, b"invalid_value"),
                                (f"region={quote('火星市')}&year=2024", 404, b"unknown_region"),
                                (JILIN + "&as_of=2024-02-30", 422, b"invalid_date")):
        bad = _call(app, query, t)
        assert bad[0] == status and bad[3] is True and b'"code":"' + code + b'"' in bad[2], (query, bad[2])
    other = _call(app, JILIN + "&kind=fiscal_subsidy", t)
    assert other[0] == 200 and other[3] is False and other[2] == b"[]"


def test_a_commit_from_another_connection_is_seen_by_the_next_query(store):
    app, path, tokens = store
    first = _call(app, JILIN, tokens["all"])
    db = open_db(path)
    ext, cap = make_extraction("更正通知", [contribution("390")], source="https://jl.gov.cn/b.html")
    rid = ingest_extraction(db, ext, capture=cap, text="更正通知").rule_ids[0]
    approve(db, f"{rid}@2", actor="bob")
    db.conn.close()
    second = _call(app, JILIN, tokens["all"])
    assert b'"amount":"390"' in second[2] and b'"amount":"380"' in first[2]
    assert int(second[1]["x-change-seq"]) > int(first[1]["x-change-seq"])


def _store_and_approve(path: Path, amount: str, source: str, region: dict[str, Any] | None = None,
                       version: int = 1) -> None:
    db = open_db(path)
    ext, cap = make_extraction(f"通知 {amount}", [contribution(amount, region=region)], source=source, region=region)
    rid = ingest_extraction(db, ext, capture=cap, text=f"通知 {amount}").rule_ids[0]
    approve(db, f"{rid}@{version}", actor="bob")
    db.conn.close()


def test_a_write_drops_only_the_answers_it_can_change(store):
    """A change in one region and year keeps other regions' and years' answers cached, and they
    equal answers computed afresh; a province's change reaches its counties' answers."""
    app, path, tokens = store
    t = tokens["all"]
    _store_and_approve(path, "400", "https://gx.gov.cn/a.html", GUANGXI)
    jilin_2023 = f"region={quote('吉林省')}&year=2023"
    qinbei = "region=450703&year=2024"
    keys = {JILIN: ("吉林省", 2024, None, None), qinbei: ("450703", 2024, None, None),
            jilin_2023: ("吉林省", 2023, None, None)}
    before = {q: _call(app, q, t) for q in keys}
    assert b'"amount":"400"' in before[qinbei][2] and before[jilin_2023][2] == b"[]"
    assert set(keys.values()) <= _cached_keys(path)

    _store_and_approve(path, "390", "https://jl.gov.cn/b.html", version=2)  # Jilin 2024 changes
    jilin = _call(app, JILIN, t)
    assert b'"amount":"390"' in jilin[2]
    fresh_app = _fresh(path, "fresh.db")
    for q in (qinbei, jilin_2023):
        kept = _call(app, q, t)
        assert kept[2] == before[q][2] and kept[2] == _call(fresh_app, q, t)[2], q
        assert kept[1]["x-change-seq"] == jilin[1]["x-change-seq"] != before[q][1]["x-change-seq"]

    cached = _cached_keys(path)
    _store_and_approve(path, "410", "https://gx.gov.cn/b.html", GUANGXI, version=2)  # the county's province
    _call(app, "region=110000&year=2022", t)  # any query moves the cache to the new seq
    assert keys[qinbei] in cached and keys[qinbei] not in _cached_keys(path)
    assert {keys[JILIN], keys[jilin_2023]} <= _cached_keys(path)
    county = _call(app, qinbei, t)
    assert b'"amount":"410"' in county[2] and b'"from_region":"450000"' in county[2]
