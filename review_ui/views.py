"""The pages of the review UI: one view per page, each with a JSON twin (`.json`).

Reads go through review_ui.data (which calls rulestore); writes need a reviewer session
and the CSRF token of that session, sent as a form field or the X-CSRF-Token header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from . import data
from .auth import CSRF_FIELD, CSRF_HEADER, WRITE_ROLES, SessionManager, Throttle
from .errors import Forbidden, InvalidInput, NotLoggedIn
from .highlight import Span, text_to_segments
from .render import wants_json
from .validate import form_to_correction

__all__ = ["router"]

router = APIRouter()


# ---------------------------------------------------------------- dependencies

def _store(request: Request) -> Iterator[Any]:
    """One connection per request: SQLite connections must not cross threads."""
    store = data.connect(request.app.state.db_path)
    try:
        yield store
    finally:
        data.close(store)


def _viewer(request: Request, store: Any = Depends(_store)) -> dict[str, Any]:
    """The logged-in account (any role), or NotLoggedIn."""
    sessions: SessionManager = request.app.state.sessions
    session = sessions.read(request)
    request.state.session = session
    if session is None or session.user is None:
        raise NotLoggedIn()
    user = data.user(store, session.user)
    if user is None:  # the account was removed since login
        raise NotLoggedIn()
    request.state.user = user
    return user


async def _csrf(request: Request) -> None:
    """Check the CSRF token of a state-changing request (form field or header)."""
    token = request.headers.get(CSRF_HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # starlette caches it; Form() parameters read the same
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    sessions: SessionManager = request.app.state.sessions
    sessions.check_csrf(sessions.read(request), token)


def _reviewer(request: Request, user: dict[str, Any] = Depends(_viewer), _: None = Depends(_csrf)) -> dict[str, Any]:
    """A logged-in reviewer or admin whose request carries the right CSRF token."""
    if user.get("role") not in WRITE_ROLES:
        raise Forbidden(user.get("role"), "reviewer")
    return user


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    out: dict[str, Any] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def _render(request: Request, names: list[str], context: dict[str, Any], json_data: Any = None,
            status: int = 200) -> Response:
    if request.url.path.endswith(".json"):
        return JSONResponse(json_data if json_data is not None else context, status_code=status)
    return request.app.state.renderer.render(request, names, context, status=status)


def _safe_next(target: str | None) -> str:
    """Only same-site paths may be redirect targets (no //evil.example, no javascript:)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


# ---------------------------------------------------------------- login / logout

@router.get("/", include_in_schema=False)
def index() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> Response:
    sessions: SessionManager = request.app.state.sessions
    session = sessions.read(request)
    fresh = session is None
    if session is None:
        session = sessions.new_anonymous()
    request.state.session = session
    page = request.app.state.renderer.render(request, ["login.html"], {"next": _safe_next(next), "error": None})
    if fresh:
        sessions.set_anonymous(page, session)
    return page


@router.post("/login")
def login_submit(request: Request, form: dict[str, Any] = Depends(_form), _: None = Depends(_csrf),
                 store: Any = Depends(_store)) -> Response:
    throttle: Throttle = request.app.state.throttle
    name = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    client = f"ip:{request.client.host if request.client else '-'}"
    throttle.check(f"user:{name}", client)
    user = data.login(store, name, password) if name and password else None
    if user is None:
        throttle.fail(f"user:{name}", client)
        sessions: SessionManager = request.app.state.sessions
        request.state.session = sessions.read(request)
        return request.app.state.renderer.render(
            request, ["login.html"], {"next": _safe_next(form.get("next")),
                                      "error": "wrong user name or password"}, status=401)
    throttle.succeed(f"user:{name}")
    response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
    request.app.state.sessions.login(response, user["name"])
    return response


@router.post("/logout")
def logout(request: Request, _: None = Depends(_csrf)) -> Response:
    response = RedirectResponse("/login", status_code=303)
    request.app.state.sessions.logout(request, response)
    return response


# ---------------------------------------------------------------- queue

def _queue_filters(request: Request) -> data.QueueFilters:
    try:
        return data.QueueFilters.from_query(request.query_params)
    except ValueError as exc:
        raise InvalidInput([str(exc)]) from None


@router.get("/queue")
@router.get("/queue.json")
def queue(request: Request, user: dict[str, Any] = Depends(_viewer), store: Any = Depends(_store)) -> Response:
    filters = _queue_filters(request)
    after = request.query_params.get("after")
    total = data.queue_total(store, filters)  # the headline number is always exact
    try:
        page = data.queue_page(store, filters, after=after, limit=request.app.state.settings.page_size,
                               total=total)
    except ValueError as exc:
        raise InvalidInput([str(exc)]) from None
    if request.url.path.endswith(".json"):
        counts: dict[str, Any] | None = request.app.state.counts.get(store, filters)
    else:
        counts = request.app.state.counts.peek(store, filters)
    context = {"filters": filters, "rows": page.rows, "next_after": page.next_after, "counts": counts,
               "total": total, "query": filters.to_query(), "after": after,
               "static_options": data.static_options()}
    json_data = {"filters": filters.as_dict(), "rules": page.rows, "next_after": page.next_after,
                 "total": total, "counts": counts}
    return _render(request, ["queue.html"], context, json_data)


@router.get("/queue/counts.json")
def queue_counts(request: Request, user: dict[str, Any] = Depends(_viewer), store: Any = Depends(_store)) -> Response:
    """The facet counts for a filter set (computed now if not cached): the queue page fills them in."""
    return JSONResponse(request.app.state.counts.get(store, _queue_filters(request)))


@router.post("/bulk-approve")
def bulk_approve(request: Request, form: dict[str, Any] = Depends(_form),
                 user: dict[str, Any] = Depends(_reviewer), store: Any = Depends(_store)) -> Response:
    picked = form.get("rule", [])
    picked = [picked] if isinstance(picked, str) else picked
    if not picked:
        raise InvalidInput(["rule: select at least one rule to approve"])
    items: list[tuple[str, int, int]] = []
    for item in picked:  # "RULE_ID@VERSION@REVISION": the revision the reviewer saw in the list
        parts = item.split("@")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            raise InvalidInput([f"rule: {item!r} is not RULE_ID@VERSION@REVISION"])
        items.append((parts[0], int(parts[1]), int(parts[2])))
    result = data.bulk_approve(store, items, user["name"], str(form.get("comment") or "") or None)
    back = _safe_next(str(form.get("back") or "/queue"))
    sep = "&" if "?" in back else "?"
    flash = urlencode({"done": "bulk", "n": result["approved"], "failed": result["failed"]})
    if wants_json(request):
        return JSONResponse(result)
    return RedirectResponse(f"{back}{sep}{flash}", status_code=303)


# ---------------------------------------------------------------- rule card

@router.get("/rules/{rule_id}")
def rule_latest(request: Request, rule_id: str, user: dict[str, Any] = Depends(_viewer),
                store: Any = Depends(_store)) -> Response:
    """A rule without a version: the one to review (its proposed version), else the newest."""
    if rule_id.endswith(".json"):
        rule_id = rule_id[:-5]
        return JSONResponse(data.rule_history(store, rule_id))
    version = data.version_to_review(store, rule_id)
    query = request.url.query
    return RedirectResponse(f"/rules/{rule_id}/{version}" + (f"?{query}" if query else ""), status_code=303)


@router.get("/rules/{rule_id}/{version}")
@router.get("/rules/{rule_id}/{version}.json")  # registered first: the inner decorator runs first
def rule_card(request: Request, rule_id: str, version: int, user: dict[str, Any] = Depends(_viewer),
              store: Any = Depends(_store)) -> Response:
    card = data.rule_card(store, rule_id, version)
    if request.url.path.endswith(".json"):
        return JSONResponse(card)
    return _card_page(request, store, card, _queue_filters(request))


def _card_page(request: Request, store: Any, card: dict[str, Any], filters: data.QueueFilters,
               correction: dict[str, Any] | None = None, errors: list[str] | None = None,
               status: int = 200) -> Response:
    """The rule card; after a rejected correction, with the form open, its errors and the values typed."""
    rule = card["rule"]
    ev = card["evidence"][0] if card["evidence"] else None
    segments = None
    if ev and ev.get("text") is not None:
        spans = [Span(f["start"], f["end"], f["type"]) for f in ev.get("facts", [])]
        segments = text_to_segments(ev["text"], (ev["start"], ev["end"]), spans)
    nav = data.queue_neighbours(store, filters, rule["id"], rule["version"])
    names = [f"rule-{rule['kind']}.html", "rule.html"]
    context = {"card": card, "rule": rule, "segments": segments, "ev": ev, "nav": nav,
               "query": filters.to_query(), "done": request.query_params.get("done"),
               "done_rule": request.query_params.get("rid"), "correct_open": errors is not None,
               "correct_errors": errors or [], "correction": correction or {}}
    return _render(request, names, context, status=status)


def _after_action(request: Request, store: Any, rule_id: str, version: int, form: dict[str, Any],
                  done: str) -> Response:
    """Go on to the next rule of the same queue (what the keyboard flow wants), else the queue."""
    query = str(form.get("query") or "")
    if wants_json(request):
        return JSONResponse({"ok": True, "done": done, "rule_id": rule_id})
    filters = data.QueueFilters.from_query_string(query)
    nav = data.queue_neighbours(store, filters, rule_id, version)
    flash = urlencode({"done": done, "rid": rule_id})
    sep = "&" if query else ""
    if nav.get("next"):
        return RedirectResponse(f"/rules/{nav['next']}?{query}{sep}{flash}", status_code=303)
    return RedirectResponse(f"/queue?{query}{sep}{flash}", status_code=303)


def _seen(form: dict[str, Any]) -> int:
    raw = str(form.get("seen") or "")
    if not raw.isdigit():
        raise InvalidInput(["seen: the form lost the revision you reviewed; reload the rule"])
    return int(raw)


@router.post("/rules/{rule_id}/{version}/approve")
def approve(request: Request, rule_id: str, version: int, form: dict[str, Any] = Depends(_form),
            user: dict[str, Any] = Depends(_reviewer), store: Any = Depends(_store)) -> Response:
    data.approve(store, rule_id, version, user["name"], _seen(form), str(form.get("comment") or "") or None)
    return _after_action(request, store, rule_id, version, form, "approved")


@router.post("/rules/{rule_id}/{version}/reject")
def reject(request: Request, rule_id: str, version: int, form: dict[str, Any] = Depends(_form),
           user: dict[str, Any] = Depends(_reviewer), store: Any = Depends(_store)) -> Response:
    reason = str(form.get("reason") or "").strip()
    if not reason:
        raise InvalidInput(["reason: say why the rule is rejected (e.g. 'amount is the 2023 figure')"])
    data.reject(store, rule_id, version, user["name"], _seen(form), reason)
    return _after_action(request, store, rule_id, version, form, "rejected")


@router.post("/rules/{rule_id}/{version}/correct")
def correct(request: Request, rule_id: str, version: int, form: dict[str, Any] = Depends(_form),
            user: dict[str, Any] = Depends(_reviewer), store: Any = Depends(_store)) -> Response:
    card = data.rule_card(store, rule_id, version)
    params, conditions, _, errors = form_to_correction(card["rule"], form)
    if errors:
        if wants_json(request):
            raise InvalidInput(errors)
        # back to the same card, form open, with what was typed: the reviewer fixes and resubmits
        filters = data.QueueFilters.from_query_string(str(form.get("query") or ""))
        return _card_page(request, store, card, filters, correction=form, errors=errors, status=422)
    data.correct(store, rule_id, version, user["name"], _seen(form), params=params, conditions=conditions,
                 comment=str(form.get("comment") or "") or None)
    return _after_action(request, store, rule_id, version, form, "corrected")


@router.post("/undo")
def undo(request: Request, form: dict[str, Any] = Depends(_form), user: dict[str, Any] = Depends(_reviewer),
         store: Any = Depends(_store)) -> Response:
    rule_id, version = data.undo_last(store, user["name"])
    if wants_json(request):
        return JSONResponse({"ok": True, "rule_id": rule_id, "version": version})
    query = str(form.get("query") or "")
    sep = "&" if query else ""
    return RedirectResponse(f"/rules/{rule_id}/{version}?{query}{sep}done=undone&rid={rule_id}", status_code=303)


# ---------------------------------------------------------------- documents

@router.get("/documents/{doc_id}")
@router.get("/documents/{doc_id}.json")  # registered first
def document(request: Request, doc_id: int, user: dict[str, Any] = Depends(_viewer),
             store: Any = Depends(_store)) -> Response:
    page = data.document_page(store, doc_id)
    if request.url.path.endswith(".json"):
        return JSONResponse(page)
    spans = [Span(f["start"], f["end"], f["type"]) for f in page["facts"]]
    segments = text_to_segments(page["text"] or "", None, spans)
    fmt = page["document"].get("format") or "unknown"
    return _render(request, [f"document-{fmt}.html", "document.html"], {"page": page, "segments": segments})


@router.get("/documents/{doc_id}/raw")
def document_raw(request: Request, doc_id: int, user: dict[str, Any] = Depends(_viewer),
                 store: Any = Depends(_store)) -> Response:
    raw, media_type = data.raw_capture(store, doc_id)
    # served as an attachment with a neutral type: a captured page never renders on our origin
    return Response(raw, media_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{doc_id}.{media_type}"',
        "Content-Security-Policy": "sandbox"})


# ---------------------------------------------------------------- audit

_AUDIT_COLUMNS = ["id", "at", "actor", "action", "rule_id", "version_before", "version_after", "comment"]


@router.get("/audit")
@router.get("/audit.json")
def audit(request: Request, user: dict[str, Any] = Depends(_viewer), store: Any = Depends(_store)) -> Response:
    filters = data.AuditFilters.from_query(request.query_params)
    after = request.query_params.get("after")
    if after is not None and not after.isdigit():
        raise InvalidInput([f"after: {after!r} is not an event id; follow the 'older' link"])
    page = data.events_page(store, filters, after=request.query_params.get("after"),
                            limit=request.app.state.settings.page_size)
    context = {"filters": filters, "events": page.rows, "next_after": page.next_after,
               "query": filters.to_query()}
    return _render(request, ["audit.html"], context,
                   {"filters": filters.as_dict(), "events": page.rows, "next_after": page.next_after})


@router.get("/audit.csv")
def audit_csv(request: Request, user: dict[str, Any] = Depends(_viewer), store: Any = Depends(_store)) -> Response:
    filters = data.AuditFilters.from_query(request.query_params)
    rows = data.events_all(store, filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_AUDIT_COLUMNS)
    for row in rows:
        # a leading = + - @ would make a spreadsheet run the cell as a formula
        writer.writerow([_csv_cell(row.get(c)) for c in _AUDIT_COLUMNS])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="review-events.csv"'})


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
