"""Store captures, documents, facts and proposed rule versions with their evidence.

    >>> from rulestore.store import open_db, ingest_extraction
    >>> db = open_db("noticerules.db")                       # doctest: +SKIP
    >>> ingest_extraction(db, extraction, capture=capture, text=parsed.text)   # doctest: +SKIP

Rule identity: a rule key is kind + region code + policy_year + the canonical signature of
the conditions that tell sibling rules apart (:data:`DISTINGUISHING`). Within a key, versions
are told apart by their value (params and value conditions): the same value from another
document adds evidence to the existing version (corroboration; a rejected value stays
rejected); a different value becomes a new proposed version flagged ``conflict`` (so does a
superseded value stated by another document; read again from the span it was first read from,
it is left alone). Nothing is overwritten, and storing the same bytes with the same extractor
version again is a no-op. Record time (when a version was published) is appended to table
``publications`` by :mod:`rulestore.review` and :mod:`rulestore.undo`, never rewritten.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlite_utils

from extractors.contract import Extraction, Region, Rule

from .db import now_iso, open_db, transaction
from .errors import InvalidValue, NotFound
from .models import Capture, IngestResult, StoredEvidence, StoredRule
from .regions import NATIONAL_CODE

__all__ = [
    "DISTINGUISHING",
    "capture_to_store",
    "get_document",
    "get_version",
    "ingest_extraction",
    "list_rules",
    "open_db",
    "rule_to_key",
]

# Conditions that tell sibling rules of one kind apart (a sibling is another rule, not another
# version). Other conditions are part of the value. Word lists that only describe a group
# (waiting_period applies_to/exempt) are neither: notices word them differently for the same rule.
DISTINGUISHING: dict[str, tuple[str, ...]] = {
    "personal_contribution": ("scheme", "population"),
    "fiscal_subsidy": ("scheme",),
    "enrollment_period": ("phase",),
    "benefit_period": (),
    "waiting_period": (),
    "assistance": ("groups",),
    "newborn_enrollment": (),
    "benefit_start": ("enrollee", "window"),
    "coverage_target": ("groups",),
}
_DEFAULT_DISTINGUISHING = ("scheme", "population", "groups", "phase", "enrollee")
_DESCRIPTIVE = {"applies_to", "exempt"}
# what an absent condition means, so "no population" and "population: all" are one key
_CONDITION_DEFAULTS = {"scheme": "basic_medical", "population": "all"}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _canonical_condition(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return sorted({str(v).strip() for v in value})
    if isinstance(value, str):
        return value.strip()
    return value


def _signature(kind: str, conditions: dict[str, Any]) -> dict[str, Any]:
    names = DISTINGUISHING.get(kind, _DEFAULT_DISTINGUISHING)
    sig: dict[str, Any] = {}
    for name in names:
        if name == "window":  # benefit_start: paid inside a stated window or not
            sig["window"] = bool(conditions.get("paid_between"))
            continue
        value = conditions.get(name, _CONDITION_DEFAULTS.get(name) if kind == "personal_contribution" else None)
        if value is not None:
            sig[name] = _canonical_condition(name, value)
    return sig


def _value_hash(params: dict[str, Any], conditions: dict[str, Any]) -> str:
    value_conditions = {k: _canonical_condition(k, v) for k, v in conditions.items() if k not in _DESCRIPTIVE}
    return hashlib.sha256(_dumps({"params": params, "conditions": value_conditions}).encode()).hexdigest()[:16]


def rule_to_key(rule: Rule | dict[str, Any], region_code: str | None = None) -> tuple[str, str, dict[str, Any]]:
    """``(rule_id, key, signature)`` for a rule; the id is the first 12 hex of sha256(key)."""
    data = rule.model_dump(mode="json") if isinstance(rule, Rule) else rule
    kind = str(data["kind"])
    code = region_code or (data.get("region") or {}).get("code") or NATIONAL_CODE
    sig = _signature(kind, data.get("conditions") or {})
    key = f"{kind}|{code}|{data.get('policy_year')}|{_dumps(sig)}"
    return hashlib.sha256(key.encode()).hexdigest()[:12], key, sig


def capture_to_store(db: sqlite_utils.Database, capture: Capture) -> tuple[str, bool]:
    """Store raw bytes (once per sha256) and log the fetch; return ``(sha256, is_new_content)``.

    ``is_new_content`` is False when these bytes were stored before (from any source).
    """
    with transaction(db):
        return _capture_in_tx(db, capture)


def _capture_in_tx(db: sqlite_utils.Database, capture: Capture) -> tuple[str, bool]:
    sha = hashlib.sha256(capture.content).hexdigest()
    at = capture.fetched_at or now_iso()
    new = db.execute("SELECT 1 FROM captures WHERE sha256 = ?", [sha]).fetchone() is None
    if new:
        db.execute(
            "INSERT INTO captures (sha256, size, content, content_type, first_source, first_fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [sha, len(capture.content), capture.content, capture.content_type, capture.source, at],
        )
    db.execute(
        "INSERT INTO fetches (source, sha256, fetched_at, status, headers) VALUES (?, ?, ?, ?, ?)",
        [capture.source, sha, at, capture.status, _dumps(capture.headers)],
    )
    return sha, new


def _region_code(rule_region: Region, doc_region: Region) -> tuple[str, dict[str, Any]]:
    if rule_region.code:
        return rule_region.code, rule_region.model_dump()
    if doc_region.code:
        return doc_region.code, doc_region.model_dump()
    return NATIONAL_CODE, rule_region.model_dump()


def _valid_time(rule: Rule) -> tuple[str | None, str | None]:
    if rule.policy_year is None:
        return None, None
    return f"{rule.policy_year}-01-01", f"{rule.policy_year}-12-31"


def _event(db: sqlite_utils.Database, rule_id: str, version_id: int | None, action: str, actor: str, at: str,
           before: Any = None, after: Any = None, comment: str | None = None) -> None:
    db.execute(
        "INSERT INTO review_events (rule_id, version_id, action, actor, at, before, after, comment) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [rule_id, version_id, action, actor, at, None if before is None else _dumps(before),
         None if after is None else _dumps(after), comment],
    )


def _change(db: sqlite_utils.Database, rule_id: str, version_id: int, version: int, action: str, status: str,
            at: str) -> None:
    db.execute(
        "INSERT INTO changes (at, rule_id, version_id, version, action, status) VALUES (?, ?, ?, ?, ?, ?)",
        [at, rule_id, version_id, version, action, status],
    )
    db.execute("UPDATE rules SET revision = revision + 1, updated_at = ? WHERE id = ?", [at, rule_id])


def _publish(db: sqlite_utils.Database, version_id: int, at: str) -> None:
    """Open a new record-time interval for a version (approved, or put back by an undo).

    Intervals are appended, never rewritten: a version published again keeps its earlier ones.
    """
    db.execute("INSERT INTO publications (version_id, recorded_from) VALUES (?, ?)", [version_id, at])


def _unpublish(db: sqlite_utils.Database, version_id: int, at: str) -> bool:
    """Close a version's open interval at ``at`` (superseded, withdrawn, undone); False if none was open."""
    # MAX(): a clock stepping back must not make an interval end before it began
    cur = db.execute("UPDATE publications SET recorded_to = MAX(?, recorded_from) "
                     "WHERE version_id = ? AND recorded_to IS NULL", [at, version_id])
    return cur.rowcount > 0


def _add_evidence(db: sqlite_utils.Database, version_id: int, document_id: int | None, sha: str | None,
                  source: str | None, quote: str, start: int, end: int, at: str) -> bool:
    cur = db.execute(
        'INSERT OR IGNORE INTO evidence (version_id, document_id, sha256, source, quote, start, "end", created_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [version_id, document_id, sha, source, quote, start, end, at],
    )
    return cur.rowcount > 0


def _insert_version(db: sqlite_utils.Database, *, rule_id: str, kind: str, region_code: str, policy_year: int | None,
                    region: dict[str, Any], params: dict[str, Any], conditions: dict[str, Any],
                    valid_from: str | None, valid_to: str | None, status: str, confidence: float | None,
                    flags: list[str], origin: str, based_on: int | None, extractor_version: str | None,
                    at: str, created_by: str | None) -> tuple[int, int]:
    (latest,) = db.execute("SELECT COALESCE(MAX(version), 0) FROM rule_versions WHERE rule_id = ?", [rule_id]).fetchone()
    version = latest + 1
    cur = db.execute(
        "INSERT INTO rule_versions (rule_id, version, kind, region_code, policy_year, region, params, conditions, "
        "value_hash, valid_from, valid_to, status, confidence, flags, origin, based_on, extractor_version, "
        "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rule_id, version, kind, region_code, policy_year, _dumps(region), _dumps(params), _dumps(conditions),
         _value_hash(params, conditions), valid_from, valid_to, status, confidence, _dumps(sorted(set(flags))),
         origin, based_on, extractor_version, at, created_by],
    )
    return int(cur.lastrowid or 0), version


def ingest_extraction(db: sqlite_utils.Database, extraction: Extraction, *, capture: Capture | None = None,
                      text: str | None = None, normalised_text: str | None = None,
                      actor: str = "ingest") -> IngestResult:
    """Store one extraction (document, facts, rules as proposed versions) in ONE transaction.

    ``capture`` is the raw bytes the document was parsed from (stored content-addressed);
    without it the document's sha256 must already be a stored capture or the document is
    stored against a capture holding its text. ``text`` is the text offsets refer to;
    ``normalised_text`` the extractor's normalised form of it (shown beside it in the review
    UI; the caller computes it, since rulestore does not import the normaliser).
    """
    doc = extraction.document
    extractor_version = doc.extractor_version or "unknown"
    at = now_iso()
    sha = hashlib.sha256(capture.content).hexdigest() if capture is not None else doc.sha256
    with transaction(db):
        existing = db.execute("SELECT id, source_version FROM documents WHERE sha256 = ? AND extractor_version = ?",
                              [sha, extractor_version]).fetchone()
        if existing is not None:  # the same bytes through the same extractor: nothing to do, nothing written
            return IngestResult(source=doc.source, sha256=sha, document_id=existing[0], skipped=True,
                                source_version=existing[1])
        if capture is not None:
            _capture_in_tx(db, capture)
        else:
            if db.execute("SELECT 1 FROM captures WHERE sha256 = ?", [sha]).fetchone() is None:
                raw = (text or "").encode()
                db.execute(
                    "INSERT INTO captures (sha256, size, content, content_type, first_source, first_fetched_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [sha, len(raw), raw, "text/plain; charset=utf-8", doc.source, at],
                )
        row = db.execute("SELECT source_version FROM documents WHERE source = ? AND sha256 = ?",
                         [doc.source, sha]).fetchone()
        if row is not None:
            source_version = row[0]  # same bytes, newer extractor: same content version
        else:
            (source_version,) = db.execute(
                "SELECT COUNT(DISTINCT sha256) + 1 FROM documents WHERE source = ?", [doc.source]).fetchone()
        cur = db.execute(
            "INSERT INTO documents (source, sha256, source_version, extractor_version, text, title, doc_number, "
            "published, issuers, region_code, region, policy_year, script, cites, flags, format, encoding, meta, "
            "facts_count, rules_count, ingested_at, normalised_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc.source, sha, source_version, extractor_version, text or "", doc.title, doc.doc_number, doc.published,
             _dumps(doc.issuers), doc.region.code, _dumps(doc.region.model_dump()), doc.policy_year, doc.script,
             _dumps(doc.cites), _dumps(doc.flags), doc.format, doc.encoding, _dumps(doc.model_dump(mode="json")),
             len(extraction.facts), len(extraction.rules), at, normalised_text],
        )
        document_id = int(cur.lastrowid or 0)
        result = IngestResult(source=doc.source, sha256=sha, document_id=document_id, source_version=source_version,
                              facts=len(extraction.facts))
        db.conn.executemany(
            'INSERT INTO facts (document_id, type, text, start, "end", value, flags, extractor_version) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [[document_id, str(f.type), f.text, f.start, f.end, None if f.value is None else _dumps(f.value),
              _dumps(f.flags), extractor_version] for f in extraction.facts],
        )
        for rule in extraction.rules:
            _rule_in_tx(db, rule, doc.region, document_id, sha, doc.source, extractor_version, actor, at, result)
        return result


def _rule_in_tx(db: sqlite_utils.Database, rule: Rule, doc_region: Region, document_id: int, sha: str, source: str,
                extractor_version: str | None, actor: str, at: str, result: IngestResult) -> tuple[str, int]:
    """Store one rule stated by a document; return ``(rule_id, version)`` holding its value."""
    code, region = _region_code(rule.region, doc_region)
    data = rule.model_dump(mode="json")
    params, conditions = data["params"], data["conditions"]
    rule_id, key, sig = rule_to_key(data, code)
    spans = [rule.evidence, *rule.also_evidence]
    if db.execute("SELECT 1 FROM rules WHERE id = ?", [rule_id]).fetchone() is None:
        db.execute(
            "INSERT INTO rules (id, key, kind, region_code, policy_year, signature, revision, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [rule_id, key, str(rule.kind), code, rule.policy_year, _dumps(sig), at, at],
        )
        result.rules_new += 1
    if rule_id not in result.rule_ids:
        result.rule_ids.append(rule_id)
    value_hash = _value_hash(params, conditions)
    versions = db.execute("SELECT id, version, status, value_hash FROM rule_versions WHERE rule_id = ? ORDER BY version",
                          [rule_id]).fetchall()
    same = [v for v in versions if v[3] == value_hash and v[2] in ("proposed", "approved", "rejected")]
    if same:
        version_id, version = same[-1][0], same[-1][1]
        added = [_add_evidence(db, version_id, document_id, sha, source, e.quote, e.start, e.end, at) for e in spans]
        if any(added):
            result.corroborated += 1
            _event(db, rule_id, version_id, "corroborate", actor, at, after={"source": source, "sha256": sha})
            _change(db, rule_id, version_id, version, "corroborate", same[-1][2], at)
        return rule_id, version
    # a superseded version with this value, read from this very span before (the same capture
    # extracted again, e.g. by a newer extractor): the reviewer has already moved past it
    for v in versions:
        if v[3] == value_hash and v[2] == "superseded" and any(
                db.execute('SELECT 1 FROM evidence WHERE version_id = ? AND sha256 = ? AND start = ? AND "end" = ?',
                           [v[0], sha, e.start, e.end]).fetchone() for e in spans):
            return rule_id, v[1]
    flags = list(rule.flags)
    live = [v for v in versions if v[2] in ("proposed", "approved")]
    if live:
        flags.append("conflict")
        result.conflicts += 1
    valid_from, valid_to = _valid_time(rule)
    version_id, version = _insert_version(
        db, rule_id=rule_id, kind=str(rule.kind), region_code=code, policy_year=rule.policy_year, region=region,
        params=params, conditions=conditions, valid_from=valid_from, valid_to=valid_to, status="proposed",
        confidence=rule.confidence, flags=flags, origin="extracted", based_on=None,
        extractor_version=extractor_version, at=at, created_by=actor)
    for e in spans:
        _add_evidence(db, version_id, document_id, sha, source, e.quote, e.start, e.end, at)
    result.versions_new += 1
    after = {"status": "proposed", "params": params, "conditions": conditions}
    if live:
        after["conflicts_with"] = [v[1] for v in live]
    _event(db, rule_id, version_id, "propose", actor, at, after=after)
    _change(db, rule_id, version_id, version, "propose", "proposed", at)
    return rule_id, version


# ---- reading ------------------------------------------------------------------------------

_VERSION_COLUMNS = ("v.id, v.rule_id, v.version, v.status, v.kind, v.policy_year, v.region, v.params, v.conditions, "
                    "v.confidence, v.flags, r.revision, v.valid_from, v.valid_to, v.recorded_from, v.recorded_to, "
                    "v.origin, b.version, v.created_at, v.created_by, v.approvals, v.extractor_version, v.region_code")
_VERSION_FROM = "rule_versions v JOIN rules r ON r.id = v.rule_id LEFT JOIN rule_versions b ON b.id = v.based_on"
# as-of reads ("what was approved at T"): join the version's interval covering T (at most one:
# a version's intervals never overlap) and answer with it instead of the latest-interval mirror.
# _AS_OF_JOIN takes two "?": T, T.
_AS_OF_JOIN = (" JOIN publications p ON p.version_id = v.id AND p.recorded_from <= ? "
               "AND (p.recorded_to IS NULL OR p.recorded_to > ?)")
_AS_OF_COLUMNS = _VERSION_COLUMNS.replace("v.recorded_from, v.recorded_to", "p.recorded_from, p.recorded_to")


def _evidence_for(db: sqlite_utils.Database, version_ids: list[int]) -> dict[int, list[StoredEvidence]]:
    out: dict[int, list[StoredEvidence]] = {vid: [] for vid in version_ids}
    # chunks: SQLite's variable limit
    for i in range(0, len(version_ids), 500):
        chunk = version_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f'SELECT e.version_id, e.quote, e.start, e."end", e.source, e.sha256, e.document_id, d.doc_number, '
            f"d.title, d.published FROM evidence e LEFT JOIN documents d ON d.id = e.document_id "
            f"WHERE e.version_id IN ({marks}) ORDER BY e.id", chunk):
            out[row[0]].append(StoredEvidence(quote=row[1], start=row[2], end=row[3], source=row[4], sha256=row[5],
                                              document_id=row[6], doc_number=row[7], title=row[8], published=row[9]))
    return out


def _rows_to_rules(db: sqlite_utils.Database, rows: list[Any]) -> list[StoredRule]:
    evidence = _evidence_for(db, [r[0] for r in rows])
    out = []
    for r in rows:
        ev = evidence[r[0]]
        region = json.loads(r[6] or "{}")
        region.setdefault("code", r[22])
        if not region.get("code"):
            region["code"] = r[22]
        out.append(StoredRule(
            id=r[1], version=r[2], version_id=r[0], status=r[3], kind=r[4], policy_year=r[5],
            region=Region(**region), params=json.loads(r[7]), conditions=json.loads(r[8]), evidence=ev,
            corroboration=len({e.sha256 for e in ev if e.document_id is not None}) or (1 if ev else 0),
            confidence=r[9], flags=json.loads(r[10]), revision=r[11], valid_from=r[12], valid_to=r[13],
            recorded_from=r[14], recorded_to=r[15], origin=r[16], based_on_version=r[17], created_at=r[18],
            created_by=r[19], approvals=json.loads(r[20]), extractor_version=r[21]))
    return out


def get_version(db: sqlite_utils.Database, rule_id: str, version: int | None = None) -> StoredRule:
    """One version of a rule (the newest when ``version`` is None); :class:`NotFound` else."""
    if version is None:
        rows = db.execute(f"SELECT {_VERSION_COLUMNS} FROM {_VERSION_FROM} WHERE v.rule_id = ? "
                          "ORDER BY v.version DESC LIMIT 1", [rule_id]).fetchall()
    else:
        rows = db.execute(f"SELECT {_VERSION_COLUMNS} FROM {_VERSION_FROM} WHERE v.rule_id = ? AND v.version = ?",
                          [rule_id, version]).fetchall()
    if not rows:
        if db.execute("SELECT 1 FROM rules WHERE id = ?", [rule_id]).fetchone() is None:
            raise NotFound("rule", rule_id, "list rules with `noticerules rules list`")
        raise NotFound("version", f"{rule_id}@{version}", "see the rule's versions with `noticerules rules show`")
    return _rows_to_rules(db, rows)[0]


_STATUSES = ("proposed", "approved", "rejected", "superseded")


def list_rules(db: sqlite_utils.Database, *, status: str | None = None, kind: str | None = None,
               region_code: str | None = None, year: int | None = None, rule_id: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[StoredRule]:
    """Rule versions matching every given filter, newest first (by rule, then version)."""
    where, args = [], []
    if status is not None:
        if status not in _STATUSES:
            raise InvalidValue("status", status, " / ".join(_STATUSES))
        where.append("v.status = ?")
        args.append(status)
    if kind is not None:
        from extractors.contract import RuleKind

        if kind not in RuleKind.__members__:
            raise InvalidValue("kind", kind, " / ".join(RuleKind.__members__))
        where.append("v.kind = ?")
        args.append(kind)
    if region_code is not None:
        where.append("v.region_code = ?")
        args.append(region_code)
    if year is not None:
        where.append("v.policy_year = ?")
        args.append(year)
    if rule_id is not None:
        where.append("v.rule_id = ?")
        args.append(rule_id)
    sql = f"SELECT {_VERSION_COLUMNS} FROM {_VERSION_FROM}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY v.region_code, v.policy_year, v.kind, v.rule_id, v.version"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return _rows_to_rules(db, db.execute(sql, args).fetchall())


def get_document(db: sqlite_utils.Database, document_id: int) -> dict[str, Any]:
    """A stored document (text, normalised text, metadata) as a dict; :class:`NotFound` else.

    ``normalised_text`` is None for documents stored before it was kept (migration 0003).
    """
    row = db.execute("SELECT id, source, sha256, source_version, extractor_version, text, meta, ingested_at, "
                     "normalised_text FROM documents WHERE id = ?", [document_id]).fetchone()
    if row is None:
        raise NotFound("document", document_id)
    return {"id": row[0], "source": row[1], "sha256": row[2], "source_version": row[3], "extractor_version": row[4],
            "text": row[5], "normalised_text": row[8], "document": json.loads(row[6]), "ingested_at": row[7]}
