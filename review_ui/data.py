"""The review UI's one door into rulestore: every read and write the pages make goes through here.

Writes call rulestore's review functions (approve, reject, correct, undo_last); reads use its
query functions, plus the read-only SQL in review_ui.queries for the queue, counts and audit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils
from fastapi import FastAPI

import rulestore
from rulestore.store import get_document
from rulestore.undo import undo_last as _undo_last

from .errors import NotFound
from .queries import (AuditFilters, CountsCache, Page, QueueFilters, document_facts, document_versions,
                      events_page, queue_neighbours, queue_page, queue_total, static_options)

__all__ = [
    "AuditFilters",
    "CountsCache",
    "Page",
    "QueueFilters",
    "approve",
    "bulk_approve",
    "close",
    "connect",
    "correct",
    "document_page",
    "login",
    "events_all",
    "events_page",
    "mount_api",
    "open_store",
    "queue_total",
    "queue_neighbours",
    "queue_page",
    "raw_capture",
    "static_options",
    "reject",
    "rule_card",
    "rule_history",
    "undo_last",
    "user",
    "version_to_review",
]


def open_store(db_path: str | Path) -> str:
    """Create/migrate the store once at start-up; pages then open their own connections."""
    db = rulestore.open_db(db_path, migrate=True)
    db.conn.close()
    return str(db_path)


def connect(db_path: str | Path) -> sqlite_utils.Database:
    return rulestore.open_db(db_path, migrate=False, check_same_thread=False)


def close(db: sqlite_utils.Database) -> None:
    db.conn.close()


def mount_api(app: FastAPI, db_path: str | Path) -> None:
    """Mount rulestore's downstream API (/api, bearer tokens) with its own error handlers."""
    from rulestore import api

    app.state.rulestore_db_path = str(db_path)
    app.state.rulestore_require_token = True
    app.include_router(api.router)
    api.install_error_handlers(app, only_api=True)
    # well-formed /api/query requests skip FastAPI's routing (middleware added later still wraps them)
    app.add_middleware(api.QueryFastPath)


def user(db: sqlite_utils.Database, name: str) -> dict[str, Any] | None:
    """The enabled account `name` with its role, or None (read per request: a removed or
    disabled account loses access at once)."""
    row = db.execute("SELECT name, role, disabled_at FROM users WHERE name = ?", [name]).fetchone()
    if row is None or row[2] is not None:
        return None
    return {"name": row[0], "role": row[1]}


def login(db: sqlite_utils.Database, name: str, password: str) -> dict[str, Any] | None:
    """The account when the argon2 hash matches (rulestore.accounts.verify_password), else None."""
    from rulestore.accounts import verify_password

    try:
        found = verify_password(db, name, password)
    except rulestore.StoreError:
        return None
    return {"name": found.name, "role": found.role}


def _version(db: sqlite_utils.Database, rule_id: str, version: int) -> dict[str, Any]:
    try:
        return rulestore.get_version(db, rule_id, version).model_dump(mode="json")
    except rulestore.StoreError as exc:
        raise NotFound("rule version", f"{rule_id}/{version}") from exc


def _diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field changes between two versions' params and conditions."""
    out = []
    for part in ("params", "conditions"):
        a = (old or {}).get(part) or {}
        b = new.get(part) or {}
        for key in list(a) + [k for k in b if k not in a]:
            if a.get(key) != b.get(key):
                out.append({"field": f"{part}.{key}", "old": a.get(key), "new": b.get(key)})
    if old is not None and old.get("policy_year") != new.get("policy_year"):
        out.append({"field": "policy_year", "old": old.get("policy_year"), "new": new.get("policy_year")})
    return out


def rule_card(db: sqlite_utils.Database, rule_id: str, version: int) -> dict[str, Any]:
    """Everything the rule card shows for one version of a rule."""
    rule = _version(db, rule_id, version)
    history = rulestore.rule_history(db, rule_id).model_dump(mode="json")
    versions = {v["version"]: v for v in history["versions"]}
    approved = next((v for v in history["versions"] if v["status"] == "approved"), None)
    rule["ref"] = f"{rule['id']}@{rule['version']}@{rule['revision']}"
    siblings = []
    for v in history["versions"]:
        if v["version"] == rule["version"] or v["status"] not in ("proposed", "approved"):
            continue
        agrees = v["params"] == rule["params"] and v["conditions"] == rule["conditions"]
        siblings.append({**v, "agrees": agrees})
    events = []
    for e in history["events"]:
        diff: list[dict[str, Any]] = []
        if e["action"] == "correct" and e.get("after"):
            base = versions.get((e.get("before") or {}).get("version"))
            new = versions.get(e["after"].get("version"))
            if new is not None:
                diff = _diff(base, new)
        elif e["action"] == "propose" and e.get("after", {}).get("conflicts_with"):
            other = versions.get(e["after"]["conflicts_with"][-1])
            new = versions.get(e["version"])
            if other is not None and new is not None:
                diff = _diff(other, new)
        events.append({**e, "diff": diff})
    evidence = []
    for i, ev in enumerate(rule["evidence"]):
        item = dict(ev)
        if i == 0 and ev.get("document_id") is not None:
            doc = get_document(db, ev["document_id"])
            item["text"] = doc["text"]
            item["facts"] = document_facts(db, ev["document_id"])
            if doc["text"][ev["start"]:ev["end"]] != ev["quote"]:
                item["text"] = None  # offsets do not match this text: do not highlight the wrong words
        evidence.append(item)
    return {"rule": rule, "approved": approved,
            "approved_diff": _diff(approved, rule) if approved and approved["version"] != rule["version"] else [],
            "evidence": evidence, "siblings": siblings, "history": list(reversed(events)),
            "versions": history["versions"]}


def rule_history(db: sqlite_utils.Database, rule_id: str) -> dict[str, Any]:
    return rulestore.rule_history(db, rule_id).model_dump(mode="json")


def version_to_review(db: sqlite_utils.Database, rule_id: str) -> int:
    """The version a link to a bare rule id should open: its proposed one, else the newest."""
    from rulestore.review import resolve_version

    try:
        return resolve_version(db, rule_id)
    except rulestore.StoreError:
        rows = db.execute("SELECT version FROM rule_versions WHERE rule_id = ? AND status = 'proposed' "
                          "ORDER BY version DESC LIMIT 1", [rule_id]).fetchall()
        if rows:  # several proposed versions (a conflict): open the newest, the card lists the others
            return int(rows[0][0])
        raise NotFound("rule", rule_id) from None


def approve(db: sqlite_utils.Database, rule_id: str, version: int, actor: str, seen: int,
            comment: str | None) -> None:
    rulestore.approve(db, rule_id, version=version, actor=actor, seen_revision=seen, comment=comment)


def reject(db: sqlite_utils.Database, rule_id: str, version: int, actor: str, seen: int, reason: str) -> None:
    rulestore.reject(db, rule_id, version=version, actor=actor, seen_revision=seen, comment=reason)


def correct(db: sqlite_utils.Database, rule_id: str, version: int, actor: str, seen: int, *,
            params: dict[str, Any], conditions: dict[str, Any], comment: str | None) -> int:
    """Store the correction and approve it; return the new version number."""
    new = rulestore.correct(db, rule_id, version=version, actor=actor, seen_revision=seen, params=params,
                            conditions=conditions, comment=comment, approve=True)
    return new.version


def bulk_approve(db: sqlite_utils.Database, items: list[tuple[str, int, int]], actor: str,
                 comment: str | None) -> dict[str, Any]:
    """Approve each (rule_id, version, seen revision) on its own: one review event each.

    A rule that changed meanwhile is skipped and reported, the others still go through.
    """
    approved, failed = 0, []
    for rule_id, version, seen in items:
        try:
            rulestore.approve(db, rule_id, version=version, actor=actor, seen_revision=seen, comment=comment)
            approved += 1
        except rulestore.StoreError as exc:
            failed.append(f"{rule_id}@{version}: {exc}")
    return {"approved": approved, "failed": len(failed), "errors": failed}


def undo_last(db: sqlite_utils.Database, actor: str) -> tuple[str, int]:
    return _undo_last(db, actor)


def document_page(db: sqlite_utils.Database, document_id: int) -> dict[str, Any]:
    try:
        doc = get_document(db, document_id)
    except rulestore.StoreError as exc:
        raise NotFound("document", document_id) from exc
    rules = [rulestore.get_version(db, rid, v).model_dump(mode="json") for rid, v in document_versions(db, document_id)]
    normalised = doc.get("normalised_text") or doc.get("normalised")
    return {"id": doc["id"], "document": doc["document"], "source": doc["source"], "sha256": doc["sha256"],
            "source_version": doc["source_version"], "extractor_version": doc["extractor_version"],
            "ingested_at": doc["ingested_at"], "text": doc["text"], "normalised_text": normalised,
            "facts": document_facts(db, document_id), "rules": rules}


def raw_capture(db: sqlite_utils.Database, document_id: int) -> tuple[bytes, str]:
    """The raw bytes a document was parsed from, and a file extension for the download."""
    row = db.execute("SELECT c.content, d.format FROM documents d JOIN captures c ON c.sha256 = d.sha256 "
                     "WHERE d.id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound("capture of document", document_id)
    return bytes(row[0]), row[1] or "bin"


def events_all(db: sqlite_utils.Database, filters: AuditFilters) -> list[dict[str, Any]]:
    return events_page(db, filters, after=None, limit=None).rows
