"""Record time is append-only: undo, withdrawal and re-approval never erase or move an interval."""

from __future__ import annotations

import sqlite3
import time

import pytest

from rulestore_builders import contribution, make_extraction
from rulestore.db import now_iso, open_db
from rulestore.export import approved_rules
from rulestore.migrations import MIGRATIONS, migrate
from rulestore.query import query_rules, rule_history
from rulestore.review import approve, correct, reject
from rulestore.store import get_version, ingest_extraction
from rulestore.undo import undo_last


def _ingest(db, amount: str, source: str) -> str:
    ext, cap = make_extraction(f"{source}:{amount}", [contribution(amount)], source=source)
    return ingest_extraction(db, ext, capture=cap, text=f"{source}:{amount}").rule_ids[0]


def _tick() -> str:
    """A record time strictly between two writes."""
    time.sleep(0.002)
    t = now_iso()
    time.sleep(0.002)
    return t


def _answer(db, as_of: str | None) -> list[tuple[int, str, str | None, str | None]]:
    return [(r.version, r.params["amount"], r.recorded_from, r.recorded_to)
            for r in query_rules(db, "220000", 2024, as_of=as_of)]


def _intervals(db, rid: str, version: int) -> list[tuple[str, str | None]]:
    vid = get_version(db, rid, version).version_id
    return [tuple(r) for r in db.execute("SELECT recorded_from, recorded_to FROM publications WHERE version_id = ? "
                                         "ORDER BY id", [vid])]


def test_undoing_an_approval_keeps_what_was_answered_while_it_stood(db):
    rid = _ingest(db, "380", "a")
    _ingest(db, "400", "b")
    t0 = approve(db, rid, version=1, actor="alice").recorded_from
    between = _tick()
    t1 = approve(db, rid, version=2, actor="alice").recorded_from
    while_v2 = _tick()
    given = _answer(db, while_v2)
    assert [(v, a) for v, a, _, _ in given] == [(2, "400")]
    undo_last(db, "alice")
    t2 = get_version(db, rid, 1).recorded_from  # v1 published again by the undo
    assert t2 > while_v2 > t1 > between > t0
    # the same question about the same moment gets the same rule, its interval now closed by the undo
    assert _answer(db, while_v2) == [(2, "400", t1, t2)]
    assert _answer(db, between) == [(1, "380", t0, t1)]
    assert [(v, a) for v, a, _, _ in _answer(db, None)] == [(1, "380")]
    assert [(v, a) for v, a, _, _ in _answer(db, _tick())] == [(1, "380")]
    # the export reads the same record time
    assert [(r.version, r.recorded_from) for r in approved_rules(db, as_of=while_v2)] == [(2, t1)]
    assert [r.version for r in approved_rules(db)] == [1]
    # statuses moved back; every interval is kept; versions show their latest interval
    v1, v2 = get_version(db, rid, 1), get_version(db, rid, 2)
    assert (v1.status, v1.recorded_from, v1.recorded_to) == ("approved", t2, None)
    assert (v2.status, v2.recorded_from, v2.recorded_to) == ("proposed", t1, t2)
    assert _intervals(db, rid, 1) == [(t0, t1), (t2, None)]
    assert _intervals(db, rid, 2) == [(t1, t2)]
    undo = rule_history(db, rid).events[-1]
    assert undo.action == "undo" and undo.at == t2
    assert undo.after["unpublished"] == [2] and undo.after["republished"] == [1] and len(undo.after["undoes"]) == 1


def test_undoing_a_withdrawal_publishes_again_from_now_and_keeps_the_gap(db):
    rid = _ingest(db, "380", "a")
    t0 = approve(db, rid, actor="alice").recorded_from
    approved_then = _tick()
    t1 = reject(db, rid, version=1, actor="alice", comment="wrong year").recorded_to
    withdrawn_then = _tick()
    assert _answer(db, withdrawn_then) == []
    undo_last(db, "alice")
    v1 = get_version(db, rid, 1)
    t2 = v1.recorded_from
    assert v1.status == "approved" and v1.recorded_to is None and t2 > withdrawn_then > t1 > approved_then > t0
    assert _answer(db, withdrawn_then) == []  # it was withdrawn then, and stays so for that moment
    assert _answer(db, approved_then) == [(1, "380", t0, t1)]
    assert _answer(db, None) == [(1, "380", t2, None)]
    assert _intervals(db, rid, 1) == [(t0, t1), (t2, None)]
    assert rule_history(db, rid).events[-1].after["republished"] == [1]


def test_approving_again_after_an_undo_keeps_the_first_interval(db):
    rid = _ingest(db, "380", "a")
    t0 = approve(db, rid, actor="alice").recorded_from
    first = _tick()
    undo_last(db, "alice")
    after_undo = _tick()
    assert get_version(db, rid, 1).status == "proposed"
    assert _answer(db, after_undo) == []
    again = approve(db, rid, actor="bob")
    [(f0, u), (t3, open_)] = _intervals(db, rid, 1)
    assert f0 == t0 and u < after_undo < t3 == again.recorded_from and open_ is None
    assert _answer(db, first) == [(1, "380", t0, u)]
    assert _answer(db, None) == [(1, "380", t3, None)]
    # the OpenFisca provenance names the approval in force for each interval
    from rulestore.export import _provenance

    assert _provenance(db, approved_rules(db, as_of=first)[0])["approved_by"] == "alice"
    assert _provenance(db, approved_rules(db)[0])["approved_by"] == "bob"


def test_undoing_correct_and_approve_closes_the_correction_and_republishes_the_base(db):
    rid = _ingest(db, "38O", "a")
    t0 = approve(db, rid, actor="alice").recorded_from
    fixed = correct(db, rid, version=1, actor="alice", params={"amount": "380"}, approve=True)
    while_fixed = _tick()
    undo_last(db, "alice")
    assert _answer(db, while_fixed) == [(2, "380", fixed.recorded_from, get_version(db, rid, 2).recorded_to)]
    v1, v2 = get_version(db, rid, 1), get_version(db, rid, 2)
    assert (v1.status, v2.status) == ("approved", "rejected")
    assert _intervals(db, rid, 1) == [(t0, fixed.recorded_from), (v1.recorded_from, None)]
    assert _intervals(db, rid, 2) == [(fixed.recorded_from, v1.recorded_from)]


def test_record_time_cannot_be_erased_or_moved_in_sql(db):
    rid = _ingest(db, "380", "a")
    _ingest(db, "400", "b")
    approve(db, rid, version=1, actor="alice")
    approve(db, rid, version=2, actor="alice")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM publications")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE publications SET recorded_to = NULL WHERE recorded_to IS NOT NULL")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE publications SET recorded_from = '2000-01-01T00:00:00.000000Z'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE rule_versions SET recorded_from = NULL, recorded_to = NULL")
    with pytest.raises(sqlite3.IntegrityError):  # a second open interval for one version
        db.execute("INSERT INTO publications (version_id, recorded_from) VALUES (?, ?)",
                   [get_version(db, rid, 2).version_id, now_iso()])
    assert db.execute("SELECT COUNT(*) FROM publications").fetchone()[0] == 2


def test_migration_0003_copies_record_time_recorded_before_it(db_path, monkeypatch):
    db = open_db(db_path, migrate=False)
    later = {name: MIGRATIONS[name] for name in list(MIGRATIONS)[2:]}
    assert "0003_publications" in later
    for name in later:
        monkeypatch.delitem(MIGRATIONS, name)
    assert migrate(db) == ["0001_initial", "0002_review_queue"]
    monkeypatch.undo()
    # a store as 0002 left it: v1 approved then superseded by v2
    at = "2024-01-01T00:00:00.000000Z"
    db.execute("INSERT INTO rules (id, key, kind, region_code, policy_year, signature, created_at, updated_at) "
               "VALUES ('r1', 'k', 'personal_contribution', '220000', 2024, '{}', ?, ?)", [at, at])
    for version, status, rf, rt in ((1, "superseded", "2024-02-01T00:00:00.000000Z", "2024-03-01T00:00:00.000000Z"),
                                    (2, "approved", "2024-03-01T00:00:00.000000Z", None),
                                    (3, "proposed", None, None)):
        db.execute("INSERT INTO rule_versions (rule_id, version, kind, region_code, policy_year, params, conditions, "
                   "value_hash, status, recorded_from, recorded_to, origin, created_at) VALUES "
                   "('r1', ?, 'personal_contribution', '220000', 2024, ?, '{}', ?, ?, ?, ?, 'extracted', ?)",
                   [version, f'{{"amount": "{version}"}}', str(version), status, rf, rt, at])
    assert migrate(db) == list(later)
    assert [tuple(r) for r in db.execute("SELECT version_id, recorded_from, recorded_to FROM publications ORDER BY id")] \
        == [(1, "2024-02-01T00:00:00.000000Z", "2024-03-01T00:00:00.000000Z"), (2, "2024-03-01T00:00:00.000000Z", None)]
    assert [r.version for r in query_rules(db, "220000", 2024, as_of="2024-02-15")] == [1]
    assert [r.version for r in query_rules(db, "220000", 2024, as_of="2024-03-15")] == [2]
    assert db.execute("SELECT normalised_text FROM documents").fetchall() == []
    db.conn.close()
