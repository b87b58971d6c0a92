"""A reference calculation from approved rules only: amount due, assistance, benefit start.

    >>> calculate(db, "吉林省", 2024, paid_on="2023-11-02", group="城乡低保对象").amount_due   # doctest: +SKIP
    '230'

It proves the stored rules are usable by a downstream engine and says which rule versions
(and from which region) every step used, so a result can be reproduced with ``as_of``.
Steps: the standard personal contribution (scheme basic_medical, population all); the first
assistance rule whose groups match ``group`` (full / fixed / percent, honouring
``paid_before``); then the benefit start: newborn rule when ``born`` is given and the payment
is inside its window; else payment inside an enrollment period → the benefit period's start;
else a benefit_start rule for the payment date, else a waiting period from the payment date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlite_utils

from .dates import parse_date
from .models import CalcResult, StoredRule
from .query import query_rules
from .regions import region_to_code

__all__ = ["calculate"]


def _money(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _first_of_month_after(d: date, months: int) -> date:
    return _add_months(date(d.year, d.month, 1), months)


def _add_duration(d: date, amount: int, unit: str) -> date:
    if unit in ("day", "working_day"):  # working days: approximated as 7/5 calendar days
        return d + timedelta(days=amount if unit == "day" else (amount * 7 + 4) // 5)
    if unit == "week":
        return d + timedelta(weeks=amount)
    if unit == "month":
        return _add_months(d, amount)
    if unit == "year":
        return _add_months(d, 12 * amount)
    raise ValueError(f"unknown duration unit {unit!r}")


def _groups_match(groups: list[str], group: str) -> str | None:
    g = group.strip()
    for word in groups:
        if g and (g in word or word in g):
            return word
    return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def calculate(db: sqlite_utils.Database, region: str, year: int, *, paid_on: str, group: str | None = None,
              born: str | None = None, as_of: str | None = None) -> CalcResult:
    """Calculate from the rules approved (at ``as_of``, default now) for ``region`` and ``year``."""
    code = region_to_code(db, region, year)
    paid = parse_date("paid_on", paid_on)
    birth = parse_date("born", born) if born else None
    rules = query_rules(db, code, year, as_of=as_of)
    used: list[StoredRule] = []
    reasons: list[str] = []

    def of(kind: str) -> list[StoredRule]:
        return [r for r in rules if r.kind == kind]

    # 1. the standard personal contribution
    contribution: Decimal | None = None
    for r in of("personal_contribution"):
        if r.conditions.get("scheme", "basic_medical") == "basic_medical" and \
                r.conditions.get("population", "all") == "all" and r.params.get("amount") is not None:
            contribution = Decimal(str(r.params["amount"]))
            used.append(r)
            reasons.append(f"personal contribution {contribution} yuan ({r.id}@{r.version}, from {r.from_region})")
            break
    if contribution is None:
        reasons.append("no approved basic-medical personal contribution for all residents")

    # 2. assistance for the person's group
    due = contribution
    assistance: dict[str, Any] | None = None
    if group:
        for r in of("assistance"):
            word = _groups_match(list(r.conditions.get("groups") or []), group)
            if word is None:
                continue
            deadline = _date(r.conditions.get("paid_before"))
            if deadline is not None and paid > deadline:
                reasons.append(f"assistance {r.id}@{r.version} for {word} needs payment by {deadline}; paid {paid}")
                continue
            mode = r.params.get("mode")
            assistance = {"mode": mode, "group": word, "rule": f"{r.id}@{r.version}"}
            if contribution is not None:
                if mode == "full":
                    due, assistance["amount"] = Decimal(0), _money(contribution)
                elif mode == "fixed" and r.params.get("net_personal_amount") is not None:
                    due = Decimal(str(r.params["net_personal_amount"]))
                    assistance["amount"] = _money(contribution - due)
                elif mode == "fixed" and r.params.get("amount") is not None:
                    aid = min(contribution, Decimal(str(r.params["amount"])))
                    due, assistance["amount"] = contribution - aid, _money(aid)
                elif mode == "percent" and r.params.get("percent") is not None:
                    aid = contribution * Decimal(str(r.params["percent"])) / 100
                    due, assistance["amount"] = contribution - aid, _money(aid)
                    assistance["percent"] = str(r.params["percent"])
            used.append(r)
            reasons.append(f"assistance ({mode}) for {word}: {assistance.get('amount')} yuan ({r.id}@{r.version})")
            break
        else:
            if assistance is None:
                reasons.append(f"no approved assistance rule names the group {group!r}")

    # 3. benefit period and start
    policy_start, policy_end = date(year, 1, 1), date(year, 12, 31)
    for r in of("benefit_period"):
        start, end = _date(r.params.get("start")), _date(r.params.get("end"))
        if start and end:
            policy_start, policy_end = start, end
            used.append(r)
            reasons.append(f"benefit period {start} to {end} ({r.id}@{r.version})")
            break
    benefit: date | None = None
    if birth is not None:
        for r in of("newborn_enrollment"):
            amount, unit = r.params.get("window_amount"), r.params.get("window_unit")
            within = amount is None or paid <= _add_duration(birth, int(amount), str(unit or "day"))
            if not within:
                reasons.append(f"newborn window {amount} {unit} from {birth} missed ({r.id}@{r.version})")
                continue
            frm = r.params.get("benefit_from")
            benefit = {"birth": birth, "registration": paid,
                       "next_month_after_payment": _first_of_month_after(paid, 1)}.get(str(frm), birth)
            used.append(r)
            reasons.append(f"newborn paid within {amount} {unit}: benefits from {frm} ({r.id}@{r.version})")
            break
    if benefit is None:
        for r in of("enrollment_period"):
            start, end = _date(r.params.get("start")), _date(r.params.get("end"))
            if start and end and start <= paid <= end:
                benefit = policy_start
                used.append(r)
                reasons.append(f"paid in the {r.conditions.get('phase') or ''} enrollment period {start}–{end}: "
                               f"benefits from {policy_start} ({r.id}@{r.version})")
                break
    if benefit is None:
        for r in of("benefit_start"):
            window = r.conditions.get("paid_between")
            if window:
                lo, hi = _date(window[0]), _date(window[1])
                if not (lo and hi and lo <= paid <= hi):
                    continue
            elif r.conditions.get("enrollee") not in (None, "first_time", "continuous"):
                continue
            frm, days = r.params.get("from"), r.params.get("days")
            benefit = {"policy_year_start": policy_start, "next_month_after_payment": _first_of_month_after(paid, 1),
                       "third_month_after_payment": _first_of_month_after(paid, 3),
                       "days_after_payment": paid + timedelta(days=int(days or 0))}.get(str(frm))
            if benefit is not None:
                used.append(r)
                reasons.append(f"benefit_start {frm}: {benefit} ({r.id}@{r.version})")
                break
    if benefit is None:
        for r in of("waiting_period"):
            exempt = list(r.conditions.get("exempt") or [])
            if group and _groups_match(exempt, group):
                reasons.append(f"{group} is exempt from the waiting period ({r.id}@{r.version})")
                benefit = max(paid, policy_start)
            else:
                amount, unit = int(r.params.get("amount") or 0), str(r.params.get("unit") or "day")
                benefit = _add_duration(paid, amount, unit)
                reasons.append(f"paid outside the enrollment period: waiting period {amount} {unit} → {benefit} "
                               f"({r.id}@{r.version})")
            used.append(r)
            break
    if benefit is not None and benefit < policy_start and birth is None:
        benefit = policy_start  # a payment before the year never starts benefits before it
    if benefit is None:
        reasons.append("no approved rule decides the benefit start for this payment date")
    return CalcResult(
        region=code, policy_year=year, group=group, paid_on=paid.isoformat(), born=birth.isoformat() if birth else None,
        contribution=_money(contribution) if contribution is not None else None, assistance=assistance,
        amount_due=_money(due) if due is not None else None,
        benefit_start=benefit.isoformat() if benefit else None, benefit_end=policy_end.isoformat(), reasons=reasons,
        used=[{"id": r.id, "version": r.version, "kind": r.kind, "from_region": r.from_region} for r in used])
