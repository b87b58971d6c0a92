"""extractors.metadata: document fields from realistic notice snippets, and on the gold corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractors.contract import Fact, NoticeDocument, ParsedDocument
from extractors.metadata import parsed_to_document
from extractors.normalise import text_to_normalised

ROOT = Path(__file__).resolve().parents[2]


def _docno(text: str, raw: str, canonical: str, flags: list[str] | None = None) -> Fact:
    start = text.index(raw)
    m = re.match(r"(.*)〔(\d{4})〕(\d+)号", canonical)
    value = ({"canonical": canonical, "issuer_code": m[1], "year": int(m[2]), "number": int(m[3])}
             if m else {"canonical": canonical, "issuer_code": None, "year": None, "number": None})
    return Fact(type="DOC_NO", text=raw, start=start, end=start + len(raw), value=value,
                flags=flags or [])


def _doc(text: str, *, facts: list[Fact] | None = None, meta: dict[str, str] | None = None,
         title_hint: str | None = None, fmt: str = "txt", flags: list[str] | None = None) -> NoticeDocument:
    parsed = ParsedDocument(source="t." + fmt, sha256="0" * 64, format=fmt, text=text,  # type: ignore[arg-type]
                            meta=meta or {}, title_hint=title_hint, flags=flags or [])
    return parsed_to_document(parsed, text_to_normalised(text), facts or [])


BODY = "为做好2025年度城乡居民基本医疗保险参保缴费工作，现将有关事项通知如下。一、个人缴费标准为每人每年400元。"


# --- region and issuers: the jurisdiction of whoever issued the notice ----------------------------

# fmt: off
REGION_CASES = [
    # (title + signature issuers, expected code, province, city, county)
    ("北京市朝阳区医疗保障局 北京市朝阳区财政局",            "110105", "北京市", None, "朝阳区"),
    ("长春市朝阳区医疗保障局",                                "220104", "吉林省", "长春市", "朝阳区"),
    ("延边朝鲜族自治州医疗保障局 延边朝鲜族自治州财政局",    "222400", "吉林省", "延边朝鲜族自治州", None),
    ("晋江市医疗保障局 国家税务总局晋江市税务局",            "350582", "福建省", "泉州市", "晋江市"),
    ("仙桃市医疗保障局",                                      "429004", "湖北省", None, "仙桃市"),
    ("汾西县人民政府办公室",                                  "141034", "山西省", "临汾市", "汾西县"),
    ("阳泉市人力资源和社会保障局",                            "140300", "山西省", "阳泉市", None),
    ("宁夏回族自治区医疗保障局 国家税务总局宁夏回族自治区税务局", "640000", "宁夏回族自治区", None, None),
    ("重庆市开州区医疗保障局",                                "500154", "重庆市", None, "开州区"),
    ("广西壮族自治区医疗保障局 广西壮族自治区财政厅",        "450000", "广西壮族自治区", None, None),
]
# fmt: on


@pytest.mark.parametrize("orgs,code,province,city,county", REGION_CASES)
def test_region_and_issuers_from_title_and_signature(orgs: str, code: str, province: str,
                                                     city: str | None, county: str | None) -> None:
    text = (f"{orgs}关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n各有关单位：\n{BODY}\n"
            + "\n".join(orgs.split()) + "\n2024年9月10日\n")
    doc = _doc(text)
    assert doc.region.model_dump() == {"province": province, "city": city, "county": county, "code": code}
    assert doc.issuers == orgs.split()
    assert doc.published == "2024-09-10"
    assert doc.policy_year == 2025


def test_hosting_site_publisher_is_not_the_issuer() -> None:
    # seed 000's pattern: 同心县 hosts a regional notice; the title and signature say who issued it
    text = ("索 引 号 | 640324042/2024-00073 | 发文时间 | 2024-09-24 |\n"
            "发布机构 | 同心县医疗保障局 | 文 号 | |\n"
            "标 题: | 自治区医疗保障局关于做好2025年度城乡居民基本医疗保险参保征缴工作的通知 |\n"
            "各市、县（区）医疗保障局：\n为做好2025年度全区城乡居民基本医疗保险参保征缴工作，现通知如下。\n"
            "请与宁夏医保局联系。宁夏各地要做好工作。\n宁夏回族自治区医疗保障局\n2024年9月24日\n"
            "主办：同心县人民政府 承办：同心县人民政府办公室\n")
    doc = _doc(text)
    assert doc.title == "自治区医疗保障局关于做好2025年度城乡居民基本医疗保险参保征缴工作的通知"
    assert doc.issuers == ["宁夏回族自治区医疗保障局"]
    assert doc.region.code == "640000"
    assert doc.published == "2024-09-24"
    assert doc.doc_number is None


def test_issuer_named_by_level_only_is_completed_from_the_text() -> None:
    text = ("自治区医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n"
            "各市、县（区）医疗保障局：\n为做好全区参保工作，宁夏各地要加强领导。宁夏医保局将督导。\n")
    doc = _doc(text)
    assert doc.issuers == ["宁夏回族自治区医疗保障局"]
    assert doc.region.code == "640000"


def test_ambiguous_district_goes_where_the_text_points() -> None:
    text = ("朝阳区医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n各街道：\n"
            "根据长春市医疗保障局的部署，结合长春市实际，吉林省长春市朝阳区现就有关事项通知如下。\n")
    assert _doc(text).region.code == "220104"


# fmt: off
MENTION_CASES = [
    # no issuer anywhere: the text's own division names and how it addresses its area decide
    ("city cue", "一、工作任务\n按照普遍参保的原则，积极组织实施2018年度城乡居民基本医疗保险。阳泉市各县（区）要做好工作。"
                 "本市居民在阳泉市参保。陽泉市醫療保險管理服務中心負責。市政府将加强督导，全市要完成任务。山西省有关要求。\n",
     "140300"),
    ("town plan", "镇2023年度城乡居民基本医疗保险参保缴费工作方案\n根据广西壮族自治区和钦州市的部署，"
                  "结合我镇实际，制定本方案。户籍不在钦州的居民在钦州参保。钦北区XX镇居民应于9月缴费。"
                  "按照钦北区要求，广西壮族自治区医疗保障局另有规定。\n",
     "450703"),
    ("province only", "为做好全省2024年度城乡居民参保工作，吉林省各地要加强领导，吉林省医保局督导。"
                      "长春市、吉林市、白山市要做好宣传。\n",
     "220000"),
]
# fmt: on


@pytest.mark.parametrize("name,text,code", MENTION_CASES, ids=[c[0] for c in MENTION_CASES])
def test_region_from_text_mentions(name: str, text: str, code: str) -> None:
    doc = _doc(text)
    assert doc.region.code == code
    assert doc.issuers == []


def test_no_region_when_nothing_names_one() -> None:
    doc = _doc("各有关单位：为做好参保缴费工作，现通知如下。个人缴费每人每年380元。")
    assert doc.region.code is None and doc.region.province is None


# --- titles ----------------------------------------------------------------------------------------

# fmt: off
TITLE_CASES = [
    ("厦门市医疗保障局 厦门市财政局关于公布2024年度城乡居民基本医疗保险筹资标准的通知\n各区医疗保障局：\n" + BODY,
     "厦门市医疗保障局 厦门市财政局关于公布2024年度城乡居民基本医疗保险筹资标准的通知"),
    ("国家税务总局郑州市税务局 郑州市医疗保障局关于开展2024年度城乡居民基本医疗保险费集中缴费工作的通告\n" + BODY,
     "国家税务总局郑州市税务局 郑州市医疗保障局关于开展2024年度城乡居民基本医疗保险费集中缴费工作的通告"),
    ("XX县2024年度城乡居民基本医疗保险参保缴费工作方案\n" + BODY,
     "XX县2024年度城乡居民基本医疗保险参保缴费工作方案"),
    ("安徽省人民政府关于健全基本医疗保险参保长效机制的实施意见\n各市、县人民政府：\n" + BODY,
     "安徽省人民政府关于健全基本医疗保险参保长效机制的实施意见"),
    ("成都市城乡居民基本医疗保险实施办法\n第一条 为了健全城乡居民基本医疗保险制度，制定本办法。\n",
     "成都市城乡居民基本医疗保险实施办法"),
    # a title wrapped over two lines, issuer on a line of its own (seed 002's layout)
    ("首页 > 政府信息公开 > 政策文件\n\n汾西县人民政府办公室\n\n关于开展2023年度城乡居民基本医疗保险费\n征缴工作的通知\n\n"
     "各乡镇人民政府：\n" + BODY,
     "汾西县人民政府办公室 关于开展2023年度城乡居民基本医疗保险费征缴工作的通知"),
    # a flattened page: title, number, date and body on one line (seed 004's layout)
    ("吉林省医疗保障局 吉林省民政厅关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知 吉医保联[2023]27号 "
     "2023-9-8 各市(州)医疗保障局: " + BODY,
     "吉林省医疗保障局 吉林省民政厅关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"),
]
# fmt: on


def _ws(s: str | None) -> str | None:
    return re.sub(r"\s+", "", s) if s is not None else None


@pytest.mark.parametrize("text,title", TITLE_CASES)
def test_title(text: str, title: str) -> None:
    assert _ws(_doc(text).title) == _ws(title)


def test_citations_are_not_titles() -> None:
    text = ("一、工作任务\n根据《关于做好2022年城乡居民基本医疗保障工作的通知》（晋医保发〔2022〕11号）要求，"
            "现将有关事项通知如下。\n相关解读：【图解】汾西县人民政府办公室关于开展2023年度城乡居民基本医疗保险费征缴工作的通知\n")
    assert _doc(text).title is None


def test_traditional_meta_title_is_simplified_and_preferred() -> None:
    text = "各有關單位：\n為做好工作，現通知如下。\n"
    doc = _doc(text, meta={"標 題": "寧夏回族自治區醫療保障局關於做好2025年度城鄉居民醫保工作的通知",
                           "發文日期": "2024年09月24日", "文 號": "寧醫保發〔2024〕88號"}, fmt="html")
    assert doc.title == "宁夏回族自治区医疗保障局关于做好2025年度城乡居民医保工作的通知"
    assert doc.published == "2024-09-24"
    assert doc.doc_number == "宁医保发〔2024〕88号"
    assert doc.region.code == "640000"


def test_repost_wrapper_title_and_year_are_ignored() -> None:
    # seed 001's pattern: the collection site's headline says 2024, the reposted plan says 2023
    text = ("镇2024年度城乡居民基本医疗保险参保缴费工作方案\n\n云海 分享 时间:\n\n"
            "以下是网友为您整理分享的范文，供您参考！\n\n镇2023年度城乡居民基本医疗保险参保\n\n缴费工作方案\n\n"
            "根据上级部署，为做好我镇2023年度城乡居民基本医疗保险费集中缴费工作，制定本方案。\n")
    doc = _doc(text, title_hint="镇2024年度城乡居民基本医疗保险参保缴费工作方案")
    assert _ws(doc.title) == "镇2023年度城乡居民基本医疗保险参保缴费工作方案"
    assert "repost_wrapper" in doc.flags
    assert doc.policy_year == 2023
    assert doc.published is None


def test_html_title_hint_with_site_name() -> None:
    doc = _doc("各区医疗保障局：\n为做好参保缴费工作，现通知如下。\n",
               title_hint="关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知_厦门市医疗保障局", fmt="html")
    assert doc.title == "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"
    assert "repost_wrapper" not in doc.flags


# --- dates -------------------------------------------------------------------------------------------

# fmt: off
DATE_CASES = [
    ("吉林省医疗保障局\n二〇二三年九月八日\n", "2023-09-08"),
    ("吉林省医疗保障局\n二○二四年十月二十一日\n", "2024-10-21"),
    ("吉林省医疗保障局\n2023年9月8日\n", "2023-09-08"),
    ("吉林省医疗保障局 吉林省民政厅 2023年9月8日 |", "2023-09-08"),
    ("吉林省医疗保障局\n２０２３年１１月３０日\n", "2023-11-30"),
    ("吉林省医疗保障局\n2023年2月31日\n", None),                    # impossible: no date
    ("吉林省医疗保障局\n（此件公开发布）\n", None),
]
# fmt: on


@pytest.mark.parametrize("ending,published", DATE_CASES)
def test_signature_date(ending: str, published: str | None) -> None:
    text = "吉林省医疗保障局关于做好2024年度城乡居民医保参保工作的通知\n各市（州）医疗保障局：\n" + BODY + "\n" + ending
    assert _doc(text).published == published


def test_header_date_when_the_signature_date_is_garbled() -> None:
    # seed 002: the page header shows the date; the signature's "2022113" cannot be read
    text = ("汾西县人民政府办公室关于开展2023年度城乡居民基本医疗保险费征缴工作的通知\n\n2022-11-15\n\n"
            "各乡镇人民政府：\n" + BODY + "\n汾西县人民政府办公室\n2022113\n（此件公开发布）\n")
    doc = _doc(text)
    assert doc.published == "2022-11-15"
    assert doc.issuers == ["汾西县人民政府办公室"]


def test_footer_is_not_a_signature() -> None:
    text = ("关于做好2024年度城乡居民医保参保工作的通知\n各有关单位：\n" + BODY +
            "\n主办：同心县人民政府 承办：同心县人民政府办公室\n版权所有 2018年1月1日\n")
    doc = _doc(text)
    assert doc.issuers == []
    assert doc.published is None


# --- document numbers and citations --------------------------------------------------------------------

def test_own_number_and_cites_from_facts() -> None:
    text = ("吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n吉医保联[2023]27号\n"
            "各市（州）医疗保障局：\n按照《国家医保局 财政部 国家税务总局关于做好2023年城乡居民基本医疗保障工作的通知》"
            "（医保发〔2023〕24号）和《通告》（2022年第9号）、晋人社厅发12号及医保发〔2023〕24号文件要求，"
            "结合吉医保联〔2022〕5号执行。\n吉林省医疗保障局\n2023年9月8日\n")
    facts = [
        _docno(text, "吉医保联[2023]27号", "吉医保联〔2023〕27号"),
        _docno(text, "医保发〔2023〕24号", "医保发〔2023〕24号"),
        _docno(text, "2022年第9号", "2022年第9号"),
        _docno(text, "晋人社厅发12号", "晋人社厅发12号", ["incomplete"]),
        Fact(type="DOC_NO", text="医保发〔2023〕24号", start=text.rindex("医保发〔2023〕24号"),
             end=text.rindex("医保发〔2023〕24号") + 12,
             value={"canonical": "医保发〔2023〕24号", "issuer_code": "医保发", "year": 2023, "number": 24}),
        _docno(text, "吉医保联〔2022〕5号", "吉医保联〔2022〕5号"),
    ]
    doc = _doc(text, facts=facts)
    assert doc.doc_number == "吉医保联〔2023〕27号"
    assert doc.cites == ["医保发〔2023〕24号", "吉医保联〔2022〕5号"]  # ordered, deduplicated


def test_repaired_own_number_is_flagged() -> None:
    text = ("汾西县人民政府办公室关于开展2023年度城乡居民基本医疗保险费征缴工作的通知\n汾政辦發〔202246\n"
            "各乡镇人民政府：\n" + BODY)
    facts = [_docno(text, "汾政辦發〔202246", "汾政办发〔2022〕46号", ["repaired"])]
    doc = _doc(text, facts=facts)
    assert doc.doc_number == "汾政办发〔2022〕46号"
    assert "repaired" in doc.flags
    assert doc.cites == []


def test_citation_in_the_header_is_not_the_own_number() -> None:
    text = ("关于转发《国家医保局关于做好2024年城乡居民医保工作的通知》（医保发〔2024〕19号）的通知\n"
            "各市医保局：\n" + BODY)
    facts = [_docno(text, "医保发〔2024〕19号", "医保发〔2024〕19号")]
    doc = _doc(text, facts=facts)
    assert doc.doc_number is None
    assert doc.cites == ["医保发〔2024〕19号"]


# --- policy year ---------------------------------------------------------------------------------------

# fmt: off
YEAR_CASES = [
    ("关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知", "2024年9月1日起缴费。", 2025),
    ("关于做好2024年城乡居民基本医疗保障工作的通知", "2024年城乡居民医保人均财政补助标准提高30元。", 2024),
    (None, "为做好2019年度城乡居民医保参保工作，2019年度个人缴费250元。根据《2017年度工作要点》。", 2019),
    (None, "各单位要认真落实。", None),
]
# fmt: on


@pytest.mark.parametrize("title,body,year", YEAR_CASES)
def test_policy_year(title: str | None, body: str, year: int | None) -> None:
    text = (title + "\n" if title else "") + "各有关单位：\n" + body
    assert _doc(text).policy_year == year


# --- script, flags, odd input ----------------------------------------------------------------------------

# fmt: off
SCRIPT_CASES = [
    ("汾西縣人民政府辦公室關於開展2023年度城鄉居民基本醫療保險費徵繳工作的通知。各鄉鎮人民政府、縣直各有關單位要進一步提高認識。", "traditional"),
    ("汾西县人民政府办公室关于开展2023年度城乡居民基本医疗保险费征缴工作的通知。各乡镇人民政府、县直各有关单位要进一步提高认识。", "simplified"),
    ("汾西縣人民政府辦公室關於開展2023年度城鄉居民基本醫療保險費徵繳工作的通知。各乡镇人民政府、县直各有关单位要进一步提高认识。", "mixed"),
    ("2023-09-08 380", "unknown"),
]
# fmt: on


@pytest.mark.parametrize("text,script", SCRIPT_CASES)
def test_script(text: str, script: str) -> None:
    assert _doc(text).script == script


def test_parsed_flags_are_carried_and_mojibake_is_flagged() -> None:
    doc = _doc("锟斤拷锟斤拷锟斤拷锟斤拷锟斤拷 关于做好医保工作的通知", flags=["encoding_guessed"])
    assert doc.flags[0] == "encoding_guessed"
    assert "mojibake" in doc.flags


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "?????", "关于", "（）《》〔〕", "x" * 5000])
def test_degenerate_text_gives_empty_fields(text: str) -> None:
    doc = _doc(text)
    assert doc.title is None or doc.title  # never an empty string
    assert doc.doc_number is None and doc.published is None and doc.cites == []
    assert doc.source == "t.txt" and doc.sha256 == "0" * 64 and doc.format == "txt"


# --- the gold corpus through the real pipeline -----------------------------------------------------------

GOLD = sorted((ROOT / "corpus" / "gold").glob("*.json"))
SEEDS = [g for g in GOLD if g.stem[:3].isdigit()]


def _field_ok(name: str, want: object, got: dict) -> bool:
    value = got.get("title" if name == "title_contains" else name)
    if name == "title":
        return _ws(want) == _ws(value)  # type: ignore[arg-type]
    if name == "title_contains":
        return value is not None and _ws(want) in _ws(value)  # type: ignore[arg-type, operator]
    if name in ("issuers", "cites"):
        return sorted(want or []) == sorted(value or [])  # type: ignore[type-var]
    if name == "flags":
        return set(want or []) <= set(value or [])  # type: ignore[arg-type]
    if name == "region":
        return all(value.get(k) == v for k, v in (want or {}).items())  # type: ignore[union-attr, attr-defined]
    return want == value


def _gold_document(gold: Path) -> tuple[dict, dict]:
    from ingest.parse import source_to_parsed

    from extractors.extract import parsed_to_extraction

    src = next(p for p in (ROOT / "corpus").glob(f"*/{gold.stem}.*") if p.suffix != ".json")
    extraction = parsed_to_extraction(source_to_parsed(str(src)))
    return json.loads(gold.read_text(encoding="utf-8"))["document"], extraction.document.model_dump(mode="json")


@pytest.mark.parametrize("gold", SEEDS, ids=[g.stem[:3] for g in SEEDS])
def test_seed_document_fields(gold: Path) -> None:
    want, got = _gold_document(gold)
    wrong = {k: (v, got.get("title" if k == "title_contains" else k)) for k, v in want.items()
             if not _field_ok(k, v, got)}
    assert wrong == {}


def test_corpus_document_accuracy() -> None:
    results = []
    for gold in GOLD:
        want, got = _gold_document(gold)
        results += [_field_ok(k, v, got) for k, v in want.items()]
    assert len(results) > 50
    assert sum(results) / len(results) >= 0.95


def test_source_label_before_a_date_is_not_a_signature() -> None:
    text = ("关于做好2025年度城乡居民医保参保缴费工作的通知\n各镇人民政府：\n" + BODY +
            "\n来源：长沙县人民政府 2024-09-12\n")
    assert _doc(text).issuers == []


def test_number_cited_in_a_flattened_opening_is_not_the_own_number() -> None:
    text = "为做好2024年度城乡居民医保参保工作，按照晋医保发〔2022〕11号文件要求，现将有关事项通知如下。" * 3
    facts = [_docno(text, "晋医保发〔2022〕11号", "晋医保发〔2022〕11号")]
    doc = _doc(text, facts=facts)
    assert doc.doc_number is None
    assert doc.cites == ["晋医保发〔2022〕11号"]


def test_docstring_example_and_small_api() -> None:
    import doctest

    import extractors.metadata as M

    assert doctest.testmod(M).failed == 0
    assert M.__all__ == ["parsed_to_document"]


@pytest.mark.parametrize("issuer,mention,expanded", [
    ("县医疗保障局", "根据临汾市要求，汾西县全县要做好工作，汾西县医保局督导。", "汾西县医疗保障局"),
    ("市医疗保障局", "阳泉市全市要做好工作，本市居民在阳泉市参保。", "阳泉市医疗保障局"),
    ("市场监督管理局", "阳泉市全市要做好工作，本市居民在阳泉市参保。", "市场监督管理局"),
])
def test_issuer_named_by_level_is_completed(issuer: str, mention: str, expanded: str) -> None:
    text = f"{issuer}关于做好2024年度城乡居民医保参保工作的通知\n各有关单位：\n{mention}\n"
    assert _doc(text).issuers == [expanded]


@pytest.mark.parametrize("issuer,code", [
    ("福州市鼓楼区医疗保障局", "350102"),
    ("南京市鼓楼区医疗保障局", "320106"),
    ("徐州市鼓楼区医疗保障局", "320302"),
])
def test_ambiguous_district_qualified_inside_the_issuer_name(issuer: str, code: str) -> None:
    text = f"{issuer}关于做好2024年度城乡居民医保参保工作的通知\n各街道：\n{BODY}\n{issuer}\n2023年9月1日\n"
    assert _doc(text).region.code == code


def test_shortened_meta_title_gives_way_to_the_full_one() -> None:
    text = ("厦门市医疗保障局关于公布2024年度城乡居民基本医疗保险筹资标准的通知\n各区医疗保障局：\n" + BODY)
    doc = _doc(text, meta={"标题": "厦门市医疗保障局关于公布2024年度城乡居民基本医疗..."}, fmt="html")
    assert doc.title == "厦门市医疗保障局关于公布2024年度城乡居民基本医疗保险筹资标准的通知"


def test_campaign_year_in_title_vs_insurance_year_in_text() -> None:
    text = ("关于做好2024年城乡居民医保集中参保缴费工作的通知\n各县（区）医疗保障局：\n"
            "2025年度居民医保集中参保期为2024年9月1日至12月31日。2025年度个人缴费标准为每人每年400元。\n")
    assert _doc(text).policy_year == 2025


def test_heading_with_issuers_beats_a_shorter_meta_title() -> None:
    text = ("吉林省医疗保障局 吉林省财政厅关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n"
            "各市（州）医疗保障局：\n" + BODY)
    doc = _doc(text, meta={"标题": "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"}, fmt="html")
    assert doc.title == "吉林省医疗保障局 吉林省财政厅关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"
    assert doc.issuers == ["吉林省医疗保障局", "吉林省财政厅"]


def test_meta_rows_never_glue_onto_the_title() -> None:
    # a gov-site table row without a title key must not lend its last cell (有效) to the title
    text = ("索引号: | 430121000/2024-01562 | 发布机构: | 长沙县医疗保障局\n"
            "主题分类: | 卫生、体育\\医疗保障 | 有效性: | 有效\n"
            "长沙县医疗保障局 国家税务总局长沙县税务局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n"
            "各镇人民政府、街道办事处：\n" + BODY + "\n长沙县医疗保障局\n国家税务总局\n长沙县税务局\n2024年9月12日\n")
    doc = _doc(text)
    assert doc.title == "长沙县医疗保障局 国家税务总局长沙县税务局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知"
    assert doc.issuers == ["长沙县医疗保障局", "国家税务总局长沙县税务局"]
    assert doc.region.code == "430121"


def test_question_and_answer_title() -> None:
    text = ("钦北区2025年度城乡居民基本医疗保险参保缴费政策问答\n\n来源:钦州市钦北区医疗保障局  发布时间:2024-09-26\n\n"
            "为帮助广大群众了解2025年度城乡居民基本医疗保险参保缴费政策，整理了若干问题。\n问一：缴费标准是多少？\n")
    doc = _doc(text)
    assert doc.title == "钦北区2025年度城乡居民基本医疗保险参保缴费政策问答"
    assert doc.region.code == "450703"


def test_unnormalised_text_is_still_read() -> None:
    # a Normalised that skipped the normaliser's steps (identity map): pinyin glue, `?` runs
    # and traditional characters are handled here too
    from extractors.normalise import Normalised

    text = ("汾西縣人民政府辦公室關(guān)于開展2023年度城鄉(xiāng)居民基本醫(yī)療保險費(fèi)征繳工作的通知\n"
            "各鄉(xiāng)鎮(zhèn)人民政府：\n為做好2023年度征繳工作，現(xiàn)通知如下。\n"
            "汾西縣人民政府辦公室 ?????\n2022年11月15日\n")
    norm = Normalised(original=text, text=text, offsets=list(range(len(text) + 1)))
    parsed = ParsedDocument(source="t.txt", sha256="0" * 64, format="txt", text=text)
    doc = parsed_to_document(parsed, norm, [])
    assert doc.title == "汾西县人民政府办公室关于开展2023年度城乡居民基本医疗保险费征缴工作的通知"
    assert doc.issuers == ["汾西县人民政府办公室"]
    assert doc.region.code == "141034"
    assert doc.published == "2022-11-15"
    assert doc.script == "traditional"


def test_signature_date_not_the_imprint_date() -> None:
    text = ("遵义市人民政府办公室\n关于做好2024年度城乡居民基本医疗保险\n参保缴费工作的通知\n"
            "各县（市、区）人民政府：\n" + BODY + "\n遵义市人民政府办公室（印）\n2023年9月1日\n（此件公开发布）\n\n"
            "抄送：市委各部门，市人大常委会办公室。\n遵义市人民政府办公室          2023年9月2日印发\n")
    doc = _doc(text)
    assert doc.published == "2023-09-01"
    assert doc.issuers == ["遵义市人民政府办公室"]
    assert doc.title == "遵义市人民政府办公室关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"


@pytest.mark.parametrize("value,published", [
    ("2024-09-12", "2024-09-12"), ("2024年09月12日", "2024-09-12"), ("20240912", "2024-09-12"),
    ("2024/9/12 10:31", "2024-09-12"), ("２０２４年９月１２日", "2024-09-12"), ("二〇二四年九月十二日", "2024-09-12"),
    ("2024-02-30", None), ("暂无", None),
])
def test_meta_date_forms(value: str, published: str | None) -> None:
    doc = _doc("各有关单位：\n为做好参保缴费工作，现通知如下。\n", meta={"发文日期": value}, fmt="html")
    assert doc.published == published


def test_list_of_other_notices_above_the_heading() -> None:
    text = ("最新文件\n关于做好2023年度城乡居民医保参保工作的通知\n关于印发《医疗救助办法》的通知\n\n"
            "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知\n"
            "各市（州）医疗保障局：\n" + BODY)
    assert _doc(text).title == "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"


@pytest.mark.parametrize("heading", ["四、待遇享受规定", "（二）实施办法", "第三条 管理办法", "2.工作方案"])
def test_section_headings_are_not_titles(heading: str) -> None:
    text = ("为扎实做好我镇2024年度城乡居民基本医疗保险参保扩面工作，结合我镇实际，制定本方案。\n"
            f"{heading}\n（一）上年度已参保并在集中缴费期内续保的连续参保人员，待遇享受不中断。\n")
    assert _doc(text).title is None


def test_own_number_below_a_heading_deep_in_the_page() -> None:
    nav = "首页 > 政务公开 > 政策文件\n" + "".join(f"栏目{i} 新闻{i} 动态{i}\n" for i in range(40))
    text = (nav + "长沙县医疗保障局关于做好2025年度城乡居民医保参保缴费工作的通知\n长县医保发〔2024〕12号\n"
            "各镇人民政府：\n" + BODY)
    facts = [_docno(text, "长县医保发〔2024〕12号", "长县医保发〔2024〕12号")]
    doc = _doc(text, facts=facts, meta={"标题": "长沙县医疗保障局关于做好2025年度城乡居民医保参保缴费工作的通知"},
               fmt="html")
    assert doc.doc_number == "长县医保发〔2024〕12号"
    assert doc.cites == []


@pytest.mark.parametrize("prefix,issuers", [
    ("单位名称 吉林省医疗保障局", ["吉林省医疗保障局"]),
    ("国家税务总局宁夏回族 自治区税务局", ["国家税务总局宁夏回族自治区税务局"]),
    ("吉林省医疗 保障局 吉林省民政厅", ["吉林省医疗保障局", "吉林省民政厅"]),
])
def test_title_prefix_names_wrapped_or_not(prefix: str, issuers: list[str]) -> None:
    text = f"{prefix}关于做好2024年度城乡居民医保参保工作的通知\n各有关单位：\n{BODY}"
    assert _doc(text).issuers == issuers


def test_letter_spaced_pdf_heading() -> None:
    text = ("吉 林 省 医 疗 保 障 局\n关 于 做 好 2024 年 度 城 乡 居 民 医 保 参 保 工 作 的 通 知\n"
            "各市（州）医疗保障局：\n" + BODY)
    doc = _doc(text)
    assert _ws(doc.title) == "吉林省医疗保障局关于做好2024年度城乡居民医保参保工作的通知"
    assert doc.region.code == "220000"


def test_title_after_a_long_flattened_navigation_run() -> None:
    nav = " ".join(f"栏目{i}" for i in range(80))
    text = nav + " 吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知 各市（州）医疗保障局： " + BODY
    assert _doc(text).title == "吉林省医疗保障局关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知"


_PIECES = ["关于", "做好", "的通知", "工作方案", "吉林省", "钦北区", "朝阳区", "医疗保障局", "国家税务总局", "各市（州）",
           "：", "。", "，", "\n", " ", "?", "(fā)", "〔2023〕", "27号", "2023年9月8日", "二〇二三年九月八日", "2024年度",
           "《", "》", "|", "索引号", "标题", "发文日期", "20221225", "年", "月", "日", "0", "9", "發", "關於", "（印）",
           "主办：", "印发", "问答", "四、", "第三条"]


def test_never_fails_on_arbitrary_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
    def check(text: str) -> None:
        doc = _doc(text)
        assert doc.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", doc.published)
        assert doc.region.code is None or re.fullmatch(r"\d{6}", doc.region.code)
        assert doc.title is None or doc.title.strip()
        assert all(c.endswith("号") and "〔" in c for c in doc.cites)
        assert doc.script in ("simplified", "traditional", "mixed", "unknown")

    check()


@pytest.mark.parametrize("issuer,code", [("阳泉市城区医疗保障局", "140302"), ("阳泉市郊区医疗保障局", "140311"),
                                         ("阳泉市盂县医疗保障局", "140322"), ("阳泉市医疗保障局", "140300")])
def test_two_character_county_after_its_city(issuer: str, code: str) -> None:
    text = f"{issuer}关于做好2024年度城乡居民医保参保工作的通知\n各乡镇：\n{BODY}\n{issuer}\n2023年9月1日\n"
    assert _doc(text).region.code == code
