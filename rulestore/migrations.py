"""Named schema migrations: each runs in one transaction together with its bookkeeping row.

    >>> import sqlite_utils; db = sqlite_utils.Database(memory=True)
    >>> [name for name in pending(db)][:1]
    ['0001_initial']

``pending()`` and ``applied()`` only read; ``migrate()`` applies what is pending, in order.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from .db import now_iso
from .errors import MigrationError

__all__ = ["MIGRATIONS", "applied", "migrate", "pending"]

_Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: dict[str, _Migration] = {}


def _migration(name: str) -> Callable[[_Migration], _Migration]:
    def register(fn: _Migration) -> _Migration:
        MIGRATIONS[name] = fn
        return fn

    return register


@_migration("0001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    # executescript() would COMMIT on its own; run statement by statement inside our transaction
    for stmt in _INITIAL_SQL.split(";\n"):
        if stmt.strip():
            db.conn.execute(stmt)


_INITIAL_SQL = """
CREATE TABLE captures (
    sha256 TEXT PRIMARY KEY,             -- of the raw bytes: content addressed
    size INTEGER NOT NULL,
    content BLOB NOT NULL,               -- in the DB, so a capture lands in the same transaction
    content_type TEXT,
    first_source TEXT NOT NULL,
    first_fetched_at TEXT NOT NULL
);
CREATE TABLE fetches (                   -- every time a source was read (crawler and ingest)
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,                -- URL or path
    sha256 TEXT REFERENCES captures(sha256),
    fetched_at TEXT NOT NULL,
    status INTEGER,
    headers TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX fetches_source ON fetches(source, fetched_at);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES captures(sha256),
    source_version INTEGER NOT NULL,     -- 1, 2, … each time this source's content changed
    extractor_version TEXT NOT NULL,
    text TEXT NOT NULL,                  -- the text fact/evidence offsets refer to
    title TEXT, doc_number TEXT, published TEXT,
    issuers TEXT NOT NULL DEFAULT '[]',
    region_code TEXT, region TEXT NOT NULL DEFAULT '{}',
    policy_year INTEGER,
    script TEXT, cites TEXT NOT NULL DEFAULT '[]', flags TEXT NOT NULL DEFAULT '[]',
    format TEXT, encoding TEXT,
    meta TEXT NOT NULL DEFAULT '{}',     -- the whole NoticeDocument as JSON
    facts_count INTEGER NOT NULL,        -- written with the facts in one transaction:
    rules_count INTEGER NOT NULL,        -- a check that nothing is half-written
    ingested_at TEXT NOT NULL,
    UNIQUE (sha256, extractor_version)
);
CREATE INDEX documents_source ON documents(source);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    type TEXT NOT NULL, text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    value TEXT, flags TEXT NOT NULL DEFAULT '[]',
    extractor_version TEXT NOT NULL
);
CREATE INDEX facts_document ON facts(document_id);
CREATE TABLE rules (                     -- one row per rule key
    id TEXT PRIMARY KEY,                 -- first 12 hex of sha256(key): stable across stores
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL, region_code TEXT NOT NULL, policy_year INTEGER,
    signature TEXT NOT NULL,             -- canonical JSON of the distinguishing conditions
    revision INTEGER NOT NULL DEFAULT 0, -- bumped by every change: optimistic concurrency
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX rules_lookup ON rules(region_code, policy_year, kind);
CREATE TABLE rule_versions (             -- immutable values; only status/record time move
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL REFERENCES rules(id),
    version INTEGER NOT NULL,
    kind TEXT NOT NULL, region_code TEXT NOT NULL, policy_year INTEGER,   -- copies of the key, for queries
    region TEXT NOT NULL DEFAULT '{}',
    params TEXT NOT NULL, conditions TEXT NOT NULL,
    value_hash TEXT NOT NULL,            -- canonical params + value conditions: corroboration match
    valid_from TEXT, valid_to TEXT,      -- valid time: what the rule governs
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'superseded')),
    recorded_from TEXT, recorded_to TEXT,    -- record time: approved at, superseded/withdrawn at
    confidence REAL, flags TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL CHECK (origin IN ('extracted', 'correction')),
    based_on INTEGER REFERENCES rule_versions(id),
    extractor_version TEXT,
    created_at TEXT NOT NULL, created_by TEXT,
    approvals TEXT NOT NULL DEFAULT '[]',    -- who approved (two-person rule)
    UNIQUE (rule_id, version)
);
CREATE INDEX rule_versions_query ON rule_versions(region_code, policy_year, status, kind);
CREATE INDEX rule_versions_record ON rule_versions(region_code, policy_year, recorded_from);
CREATE INDEX rule_versions_status ON rule_versions(status, kind);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES rule_versions(id),
    document_id INTEGER REFERENCES documents(id),   -- NULL for evidence copied into a correction
    sha256 TEXT, source TEXT,
    quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (version_id, sha256, start, "end")
);
CREATE INDEX evidence_version ON evidence(version_id);
CREATE TABLE review_events (             -- append-only audit trail
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL REFERENCES rules(id),
    version_id INTEGER REFERENCES rule_versions(id),
    action TEXT NOT NULL,                -- propose, corroborate, approve, reject, correct, supersede
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT, after TEXT,             -- JSON: status/value before and after
    comment TEXT
);
CREATE INDEX review_events_rule ON review_events(rule_id, id);
CREATE TRIGGER review_events_append_only_u BEFORE UPDATE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events are append-only'); END;
CREATE TRIGGER review_events_append_only_d BEFORE DELETE ON review_events
    BEGIN SELECT RAISE(ABORT, 'review_events are append-only'); END;
CREATE TRIGGER rule_versions_immutable BEFORE UPDATE OF params, conditions, value_hash, rule_id, version,
    kind, region_code, policy_year ON rule_versions
    BEGIN SELECT RAISE(ABORT, 'rule version values are immutable; add a correction'); END;
CREATE TABLE changes (                   -- the change feed: `changes since N`
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    rule_id TEXT NOT NULL, version_id INTEGER NOT NULL, version INTEGER NOT NULL,
    action TEXT NOT NULL, status TEXT NOT NULL
);
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
    password_hash TEXT NOT NULL,         -- argon2id
    created_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE TABLE tokens (                    -- API read tokens; only a hash is kept
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,     -- sha256 of a 256-bit random token
    scopes TEXT NOT NULL,
    created_by TEXT, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""


@_migration("0002_review_queue")
def _review_queue(db: sqlite_utils.Database) -> None:
    # Added for review_ui (its queue and facet counts at 100,000 versions; scripts/bench_ui.py):
    # the queue walks proposed versions by confidence within attention tiers, reading flags and
    # the filter columns from the index alone; facet counts GROUP BY covering indexes.
    for stmt in (
        "CREATE INDEX rule_versions_review ON rule_versions(status, confidence, id, flags, kind, region_code, "
        "policy_year)",
        # conflicts and flagged versions are few: partial indexes let their tiers skip the rest
        "CREATE INDEX rule_versions_review_conflict ON rule_versions(status, confidence, id, kind, region_code, "
        "policy_year) WHERE instr(flags, '\"conflict\"') > 0",
        "CREATE INDEX rule_versions_review_flagged ON rule_versions(status, confidence, id, flags, kind, region_code, "
        "policy_year) WHERE flags != '[]'",
        "CREATE INDEX rule_versions_status_region ON rule_versions(status, region_code)",
        "CREATE INDEX rule_versions_status_year ON rule_versions(status, policy_year, kind)",
        "CREATE INDEX evidence_version_sha ON evidence(version_id, sha256, document_id)",
    ):
        db.conn.execute(stmt)


@_migration("0003_publications")
def _publications(db: sqlite_utils.Database) -> None:
    # Record time becomes append-only: each time a version is published (approved, or put back
    # by an undo) it gets a new interval here; closing recorded_to is the only update allowed,
    # so an --as-of answer once given can always be given again. rule_versions.recorded_from /
    # recorded_to stay as a mirror of each version's latest interval (kept by the triggers
    # below, for the API/UI and existing readers). Intervals recorded before 0003 are copied.
    # Also: documents.normalised_text (extractors.normalise's output, stored by ingest) so the
    # review UI can show it without importing the normaliser.
    for stmt in _PUBLICATIONS_SQL.split(";\n"):
        if stmt.strip():
            db.conn.execute(stmt)


_PUBLICATIONS_SQL = """
CREATE TABLE publications (              -- record time, append-only: one row per published interval
    id INTEGER PRIMARY KEY,              -- a version's latest interval has its highest id
    version_id INTEGER NOT NULL REFERENCES rule_versions(id),
    recorded_from TEXT NOT NULL,         -- approved (or re-published by an undo) at
    recorded_to TEXT,                    -- superseded / withdrawn / undone at; NULL while published
    CHECK (recorded_to IS NULL OR recorded_to >= recorded_from)
);
INSERT INTO publications (version_id, recorded_from, recorded_to)
    SELECT id, recorded_from, recorded_to FROM rule_versions WHERE recorded_from IS NOT NULL ORDER BY recorded_from, id;
CREATE INDEX publications_version ON publications(version_id, recorded_from);
CREATE INDEX publications_record ON publications(recorded_from, version_id);
CREATE UNIQUE INDEX publications_open ON publications(version_id) WHERE recorded_to IS NULL;
CREATE TRIGGER publications_append_only_d BEFORE DELETE ON publications
    BEGIN SELECT RAISE(ABORT, 'publications are append-only: record time is never erased'); END;
CREATE TRIGGER publications_close_only BEFORE UPDATE ON publications
    WHEN OLD.recorded_to IS NOT NULL OR NEW.recorded_to IS NULL OR NEW.recorded_from IS NOT OLD.recorded_from
        OR NEW.version_id IS NOT OLD.version_id OR NEW.id IS NOT OLD.id
    BEGIN SELECT RAISE(ABORT, 'publications are append-only: only an open recorded_to may be closed'); END;
CREATE TRIGGER publications_mirror_i AFTER INSERT ON publications
    BEGIN UPDATE rule_versions SET recorded_from = NEW.recorded_from, recorded_to = NEW.recorded_to
        WHERE id = NEW.version_id; END;
CREATE TRIGGER publications_mirror_u AFTER UPDATE OF recorded_to ON publications
    WHEN NEW.id = (SELECT MAX(id) FROM publications WHERE version_id = NEW.version_id)
    BEGIN UPDATE rule_versions SET recorded_to = NEW.recorded_to WHERE id = NEW.version_id; END;
CREATE TRIGGER rule_versions_record_mirror BEFORE UPDATE OF recorded_from, recorded_to ON rule_versions
    WHEN (NEW.recorded_from IS NOT OLD.recorded_from OR NEW.recorded_to IS NOT OLD.recorded_to)
        AND NOT EXISTS (SELECT 1 FROM publications p
                        WHERE p.id = (SELECT MAX(id) FROM publications WHERE version_id = NEW.id)
                        AND p.recorded_from IS NEW.recorded_from AND p.recorded_to IS NEW.recorded_to)
    BEGIN SELECT RAISE(ABORT, 'record time is append-only: write publications (recorded_from/to mirror it)'); END;
ALTER TABLE documents ADD COLUMN normalised_text TEXT
"""
# (no comment on the ALTER line: SQLite splices the column text into the stored CREATE TABLE,
# where a trailing "--" comment would swallow its closing parenthesis; the column is NULL for
# documents stored before 0003)


def _ensure_table(db: sqlite_utils.Database) -> None:
    db.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def applied(db: sqlite_utils.Database) -> list[str]:
    """Names of applied migrations, in order (read-only)."""
    if not db["_migrations"].exists():
        return []
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def pending(db: sqlite_utils.Database) -> list[str]:
    """Names of migrations not yet applied, in order (read-only)."""
    done = set(applied(db))
    return [name for name in MIGRATIONS if name not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied."""
    todo = pending(db)
    if not todo:
        return []
    done: list[str] = []
    for name in todo:
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            _ensure_table(db)
            # another process may have migrated between our pending() and the lock
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                conn.execute("COMMIT")
                continue
            MIGRATIONS[name](db)
            conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now_iso()])
        except Exception as exc:
            conn.execute("ROLLBACK")
            raise MigrationError(name, f"{type(exc).__name__}: {exc}") from exc
        conn.execute("COMMIT")
        done.append(name)
    return done
