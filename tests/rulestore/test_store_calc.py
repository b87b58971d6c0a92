"""End to end through the CLI: a corpus notice ingested, its rules approved, a calculation answered.

The extractor is still growing: each rule the calculation needs is proposed by the reviewer
(`rules add`, quoting the notice) — when the extractor already found the same value that only
adds evidence to its version — and then approved. So this test holds whatever the extractor yields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.cli import main

NOTICE = Path(__file__).resolve().parents[2] / "corpus" / "seeds" / "004_dc74051e39256895.txt"
LOW_INCOME = ["城乡低保对象", "返贫致贫人口", "脱贫不稳定且纳入相关部门农村低收入人口监测范围", "因病纳入监测范围的边缘易致贫户",
              "突发严重困难户"]
# what the notice says (corpus/gold/004_dc74051e39256895.json), with the passage that says it
NEEDED = [
    ("personal_contribution", {"amount": "380", "currency": "CNY", "per": "person_year"},
     {"scheme": "basic_medical", "population": "all"}, "个人缴费标准为每人每年380元"),
    ("assistance", {"mode": "fixed", "amount": "150", "net_personal_amount": "230"}, {"groups": LOW_INCOME},
     "定额资助后个人实际缴纳居民医保费为每人每年230元"),
    ("assistance", {"mode": "full"}, {"groups": ["城乡特困人员"]}, "对城乡特困人员给予全额资助"),
    ("enrollment_period", {"start": "2023-10-01", "end": "2023-12-31"}, {"phase": "concentrated"},
     "集中预缴期为2023年10月1日至12月31日"),
    ("waiting_period", {"amount": 90, "unit": "day"}, {"applies_to": ["其他居民在集中预缴期外参保缴费的"]},
     "设置90日待遇等待期"),
    ("newborn_enrollment", {"window_amount": 90, "window_unit": "day", "benefit_from": "birth"}, {},
     "90日内出生新生儿"),
]


def _run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliRunner, str]:
    db = str(tmp_path_factory.mktemp("e2e") / "e2e.db")
    runner = CliRunner()
    out = _run(runner, "ingest", str(NOTICE), "--db", db)
    assert "document 1" in out
    assert "already stored" in _run(runner, "ingest", str(NOTICE), "--db", db)
    for kind, params, conditions, quote in NEEDED:
        added = _run(runner, "rules", "add", "--document", "1", "--kind", kind, "--year", "2024",
                     "--params", json.dumps(params, ensure_ascii=False),
                     "--conditions", json.dumps(conditions, ensure_ascii=False), "--quote", quote, "--by", "alice", "--db", db)
        version = added.split()[0]  # ID@N: the version holding the value (the extractor's, if it had it)
        _run(runner, "rules", "approve", version, "--by", "bob", "--comment", "checked against the notice", "--db", db)
    return runner, db


def test_rules_list_json_has_contract_fields(store):
    runner, db = store
    rules = json.loads(_run(runner, "rules", "list", "--status", "approved", "--format", "json", "--db", db))
    assert len(rules) == len(NEEDED)
    for rule in rules:
        assert {"id", "version", "status", "kind", "policy_year", "region", "params", "conditions", "evidence"} <= set(rule)
        assert isinstance(rule["evidence"], list) and rule["evidence"]
        assert NOTICE.read_text(encoding="utf-8")[rule["evidence"][0]["start"]:rule["evidence"][0]["end"]] == \
            rule["evidence"][0]["quote"]
        assert rule["region"]["code"] == "220000"  # from the document's region


@pytest.mark.parametrize("args,due,start,assistance", [
    # paid in the concentrated period, an ordinary resident: 380, benefits from 1 January
    (["--paid-on", "2023-11-02"], "380", "2024-01-01", None),
    # low-income group: fixed assistance, pays 230
    (["--paid-on", "2023-11-02", "--group", "城乡低保对象"], "230", "2024-01-01", "fixed"),
    # extreme poverty group: full assistance
    (["--paid-on", "2023-11-02", "--group", "城乡特困人员"], "0", "2024-01-01", "full"),
    # paid after the period: 90-day waiting period
    (["--paid-on", "2024-03-01"], "380", "2024-05-30", None),
    # a newborn paid within 90 days of birth: benefits from birth
    (["--paid-on", "2024-03-01", "--born", "2024-02-10"], "380", "2024-02-10", None),
])
def test_calc(store, args, due, start, assistance):
    runner, db = store
    out = json.loads(_run(runner, "calc", "--region", "长春市", "--year", "2024", *args, "--format", "json", "--db", db))
    assert out["amount_due"] == due and out["benefit_start"] == start
    assert (out["assistance"] or {}).get("mode") == assistance
    assert out["used"] and all(u["from_region"] == "220000" for u in out["used"])


def test_calc_text_names_the_rule_versions(store):
    runner, db = store
    out = _run(runner, "calc", "--region", "吉林省", "--year", "2024", "--paid-on", "2023-11-02", "--db", db)
    assert "amount due: 380" in out and "rule versions used:" in out and "personal_contribution" in out


def test_calc_bad_date_is_a_usage_error_naming_it(store):
    runner, db = store
    out = _run(runner, "calc", "--region", "吉林省", "--year", "2024", "--paid-on", "2023-11-31", "--db", db, code=2)
    assert "2023-11-31" in out and "paid_on" in out


def test_query_and_changes_cli(store):
    runner, db = store
    answer = json.loads(_run(runner, "query", "--region", "220000", "--year", "2024", "--kind", "assistance",
                             "--format", "json", "--db", db))
    assert {r["params"]["mode"] for r in answer} == {"fixed", "full"}
    out = _run(runner, "query", "--region", "火星市", "--year", "2024", "--db", db, code=2)
    assert "火星市" in out
    feed = json.loads(_run(runner, "changes", "--since", "0", "--format", "json", "--db", db))
    assert "approve" in {c["action"] for c in feed}
