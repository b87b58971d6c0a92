"""Storing extractions: captures, documents, rule keys, corroboration, conflicts, no-op re-ingest."""

from __future__ import annotations

import sqlite3

import pytest

from rulestore_builders import QINBEI, contribution, make_extraction, make_rule
from rulestore.db import open_db
from rulestore.migrations import MIGRATIONS, applied, pending
from rulestore.store import capture_to_store, ingest_extraction, list_rules, rule_to_key
from rulestore.models import Capture


def test_migrations_are_named_and_applied_once(db_path):
    db = open_db(db_path, migrate=False)
    assert pending(db) == list(MIGRATIONS) and applied(db) == []
    db.conn.close()
    db = open_db(db_path)
    assert applied(db) == list(MIGRATIONS) and pending(db) == []
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.conn.close()
    db = open_db(db_path)  # reopening applies nothing twice
    assert db.execute("SELECT COUNT(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_ingest_stores_capture_document_rule_and_evidence(db):
    text = "全省居民医保个人缴费标准为每人每年380元。"
    ext, cap = make_extraction(text, [contribution("380")])
    result = ingest_extraction(db, ext, capture=cap, text=text)
    assert (result.rules_new, result.versions_new, result.skipped) == (1, 1, False)
    (raw,) = db.execute("SELECT content FROM captures WHERE sha256 = ?", [result.sha256]).fetchone()
    assert raw == text.encode()
    [rule] = list_rules(db)
    assert (rule.status, rule.version, rule.kind, rule.policy_year) == ("proposed", 1, "personal_contribution", 2024)
    assert rule.params["amount"] == "380" and rule.region.code == "220000"
    assert rule.evidence[0].sha256 == result.sha256 and rule.evidence[0].doc_number == "吉医保联〔2023〕27号"
    assert rule.extractor_version == "test-1" and rule.valid_from == "2024-01-01"


def test_same_bytes_again_is_a_noop(db):
    ext, cap = make_extraction("同一份通知", [contribution("380")])
    ingest_extraction(db, ext, capture=cap, text="同一份通知")
    counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("captures", "fetches", "documents", "rule_versions", "evidence", "review_events", "changes")]
    again = ingest_extraction(db, ext, capture=cap, text="同一份通知")
    assert again.skipped
    assert counts == [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                      for t in ("captures", "fetches", "documents", "rule_versions", "evidence", "review_events", "changes")]


def test_same_value_from_two_documents_is_one_version_with_two_evidence(db):
    for i, source in enumerate(["a.html", "b.html"]):
        ext, cap = make_extraction(f"通知{i}", [contribution("380")], source=source)
        ingest_extraction(db, ext, capture=cap, text=f"通知{i}")
    [rule] = list_rules(db)
    assert rule.corroboration == 2 and {e.source for e in rule.evidence} == {"a.html", "b.html"}


def test_different_value_is_a_new_flagged_version_nothing_overwritten(db):
    ext, cap = make_extraction("甲", [contribution("380")], source="a")
    ingest_extraction(db, ext, capture=cap, text="甲")
    ext, cap = make_extraction("乙", [contribution("400")], source="b")
    result = ingest_extraction(db, ext, capture=cap, text="乙")
    assert result.conflicts == 1
    v1, v2 = list_rules(db)
    assert v1.id == v2.id and (v1.version, v2.version) == (1, 2)
    assert v1.params["amount"] == "380" and v1.flags == []
    assert v2.params["amount"] == "400" and "conflict" in v2.flags


def test_sibling_rules_get_different_keys(db):
    ltc = make_rule("personal_contribution", {"amount": "10", "currency": "CNY", "per": "person_year"},
                    conditions={"scheme": "long_term_care", "population": "试点统筹区居民"})
    ext, cap = make_extraction("两条", [contribution("380"), ltc])
    result = ingest_extraction(db, ext, capture=cap, text="两条")
    assert result.rules_new == 2 and result.conflicts == 0


def test_rule_key_treats_missing_default_conditions_as_defaults():
    with_defaults = contribution("380")
    bare = make_rule("personal_contribution", {"amount": "380"})
    assert rule_to_key(with_defaults)[0] == rule_to_key(bare)[0]
    # group sets are sets: order and whitespace do not matter
    a = make_rule("assistance", {"mode": "full"}, conditions={"groups": ["孤儿", "特困供养人员"]})
    b = make_rule("assistance", {"mode": "full"}, conditions={"groups": ["特困供养人员 ", "孤儿"]})
    assert rule_to_key(a)[0] == rule_to_key(b)[0]


def test_rule_region_falls_back_to_the_document_region(db):
    rule = make_rule("benefit_period", {"start": "2023-01-01", "end": "2023-12-31"}, year=2023, region={})
    ext, cap = make_extraction("县", [rule], region=QINBEI, year=2023)
    ingest_extraction(db, ext, capture=cap, text="县")
    [stored] = list_rules(db)
    assert stored.region.code == "450703"


def test_a_changed_source_becomes_a_new_document_version(db):
    for text in ("第一版", "第二版"):
        ext, cap = make_extraction(text, [], source="https://example.gov.cn/n.html")
        ingest_extraction(db, ext, capture=cap, text=text)
    versions = [r[0] for r in db.execute("SELECT source_version FROM documents ORDER BY id")]
    assert versions == [1, 2]


def test_capture_to_store_is_content_addressed(db):
    sha1, new1 = capture_to_store(db, Capture(content=b"<html>x</html>", source="https://a.gov.cn/1"))
    sha2, new2 = capture_to_store(db, Capture(content=b"<html>x</html>", source="https://b.gov.cn/mirror"))
    assert sha1 == sha2 and new1 and not new2
    assert db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 2


def test_versions_are_immutable_and_events_append_only(db):
    ext, cap = make_extraction("不可改", [contribution("380")])
    ingest_extraction(db, ext, capture=cap, text="不可改")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("UPDATE rule_versions SET params = '{}'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM review_events")


def test_a_failing_write_leaves_nothing_behind(db):
    bad = make_rule("fiscal_subsidy", {"amount": "640"})
    ext, cap = make_extraction("坏", [contribution("380"), bad])
    ext.rules[1].params["amount"] = object()  # not serialisable: the write fails after rule 1 was written
    with pytest.raises(Exception, match="serialize"):
        ingest_extraction(db, ext, capture=cap, text="坏")
    for table in ("captures", "documents", "rules", "rule_versions", "evidence", "changes"):
        assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


def test_reextract_runs_the_current_extractor_over_old_captures(db):
    """A capture stored by an older extractor version is extracted again; the same bytes twice are not."""
    from pathlib import Path

    from extractors.version import EXTRACTOR_VERSION
    from ingest.pipeline import store_to_reextracted

    text = (Path(__file__).resolve().parents[2] / "corpus" / "seeds" / "004_dc74051e39256895.txt").read_text("utf-8")
    ext, cap = make_extraction(text, [contribution("380")], source="004.txt")  # extractor "test-1"
    ingest_extraction(db, ext, capture=cap, text=text)
    report = store_to_reextracted(db)
    assert report.ok and len(report.results) == 1
    assert {r[0] for r in db.execute("SELECT extractor_version FROM documents")} == {"test-1", EXTRACTOR_VERSION}
    assert db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 1
    assert store_to_reextracted(db).results == []


def test_concurrent_writers_wait_for_each_other(db_path):
    """Four connections ingesting and approving at once: no 'database is locked', nothing lost."""
    import threading

    from rulestore.review import approve

    open_db(db_path).conn.close()
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        conn = open_db(db_path)
        try:
            for i in range(15):
                text = f"writer {n} notice {i}"
                ext, cap = make_extraction(text, [contribution(str(300 + i))], source=f"w{n}-{i}")
                rid = ingest_extraction(conn, ext, capture=cap, text=text).rule_ids[0]
                if n == 0:
                    approve(conn, rid, version=i + 1, actor="alice")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = open_db(db_path)
    assert check.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 60
    # every notice's statement is stored once; 15 distinct values of the one rule key. (A value
    # whose version was superseded before another writer restated it gets a new version: how
    # many there are depends on the interleaving, so only the invariants are asserted.)
    assert check.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 60
    assert check.execute("SELECT COUNT(DISTINCT value_hash) FROM rule_versions").fetchone()[0] == 15
    assert check.execute("SELECT COUNT(*) FROM rule_versions v WHERE NOT EXISTS "
                         "(SELECT 1 FROM evidence e WHERE e.version_id = v.id)").fetchone()[0] == 0
    assert check.execute("SELECT COUNT(*) FROM rule_versions WHERE status = 'approved'").fetchone()[0] == 1
    check.conn.close()


def test_a_corrected_value_read_again_from_the_same_span_does_not_come_back(db):
    """Re-extracting a capture whose value a reviewer corrected re-queues nothing; another
    notice stating the old value is a new proposed version flagged conflict."""
    from rulestore.review import approve, correct

    text = "个人缴费标准为每人每年38O元。"
    ext, cap = make_extraction(text, [contribution("38O")], source="a")
    rid = ingest_extraction(db, ext, capture=cap, text=text).rule_ids[0]
    correct(db, rid, actor="alice", params={"amount": "380"}, approve=True)
    ext.document.extractor_version = "test-2"  # the same bytes through a newer extractor
    again = ingest_extraction(db, ext, capture=cap, text=text)
    assert not again.skipped and again.versions_new == 0
    assert [v.status for v in list_rules(db)] == ["superseded", "approved"]
    other, cap2 = make_extraction("另一份通知:每人每年38O元。", [contribution("38O")], source="b")
    assert ingest_extraction(db, other, capture=cap2, text="另一份通知").conflicts == 1
    assert "conflict" in list_rules(db)[-1].flags
