"""Rendering: templates chosen specific → generic, the JSON twin test, and the one error shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .auth import CSRF_FIELD, SessionManager
from .highlight import reveal, reveal_plain

__all__ = ["Renderer", "error_response", "wants_json"]

_HERE = Path(__file__).parent

_TITLES = {400: "Bad request", 401: "Login required", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Changed meanwhile", 422: "Invalid input",
           429: "Too many attempts", 500: "Server error"}


def _finalize(value: Any) -> Any:
    """Every {{ value }} passes here before autoescaping: spell out invisible characters
    (RTL overrides, zero-width) in any string, so no template can forget to (Markup from the
    `reveal` filter has done it already, with styling)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return reveal_plain(value)
    return value


class Renderer:
    """Renders the first template that exists of a specific → generic list of names."""

    def __init__(self, template_dir: str | None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if template_dir:
            loaders.append(jinja2.FileSystemLoader(template_dir))
        loaders.append(jinja2.FileSystemLoader(str(_HERE / "templates")))
        # autoescape everything: every string from a crawled page goes through here
        self.env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True,
                                      lstrip_blocks=True, finalize=_finalize)
        self.env.filters["reveal"] = reveal
        self.env.filters["tojson_pretty"] = lambda v: json.dumps(v, ensure_ascii=False, indent=1, sort_keys=True)

    def render(self, request: Request, names: list[str], context: dict[str, Any],
               status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
        template = self.env.select_template(names)
        sessions: SessionManager = request.app.state.sessions
        session = getattr(request.state, "session", None)
        base = {"request": request, "user": getattr(request.state, "user", None),
                "csrf_field": CSRF_FIELD,
                "csrf_token": sessions.csrf_token(session) if session else "",
                "template_name": template.name}
        html = template.render({**base, **context})
        return HTMLResponse(html, status_code=status, headers=headers)


def wants_json(request: Request) -> bool:
    """JSON for .json twins, the API and scripts that ask for it; HTML for browsers."""
    path = request.url.path
    if path.endswith(".json") or path.endswith(".csv") or path.startswith("/api"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, message: str, title: str | None = None,
                   errors: list[str] | None = None, headers: dict[str, str] | None = None) -> Response:
    """The single error shape: `{status}.html` (else error.html), or a fixed JSON body."""
    title = title or _TITLES.get(status, "Error")
    if wants_json(request):
        body = {"ok": False, "status": status, "title": title, "error": message, "errors": errors or [message]}
        return JSONResponse(body, status_code=status, headers=headers)
    renderer: Renderer = request.app.state.renderer
    return renderer.render(request, [f"{status}.html", "error.html"],
                           {"status": status, "title": title, "message": message, "errors": errors or []},
                           status=status, headers=headers)


