"""Validate a reviewer's correction form into params/conditions in the contract's normal form.

    >>> rule = {"kind": "personal_contribution", "params": {"amount": "380"}, "conditions": {}, "policy_year": 2024}
    >>> form_to_correction(rule, {"param.amount": "1.5万", "policy_year": "2024"})[3]
    ["param.amount: '1.5万' is not a number of yuan; write digits like 380 or 15000"]
    >>> form_to_correction(rule, {"param.amount": "400.50", "policy_year": "2024"})[0]
    {'amount': '400.5'}
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["decimal_to_text", "form_to_correction"]

# allowed values per param, from the contract's rule-kind table
_CHOICES: dict[str, tuple[str, ...]] = {
    "currency": ("CNY",),
    "bound": ("exact", "min", "max"),
    "mode": ("full", "fixed", "percent"),
    "unit": ("day", "working_day", "week", "month", "year"),
    "window_unit": ("day", "working_day", "week", "month", "year"),
    "benefit_from": ("birth", "registration", "next_month_after_payment"),
    "from": ("policy_year_start", "next_month_after_payment", "third_month_after_payment", "days_after_payment"),
    "phase": ("concentrated", "extended", "final"),
    "enrollee": ("first_time", "continuous", "interrupted"),
}
_MONEY = {"amount", "net_personal_amount"}
_PERCENT = {"percent"}
_INTEGER = {"days", "window_amount"}
_DATES = {"start", "end"}
_LIST_SEPARATORS = ("、", ",", ",", ";", ";")


def decimal_to_text(value: Decimal) -> str:
    """A decimal string with no exponent and no trailing zeros (the contract's money form)."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(key: str, raw: str, errors: list[str], field: str) -> str | None:
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        kind = "percent" if key in _PERCENT else "number of yuan"
        errors.append(f"{field}: {raw!r} is not a {kind}; write digits like 380 or 15000"
                      if key in _MONEY else f"{field}: {raw!r} is not a {kind}; write digits like 60")
        return None
    if not value.is_finite() or value < 0:
        errors.append(f"{field}: {raw!r} must be zero or more")
        return None
    if key in _PERCENT and value > 100:
        errors.append(f"{field}: {raw!r} is over 100 percent; write the percent as a number from 0 to 100")
        return None
    return decimal_to_text(value)


def _value(key: str, raw: str, errors: list[str], field: str, original: Any) -> Any:
    raw = raw.strip()
    if raw == "":
        return None  # unknown is null, never a guess
    if key in _MONEY or key in _PERCENT:
        return _number(key, raw, errors, field)
    if key in _INTEGER:
        if not raw.isdigit():
            errors.append(f"{field}: {raw!r} is not a whole number; write digits like 90")
            return None
        return int(raw)
    if key in _DATES or key.startswith("paid_"):
        try:
            return _dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            errors.append(f"{field}: {raw!r} is not a date; use YYYY-MM-DD, e.g. 2024-09-25")
            return None
    if key in _CHOICES and raw not in _CHOICES[key]:
        errors.append(f"{field}: {raw!r} is not one of {', '.join(_CHOICES[key])}")
        return None
    if isinstance(original, list):
        parts = [raw]
        for sep in _LIST_SEPARATORS:
            parts = [p for part in parts for p in part.split(sep)]
        return [p.strip() for p in parts if p.strip()]
    if isinstance(original, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(original, int):
        if not raw.lstrip("-").isdigit():
            errors.append(f"{field}: {raw!r} is not a whole number")
            return None
        return int(raw)
    return raw


def form_to_correction(rule: dict[str, Any], form: dict[str, Any]
                       ) -> tuple[dict[str, Any], dict[str, Any], int | None, list[str]]:
    """(params, conditions, policy_year, errors) from fields `param.KEY`, `cond.KEY`, `policy_year`.

    Keys the form leaves out keep their current value, so a form only needs the fields it edits.
    """
    errors: list[str] = []
    params = dict(rule.get("params") or {})
    conditions = dict(rule.get("conditions") or {})
    for key, raw in form.items():
        if not isinstance(raw, str):
            errors.append(f"{key}: sent more than once")
            continue
        if key.startswith("param."):
            name = key[len("param."):]
            params[name] = _value(name, raw, errors, key, params.get(name))
        elif key.startswith("cond."):
            name = key[len("cond."):]
            conditions[name] = _value(name, raw, errors, key, conditions.get(name))
    start, end = params.get("start"), params.get("end")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        errors.append(f"param.end: {end} is before param.start {start}; swap them or fix the date")
    year_raw = str(form.get("policy_year", rule.get("policy_year") or "")).strip()
    policy_year: int | None = None
    if year_raw:
        if not (year_raw.isdigit() and 1990 <= int(year_raw) <= 2100):
            errors.append(f"policy_year: {year_raw!r} is not a year between 1990 and 2100")
        else:
            policy_year = int(year_raw)
    return params, conditions, policy_year, errors
