"""Region names/codes for queries: resolve ``R`` to a 6-digit code and walk county → national.

The division table is ``extractors.regions`` (statistics bureau 2023 codes plus aliases, a
pure data module). Codes the table lacks but the store holds rules for (a division renamed
since, a test region) still resolve; their parent chain is derived from the code's digits.
"""

from __future__ import annotations

import re

import sqlite_utils

import extractors.regions as _table

from .errors import InvalidValue, UnknownRegion

__all__ = ["NATIONAL_CODE", "code_to_chain", "code_to_level", "region_to_code"]

NATIONAL_CODE = _table.NATIONAL  # "000000": national rules are stored under it
_NATIONAL_NAMES = {"全国", "中国", "national", "国家", "中华人民共和国", "100000"}
_CODE = re.compile(r"^\d{6}$")


def code_to_level(code: str) -> str:
    """``national``, ``province``, ``city`` or ``county`` from the code's digits."""
    if code == NATIONAL_CODE:
        return "national"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _digits_chain(code: str) -> list[str]:
    chain = [code]
    if not code.endswith("00"):
        chain.append(code[:4] + "00")
    if not code.endswith("0000"):
        chain.append(code[:2] + "0000")
    chain.append(NATIONAL_CODE)
    return list(dict.fromkeys(chain))


def code_to_chain(code: str) -> list[str]:
    """The code, then its parents up to national: ``450703 → 450700, 450000, 000000``."""
    if code == NATIONAL_CODE:
        return [NATIONAL_CODE]
    try:
        return _table.region_chain(code)
    except _table.RegionError:
        return _digits_chain(code)


def _stored(db: sqlite_utils.Database | None, code: str) -> bool:
    return db is not None and db.execute("SELECT 1 FROM rules WHERE region_code = ? LIMIT 1", [code]).fetchone() is not None


def region_to_code(db: sqlite_utils.Database | None, value: str, year: int | None = None) -> str:
    """Resolve a region name (吉林省, 吉林, 钦北区, 北京市朝阳区) or 6-digit code to a code.

    Raises :class:`~rulestore.errors.UnknownRegion` (with close names) for an unknown one and
    :class:`~rulestore.errors.InvalidValue` listing the candidates for an ambiguous name.
    """
    text = (value or "").strip()
    if text in _NATIONAL_NAMES or text == NATIONAL_CODE:
        return NATIONAL_CODE
    if not text:
        raise UnknownRegion(value)
    try:
        return _table.resolve_region(text, year).code or NATIONAL_CODE
    except _table.AmbiguousRegion as exc:
        listed = ", ".join(f"{r.province or ''}{r.city or ''}{r.county or ''} ({r.code})" for r in exc.candidates)
        raise InvalidValue("region", value, f"one of {listed}; qualify the name (北京市朝阳区) or give the code") from None
    except _table.RegionError as exc:
        if _CODE.match(text) and _stored(db, text):
            return text
        raise UnknownRegion(value, list(getattr(exc, "suggestions", []) or [])) from None
