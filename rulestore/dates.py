"""Strict date and datetime parsing for store inputs (YYYY-MM-DD, ISO 8601 datetimes)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from .errors import InvalidDate

__all__ = ["parse_date", "parse_datetime"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(field: str, value: str) -> date:
    """``YYYY-MM-DD`` only (Python 3.11's fromisoformat also takes 20240101: too loose here)."""
    text = str(value).strip()
    if not _DATE.match(text):
        raise InvalidDate(field, value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDate(field, value, "a real calendar date as YYYY-MM-DD, e.g. 2024-02-29") from None


def parse_datetime(field: str, value: str) -> str:
    """An ISO date or datetime → the store's record-time form (UTC, ``…Z``); naive means UTC."""
    text = str(value).strip()
    expected = "an ISO datetime, e.g. 2024-10-01T12:00:00Z or 2024-10-01"
    if not re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$", text):
        raise InvalidDate(field, value, expected)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidDate(field, value, expected) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
