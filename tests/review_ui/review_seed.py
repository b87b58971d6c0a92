"""Seed data for the review UI tests, stored through rulestore's Python API."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from extractors.contract import Evidence, Extraction, Fact, NoticeDocument, Region, Rule
from rulestore import ingest_extraction, open_db
from rulestore.accounts import add_user, create_token

ROOT = Path(__file__).resolve().parents[2]
JILIN = ROOT / "corpus" / "seeds" / "004_dc74051e39256895.txt"
PASSWORD = "correct horse battery"
REGIONS = {
    "220000": Region(province="吉林省", code="220000"),
    "450703": Region(province="广西壮族自治区", city="钦州市", county="钦北区", code="450703"),
    "141034": Region(province="山西省", city="临汾市", county="汾西县", code="141034"),
    "350582": Region(province="福建省", city="泉州市", county="晋江市", code="350582"),
}
# a notice built to attack the page: markup, a javascript: link, bidi overrides, zero-width
EVIL_TEXT = (
    "关于2025年度居民医保缴费的通知<script>document.title='PWNED';window.__pwned=1</script>"
    " 详见<a href=\"javascript:alert(1)\">javascript:alert(1)</a>。"
    "个人缴费标准为每人每年\u202e元083\u202c,即400元。零宽\u200b字符\u200d在此。"
    "<img src=x onerror=\"window.__pwned=2\">结束。"
)


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def extraction(source: str, text: str, rules: list[dict[str, Any]], *, region: str = "220000",
               title: str | None = None, facts: list[tuple[str, str, dict[str, Any]]] = ()
               ) -> tuple[Extraction, str]:
    """(An Extraction whose evidence offsets are computed from `quote` substrings of `text`, text)."""
    built = []
    for r in rules:
        start, end = _span(text, r["quote"])
        built.append(Rule(kind=r["kind"], policy_year=r.get("year", 2024), region=REGIONS[r.get("region", region)],
                          params=r["params"], conditions=r.get("conditions", {}),
                          evidence=Evidence(quote=r["quote"], start=start, end=end),
                          confidence=r.get("confidence", 0.95), flags=r.get("flags", [])))
    fact_models = []
    for ftype, ftext, value in facts:
        start, end = _span(text, ftext)
        fact_models.append(Fact(type=ftype, text=ftext, start=start, end=end, value=value))
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = NoticeDocument(source=source, sha256=sha, title=title, region=REGIONS[region], policy_year=2024,
                         script="simplified", format="txt", extractor_version="test")
    return Extraction(document=doc, facts=fact_models, rules=built), text


def jilin_extraction() -> tuple[Extraction, str]:
    text = JILIN.read_text(encoding="utf-8")
    return extraction(
        "corpus/seeds/004_dc74051e39256895.txt", text,
        [
            {"kind": "personal_contribution", "year": 2024, "quote": "每人每年380元",
             "params": {"amount": "380", "currency": "CNY", "per": "person_year"},
             "conditions": {"scheme": "basic_medical", "population": "all"}, "confidence": 0.96},
            {"kind": "fiscal_subsidy", "year": 2023, "quote": "每人每年不低于640元",
             "params": {"amount": "640", "currency": "CNY", "per": "person_year", "bound": "min"},
             "confidence": 0.9, "flags": ["year_inferred"]},
            {"kind": "personal_contribution", "year": 2024, "quote": "仍为每人每年10元",
             "params": {"amount": "10", "currency": "CNY", "per": "person_year"},
             "conditions": {"scheme": "long_term_care", "population": "all"}, "confidence": 0.6},
        ],
        title="吉林省医疗保障局等关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知",
        facts=[("MONEY", "380元", {"amount": "380", "currency": "CNY"}),
               ("MONEY", "640元", {"amount": "640", "currency": "CNY"}),
               ("DOC_NO", "吉医保联[2023]27号", {"canonical": "吉医保联〔2023〕27号", "issuer_code": "吉医保联",
                                                "year": 2023, "number": 27})])


def evil_extraction() -> tuple[Extraction, str]:
    return extraction("https://evil.example/notice.html", EVIL_TEXT,
                      [{"kind": "personal_contribution", "year": 2025, "region": "450703",
                        "quote": "即400元", "params": {"amount": "400<script>x</script>", "currency": "CNY",
                                                       "per": "person_year"},
                        "conditions": {"scheme": "basic_medical", "population": "<b>all</b>"}, "confidence": 0.5}],
                      region="450703", title="<script>alert('title')</script>通知\u202e")


def corroborating_extraction() -> tuple[Extraction, str]:
    """A second notice stating Jilin's 380 yuan (corroborates) and 390 for 2024 elsewhere."""
    text = "转发:吉林省2024年度居民医保个人缴费标准为每人每年380元。"
    return extraction("https://example.gov.cn/repost.html", text,
                      [{"kind": "personal_contribution", "year": 2024, "quote": "每人每年380元",
                        "params": {"amount": "380", "currency": "CNY", "per": "person_year"},
                        "conditions": {"scheme": "basic_medical", "population": "all"}, "confidence": 0.93}],
                      title="转发吉林省居民医保缴费通知")


def conflicting_extraction() -> tuple[Extraction, str]:
    text = "另据通知:吉林省2024年度个人缴费标准为每人每年390元。"
    return extraction("https://example.gov.cn/other.html", text,
                      [{"kind": "personal_contribution", "year": 2024, "quote": "每人每年390元",
                        "params": {"amount": "390", "currency": "CNY", "per": "person_year"},
                        "conditions": {"scheme": "basic_medical", "population": "all"}, "confidence": 0.8}],
                      title="另一通知")


def many_extractions(n: int, *, first_year: int = 1990) -> list[tuple[Extraction, str]]:
    """`n` notices with one distinct proposed rule each (distinct policy years and regions)."""
    out = []
    codes = list(REGIONS)
    for i in range(n):
        year = first_year + i // len(codes)
        code = codes[i % len(codes)]
        amount = str(100 + i)
        text = f"第{i}号通知:{year}年度居民医保个人缴费标准为每人每年{amount}元。"
        out.append(extraction(f"gen/{i}.txt", text,
                              [{"kind": "personal_contribution", "year": year, "region": code,
                                "quote": f"每人每年{amount}元",
                                "params": {"amount": amount, "currency": "CNY", "per": "person_year"},
                                "conditions": {"scheme": "basic_medical", "population": "all"},
                                "confidence": 0.99}],
                              region=code, title=f"生成通知 {i}"))
    return out


def seed(path: str | Path, *, extra: int = 0) -> dict[str, str]:
    """A store with users alice (reviewer), root (admin), a read token and the notices above."""
    db = open_db(path)
    try:
        add_user(db, "alice", PASSWORD, role="reviewer")
        add_user(db, "root", PASSWORD, role="admin")
        add_user(db, "bob", PASSWORD, role="reviewer")
        token = create_token(db, "tests", scopes=["rules:read", "changes:read"])
        for ex, text in [jilin_extraction(), evil_extraction(), corroborating_extraction(),
                         conflicting_extraction(), *many_extractions(extra)]:
            ingest_extraction(db, ex, text=text)
    finally:
        db.conn.close()
    return {"token": token}
