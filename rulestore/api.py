"""The read-only HTTP JSON API for downstream systems, as a FastAPI router.

    >>> app = create_api_app("noticerules.db")           # the API alone (uvicorn app)  # doctest: +SKIP

To mount it in another app (the review UI's server)::

    app.state.rulestore_db_path = "noticerules.db"
    app.state.rulestore_require_token = True   # False only behind your own auth
    app.include_router(rulestore.api.router)
    install_error_handlers(app)                # the one JSON error shape, for /api paths

Endpoints (all GET, all need ``Authorization: Bearer <token>`` with the scope shown):
``/api/rules`` and ``/api/rules/{id}`` (rules:read), ``/api/query`` (rules:read),
``/api/calc`` (rules:read), ``/api/changes?since=N`` (changes:read). The OpenAPI schema is at
``/openapi.json`` (and ``/docs``). Every error is ``{"error": {"status", "code", "message",
"detail"}}``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import sqlite_utils
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException

from .accounts import token_to_info
from .db import open_db
from .errors import StoreError
from .models import CalcResult, Change, RuleHistory, StoredRule

__all__ = ["QueryFastPath", "app_from_env", "create_api_app", "error_body", "install_error_handlers", "router"]

router = APIRouter(prefix="/api", tags=["rules"])
_pools: dict[str, list[sqlite_utils.Database]] = {}
_pool_lock = threading.Lock()


class ErrorInfo(BaseModel):
    status: int
    code: str
    message: str
    detail: dict[str, Any] | list[Any] | None = None


class ErrorBody(BaseModel):
    error: ErrorInfo


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing, unknown or revoked token"},
    403: {"model": ErrorBody, "description": "the token lacks the scope"},
    404: {"model": ErrorBody, "description": "no such rule / region"},
    422: {"model": ErrorBody, "description": "a parameter is malformed (the message names it)"},
}


def error_body(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"error": {"status": status, "code": code, "message": message, "detail": detail}}


def _reader(needed: str) -> Any:
    """The one dependency of every endpoint: a pooled connection, after the token check.

    Endpoints and this dependency are ``async def`` and query SQLite inline: each read takes
    well under a millisecond (indexed), and hopping to the thread pool cost more than the
    query (measured with scripts/bench_store.py); one dependency instead of two nested ones
    also halves FastAPI's per-request solving. A connection is not tied to a thread
    (``check_same_thread=False``); the pool guarantees one request uses it at a time.
    """

    async def reader(request: Request) -> AsyncIterator[sqlite_utils.Database]:
        path = str(request.app.state.rulestore_db_path)
        with _pool_lock:
            pool = _pools.setdefault(path, [])
            db = pool.pop() if pool else None
        if db is None:
            db = open_db(path, migrate=False, check_same_thread=False)
        try:
            if getattr(request.app.state, "rulestore_require_token", True):
                token_to_info(db, _bearer(request), needed=needed)
            yield db
        finally:
            if db.conn.in_transaction:  # never hand on a connection inside a transaction
                db.conn.rollback()
            with _pool_lock:
                _pools[path].append(db)

    return Depends(reader)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@router.get("/rules", response_model=list[StoredRule], responses=_ERRORS)
async def api_rules(db: sqlite_utils.Database = _reader("rules:read"), status: str | None = None, kind: str | None = None,
              region: str | None = Query(None, description="name or 6-digit code (rules stored for exactly it)"),
              year: int | None = None, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> Any:
    """Rule versions matching the filters (paged with limit/offset)."""
    from .regions import region_to_code
    from .store import list_rules

    code = region_to_code(db, region, year) if region else None
    rules = list_rules(db, status=status, kind=kind, region_code=code, year=year, limit=limit, offset=offset)
    return Response(content=_RULES_JSON.dump_json(rules), media_type="application/json")


@router.get("/rules/{rule_id}", response_model=RuleHistory, responses=_ERRORS)
async def api_rule(rule_id: str, db: sqlite_utils.Database = _reader("rules:read")) -> Any:
    """A rule with all its versions (evidence included) and its review history."""
    from .query import rule_history

    return rule_history(db, rule_id)


_RULES_JSON = TypeAdapter(list[StoredRule])
_CACHE_SIZE = 8192


# a longer stretch of the change feed (a bulk ingest) empties the cache instead of being read
_MAX_CHANGES_SCANNED = 5000


class _AnswerCache:
    """Serialized /api/query answers of one store, valid at change-feed position ``seq``.

    Every write to rules appends to the change feed. When the feed moves on, the cache reads
    the new changes' (region, policy year) and drops only the answers they can alter: same
    year, and the changed region in the answer's chain (its region, city, province,
    national: inheritance). Other answers stay valid at the new seq, so a reviewer's
    approval in one county does not turn every other region's next query into a miss.
    ``as_of`` answers are dropped on any change (kept simple). A region name resolves from
    the static division table, so an answer's chain does not depend on what is stored.
    """

    def __init__(self) -> None:
        # (region, year, kind, as_of) -> (body, year, chain codes; None: drop on any change)
        self._items: OrderedDict[tuple[Any, ...], tuple[bytes, int, frozenset[str] | None]] = OrderedDict()
        # (region code, year) -> keys whose answer it can alter, so a write finds its few stale
        # answers without walking all of them (that walk stalled the event loop ~10 ms a write)
        self._by_slot: dict[tuple[str, int], set[tuple[Any, ...]]] = {}
        self._any_change: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()
        self.seq: int | None = None

    def advance(self, db: sqlite_utils.Database, seq: int) -> None:
        """Move to change seq ``seq`` (read from the store just now), dropping what changed."""
        with self._lock:
            if self.seq is not None and seq <= self.seq:
                return  # current, or a reader that has not seen the newest commit yet
            if self.seq is None or seq - self.seq > _MAX_CHANGES_SCANNED:
                self._items.clear()
                self._by_slot.clear()
                self._any_change.clear()
            else:
                # the rule's key region/year (its revision shows in every answer holding it) and the
                # changed version's own (they agree unless a future edit lets a version move)
                touched = db.execute(
                    "SELECT r.region_code, r.policy_year FROM changes c JOIN rules r ON r.id = c.rule_id "
                    "WHERE c.seq > ? AND c.seq <= ? UNION "
                    "SELECT v.region_code, v.policy_year FROM changes c JOIN rule_versions v ON v.id = c.version_id "
                    "WHERE c.seq > ? AND c.seq <= ?", [self.seq, seq, self.seq, seq]).fetchall()
                stale = set(self._any_change)
                for slot in touched:
                    stale |= self._by_slot.get(tuple(slot), set())
                for key in stale:
                    self._drop(key)
            self.seq = seq

    def _drop(self, key: tuple[Any, ...]) -> None:
        item = self._items.pop(key, None)
        if item is None:
            return
        _, year, chain = item
        if chain is None:
            self._any_change.discard(key)
            return
        for code in chain:
            keys = self._by_slot.get((code, year))
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_slot[(code, year)]

    def get(self, key: tuple[Any, ...], seq: int) -> bytes | None:
        with self._lock:
            if seq != self.seq:
                return None
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: tuple[Any, ...], seq: int, body: bytes, year: int, chain: frozenset[str] | None) -> None:
        with self._lock:
            if seq != self.seq:
                return  # computed at a seq the cache has moved past
            self._drop(key)
            self._items[key] = (body, year, chain)
            if chain is None:
                self._any_change.add(key)
            else:
                for code in chain:
                    self._by_slot.setdefault((code, year), set()).add(key)
            if len(self._items) > _CACHE_SIZE:
                self._drop(next(iter(self._items)))


_answers: dict[str, _AnswerCache] = {}


def _answers_for(path: str) -> _AnswerCache:
    cache = _answers.get(path)
    if cache is None:
        with _pool_lock:
            cache = _answers.setdefault(path, _AnswerCache())
    return cache


_Scope = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
_Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_QUERY_PARAMS = frozenset({"region", "year", "kind", "as_of"})


class _StoreWatch:
    """One read connection per store and process that tells, cheaply, whether the store changed.

    ``PRAGMA data_version`` changes when any other connection (any process) commits, so while
    it stays put the change feed's last seq and every token's verdict are still what they were.
    """

    def __init__(self, path: str) -> None:
        self.db = open_db(path, migrate=False, check_same_thread=False)
        self.version: int | None = None
        self.seq = 0
        self.tokens: set[tuple[str, str]] = set()  # (token, scope) pairs that passed token_to_info

    def refresh(self) -> int:
        """The change feed's last seq; forgets token verdicts when anything was committed."""
        (version,) = self.db.conn.execute("PRAGMA data_version").fetchone()
        if version != self.version:
            (self.seq,) = self.db.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()
            self.tokens.clear()
            self.version = version
        return int(self.seq)

    def token_ok(self, token: str | None, needed: str) -> bool:
        if not token:
            return False
        if (token, needed) in self.tokens:
            return True
        try:
            token_to_info(self.db, token, needed=needed)
        except StoreError:
            return False  # the full path answers with the error
        self.tokens.add((token, needed))
        return True


class QueryFastPath:
    """ASGI middleware: answer well-formed ``GET /api/query`` requests without FastAPI's routing.

    It answers only a query string of one non-empty value per known name (region, year as 4
    digits, kind, as_of) with a token that passes :func:`token_to_info` (verdict kept until
    the next commit to the store), from the same answer cache and with the same bytes and
    headers as :func:`api_query`; a miss is computed with the same :func:`query_rules`.
    Anything else (an odd query string, a bad token, a query that raises) goes on to FastAPI
    unchanged, which answers or words the error as always. A cached answer costs ~0.12 ms of
    server CPU here instead of ~0.5 ms through FastAPI (scripts/bench_store.py).
    """

    def __init__(self, app: Callable[[_Scope, _Receive, _Send], Awaitable[None]]) -> None:
        self.app = app
        self._watches: dict[str, _StoreWatch] = {}

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/api/query" and scope["method"] == "GET":
            body_and_seq = self._answer(scope)
            if body_and_seq is not None:
                body, seq = body_and_seq
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"x-change-seq", str(seq).encode()),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: _Scope) -> tuple[bytes, int] | None:
        state = scope["app"].state if "app" in scope else None
        path = getattr(state, "rulestore_db_path", None)
        if path is None:
            return None
        # parsed as Starlette parses it; anything but one non-empty value per known name
        # (or a year that is not 4 digits) is left to FastAPI's validation
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        params = dict(pairs)
        if (len(params) != len(pairs) or not params.keys() <= _QUERY_PARAMS or not all(params.values())
                or "region" not in params or len(params.get("year", "")) != 4 or not params["year"].isascii()
                or not params["year"].isdigit()):
            return None
        path = str(path)
        watch = self._watches.get(path)
        if watch is None:
            watch = self._watches[path] = _StoreWatch(path)
        seq = watch.refresh()
        if getattr(state, "rulestore_require_token", True) and not watch.token_ok(_bearer_from_scope(scope),
                                                                                "rules:read"):
            return None
        cache = _answers_for(path)
        cache.advance(watch.db, seq)
        region, year, kind, as_of = params["region"], int(params["year"]), params.get("kind"), params.get("as_of")
        body = cache.get((region, year, kind, as_of), seq)
        if body is None:
            body = _query_to_json(watch.db, cache, seq, region, year, kind, as_of)
        return None if body is None else (body, seq)


def _query_to_json(db: sqlite_utils.Database, cache: _AnswerCache, seq: int, region: str, year: int,
                   kind: str | None, as_of: str | None, *, errors_to_none: bool = True) -> bytes | None:
    """Compute an answer as :func:`api_query` does and cache it; None when it raised (with
    ``errors_to_none``), so FastAPI's path answers and words the error."""
    from .query import query_rules
    from .regions import code_to_chain, region_to_code

    try:
        body = _RULES_JSON.dump_json(query_rules(db, region, year, kind=kind, as_of=as_of))
        chain = None if as_of is not None else frozenset(code_to_chain(region_to_code(db, region)))
    except Exception:
        if errors_to_none:
            return None
        raise
    cache.put((region, year, kind, as_of), seq, body, year, chain)
    return body


def _bearer_from_scope(scope: _Scope) -> str | None:
    """As :func:`_bearer` reads it (Starlette's headers.get: the first Authorization header)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


@router.get("/query", response_model=list[StoredRule], responses=_ERRORS)
async def api_query(request: Request, region: str, year: int, db: sqlite_utils.Database = _reader("rules:read"),
              kind: str | None = None,
              as_of: str | None = Query(None, description="ISO datetime: what was approved then")) -> Any:
    """Approved rules for a region and policy year (county → city → province → national)."""
    (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()
    cache = _answers_for(str(request.app.state.rulestore_db_path))
    cache.advance(db, seq)
    body = cache.get((region, year, kind, as_of), seq)
    if body is None:
        body = _query_to_json(db, cache, seq, region, year, kind, as_of, errors_to_none=False)
    return Response(content=body, media_type="application/json", headers={"X-Change-Seq": str(seq)})


@router.get("/calc", response_model=CalcResult, responses=_ERRORS)
async def api_calc(region: str, year: int, paid_on: str, db: sqlite_utils.Database = _reader("rules:read"), group: str | None = None,
             born: str | None = None, as_of: str | None = None) -> Any:
    """The reference calculation (amount due, assistance, benefit start) from approved rules."""
    from .calc import calculate

    return calculate(db, region, year, paid_on=paid_on, group=group, born=born, as_of=as_of)


@router.get("/changes", response_model=list[Change], responses=_ERRORS)
async def api_changes(db: sqlite_utils.Database = _reader("changes:read"), since: int = Query(0, ge=0),
                limit: int = Query(1000, ge=1, le=10000)) -> Any:
    """Changes after sequence number ``since`` (pass the last seq you saw)."""
    from .query import changes_since

    return changes_since(db, since, limit=limit)


def install_error_handlers(app: FastAPI, *, only_api: bool = False) -> None:
    """Answer StoreErrors, HTTP errors and validation errors with the one JSON error shape.

    ``only_api``: leave non-/api paths' HTTP errors to the app's other handlers (HTML pages).
    """

    async def store_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StoreError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(error_body(exc.status, exc.code, exc.message, exc.detail), status_code=exc.status,
                            headers=headers)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "input": e.get("input")} for e in exc.errors()]
        lines = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e['input']!r})" for e in errors)
        return JSONResponse(error_body(422, "invalid_request", lines, errors), status_code=422)

    previous = app.exception_handlers.get(StarletteHTTPException)

    async def http_error(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, StarletteHTTPException)
        if only_api and not request.url.path.startswith("/api") and previous is not None:
            return await previous(request, exc)  # type: ignore[misc]
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404:
            message = f"no route {request.url.path!r}; see /openapi.json"
        return JSONResponse(error_body(exc.status_code, code, message), status_code=exc.status_code)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body(500, "internal_error", f"{type(exc).__name__}: {exc}"), status_code=500)

    app.add_exception_handler(StoreError, store_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def create_api_app(db_path: str, *, require_token: bool = True) -> FastAPI:
    """A FastAPI app serving only the API (for `noticerules serve` before the UI, and the benchmark)."""
    open_db(db_path).conn.close()  # create/migrate once, before workers open read connections
    app = FastAPI(title="noticerules rule store API", version="1",
                  description="Approved and proposed rules from Chinese resident medical-insurance notices.")
    app.state.rulestore_db_path = db_path
    app.state.rulestore_require_token = require_token
    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(QueryFastPath)
    return app


def app_from_env() -> FastAPI:
    """``uvicorn --factory rulestore.api:app_from_env``: the API over ``$NOTICERULES_DB``."""
    from .db import default_db_path

    return create_api_app(default_db_path())
