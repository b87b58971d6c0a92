"""Fact recognition: (text, expected facts) tables, look-alikes, flags, offsets, the Doc API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.contract import Fact
from extractors.facts import build_pipeline, normalised_to_facts
from extractors.normalise import text_to_normalised

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _facts(text: str) -> list[Fact]:
    facts, _ = normalised_to_facts(text_to_normalised(text))
    for f in facts:
        assert text[f.start : f.end] == f.text
    return facts


def _typed(text: str) -> list[tuple[str, Any]]:
    return [(f.type, f.value) for f in _facts(text)]


def D(iso: str) -> tuple[str, dict[str, str]]:
    return ("DATE", {"date": iso})


def R(a: str, b: str) -> tuple[str, dict[str, str]]:
    return ("DATE_RANGE", {"start": a, "end": b})


def M(amount: str) -> tuple[str, dict[str, str]]:
    return ("MONEY", {"amount": amount, "currency": "CNY"})


def P(pct: str) -> tuple[str, dict[str, str]]:
    return ("PERCENT", {"percent": pct})


def T(n: int, unit: str) -> tuple[str, dict[str, Any]]:
    return ("DURATION", {"amount": n, "unit": unit})


def N(canonical: str, issuer: str | None, year: int, number: int) -> tuple[str, dict[str, Any]]:
    return ("DOC_NO", {"canonical": canonical, "issuer_code": issuer, "year": year, "number": number})


# fmt: off
CASES = [
    # dates
    ("发布日期:2024年9月25日", [D("2024-09-25")]),
    ("2023-9-8", [D("2023-09-08")]),
    ("2023.9.8", [D("2023-09-08")]),
    ("2023/09/08", [D("2023-09-08")]),
    ("二〇二四年十月一日起施行", [D("2024-10-01")]),
    ("二〇二四年元月一日起施行", [D("2024-01-01")]),
    ("2023年12月1日至次年元月31日", [R("2023-12-01", "2024-01-31")]),
    ("二〇二三年十二月三十一日", [D("2023-12-31")]),
    ("二○二四年九月二十五日", [D("2024-09-25")]),
    ("２０２４年９月２５日", [D("2024-09-25")]),
    ("2024 年 9 月 25 日", [D("2024-09-25")]),
    ("2024年09月05日", [D("2024-09-05")]),
    ("2024年9月25号前", [D("2024-09-25")]),
    ("2024年9月25日(星期三)", [D("2024-09-25")]),
    ("2023年6月30日前参保缴费的", [D("2023-06-30")]),
    # ranges
    ("2023年10月1日至12月31日", [R("2023-10-01", "2023-12-31")]),
    ("从2024年9月25日开始,原则上至12月31日结束", [R("2024-09-25", "2024-12-31")]),
    ("2022年9月1日至2023年2月28日", [R("2022-09-01", "2023-02-28")]),
    ("2024年11月1日至2月28日", [R("2024-11-01", "2025-02-28")]),
    ("2024年9月1日至次年2月底", [R("2024-09-01", "2025-02-28")]),
    ("2023年9月1日—2023年12月31日", [R("2023-09-01", "2023-12-31")]),
    ("2023年9月1日~12月31日", [R("2023-09-01", "2023-12-31")]),
    ("2023-09-01至2023-12-31", [R("2023-09-01", "2023-12-31")]),
    ("二〇二三年九月一日至十二月三十一日", [R("2023-09-01", "2023-12-31")]),
    ("2023年9月至12月", [R("2023-09-01", "2023-12-31")]),
    ("2024.9.1-2024.12.31", [R("2024-09-01", "2024-12-31")]),
    ("2024年9月25日起至2024年12月31日止", [R("2024-09-25", "2024-12-31")]),
    # durations
    ("设置参保后固定待遇等待期3个月", [T(3, "month")]),
    ("设置90日待遇等待期", [T(90, "day")]),
    ("90日内出生新生儿", [T(90, "day")]),
    ("五个工作日后", [T(5, "working_day")]),
    ("3个工作日内", [T(3, "working_day")]),
    ("中断缴费1年以上的", [T(1, "year")]),
    ("每多断保1年,增加1个月", [T(1, "year"), T(1, "month")]),
    ("自缴费之日起30日后开始享受", [T(30, "day")]),
    ("出生后三个月内", [T(3, "month")]),
    ("两个月", [T(2, "month")]),
    ("十五天内", [T(15, "day")]),
    ("连续参保满4年", [T(4, "year")]),
    ("等待期为2周", [T(2, "week")]),
    ("投标截止之日起90日。", [T(90, "day")]),
    ("半年内", [T(6, "month")]),
    ("180天", [T(180, "day")]),
    ("6个月以上", [T(6, "month")]),
    ("有效期5年。", [T(5, "year")]),
    # money
    ("个人缴费标准为每人每年380元。", [M("380")]),
    ("每人每年640元", [M("640")]),
    ("1.5万元", [M("15000")]),
    ("0.5万元", [M("5000")]),
    ("1,000元", [M("1000")]),
    ("人民币350元", [M("350")]),
    ("三百五十元", [M("350")]),
    ("人民币伍佰元整", [M("500")]),
    ("叁佰捌拾元", [M("380")]),
    ("400元/人/年", [M("400")]),
    ("补助3亿元", [M("300000000")]),
    ("１２０元", [M("120")]),
    ("12.50元", [M("12.5")]),
    ("两千元", [M("2000")]),
    ("¥350", [M("350")]),
    ("RMB380", [M("380")]),
    ("200万人民币", [M("2000000")]),
    ("10块钱", [M("10")]),
    ("10万元至20万元", [M("100000"), M("200000")]),
    ("两千五百万元", [M("25000000")]),
    ("5000万元", [M("50000000")]),
    ("三点八亿元", [M("380000000")]),
    ("3元5角", [M("3.5")]),
    ("叁元伍角", [M("3.5")]),
    ("壹仟贰佰元整", [M("1200")]),
    ("1,200.50元", [M("1200.5")]),
    ("380美元", [("MONEY", {"amount": "380", "currency": "USD"})]),
    ("2024年1月1日元旦", [D("2024-01-01")]),
    # percent
    ("按60%给予补助", [P("60")]),
    ("按60％给予补助", [P("60")]),
    ("６０％", [P("60")]),
    ("百分之六十", [P("60")]),
    ("百分之五点五", [P("5.5")]),
    ("99%以上", [P("99")]),
    ("报销比例为70.5%", [P("70.5")]),
    ("百分之六十五点五", [P("65.5")]),
    ("千分之五", [P("0.5")]),
    ("60%-70%", [P("60"), P("70")]),
    # document numbers in every bracket form
    ("吉医保联[2023]27号", [N("吉医保联〔2023〕27号", "吉医保联", 2023, 27)]),
    ("寧醫保規發〔2024〕3號", [N("宁医保规发〔2024〕3号", "宁医保规发", 2024, 3)]),
    ("(宁医保发〔2023〕114 号)", [N("宁医保发〔2023〕114号", "宁医保发", 2023, 114)]),
    ("参照宁医保发〔2023〕114号文件执行", [N("宁医保发〔2023〕114号", "宁医保发", 2023, 114)]),
    ("按照晋医保发(2022)11号", [N("晋医保发〔2022〕11号", "晋医保发", 2022, 11)]),
    ("国办发【2024】5号", [N("国办发〔2024〕5号", "国办发", 2024, 5)]),
    ("人社部发［2023］12号", [N("人社部发〔2023〕12号", "人社部发", 2023, 12)]),
    ("医保发（2023）24号", [N("医保发〔2023〕24号", "医保发", 2023, 24)]),
    ("医保发〔2023〕第24号", [N("医保发〔2023〕24号", "医保发", 2023, 24)]),
    ("(钦市税发)〔2022〕27号", [N("钦市税发〔2022〕27号", "钦市税发", 2022, 27)]),
    ("(桂医保发〔2022〕30)号", [N("桂医保发〔2022〕30号", "桂医保发", 2022, 30)]),
    ("(2022年第9号)", [N("2022年第9号", None, 2022, 9)]),
    ("汾政辦發(fā)〔202246\n", [N("汾政办发〔2022〕46号", "汾政办发", 2022, 46)]),
    ("(晉醫(yī)保發(fā)〔202211號)", [N("晋医保发〔2022〕11号", "晋医保发", 2022, 11)]),
    ("吉医保联 〔 2023 〕 27 号", [N("吉医保联〔2023〕27号", "吉医保联", 2023, 27)]),
    ("宁医保发\n〔2023〕\n114号", [N("宁医保发〔2023〕114号", "宁医保发", 2023, 114)]),
    ("缴费期为2024年9\n月1日至12月31日", [R("2024-09-01", "2024-12-31")]),
    # nothing to find
    ("宁ICP备0900464号-5", []),
    ("宁公网安备64032402000014号", []),
    ("晋公网安备 14100002000501号", []),
    ("索引号:640324042/2024-00073", []),
    ("网站标识码:6403240007", []),
    ("电话:0731-84011234", []),
    ("38 3784384", []),
    ("1366*768分辨率", []),
    ("联系邮箱 sfd2008@qq.com", []),
    ("达到万人以上", []),
    ("2018起,个人缴费不再区分", []),
    ("含2014年、2015年退出户", []),
    ("等待9月1日学籍注册完成后", []),
    ("年满60周岁以上老年人", []),
    ("16周岁以下未成年人", []),
    ("60岁以上的老年人", []),
    ("近期2寸白底免冠照片", []),
    ("从第3个月1日起开始享受", []),
    ("每月1日至25日可进行缴费", []),
    ("下一年享受城乡居民医疗保险待遇", []),
    ("2024年度", []),
    ("以下简称“24号文件”", []),
    ("推进一元化管理", []),
    ("12366微信", []),
    ("上半年", []),
    ("一年一度的集中征缴", []),
    ("新一年", []),
    ("100多元", []),
    ("9月25日", []),
    ("2024年。维护至当年12月31日", []),  # 当年 with no year earlier in its sentence
    ("2024年9月", []),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CASES)
def test_facts(text: str, expected: list[tuple[str, Any]]) -> None:
    assert _typed(text) == expected


# fmt: off
FLAGGED = [
    # text, type, value is None, flags that must be there
    ("征期截止20221225日", "DATE", False, {"repaired"}),
    ("汾政辦發(fā)〔202246", "DOC_NO", False, {"repaired"}),
    ("晉醫(yī)保發(fā)〔202211號", "DOC_NO", False, {"repaired"}),
    ("(晉人社廳發12號)", "DOC_NO", True, {"incomplete"}),
    ("五医保发〔〕12号", "DOC_NO", True, {"incomplete"}),
    ("福利享受至2月31日", "DATE", True, {"invalid_date"}),
    ("2023年2月29日", "DATE", True, {"invalid_date"}),
    ("2065438年9月1日", "DATE", True, {"corrupt"}),
    ("至65438+2月31日", "DATE", True, {"corrupt"}),
    ("2065438年9月1日至2007年2月31日", "DATE_RANGE", True, {"corrupt", "invalid_date"}),
    ("2023年10月1日至12月31日", "DATE_RANGE", False, {"year_inferred"}),
    ("21年6月12日", "DATE", False, {"year_inferred"}),
    ("允许2025年的退役军人参保,维护至当年12月31日", "DATE", False, {"year_inferred"}),
]
# fmt: on


@pytest.mark.parametrize("text,ftype,is_null,flags", FLAGGED)
def test_flagged_facts(text: str, ftype: str, is_null: bool, flags: set[str]) -> None:
    facts = _facts(text)
    assert len(facts) == 1, facts
    f = facts[0]
    assert f.type == ftype
    assert (f.value is None) == is_null
    assert flags <= set(f.flags)


def test_offsets_point_at_the_original_traditional_text() -> None:
    text = "按照《通知》(寧醫(yī)保規(guī)發(fā)〔2024〕3號)等文件,2025 年 1 月 1 日起"
    facts = _facts(text)
    assert [f.text for f in facts] == ["寧醫(yī)保規(guī)發(fā)〔2024〕3號", "2025 年 1 月 1 日"]


def test_doc_api_for_rules() -> None:
    text = "一、标准\n2024年度个人缴费标准为每人每年380元。集中缴费期为2023年10月1日至12月31日。"
    norm = text_to_normalised(text)
    facts, doc = normalised_to_facts(norm)
    assert doc.text == norm.text
    sents = [s.text for s in doc.sents]
    assert sents == ["一、标准\n", "2024年度个人缴费标准为每人每年380元。", "集中缴费期为2023年10月1日至12月31日。"]
    spans = list(doc.spans["facts"])
    assert [s.label_ for s in spans] == ["MONEY", "DATE_RANGE"]
    assert [s._.fact for s in spans] == facts
    assert spans[0]._.fact_value == {"amount": "380", "currency": "CNY"}
    assert spans[1]._.fact_flags == ["year_inferred"]
    assert spans[0].sent.text == "2024年度个人缴费标准为每人每年380元。"
    assert doc.user_data["noticerules.norm"] is norm


def test_not_facts_group_names_lookalikes() -> None:
    _, doc = normalised_to_facts(text_to_normalised("宁ICP备0900464号-5 年满60周岁"))
    assert [s.text for s in doc.spans["not_facts"]] == ["宁ICP备0900464号-5", "60周岁"]
    assert {s._.fact_pattern for s in doc.spans["not_facts"]} == {"icp", "age"}


def test_empty_and_garbage_input() -> None:
    assert _facts("") == []
    assert _facts("\ud800\x00\ufffd????") == []


def _gold_pairs() -> list[tuple[Path, Path]]:
    out = []
    for gold in sorted((CORPUS / "gold").glob("*.json")):
        src = CORPUS / "seeds" / (gold.stem + ".txt")
        if src.exists():
            out.append((src, gold))
    return out


def _key(ftype: str, value: dict[str, Any]) -> str:
    return ftype + json.dumps({k: str(v) for k, v in value.items()}, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("src,gold", _gold_pairs(), ids=lambda p: p.stem)
def test_seed_facts_match_gold(src: Path, gold: Path) -> None:
    """Each seed's facts equal its gold facts (optional ones may or may not appear)."""
    g = json.loads(gold.read_text(encoding="utf-8"))
    text = src.read_text(encoding="utf-8")
    facts = _facts(text)
    predicted = {_key(f.type, f.value) for f in facts if f.value is not None}
    required = {_key(x["type"], x["value"]) for x in g["facts"] if not x.get("optional")}
    optional = {_key(x["type"], x["value"]) for x in g["facts"] if x.get("optional")}
    assert required - predicted == set()
    assert predicted - required - optional == set()
    norm = text_to_normalised(text)
    for needle in g.get("not_facts", []):
        i = norm.text.find(needle)
        if i < 0:
            i = text.find(needle)
            where = (i, i + len(needle))
        else:
            where = norm.to_original(i, i + len(needle))
        assert i >= 0, needle
        assert not [f.text for f in facts if f.start < where[1] and where[0] < f.end], needle
    for needle in g.get("must_flag", []):
        i = norm.text.find(needle)
        assert i >= 0, needle
        a, b = norm.to_original(i, i + len(needle))
        covering = [f for f in facts if f.start < b and a < f.end]
        assert covering and all(f.flags for f in covering), needle


# --- the pipeline's own tokenizer and sentencizer -----------------------------------

_OURS = build_pipeline()
_REF = spacy.blank("zh")  # spaCy's ChineseTokenizer, segmenter "char"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("年1a。 \n\t\u3000\r") + ["  ", "\n\n", " \n "]), max_size=40).map("".join))
def test_char_tokenizer_matches_spacy_char_segmenter(text: str) -> None:
    """Our linear-time tokenizer gives exactly spaCy's ChineseTokenizer(segmenter='char') tokens."""
    ours = _OURS.make_doc(text)
    ref = _REF.make_doc(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in ref]
    assert ours.text == text

# fmt: off
SENTENCES = [
    ("一句。二句！三句？", ["一句。", "二句！", "三句？"]),
    ("他说:“好。”然后走了。", ["他说:“好。”", "然后走了。"]),
    ("标题\n正文第一句;第二句", ["标题\n", "正文第一句;", "第二句"]),
    ("a。  b", ["a。  ", "b"]),
    ("无标点", ["无标点"]),
    ("。。。结束", ["。。。", "结束"]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    _, doc = normalised_to_facts(text_to_normalised(text))
    assert [s.text_with_ws for s in doc.sents] == expected


_FACTY = st.sampled_from(
    list("0123456789年月日号號元万亿%％〔〕[]()（）至-./个天周工作百分之第发發医保宁晉 \n?")
    + ["二〇二四", "十二", "三十一", "壹佰", "人民币", "ICP备", "周岁", "65438+", "2065438", "次年", "月底", "&nbsp;", "(fā)"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FACTY, max_size=40).map("".join))
def test_any_text_gives_facts_on_original_slices(text: str) -> None:
    """No input crashes the pipeline; every fact's text is its original slice; facts never overlap."""
    facts = _facts(text)
    for a, b in zip(facts, facts[1:]):
        assert a.end <= b.start
    for f in facts:
        assert f.value is not None or f.flags, f


def test_too_long_text_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors import facts as F

    monkeypatch.setattr(F._nlp(), "max_length", 10)
    with pytest.raises(ValueError, match="longer than the 10 .*split the document"):
        normalised_to_facts(text_to_normalised("2024年9月25日至12月31日"))
