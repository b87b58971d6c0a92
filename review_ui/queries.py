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

from extractors.regions import code_to_region

__all__ = [
    "TIERS",
    "AuditFilters",
    "Page",
    "QueueFilters",
    "attention",
    "document_facts",
    "events_page",
    "CountsCache",
    "compute_counts",
    "corroborated_ids",
    "queue_neighbours",
    "queue_page",
    "queue_total",
    "static_options",
]

# Sanity flags: a value looked impossible or was rebuilt. year_inferred and repaired are
# separate facet values, conflict ranks highest.
SANITY_FLAGS = ("invalid_date", "corrupt", "incomplete", "window_reversed", "before_publication",
                "percent_over_100", "amount_out_of_range", "mojibake", "low_confidence")
LOW_CONFIDENCE = 0.7  # below this a rule ranks as needing attention (extractors' low_confidence flag uses the same idea)
CONFIDENCE_BUCKETS = {"low": (0.0, 0.7), "medium": (0.7, 0.9), "high": (0.9, 1.01)}

# What needs attention first: conflicts, then other flagged rules, then low confidence; the
# rest after. Within a tier the lowest confidence comes first, then the oldest version.
# Each tier is a plain WHERE clause, so every tier is an index range walk on
# (status, confidence, id, …) (migration 0002_review_queue of rulestore) and paging is keyset
# on (tier, confidence, id): page 2,000 costs what page 1 costs.
_CONFLICT = "instr(v.flags, '\"conflict\"') > 0"  # written exactly as in the partial index
_LOW = f"v.confidence < {LOW_CONFIDENCE}"
_HIGH = f"v.confidence >= {LOW_CONFIDENCE}"
TIERS: list[tuple[int, str]] = [
    (7, f"{_CONFLICT} AND {_LOW}"),
    (6, f"{_CONFLICT} AND {_HIGH}"),
    (3, f"v.flags != '[]' AND NOT {_CONFLICT} AND {_LOW}"),
    (2, f"v.flags != '[]' AND NOT {_CONFLICT} AND {_HIGH}"),
    (1, f"v.flags = '[]' AND {_LOW}"),
    (0, f"v.flags = '[]' AND {_HIGH}"),
    (-1, "v.confidence IS NULL"),  # no confidence recorded (none of today's writers do this): last
]
_TIER_INDEX = {tier: i for i, (tier, _) in enumerate(TIERS)}
_CORROBORATION_SQL = ("(SELECT count(DISTINCT e.sha256) FROM evidence e WHERE e.version_id = v.id "
                      "AND e.document_id IS NOT NULL)")
_CORROBORATED_IDS = ("SELECT version_id FROM evidence WHERE document_id IS NOT NULL GROUP BY version_id "
                     "HAVING count(DISTINCT sha256) >= 2")


_corroborated: dict[str, tuple[tuple[Any, ...], str]] = {}
_corroborated_lock = threading.Lock()


def corroborated_ids(db: sqlite_utils.Database) -> str:
    """JSON list of the ids of versions stated by two or more documents (cached per store state)."""
    state = _store_state(db)
    key = str(db.execute("PRAGMA database_list").fetchone()[2])
    with _corroborated_lock:
        hit = _corroborated.get(key)
    if hit is not None and hit[0] == state:
        return hit[1]
    ids = json.dumps([r[0] for r in db.execute(_CORROBORATED_IDS)])
    with _corroborated_lock:
        _corroborated[key] = (state, ids)
    return ids


def attention(flags: list[str], confidence: float | None) -> int:
    """The tier of a version: 4 conflict + 2 any flag + 1 low confidence (what TIERS select)."""
    if confidence is None:
        return -1
    return (4 if "conflict" in flags else 0) + (2 if flags else 0) + (1 if confidence < LOW_CONFIDENCE else 0)


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

    def where(self, db: sqlite_utils.Database, skip: str | None = None) -> tuple[list[str], list[Any]]:
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
            # the id list is cached per store state: one evidence scan, not one per tier query
            where.append(f"v.id {'IN' if self.corroborated == '2' else 'NOT IN'} (SELECT value FROM json_each(?))")
            args.append(corroborated_ids(db))
        if self.document is not None and skip != "document":
            where.append("v.id IN (SELECT version_id FROM evidence WHERE document_id = ?)")
            args.append(self.document)
        return where, args


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_after: str | None


Position = tuple[int, float | None, int]  # (tier, confidence, version id)


def _cursor(pos: Position) -> str:
    return f"{pos[0]}:{'null' if pos[1] is None else repr(pos[1])}:{pos[2]}"


def _parse_cursor(after: str | None) -> Position | None:
    if not after:
        return None
    try:
        a, c, i = after.split(":")
        pos = (int(a), None if c == "null" else float(c), int(i))
    except ValueError:
        raise ValueError(f"after: {after!r} is not a queue position; follow the 'next page' link") from None
    if pos[0] not in _TIER_INDEX:
        raise ValueError(f"after: {after!r} is not a queue position; follow the 'next page' link")
    return pos


SMALL = 3000  # at most this many matches: read them all and sort in Python (selective filters)


def _sort_key(pos: Position) -> tuple[int, float, int]:
    # tier descending (-1, no confidence, last), then confidence, then id
    return (-pos[0] if pos[0] >= 0 else 1, pos[1] if pos[1] is not None else 0.0, pos[2])


def _walk_small(db: sqlite_utils.Database, filters: QueueFilters, start: Position | None, limit: int,
                forward: bool) -> list[Position]:
    where, args = filters.where(db)
    rows = db.execute(f"SELECT v.flags, v.confidence, v.id FROM rule_versions v WHERE {' AND '.join(where)}",
                      args).fetchall()
    positions = sorted(((attention(json.loads(f), c), c, i) for f, c, i in rows), key=_sort_key,
                       reverse=not forward)
    if start is not None:
        key = _sort_key(start)
        positions = [p for p in positions if (_sort_key(p) > key if forward else _sort_key(p) < key)]
    return positions[:limit]


def _walk(db: sqlite_utils.Database, filters: QueueFilters, start: Position | None, limit: int,
          forward: bool = True, total: int | None = None) -> list[Position]:
    """Queue positions strictly after (forward) or before `start`, in queue order, at most `limit`.

    `total` (how many match, when the caller knows) picks the plan: a few matches are read
    at once through whatever index the filter has; many are walked tier by tier in index order.
    """
    if total is not None and total <= SMALL:
        return [] if total == 0 else _walk_small(db, filters, start, limit, forward)
    where, args = filters.where(db)
    order = "v.confidence, v.id" if forward else "v.confidence DESC, v.id DESC"
    tiers = TIERS if forward else TIERS[::-1]
    if start is not None:
        tiers = tiers[tiers.index(TIERS[_TIER_INDEX[start[0]]]):]
    out: list[Position] = []
    for tier, clause in tiers:
        conds, cargs = [*where, clause], list(args)
        if start is not None and tier == start[0]:
            op = ">" if forward else "<"
            if tier == -1:
                conds.append(f"v.id {op} ?")
                cargs.append(start[2])
            else:
                if forward and clause.endswith(f" AND {_HIGH}"):
                    # implied by the keyset below; left in, it would be the range SQLite seeks on,
                    # and every page would rescan the rows sharing the cursor's confidence
                    conds[-1] = clause[: -len(f" AND {_HIGH}")]
                conds.append(f"(v.confidence, v.id) {op} (?, ?)")
                cargs += [start[1], start[2]]
        rows = db.execute(f"SELECT v.confidence, v.id FROM rule_versions v WHERE {' AND '.join(conds)} "
                          f"ORDER BY {order} LIMIT ?", [*cargs, limit - len(out)]).fetchall()
        out += [(tier, r[0], r[1]) for r in rows]
        if len(out) >= limit:
            break
    return out


_ROW_SQL = (f"SELECT v.id, v.rule_id, v.version, v.kind, v.region, v.region_code, v.policy_year, v.params, "
            f"v.conditions, v.confidence, v.flags, r.revision, v.status, {_CORROBORATION_SQL} AS corroboration "
            f"FROM rule_versions v JOIN rules r ON r.id = v.rule_id")


def _row(r: Any) -> dict[str, Any]:
    region = json.loads(r[4] or "{}")
    if not region.get("code"):
        region["code"] = r[5]
    flags = json.loads(r[10])
    tier = attention(flags, r[9])
    return {"version_id": r[0], "id": r[1], "version": r[2], "kind": r[3], "region": region,
            "policy_year": r[6], "params": json.loads(r[7]), "conditions": json.loads(r[8]),
            "confidence": r[9], "flags": flags, "revision": r[11], "status": r[12],
            "attention": tier, "corroboration": r[13], "ref": f"{r[1]}@{r[2]}@{r[11]}",
            "cursor": _cursor((tier, r[9], r[0]))}


def queue_page(db: sqlite_utils.Database, filters: QueueFilters, after: str | None, limit: int,
               total: int | None = None) -> Page:
    """One page of the queue after the cursor `after` (None: the first page)."""
    positions = _walk(db, filters, _parse_cursor(after), limit + 1, total=total)
    more = len(positions) > limit
    ids = [p[2] for p in positions[:limit]]
    if not ids:
        return Page(rows=[], next_after=None)
    found = {r[0]: _row(r) for r in db.execute(f"{_ROW_SQL} WHERE v.id IN ({','.join('?' * len(ids))})", ids)}
    rows = [found[i] for i in ids if i in found]
    return Page(rows=rows, next_after=rows[-1]["cursor"] if more and rows else None)


def queue_neighbours(db: sqlite_utils.Database, filters: QueueFilters, rule_id: str,
                     version: int) -> dict[str, str | None]:
    """The queue entries just before and after a version (as "RULE_ID/VERSION" paths)."""
    row = db.execute("SELECT v.id, v.flags, v.confidence FROM rule_versions v WHERE v.rule_id = ? AND v.version = ?",
                     [rule_id, version]).fetchone()
    if row is None:
        return {"prev": None, "next": None}
    here: Position = (attention(json.loads(row[1]), row[2]), row[2], row[0])
    total = queue_total(db, filters)
    out: dict[str, str | None] = {}
    for name, forward in (("next", True), ("prev", False)):
        hit = _walk(db, filters, here, 1, forward=forward, total=total)
        if hit:
            ref = db.execute("SELECT rule_id, version FROM rule_versions WHERE id = ?", [hit[0][2]]).fetchone()
            out[name] = f"{ref[0]}/{ref[1]}"
        else:
            out[name] = None
    return out


def _region_label(code: str) -> str:
    if code == "000000":
        return "national 000000"
    try:
        region = code_to_region(code)
    except LookupError:
        return code
    return f"{region.county or region.city or region.province or code} {code}"


def _store_state(db: sqlite_utils.Database) -> tuple[Any, ...]:
    """Changes whenever a version is added or any status moves (both tables only grow)."""
    return tuple(db.execute("SELECT (SELECT max(id) FROM rule_versions), (SELECT max(seq) FROM changes)").fetchone())


def static_options() -> dict[str, list[dict[str, Any]]]:
    """Filter choices that need no counting (shown until the counts arrive)."""
    from extractors.contract import Flag, RuleKind

    labels = {"low": "low (< 0.7)", "medium": "medium (0.7–0.9)", "high": "high (≥ 0.9)"}
    return {
        "kind": [{"value": k.value, "label": k.value, "count": None} for k in RuleKind],
        "flag": [{"value": "none", "label": "no flags", "count": None},
                 {"value": "any", "label": "any flag", "count": None},
                 {"value": "sanity", "label": "any sanity flag", "count": None}]
                + [{"value": f.value, "label": f.value, "count": None} for f in Flag],
        "confidence": [{"value": k, "label": labels[k], "count": None} for k in CONFIDENCE_BUCKETS],
        "corroborated": [{"value": "2", "label": "two or more", "count": None},
                         {"value": "1", "label": "one", "count": None}],
    }


def queue_total(db: sqlite_utils.Database, filters: QueueFilters) -> int:
    where, args = filters.where(db)
    return int(db.execute(f"SELECT count(*) FROM rule_versions v WHERE {' AND '.join(where)}", args).fetchone()[0])


def compute_counts(db: sqlite_utils.Database, filters: QueueFilters) -> dict[str, Any]:
    """Per facet, each value with how many rules the *other* filters leave for it; plus `total`.

    Each facet is one GROUP BY on a covering index (see rulestore migration 0002_review_queue).
    """
    out: dict[str, Any] = {}

    def run(facet: str, select: str, tail: str = "", extra: str = "") -> list[Any]:
        where, args = filters.where(db, skip=facet)
        sql = f"SELECT {select} FROM rule_versions v {extra} WHERE {' AND '.join(where)} {tail}"
        return db.execute(sql, args).fetchall()

    out["kind"] = [{"value": k, "label": k, "count": n}
                   for k, n in run("kind", "v.kind, count(*)", "GROUP BY v.kind ORDER BY count(*) DESC")]
    out["region"] = [{"value": c, "label": _region_label(c), "count": n}
                     for c, n in run("region", "v.region_code, count(*)",
                                     "GROUP BY v.region_code ORDER BY count(*) DESC LIMIT 500")]
    out["year"] = [{"value": y, "label": str(y), "count": n}
                   for y, n in run("year", "v.policy_year, count(*)",
                                   "AND v.policy_year IS NOT NULL GROUP BY v.policy_year ORDER BY v.policy_year DESC")]
    flag_rows = run("flag", "j.value, count(*)", "AND v.flags != '[]' GROUP BY j.value ORDER BY count(*) DESC",
                    extra=", json_each(v.flags) j")
    (none_n,) = run("flag", "count(*)", "AND v.flags = '[]'")[0]
    flags = [{"value": "none", "label": "no flags", "count": none_n}]
    sanity = run("flag", "count(*)", "AND v.flags != '[]' AND EXISTS (SELECT 1 FROM json_each(v.flags) j "
                 f"WHERE j.value IN ({','.join(repr(f) for f in SANITY_FLAGS)}))")[0][0]
    if sanity:
        flags.append({"value": "sanity", "label": "any sanity flag", "count": sanity})
    flags += [{"value": f, "label": f, "count": n} for f, n in flag_rows]
    out["flag"] = flags
    labels = {"low": "low (< 0.7)", "medium": "medium (0.7–0.9)", "high": "high (≥ 0.9)"}
    sums = ", ".join(f"sum(coalesce(v.confidence, 0) >= {lo} AND coalesce(v.confidence, 0) < {hi})"
                     for lo, hi in CONFIDENCE_BUCKETS.values())
    conf = run("confidence", sums)[0]
    out["confidence"] = [{"value": k, "label": labels[k], "count": n or 0} for k, n in zip(CONFIDENCE_BUCKETS, conf)]
    (all_n,) = run("corroborated", "count(*)")[0]
    where, args = filters.where(db, skip="corroborated")
    (two,) = db.execute(f"SELECT count(*) FROM rule_versions v WHERE {' AND '.join(where)} "
                        "AND v.id IN (SELECT value FROM json_each(?))", [*args, corroborated_ids(db)]).fetchone()
    out["corroborated"] = [{"value": "2", "label": "two or more", "count": two},
                           {"value": "1", "label": "one", "count": all_n - two}]
    (out["total"],) = run("", "count(*)")[0]
    return out


class CountsCache:
    """Facet counts per filter set, served stale while a background thread refreshes them.

    Counts scan every proposed version once per facet (0.5–1.5 s in all at 100,000 versions
    on a busy 2-core box), far too slow to redo on every page after every decision. The list
    of rules and the total are always exact; the counts beside the filters come from here:
    the page shows cached ones (saying when they are being recounted) and the browser fetches
    missing ones from /queue/counts.json.
    """

    def __init__(self, db_path: str, max_entries: int = 256) -> None:
        self.db_path = db_path
        self.max_entries = max_entries
        self._entries: dict[QueueFilters, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        self._pending: set[QueueFilters] = set()
        self._lock = threading.Lock()

    def get(self, db: sqlite_utils.Database, filters: QueueFilters) -> dict[str, Any]:
        """Counts for `filters`, computed now unless fresh ones are cached (the counts endpoint)."""
        state = _store_state(db)
        with self._lock:
            hit = self._entries.get(filters)
        if hit is not None and hit[0] == state:
            return {**hit[1], "stale": False}
        counts = compute_counts(db, filters)
        self._store(filters, state, counts)
        return {**counts, "stale": False}

    def peek(self, db: sqlite_utils.Database, filters: QueueFilters) -> dict[str, Any] | None:
        """Cached counts (marked `stale` when the store changed since), else None; never waits.

        A missing or stale entry is recomputed on a background thread, so the queue page's
        own time does not depend on the counts.
        """
        state = _store_state(db)
        with self._lock:
            hit = self._entries.get(filters)
        if hit is not None and hit[0] == state:
            return {**hit[1], "stale": False}
        self._refresh_later(filters)
        return None if hit is None else {**hit[1], "stale": True}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _store(self, filters: QueueFilters, state: tuple[Any, ...], counts: dict[str, Any]) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries and filters not in self._entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[filters] = (state, counts)

    def _refresh_later(self, filters: QueueFilters) -> None:
        with self._lock:
            if filters in self._pending:
                return
            self._pending.add(filters)
        threading.Thread(target=self._refresh, args=(filters,), daemon=True).start()

    def _refresh(self, filters: QueueFilters) -> None:
        from rulestore import open_db

        try:
            db = open_db(self.db_path, migrate=False)
            try:
                state = _store_state(db)
                self._store(filters, state, compute_counts(db, filters))
            finally:
                db.conn.close()
        finally:
            with self._lock:
                self._pending.discard(filters)


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
