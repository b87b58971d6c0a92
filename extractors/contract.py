"""The pydantic models of the extraction contract (../shared/spec/contract.md).

This module is pure data: no spaCy, no I/O. extractors builds these models, ingest
prints them, rulestore stores them and review_ui shows them, so it is the one place
their field names live. Names here are the contract: add fields, never rename one.

    >>> Fact(type="MONEY", text="380元", start=0, end=4,
    ...      value={"amount": "380", "currency": "CNY"}).value["amount"]
    '380'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "CONTRACT_VERSION",
    "Evidence",
    "Extraction",
    "Fact",
    "FactType",
    "Flag",
    "NoticeDocument",
    "ParsedDocument",
    "Region",
    "Rule",
    "RuleKind",
    "TableBlock",
    "PageSpan",
]

CONTRACT_VERSION = "1"


class Flag(StrEnum):
    """Every flag a fact, rule or document may carry; each is documented in the README."""

    # from the contract
    year_inferred = "year_inferred"  # the year was taken from context
    repaired = "repaired"  # a garbled value was restored by a documented rule
    invalid_date = "invalid_date"  # a calendar-impossible date (2月31日)
    corrupt = "corrupt"  # digits that cannot be a real value (2065438年)
    incomplete = "incomplete"  # e.g. a document number without its year
    conflict = "conflict"  # two sources disagree
    mojibake = "mojibake"  # the surrounding text is garbled
    # added by noticerules
    needs_ocr = "needs_ocr"  # a PDF page (or whole PDF) without a text layer
    not_relevant = "not_relevant"  # the notice is not about resident medical insurance
    truncated = "truncated"  # the input ended early (truncated PDF, size limit)
    encoding_guessed = "encoding_guessed"  # no declared charset; detection chose one
    charset_mismatch = "charset_mismatch"  # the declared charset was wrong
    repost_wrapper = "repost_wrapper"  # the page is a repost; its wrapper title was ignored
    window_reversed = "window_reversed"  # a window that ends before it starts
    before_publication = "before_publication"  # an effective date before the notice was published
    percent_over_100 = "percent_over_100"
    amount_out_of_range = "amount_out_of_range"  # outside the national range for its year
    low_confidence = "low_confidence"


class FactType(StrEnum):
    DATE = "DATE"
    DATE_RANGE = "DATE_RANGE"
    DURATION = "DURATION"
    MONEY = "MONEY"
    PERCENT = "PERCENT"
    DOC_NO = "DOC_NO"


class RuleKind(StrEnum):
    personal_contribution = "personal_contribution"
    fiscal_subsidy = "fiscal_subsidy"
    enrollment_period = "enrollment_period"
    benefit_period = "benefit_period"
    waiting_period = "waiting_period"
    assistance = "assistance"
    newborn_enrollment = "newborn_enrollment"
    benefit_start = "benefit_start"
    coverage_target = "coverage_target"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Region(_Model):
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = Field(default=None, pattern=r"^\d{6}$")


class Fact(_Model):
    """A typed value found in the text; ``text == document_text[start:end]``."""

    type: FactType
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    value: dict[str, Any] | None = None  # None when the value cannot be trusted
    flags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _span(self) -> "Fact":
        if self.end < self.start:
            raise ValueError(f"fact end {self.end} before start {self.start}")
        return self


class Evidence(_Model):
    """The exact source span a rule was read from (offsets into the document text)."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    # set by the store / ingest when known: which document the span is in
    source: str | None = None
    sha256: str | None = None


class Rule(_Model):
    kind: RuleKind
    policy_year: int | None
    region: Region = Field(default_factory=Region)
    params: dict[str, Any] = Field(default_factory=dict)
    conditions: dict[str, Any] = Field(default_factory=dict)
    evidence: Evidence
    # further spans in the same notice stating the same rule (the contract's `evidence`
    # stays one object in extract output; the store keeps them all)
    also_evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    flags: list[str] = Field(default_factory=list)


class NoticeDocument(_Model):
    """The `document` object of the contract."""

    source: str
    sha256: str
    title: str | None = None
    doc_number: str | None = None
    published: str | None = None  # YYYY-MM-DD
    issuers: list[str] = Field(default_factory=list)
    region: Region = Field(default_factory=Region)
    policy_year: int | None = None
    script: Literal["simplified", "traditional", "mixed", "unknown"] = "unknown"
    cites: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    # additions
    format: str | None = None  # txt / html / pdf / docx
    encoding: str | None = None
    extractor_version: str | None = None
    chars: int | None = None


class Extraction(_Model):
    """One line of `noticerules extract --format jsonl`."""

    document: NoticeDocument
    facts: list[Fact] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


class PageSpan(_Model):
    """Where one PDF page's text sits in ParsedDocument.text."""

    page: int  # 1-based
    start: int
    end: int


class TableBlock(_Model):
    """A table found in the source, as rows of cell strings, with its place in the text."""

    rows: list[list[str | None]]
    page: int | None = None
    start: int | None = None
    end: int | None = None


class ParsedDocument(_Model):
    """What ingest hands to extractors: the text offsets refer to, plus what the
    layout said about it (a gov-site metadata table, the page title, pages, tables).
    """

    source: str
    sha256: str
    format: Literal["txt", "html", "pdf", "docx"]
    text: str
    encoding: str | None = None  # e.g. "gb18030 (meta)", "utf-8 (bom)"
    title_hint: str | None = None  # <title> / <h1> / first heading, unnormalised
    meta: dict[str, str] = Field(default_factory=dict)  # 索引号/发布机构/发文日期/文号/标题 …
    pages: list[PageSpan] = Field(default_factory=list)
    tables: list[TableBlock] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
