"""The store's CLI verbs: contract forms, JSON shape, exit codes and error messages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ingest.cli import main
from rulestore_builders import contribution, make_extraction
from rulestore.db import open_db
from rulestore.store import ingest_extraction


@pytest.fixture
def cli(db_path):
    db = open_db(db_path)
    for amount, source in (("380", "a"), ("400", "b")):
        ext, cap = make_extraction(source, [contribution(amount)], source=source)
        rule_id = ingest_extraction(db, ext, capture=cap, text=source).rule_ids[0]
    db.conn.close()
    runner = CliRunner(env={"NOTICERULES_DB": str(db_path)})  # the default --db comes from the environment

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args))
        assert result.exit_code == code, (result.output, result.exception)
        return result.output

    return run, rule_id


def test_list_approve_reject_and_show(cli):
    run, rid = cli
    rules = json.loads(run("rules", "list", "--status", "proposed", "--format", "json"))
    assert [(r["id"], r["version"], r["status"]) for r in rules] == [(rid, 1, "proposed"), (rid, 2, "proposed")]
    assert "conflict" in rules[1]["flags"] and isinstance(rules[0]["evidence"], list)
    out = run("rules", "approve", rid, "--by", "alice", code=1)  # two proposed versions: name one
    assert "[1, 2]" in out
    assert "approved" in run("rules", "approve", f"{rid}@2", "--by", "alice", "--comment", "newer notice")
    assert "rejected" in run("rules", "reject", rid, "--version", "1", "--by", "bob")
    shown = run("rules", "show", rid)
    assert "newer notice" in shown and "version 2: approved" in shown and "version 1: rejected" in shown
    assert json.loads(run("rules", "list", "--region", "吉林省", "--year", "2024", "--kind", "personal_contribution",
                          "--status", "approved", "--format", "json"))[0]["version"] == 2


def test_approving_a_superseded_version_exits_1_naming_it(cli):
    run, rid = cli
    run("rules", "approve", rid, "--version", "1", "--by", "alice")
    run("rules", "approve", rid, "--version", "2", "--by", "alice")
    out = run("rules", "approve", rid, "--version", "1", "--by", "bob", code=1)
    assert "superseded" in out and rid in out


def test_correct_via_cli_records_the_edit(cli):
    run, rid = cli
    out = run("rules", "correct", rid, "--version", "2", "--by", "carol", "--set", "amount=390", "--approve")
    assert out.startswith(f"{rid}@3 approved") and "amount=390" in out
    history = json.loads(run("rules", "show", rid, "--format", "json"))
    correction = [e for e in history["events"] if e["action"] == "correct"][0]
    assert correction["actor"] == "carol" and correction["after"]["params"] == {"amount": "390"}
    out = run("rules", "correct", rid, "--by", "carol", "--set", "end=2024-02-30", code=2)
    assert "2024-02-30" in out


@pytest.mark.parametrize("args,needle", [
    (["rules", "list", "--region", "火星市"], "火星市"),
    (["rules", "list", "--kind", "pension"], "pension"),
    (["query", "--region", "吉林省", "--year", "2024", "--as-of", "2024-99-01"], "2024-99-01"),
    (["query", "--region", "不存在县", "--year", "2024"], "不存在县"),
    (["rules", "approve", "x", "--by", "alice", "--seen-revision", "abc"], "abc"),
])
def test_bad_input_is_usage_error_naming_the_value(cli, args, needle):
    run, _ = cli
    assert needle in run(*args, code=2)


def test_unknown_rule_exits_1(cli):
    run, _ = cli
    assert "ffffffffffff" in run("rules", "approve", "ffffffffffff", "--by", "alice", code=1)


def test_migrate_users_tokens_and_settings(cli):
    run, rid = cli
    assert "[x] 0001_initial" in run("db", "migrate", "--list")
    assert "nothing to apply" in run("db", "migrate")
    assert "added alice (admin)" in run("users", "add", "alice", "--role", "admin", "--password", "long enough pw")
    assert "alice\tadmin" in run("users", "list")
    assert "mallory" in run("rules", "approve", f"{rid}@1", "--by", "mallory", code=1)  # users exist now
    token = run("tokens", "create", "engine", "--scope", "rules:read").strip()
    assert token.startswith("nr_") and token not in run("tokens", "list")
    assert "revoked" in run("tokens", "revoke", "1")
    assert "true" in run("db", "setting", "require_two_approvals", "true")
    assert "proposed" in run("rules", "approve", f"{rid}@1", "--by", "alice")  # first of two approvals
    assert "nope" in run("db", "setting", "nope", code=2)
