"""Hand-built extractions for rulestore tests (the extractor is not needed to test the store)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from extractors.contract import Evidence, Extraction, NoticeDocument, Region, Rule
from rulestore.models import Capture

JILIN = {"province": "吉林省", "city": None, "county": None, "code": "220000"}
QINBEI = {"province": "广西壮族自治区", "city": "钦州市", "county": "钦北区", "code": "450703"}
GUANGXI = {"province": "广西壮族自治区", "city": None, "county": None, "code": "450000"}


def make_rule(kind: str, params: dict[str, Any], *, year: int = 2024, region: dict[str, Any] | None = None,
              conditions: dict[str, Any] | None = None, quote: str = "个人缴费标准为每人每年380元。",
              start: int = 10) -> Rule:
    return Rule(kind=kind, policy_year=year, region=Region(**(JILIN if region is None else region)), params=params,
                conditions=conditions or {}, evidence=Evidence(quote=quote, start=start, end=start + len(quote)),
                confidence=0.9)


def make_extraction(text: str, rules: list[Rule], *, source: str = "notice.txt", region: dict[str, Any] | None = None,
                    year: int = 2024, doc_number: str | None = "吉医保联〔2023〕27号") -> tuple[Extraction, Capture]:
    raw = text.encode()
    sha = hashlib.sha256(raw).hexdigest()
    doc = NoticeDocument(source=source, sha256=sha, title="关于做好城乡居民基本医疗保险参保缴费工作的通知",
                         doc_number=doc_number, published="2023-09-08", region=Region(**(JILIN if region is None else region)),
                         policy_year=year, extractor_version="test-1", format="txt")
    return Extraction(document=doc, rules=rules), Capture(content=raw, source=source, content_type="text/plain")


def contribution(amount: str, **kw: Any) -> Rule:
    return make_rule("personal_contribution", {"amount": amount, "currency": "CNY", "per": "person_year"},
                     conditions={"scheme": "basic_medical", "population": "all"}, **kw)


