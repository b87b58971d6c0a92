"""Review states, supersession, corrections, optimistic concurrency, two-person approval."""

from __future__ import annotations

import pytest

from rulestore_builders import contribution, make_extraction
from rulestore.accounts import add_user
from rulestore.errors import (AmbiguousVersion, InsufficientRights, InvalidDate, InvalidTransition, NotFound,
                              SameApprover, StaleVersion)
from rulestore.query import rule_history
from rulestore.review import approve, correct, reject, set_setting
from rulestore.store import get_version, ingest_extraction, list_rules


def _ingest(db, amount: str, source: str) -> str:
    ext, cap = make_extraction(f"{source}:{amount}", [contribution(amount)], source=source)
    return ingest_extraction(db, ext, capture=cap, text=f"{source}:{amount}").rule_ids[0]


def test_approve_then_approving_another_version_supersedes_it(db):
    rid = _ingest(db, "380", "a")
    _ingest(db, "400", "b")
    v1 = approve(db, rid, version=1, actor="alice")
    assert v1.status == "approved" and v1.recorded_from and v1.recorded_to is None
    v2 = approve(db, rid, version=2, actor="bob", comment="the later notice")
    old = get_version(db, rid, 1)
    assert old.status == "superseded" and old.recorded_to == v2.recorded_from
    assert [r.status for r in list_rules(db, status="approved")] == ["approved"]
    actions = [(e.action, e.actor, e.version) for e in rule_history(db, rid).events]
    assert actions[-2:] == [("supersede", "bob", 1), ("approve", "bob", 2)]
    assert rule_history(db, rid).events[-1].comment == "the later notice"


def test_approving_a_superseded_version_is_a_clear_error(db):
    rid = _ingest(db, "380", "a")
    _ingest(db, "400", "b")
    approve(db, rid, version=1, actor="alice")
    approve(db, rid, version=2, actor="alice")
    with pytest.raises(InvalidTransition) as err:
        approve(db, rid, version=1, actor="bob")
    assert "superseded" in str(err.value) and rid in str(err.value) and "version 2" in str(err.value)
    assert err.value.detail["status"] == "superseded"


def test_ambiguous_version_names_the_candidates(db):
    rid = _ingest(db, "380", "a")
    _ingest(db, "400", "b")
    with pytest.raises(AmbiguousVersion, match=r"\[1, 2\]"):
        approve(db, rid, actor="alice")
    assert approve(db, f"{rid}@2", actor="alice").version == 2


def test_reject_and_withdraw(db):
    rid = _ingest(db, "380", "a")
    rejected = reject(db, rid, actor="alice", comment="wrong table")
    assert rejected.status == "rejected"
    with pytest.raises(InvalidTransition, match="rejected"):
        approve(db, rid, version=1, actor="bob")
    rid2 = _ingest(db, "10", "c")  # same key, new value: version 2
    assert rid2 == rid
    approved = approve(db, rid, version=2, actor="bob")
    withdrawn = reject(db, rid, version=2, actor="alice")
    assert withdrawn.status == "rejected" and withdrawn.recorded_to and withdrawn.recorded_from == approved.recorded_from


def test_correction_is_a_new_version_recording_who_changed_what(db):
    rid = _ingest(db, "38O", "a")  # OCR-ish typo the reviewer fixes
    new = correct(db, rid, actor="alice", params={"amount": "380"}, comment="O is a zero")
    assert (new.version, new.status, new.origin, new.based_on_version) == (2, "proposed", "correction", 1)
    assert new.params["amount"] == "380" and new.evidence and new.evidence[0].source == "a"
    assert get_version(db, rid, 1).params["amount"] == "38O"  # the original is kept
    assert get_version(db, rid, 1).status == "superseded"
    event = [e for e in rule_history(db, rid).events if e.action == "correct"][0]
    assert event.actor == "alice" and event.before["params"] == {"amount": "38O"}
    assert event.after["params"] == {"amount": "380"}
    approved = approve(db, rid, actor="bob")
    assert approved.version == 2


def test_correction_with_a_malformed_date_names_it(db):
    ext, cap = make_extraction("期", [__import__("rulestore_builders").make_rule(
        "enrollment_period", {"start": "2023-10-01", "end": "2023-12-31"}, conditions={"phase": "concentrated"})])
    rid = ingest_extraction(db, ext, capture=cap, text="期").rule_ids[0]
    with pytest.raises(InvalidDate) as err:
        correct(db, rid, actor="alice", params={"end": "2023-02-30"})
    assert "2023-02-30" in str(err.value) and "end" in str(err.value)
    assert len(list_rules(db)) == 1  # nothing written


def test_stale_write_is_refused_and_nothing_is_lost(db):
    rid = _ingest(db, "380", "a")
    seen = get_version(db, rid).revision  # what reviewer A loaded
    correct(db, rid, actor="bob", params={"amount": "390"})  # B edits meanwhile
    with pytest.raises(StaleVersion) as err:
        approve(db, rid, version=1, actor="alice", seen_revision=seen)
    assert "bob" in str(err.value) and err.value.detail["seen"] == seen
    assert [v.status for v in list_rules(db)] == ["superseded", "proposed"]
    # with the fresh revision it goes through
    fresh = get_version(db, rid).revision
    assert approve(db, rid, version=2, actor="alice", seen_revision=fresh).status == "approved"


def test_two_person_rule(db):
    set_setting(db, "require_two_approvals", True)
    rid = _ingest(db, "380", "a")
    first = approve(db, rid, actor="alice")
    assert first.status == "proposed" and first.approvals == ["alice"]
    with pytest.raises(SameApprover, match="alice"):
        approve(db, rid, actor="alice")
    second = approve(db, rid, actor="bob")
    assert second.status == "approved" and second.approvals == ["alice", "bob"]


def test_registered_reviewers_only_once_users_exist(db):
    rid = _ingest(db, "380", "a")
    add_user(db, "alice", "correct horse", role="reviewer")
    with pytest.raises(NotFound, match="mallory"):
        approve(db, rid, actor="mallory")
    db.execute("UPDATE users SET disabled_at = '2024-01-01' WHERE name = 'alice'")
    with pytest.raises(InsufficientRights):
        approve(db, rid, actor="alice")


def test_unknown_rule_is_not_found(db):
    with pytest.raises(NotFound, match="deadbeef0000"):
        approve(db, "deadbeef0000", actor="alice")
