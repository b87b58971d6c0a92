"""Score extraction against the gold annotations in a corpus (`noticerules eval`).

Each ``CORPUS/gold/NAME.json`` is matched with the notice ``CORPUS/**/NAME.{txt,html,htm,pdf,docx}``
and scored the way contract.md says:

- facts by ``type`` + ``value`` as sets (``optional`` gold facts neither help nor hurt);
  ``not_facts`` texts must not be covered by any fact; ``must_flag`` texts must come out
  covered by a flagged fact and by no clean one;
- rules by ``kind`` + ``policy_year`` + the key params the gold rule states;
- document fields one by one (titles compared without whitespace).

Scores are grouped by the folder the notice sits in (``seeds``, ``own`` …) and overall;
``corpus/floors.json`` pins the floors CI holds them to.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable

from extractors import parsed_to_extraction
from extractors.contract import Extraction

from .parse import source_to_parsed

__all__ = [
    "EvalReport",
    "FLOOR_METRICS",
    "corpus_to_report",
    "extraction_to_scores",
    "report_to_floor_failures",
]

SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")

# Rule params that identify a rule's value; a predicted rule matches a gold rule when the
# kind, the policy year and every key param the gold rule states are equal. This is a
# superset of the contract's "amount, percent, mode, start/end, window", so our own
# figures are never kinder than the contract's scoring.
KEY_PARAMS = (
    "amount",
    "percent",
    "mode",
    "start",
    "end",
    "window_amount",
    "window_unit",
    "unit",
    "benefit_from",
    "from",
    "net_personal_amount",
    "bound",
    "variable_amount",
    "max_amount",
)

DOCUMENT_FIELDS = (
    "title",
    "title_contains",
    "doc_number",
    "published",
    "issuers",
    "region",
    "policy_year",
    "script",
    "cites",
    "flags",
)

# Conditions of a matched rule, scored key by key where the gold rule states them: lists of
# group words as sets of normalised words (notices word one group in several ways: 在校大学生等
# 特殊群体 / 在校大学生), scalars as equal values.
CONDITION_LISTS = ("groups", "applies_to", "exempt")
_GROUP_NOISE = re.compile(r"\s+|^(?:经|对于|对|其中)|(?:等特殊群体|等特殊人群|等困难群体|等困难人员|等人员|等群体|等人群|等对象|等|的)$")

# (group, metric) pairs that floors may be set on.
FLOOR_METRICS = (
    "facts_f1",
    "facts_precision",
    "facts_recall",
    "rules_f1",
    "rules_precision",
    "rules_recall",
    "document_accuracy",
    "must_flag_accuracy",
    "not_facts_accuracy",
    "conditions_accuracy",
)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocScores:
    """The scores of one notice, with the misses listed so a regression can be read."""

    name: str
    group: str
    source: str
    facts: Counts = field(default_factory=Counts)
    rules: Counts = field(default_factory=Counts)
    rules_by_kind: dict[str, Counts] = field(default_factory=dict)
    fields_ok: dict[str, bool] = field(default_factory=dict)
    must_flag: dict[str, bool] = field(default_factory=dict)
    not_facts: dict[str, bool] = field(default_factory=dict)
    conditions: dict[str, list[bool]] = field(default_factory=dict)  # condition key → one bool per matched rule
    misses: dict[str, list[Any]] = field(default_factory=dict)
    error: str | None = None


@dataclass
class EvalReport:
    docs: list[DocScores]
    corpus_sha256: str

    def groups(self) -> list[str]:
        return sorted({d.group for d in self.docs}) + ["all"]

    def _docs(self, group: str) -> list[DocScores]:
        return [d for d in self.docs if group in ("all", d.group)]

    def summary(self, group: str) -> dict[str, Any]:
        docs = self._docs(group)
        facts, rules = Counts(), Counts()
        by_kind: dict[str, Counts] = defaultdict(Counts)
        fields: dict[str, list[bool]] = defaultdict(list)
        must, notf = [], []
        conds: dict[str, list[bool]] = defaultdict(list)
        for d in docs:
            for key, oks in d.conditions.items():
                conds[key] += oks
            facts.add(d.facts)
            rules.add(d.rules)
            for kind, c in d.rules_by_kind.items():
                by_kind[kind].add(c)
            for name, ok in d.fields_ok.items():
                fields[name].append(ok)
            must += d.must_flag.values()
            notf += d.not_facts.values()
        all_fields = [ok for oks in fields.values() for ok in oks]
        return {
            "notices": len(docs),
            "errors": sum(1 for d in docs if d.error),
            "facts": facts.as_dict(),
            "rules": rules.as_dict(),
            "rules_by_kind": {k: by_kind[k].as_dict() for k in sorted(by_kind)},
            "document": {
                "accuracy": round(_ratio(all_fields), 4),
                "fields": {k: round(_ratio(v), 4) for k, v in sorted(fields.items())},
            },
            "must_flag": {"accuracy": round(_ratio(must), 4), "n": len(must)},
            "not_facts": {"accuracy": round(_ratio(notf), 4), "n": len(notf)},
            "conditions": {
                "accuracy": round(_ratio([ok for oks in conds.values() for ok in oks]), 4),
                "n": sum(len(oks) for oks in conds.values()),
                "keys": {k: round(_ratio(v), 4) for k, v in sorted(conds.items())},
            },
        }

    def metric(self, group: str, metric: str) -> float:
        s = self.summary(group)
        table = {
            "facts_f1": s["facts"]["f1"],
            "facts_precision": s["facts"]["precision"],
            "facts_recall": s["facts"]["recall"],
            "rules_f1": s["rules"]["f1"],
            "rules_precision": s["rules"]["precision"],
            "rules_recall": s["rules"]["recall"],
            "document_accuracy": s["document"]["accuracy"],
            "must_flag_accuracy": s["must_flag"]["accuracy"],
            "not_facts_accuracy": s["not_facts"]["accuracy"],
            "conditions_accuracy": s["conditions"]["accuracy"],
        }
        return float(table[metric])

    def as_dict(self, *, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "corpus_sha256": self.corpus_sha256,
            "groups": {g: self.summary(g) for g in self.groups()},
        }
        if details:
            out["notices"] = [
                {
                    "name": d.name,
                    "group": d.group,
                    "source": d.source,
                    "error": d.error,
                    "facts": d.facts.as_dict(),
                    "rules": d.rules.as_dict(),
                    "fields_ok": d.fields_ok,
                    "must_flag": d.must_flag,
                    "not_facts": d.not_facts,
                    "conditions": d.conditions,
                    "misses": d.misses,
                }
                for d in self.docs
            ]
        return out


def _ratio(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 1.0


def _canon_scalar(value: Any) -> Any:
    """Compare "350" with 350 and "60.0" with "60"; leave words and dates alone."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value)).normalize()
    if isinstance(value, str):
        try:
            return Decimal(value).normalize()
        except (InvalidOperation, ValueError):
            return value
    return value


def _fact_key(ftype: str, value: dict[str, Any]) -> str:
    return ftype + json.dumps({k: _canon_str(v) for k, v in value.items()}, ensure_ascii=False, sort_keys=True)


def _canon_str(v: Any) -> Any:
    c = _canon_scalar(v)
    return str(c) if isinstance(c, Decimal) else c


def _nows(s: str | None) -> str | None:
    return None if s is None else "".join(s.split())


def _find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], haystack.find(needle)
    while needle and i >= 0:
        out.append((i, i + len(needle)))
        i = haystack.find(needle, i + 1)
    return out


def _locate(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` (as written in the gold, usually simplified) sits in the original text."""
    spans = _find_all(text, needle)
    if spans:
        return spans
    from extractors.normalise import text_to_normalised  # simplified, cleaned, with an offset map

    norm = text_to_normalised(text)
    spans = [norm.to_original(s, e) for s, e in _find_all(norm.text, needle)]
    if spans:
        return spans
    # a needle that keeps what the normaliser cleans (1.?万元 in a traditional notice: the ? is
    # gone from the normalised text): the original converted char for char, when that keeps offsets
    import opencc

    simplified = opencc.OpenCC("t2s").convert(text)
    return _find_all(simplified, needle) if len(simplified) == len(text) else []


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_facts(ex: Extraction, gold: dict[str, Any], text: str, ds: DocScores) -> None:
    predicted = {_fact_key(f.type, f.value) for f in ex.facts if f.value is not None}
    required = {_fact_key(g["type"], g["value"]) for g in gold.get("facts", []) if not g.get("optional")}
    optional = {_fact_key(g["type"], g["value"]) for g in gold.get("facts", []) if g.get("optional")}
    ds.facts = Counts(
        tp=len(predicted & required),
        fp=len(predicted - required - optional),
        fn=len(required - predicted),
    )
    ds.misses["facts_missing"] = sorted(required - predicted)
    ds.misses["facts_extra"] = sorted(predicted - required - optional)

    spans = [((f.start, f.end), f) for f in ex.facts]
    for needle in gold.get("not_facts", []):
        where = _locate(text, needle)
        hit = [f.text for sp, f in spans for w in where if _overlaps(sp, w)]
        ds.not_facts[needle] = not hit
    for needle in gold.get("must_flag", []):
        where = _locate(text, needle)
        covering = [f for sp, f in spans for w in where if _overlaps(sp, w)]
        ds.must_flag[needle] = bool(covering) and all(f.flags for f in covering)


def _rule_matches(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    if pred["kind"] != gold["kind"] or pred.get("policy_year") != gold.get("policy_year"):
        return False
    gp, pp = gold.get("params", {}), pred.get("params", {})
    return all(_canon_scalar(pp.get(k)) == _canon_scalar(gp[k]) for k in KEY_PARAMS if k in gp)


def _rule_label(r: dict[str, Any]) -> str:
    params = {k: r.get("params", {}).get(k) for k in KEY_PARAMS if k in r.get("params", {})}
    return f"{r['kind']} {r.get('policy_year')} {json.dumps(params, ensure_ascii=False, sort_keys=True)}"


def _score_rules(ex: Extraction, gold: dict[str, Any], ds: DocScores) -> None:
    preds = [r.model_dump(mode="json") for r in ex.rules]
    golds = gold.get("rules", [])
    used: set[int] = set()
    by_kind: dict[str, Counts] = defaultdict(Counts)
    missing = []
    # required gold rules first, so an optional one never takes a prediction a required one needs
    for g in sorted(golds, key=lambda g: bool(g.get("optional"))):
        match = next((i for i, p in enumerate(preds) if i not in used and _rule_matches(p, g)), None)
        if match is not None:
            used.add(match)
            if not g.get("optional"):
                by_kind[g["kind"]].tp += 1
                _score_conditions(preds[match], g, ds)
        elif not g.get("optional"):
            by_kind[g["kind"]].fn += 1
            missing.append(_rule_label(g))
    extra = []
    for i, p in enumerate(preds):
        if i not in used:
            by_kind[p["kind"]].fp += 1
            extra.append(_rule_label(p))
    ds.rules_by_kind = dict(by_kind)
    total = Counts()
    for c in by_kind.values():
        total.add(c)
    ds.rules = total
    ds.misses["rules_missing"] = missing
    ds.misses["rules_extra"] = extra


def _group_words(words: Any) -> set[str]:
    return {_GROUP_NOISE.sub("", str(w)) for w in (words or [])} - {""}


def _score_conditions(pred: dict[str, Any], gold: dict[str, Any], ds: DocScores) -> None:
    """Each condition the gold rule states, compared with the matched prediction's."""
    have = pred.get("conditions") or {}
    for key, want in (gold.get("conditions") or {}).items():
        got = have.get(key)
        if key in CONDITION_LISTS:
            ok = _group_words(got) == _group_words(want)
        elif isinstance(want, list):
            ok = [_canon_scalar(x) for x in (got or [])] == [_canon_scalar(x) for x in want]
        else:
            ok = _canon_str(_canon_scalar(got)) == _canon_str(_canon_scalar(want))
        ds.conditions.setdefault(key, []).append(ok)
        if not ok:
            ds.misses.setdefault("conditions_wrong", []).append(
                f"{_rule_label(gold)} {key}: want {json.dumps(want, ensure_ascii=False)}, "
                f"got {json.dumps(got, ensure_ascii=False)}")


def _score_document(ex: Extraction, gold_doc: dict[str, Any], ds: DocScores) -> None:
    doc = ex.document.model_dump(mode="json")
    for name in DOCUMENT_FIELDS:
        if name not in gold_doc:
            continue
        want, got = gold_doc[name], doc.get(name if name != "title_contains" else "title")
        if name == "title":
            ok = _nows(want) == _nows(got)
        elif name == "title_contains":
            ok = got is not None and (_nows(want) or "") in (_nows(got) or "")
        elif name in ("issuers", "cites"):
            ok = Counter(want or []) == Counter(got or [])
        elif name == "flags":
            ok = set(want or []) <= set(got or [])
        elif name == "region":
            ok = all(got.get(k) == v for k, v in (want or {}).items())
        else:
            ok = want == got
        ds.fields_ok[name] = ok
        if not ok:
            ds.misses.setdefault("fields_wrong", []).append({"field": name, "want": want, "got": got})


def extraction_to_scores(ex: Extraction, gold: dict[str, Any], text: str, ds: DocScores) -> DocScores:
    """Score one extraction against its gold annotation (fills and returns `ds`)."""
    _score_facts(ex, gold, text, ds)
    _score_rules(ex, gold, ds)
    _score_document(ex, gold.get("document", {}), ds)
    return ds


def _gold_source(corpus: Path, name: str) -> Path | None:
    for path in sorted(corpus.rglob(f"{name}.*")):
        if path.suffix.lower() in SOURCE_SUFFIXES and "gold" not in path.relative_to(corpus).parts:
            return path
    return None


def _corpus_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def corpus_to_report(corpus: Path) -> EvalReport:
    """Extract every notice that has a gold file under `corpus` and score it."""
    gold_dir = corpus / "gold"
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{corpus}: no gold/ folder; expected {gold_dir}/NAME.json beside the notices")
    docs: list[DocScores] = []
    hashed: list[Path] = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        name = gold_path.stem
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        source = _gold_source(corpus, name)
        hashed.append(gold_path)
        if source is None:
            ds = DocScores(name=name, group="missing", source="")
            ds.error = f"{gold_path}: no notice named {name}.* under {corpus}"
            docs.append(ds)
            continue
        hashed.append(source)
        group = source.relative_to(corpus).parts[0]
        ds = DocScores(name=name, group=group, source=str(source))
        try:
            parsed = source_to_parsed(str(source))
            ex = parsed_to_extraction(parsed)
        except Exception as exc:  # noqa: BLE001 - a failing notice scores zero, the rest go on
            ds.error = f"{source}: {type(exc).__name__}: {exc}"
            ds.facts.fn = sum(1 for f in gold.get("facts", []) if not f.get("optional"))
            ds.rules.fn = sum(1 for r in gold.get("rules", []) if not r.get("optional"))
            docs.append(ds)
            continue
        docs.append(extraction_to_scores(ex, gold, parsed.text, ds))
    return EvalReport(docs=docs, corpus_sha256=_corpus_hash(hashed))


def report_to_floor_failures(report: EvalReport, floors: dict[str, dict[str, float]]) -> list[str]:
    """One line per (group, metric) below its floor; empty when every floor holds."""
    failures = []
    for group, metrics in sorted(floors.items()):
        if group not in report.groups():
            failures.append(f"{group}: no notices in this group, but floors are set for it")
            continue
        for metric, floor in sorted(metrics.items()):
            got = report.metric(group, metric)
            if got + 1e-9 < floor:
                failures.append(f"{group}.{metric} = {got:.4f} is below its floor {floor:.4f}")
    return failures
