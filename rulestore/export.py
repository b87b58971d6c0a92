"""Export approved rules: JSON (the contract's rule objects) and an OpenFisca parameter tree.

    >>> store_to_openfisca(db, "build/openfisca")   # doctest: +SKIP
    >>> from openfisca_core.parameters import ParameterNode
    >>> node = ParameterNode("resident_medical_insurance",
    ...                      directory_path="build/openfisca/resident_medical_insurance")  # doctest: +SKIP
    >>> node.children["220000"].personal_contribution.basic_medical_all.amount("2024-06-01")  # doctest: +SKIP
    380

OpenFisca layout: ``resident_medical_insurance/<region code>.yaml``, inside it
``<kind>.<slot>.<param>`` where the slot names the distinguishing conditions
(``basic_medical_all``, ``concentrated``, ``default``, or ``g_<hash>`` for a group list, whose
description lists the groups). Each numeric param has ``values`` keyed by effective date (the
policy year's 1 January) with provenance in the value's metadata: rule id and version,
document number, source URL/path, capture sha256, span, quote, approver and approval time.
A year with no rule after one with a rule gets ``value: null`` so an old value does not run on
silently. Dates (enrollment windows) are not numeric parameters: they are in the JSON export.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import sqlite_utils
import yaml

from .db import now_iso
from .dates import parse_datetime
from .models import StoredRule

__all__ = ["approved_rules", "store_to_json", "store_to_openfisca"]

_NUMERIC_PARAMS = ("amount", "percent", "net_personal_amount", "window_amount", "days")
_UNITS = {"amount": "currency-CNY", "net_personal_amount": "currency-CNY", "percent": "/100 (percent)",
          "window_amount": "duration", "days": "day"}
_ASCII = re.compile(r"^[a-z0-9_]+$")
_SLOT_ORDER = ["scheme", "population", "phase", "enrollee", "window", "groups"]


def approved_rules(db: sqlite_utils.Database, as_of: str | None = None) -> list[StoredRule]:
    """Every version approved now (or at ``as_of``), ordered by region, year, kind.

    At ``as_of`` each version carries the record-time interval that covered it then (from the
    append-only ``publications``), not a later one.
    """
    from .store import _AS_OF_COLUMNS, _AS_OF_JOIN, _VERSION_COLUMNS, _VERSION_FROM, _rows_to_rules

    if as_of is None:
        sql, args = f"SELECT {_VERSION_COLUMNS} FROM {_VERSION_FROM} WHERE v.status = 'approved'", []
    else:
        at = parse_datetime("as_of", as_of)
        sql, args = f"SELECT {_AS_OF_COLUMNS} FROM {_VERSION_FROM}{_AS_OF_JOIN}", [at, at]
    rows = db.execute(f"{sql} ORDER BY v.region_code, v.policy_year, v.kind, v.rule_id", args).fetchall()
    return _rows_to_rules(db, rows)


def store_to_json(db: sqlite_utils.Database, out_dir: str | Path, *, as_of: str | None = None) -> list[Path]:
    """Write ``rules.json`` (array of rule objects with evidence lists) and ``manifest.json``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rules = approved_rules(db, as_of)
    (out / "rules.json").write_text(json.dumps([r.model_dump(mode="json") for r in rules], ensure_ascii=False,
                                               indent=1), encoding="utf-8")
    manifest = {"exported_at": now_iso(), "as_of": as_of, "rules": len(rules), "format": "noticerules-rules-v1"}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return [out / "rules.json", out / "manifest.json"]


def _slot(signature: dict[str, Any]) -> tuple[str, str]:
    """A parameter-name-safe key for the distinguishing conditions, and a readable description."""
    readable = json.dumps(signature, ensure_ascii=False, sort_keys=True) if signature else "all"
    if not signature:
        return "default", readable
    ordered = sorted(signature.items(), key=lambda kv: (_SLOT_ORDER.index(kv[0]) if kv[0] in _SLOT_ORDER else 99, kv[0]))
    parts = [str(v) for k, v in ordered if not isinstance(v, list | bool)]
    parts += [k if v else f"no_{k}" for k, v in ordered if isinstance(v, bool)]
    if len(parts) == len(signature) and all(_ASCII.match(p) for p in parts):
        return "_".join(parts), readable
    digest = hashlib.sha256(json.dumps(signature, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:8]
    return f"g_{digest}", readable


def _number(value: Any) -> int | float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _provenance(db: sqlite_utils.Database, rule: StoredRule) -> dict[str, Any]:
    # the approval in force for this interval: the latest one up to its start (an interval
    # reopened by an undo goes back to the approval that first published the version)
    approver = db.execute("SELECT actor FROM review_events WHERE version_id = ? AND action = 'approve' AND at <= ? "
                          "ORDER BY id DESC LIMIT 1", [rule.version_id, rule.recorded_from or now_iso()]).fetchone()
    first = rule.evidence[0] if rule.evidence else None
    return {
        "rule_id": rule.id, "rule_version": rule.version,
        "document_number": first.doc_number if first else None,
        "source": first.source if first else None,
        "capture_sha256": first.sha256 if first else None,
        "span": [first.start, first.end] if first else None,
        "quote": first.quote if first else None,
        "corroborating_documents": rule.corroboration,
        "approved_by": approver[0] if approver else None,
        "approved_at": rule.recorded_from,
    }


def store_to_openfisca(db: sqlite_utils.Database, out_dir: str | Path, *, as_of: str | None = None) -> list[Path]:
    """Write the OpenFisca parameter tree under ``out_dir/resident_medical_insurance``."""
    root = Path(out_dir) / "resident_medical_insurance"
    root.mkdir(parents=True, exist_ok=True)
    tree: dict[str, dict[str, Any]] = {}
    signatures = {row[0]: json.loads(row[1]) for row in db.execute("SELECT id, signature FROM rules")}
    for rule in approved_rules(db, as_of):
        if rule.policy_year is None:
            continue  # no valid time: nothing to key a value by
        slot, readable = _slot(signatures.get(rule.id, {}))
        code = rule.region.code or "000000"
        region_node = tree.setdefault(code, {"description": _region_label(rule)})
        kind_node = region_node.setdefault(rule.kind, {"description": rule.kind})
        slot_node = kind_node.setdefault(slot, {"description": f"{rule.kind} where {readable}"})
        for name in _NUMERIC_PARAMS:
            number = _number(rule.params.get(name)) if rule.params.get(name) is not None else None
            if number is None:
                continue
            meta: dict[str, Any] = {"unit": _UNITS[name]}
            if name == "window_amount" and rule.params.get("window_unit"):
                meta["unit"] = str(rule.params["window_unit"])
            if rule.kind == "waiting_period" and name == "amount":
                meta["unit"] = str(rule.params.get("unit") or "day")
            param = slot_node.setdefault(name, {"description": f"{rule.kind} {name}", "metadata": meta, "values": {}})
            param["values"][f"{rule.policy_year}-01-01"] = {"value": number, "metadata": _provenance(db, rule)}
    written = [root / "index.yaml"]
    (root / "index.yaml").write_text(yaml.safe_dump(
        {"description": "城乡居民基本医疗保险 rules approved in noticerules, by region code",
         "metadata": {"exported_at": now_iso(), "as_of": as_of}}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for code, node in sorted(tree.items()):
        _close_gaps(node)
        path = root / f"{code}.yaml"
        path.write_text(yaml.safe_dump(node, allow_unicode=True, sort_keys=False), encoding="utf-8")
        written.append(path)
    return written


def _close_gaps(node: dict[str, Any]) -> None:
    """After each year's value with no value for the next year, add ``null`` on the next 1 January."""
    for value in node.values():
        if not isinstance(value, dict):
            continue
        if "values" in value and isinstance(value["values"], dict):
            values = value["values"]
            years = sorted(int(k[:4]) for k in values)
            for year in years:
                if f"{year + 1}-01-01" not in values:
                    values[f"{year + 1}-01-01"] = {"value": None}
            value["values"] = dict(sorted(values.items(), reverse=True))  # OpenFisca lists newest first
        else:
            _close_gaps(value)


def _region_label(rule: StoredRule) -> str:
    r = rule.region
    name = "".join(p for p in (r.province, r.city, r.county) if p) or "全国"
    return f"{name} ({r.code})"
