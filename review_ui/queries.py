"""Read-only SQL for the review pages that rulestore's API does not offer (queue, counts, audit).

Nothing here writes. The queue is ordered so that what needs attention comes first:
conflicts, then other flagged rules, then low confidence, then the rest by confidence;
pages are keyset-paged on that order (never OFFSET), so page 2,000 costs what page 1 costs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlite_utils

__all__ = [
    "ATTENTION_SQL",
    "AuditFilters",
    "Page",
    "QueueFilters",
    "document_facts",
    "events_page",
    "queue_counts",
    "queue_neighbours",
    "queue_page",
]

# Sanity flags: a value looked impossible or was rebuilt. year_inferred and repaired are
# separate facet values, conflict ranks highest.
SANITY_FLAGS = ("invalid_date", "corrupt", "incomplete", "window_reversed", "before_publication",
                "percent_over_100", "amount_out_of_range", "mojibake", "low_confidence")
LOW_CONFIDENCE = 0.7  # below this a rule ranks as needing attention (extractors' low_confidence flag uses the same idea)
CONFIDENCE_BUCKETS = {"low": (0.0, 0.7), "medium": (0.7, 0.9), "high": (0.9, 1.01)}

# attention: 4 conflict + 2 any flag + 1 low confidence; the sort is (attention desc, confidence asc, id)
ATTENTION_SQL = ("((CASE WHEN instr(v.flags, '\"conflict\"') > 0 THEN 4 ELSE 0 END) + "
                 "(CASE WHEN v.flags != '[]' THEN 2 ELSE 0 END) + "
                 f"(CASE WHEN coalesce(v.confidence, 0) < {LOW_CONFIDENCE} THEN 1 ELSE 0 END))")
_SORT = f"-{ATTENTION_SQL}, coalesce(v.confidence, 0), v.id"
_SORT_DESC = f"-{ATTENTION_SQL} DESC, coalesce(v.confidence, 0) DESC, v.id DESC"
_CORROBORATION_SQL = ("(SELECT count(DISTINCT e.sha256) FROM evidence e WHERE e.version_id = v.id "
                      "AND e.document_id IS NOT NULL)")


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; every field None means "any". `status` defaults to proposed."""

    kind: str | None = None
    region: str | None = None  # 6-digit code
    year: int | None = None
    flag: str | None = None  # a flag name, "none" (unflagged) or "any" (flagged)
    confidence: str | None = None  # low / medium / high
    corroborated: str | None = None  # "1" (one source) or "2" (two or more)
    document: int | None = None
    status: str = "proposed"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "QueueFilters":
        """Parse query parameters; a bad value raises ValueError naming it and the fix."""
        def text(name: str) -> str | None:
            value = (query.get(name) or "").strip()
            return value or None

        def integer(name: str) -> int | None:
            value = text(name)
            if value is None:
                return None
            if not value.isdigit():
                raise ValueError(f"{name}: {value!r} is not a whole number, e.g. {name}=2024")
            return int(value)

        confidence = text("confidence")
        if confidence is not None and confidence not in CONFIDENCE_BUCKETS:
            raise ValueError(f"confidence: {confidence!r} is not one of {', '.join(CONFIDENCE_BUCKETS)}")
        corroborated = text("corroborated")
        if corroborated is not None and corroborated not in ("1", "2"):
            raise ValueError(f"corroborated: {corroborated!r} is not 1 (one source) or 2 (two or more)")
        status = text("status") or "proposed"
        if status not in ("proposed", "approved", "rejected", "superseded"):
            raise ValueError(f"status: {status!r} is not one of proposed, approved, rejected, superseded")
        region = text("region")
        if region is not None and not (len(region) == 6 and region.isdigit()):
            raise ValueError(f"region: {region!r} is not a 6-digit division code, e.g. region=220000")
        return cls(kind=text("kind"), region=region, year=integer("year"), flag=text("flag"),
                   confidence=confidence, corroborated=corroborated, document=integer("document"),
                   status=status)

    @classmethod
    def from_query_string(cls, query: str) -> "QueueFilters":
        try:
            return cls.from_query(dict(parse_qsl(query)))
        except ValueError:
            return cls()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_query(self) -> str:
        """The filters as a query string (defaults left out), to carry through card links."""
        items = {f.name: getattr(self, f.name) for f in fields(self)}
        if items["status"] == "proposed":
            items.pop("status")
        return urlencode({k: v for k, v in items.items() if v is not None})

    def where(self, skip: str | None = None) -> tuple[list[str], list[Any]]:
        """SQL conditions on `rule_versions v` (leaving out the facet `skip`, for its counts)."""
        where, args = ["v.status = ?"], [self.status]
        if self.kind is not None and skip != "kind":
            where.append("v.kind = ?")
            args.append(self.kind)
        if self.region is not None and skip != "region":
            where.append("v.region_code = ?")
            args.append(self.region)
        if self.year is not None and skip != "year":
            where.append("v.policy_year = ?")
            args.append(self.year)
        if self.flag is not None and skip != "flag":
            if self.flag == "none":
                where.append("v.flags = '[]'")
            elif self.flag == "any":
                where.append("v.flags != '[]'")
            elif self.flag == "sanity":
                where.append("EXISTS (SELECT 1 FROM json_each(v.flags) j WHERE j.value IN (%s))"
                             % ",".join("?" * len(SANITY_FLAGS)))
                args.extend(SANITY_FLAGS)
            else:
                where.append("instr(v.flags, ?) > 0")
                args.append(json.dumps(self.flag))
        if self.confidence is not None and skip != "confidence":
            lo, hi = CONFIDENCE_BUCKETS[self.confidence]
            where.append("coalesce(v.confidence, 0) >= ? AND coalesce(v.confidence, 0) < ?")
            args.extend([lo, hi])
        if self.corroborated is not None and skip != "corroborated":
            where.append(f"{_CORROBORATION_SQL} {'>= 2' if self.corroborated == '2' else '< 2'}")
        if self.document is not None and skip != "document":
            where.append("v.id IN (SELECT version_id FROM evidence WHERE document_id = ?)")
            args.append(self.document)
        return where, args


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_after: str | None


def _cursor(att: int, conf: float, vid: int) -> str:
    return f"{att}:{conf!r}:{vid}"


def _parse_cursor(after: str | None) -> tuple[int, float, int] | None:
    if not after:
        return None
    try:
        a, c, i = after.split(":")
        return int(a), float(c), int(i)
    except ValueError:
        raise ValueError(f"after: {after!r} is not a queue position; follow the 'next page' link") from None


_ROW_SQL = (f"SELECT v.id, v.rule_id, v.version, v.kind, v.region, v.region_code, v.policy_year, v.params, "
            f"v.conditions, v.confidence, v.flags, r.revision, v.status, {ATTENTION_SQL} AS att, "
            f"{_CORROBORATION_SQL} AS corroboration "
            f"FROM rule_versions v JOIN rules r ON r.id = v.rule_id")


def _row(r: Any) -> dict[str, Any]:
    region = json.loads(r[4] or "{}")
    if not region.get("code"):
        region["code"] = r[5]
    return {"version_id": r[0], "id": r[1], "version": r[2], "kind": r[3], "region": region,
            "policy_year": r[6], "params": json.loads(r[7]), "conditions": json.loads(r[8]),
            "confidence": r[9], "flags": json.loads(r[10]), "revision": r[11], "status": r[12],
            "attention": r[13], "corroboration": r[14], "ref": f"{r[1]}@{r[2]}@{r[11]}",
            "cursor": _cursor(r[13], r[9] or 0.0, r[0])}


def queue_page(db: sqlite_utils.Database, filters: QueueFilters, after: str | None, limit: int) -> Page:
    """One page of the queue after the cursor `after` (None: the first page)."""
    where, args = filters.where()
    pos = _parse_cursor(after)
    if pos is not None:
        where.append(f"(-{ATTENTION_SQL}, coalesce(v.confidence, 0), v.id) > (?, ?, ?)")
        args.extend([-pos[0], pos[1], pos[2]])
    # pick the page's ids on the sort key alone, then fetch details for those rows only
    # (columns of an ORDER BY … LIMIT query are computed for every candidate row)
    sql = (f"{_ROW_SQL} WHERE v.id IN (SELECT v.id FROM rule_versions v WHERE {' AND '.join(where)} "
           f"ORDER BY {_SORT} LIMIT ?) ORDER BY {_SORT}")
    rows = [_row(r) for r in db.execute(sql, [*args, limit + 1]).fetchall()]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next_after=rows[-1]["cursor"] if more and rows else None)


def queue_neighbours(db: sqlite_utils.Database, filters: QueueFilters, rule_id: str,
                     version: int) -> dict[str, str | None]:
    """The queue entries just before and after a version (as "RULE_ID/VERSION" paths)."""
    row = db.execute(f"SELECT {ATTENTION_SQL}, coalesce(v.confidence, 0), v.id FROM rule_versions v "
                     "WHERE v.rule_id = ? AND v.version = ?", [rule_id, version]).fetchone()
    if row is None:
        return {"prev": None, "next": None}
    where, args = filters.where()
    key = (-row[0], row[1], row[2])
    out: dict[str, str | None] = {}
    for name, op, order in (("next", ">", _SORT), ("prev", "<", _SORT_DESC)):
        hit = db.execute(
            f"SELECT v.rule_id, v.version FROM rule_versions v WHERE {' AND '.join(where)} "
            f"AND (-{ATTENTION_SQL}, coalesce(v.confidence, 0), v.id) {op} (?, ?, ?) ORDER BY {order} LIMIT 1",
            [*args, *key]).fetchone()
        out[name] = f"{hit[0]}/{hit[1]}" if hit else None
    return out


# facet counts are the slow part with 100,000 versions: cache them until the store changes
_counts_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
_counts_lock = threading.Lock()


def _store_state(db: sqlite_utils.Database) -> tuple[Any, ...]:
    """Changes whenever a version or review event is added (both tables only grow)."""
    return tuple(db.execute("SELECT (SELECT max(id) FROM rule_versions), (SELECT max(id) FROM review_events), "
                            "(SELECT max(seq) FROM changes)").fetchone())


def queue_counts(db: sqlite_utils.Database, filters: QueueFilters, db_key: str = "") -> dict[str, Any]:
    """Per facet, each value with how many rules the other filters leave for it; plus `total`."""
    cache_key = (db_key, filters, _store_state(db))
    with _counts_lock:
        hit = _counts_cache.get(cache_key)
    if hit is not None:
        return hit
    out: dict[str, Any] = {}

    def grouped(facet: str, expr: str, extra_from: str = "") -> list[tuple[Any, ...]]:
        where, args = filters.where(skip=facet)
        return db.execute(f"SELECT {expr} AS value, count(*), max(v.region) FROM rule_versions v {extra_from} "
                          f"WHERE {' AND '.join(where)} GROUP BY value ORDER BY count(*) DESC", args).fetchall()

    out["kind"] = [{"value": r[0], "label": r[0], "count": r[1]} for r in grouped("kind", "v.kind")]
    regions = []
    for code, n, region in grouped("region", "v.region_code"):
        r = json.loads(region or "{}")
        name = r.get("county") or r.get("city") or r.get("province") or ("national" if code == "000000" else code)
        regions.append({"value": code, "label": f"{name} {code}", "count": n})
    out["region"] = regions
    out["year"] = sorted(({"value": r[0], "label": str(r[0]) if r[0] is not None else "unknown", "count": r[1]}
                          for r in grouped("year", "v.policy_year") if r[0] is not None),
                         key=lambda o: -o["value"])
    flag_rows = grouped("flag", "j.value", ", json_each(v.flags) j")
    where, args = filters.where(skip="flag")
    none_n = db.execute(f"SELECT count(*) FROM rule_versions v WHERE {' AND '.join(where)} AND v.flags = '[]'",
                        args).fetchone()[0]
    flags = [{"value": "none", "label": "no flags", "count": none_n}]
    sanity_total = sum(r[1] for r in flag_rows if r[0] in SANITY_FLAGS)
    if sanity_total:
        flags.append({"value": "sanity", "label": "any sanity flag", "count": sanity_total})
    flags += [{"value": r[0], "label": r[0], "count": r[1]} for r in flag_rows]
    out["flag"] = flags
    conf_rows = grouped("confidence", "CASE WHEN coalesce(v.confidence, 0) < 0.7 THEN 'low' "
                                      "WHEN v.confidence < 0.9 THEN 'medium' ELSE 'high' END")
    conf = dict((r[0], r[1]) for r in conf_rows)
    labels = {"low": "low (< 0.7)", "medium": "medium (0.7–0.9)", "high": "high (≥ 0.9)"}
    out["confidence"] = [{"value": k, "label": labels[k], "count": conf.get(k, 0)} for k in CONFIDENCE_BUCKETS]
    cor = dict((r[0], r[1]) for r in grouped("corroborated", f"CASE WHEN {_CORROBORATION_SQL} >= 2 THEN '2' ELSE '1' END"))
    out["corroborated"] = [{"value": "2", "label": "two or more", "count": cor.get("2", 0)},
                           {"value": "1", "label": "one", "count": cor.get("1", 0)}]
    where, args = filters.where()
    out["total"] = db.execute(f"SELECT count(*) FROM rule_versions v WHERE {' AND '.join(where)}", args).fetchone()[0]
    with _counts_lock:
        if len(_counts_cache) > 256:
            _counts_cache.clear()
        _counts_cache[cache_key] = out
    return out


def document_facts(db: sqlite_utils.Database, document_id: int) -> list[dict[str, Any]]:
    """Every fact stored for a document, in text order."""
    return [{"id": r[0], "type": r[1], "text": r[2], "start": r[3], "end": r[4],
             "value": None if r[5] is None else json.loads(r[5]), "flags": json.loads(r[6])}
            for r in db.execute('SELECT id, type, text, start, "end", value, flags FROM facts '
                                "WHERE document_id = ? ORDER BY start, id", [document_id])]


def document_versions(db: sqlite_utils.Database, document_id: int) -> list[tuple[str, int]]:
    """(rule_id, version) of every rule version with evidence in a document."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT DISTINCT v.rule_id, v.version FROM evidence e JOIN rule_versions v ON v.id = e.version_id "
        "WHERE e.document_id = ? ORDER BY v.kind, v.rule_id, v.version", [document_id])]


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    rule: str | None = None
    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # exclusive

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "AuditFilters":
        values = {f.name: (query.get(f.name) or "").strip() or None for f in fields(cls)}
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_query(self) -> str:
        return urlencode({k: v for k, v in asdict(self).items() if v is not None})

    def where(self) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        for name, column, op in (("actor", "ev.actor", "="), ("action", "ev.action", "="),
                                 ("rule", "ev.rule_id", "="), ("since", "ev.at", ">="), ("until", "ev.at", "<")):
            value = getattr(self, name)
            if value is not None:
                where.append(f"{column} {op} ?")
                args.append(value)
        return where or ["1"], args


_EVENT_SQL = ("SELECT ev.id, ev.at, ev.actor, ev.action, ev.rule_id, v.version, ev.before, ev.after, ev.comment, "
              "v.kind FROM review_events ev LEFT JOIN rule_versions v ON v.id = ev.version_id")


def _event_row(r: Any) -> dict[str, Any]:
    return {"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "rule_id": r[4], "version": r[5],
            "before": json.loads(r[6]) if r[6] else None, "after": json.loads(r[7]) if r[7] else None,
            "comment": r[8], "kind": r[9]}


def events_page(db: sqlite_utils.Database, filters: AuditFilters, after: str | None, limit: int | None) -> Page:
    """Review events newest first, keyset-paged on id (`limit` None: all of them, for CSV)."""
    where, args = filters.where()
    if after:
        if not after.isdigit():
            raise ValueError(f"after: {after!r} is not an event id; follow the 'older' link")
        where.append("ev.id < ?")
        args.append(int(after))
    sql = f"{_EVENT_SQL} WHERE {' AND '.join(where)} ORDER BY ev.id DESC"
    if limit is None:
        return Page(rows=[_event_row(r) for r in db.execute(sql, args)], next_after=None)
    rows = [_event_row(r) for r in db.execute(sql + " LIMIT ?", [*args, limit + 1]).fetchall()]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows=rows, next_after=str(rows[-1]["id"]) if more and rows else None)
