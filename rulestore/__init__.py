"""rulestore: the versioned SQLite rule store, its review states, queries, API and exports.

    >>> from rulestore import open_db, ingest_extraction, approve, query_rules   # doctest: +SKIP

The HTTP API (``rulestore.api``), exports (``rulestore.export``) and the reference
calculation (``rulestore.calc``) are imported from their modules, so importing the store
does not pull in FastAPI.
"""

from .db import default_db_path, open_db, transaction
from .errors import StoreError
from .models import Capture, Change, IngestResult, ReviewEvent, RuleHistory, StoredEvidence, StoredRule
from .query import changes_since, query_rules, rule_history
from .review import approve, correct, propose, reject
from .store import capture_to_store, get_version, ingest_extraction, list_rules

__all__ = [
    "Capture",
    "Change",
    "IngestResult",
    "ReviewEvent",
    "RuleHistory",
    "StoreError",
    "StoredEvidence",
    "StoredRule",
    "approve",
    "capture_to_store",
    "changes_since",
    "correct",
    "default_db_path",
    "get_version",
    "ingest_extraction",
    "list_rules",
    "open_db",
    "propose",
    "query_rules",
    "reject",
    "rule_history",
    "transaction",
]
