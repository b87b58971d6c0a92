"""Clause recognition: sentences, triggers (PhraseMatcher, longest wins, cited titles masked) and values."""

from __future__ import annotations

import pytest

from extractors.clauses import Value, facts_to_values, sentence_to_values, text_to_sentences
from extractors.contract import Fact
from extractors.facts import normalised_to_facts
from extractors.normalise import text_to_normalised


def test_sentences_split_on_stops_semicolons_and_lines() -> None:
    sents = text_to_sentences("一、缴费标准\n个人缴费标准为380元;财政补助不低于640元。")
    assert [s.text for s in sents] == ["一、缴费标准", "个人缴费标准为380元;", "财政补助不低于640元。"]


def test_longest_trigger_wins_where_they_overlap() -> None:
    [sent] = text_to_sentences("政府对其个人缴费补助按60%执行。")
    assert [(t.label, t.text) for t in sent.triggers] == [("ASSIST", "个人缴费补助")]


def test_trigger_attrs_from_data() -> None:
    [sent] = text_to_sentences("2024年度居民医保集中预缴期为2023年10月1日至12月31日。")
    enroll = [t for t in sent.triggers if t.label == "ENROLL"]
    assert enroll[0].text == "集中预缴期" and enroll[0].attrs == {"phase": "concentrated"}


def test_triggers_inside_cited_titles_are_ignored() -> None:
    [sent] = text_to_sentences("根据《关于开展2023年度城乡居民基本医疗保险费集中缴费工作的通告》精神,制定本方案。")
    assert sent.triggers == []


def test_uses_the_facts_doc_when_char_tokenised() -> None:
    norm = text_to_normalised("2024年度个人缴费标准为每人每年380元。")
    facts, doc = normalised_to_facts(norm)
    [sent] = text_to_sentences(norm.text, doc, facts_to_values(facts, norm.offsets))
    assert [t.text for t in sent.triggers] == ["个人缴费标准"]
    money = [v for v in sent.values if v.type == "MONEY"]
    assert money[0].from_fact and money[0].value == {"amount": "380", "currency": "CNY"}


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("2024年9月25日开始,原则上至12月31日结束", ("DATE_RANGE", {"start": "2024-09-25", "end": "2024-12-31"})),
    ("自2024年9月1日至次年2月底", ("DATE_RANGE", {"start": "2024-09-01", "end": "2025-02-28"})),
    ("2020.9.1—2020.12.31", ("DATE_RANGE", {"start": "2020-09-01", "end": "2020-12-31"})),
    ("2023年7月1日至12月31日", ("DATE_RANGE", {"start": "2023-07-01", "end": "2023-12-31"})),
    ("自2023年9月起开始集中缴费,至2023年12月31日结束", ("DATE_RANGE", {"start": "2023-09-01", "end": "2023-12-31"})),
    ("每人每年不低于640元", ("MONEY", {"amount": "640", "currency": "CNY"})),
    ("1.5万元", ("MONEY", {"amount": "15000", "currency": "CNY"})),
    ("按百分之六十给予资助", ("PERCENT", {"percent": "60"})),
    ("设置90日待遇等待期", ("DURATION", {"amount": 90, "unit": "day"})),
    ("固定待遇等待期三个月", ("DURATION", {"amount": 3, "unit": "month"})),
])
# fmt: on
def test_local_values(text: str, expected: tuple[str, dict]) -> None:
    values = sentence_to_values(text, default_year=2024)
    assert [(v.type, v.value) for v in values if v.type == expected[0]][0] == expected


def test_month_only_window_takes_its_year_from_a_date_beside_it() -> None:
    values = sentence_to_values("9月至11月为集中征缴期,征期截止20221225日(节假日不顺延)", default_year=2023)
    window = [v for v in values if v.type == "DATE_RANGE"][0]
    assert window.value == {"start": "2022-09-01", "end": "2022-11-30"} and "year_inferred" in window.flags
    date = [v for v in values if v.type == "DATE"][0]
    assert date.value == {"date": "2022-12-25"} and "repaired" in date.flags


@pytest.mark.parametrize("text", ["2065438年9月1日至2007年2月31日", "自出生之日起至65438+2月31日", "2月30日"])
def test_untrusted_dates_have_no_value(text: str) -> None:
    dates = [v for v in sentence_to_values(text, default_year=2018) if v.type in ("DATE", "DATE_RANGE")]
    assert dates and all(not v.trusted for v in dates)


def test_ordinals_ages_and_day_ranges_are_not_durations() -> None:
    values = sentence_to_values("从第3个月1日起享受;60周岁以上;每月1日至25日可缴费")
    assert [v for v in values if v.type == "DURATION"] == []


def test_a_bad_fact_makes_the_overlapping_value_untrusted() -> None:
    text = "集中缴费期为2023年9月1日至2023年12月31日。"
    bad = Fact(type="DATE_RANGE", text=text[6:25], start=6, end=25, value=None, flags=["corrupt"])
    [sent] = text_to_sentences(text, None, facts_to_values([bad], list(range(len(text) + 1))))
    [window] = [v for v in sent.values if v.type == "DATE_RANGE"]
    assert not window.trusted and "corrupt" in window.flags


def test_year_mentions_skip_dates_and_cited_titles() -> None:
    [sent] = text_to_sentences("按照《关于做好2022年城乡居民基本医疗保障工作的通知》,2023年度个人缴费标准为350元,2023年6月30日前缴纳。")
    assert [y for _, _, y in sent.years] == [2023]


def test_value_type_is_a_value() -> None:
    assert isinstance(sentence_to_values("380元")[0], Value)
