"""Store-side pydantic models: what the store's Python API, CLI and HTTP API return.

A :class:`StoredRule` is one rule version as the contract prints a rule, plus ``id``,
``version``, ``status`` and ``evidence`` as a list (one entry per document span).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extractors.contract import Region

__all__ = [
    "CalcResult",
    "Capture",
    "Change",
    "IngestResult",
    "ReviewEvent",
    "RuleHistory",
    "Status",
    "StoredEvidence",
    "StoredRule",
    "TokenInfo",
    "User",
]

Status = Literal["proposed", "approved", "rejected", "superseded"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Capture(_Model):
    """Raw bytes as fetched or read, with where and when they came from."""

    content: bytes
    source: str
    fetched_at: str | None = None  # ISO datetime; now when None
    content_type: str | None = None
    status: int | None = None
    headers: dict[str, str] = Field(default_factory=dict)


class StoredEvidence(_Model):
    quote: str
    start: int
    end: int
    source: str | None = None
    sha256: str | None = None
    document_id: int | None = None
    doc_number: str | None = None
    title: str | None = None
    published: str | None = None


class StoredRule(_Model):
    """One rule version; ``id`` names the rule (its key), ``version`` counts from 1."""

    id: str
    version: int
    version_id: int
    status: Status
    kind: str
    policy_year: int | None
    region: Region
    params: dict[str, Any]
    conditions: dict[str, Any]
    evidence: list[StoredEvidence]
    corroboration: int  # distinct documents (captures) stating this value
    confidence: float | None = None
    flags: list[str] = Field(default_factory=list)
    revision: int  # the rule's revision when read: pass it back as seen_revision
    valid_from: str | None = None
    valid_to: str | None = None
    # record time: the version's latest published interval (every interval is kept in the
    # append-only table publications); in an as-of answer, the interval that covered as_of
    recorded_from: str | None = None
    recorded_to: str | None = None
    origin: Literal["extracted", "correction"] = "extracted"
    based_on_version: int | None = None
    created_at: str
    created_by: str | None = None
    approvals: list[str] = Field(default_factory=list)
    extractor_version: str | None = None
    # set by queries with region inheritance: where this answer came from
    from_region: str | None = None
    from_level: str | None = None


class ReviewEvent(_Model):
    id: int
    rule_id: str
    version: int | None
    action: str
    actor: str
    at: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    comment: str | None = None


class RuleHistory(_Model):
    """A rule with all its versions (newest first) and its review events (oldest first)."""

    id: str
    key: str
    kind: str
    region_code: str
    policy_year: int | None
    signature: dict[str, Any]
    revision: int
    versions: list[StoredRule]
    events: list[ReviewEvent]


class Change(_Model):
    seq: int
    at: str
    rule_id: str
    version: int
    action: str
    status: str


class IngestResult(_Model):
    """What storing one extraction did."""

    source: str
    sha256: str
    document_id: int | None
    skipped: bool = False  # the same bytes (and extractor version) were already stored
    source_version: int | None = None
    facts: int = 0
    rules_new: int = 0  # new rule keys
    versions_new: int = 0  # new versions (new keys + conflicts)
    corroborated: int = 0  # evidence added to an existing version
    conflicts: int = 0
    rule_ids: list[str] = Field(default_factory=list)


class User(_Model):
    name: str
    role: Literal["reviewer", "admin"]
    created_at: str
    disabled: bool = False


class TokenInfo(_Model):
    id: int
    name: str
    scopes: list[str]
    created_by: str | None
    created_at: str
    revoked_at: str | None = None


class CalcResult(_Model):
    """A reference calculation from approved rules only, with the rule versions it used."""

    region: str
    policy_year: int
    group: str | None
    paid_on: str
    born: str | None
    contribution: str | None  # the standard personal amount (yuan, decimal string)
    assistance: dict[str, Any] | None  # mode, amount/percent, the group it matched
    amount_due: str | None
    benefit_start: str | None
    benefit_end: str | None
    reasons: list[str]  # one line per step, in order
    used: list[dict[str, Any]]  # {id, version, kind, from_region}
