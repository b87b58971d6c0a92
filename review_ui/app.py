"""The review UI application: create_app(db_path, settings) wires pages, auth, errors and the API."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rulestore import StoreError

from . import data
from .auth import SessionManager, Throttle
from .errors import LoginThrottled, NotLoggedIn, ReviewUIError
from .render import Renderer, error_response, wants_json
from .settings import Settings

__all__ = ["create_app"]

_HERE = Path(__file__).parent
_log = logging.getLogger("review_ui")



def _install_error_handlers(app: FastAPI) -> None:
    """One error shape for the pages; /api paths keep rulestore's API error body."""
    api_handlers = dict(app.exception_handlers)  # rulestore.api's, installed just before

    def _api(request: Request, kind: type) -> Any:
        return api_handlers.get(kind) if request.url.path.startswith("/api") else None

    @app.exception_handler(ReviewUIError)
    async def _ui_error(request: Request, exc: ReviewUIError) -> Response:
        if isinstance(exc, NotLoggedIn) and not wants_json(request) and request.method == "GET":
            return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, LoginThrottled) else None
        return error_response(request, exc.status, exc.message, exc.title,
                              getattr(exc, "errors", None), headers=headers)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        if (handler := _api(request, StoreError)) is not None:
            return await handler(request, exc)  # type: ignore[no-any-return]
        # rulestore's errors carry their HTTP status and a message naming the input and the fix
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if (handler := _api(request, StarletteHTTPException)) is not None:
            return await handler(request, exc)  # type: ignore[no-any-return]
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail, ensure_ascii=False)
        if exc.status_code == 404:
            detail = f"no page {request.url.path!r}; start from the queue at /queue"
        return error_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        if (handler := _api(request, RequestValidationError)) is not None:
            return await handler(request, exc)  # type: ignore[no-any-return]
        lines = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
        return error_response(request, 422, "; ".join(lines), errors=lines)

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        _log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error; the server log has the details")


def create_app(db_path: str | Path, settings: Settings | None = None) -> FastAPI:
    """The review UI on the store at `db_path`, with rulestore's downstream API under /api.

    Example: uvicorn.run(create_app("noticerules.db"), host="127.0.0.1", port=8000)
    """
    from .views import router

    settings = settings or Settings()
    app = FastAPI(title="noticerules review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.db_path = str(db_path)
    app.state.store = data.open_store(db_path)
    app.state.counts = data.CountsCache(str(db_path))
    app.state.renderer = Renderer(settings.template_dir)
    app.state.sessions = SessionManager(settings)
    app.state.throttle = Throttle(settings.login_max_failures, settings.login_window)
    data.mount_api(app, db_path)  # before our handlers: they hand /api errors to the API's own
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(router)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        started = time.perf_counter()
        response: Response = await call_next(request)
        # server time of the request (read by scripts/bench_ui.py and the browser's dev tools)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        # no inline scripts anywhere: a script that slipped through escaping still cannot run
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
