"""Sanity checks on built rules, as flags for reviewers (never silent corrections).

- `window_reversed`: a window (start/end) that ends before it starts;
- `before_publication`: a rule's window or start that is over before the notice was published
  (end date earlier than the publication date);
- `percent_over_100`: a rate above 100;
- `amount_out_of_range`: an amount far outside the national range for its year
  (data/rule_ranges.jsonl, with its source and calibration).

    >>> rule_to_sanity_flags("enrollment_period", 2024, {"start": "2023-12-31", "end": "2023-10-01"}, None)
    ['window_reversed']
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["rule_to_sanity_flags"]


@lru_cache(maxsize=1)
def _ranges() -> dict[str, dict[str, Any]]:
    out = {}
    for line in (Path(__file__).parent / "data" / "rule_ranges.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "kind" in row:
            out[row["kind"]] = row
    return out


def _minimum(kind: str, year: int | None) -> Decimal | None:
    row = _ranges().get(kind)
    if row is None or year is None:
        return None
    table = {int(k): v for k, v in row["minimum"].items()}
    # years outside the table take the nearest year's figure
    nearest = min(table, key=lambda y: abs(y - year))
    if abs(nearest - year) > 3:
        return None
    return Decimal(str(table[nearest]))


def _num(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v)) if v is not None else None
    except InvalidOperation:
        return None


def rule_to_sanity_flags(kind: str, year: int | None, params: dict[str, Any], published: str | None,
                         conditions: dict[str, Any] | None = None) -> list[str]:
    """The sanity flags one rule earns (empty when it looks plausible)."""
    flags: list[str] = []
    start, end = params.get("start"), params.get("end")
    if start and end and end < start:
        flags.append("window_reversed")
    if published and end and end < published:
        flags.append("before_publication")
    pct = _num(params.get("percent"))
    if pct is not None and pct > 100:
        flags.append("percent_over_100")
    scheme = (conditions or {}).get("scheme", "basic_medical")
    for key in ("amount", "net_personal_amount"):
        amount = _num(params.get(key))
        if amount is None or scheme != "basic_medical":
            continue
        minimum = _minimum(kind, year)
        row = _ranges().get(kind)
        if minimum is None or row is None:
            continue
        if amount < minimum * Decimal(str(row["low_factor"])) or amount > minimum * Decimal(str(row["high_factor"])):
            flags.append("amount_out_of_range")
            break
    return flags
