"""Undo a reviewer's last decision (approve, reject, correct-and-approve) in one transaction.

Added for the review UI's `u` key. Nothing is deleted or rewritten: statuses move back, and an
``undo`` review event records what was reversed (``after.undoes`` lists the event ids,
``after.unpublished`` / ``after.republished`` the versions whose record time it closed or
reopened), so the audit trail shows both the decision and its undo.

Record time is append-only (``publications``): undoing an approval closes the version's
interval at the undo's time and publishes the version it had superseded again with a new
interval from now; undoing a withdrawal publishes the version again from now. The interval the
undone decision opened stays, so an ``--as-of`` answer given while it stood is given again
for that time; only answers for times after the undo change.

    >>> undo_last(db, "alice")      # doctest: +SKIP
    ('3f9a2c1b7d04', 2)

Only the actor's own latest decision that is not undone yet can be undone, and only while
nobody else has acted on that rule since (else :class:`StaleVersion`).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from .db import now_iso, transaction
from .errors import NotFound, StaleVersion
from .store import _change, _event, _publish, _unpublish

__all__ = ["undo_last"]

_DECISIONS = ("approve", "reject", "correct")


def _undone_ids(db: sqlite_utils.Database, actor: str) -> set[int]:
    ids: set[int] = set()
    for (after,) in db.execute("SELECT after FROM review_events WHERE actor = ? AND action = 'undo'", [actor]):
        ids.update(json.loads(after or "{}").get("undoes", []))
    return ids


def _version_row(db: sqlite_utils.Database, version_id: int) -> tuple[Any, ...]:
    return db.execute("SELECT id, version, status, approvals FROM rule_versions WHERE id = ?", [version_id]).fetchone()


def undo_last(db: sqlite_utils.Database, actor: str) -> tuple[str, int]:
    """Reverse `actor`'s latest decision not yet undone; return (rule_id, version) to show next."""
    with transaction(db):
        undone = _undone_ids(db, actor)
        rows = db.execute(
            "SELECT id, rule_id, version_id, action, at, before, after FROM review_events "
            f"WHERE actor = ? AND action IN ({','.join('?' * len(_DECISIONS))}) ORDER BY id DESC LIMIT 50",
            [actor, *_DECISIONS]).fetchall()
        todo = [r for r in rows if r[0] not in undone]
        if not todo:
            raise NotFound("decision to undo by", actor, "only your own approvals, rejections and corrections can be undone")
        last = todo[0]
        group = [last]
        # correct-and-approve is two decisions on one rule: the correction, then approving it
        if last[3] == "approve" and len(todo) > 1 and todo[1][3] == "correct" and todo[1][1] == last[1] \
                and json.loads(todo[1][6] or "{}").get("version") == _version_row(db, last[2])[1]:
            group.append(todo[1])
        rule_id = last[1]
        first_id = group[-1][0]
        other = db.execute("SELECT actor, at FROM review_events WHERE rule_id = ? AND id > ? AND actor != ? "
                           "ORDER BY id DESC LIMIT 1", [rule_id, first_id, actor]).fetchone()
        (revision,) = db.execute("SELECT revision FROM rules WHERE id = ?", [rule_id]).fetchone()
        if other is not None:
            raise StaleVersion(rule_id, None, revision, revision, other[0], other[1])
        at = now_iso()
        show: int | None = None
        unpublished: list[int] = []
        republished: list[int] = []
        for event_id, _, version_id, action, ev_at, before_raw, after_raw in group:
            before = json.loads(before_raw or "{}")
            after = json.loads(after_raw or "{}")
            row = _version_row(db, version_id)
            if action == "approve":
                # versions this approval superseded go back to approved
                for sup_id, sup_version in db.execute(
                        "SELECT v.id, v.version FROM review_events e JOIN rule_versions v ON v.id = e.version_id "
                        "WHERE e.rule_id = ? AND e.action = 'supersede' AND e.at = ? AND e.actor = ? "
                        "AND v.status = 'superseded'", [rule_id, ev_at, actor]).fetchall():
                    # published again from now; its earlier interval (up to this approval) stays
                    db.execute("UPDATE rule_versions SET status = 'approved' WHERE id = ?", [sup_id])
                    _publish(db, sup_id, at)
                    republished.append(sup_version)
                    _change(db, rule_id, sup_id, sup_version, "undo", "approved", at)
                approvals = [a for a in json.loads(row[3] or "[]")]
                if actor in approvals:
                    approvals.remove(actor)
                db.execute("UPDATE rule_versions SET status = 'proposed', approvals = ? WHERE id = ?",
                           [json.dumps(approvals), version_id])
                # closed, not erased: what was answered while the approval stood stays answerable
                if _unpublish(db, version_id, at):
                    unpublished.append(row[1])
                _change(db, rule_id, version_id, row[1], "undo", "proposed", at)
                show = row[1]
            elif action == "reject":
                back = before.get("status", "proposed")
                if back == "approved":  # a withdrawal undone: published again from now
                    db.execute("UPDATE rule_versions SET status = 'approved' WHERE id = ?", [version_id])
                    _publish(db, version_id, at)
                    republished.append(row[1])
                else:
                    db.execute("UPDATE rule_versions SET status = 'proposed' WHERE id = ?", [version_id])
                _change(db, rule_id, version_id, row[1], "undo", back, at)
                show = row[1]
            elif action == "correct":
                # the correction is withdrawn (kept, rejected); the version it superseded returns
                db.execute("UPDATE rule_versions SET status = 'rejected' WHERE id = ?", [version_id])
                if _unpublish(db, version_id, at):  # (undoing its approval closed it already)
                    unpublished.append(row[1])
                _change(db, rule_id, version_id, row[1], "undo", "rejected", at)
                base = db.execute("SELECT id, version, status FROM rule_versions WHERE rule_id = ? AND version = ?",
                                  [rule_id, before.get("version")]).fetchone()
                if base is not None and base[2] == "superseded":
                    db.execute("UPDATE rule_versions SET status = 'proposed' WHERE id = ?", [base[0]])
                    _change(db, rule_id, base[0], base[1], "undo", "proposed", at)
                show = base[1] if base is not None else row[1]
        _event(db, rule_id, last[2], "undo", actor, at, before={"action": [g[3] for g in group]},
               after={"undoes": [g[0] for g in group], "unpublished": unpublished, "republished": republished})
        assert show is not None
        return rule_id, show
