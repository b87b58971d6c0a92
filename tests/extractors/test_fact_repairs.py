"""Garbled dates: windows whose endpoints lost their separators, corrupt days and months (holdout3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.contract import Fact
from extractors.facts import normalised_to_facts
from extractors.normalise import text_to_normalised

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _facts(text: str) -> list[Fact]:
    facts, _ = normalised_to_facts(text_to_normalised(text))
    for f in facts:
        assert text[f.start : f.end] == f.text
    return facts


def _one(text: str) -> Fact:
    facts = _facts(text)
    assert len(facts) == 1, [(f.type, f.text, f.value, f.flags) for f in facts]
    return facts[0]


# fmt: off
REPAIRED_RANGES = [
    # text, fact text, start, end, flags (exactly)
    ("集中征缴时间为2018年9月1日至20181231日。", "2018年9月1日至20181231日", "2018-09-01", "2018-12-31", ["repaired"]),
    ("2018年9月1日—20181231止", "2018年9月1日—20181231", "2018-09-01", "2018-12-31", ["repaired"]),
    ("2018年9月1日——20181231", "2018年9月1日——20181231", "2018-09-01", "2018-12-31", ["repaired"]),
    ("2018年9月1日-20181231", "2018年9月1日-20181231", "2018-09-01", "2018-12-31", ["repaired"]),
    ("2018年9月1日至20181231", "2018年9月1日至20181231", "2018-09-01", "2018-12-31", ["repaired"]),
    ("2018年9月1日起至20190228日", "2018年9月1日起至20190228日", "2018-09-01", "2019-02-28", ["repaired"]),
    ("20180901日至20181231日", "20180901日至20181231日", "2018-09-01", "2018-12-31", ["repaired"]),
    ("20180901日至2018年12月31日", "20180901日至2018年12月31日", "2018-09-01", "2018-12-31", ["repaired"]),
    ("20180901日至12月31日", "20180901日至12月31日", "2018-09-01", "2018-12-31", ["repaired", "year_inferred"]),
    ("2018年9月1日至1231日", "2018年9月1日至1231日", "2018-09-01", "2018-12-31", ["repaired", "year_inferred"]),
    ("2018年9月1日至0228日", "2018年9月1日至0228日", "2018-09-01", "2019-02-28", ["repaired", "year_inferred"]),
    ("二〇一八年九月一日至20181231日", "二〇一八年九月一日至20181231日", "2018-09-01", "2018-12-31", ["repaired"]),
]

NULL_FLAGGED = [
    # text, fact text, type, flags (exactly): value null, no rule may be built on it
    ("请务必于2023年12月311日前完成缴费", "2023年12月311日", "DATE", ["corrupt"]),
    ("2023年123月1日起", "2023年123月1日", "DATE", ["corrupt"]),
    ("截至12月311日", "12月311日", "DATE", ["corrupt"]),
    ("23年12月311日", "23年12月311日", "DATE", ["year_inferred", "corrupt"]),
    ("2018年9月1日至2018年12月311日", "2018年9月1日至2018年12月311日", "DATE_RANGE", ["corrupt"]),
    ("2018年9月1日至12月311日", "2018年9月1日至12月311日", "DATE_RANGE", ["corrupt", "year_inferred"]),
    ("2018年13月1日起", "2018年13月1日", "DATE", ["invalid_date"]),
    ("2018年9月0日", "2018年9月0日", "DATE", ["invalid_date"]),
    ("2018年9月1日至2018年13月1日", "2018年9月1日至2018年13月1日", "DATE_RANGE", ["invalid_date"]),
    ("20181232日", "20181232日", "DATE", ["invalid_date"]),
    ("20181301日", "20181301日", "DATE", ["invalid_date"]),
    ("20180900日", "20180900日", "DATE", ["invalid_date"]),
    ("2018年9月1日至20181232日", "2018年9月1日至20181232日", "DATE_RANGE", ["invalid_date"]),
    ("20181301日至20181231日", "20181301日至20181231日", "DATE_RANGE", ["invalid_date"]),
    ("2018年10月1日至20180901日", "2018年10月1日至20180901日", "DATE_RANGE", ["window_reversed"]),
]
# fmt: on


@pytest.mark.parametrize("text,fact_text,start,end,flags", REPAIRED_RANGES)
def test_a_window_with_a_glued_endpoint_is_one_repaired_range(
    text: str, fact_text: str, start: str, end: str, flags: list[str]
) -> None:
    f = _one(text)
    assert (f.type, f.text, f.value, f.flags) == ("DATE_RANGE", fact_text, {"start": start, "end": end}, flags)


@pytest.mark.parametrize("text,fact_text,ftype,flags", NULL_FLAGGED)
def test_a_garbled_or_impossible_date_is_a_null_flagged_fact(
    text: str, fact_text: str, ftype: str, flags: list[str]
) -> None:
    f = _one(text)
    assert (f.type, f.text, f.value, f.flags) == (ftype, fact_text, None, flags)


# fmt: off
NOT_REPAIRED = [
    # text, the facts (type, value) — glued digits that are not a range's end stay out
    ("2018年9月1日至2018123", [("DATE", {"date": "2018-09-01"})]),
    ("2018年9月1日至201812310", [("DATE", {"date": "2018-09-01"})]),
    ("2018年9月1日至20181299", [("DATE", {"date": "2018-09-01"})]),  # no 日: a real month-day only
    ("2018年9月1日至1231", [("DATE", {"date": "2018-09-01"})]),  # mmdd without 日 could be anything
    ("2023年12月031日", [("DATE", {"date": "2023-12-31"})]),  # zero-padded day: still the 31st
    ("2018年9月1日至12月31日", [("DATE_RANGE", {"start": "2018-09-01", "end": "2018-12-31"})]),
    ("征期截止20221225日", [("DATE", {"date": "2022-12-25"})]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", NOT_REPAIRED)
def test_what_is_not_a_repaired_range(text: str, expected: list[tuple[str, Any]]) -> None:
    assert [(f.type, f.value) for f in _facts(text)] == expected


def test_repaired_flags_only_where_the_repair_happened() -> None:
    facts = _facts("2018年9月1日至12月31日;20221225日;2019年1月1日至20191231日")
    assert [(f.text, f.flags) for f in facts] == [
        ("2018年9月1日至12月31日", ["year_inferred"]),
        ("20221225日", ["repaired"]),
        ("2019年1月1日至20191231日", ["repaired"]),
    ]


def test_a_phone_number_is_still_a_lookalike() -> None:
    # only glued yyyymmdd right after a range separator stopped being a phone look-alike
    for text, phone in (("咨询电话:20181231", "20181231"), ("电话 26581231", "26581231"), ("拨打至12345678", "12345678")):
        facts, doc = normalised_to_facts(text_to_normalised(text))
        assert facts == []
        assert [s.text for s in doc.spans["not_facts"]] == [phone]
    _, doc = normalised_to_facts(text_to_normalised("有效期至20181231"))
    assert [s.text for s in doc.spans["not_facts"]] == []


_DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2049, 12, 31))


@settings(max_examples=150, deadline=None)
@given(a=_DAYS, span=st.integers(0, 400), sep=st.sampled_from(["至", "到", "—", "——", "-", "～", "起至", "开始,原则上至"]))
def test_any_glued_end_after_a_full_start_is_one_range(a: dt.date, span: int, sep: str) -> None:
    b = min(a + dt.timedelta(days=span), dt.date(2049, 12, 31))
    text = f"缴费时间为{a.year}年{a.month}月{a.day}日{sep}{b:%Y%m%d}日。"
    f = _one(text)
    assert f.type == "DATE_RANGE"
    assert f.value == {"start": a.isoformat(), "end": b.isoformat()}
    assert f.flags == ["repaired"]
    g = _one(f"{a:%Y%m%d}日{sep}{b:%Y%m%d}日")
    assert (g.type, g.value, g.flags) == ("DATE_RANGE", f.value, ["repaired"])


@settings(max_examples=150, deadline=None)
@given(
    y=st.integers(1990, 2049),
    m=st.integers(1, 12),
    day=st.integers(100, 999),
    tail=st.sampled_from(["前", "起", "", "以前完成缴费"]),
)
def test_any_three_digit_day_is_a_corrupt_null_date(y: int, m: int, day: int, tail: str) -> None:
    f = _one(f"请于{y}年{m}月{day}日{tail}")
    assert (f.type, f.value, f.flags) == ("DATE", None, ["corrupt"])


@settings(max_examples=100, deadline=None)
@given(y=st.integers(1990, 2049), m=st.integers(0, 99), d=st.integers(0, 99))
def test_any_two_digit_month_and_day_is_a_date_or_a_null_invalid_one(y: int, m: int, d: int) -> None:
    f = _one(f"{y}年{m}月{d}日")
    try:
        iso = dt.date(y, m, d).isoformat()
    except ValueError:
        assert (f.type, f.value, f.flags) == ("DATE", None, ["invalid_date"])
    else:
        assert (f.type, f.value, f.flags) == ("DATE", {"date": iso}, [])


def _key(ftype: str, value: dict[str, Any]) -> str:
    return ftype + json.dumps({k: str(v) for k, v in value.items()}, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize(
    "name,encoding",
    [("h3_07_jilin_meihekou_gb18030_2019", "gb18030"), ("h3_10_guangxi_beiliu_repost_qa_2024", "utf-8")],
)
def test_holdout3_facts_and_must_flag(name: str, encoding: str) -> None:
    """The two holdout3 notices that showed the misses: facts = gold, must_flag texts flagged."""
    gold = json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    text = (CORPUS / "holdout3" / f"{name}.txt").read_bytes().decode(encoding)
    facts = _facts(text)
    predicted = {_key(f.type, f.value) for f in facts if f.value is not None}
    required = {_key(x["type"], x["value"]) for x in gold["facts"] if not x.get("optional")}
    optional = {_key(x["type"], x["value"]) for x in gold["facts"] if x.get("optional")}
    assert required - predicted == set()
    assert predicted - required - optional == set()
    assert gold["must_flag"]
    for needle in gold["must_flag"]:
        i = text.index(needle)
        covering = [f for f in facts if f.start < i + len(needle) and i < f.end]
        assert covering and all(f.flags for f in covering), (needle, covering)


def test_a_validity_period_is_one_range() -> None:
    facts = _facts("本通知自2024年7月1日起执行至2025年6月30日。")
    assert [(f.type, f.value) for f in facts] == [("DATE_RANGE", {"start": "2024-07-01", "end": "2025-06-30"})]


@pytest.mark.parametrize("text", ["全面落实20255年度城乡居民医保政策", "做好201617年度参合工作"])
def test_a_year_with_digits_too_many_is_a_null_fact_flagged_corrupt(text: str) -> None:
    assert [(f.type, f.value, f.flags) for f in _facts(text)] == [("DATE", None, ["corrupt"])]


@pytest.mark.parametrize("text,canonical", [
    ("《关于做好工作的通知》（日医保发〔2023〕12号）", "日医保发〔2023〕12号"),  # 日喀则's code
    ("2023年9月5日医保发〔2023〕12号", "医保发〔2023〕12号"),  # the end of a date, then the code
])
def test_an_issuer_code_that_starts_with_a_date_character(text: str, canonical: str) -> None:
    assert [f.value["canonical"] for f in _facts(text) if f.type == "DOC_NO"] == [canonical]


def test_a_dashed_date_with_a_year_digit_too_many_is_flagged() -> None:
    assert [(f.type, f.value, f.flags) for f in _facts("发布时间：20211-09-06 10:12")] == [("DATE", None, ["corrupt"])]


# --- values with a part lost or spaced out (holdout25) ------------------------------------------

@pytest.mark.parametrize("text,raw", [
    ("大病保险最高支付?000元。", "000元"),  # a leading digit lost to the ? filler
    ("起付线为1.?万元。", "1.?万元"),  # the decimal lost
])
def test_an_amount_with_a_lost_digit_is_a_null_fact_flagged_incomplete(text: str, raw: str) -> None:
    fact = _one(text)
    assert (fact.type.value, fact.value, fact.flags, fact.text) == ("MONEY", None, ["incomplete"], raw)


@pytest.mark.parametrize("text,amount", [("个人缴费标准为每人每年4 0 0\n元。", "400"), ("共 3 8 0元", "380")])
def test_spaced_out_digits_are_one_repaired_amount(text: str, amount: str) -> None:
    fact = _one(text)
    assert (fact.value["amount"], fact.flags) == (amount, ["repaired"])


def test_clean_amounts_are_not_read_as_lost_or_spaced() -> None:
    facts = _facts("每人0.5元,合计1,000元;第1 2 3 4 5 6 7元")
    assert [(f.text, f.flags) for f in facts] == [("0.5元", []), ("1,000元", []), ("7元", [])]


def test_a_document_number_without_its_number_is_incomplete() -> None:
    fact = _one("根据《关于做好2020年度城乡居民医保工作的通知》(黔医保发〔2019〕号)")
    assert (fact.type.value, fact.value, fact.flags, fact.text) == ("DOC_NO", None, ["incomplete"], "黔医保发〔2019〕号")


def test_a_content_farms_rewritten_digits_are_a_corrupt_date() -> None:
    # holdout30 h30_05: 2065438+06年9月1日 (2016 rewritten as 2065438+06) is not 2006-09-01, nor a phone number
    facts = _facts("缴费时间为2065438+06年9月1日至2016年12月31日。")
    assert [(f.type.value, f.value, f.flags) for f in facts] == [
        ("DATE", None, ["corrupt"]), ("DATE", {"date": "2016-12-31"}, [])]


def test_a_range_whose_start_lost_its_day_character() -> None:
    # holdout27 h27_10: 2021年9月1至2021年12月31日
    fact = _one("集中征缴期为2021年9月1至2021年12月31日。")
    assert (fact.type.value, fact.value) == ("DATE_RANGE", {"start": "2021-09-01", "end": "2021-12-31"})


def test_a_digit_lost_between_digits_is_not_spacing() -> None:
    # holdout36 h36_10: 4?0元 (a lost digit shown as ?) is not 40, while 4 0 0元 (spacing) is 400
    facts = _facts("个人缴费4?0元，标准为每人每年400元。")
    assert [(f.value, f.flags) for f in facts] == [(None, ["incomplete"]), ({"amount": "400", "currency": "CNY"}, [])]


def test_a_date_with_a_letter_for_a_digit_is_corrupt() -> None:
    # holdout41 h41_07: 2016年9月2O日 (letter O) is no 2016-09-02
    fact = _one("县医疗保障局\n2016年9月2O日")
    assert (fact.value, fact.flags) == (None, ["corrupt"])


def test_spoken_amounts_in_kuai() -> None:
    # holdout42 h42_06: 三百五十块钱 / 两百块 / 30块 are amounts; 一块儿, 这块地 and a vague 几百块 are not
    facts = _facts("今年每个人要交三百五十块钱，自己交两百块。多交30块。大家一块儿去，这块地，一年几百块。")
    assert [(f.text, f.value["amount"]) for f in facts if f.type.value == "MONEY"] == [
        ("三百五十块钱", "350"), ("两百块", "200"), ("30块", "30")]


def test_a_year_written_twice_is_corrupt() -> None:
    # holdout46 h46_09: 20232023年9月1日 is no date
    fact = _one("缴费时间为20232023年9月1日至12月31日")
    assert fact.value is None and "corrupt" in fact.flags
