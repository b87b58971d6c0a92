"""Review states: proposed → approved | rejected; approved → superseded; corrections append.

Every call names the version it acts on (the one the reviewer saw) and may pass
``seen_revision`` (the rule's ``revision`` when the reviewer loaded it): if anything changed
on the rule since, :class:`~rulestore.errors.StaleVersion` is raised and nothing is written.

    >>> approve(db, "3f9a2c1b7d04", version=1, actor="alice", seen_revision=1)   # doctest: +SKIP

States and what moves them (each move is one transaction with its review event and change):

- ``approve``: proposed → approved (a new record-time interval opens: ``recorded_from`` = now);
  the rule's previously approved version becomes superseded (its interval closes:
  ``recorded_to`` = now). With the setting
  ``require_two_approvals`` the first approval is recorded and the version stays proposed
  until a second, different person approves.
- ``reject``: proposed → rejected; approved → rejected (withdrawn: its interval closes at now).
- ``correct``: a new version with the reviewer's params/conditions (``origin`` correction,
  ``based_on`` the version corrected, its evidence copied); a corrected proposed version is
  superseded by it. ``approve=True`` approves the correction in the same transaction.

Record time is append-only (table ``publications``, one row per interval a version was
published): an interval is opened, later closed, never moved or erased, so a version approved
again after an undo keeps its first interval. A version's ``recorded_from``/``recorded_to``
are its latest interval.

Reviewers: when the store has users, ``actor`` must be an enabled reviewer or admin; a
store without users (scripts, first run) accepts any name.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from extractors.contract import Rule

from .db import now_iso, transaction
from .errors import (AmbiguousVersion, InsufficientRights, InvalidTransition, InvalidValue, NotFound, SameApprover,
                     StaleVersion)
from .models import IngestResult, StoredRule
from .store import _change, _dumps, _event, _insert_version, _publish, _unpublish, get_version

__all__ = ["SETTINGS", "approve", "correct", "get_setting", "propose", "reject", "resolve_version", "set_setting"]

# name → (default, help). Values are stored as JSON in the settings table.
SETTINGS: dict[str, tuple[Any, str]] = {
    "require_two_approvals": (False, "a version is published only after two different people approve it"),
}


def get_setting(db: sqlite_utils.Database, name: str) -> Any:
    if name not in SETTINGS:
        raise InvalidValue("setting", name, " / ".join(SETTINGS))
    row = db.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchone()
    return SETTINGS[name][0] if row is None else json.loads(row[0])


def set_setting(db: sqlite_utils.Database, name: str, value: Any) -> None:
    default, _ = SETTINGS.get(name, (None, ""))
    if name not in SETTINGS:
        raise InvalidValue("setting", name, " / ".join(SETTINGS))
    if type(value) is not type(default):
        raise InvalidValue(name, value, f"a {type(default).__name__}")
    with transaction(db):
        db.execute("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                   [name, json.dumps(value)])


def _check_actor(db: sqlite_utils.Database, actor: str) -> None:
    if not actor or not actor.strip():
        raise InvalidValue("reviewer", actor, "a user name, e.g. --by alice")
    (users,) = db.execute("SELECT COUNT(*) FROM users").fetchone()
    if not users:
        return
    row = db.execute("SELECT role, disabled_at FROM users WHERE name = ?", [actor]).fetchone()
    if row is None:
        raise NotFound("user", actor, "add one with `noticerules users add NAME --role reviewer`")
    if row[1] is not None:
        raise InsufficientRights(actor, "review", [])
    if row[0] not in ("reviewer", "admin"):
        raise InsufficientRights(actor, "review", [row[0]])


def resolve_version(db: sqlite_utils.Database, rule_id: str, version: int | None = None) -> int:
    """The version to act on: ``version``, else the only proposed one, else the newest.

    ``rule_id`` may carry the version as ``ID@N``. Several proposed versions and none named
    is :class:`AmbiguousVersion`.
    """
    if "@" in rule_id and version is None:
        rule_id, _, v = rule_id.partition("@")
        if not v.isdigit():
            raise InvalidValue("version", v, "a version number, e.g. 3f9a2c1b7d04@2")
        version = int(v)
    if version is not None:
        return version
    rows = db.execute("SELECT version, status FROM rule_versions WHERE rule_id = ? ORDER BY version", [rule_id]).fetchall()
    if not rows:
        raise NotFound("rule", rule_id, "list rules with `noticerules rules list`")
    proposed = [r[0] for r in rows if r[1] == "proposed"]
    if len(proposed) > 1:
        raise AmbiguousVersion(rule_id, proposed)
    return proposed[0] if proposed else rows[-1][0]


def _split(rule_id: str) -> str:
    return rule_id.partition("@")[0]


def _check_seen(db: sqlite_utils.Database, rule_id: str, version: int, seen_revision: int | None) -> None:
    if seen_revision is None:
        return
    (revision,) = db.execute("SELECT revision FROM rules WHERE id = ?", [rule_id]).fetchone()
    if revision != seen_revision:
        last = db.execute("SELECT actor, at FROM review_events WHERE rule_id = ? ORDER BY id DESC LIMIT 1",
                          [rule_id]).fetchone()
        raise StaleVersion(rule_id, version, seen_revision, revision, last[0] if last else None,
                           last[1] if last else None)


def _load(db: sqlite_utils.Database, rule_id: str, version: int | None) -> StoredRule:
    return get_version(db, _split(rule_id), resolve_version(db, rule_id, version))


def _superseded_hint(db: sqlite_utils.Database, v: StoredRule) -> str:
    row = db.execute("SELECT version, status FROM rule_versions WHERE rule_id = ? AND +status = 'approved'",
                     [v.id]).fetchone()
    if row:
        return f"version {row[0]} is the approved one now; review that instead"
    newest = db.execute("SELECT MAX(version) FROM rule_versions WHERE rule_id = ?", [v.id]).fetchone()[0]
    return f"the newest version is {newest}"


def approve(db: sqlite_utils.Database, rule_id: str, *, actor: str, version: int | None = None,
            seen_revision: int | None = None, comment: str | None = None) -> StoredRule:
    """Approve a proposed version (see the module docstring); return it as stored now."""
    _check_actor(db, actor)
    with transaction(db):
        v = _load(db, rule_id, version)
        _check_seen(db, v.id, v.version, seen_revision)
        if v.status != "proposed":
            hint = _superseded_hint(db, v) if v.status in ("superseded", "approved") else "propose a correction instead"
            raise InvalidTransition(v.id, v.version, v.status, "approve", hint)
        at = now_iso()
        approvals = [*v.approvals, actor]
        if get_setting(db, "require_two_approvals"):
            if actor in v.approvals:
                raise SameApprover(v.id, v.version, actor)
            if len(approvals) < 2:
                db.execute("UPDATE rule_versions SET approvals = ? WHERE id = ?", [_dumps(approvals), v.version_id])
                _event(db, v.id, v.version_id, "approve", actor, at, before={"status": "proposed", "approvals": v.approvals},
                       after={"status": "proposed", "approvals": approvals}, comment=comment)
                _change(db, v.id, v.version_id, v.version, "approve_first", "proposed", at)
                return get_version(db, v.id, v.version)
        # "+status": keep SQLite on the (rule_id, version) index; without ANALYZE it chose the
        # status index and scanned every approved version (3 ms per approval at 100k versions)
        previous = db.execute("SELECT id, version FROM rule_versions WHERE rule_id = ? AND +status = 'approved'",
                              [v.id]).fetchall()
        for prev_id, prev_version in previous:
            db.execute("UPDATE rule_versions SET status = 'superseded' WHERE id = ?", [prev_id])
            _unpublish(db, prev_id, at)
            _event(db, v.id, prev_id, "supersede", actor, at, before={"status": "approved"},
                   after={"status": "superseded", "by_version": v.version})
            _change(db, v.id, prev_id, prev_version, "supersede", "superseded", at)
        db.execute("UPDATE rule_versions SET status = 'approved', approvals = ? WHERE id = ?",
                   [_dumps(approvals), v.version_id])
        _publish(db, v.version_id, at)  # a new interval: an earlier one (before an undo) is kept
        _event(db, v.id, v.version_id, "approve", actor, at, before={"status": "proposed"},
               after={"status": "approved", "approvals": approvals}, comment=comment)
        _change(db, v.id, v.version_id, v.version, "approve", "approved", at)
        return get_version(db, v.id, v.version)


def reject(db: sqlite_utils.Database, rule_id: str, *, actor: str, version: int | None = None,
           seen_revision: int | None = None, comment: str | None = None) -> StoredRule:
    """Reject a proposed version, or withdraw an approved one (closing its record time)."""
    _check_actor(db, actor)
    with transaction(db):
        v = _load(db, rule_id, version)
        _check_seen(db, v.id, v.version, seen_revision)
        if v.status not in ("proposed", "approved"):
            raise InvalidTransition(v.id, v.version, v.status, "reject", _superseded_hint(db, v))
        at = now_iso()
        db.execute("UPDATE rule_versions SET status = 'rejected' WHERE id = ?", [v.version_id])
        if v.status == "approved":
            _unpublish(db, v.version_id, at)
        _event(db, v.id, v.version_id, "reject", actor, at, before={"status": v.status}, after={"status": "rejected"},
               comment=comment)
        _change(db, v.id, v.version_id, v.version, "reject", "rejected", at)
        return get_version(db, v.id, v.version)


def correct(db: sqlite_utils.Database, rule_id: str, *, actor: str, version: int | None = None,
            params: dict[str, Any] | None = None, conditions: dict[str, Any] | None = None,
            seen_revision: int | None = None, comment: str | None = None, approve: bool = False) -> StoredRule:
    """Append a corrected version (params/conditions replace the base version's where given).

    The review event records who edited what (``before``/``after`` hold only the changed
    fields). Returns the new version (approved when ``approve`` and the settings allow).
    """
    _check_actor(db, actor)
    if params is None and conditions is None:
        raise InvalidValue("correction", "{}", "new params and/or conditions")
    if params is not None and not isinstance(params, dict):
        raise InvalidValue("params", params, "a JSON object")
    if conditions is not None and not isinstance(conditions, dict):
        raise InvalidValue("conditions", conditions, "a JSON object")
    _check_values(params or {})
    with transaction(db):
        base = _load(db, rule_id, version)
        _check_seen(db, base.id, base.version, seen_revision)
        if base.status not in ("proposed", "approved"):
            raise InvalidTransition(base.id, base.version, base.status, "correct", _superseded_hint(db, base))
        new_params = {**base.params, **(params or {})}
        new_conditions = {**base.conditions, **(conditions or {})}
        changed_before = {k: base.params.get(k) for k in (params or {}) if base.params.get(k) != new_params[k]}
        changed_after = {k: new_params[k] for k in changed_before}
        cond_before = {k: base.conditions.get(k) for k in (conditions or {})
                       if base.conditions.get(k) != new_conditions[k]}
        if not changed_before and not cond_before:
            raise InvalidValue("correction", {"params": params, "conditions": conditions},
                               "values that differ from the version corrected")
        # conditions that distinguish rules are part of the key: changing them would move the rule
        from .store import rule_to_key

        new_id, _, _ = rule_to_key({"kind": base.kind, "region": {"code": base.region.code},
                                    "policy_year": base.policy_year, "conditions": new_conditions})
        if new_id != base.id:
            raise InvalidValue("conditions", conditions, "no change to conditions that identify the rule "
                               "(scheme, population, groups, phase, enrollee); reject it and add the right rule")
        at = now_iso()
        version_id, new_version = _insert_version(
            db, rule_id=base.id, kind=base.kind, region_code=base.region.code or "", policy_year=base.policy_year,
            region=base.region.model_dump(), params=new_params, conditions=new_conditions,
            valid_from=base.valid_from, valid_to=base.valid_to, status="proposed", confidence=1.0,
            flags=[f for f in base.flags if f != "conflict"], origin="correction", based_on=base.version_id,
            extractor_version=base.extractor_version, at=at, created_by=actor)
        db.execute('INSERT INTO evidence (version_id, document_id, sha256, source, quote, start, "end", created_at) '
                   'SELECT ?, document_id, sha256, source, quote, start, "end", ? FROM evidence WHERE version_id = ?',
                   [version_id, at, base.version_id])
        _event(db, base.id, version_id, "correct", actor, at,
               before={"version": base.version, "params": changed_before, "conditions": cond_before},
               after={"version": new_version, "params": changed_after,
                      "conditions": {k: new_conditions[k] for k in cond_before}}, comment=comment)
        _change(db, base.id, version_id, new_version, "correct", "proposed", at)
        if base.status == "proposed":
            db.execute("UPDATE rule_versions SET status = 'superseded' WHERE id = ?", [base.version_id])
            _event(db, base.id, base.version_id, "supersede", actor, at, before={"status": "proposed"},
                   after={"status": "superseded", "by_version": new_version})
            _change(db, base.id, base.version_id, base.version, "supersede", "superseded", at)
    if approve:
        return globals()["approve"](db, base.id, actor=actor, version=new_version, comment=comment)
    return get_version(db, base.id, new_version)


def propose(db: sqlite_utils.Database, rule: Rule, *, document_id: int, actor: str,
            comment: str | None = None) -> StoredRule:
    """A reviewer adds a rule the extractor missed, with its evidence span in a stored document.

    The span must be the document's text at ``rule.evidence.start:end`` (or, when start and
    end are both 0, the quote's first occurrence is used). It goes through the same key/value
    matching as ingest: the same value corroborates an existing version, another value is a
    new proposed version flagged conflict. Returns the version holding the value.
    """
    _check_actor(db, actor)
    _check_values(rule.params)
    from extractors.contract import Region as _Region

    from .store import _rule_in_tx

    row = db.execute("SELECT text, sha256, source, region FROM documents WHERE id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound("document", document_id, "ingest the notice first")
    text, sha, source, region_json = row
    ev = rule.evidence
    if ev.start == 0 and ev.end == 0:
        at_ = text.find(ev.quote)
        if not ev.quote or at_ < 0:
            raise InvalidValue("quote", ev.quote, f"a passage of document {document_id}'s text")
        ev = ev.model_copy(update={"start": at_, "end": at_ + len(ev.quote)})
    elif text[ev.start:ev.end] != ev.quote:
        raise InvalidValue("evidence span", [ev.start, ev.end],
                           f"offsets of the quote in document {document_id} (the text there is "
                           f"{text[ev.start:ev.end][:40]!r})")
    rule = rule.model_copy(update={"evidence": ev, "also_evidence": [], "confidence": 1.0})
    with transaction(db):
        rule_id, version = _rule_in_tx(db, rule, _Region(**json.loads(region_json or "{}")), document_id, sha, source,
                                       None, actor, now_iso(), IngestResult(source=source, sha256=sha, document_id=document_id))
        if comment:
            _event(db, rule_id, None, "comment", actor, now_iso(), comment=comment)
    return get_version(db, rule_id, version)


def _check_values(params: dict[str, Any]) -> None:
    """Reviewer input is held to the contract's normal forms: dates YYYY-MM-DD, decimal strings."""
    from decimal import Decimal, InvalidOperation

    from .dates import parse_date

    for name in ("start", "end", "paid_before"):
        if name in params and params[name] is not None:
            parse_date(name, params[name])
    for name in ("amount", "percent", "net_personal_amount"):
        if name in params and params[name] is not None and not isinstance(params[name], int):
            try:
                Decimal(str(params[name]))
            except InvalidOperation:
                raise InvalidValue(name, params[name], "a decimal number, e.g. \"380\"") from None
