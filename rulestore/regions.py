"""Region names/codes for queries: resolve ``R`` to a 6-digit code and walk county → national.

The division table lives in ``extractors.regions`` (a pure data module). Until it offers a
lookup, names are resolved from the regions the store has already seen in documents, and
the parent chain is derived from the code's digits (GB/T 2260: PP CC DD).
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlite_utils

from .errors import UnknownRegion

__all__ = ["NATIONAL_CODE", "code_to_chain", "code_to_level", "region_to_code"]

# GB/T 2260 uses 100000 for the country as a whole; national rules are stored under it.
NATIONAL_CODE = "100000"
_NATIONAL_NAMES = {"全国", "中国", "national", "国家", "中华人民共和国"}
_CODE = re.compile(r"^\d{6}$")


def _table() -> Any:
    """extractors.regions when it is there, else None (imported lazily: it may not exist yet)."""
    try:
        from extractors import regions  # type: ignore[attr-defined]
    except ImportError:
        return None
    return regions


def code_to_level(code: str) -> str:
    """``national``, ``province``, ``city`` or ``county`` from the code's digits."""
    if code == NATIONAL_CODE:
        return "national"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def code_to_chain(code: str) -> list[str]:
    """The code itself, then its parents up to national: ``450703 → 450700, 450000, 100000``."""
    table = _table()
    chain_fn = getattr(table, "region_chain", None) if table else None
    if chain_fn is not None:
        try:
            chain = [c if isinstance(c, str) else getattr(c, "code", str(c)) for c in chain_fn(code)]
            if chain:
                chain = [c for c in chain if c]
                if NATIONAL_CODE not in chain:
                    chain.append(NATIONAL_CODE)
                return chain
        except Exception:  # noqa: BLE001 - a code the table lacks: fall back to the digits
            pass
    if code == NATIONAL_CODE:
        return [NATIONAL_CODE]
    chain = [code]
    if not code.endswith("00"):
        chain.append(code[:4] + "00")
    if not code.endswith("0000"):
        chain.append(code[:2] + "0000")
    chain.append(NATIONAL_CODE)
    return list(dict.fromkeys(chain))


def _name_from_table(value: str) -> str | None:
    table = _table()
    if table is None:
        return None
    for fn_name in ("name_to_code", "region_to_code", "lookup_code"):
        fn = getattr(table, fn_name, None)
        if fn is None:
            continue
        try:
            found = fn(value)
        except Exception:  # noqa: BLE001 - unknown name: try the next source
            found = None
        if isinstance(found, str) and _CODE.match(found):
            return found
        code = getattr(found, "code", None)
        if isinstance(code, str) and _CODE.match(code):
            return code
    return None


def _known_codes(db: sqlite_utils.Database) -> dict[str, str]:
    """name → code for every region the store has seen (documents and rules)."""
    names: dict[str, str] = {}
    for (region_json,) in db.execute("SELECT DISTINCT region FROM rule_versions UNION SELECT DISTINCT region FROM documents"):
        try:
            region = json.loads(region_json or "{}")
        except ValueError:
            continue
        code = region.get("code")
        if not code:
            continue
        # the most specific name names the code
        for level in ("county", "city", "province"):
            if region.get(level):
                names.setdefault(region[level], code)
                break
    return names


def region_to_code(db: sqlite_utils.Database | None, value: str) -> str:
    """Resolve a region name (吉林省, 钦北区) or 6-digit code to a code; :class:`UnknownRegion` else."""
    value = (value or "").strip()
    if value in _NATIONAL_NAMES:
        return NATIONAL_CODE
    if _CODE.match(value):
        table = _table()
        known = getattr(table, "is_known_code", None) if table else None
        if known is not None and value != NATIONAL_CODE and not known(value):
            raise UnknownRegion(value)
        return value
    if not value:
        raise UnknownRegion(value)
    found = _name_from_table(value)
    if found:
        return found
    if db is not None:
        names = _known_codes(db)
        if value in names:
            return names[value]
        suggestions = sorted(n for n in names if value[:2] and n.startswith(value[:2]))[:5]
        raise UnknownRegion(value, suggestions)
    raise UnknownRegion(value)
