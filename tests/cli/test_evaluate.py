"""The scorer behind `noticerules eval`: hand-built extractions against hand-built gold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.contract import Evidence, Extraction, Fact, NoticeDocument, Region, Rule
from ingest.evaluate import DocScores, corpus_to_report, extraction_to_scores, report_to_floor_failures

TEXT = "2024年度个人缴费标准为每人每年380元。宁ICP备0900464号-5。征期截止20221225日。"


def _fact(ftype, text, value, flags=()):
    start = TEXT.index(text)
    return Fact(type=ftype, text=text, start=start, end=start + len(text), value=value, flags=list(flags))


def _rule(kind, year, params, quote="个人缴费标准为每人每年380元"):
    start = TEXT.index(quote)
    return Rule(kind=kind, policy_year=year, params=params, region=Region(code="220000"),
                evidence=Evidence(quote=quote, start=start, end=start + len(quote)), confidence=0.9)


GOLD = {
    "document": {"title": "关于 做好 工作的通知", "policy_year": 2024, "issuers": ["甲局", "乙局"],
                 "region": {"province": "吉林省", "code": "220000"}},
    "facts": [
        {"type": "MONEY", "value": {"amount": "380", "currency": "CNY"}},
        {"type": "DATE", "value": {"date": "2022-12-25"}},
        {"type": "PERCENT", "value": {"percent": "99"}, "optional": True},
    ],
    "rules": [
        {"kind": "personal_contribution", "policy_year": 2024,
         "params": {"amount": "380", "currency": "CNY", "per": "person_year"}},
        {"kind": "waiting_period", "policy_year": 2024, "params": {"amount": 3, "unit": "month"}, "optional": True},
    ],
    "must_flag": ["20221225日"],
    "not_facts": ["宁ICP备0900464号-5"],
}


def _doc(**kw):
    base = dict(source="x.txt", sha256="0" * 64, title="关于做好工作的通知", policy_year=2024,
                issuers=["乙局", "甲局"], region=Region(province="吉林省", code="220000"))
    base.update(kw)
    return NoticeDocument(**base)


def _score(ex):
    return extraction_to_scores(ex, GOLD, TEXT, DocScores(name="t", group="g", source="x.txt"))


def test_perfect_extraction_scores_one():
    ex = Extraction(
        document=_doc(),
        facts=[_fact("MONEY", "380元", {"amount": "380", "currency": "CNY"}),
               _fact("DATE", "20221225日", {"date": "2022-12-25"}, ["repaired"]),
               _fact("PERCENT", "380元", {"percent": "99"})],  # optional: neither helps nor hurts
        rules=[_rule("personal_contribution", 2024, {"amount": "380.0", "currency": "CNY", "per": "person_year"})],
    )
    ds = _score(ex)
    assert (ds.facts.tp, ds.facts.fp, ds.facts.fn) == (2, 0, 0)
    assert (ds.rules.tp, ds.rules.fp, ds.rules.fn) == (1, 0, 0)
    assert all(ds.fields_ok.values()), ds.misses
    assert ds.must_flag == {"20221225日": True}
    assert ds.not_facts == {"宁ICP备0900464号-5": True}


def test_wrong_values_lookalikes_and_unflagged_repairs_are_counted():
    ex = Extraction(
        document=_doc(policy_year=2023, issuers=["甲局"]),
        facts=[_fact("MONEY", "380元", {"amount": "38", "currency": "CNY"}),
               _fact("DATE", "20221225日", {"date": "2022-12-25"}),  # repaired but not flagged
               _fact("DOC_NO", "宁ICP备0900464号", {"canonical": "x"})],
        rules=[_rule("personal_contribution", 2023, {"amount": "380"}),
               _rule("personal_contribution", 2024, {"amount": "38"})],
    )
    ds = _score(ex)
    assert (ds.facts.tp, ds.facts.fp, ds.facts.fn) == (1, 2, 1)
    assert (ds.rules.tp, ds.rules.fp, ds.rules.fn) == (0, 2, 1)
    assert ds.fields_ok["policy_year"] is False and ds.fields_ok["issuers"] is False
    assert ds.fields_ok["title"] is True  # whitespace is not a difference
    assert ds.must_flag["20221225日"] is False
    assert ds.not_facts["宁ICP备0900464号-5"] is False


@pytest.mark.parametrize("flags,ok", [(["incomplete"], True), ([], False)])
def test_a_simplified_needle_with_a_filler_is_found_in_a_traditional_notice(flags, ok):
    # holdout25 h25_03: the gold writes 1.?万元, the notice 1.?萬元, and the normalised text has
    # lost the ?: the needle is found in the original converted char for char
    text = "大病保險起付線1.?萬元,起付線以上報銷。"
    start = text.index("1.?")
    fact = Fact(type="MONEY", text="1.?萬元", start=start, end=start + 5, value=None, flags=flags)
    ex = Extraction(document=_doc(), facts=[fact], rules=[])
    ds = extraction_to_scores(ex, {**GOLD, "must_flag": ["1.?万元"], "not_facts": []}, text,
                              DocScores(name="t", group="g", source="x.txt"))
    assert ds.must_flag == {"1.?万元": ok}


def test_conditions_of_matched_rules_are_scored_key_by_key():
    gold = dict(GOLD, rules=[
        {"kind": "personal_contribution", "policy_year": 2024, "params": {"amount": "380"},
         "conditions": {"scheme": "basic_medical", "population": "学生儿童"}},
        {"kind": "waiting_period", "policy_year": 2024, "params": {"amount": 3, "unit": "month"},
         "conditions": {"exempt": ["新生儿", "在校大学生等特殊群体"], "applies_to": ["中途参保人员"]}},
    ])

    def rule(kind, params, conditions):
        r = _rule(kind, 2024, params)
        r.conditions = conditions
        return r

    ex = Extraction(document=_doc(), facts=[], rules=[
        rule("personal_contribution", {"amount": "380"}, {"scheme": "basic_medical", "population": "all"}),
        rule("waiting_period", {"amount": 3, "unit": "month"},
             {"exempt": ["在校大学生", "新生儿"]}),  # same groups, other order and wording; applies_to missing
    ])
    ds = extraction_to_scores(ex, gold, TEXT, DocScores(name="t", group="g", source="x.txt"))
    assert ds.conditions == {"scheme": [True], "population": [False], "exempt": [True], "applies_to": [False]}
    assert len(ds.misses["conditions_wrong"]) == 2 and "population" in ds.misses["conditions_wrong"][0]


def test_floor_failures_name_group_metric_and_values(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "gold").mkdir(parents=True)
    (corpus / "mine").mkdir()
    (corpus / "mine" / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "gold" / "a.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    report = corpus_to_report(corpus)
    assert report.groups() == ["mine", "all"]
    fails = report_to_floor_failures(report, {"mine": {"facts_f1": 1.01}, "other": {"rules_f1": 0.1}})
    assert any(f.startswith("mine.facts_f1 = ") and "below its floor 1.0100" in f for f in fails)
    assert any(f.startswith("other:") for f in fails)
    assert report_to_floor_failures(report, {"mine": {"facts_f1": 0.0}}) == []


def test_gold_without_a_notice_is_an_error_not_a_skip(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "gold").mkdir(parents=True)
    (corpus / "gold" / "lonely.json").write_text(json.dumps(GOLD), encoding="utf-8")
    report = corpus_to_report(corpus)
    assert report.docs[0].error and "lonely" in report.docs[0].error


def test_eval_cli_check_fails_below_floor(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "gold").mkdir(parents=True)
    (corpus / "mine").mkdir()
    (corpus / "mine" / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "gold" / "a.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (corpus / "floors.json").write_text(json.dumps({"floors": {"mine": {"document_accuracy": 1.5}}}))
    cmd = [sys.executable, "-m", "ingest.cli", "eval", str(corpus), "--check"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "mine.document_accuracy" in proc.stderr
    js = subprocess.run([sys.executable, "-m", "ingest.cli", "eval", str(corpus), "--format", "json"],
                        capture_output=True, text=True, check=True)
    assert set(json.loads(js.stdout)["groups"]) == {"mine", "all"}
