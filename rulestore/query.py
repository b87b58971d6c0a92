"""Read the store: bitemporal "what was approved at T for year Y" with region inheritance,
rule history, and the change feed.

    >>> query_rules(db, "钦北区", 2023, as_of="2024-01-01T00:00:00Z")   # doctest: +SKIP

Valid time is the policy year a rule governs (``valid_from``/``valid_to``); record time is
when a version was approved (``recorded_from``) until it was superseded, withdrawn or its
approval undone (``recorded_to``). Record time is append-only: a version has one interval in
table ``publications`` per time it was published, and answers at T when one of them has
``recorded_from <= T < recorded_to``; as-of answers carry that interval. Intervals are never
erased or moved, so an as-of answer once given is given again later.
A county's answer falls back to its city, then province, then national rules: for each
sibling slot (kind + distinguishing conditions) the most specific region wins, and each
answer carries ``from_region``/``from_level``.
"""

from __future__ import annotations

import json

import sqlite_utils

from .dates import parse_datetime
from .errors import InvalidValue, NotFound
from .models import Change, ReviewEvent, RuleHistory, StoredRule
from .regions import code_to_chain, code_to_level, region_to_code
from .store import _AS_OF_COLUMNS, _AS_OF_JOIN, _VERSION_COLUMNS, _VERSION_FROM, _rows_to_rules, list_rules

__all__ = ["changes_since", "query_rules", "rule_history"]


def _check_year(year: object) -> int:
    try:
        value = int(str(year))
    except ValueError:
        raise InvalidValue("year", year, "a policy year like 2024") from None
    if not 1990 <= value <= 2100:
        raise InvalidValue("year", year, "a policy year between 1990 and 2100")
    return value


def query_rules(db: sqlite_utils.Database, region: str, year: int | str, *, kind: str | None = None,
                as_of: str | None = None, inherit: bool = True) -> list[StoredRule]:
    """Approved rules for ``region`` (name or code) and policy ``year``, as recorded at ``as_of``.

    ``as_of`` None means now. Raises UnknownRegion / InvalidDate / InvalidValue naming the input.
    """
    code = region_to_code(db, region)
    year = _check_year(year)
    if kind is not None:
        from extractors.contract import RuleKind

        if kind not in RuleKind.__members__:
            raise InvalidValue("kind", kind, " / ".join(RuleKind.__members__))
    chain = code_to_chain(code) if inherit else [code]
    marks = ",".join("?" * len(chain))
    if as_of is None:
        sql = (f"SELECT {_VERSION_COLUMNS}, r.signature FROM {_VERSION_FROM} "
               f"WHERE v.region_code IN ({marks}) AND v.policy_year = ? AND v.status = 'approved'")
        args: list[object] = [*chain, year]
    else:
        at = parse_datetime("as_of", as_of)
        sql = (f"SELECT {_AS_OF_COLUMNS}, r.signature FROM {_VERSION_FROM}{_AS_OF_JOIN} "
               f"WHERE v.region_code IN ({marks}) AND v.policy_year = ?")
        args = [at, at, *chain, year]
    if kind is not None:
        sql += " AND v.kind = ?"
        args.append(kind)
    rows = db.execute(sql, args).fetchall()
    rank = {c: i for i, c in enumerate(chain)}
    best: dict[tuple[str, str], tuple[int, object]] = {}
    for row in rows:
        slot = (row[4], row[-1])  # kind, signature
        r = rank[row[22]]
        if slot not in best or r < best[slot][0]:
            best[slot] = (r, row)
    chosen = [row[:-1] for _, row in sorted(best.values(), key=lambda x: (x[1][4], x[1][-1]))]  # type: ignore[index]
    rules = _rows_to_rules(db, chosen)
    for rule, row in zip(rules, chosen):
        rule.from_region = row[22]
        rule.from_level = code_to_level(row[22])
    return rules


def rule_history(db: sqlite_utils.Database, rule_id: str) -> RuleHistory:
    """A rule with every version (newest first, with evidence) and its review events."""
    rule_id = rule_id.partition("@")[0]
    row = db.execute("SELECT id, key, kind, region_code, policy_year, signature, revision FROM rules WHERE id = ?",
                     [rule_id]).fetchone()
    if row is None:
        raise NotFound("rule", rule_id, "list rules with `noticerules rules list` or GET /api/rules")
    versions = list_rules(db, rule_id=rule_id)
    versions.reverse()
    number = {vid: n for vid, n in db.execute("SELECT id, version FROM rule_versions WHERE rule_id = ?", [rule_id])}
    events = [
        ReviewEvent(id=e[0], rule_id=e[1], version=number.get(e[2]), action=e[3], actor=e[4], at=e[5],
                    before=json.loads(e[6]) if e[6] else None, after=json.loads(e[7]) if e[7] else None, comment=e[8])
        for e in db.execute("SELECT id, rule_id, version_id, action, actor, at, before, after, comment "
                            "FROM review_events WHERE rule_id = ? ORDER BY id", [rule_id])
    ]
    return RuleHistory(id=row[0], key=row[1], kind=row[2], region_code=row[3], policy_year=row[4],
                       signature=json.loads(row[5]), revision=row[6], versions=versions, events=events)


def changes_since(db: sqlite_utils.Database, since: int = 0, *, limit: int = 1000) -> list[Change]:
    """Changes with ``seq > since``, oldest first; pass the last ``seq`` back as ``since``."""
    if since < 0:
        raise InvalidValue("since", since, "a sequence number >= 0")
    if not 1 <= limit <= 10000:
        raise InvalidValue("limit", limit, "1 to 10000")
    return [Change(seq=r[0], at=r[1], rule_id=r[2], version=r[3], action=r[4], status=r[5])
            for r in db.execute("SELECT seq, at, rule_id, version, action, status FROM changes WHERE seq > ? "
                                "ORDER BY seq LIMIT ?", [since, limit])]


