"""The rule builder end to end on short notices: normaliser → facts pipeline → facts_to_rules.

Each case is one trap from issue 3 (binding the right number, windows, years, evidence,
duplicates, conflicts, untrusted values, relevance, sanity flags).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.contract import NoticeDocument, Region, Rule
from extractors.facts import normalised_to_facts
from extractors.normalise import text_to_normalised
from extractors.rules import facts_to_rules


def _rules(text: str, *, year: int | None = 2024, published: str | None = None,
           title: str | None = "关于做好城乡居民基本医疗保险参保缴费工作的通知") -> tuple[list[Rule], NoticeDocument]:
    norm = text_to_normalised(text)
    facts, doc = normalised_to_facts(norm)
    document = NoticeDocument(source="t.txt", sha256="0" * 64, policy_year=year, published=published, title=title,
                              region=Region(province="吉林省", code="220000"))
    return facts_to_rules(document, norm, doc, facts), document


def _of(rules: list[Rule], kind: str) -> list[Rule]:
    return [r for r in rules if r.kind.value == kind]


def test_contribution_not_fund_total_nor_catastrophic_ceiling() -> None:
    rules, _ = _rules("2024年度我市居民医保人均筹资标准为1070元,其中各级财政补助不低于每人每年670元,"
                      "个人缴费标准为每人每年400元。大病保险年度最高支付限额为40万元。")
    assert [(r.params["amount"], r.policy_year) for r in _of(rules, "personal_contribution")] == [("400", 2024)]
    fiscal = _of(rules, "fiscal_subsidy")
    assert [(r.params["amount"], r.params["bound"]) for r in fiscal] == [("670", "min")]
    assert all(r.params.get("amount") not in ("1070", "400000") for r in rules)


def test_region_from_document_on_every_rule() -> None:
    rules, _ = _rules("2024年度居民医保个人缴费标准为每人每年400元。")
    assert rules and all(r.region.code == "220000" for r in rules)


def test_assistance_rate_not_reimbursement_rate() -> None:
    rules, _ = _rules("低保对象个人缴费部分按70%给予资助。居民医保住院费用政策范围内报销比例为60%,该比例与资助比例无关。")
    assist = _of(rules, "assistance")
    assert [(r.params["mode"], r.params["percent"]) for r in assist] == [("percent", "70")]
    assert assist[0].conditions["groups"] == ["低保对象"]


def test_fixed_assistance_and_net_personal_amount() -> None:
    rules, _ = _rules("对城乡特困人员给予全额资助;对低保对象、返贫致贫人口给予定额资助,每人每年资助250元,资助后个人缴纳150元。")
    assist = sorted(_of(rules, "assistance"), key=lambda r: r.params["mode"])
    assert [r.params["mode"] for r in assist] == ["fixed", "full"]
    assert assist[0].params["amount"] == "250" and assist[0].params["net_personal_amount"] == "150"
    assert assist[0].conditions["groups"] == ["低保对象", "返贫致贫人口"]
    assert assist[1].conditions["groups"] == ["城乡特困人员"]
    # the net amount is not a contribution standard
    assert _of(rules, "personal_contribution") == []


def test_window_to_end_of_next_february() -> None:
    rules, _ = _rules("2025年度居民医保集中参保缴费期为2024年9月1日至次年2月底。", year=2025)
    [period] = _of(rules, "enrollment_period")
    assert period.params == {"start": "2024-09-01", "end": "2025-02-28"}
    assert period.conditions == {"phase": "concentrated"} and period.policy_year == 2025


def test_last_years_standard_keeps_its_year() -> None:
    text = ("2023年度人均财政补助标准达到每人每年不低于640元,2024年度居民财政补助标准按照国家规定执行。"
            "2024年度全省居民医保个人缴费标准为每人每年380元。")
    rules, _ = _rules(text, year=2024, published="2023-09-08")
    assert [(r.kind.value, r.policy_year, r.params["amount"]) for r in rules] == [
        ("fiscal_subsidy", 2023, "640"), ("personal_contribution", 2024, "380")]


def test_policy_year_is_the_insurance_year_not_publication() -> None:
    rules, _ = _rules("2024年度居民医保费集中预缴期为2023年10月1日至12月31日。", year=None, published="2023-09-08")
    [period] = _of(rules, "enrollment_period")
    assert period.policy_year == 2024
    assert period.params == {"start": "2023-10-01", "end": "2023-12-31"}


def test_same_rule_twice_is_one_rule_with_both_spans() -> None:
    text = "一、2024年度个人缴费标准为每人每年400元。\n二、……\n六、特别提醒:2024年度个人缴费标准为每人每年400元,请按时缴费。"
    rules, _ = _rules(text)
    [rule] = _of(rules, "personal_contribution")
    assert len(rule.also_evidence) == 1
    assert rule.evidence.start < rule.also_evidence[0].start
    assert "conflict" not in rule.flags


def test_two_values_for_one_rule_are_both_kept_and_flagged() -> None:
    text = "2024年度个人缴费标准为每人每年380元。\n2024年度个人缴费标准为每人每年400元。"
    rules, _ = _rules(text)
    contrib = _of(rules, "personal_contribution")
    assert sorted(r.params["amount"] for r in contrib) == ["380", "400"]
    assert all("conflict" in r.flags for r in contrib)


def test_no_rule_on_corrupt_or_invalid_dates() -> None:
    rules, _ = _rules("参保登记缴费时间为2065438年9月1日至2007年2月31日,福利享受至2月31日。个人缴费标准为180元。", year=2018)
    assert _of(rules, "enrollment_period") == [] and _of(rules, "benefit_period") == []
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["180"]


def test_variable_waiting_period_is_represented_not_flattened() -> None:
    text = ("自2025年起,除新生儿等特殊群体外,对未在居民医保集中参保期内参保或未连续参保的人员,设置参保后固定待遇等待期3个月;"
            "其中,未连续参保的,每多断保1年,原则上在固定待遇等待期基础上增加变动待遇等待期1个月,"
            "固定待遇等待期和变动待遇等待期合计不超过6个月。")
    rules, _ = _rules(text, year=2025)
    [wait] = _of(rules, "waiting_period")
    assert wait.params == {"amount": 3, "unit": "month", "variable_amount": 1, "variable_unit": "month",
                           "variable_per": "year_of_broken_enrollment", "max_amount": 6, "max_unit": "month"}
    assert wait.conditions["applies_to"] == ["未在居民医保集中参保期内参保", "未连续参保的人员"]
    assert wait.conditions["exempt"] == ["新生儿等特殊群体"] or wait.conditions["exempt"] == ["新生儿"]


def test_waiting_exemptions_from_a_sentence_that_sets_none() -> None:
    text = ("90日内出生新生儿、边缘易致贫户、突发严重困难户在集中预缴期外参保缴费的,不设待遇等待期。"
            "其他居民在集中预缴期外参保缴费的,设置90日待遇等待期。")
    rules, _ = _rules(text)
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params["unit"]) == (90, "day")
    assert "边缘易致贫户" in wait.conditions["exempt"] and "突发严重困难户" in wait.conditions["exempt"]


def test_evidence_is_the_original_traditional_text() -> None:
    text = "一、繳費標準\n2023年度城鄉居民基本醫療保險費個人繳費標準為每人每年350元。"
    rules, _ = _rules(text, year=2023)
    [rule] = _of(rules, "personal_contribution")
    assert text[rule.evidence.start : rule.evidence.end] == rule.evidence.quote
    assert "繳費標準為每人每年350元" in rule.evidence.quote
    assert 0 < rule.confidence <= 1


def test_newborn_window_and_benefit_start_not_the_late_case() -> None:
    text = ("新生儿在出生后3个月内参保缴费的,从出生之日起开始享受基本医疗保险待遇。"
            "新生儿在出生3个月后参保缴费的,从缴费次月1日起开始享受新发生的基本医疗保险待遇。")
    rules, _ = _rules(text, year=2023)
    [newborn] = _of(rules, "newborn_enrollment")
    assert newborn.params == {"window_amount": 3, "window_unit": "month", "benefit_from": "birth"}


def test_benefit_start_by_enrollee_and_payment_date() -> None:
    text = ("(三)中断参保缴费。\n中断缴费1年以上的,在2022年9月1日至12月31日缴纳2023年度基本医疗保险费的,"
            "从2023年1月1日起享受新发生的基本医疗保险待遇;在2023年1月1日以后缴纳2023年度基本医疗保险费的,"
            "从第3个月1日起开始享受新发生的基本医疗保险待遇。")
    rules, _ = _rules(text, year=2023)
    starts = {r.params["from"]: r for r in _of(rules, "benefit_start")}
    assert set(starts) == {"policy_year_start", "third_month_after_payment"}
    assert starts["policy_year_start"].conditions == {"enrollee": "interrupted",
                                                       "paid_between": ["2022-09-01", "2022-12-31"]}
    assert _of(rules, "enrollment_period") == []  # a payment condition is not a window


def test_coverage_target_with_min_bound_and_groups() -> None:
    rules, _ = _rules("要常态化抓好困难人群参保工作,确保本地区低收入人口和脱贫人口参保率稳定在 99%以上。")
    [target] = _of(rules, "coverage_target")
    assert target.params == {"percent": "99", "bound": "min"}
    assert target.conditions["groups"] == ["低收入人口", "脱贫人口"]


def test_benefit_period_and_concentrated_window_in_one_sentence() -> None:
    text = "2025年度全区居民医保集中参保期限从2024年9月25日开始,原则上至12月31日结束。在集中参保期缴费的,待遇享受期限为2025年1月1日至12月31日。"
    rules, _ = _rules(text, year=2025)
    assert [(r.kind.value, r.params["start"], r.params["end"]) for r in rules] == [
        ("enrollment_period", "2024-09-25", "2024-12-31"), ("benefit_period", "2025-01-01", "2025-12-31")]


def test_table_of_tiers_by_header() -> None:
    text = ("2024年度缴费标准如下表。\n参保人员类别 | 个人缴费(元/人·年) | 财政补助(元/人·年) | 筹资合计(元/人·年)\n"
            "学生儿童 | 400 | 800 | 1200\n劳动年龄内居民 | 560 | 700 | 1260\n")
    rules, _ = _rules(text)
    got = sorted((r.kind.value, r.conditions.get("population"), r.params["amount"]) for r in rules)
    assert got == [("fiscal_subsidy", "劳动年龄内居民", "700"), ("fiscal_subsidy", "学生儿童", "800"),
                   ("personal_contribution", "劳动年龄内居民", "560"), ("personal_contribution", "学生儿童", "400")]
    assert not any("conflict" in r.flags for r in rules)


@pytest.mark.parametrize("text,title", [
    ("关于2024年调整退休人员基本养老金的通知。基本养老金调整采取定额调整、挂钩调整与适当倾斜相结合的办法。"
     "退休人员基本养老金每人每月增加50元。", "关于2024年调整退休人员基本养老金的通知"),
    ("固始县医疗保障局2025年度城乡居民基本医疗保险参保缴费宣传服务项目公开招标公告。预算金额30万元,投标截止时间2024年8月5日。",
     "固始县医疗保障局2025年度城乡居民基本医疗保险参保缴费宣传服务项目公开招标公告"),
])
def test_not_relevant_notice_yields_no_rules_and_a_flag(text: str, title: str) -> None:
    rules, document = _rules(text, title=title)
    assert rules == []
    assert "not_relevant" in document.flags


def test_sanity_flags_reach_the_rule() -> None:
    text = ("2024年度居民医保集中缴费期为2023年12月31日至2023年10月1日。"
            "2024年度居民医保个人缴费标准为每人每年4000元。低保对象按120%给予资助。")
    rules, _ = _rules(text, published="2023-09-01")
    by_kind = {r.kind.value: r for r in rules}
    assert "window_reversed" in by_kind["enrollment_period"].flags
    assert "amount_out_of_range" in by_kind["personal_contribution"].flags
    assert "percent_over_100" in by_kind["assistance"].flags
    assert all(r.confidence <= 0.5 and "low_confidence" in r.flags for r in by_kind.values())


def test_window_over_before_publication_is_flagged() -> None:
    rules, _ = _rules("2024年度居民医保集中缴费期为2023年9月1日至2023年12月31日。", published="2024-03-01")
    [period] = _of(rules, "enrollment_period")
    assert "before_publication" in period.flags


def test_a_year_right_before_an_amount_is_its_year() -> None:
    rules, _ = _rules("城乡居民医保个人缴费标准为每人每年380元(2022年为350元)。")
    assert sorted((r.policy_year, r.params["amount"]) for r in rules) == [(2022, "350"), (2024, "380")]
    assert not any("conflict" in r.flags for r in rules)


def test_history_far_from_the_notice_year_is_not_a_rule() -> None:
    rules, _ = _rules("2021年度全市城乡居民医保参保率达到96.5%,个人缴费标准为每人每年280元。")
    assert rules == []


def test_a_funding_share_is_not_the_contribution_standard() -> None:
    rules, _ = _rules("长期护理保险个人缴费标准为每人每年30元,由个人缴纳15元、医保统筹基金划转15元。")
    assert [(r.params["amount"], r.conditions["scheme"]) for r in rules] == [("30", "long_term_care")]


def test_variable_wait_in_its_own_clause_attaches_to_the_fixed_one() -> None:
    rules, _ = _rules("中断参保的,补缴后设置3个月待遇等待期;断保2年以上的,每增加1年断保,等待期增加1个月,最长不超过6个月。")
    [wait] = rules
    assert wait.params == {"amount": 3, "unit": "month", "variable_amount": 1, "variable_unit": "month",
                           "variable_per": "year_of_broken_enrollment", "max_amount": 6, "max_unit": "month"}


def test_worked_examples_are_not_rules() -> None:
    rules, _ = _rules("举个例子:张大爷断保2年,待遇等待期为固定等待期3个月加变动等待期2个月,共5个月。")
    assert rules == []


@pytest.mark.parametrize("text,expected", [
    ("个人缴费标准由每人每年380元提高到400元。", [("personal_contribution", 2024, "400")]),
    ("个人缴费标准由2023年的380元提高到2024年的400元。",
     [("personal_contribution", 2023, "380"), ("personal_contribution", 2024, "400")]),
    ("自2024年1月1日起,将居民医保待遇等待期由现行的3个月调整为6个月。", [("waiting_period", 2024, 6)]),
])
def test_the_old_value_of_a_change_is_not_the_rule(text: str, expected: list[tuple]) -> None:
    rules, _ = _rules(text)
    assert sorted((r.kind.value, r.policy_year, r.params["amount"]) for r in rules) == expected


def test_window_in_a_payment_condition_is_not_an_enrollment_period() -> None:
    rules, _ = _rules("在2022年9月1日至2023年2月28日期间缴纳2023年度基本医疗保险费的,从2023年1月1日起享受新年度的待遇。", year=2023)
    assert _of(rules, "enrollment_period") == []
    rules, _ = _rules("城乡居民可在2023年9月1日至2023年12月31日期间缴纳2024年度居民医保费。")
    assert [r.params for r in _of(rules, "enrollment_period")] == [{"start": "2023-09-01", "end": "2023-12-31"}]


def test_a_coverage_statistic_is_not_a_target() -> None:
    rules, _ = _rules("截至目前,全市城乡居民医保参保率为85.3%。")
    assert rules == []


def test_one_levels_share_is_not_the_fiscal_subsidy() -> None:
    rules, _ = _rules("省级财政补助每人每年200元,市县财政补助每人每年470元。我市财政补助标准为每人每年不低于670元。")
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("670", "min")]


_PIECES = ["2024年度", "个人缴费标准为", "每人每年", "380元", "不低于", "财政补助", "集中缴费期为", "2023年9月1日",
           "至", "12月31日", "次年2月底", "待遇等待期", "3个月", "全额资助", "定额资助", "70%", "给予资助", "新生儿",
           "出生后90日内", "自出生之日起享受", "参保率", "以上", "2065438年", "2月31日", "|", "\n", "。", ",", ";",
           "低保对象", "、", "特困人员", "由", "提高到", "(2023年度为350元)", "每断保1年增加1个月", "不设待遇等待期",
           "第3个月1日起", "缴费次月", "享受待遇", "100美元", "上述困难人员", "如下:", "(一)", "学生儿童"]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_never_raises_and_quotes_match_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    rules, _ = _rules(text)
    for r in rules:
        assert text[r.evidence.start : r.evidence.end] == r.evidence.quote
        assert r.kind.value in {"personal_contribution", "fiscal_subsidy", "enrollment_period", "benefit_period",
                                "waiting_period", "assistance", "newborn_enrollment", "benefit_start", "coverage_target"}


def test_a_second_amount_needs_its_own_tier_or_year() -> None:
    rules, _ = _rules("个人缴费标准为每人每年380元,一次性缴清,每户最高不超过3000元。")
    assert [r.params["amount"] for r in rules] == ["380"]
    rules, _ = _rules("2024年度居民医保个人缴费标准为每人每年400元,其中,学生、儿童每人每年380元。")
    assert sorted((r.conditions["population"], r.params["amount"]) for r in rules) == [("all", "400"), ("学生、儿童", "380")]


def test_an_exemption_stated_after_the_waiting_period_joins_it() -> None:
    rules, _ = _rules("未在集中参保缴费期内参保的人员,设置参保后待遇等待期,等待期为3个月。"
                      "新生儿、在校大学生、退役军人等特殊群体不设等待期。")
    [wait] = _of(rules, "waiting_period")
    assert wait.conditions["exempt"] == ["新生儿", "在校大学生", "退役军人"]


def test_a_qa_answer_keeps_who_the_waiting_period_applies_to() -> None:
    rules, _ = _rules("问:什么是待遇等待期?\n答:未在集中征缴期内参保或未连续参保的,设置3个月待遇等待期。")
    [wait] = _of(rules, "waiting_period")
    assert wait.conditions["applies_to"] == ["未在集中征缴期内参保", "未连续参保的"]


def test_a_second_years_amount_after_the_first_is_its_own_rule() -> None:
    rules, _ = _rules("个人缴费标准分两年调整到位:2026年度为每人每年420元,2027年度为每人每年440元。", year=2026)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")] == [
        (2026, "420"), (2027, "440")]


def test_extended_window_from_the_end_of_the_concentrated_one() -> None:
    rules, _ = _rules("2024年度居民医保集中征缴期为2023年10月8日至2023年12月31日。\n"
                      "集中征缴期结束后至2024年3月31日为补充缴费期,在补充缴费期内缴费的,自缴费次月起享受待遇。")
    windows = [(r.params["start"], r.params["end"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")]
    assert windows == [("2023-10-08", "2023-12-31", "concentrated"), ("2024-01-01", "2024-03-31", "extended")]


def test_a_window_whose_label_follows_it() -> None:
    rules, _ = _rules("2024年9月1日—2024年12月31日为2025年度集中参保缴费期。", year=2025)
    [window] = _of(rules, "enrollment_period")
    assert (window.policy_year, window.params, window.conditions) == (
        2025, {"start": "2024-09-01", "end": "2024-12-31"}, {"phase": "concentrated"})


def test_observation_period_is_a_waiting_period() -> None:
    rules, _ = _rules("中途参保人员缴费后设置3个月观察期,观察期满后方可享受居民医保待遇。", year=2026)
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(3, "month")]


def test_benefit_start_takes_the_window_it_names_as_paid_between() -> None:
    rules, _ = _rules("2024年度居民医保集中缴费期为2023年9月1日至2023年12月31日,2024年1月1日至2月29日为延长缴费期。"
                      "在集中缴费期内缴费的,自2024年1月1日起享受待遇。在延长缴费期内缴费的,自缴费次月起享受待遇。")
    starts = {r.params["from"]: r.conditions.get("paid_between") for r in _of(rules, "benefit_start")}
    assert starts == {"policy_year_start": ["2023-09-01", "2023-12-31"],
                      "next_month_after_payment": ["2024-01-01", "2024-02-29"]}


def test_benefit_start_before_or_after_a_date_inside_the_window() -> None:
    rules, _ = _rules("2022年度居民医保缴费时间为2021年9月1日至次年2月底。在2021年12月31日前缴费的,自2022年1月1日起享受待遇;"
                      "2022年1月1日以后缴费的,自缴费次月起享受待遇。", year=2022)
    starts = {r.params["from"]: r.conditions.get("paid_between") for r in _of(rules, "benefit_start")}
    assert starts == {"policy_year_start": ["2021-09-01", "2021-12-31"],
                      "next_month_after_payment": ["2022-01-01", "2022-02-28"]}


def test_paying_outside_a_named_window_is_not_paying_inside_it() -> None:
    rules, _ = _rules("2023年度集中缴费期为2022年9月1日至2022年12月31日。"
                      "未能在集中缴费期内缴费的,可在2023年1月1日至2023年2月28日补缴,补缴后自缴费次月起享受待遇。", year=2023)
    [start] = _of(rules, "benefit_start")
    assert start.conditions["paid_between"] == ["2023-01-01", "2023-02-28"]


def test_two_coverage_targets_in_one_sentence_keep_their_own_groups() -> None:
    rules, _ = _rules("各镇要确保全县户籍人口基本医保参保率稳定在95%以上,脱贫人口和监测对象参保率达到100%。")
    targets = [(r.params["percent"], r.conditions.get("groups")) for r in _of(rules, "coverage_target")]
    assert targets == [("95", ["户籍人口"]), ("100", ["脱贫人口", "监测对象"])]


def test_the_years_window_without_a_phase_word_is_the_concentrated_one() -> None:
    rules, _ = _rules("★缴费时间:2024年9月1日—2024年12月31日\n"
                      "★特别提醒:集中缴费期结束后再参保的,有3个月等待期,等待期内看病医保不给报销!", year=2025)
    [window] = _of(rules, "enrollment_period")
    assert window.conditions == {"phase": "concentrated"}
    [wait] = _of(rules, "waiting_period")
    assert wait.conditions["applies_to"] == ["集中缴费期结束后再参保的"]


def test_a_village_notice_in_plain_words() -> None:
    rules, _ = _rules("💰交多少:每人每年400元(去年是380元)。国家财政每人还补助700元以上。\n"
                      "📅什么时候交:2024年9月1日—12月31日,过了这个时间再交就要等!\n"
                      "⚠️等多久:集中缴费期过后才交的,要等3个月才能报销;断缴的,每断一年再多等1个月,最多等6个月。\n"
                      "👶新生儿:宝宝出生后90天内给他交上,从出生那天起就能报销。\n"
                      "2. 低保户:每人补助100元,自己只交300元。", year=2025)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")) == [
        (2024, "380"), (2025, "400")]
    assert [r.params["amount"] for r in _of(rules, "fiscal_subsidy")] == ["700"]
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params["variable_amount"], wait.params["max_amount"]) == (3, 1, 6)
    [newborn] = _of(rules, "newborn_enrollment")
    assert newborn.params == {"window_amount": 90, "window_unit": "day", "benefit_from": "birth"}
    assistance = [(r.params.get("amount"), r.params.get("net_personal_amount")) for r in _of(rules, "assistance")]
    assert assistance == [("100", "300")]  # and the 700 of the fiscal subsidy is not an assistance


def test_waiting_words_that_are_not_a_waiting_period() -> None:
    rules, _ = _rules("参保登记后需要等待3个工作日完成信息核验。")
    assert _of(rules, "waiting_period") == []


def test_variable_part_named_before_every() -> None:
    rules, _ = _rules("上一年度断缴的人员,设置3个月固定等待期;断缴时间每增加1年,在固定等待期基础上增加1个月变动等待期,"
                      "等待期最长不超过6个月。", year=2026)
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params.get("variable_amount"), wait.params.get("max_amount")) == (3, 1, 6)


def test_amount_before_its_verb() -> None:
    rules, _ = _rules("2022年度居民医保费按每人每年320元缴纳。", year=2022)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["320"]


def test_a_span_of_years_governs_from_its_first_year() -> None:
    rules, _ = _rules("在过渡期内(2024年至2025年),对脱贫不稳定人口按每人每年100元给予定额资助,个人缴纳300元。", year=2024)
    [assist] = _of(rules, "assistance")
    assert (assist.policy_year, assist.params["amount"], assist.params["net_personal_amount"]) == (2024, "100", "300")


def test_a_grade_column_keeps_two_standards_of_one_population_apart() -> None:
    rules, _ = _rules("2023年度个人缴费标准如下表:\n参保人群 | 档次 | 个人缴费\n成年居民 | 高档 | 每人每年1020元\n"
                      "成年居民 | 低档 | 每人每年420元\n学生、儿童 | — | 每人每年380元", year=2023)
    contrib = [(r.params["amount"], r.conditions["population"], r.flags) for r in _of(rules, "personal_contribution")]
    assert contrib == [("1020", "成年居民（高档）", []), ("420", "成年居民（低档）", []), ("380", "学生、儿童", [])]


def test_two_grades_or_tiers_in_turn_are_not_a_conflict() -> None:
    rules, _ = _rules("2025年度居民医保实行两档缴费,一档个人缴费标准为每人每年400元,二档个人缴费标准为每人每年775元。", year=2025)
    assert [(r.params["amount"], r.conditions["population"], r.flags) for r in _of(rules, "personal_contribution")] == [
        ("400", "一档", []), ("775", "二档", [])]
    rules, _ = _rules("(一)在校学生及未满18周岁的未成年人(以下简称学生儿童),个人缴费标准为每人每年400元;"
                      "(二)年满18周岁的其他城乡居民(含老年居民),个人缴费标准为每人每年530元。", year=2025)
    assert [r.flags for r in _of(rules, "personal_contribution")] == [[], []]


def test_care_insurance_beside_medical_insurance_is_its_own_scheme() -> None:
    rules, _ = _rules("2026年度居民医保个人缴费标准为每人每年400元。"
                      "参加居民医保的人员同步参加基本照护保险,个人缴费标准为每人每年30元,与居民医保费一并征收。", year=2026)
    assert [(r.params["amount"], r.conditions["scheme"], r.flags) for r in _of(rules, "personal_contribution")] == [
        ("400", "basic_medical", []), ("30", "long_term_care", [])]


def test_a_year_an_amount_took_is_not_the_next_values_year() -> None:
    rules, _ = _rules("2024年度城乡居民基本医疗保险个人缴费标准为每人每年380元(2023年度为350元),"
                      "各级财政补助标准为每人每年不低于670元。")
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")] == [(2024, "670")]
    rules, _ = _rules("2019年度个人缴费标准为每人每年250元,比2018年度的220元提高30元,各级财政补助标准为每人每年520元。",
                      year=2019)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")] == [(2019, "520")]


def test_a_merged_schemes_old_standard_is_not_this_years() -> None:
    rules, _ = _rules("2017年度城乡居民基本医疗保险个人缴费标准统一为每人每年150元。"
                      "整合前的2016年度,原新农合个人缴费为每人每年120元;原城镇居民医保个人缴费为成年居民每人每年180元。",
                      year=2017)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")] == [(2017, "150")]


def test_an_extended_window_named_in_the_clause_before() -> None:
    rules, _ = _rules("集中征缴期为2024年9月1日至12月31日。县里在集中征缴期结束后增设延长缴费期,自2025年1月1日起至2月28日止,"
                      "延长缴费期内缴费的,待遇享受期同上。", year=2025)
    windows = [(r.params["start"], r.params["end"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")]
    assert ("2025-01-01", "2025-02-28", "extended") in windows


def test_a_question_heading_heads_its_answer() -> None:
    rules, _ = _rules("一、交多少钱?\n2023年度每人380元(去年2022年度是每人350元)。\n二、什么时候交?\n"
                      "2022年9月1日开始缴费,12月31日截止。", year=2023)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")) == [
        (2022, "350"), (2023, "380")]
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2022-09-01", "2022-12-31")]


def test_benefit_start_at_the_end_of_a_long_sentence_of_rules() -> None:
    rules, _ = _rules("集中缴费期为2020年9月1日至12月31日,在集中缴费期内缴费的,待遇享受期为2021年1月1日至12月31日,"
                      "集中缴费期结束后参保缴费的,自缴费次月1日起享受待遇。", year=2021)
    assert [r.params["from"] for r in _of(rules, "benefit_start")] == ["next_month_after_payment"]


def test_a_table_with_a_column_per_year() -> None:
    rules, _ = _rules("2026年度城乡居民医保筹资标准与上年度对比如下(单位:元/人·年):\n项目 | 2025年度 | 2026年度 | 增减\n"
                      "个人缴费 | 400 | 420 | +20\n各级财政补助 | 700 | 730 | +30\n人均筹资总额 | 1100 | 1150 | +50\n"
                      "注:各级财政补助不低于上表所列标准。", year=2026)
    got = sorted((r.kind.value, r.policy_year, r.params["amount"], r.params.get("bound")) for r in rules)
    assert got == [("fiscal_subsidy", 2025, "700", "min"), ("fiscal_subsidy", 2026, "730", "min"),
                   ("personal_contribution", 2025, "400", None), ("personal_contribution", 2026, "420", None)]


def test_a_value_quoted_from_the_text_being_replaced_is_not_a_rule() -> None:
    rules, _ = _rules("将《通知》第三条第二款“集中缴费期结束后参保缴费的,设置6个月待遇等待期”调整为:"
                      "集中缴费期结束后参保缴费的,待遇等待期为3个月。", year=2026)
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(3, "month")]


def test_a_minimum_share_assistance_and_a_bracketed_extended_window() -> None:
    rules, _ = _rules("对低保对象给予不低于个人缴费标准70%的定比资助。", year=2026)
    assert [(r.params["percent"], r.params.get("bound")) for r in _of(rules, "assistance")] == [("70", "min")]
    rules, _ = _rules("一、延长期内(2025年1月1日至2025年2月28日)参保缴费的,不设待遇等待期,自缴费次月1日起享受待遇。", year=2025)
    assert [(r.params["start"], r.params["end"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2025-01-01", "2025-02-28", "extended")]
    assert [r.params["from"] for r in _of(rules, "benefit_start")] == ["next_month_after_payment"]


def test_net_amounts_in_other_words_and_a_subsidy_named_after_its_amount() -> None:
    rules, _ = _rules("对低保对象按每人每年150元给予定额资助,个人再缴纳270元。", year=2026)
    assert [(r.params["amount"], r.params.get("net_personal_amount")) for r in _of(rules, "assistance")] == [("150", "270")]
    rules, _ = _rules("2023年度个人缴费标准为每人每年380元。城乡低保对象每人资助150元,个人缴费230元。", year=2023)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["380"]
    assert [(r.params["amount"], r.params.get("net_personal_amount")) for r in _of(rules, "assistance")] == [("150", "230")]
    rules, _ = _rules("其中,各级财政按照每人每年不低于640元的标准给予补助;居民个人缴纳标准为每人每年380元。")
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("640", "min")]
    assert _of(rules, "assistance") == []
    rules, _ = _rules("2025年度居民医保个人缴费标准为400元/人/年。各级财政补助标准不低于每人每年￥700,由各级财政按规定比例分担。",
                      year=2025)
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("700", "min")]


def test_more_words_for_windows_waits_and_benefit_starts() -> None:
    rules, _ = _rules("(一)集中收缴时间为2025年9月1日至2025年12月31日。\n(二)延长缴费期内缴费的,待遇起始时间为缴费次月1日。\n"
                      "(三)延长缴费期结束后参保缴费的,设置90天待遇免赔期,免赔期内发生的医疗费用基金不予支付。", year=2026)
    assert [(r.params["start"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2025-09-01", "concentrated")]
    assert [r.params["from"] for r in _of(rules, "benefit_start")] == ["next_month_after_payment"]
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(90, "day")]


def test_a_misconception_warned_against_is_not_a_standard() -> None:
    rules, _ = _rules("上述人均筹资标准不是个人应缴纳的金额,宣传时要准确表述,防止群众误以为个人需缴纳1070元。")
    assert _of(rules, "personal_contribution") == []


def test_holdout7_shapes_grades_raised_to_and_fixed_after_full() -> None:
    rules, _ = _rules("2018年度我市居民医保个人缴费继续实行两档:成年居民一档每人每年180元,二档每人每年350元。", year=2018)
    assert [(r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == [
        ("180", "成年居民一档"), ("350", "二档")]
    rules, _ = _rules("2020年度个人缴费标准为每人每年280元;财政补助标准由2019年度的520元提高到550元。", year=2020)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")) == [(2019, "520"), (2020, "550")]
    rules, _ = _rules("特困人员个人缴费部分由财政全额资助;建档立卡贫困人口按每人每年200元定额资助,个人缴纳50元。")
    assert [(r.params["mode"], r.params.get("amount"), r.params.get("net_personal_amount")) for r in _of(rules, "assistance")] == [
        ("full", None, None), ("fixed", "200", "50")]
    rules, _ = _rules("未参加城镇职工医保的农村居民,均应以户为单位参合,参合率稳定在98%以上。", year=2017)
    assert [r.params["percent"] for r in _of(rules, "coverage_target")] == ["98"]


def test_a_coverage_above_100_percent_is_kept_flagged_for_a_reviewer() -> None:
    rules, _ = _rules("全县基本医保参保率稳定在955%以上。", year=2020)
    [target] = _of(rules, "coverage_target")
    assert "percent_over_100" in target.flags and "low_confidence" in target.flags


def test_holdout8_shapes_a_schedule_table_row_and_other_wording() -> None:
    rules, _ = _rules("附件\n2027年度城乡居民医保参保缴费工作安排表\n阶段 | 时间 | 工作内容\n"
                      "宣传动员 | 2026年8月20日至2026年8月31日 | 入户宣传参保政策\n"
                      "补缴期 | 2027年1月1日至2027年2月28日 | 未缴费人员补缴,自缴费之日起30日后享受待遇", year=2027)
    assert [(r.params["start"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [("2027-01-01", "extended")]
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(30, "day")]
    rules, _ = _rules("集中缴费期内缴费的,享受2027年1月1日至2027年12月31日的居民医保待遇。低保对象资助个人缴费的50%。"
                      "新生儿出生后90天内参保的,出生当天起就能报销。", year=2027)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2027-01-01", "2027-12-31")]
    assert [r.params["percent"] for r in _of(rules, "assistance")] == ["50"]
    assert [r.params["benefit_from"] for r in _of(rules, "newborn_enrollment")] == ["birth"]


def test_a_tiers_amount_in_the_clause_after_continues_the_contribution() -> None:
    rules, _ = _rules("2018年度我市居民医保个人缴费继续实行两档:成年居民一档每人每年180元,二档每人每年350元;"
                      "少年儿童和在校学生统一按一档缴费,每人每年150元。", year=2018)
    assert [(r.params["amount"], r.flags) for r in _of(rules, "personal_contribution")] == [
        ("180", []), ("350", []), ("150", [])]
    assert _of(rules, "personal_contribution")[2].conditions["population"] != "all"


def test_the_years_only_window_is_the_concentrated_one() -> None:
    rules, _ = _rules("三、缴费时间:2021年9月1日至2021年12月31日。", year=2022)
    assert [r.conditions.get("phase") for r in _of(rules, "enrollment_period")] == ["concentrated"]


def test_a_notice_written_only_in_chinese_numerals() -> None:
    rules, _ = _rules("二〇二三年度城乡居民基本医疗保险个人缴费标准为每人每年三百五十元。\n"
                      "集中缴费时间为二〇二二年九月一日至十二月三十一日。", year=2023)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")] == [(2023, "350")]
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2022-09-01", "2022-12-31")]


def test_holdout9_and_10_shapes() -> None:
    # one long sentence sets the wait and exempts newborns
    rules, _ = _rules("集中缴费期结束后中途参保或断保后再续保的自缴费之日起设置3个月待遇等待期,等待期内发生的医疗费用医保基金不予支付,"
                      "新生儿在出生后90天内参保缴费的自出生之日起享受待遇、不设等待期。", year=2025)
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.conditions.get("exempt")) == (3, ["新生儿"])
    # late enrollees of two kinds: a waiting period, not a benefit start by status
    rules, _ = _rules("集中筹资期后新参保或中断后续保的参保人员自缴费之日起60日后享受待遇。", year=2020)
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(60, "day")]
    # a heading naming the rule, then its value
    rules, _ = _rules("二、集中缴费时间\n2022年9月1日至2022年12月31日。", year=2023)
    assert [(r.params["start"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2022-09-01", "concentrated")]
    # journalist prose: a generic 补助 between the subsidy and its amount
    rules, _ = _rules("各级财政对居民参保的补助也水涨船高,人均补助不低于700元。", year=2025)
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("700", "min")]
    # a poster: 都能享受医保报销, 断保1年加1个月, 宝宝出生后
    rules, _ = _rules("按时缴费的,2024年1月1日—12月31日都能享受医保报销。\n集中缴费期过后再交的,要等3个月才能报销(这叫待遇等待期);"
                      "以前断过保的,断保1年加1个月,最长不超过6个月。宝宝出生后90天内参保的,从出生那天起就能报销,不用等!", year=2024)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2024-01-01", "2024-12-31")]
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params.get("variable_amount"), wait.params.get("max_amount")) == (3, 1, 6)
    assert [r.params["window_amount"] for r in _of(rules, "newborn_enrollment")] == [90]


def test_a_heading_over_a_lead_in_gives_it_nothing() -> None:
    rules, _ = _rules("一、缴费标准\n2025年度本市居民医保实行分类缴费:\n(一)学生儿童,个人缴费标准为每人每年400元;", year=2025)
    assert [(r.params["amount"]) for r in _of(rules, "personal_contribution")] == ["400"]


def test_holdout11_shapes() -> None:
    # a table row per tier and the prose again: one subsidy, one contribution per tier
    rules, _ = _rules("2026年度缴费标准如下表。\n人员类别 | 个人缴费 | 财政补助\n成年居民 | 520 | 760\n未成年人、在校大学生 | 330 | 760\n"
                      "即成年居民个人缴费520元,未成年人和在校大学生个人缴费330元,财政补助每人每年760元。", year=2026)
    assert sorted(r.params["amount"] for r in _of(rules, "personal_contribution")) == ["330", "520"]
    assert [r.params["amount"] for r in _of(rules, "fiscal_subsidy")] == ["760"]
    # a rule in force since a past year governs the notice's year
    rules, _ = _rules("自2025年起,未连续参保的人员设置3个月待遇等待期。", year=2026)
    assert [r.policy_year for r in _of(rules, "waiting_period")] == [2026]
    # a 100% target is a floor
    rules, _ = _rules("特困人员、低保对象参保率保持100%。", year=2025)
    assert [(r.params["percent"], r.params["bound"]) for r in _of(rules, "coverage_target")] == [("100", "min")]
    rules, _ = _rules("今年出生的宝宝,出生后90天内参保,从出生那天起就能报销。", year=2023)
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]


def test_holdout12_shapes() -> None:
    rules, _ = _rules("2025年度个人缴费400元,各级财政补助不低于690元。(2024年度个人缴费为380元,财政补助为670元。)", year=2025)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")) == [(2024, "670"), (2025, "690")]
    rules, _ = _rules("2026年度个人缴费标准为每人每年420元,财政补助每人每年不低于720元。上年度个人缴费400元、财政补助700元。", year=2026)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")) == [(2025, "400"), (2026, "420")]
    rules, _ = _rules("2026年度个人缴费标准为每人每年450元,比上年(420元)提高30元。", year=2026)
    assert sorted((r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")) == [(2025, "420"), (2026, "450")]
    rules, _ = _rules("集中参保缴费时间为2025年10月8日至12月31日。集中缴费期结束后至2026年3月31日前仍可补缴,逾期不再受理。", year=2026)
    assert ("2026-01-01", "2026-03-31") in [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")]
    rules, _ = _rules("集中繳費期結束後中途參保的,自繳費之日起設置3個月待遇等待期;未連續參保的,每中斷繳費1年,等待期增加1個月,最長不超過6個月。", year=2023)
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params.get("variable_amount"), wait.params.get("max_amount")) == (3, 1, 6)
    rules, _ = _rules("(三)低保对象:按80%资助,每人资助352元,个人缴纳88元;", year=2027)
    assert [(r.params["mode"], r.params.get("percent")) for r in _of(rules, "assistance")] == [("percent", "80")]
    rules, _ = _rules("★家里困难的:特困户、孤儿政府全包,不用交钱;低保户政府补助300元,自己只交100元。", year=2025)
    assert [(r.params["mode"], r.conditions.get("groups")) for r in _of(rules, "assistance")] == [
        ("full", ["特困户", "孤儿"]), ("fixed", ["低保户"])]


def test_holdout13_and_14_shapes() -> None:
    rules, _ = _rules("2024年度居民医保费集中征收时间为2023年9月1日至2023年12月31日。"
                      "2024年1月1日至2024年6月30日期间可继续缴费,待遇自缴费次月1日起享受。", year=2024)
    assert [(r.params["start"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2023-09-01", "concentrated"), ("2024-01-01", "extended")]
    rules, _ = _rules("自2022年9月1日起开始征缴,集中缴费截止时间为2022年12月31日。", year=2023)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2022-09-01", "2022-12-31")]
    rules, _ = _rules("三、集中缴费期后缴费的,自缴费之日起90天后享受待遇(等待期90天),新生儿在出生后90天内参保的不设等待期,"
                      "自出生之日起享受待遇。", year=2023)
    assert [(r.params["amount"], r.conditions.get("exempt")) for r in _of(rules, "waiting_period")] == [(90, ["新生儿"])]
    rules, _ = _rules("各级财政补助不低于每人每年670元(2024年度为640元)。\n三、资助参保。具体见下表。\n"
                      "资助对象 | 资助方式 | 资助金额 | 个人实缴\n特困人员、孤儿 | 全额资助 | 400元 | 0元\n"
                      "低保对象、返贫致贫人口 | 定额资助 | 100元 | 300元\n四、标准对照表\n项目 | 2025年度 | 2024年度\n"
                      "个人缴费 | 400 | 380\n财政补助 | 670 | 640", year=2025)
    got = sorted((r.policy_year, r.params["mode"], r.params.get("amount"), r.params.get("net_personal_amount"))
                 for r in _of(rules, "assistance"))
    assert got == [(2025, "fixed", "100", "300"), (2025, "full", None, None)]
    assert sorted((r.policy_year, r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")) == [
        (2024, "640", "min"), (2025, "670", "min")]


def test_holdout15_and_16_shapes() -> None:
    rules, _ = _rules("设置3个月的待遇观察期;连续断保每满1年,观察期增加1个月,最长不超过6个月。", year=2025)
    [wait] = _of(rules, "waiting_period")
    assert (wait.params["amount"], wait.params.get("variable_amount"), wait.params.get("max_amount")) == (3, 1, 6)
    rules, _ = _rules("集中征缴期内参保缴费的,待遇生效时间为2025年1月1日,待遇享受期至2025年12月31日。", year=2025)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2025-01-01", "2025-12-31")]
    rules, _ = _rules("家里新添宝宝的,出生后90天内参保,从出生那天起就能报销。", year=2027)
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]
    rules, _ = _rules("两年标准对比如下:\n项目 | 2020年度 | 2021年度\n个人缴费 | 280元 | 320元\n财政补助 | 不低于550元 | 不低于580元", year=2021)
    assert sorted((r.policy_year, r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")) == [
        (2020, "550", "min"), (2021, "580", "min")]


def test_holdout17_and_18_shapes() -> None:
    rules, _ = _rules("家里添了新宝宝的,出生后90天内给孩子办参保,从出生当天起就能报销。", year=2025)
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]
    rules, _ = _rules("中途参保的,设置3个月待遇等待期(新生儿、退役军人、刑满释放人员等除外)。", year=2026)
    assert [r.conditions.get("exempt") for r in _of(rules, "waiting_period")] == [["新生儿", "退役军人", "刑满释放人员"]]


def test_holdout20_shapes() -> None:
    rules, _ = _rules("集中缴费期为2025年9月1日至12月31日。未参保人员可于2026年1月1日至6月30日办理中途参保。", year=2026)
    assert ("2026-01-01", "2026-06-30") in [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")]
    rules, _ = _rules("★缴费金额:每人400元\n★享受待遇:2025年1月1日至2025年12月31日", year=2025)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["400"]
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2025-01-01", "2025-12-31")]
    rules, _ = _rules("对低保对象每人定额资助200元,个人实缴180元。", year=2024)
    assert [(r.params["amount"], r.params.get("net_personal_amount")) for r in _of(rules, "assistance")] == [("200", "180")]


def test_holdout19_shapes() -> None:
    rules, _ = _rules("2024年9月1日至2024年12月31日为2025年度居民医保费集中征缴期。", year=2025)
    assert [(r.params["start"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2024-09-01", "concentrated")]
    rules, _ = _rules("确保2026年度参保率不低于上年度,户籍人口参保率稳定在95%以上。", year=2026)
    assert [(r.params["percent"], r.params["bound"]) for r in _of(rules, "coverage_target")] == [("95", "min")]
    rules, _ = _rules("截至目前,全县参保率已达95%以上。", year=2026)
    assert _of(rules, "coverage_target") == []


def test_holdout21_shapes() -> None:
    rules, _ = _rules("我市2025年度城乡居民基本医疗保险集中缴费工作已于9月1日启动,将持续至12月31日。", year=2025)
    assert [(r.policy_year, r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [
        (2025, "2024-09-01", "2024-12-31")]
    rules, _ = _rules("截至10月14日,全市已有52.3万人完成缴费,参保率达到78.6%。", year=2025)
    assert _of(rules, "coverage_target") == []
    rules, _ = _rules("家里有新生宝宝的,出生90天内办理参保缴费,从出生那天起就能享受医保待遇。", year=2025)
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]


def test_holdout22_shapes() -> None:
    rules, _ = _rules("财政对居民参保继续给予补助,人均补助标准不低于720元。", year=2026)
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("720", "min")]
    rules, _ = _rules("对低保对象给予70%定额资助。", year=2025)
    assert [r.params.get("percent") for r in _of(rules, "assistance")] == ["70"]
    rules, _ = _rules("★待遇时间:2026年1月1日至2026年12月31日\n新生宝宝出生后90天内参保缴费的,出生起就能报销。", year=2026)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2026-01-01", "2026-12-31")]
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]


def test_a_higher_levels_quoted_floor_gives_way_to_the_notices_own_standard() -> None:
    rules, _ = _rules("自治区文件明确,2026年度居民医保个人缴费标准不低于每人每年400元,各设区市可结合本地实际确定。"
                      "我市2026年度城乡居民医保个人缴费标准确定为每人每年420元。", year=2026)
    assert [(r.params["amount"], r.flags) for r in _of(rules, "personal_contribution")] == [("420", [])]
    rules, _ = _rules("2026年度全区居民医保个人缴费标准不低于每人每年400元,各设区市可结合本地实际确定。", year=2026)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["400"]  # a floor alone stays


def test_a_posters_government_subsidy_per_person_per_year() -> None:
    # holdout10 h10_08: a community poster's 政府每人每年再补助 is the fiscal subsidy (the assistance
    # a government pays for one group, 低保户政府补助300元, is not)
    rules, _ = _rules("2024年度个人缴费每人380元(去年是350元),政府每人每年再补助不少于640元,一人交钱全年保障!"
                      "低保户政府补助300元,自己只交80元。")
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("640", "min")]


def test_a_benefit_start_paid_in_two_named_windows_spans_both() -> None:
    # holdout15 h15_03: 在集中缴费期和延长缴费期内缴费的 — from the first window's start to the second's end
    text = ("集中缴费期为2025年9月1日至2025年12月31日。2026年1月1日至2026年2月28日为延长缴费期。"
            "在集中缴费期和延长缴费期内缴费的，自2026年1月1日起享受待遇。")
    starts = _of(_rules(text, year=2026)[0], "benefit_start")
    assert [r.conditions["paid_between"] for r in starts] == [["2025-09-01", "2026-02-28"]]
    # one window named: that window only
    starts = _of(_rules(text.replace("集中缴费期和延长缴费期内", "集中缴费期内"), year=2026)[0], "benefit_start")
    assert [r.conditions["paid_between"] for r in starts] == [["2025-09-01", "2025-12-31"]]


def test_a_year_column_tables_window_and_waiting_rows_are_rules_of_their_columns_years() -> None:
    # holdout24 h24_03: windows and waiting periods in the cells of a 2025年度 | 2026年度 table, and a
    # row label's 不低于 making the subsidies floors
    rules, _ = _rules("2025年度、2026年度筹资标准和缴费时间见下表:\n项目 | 2025年度 | 2026年度\n"
                      "个人缴费标准(元/人·年) | 400 | 420\n财政补助标准(元/人·年,不低于) | 700 | 730\n"
                      "集中缴费期 | 2024年9月1日至12月31日 | 2025年9月1日至12月31日\n"
                      "未按时参保待遇等待期 | 3个月 | 3个月,每断保1年增加1个月,最长不超过6个月\n", year=2025)
    assert [(r.policy_year, r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [(2025, "min"), (2026, "min")]
    assert [(r.policy_year, r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [
        (2025, "2024-09-01", "2024-12-31"), (2026, "2025-09-01", "2025-12-31")]
    waits = _of(rules, "waiting_period")
    assert [(r.policy_year, r.params["amount"], r.params.get("max_amount")) for r in waits] == [(2025, 3, None), (2026, 3, 6)]
    assert waits[1].evidence.quote == "3个月,每断保1年增加1个月,最长不超过6个月"


def test_a_percent_assistance_keeps_the_net_amount_it_leaves() -> None:
    # holdout26 (and holdout12's first gold): 按70%给予资助,个人缴纳120元 — the net belongs to the percent rule
    rules, _ = _rules("特困人员给予全额资助;低保对象按70%给予资助,个人缴纳120元;低保边缘家庭成员按50%给予资助,个人缴纳200元。")
    assert sorted((r.params["mode"], r.params.get("percent"), r.params.get("net_personal_amount"))
                  for r in _of(rules, "assistance")) == [("full", None, None), ("percent", "50", "200"), ("percent", "70", "120")]


@pytest.mark.parametrize("text,params", [
    # 变动等待期 without 待遇 between the verb and the months (holdout23 h23_07)
    ("未在集中缴费期内参保或中断缴费的，设置固定等待期3个月；其中断保的，每断保1年增加变动等待期1个月，"
     "固定等待期和变动等待期合计不超过6个月。", (3, "month", 1, "month", 6, "month")),
    # 每连续断保1年, in its own sentence after the fixed part (holdout26 h26_06)
    ("未在集中参保缴费期内参保的首次参保人员和断保人员，设置3个月固定等待期；断保人员每连续断保1年，增加1个月变动等待期，"
     "固定等待期和变动等待期合计不超过6个月。", (3, "month", 1, "month", 6, "month")),
    # a poster's cap 最长要等6个月 is the cap, not a second wait (holdout23 h23_08)
    ("集中缴费期过后再缴的，要等3个月才能报销！断保的，每断1年再多等1个月，最长要等6个月！", (3, "month", 1, "month", 6, "month")),
    # in days (holdout23 h23_06)
    ("集中缴费期结束后参保缴费的，设置固定等待期90天；未连续参保的，每断保1年，增加变动等待期30天，"
     "固定等待期和变动等待期合计最长不超过180天。", (90, "day", 30, "day", 180, "day")),
])
def test_variable_waiting_periods_in_other_words_and_units(text: str, params: tuple[Any, ...]) -> None:
    waits = _of(_rules(text, year=2026)[0], "waiting_period")
    assert [tuple(r.params.get(k) for k in ("amount", "unit", "variable_amount", "variable_unit", "max_amount", "max_unit"))
            for r in waits] == [params]


def test_a_raised_subsidys_new_value_may_be_a_floor() -> None:
    # holdout23 h23_02: 由2025年度的…700元提高到每人每年不低于730元 — last year's 700 and this year's floor of 730
    rules, _ = _rules("财政补助标准由2025年度的每人每年700元提高到每人每年不低于730元。", year=2026)
    assert sorted((r.policy_year, r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")) == [
        (2025, "700", "exact"), (2026, "730", "min")]


@pytest.mark.parametrize("text,want", [
    ("2026年度成年居民和学生儿童个人缴费标准分别为每人每年590元和420元。",
     [(2026, "590", "成年居民"), (2026, "420", "学生儿童")]),
    ("城乡居民医保个人缴费标准:成年居民、未成年人分别为每人每年590元、420元。",
     [(2026, "590", "成年居民"), (2026, "420", "未成年人")]),
    ("2026年度一档、二档个人缴费标准分别为400元、805元。", [(2026, "400", "一档"), (2026, "805", "二档")]),
    ("2025年度、2026年度个人缴费标准分别为380元和400元。", [(2025, "380", "all"), (2026, "400", "all")]),
])
def test_amounts_listed_respectively_go_to_the_items_listed_before(text: str, want: list[tuple[Any, ...]]) -> None:
    rules, _ = _rules(text, year=2026)
    assert [(r.policy_year, r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == want


def test_respectively_needs_as_many_items_as_amounts() -> None:
    # three tiers, two amounts: no pairing is guessed (the ordinary reading takes what it can)
    rules, _ = _rules("成年居民、老年居民和学生儿童个人缴费标准分别为每人每年590元和420元。", year=2026)
    assert "学生儿童" not in [r.conditions["population"] for r in _of(rules, "personal_contribution")]
    floors, _ = _rules("2025年度、2026年度财政补助标准分别为不低于670元、700元。", year=2026)
    assert [(r.policy_year, r.params["bound"]) for r in _of(floors, "fiscal_subsidy")] == [(2025, "min"), (2026, "min")]


def test_a_subsidy_per_yuan_paid_is_a_ratio_not_a_standard() -> None:
    # holdout23 h23_04: 个人每缴1元钱,财政补助1.8元以上 — no 1.8元 subsidy, no conflict with the real one
    rules, _ = _rules("个人每缴1元钱,财政补助1.8元以上。各级财政补助标准为每人每年不低于730元。", year=2026)
    assert [(r.params["amount"], r.flags) for r in _of(rules, "fiscal_subsidy")] == [("730", [])]


def test_a_tables_percent_row_keeps_the_net_amount_of_its_column() -> None:
    # holdout26 h26_09 / own_08: | 按比例资助 | 个人缴费的50% | 200 | — the 个人缴费 column is what is left to pay
    rules, _ = _rules("资助标准如下:\n资助对象 | 资助方式 | 资助金额(元/人) | 个人缴费(元/人)\n"
                      "低保对象 | 定额资助 | 280 | 120\n监测对象 | 按比例资助 | 个人缴费的50% | 200\n")
    assert sorted((r.params["mode"], r.params.get("amount") or r.params.get("percent"), r.params.get("net_personal_amount"))
                  for r in _of(rules, "assistance")) == [("fixed", "280", "120"), ("percent", "50", "200")]


def test_an_extended_window_under_its_heading_runs_from_the_end_of_the_concentrated_one() -> None:
    # holdout26 h26_05: （二）延长缴费期：集中缴费期结束后至2025年3月31日。
    rules, _ = _rules("（一）集中缴费期：自2024年9月1日起至2024年12月31日止。（二）延长缴费期：集中缴费期结束后至2025年3月31日。",
                      year=2025)
    assert [(r.params["start"], r.params["end"], r.conditions.get("phase")) for r in _of(rules, "enrollment_period")] == [
        ("2024-09-01", "2024-12-31", "concentrated"), ("2025-01-01", "2025-03-31", "extended")]


def test_a_posters_question_heading_in_other_words_heads_its_answer() -> None:
    # holdout25 h25_08 / holdout26 h26_08: 💰缴多少？每人每年400元。
    rules, _ = _rules("💰缴多少？每人每年400元。特困人员由政府全额资助。", year=2025)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["400"]


def test_a_posters_half_in_brackets_is_a_percent_assistance() -> None:
    # holdout26 h26_08: 重度残疾人：政府补助一半（50%），自己交210元。
    rules, _ = _rules("重度残疾人：政府补助一半（50%），自己交210元。")
    assert [(r.params, r.conditions["groups"]) for r in _of(rules, "assistance")] == [
        ({"mode": "percent", "percent": "50", "net_personal_amount": "210"}, ["重度残疾人"])]


def test_a_posters_benefit_window_in_plain_words() -> None:
    # holdout26 h26_08 (and h4_09's known miss): …2026年1月1日到2026年12月31日看病都能按规定报销。
    rules, _ = _rules("在集中缴费期内缴了费的，2026年1月1日到2026年12月31日看病都能按规定报销。", year=2026)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "benefit_period")] == [("2026-01-01", "2026-12-31")]
    # a payment window followed by the same words is not one
    rules, _ = _rules("2025年9月1日至12月31日缴费的，看病都能报销。", year=2026)
    assert _of(rules, "benefit_period") == []


@pytest.mark.parametrize("text", ["★新生娃娃：出生3个月内参保，从出生那天起就能报销。",
                                  "新生婴儿出生后3个月内参保缴费的，自出生之日起享受待遇。"])
def test_a_newborn_in_other_words(text: str) -> None:
    # holdout23 h23_08: a poster's 新生娃娃
    rules, _ = _rules(text, year=2026)
    assert [(r.params["window_amount"], r.params["window_unit"], r.params["benefit_from"])
            for r in _of(rules, "newborn_enrollment")] == [(3, "month", "birth")]


def test_amounts_listed_respectively_in_the_next_sentence_follow_its_tiers() -> None:
    # holdout23 h23_05: …成年居民每人每年590元,学生儿童每人每年420元。2026年度分别为560元和400元
    rules, _ = _rules("2027年度，我区居民医保个人缴费标准为：成年居民每人每年590元，学生儿童每人每年420元。"
                      "2026年度分别为560元和400元，今年略有提高。", year=2027)
    assert [(r.policy_year, r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == [
        (2027, "590", "成年居民"), (2027, "420", "学生儿童"), (2026, "560", "成年居民"), (2026, "400", "学生儿童")]


def _wrap(text: str, width: int = 30) -> str:
    """A text hard-wrapped at `width` chars a line, as a PDF copied as text is."""
    return "\n".join(text[k : k + width] for k in range(0, len(text), width))


WRAPPED = ("内黄县人民政府办公室\n关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n各乡镇人民政府、街道办事处：\n"
           + _wrap("为做好2025年度全县城乡居民基本医疗保险参保缴费工作，根据上级文件精神，经县政府同意，现将有关事项通知如下：")
           + "\n一、筹资标准\n"
           + _wrap("2025年度城乡居民医保个人缴费标准为每人每年4 0 0元，较2024年度的380元提高20元；各级财政补助标准不低于"
                   "每人每年700元。全县城乡居民要按时足额缴费，各乡镇要做好政策宣传和缴费服务工作。")
           + "\n二、缴费时间\n"
           + _wrap("集中缴费期为2024年9月1日至12月31日。集中缴费期结束后参保缴费的，自缴费之日起90日后享受待遇，"
                   "请各乡镇做好宣传解释工作，确保群众应保尽保，不漏一户不落一人，确保参保率稳定在95%以上。")
           + "\n\n— 1 —\n\n"
           + _wrap("三、工作要求。各乡镇要切实履行属地责任，将参保缴费工作纳入重要议事日程，层层压实责任；县医保局、县税务局要加强业务指导，"
                   "做好政策宣传和缴费服务；县财政局要及时足额落实财政补助资金；各村要组织网格员入户宣传，讲清楚政策，讲明白道理，"
                   "引导群众主动参保、连续参保，切实把好事办好、实事办实，让群众真正感受到医疗保障带来的获得感和幸福感。")
           + "\n内黄县人民政府办公室\n2024年9月2日\n")


def test_a_hard_wrapped_dumps_sentences_run_on_over_the_line_breaks() -> None:
    # holdout25 h25_04: a PDF copied as text, every line cut at the page width
    rules, _ = _rules(WRAPPED, year=2025)
    assert sorted((r.kind.value, r.policy_year, r.params.get("amount")) for r in rules
                  if r.kind.value in ("personal_contribution", "fiscal_subsidy")) == [
        ("fiscal_subsidy", 2025, "700"), ("personal_contribution", 2024, "380"), ("personal_contribution", 2025, "400")]
    wait = _of(rules, "waiting_period")
    assert [(r.params["amount"], r.conditions["applies_to"]) for r in wait] == [(90, ["集中缴费期结束后参保缴费的"])]


def test_ordinary_lines_are_not_joined_as_a_wrapped_dump() -> None:
    from extractors.normalise import text_to_normalised

    assert "unwrap" in text_to_normalised(WRAPPED).steps  # the dump has breaks to join
    assert "每人每年700元" in text_to_normalised(WRAPPED).text
    # a notice whose paragraphs are lines of their own, and a poster of short lines, have none
    plain = "一、筹资标准\n" + "2025年度城乡居民基本医疗保险个人缴费标准为每人每年400元" * 3 + "\n二、缴费时间\n" * 5
    poster = "\n".join(["★缴费时间：2025年9月1日至12月31日", "★缴多少：每人每年400元", "★在哪交：微信搜索河南税务小程序",
                        "★错过了怎么办：要等3个月才能报销", "★新生儿：出生90天内参保", "★咨询电话：0372-1234567"] * 2)
    for text in (plain, poster):
        assert "unwrap" not in text_to_normalised(text).steps


def test_a_plain_text_table_aligned_with_spaces_is_read_by_its_columns() -> None:
    # holdout26 h26_02 (GBK .txt): columns aligned with full-width spaces, one row's long first cell
    # left a single space before the next
    rules, _ = _rules("对下列人员参加居民医保的个人缴费部分，由医疗救助基金按以下标准给予资助：\n"
                      "资助对象　　　　　　　　资助标准　　　　　　　个人实际缴费\n"
                      "特困供养人员　　　　　　全额资助　　　　　　　不缴费\n"
                      "最低生活保障对象　　　　全额资助　　　　　　　不缴费\n"
                      "低保边缘家庭成员　　　　个人缴费的50%　　　　成年居民300元、未成年人200元\n"
                      "重度残疾人（一、二级）　定额资助300元　　　　成年居民300元、未成年人100元\n", year=2025)
    assert sorted((r.params["mode"], r.params.get("percent") or r.params.get("amount"), tuple(r.conditions["groups"]))
                  for r in _of(rules, "assistance")) == [
        ("fixed", "300", ("重度残疾人",)), ("full", None, ("特困供养人员", "最低生活保障对象")), ("percent", "50", ("低保边缘家庭成员",))]
    assert _of(rules, "personal_contribution") == []  # the 个人实际缴费 cells are what is left to pay


def test_a_benefit_from_the_day_after_payment() -> None:
    # holdout26 h26_02 / own_18: 自缴费次日起享受待遇
    rules, _ = _rules("上一年度已参保的连续参保人员在集中参保期后缴费的，自缴费次日起享受待遇。", year=2025)
    assert [(r.params, r.conditions.get("enrollee")) for r in _of(rules, "benefit_start")] == [
        ({"from": "days_after_payment", "days": 1}, "continuous")]


def test_a_posters_bare_amount_after_the_payment_starts_is_the_contribution() -> None:
    # holdout15 h15_05: …开始缴费了！每人380元，缴费时间…
    rules, _ = _rules("2023年度城乡居民医疗保险开始缴费了！每人380元，缴费时间2022年9月1日至12月31日。", year=2023)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")] == [(2023, "380")]
    # an assistance amount there is not one
    rules, _ = _rules("城乡居民医保开始缴费啦！每人每年资助200元。", year=2023)
    assert _of(rules, "personal_contribution") == []


FLAT = ("2022年度城乡居民基本医疗保险筹资标准如下表:\n类别\n个人缴费\n(元/人·年)\n各级财政补助\n(元/人·年)\n合计\n"
        "城乡居民\n320\n580\n900\n个人缴费应一次性足额缴纳,不得分次缴纳。\n四、困难群众参保资助\n资助对象\n资助方式\n个人实际缴费\n"
        "特困人员\n全额资助\n0元\n低保对象、返贫致贫人口\n每人每年资助100元\n220元\n五、工作目标\n")


def test_a_table_flattened_one_cell_per_line_is_read_by_its_header() -> None:
    # holdout10 h10_05 / holdout4 h4_04: a table that lost its layout, one cell per line, a unit line
    # under a header cell; a sentence or a heading ends it
    rules, _ = _rules(FLAT, year=2022)
    assert [(r.kind.value, r.params.get("amount")) for r in rules if r.kind.value != "assistance"] == [
        ("personal_contribution", "320"), ("fiscal_subsidy", "580")]
    assert sorted((r.params["mode"], r.params.get("amount"), r.params.get("net_personal_amount"))
                  for r in _of(rules, "assistance")) == [("fixed", "100", "220"), ("full", None, None)]


def test_short_lines_without_a_header_are_no_flattened_table() -> None:
    from extractors.rule_tables import _flat_blocks

    assert len(_flat_blocks(FLAT)) == 2
    # a list of short lines under a heading that names no column is not a table
    assert _flat_blocks("参保对象\n本县户籍居民\n在校学生\n新生儿\n二、缴费标准\n") == []


def test_a_long_term_care_premium_paid_besides() -> None:
    # holdout14 h14_05: 同时参加长期护理保险的，个人另缴纳长期护理保险费30元
    rules, _ = _rules("2025年度居民医保个人缴费标准为每人每年400元。同时参加长期护理保险的，个人另缴纳长期护理保险费30元。", year=2025)
    assert [(r.params["amount"], r.conditions["scheme"]) for r in _of(rules, "personal_contribution")] == [
        ("400", "basic_medical"), ("30", "long_term_care")]


@pytest.mark.parametrize("deadline,modes", [
    ("资助对象在2025年12月31日前完成缴费的，方可享受资助。", {"full", "fixed"}),
    ("以上资助政策仅适用于2025年12月31日前完成缴费的人员。", {"full", "fixed"}),
    ("享受定额资助的人员应在2025年12月31日前完成个人部分缴费，逾期缴费的不再享受资助。", {"fixed"}),
])
def test_an_assistance_deadline_in_its_own_sentence(deadline: str, modes: set[str]) -> None:
    # holdout12 h12_07, holdout14 h14_01, holdout26 h26_05/h26_07: the deadline is paid_before
    rules, _ = _rules("特困人员给予全额资助；低保对象每人资助200元，个人缴纳220元。" + deadline)
    assert {r.params["mode"] for r in _of(rules, "assistance") if r.conditions.get("paid_before") == "2025-12-31"} == modes


@pytest.mark.parametrize("text,want", [
    # 不受等待期限制 after the newborn's own condition (holdout11 h11_01)
    ("集中征缴期结束后参保缴费的，设置3个月待遇等待期。新生儿出生后90天内参保缴费的，自出生之日起享受待遇，不受等待期限制。",
     [["新生儿"]]),
    # one exemption after two years' rules exempts from both (holdout12 h12_02, holdout26 h26_04)
    ("2026年度，未在集中缴费期内参保缴费的，自缴费之日起设置30天的待遇等待期；自2027年度起，等待期调整为3个月。"
     "新生儿、退役军人等特殊群体不设等待期。", [["新生儿", "退役军人"], ["新生儿", "退役军人"]]),
])
def test_exemptions_from_the_waiting_period(text: str, want: list[list[str]]) -> None:
    waits = _of(_rules(text, year=2026)[0], "waiting_period")
    assert [r.conditions.get("exempt") for r in waits] == want


def test_an_aside_listed_respectively_pairs_with_the_amounts_before_it() -> None:
    # holdout28 h28_07: tiers, then last year's two amounts in a bracket
    rules, _ = _rules("2023年度我市居民医保个人缴费标准为：成年居民每人每年450元，未成年人和在校大学生每人每年380元"
                      "（2022年度分别为420元、350元）。", year=2023)
    assert [(r.policy_year, r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == [
        (2023, "450", "成年居民"), (2023, "380", "未成年人和在校大学生"), (2022, "420", "成年居民"), (2022, "350", "未成年人和在校大学生")]
    # holdout28 h28_08: a contribution and a subsidy, then last year's two in a bracket (each keeps its kind)
    rules, _ = _rules("2027年度全省居民医保个人缴费标准为每人每年440元，各级财政人均补助标准不低于每人每年760元"
                      "（2026年度分别为420元、730元）。", year=2027)
    assert sorted((r.kind.value, r.policy_year, r.params["amount"], r.params.get("bound")) for r in rules) == [
        ("fiscal_subsidy", 2026, "730", "min"), ("fiscal_subsidy", 2027, "760", "min"),
        ("personal_contribution", 2026, "420", None), ("personal_contribution", 2027, "440", None)]


def test_the_next_years_of_a_standard_in_the_next_sentence() -> None:
    # holdout28 h28_05: 2025年度…400元。2026年度调整为每人每年420元，2027年度调整为每人每年440元。
    rules, _ = _rules("2025年度我市个人缴费标准为每人每年400元。2026年度调整为每人每年420元，2027年度调整为每人每年440元。",
                      year=2026)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "personal_contribution")] == [
        (2025, "400"), (2026, "420"), (2027, "440")]


def test_a_benefit_window_worded_with_its_own_start_and_end() -> None:
    # holdout27 h27_05 / holdout28 h28_08: …从2025年1月1日起就能享受待遇,享受期到2025年12月31日止 — a
    # benefit period, not a second concentrated window; and 每缴1元…补助1.75元 is no assistance
    rules, _ = _rules("集中缴费期为2024年9月1日至12月31日。在集中缴费期内缴费的,从2025年1月1日起就能享受待遇,"
                      "享受期到2025年12月31日止。个人每缴1元,财政至少补助1.75元。", year=2025)
    assert [(r.kind.value, r.params["start"], r.params["end"]) for r in rules
            if r.kind.value in ("enrollment_period", "benefit_period")] == [
        ("enrollment_period", "2024-09-01", "2024-12-31"), ("benefit_period", "2025-01-01", "2025-12-31")]
    assert _of(rules, "assistance") == [] and _of(rules, "fiscal_subsidy") == []


@pytest.mark.parametrize("text,window", [
    # holdout27 h27_04: for those who missed the concentrated window
    ("集中参保期为2025年9月1日至12月31日。因特殊原因未能在集中参保期内缴费的,可在2026年1月1日至2026年2月28日参保缴费。",
     ("2026-01-01", "2026-02-28")),
    # holdout28 h28_06: after the concentrated window ends
    ("集中征缴期为2025年9月1日至12月31日。集中征缴期结束后，2026年1月1日至2月28日可继续办理参保缴费。", ("2026-01-01", "2026-02-28")),
    # holdout27 h27_08: only the end, 可延长至
    ("集中征缴期为2025年9月1日至12月31日，因特殊情况未能按时缴费的，可延长至2026年2月28日。", ("2026-01-01", "2026-02-28")),
])
def test_an_extended_window_without_its_name(text: str, window: tuple[str, str]) -> None:
    rules, _ = _rules(text, year=2026)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")
            if r.conditions.get("phase") == "extended"] == [window]


def test_a_benefit_paid_within_the_concentrated_window_is_no_extended_window() -> None:
    rules, _ = _rules("集中缴费期为2025年9月1日至12月31日。在集中缴费期内缴费的，2026年1月1日至12月31日享受待遇。", year=2026)
    assert [r.conditions.get("phase") for r in _of(rules, "enrollment_period")] == ["concentrated"]


def test_an_increment_a_floor_worded_assistance_and_a_rate_of_the_standard() -> None:
    # holdout28 h28_02: 市、县两级财政每人每年再增加补助10元 is an increment, not a subsidy or an assistance
    rules, _ = _rules("省定各级财政人均补助标准为不低于每人每年730元；在此基础上，市、县两级财政每人每年再增加补助10元，"
                      "我市2026年度居民医保人均财政补助标准为每人每年740元。", year=2026)
    assert sorted(r.params["amount"] for r in rules) == ["730", "740"]
    # holdout30 h30_03: 给予定额资助，资助标准每人每年不低于120元
    rules, _ = _rules("低保对象、防止返贫监测对象给予定额资助，资助标准每人每年不低于120元。", year=2025)
    assert [(r.params["amount"], r.params.get("bound")) for r in _of(rules, "assistance")] == [("120", "min")]
    # holdout28 h28_01: 定比资助，资助比例不低于个人缴费最低标准的70%
    rules, _ = _rules("对低保对象、返贫致贫人口给予定比资助，资助比例不低于个人缴费最低标准的70%。", year=2025)
    assert [(r.params["percent"], r.params.get("bound")) for r in _of(rules, "assistance")] == [("70", "min")]


def test_a_year_inside_a_closed_aside_is_the_asides() -> None:
    # holdout30 h30_10: 220元（2018年度原新农合…180元），各级财政补助…490元 — 490 is the notice's year's
    rules, _ = _rules("2019年度居民医保个人缴费标准为每人每年220元（2018年度原新农合个人缴费标准为每人每年180元），"
                      "各级财政补助标准每人每年不低于490元。", year=2019)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")] == [(2019, "490")]


def test_a_range_fact_wins_over_the_local_reading_of_its_end() -> None:
    # holdout27 h27_10: 集中缴费期为2021年9月1至2021年12月31日 (the start lost its 日)
    rules, _ = _rules("(一)集中缴费期为2021年9月1至2021年12月31日。", year=2022)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2021-09-01", "2021-12-31")]


def test_a_village_notices_plain_words() -> None:
    # holdout30 h30_09: 今年每人400元 after …开始缴费了！, 出生90天之内; holdout30 h30_02: a 3+2=5个月 sum is an example
    rules, _ = _rules("2025年度城乡居民医疗保险开始缴费了！今年每人400元，比去年多20元。"
                      "家里新生娃娃，出生90天之内来村里登记缴费，从出生那天起就能报销。"
                      "温馨提示：断保2年再参保的，等待期为3+2=5个月，一定要按时缴费哦！", year=2025)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["400"]
    assert [r.params.get("window_amount") for r in _of(rules, "newborn_enrollment")] == [90]
    assert _of(rules, "waiting_period") == []


@pytest.mark.parametrize("text,applies", [
    ("未在集中缴费期内参保的,以及断保后再参保的,设置3个月待遇等待期。", ["未在集中缴费期内参保的", "断保后再参保的"]),
    ("中途参保人员自缴费之日起设置3个月待遇等待期。", ["中途参保人员"]),
])
def test_who_a_waiting_period_applies_to(text: str, applies: list[str]) -> None:
    # holdout24 h24_02/h24_05/h24_07: A的,以及B的; holdout20 h20_02: …人员自缴费之日起 (the start is not who)
    waits = _of(_rules(text, year=2025)[0], "waiting_period")
    assert [r.conditions.get("applies_to") for r in waits] == [applies]


def test_a_years_list_of_values_keeps_its_year_and_each_its_grade() -> None:
    # holdout33 h33_04: （2025年度一档为400元、二档为700元）; holdout34 h34_05: a tier list after its year
    rules, _ = _rules("2026年度个人缴费标准一档为420元、二档为720元（2025年度一档为400元、二档为700元）。", year=2026)
    assert [(r.policy_year, r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == [
        (2026, "420", "一档"), (2026, "720", "二档"), (2025, "400", "一档"), (2025, "700", "二档")]
    # a year an amount took in an aside still does not carry past the aside's end
    rules, _ = _rules("(2023年度为350元),各级财政补助每人每年不低于670元。", year=2024)
    assert [(r.policy_year, r.params["amount"]) for r in _of(rules, "fiscal_subsidy")] == [(2024, "670")]


def test_round_three_wordings() -> None:
    # holdout32 h32_08: 设置不超过3个月的固定待遇等待期 is the fixed part, not a cap
    rules, _ = _rules("集中缴费期结束后参保的，设置不超过3个月的固定待遇等待期。未连续参保的，每断保1年，增加1个月变动等待期，"
                      "固定等待期和变动等待期合计不超过6个月。", year=2027)
    assert [(r.params["amount"], r.params.get("max_amount")) for r in _of(rules, "waiting_period")] == [(3, 6)]
    # holdout33 h33_07: two tiers each with its own fixed assistance
    rules, _ = _rules("一类低保对象定额资助每人每年300元,二类低保对象定额资助每人每年200元。", year=2026)
    assert [(r.params["amount"], r.conditions["groups"]) for r in _of(rules, "assistance")] == [
        ("300", ["一类低保对象"]), ("200", ["二类低保对象"])]
    # holdout31 h31_08: 征缴时间 names the window; holdout32 h32_07: 自己只要交 is the net amount
    rules, _ = _rules("征缴时间：2026年9月1日起至2026年12月31日止。低保户：政府补助200元，自己只要交200元。", year=2027)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2026-09-01", "2026-12-31")]
    assert [r.params.get("net_personal_amount") for r in _of(rules, "assistance")] == ["200"]
    # holdout34 h34_04: 每人每年缴纳580元 — the population is the tier, not 成年居民缴纳
    rules, _ = _rules("成年居民每人每年缴纳580元,未成年人每人每年缴纳400元。", year=2025)
    assert [r.conditions["population"] for r in _of(rules, "personal_contribution")] == ["成年居民", "未成年人"]


def test_a_question_headings_answer_that_opens_with_the_value() -> None:
    # holdout32 h32_07: 📌 什么时候交？ / 2024年9月1日—2024年12月31日，过了这个时间再交的，要等3个月…
    rules, _ = _rules("📌 什么时候交？\n2024年9月1日—2024年12月31日，过了这个时间再交的，要等3个月才能报销，千万别拖！", year=2025)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2024-09-01", "2024-12-31")]
    assert [r.params["amount"] for r in _of(rules, "waiting_period")] == [3]
    # an answer naming its own rule first reads on its own (holdout23 h23_04)
    rules, _ = _rules("问：什么时候缴费？缴费后什么时候能报销？答：集中缴费期为2025年9月1日至2025年12月31日。", year=2026)
    assert _of(rules, "benefit_period") == []


def test_a_schedule_tables_benefit_time_column_is_a_benefit_window() -> None:
    # holdout34 h34_03: 阶段 | 缴费时间 | 待遇享受时间
    rules, _ = _rules("缴费时间如下表：\n阶段 | 缴费时间 | 待遇享受时间\n"
                      "集中缴费期 | 2023年9月1日至2023年12月31日 | 2024年1月1日至2024年12月31日\n", year=2024)
    assert [(r.kind.value, r.params["start"]) for r in rules] == [
        ("enrollment_period", "2023-09-01"), ("benefit_period", "2024-01-01")]


def test_round_four_wordings_and_tables() -> None:
    # holdout37 h37_01: 给予定额资助，资助标准不低于每人每年200元 (a floor) — and a subsidy worded so stays a subsidy
    rules, _ = _rules("对低保对象给予定额资助，资助标准不低于每人每年200元。各级财政补助标准不低于每人每年700元。", year=2025)
    assert [(r.params["amount"], r.params.get("bound")) for r in _of(rules, "assistance")] == [("200", "min")]
    assert [r.params["amount"] for r in _of(rules, "fiscal_subsidy")] == ["700"]
    # holdout37 h37_03: a tab-separated 附件 table whose 资助方式 column holds the rate
    rules, _ = _rules("附件2\n资助标准表\n资助对象\t资助方式\t资助金额\t个人实缴\n特困人员\t全额资助\t400\t0\n"
                      "低保对象\t按个人缴费标准的70%资助\t280\t120\n重度残疾人\t定额资助\t100\t300\n", year=2024)
    assert sorted((r.params["mode"], r.params.get("percent") or r.params.get("amount"), r.params.get("net_personal_amount"))
                  for r in _of(rules, "assistance")) == [("fixed", "100", "300"), ("full", None, None), ("percent", "70", "120")]
    # holdout2 h2_01: a row per year (年度 | 个人缴费 | 财政补助): each row is its year's
    rules, _ = _rules("对照如下：\n年度\t个人缴费\t财政补助\t筹资合计\n2024年度\t400\t670\t1070\n2023年度\t380\t640\t1020\n", year=2024)
    assert sorted((r.kind.value, r.policy_year, r.params["amount"]) for r in rules) == [
        ("fiscal_subsidy", 2023, "640"), ("fiscal_subsidy", 2024, "670"),
        ("personal_contribution", 2023, "380"), ("personal_contribution", 2024, "400")]
    # holdout38 h38_05: 需等待3个月 is a wait; 需等待3个工作日 (processing) is not
    rules, _ = _rules("逾期未缴的，2026年1月1日后缴费需等待3个月方可享受医保待遇。办理时需等待3个工作日。", year=2026)
    assert [(r.params["amount"], r.params["unit"]) for r in _of(rules, "waiting_period")] == [(3, "month")]


def test_a_loudspeaker_scripts_spoken_words() -> None:
    # holdout38 h38_10: a village 大喇叭 script — every rule in spoken words
    rules, _ = _rules("2025年度的城乡居民医保开始交了！今年每人交400块，就是400元。国家财政给每个人补的钱不少于700元。"
                      "交费时间是从2024年9月1日开始，到2024年12月31日结束，过了这个日子再交，交完得等三个月才能报销。"
                      "从2025年1月1日到2025年12月31日看病都能报。家里添了小孩的，孩子出生三个月以内去交上，生下来就能报。"
                      "咱村的特困户，政府全给交了；低保户每人政府补190元，自己交210元。", year=2025)
    got = {(r.kind.value, json.dumps(r.params, sort_keys=True, ensure_ascii=False)) for r in rules}
    assert ("personal_contribution", json.dumps({"amount": "400", "currency": "CNY", "per": "person_year"}, sort_keys=True)) in got
    assert {r.kind.value for r in rules} == {"personal_contribution", "fiscal_subsidy", "enrollment_period", "waiting_period",
                                            "benefit_period", "newborn_enrollment", "assistance"}
    assert sorted(r.params["mode"] for r in _of(rules, "assistance")) == ["fixed", "full"]


def test_news_and_poster_shapes() -> None:
    # holdout38 h38_03: 从…持续到… is a range
    rules, _ = _rules("集中征缴期从2023年9月1日持续到2023年12月31日。", year=2024)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2023-09-01", "2023-12-31")]
    # holdout38 h38_01 / holdout35 h35_09: a 啥时候交 heading over its window
    rules, _ = _rules("⏰啥时候交：2024年9月1日—2024年12月31日", year=2025)
    assert [(r.params["start"], r.params["end"]) for r in _of(rules, "enrollment_period")] == [("2024-09-01", "2024-12-31")]


def test_the_day_after_payment_starts_a_wait_or_a_benefit() -> None:
    # holdout35 h35_04: 自缴费次日起满3个月后方可享受 is a 3-month wait, not a benefit from the next day
    rules, _ = _rules("集中缴费期结束后参保的，自缴费次日起满3个月后方可享受居民医保待遇。", year=2023)
    assert [r.kind.value for r in rules] == ["waiting_period"]
    # 上一年度已参保的… describes the enrollee, not last year's rule
    rules, _ = _rules("上一年度已参保的连续参保人员在集中参保期后缴费的，自缴费次日起享受待遇。", year=2023)
    assert [(r.policy_year, r.params["days"]) for r in _of(rules, "benefit_start")] == [(2023, 1)]


@pytest.mark.parametrize("text,window", [
    ("家里有刚生的娃娃，出生90天内交上，从出生那天就能报销。", (90, "day")),  # holdout41 h41_10
    ("出生后3个月内办参保，出生当天起就能报。", (3, "month")),  # holdout42 h42_07
])
def test_a_newborn_rule_in_a_villagers_words(text: str, window: tuple[int, str]) -> None:
    rules, _ = _rules(text, year=2024)
    assert [(r.params["window_amount"], r.params["window_unit"], r.params["benefit_from"])
            for r in _of(rules, "newborn_enrollment")] == [(*window, "birth")]


def test_last_years_tiers_in_the_next_sentence() -> None:
    # holdout41 h41_04: 上年度（2021年度）成年居民为320元、未成年人为290元。
    rules, _ = _rules("2022年度个人缴费标准为：成年居民每人每年350元，未成年人每人每年320元。"
                      "上年度（2021年度）成年居民为320元、未成年人为290元。", year=2022)
    assert [(r.policy_year, r.params["amount"], r.conditions["population"]) for r in _of(rules, "personal_contribution")] == [
        (2022, "350", "成年居民"), (2022, "320", "未成年人"), (2021, "320", "成年居民"), (2021, "290", "未成年人")]


def test_round_six_wordings() -> None:
    # holdout46 h46_02: a province's 最低标准 is a floor
    rules, _ = _rules("省定财政补助最低标准为每人每年720元。", year=2026)
    assert [(r.params["amount"], r.params["bound"]) for r in _of(rules, "fiscal_subsidy")] == [("720", "min")]
    # holdout44 h44_10 / h44_03: 去年150元, 政府每人补助450元, 按每人每年不低于100元资助
    rules, _ = _rules("今年每人交180元，去年150元，政府每人补助450元。低保对象按每人每年不低于100元资助。", year=2017)
    assert sorted((r.kind.value, r.policy_year, r.params["amount"]) for r in rules) == [
        ("assistance", 2017, "100"), ("fiscal_subsidy", 2017, "450"),
        ("personal_contribution", 2016, "150"), ("personal_contribution", 2017, "180")]


def test_a_villagers_full_assistance_and_contribution() -> None:
    # holdout45 h45_01/h45_06, holdout42 h42_06: 今年还是每人400块钱 / 政府全部给交 / 家里有五保户 …
    rules, _ = _rules("今年还是每人400块钱(400元),跟去年一样没涨。特困人员、孤儿的医保费,政府全部给交。"
                      "家里有五保户、特困户的，政府全部帮你交。", year=2025)
    assert [r.params["amount"] for r in _of(rules, "personal_contribution")] == ["400"]
    assert [r.conditions["groups"] for r in _of(rules, "assistance")] == [["特困人员", "孤儿"], ["五保户", "特困户"]]
    # 今年每人多交20元 is an increase, not a standard
    rules, _ = _rules("去年（2023年度）每人是380元，今年每人多交20元。", year=2024)
    assert "20" not in [r.params["amount"] for r in _of(rules, "personal_contribution")]
