"""`noticerules eval`: precision/recall/F1 of facts, rules and document fields against gold."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

import click

from ..evaluate import FLOOR_METRICS, EvalReport, corpus_to_report, report_to_floor_failures


def _table(report: EvalReport) -> str:
    lines = []
    head = f"{'group':<8} {'n':>3}  {'facts P/R/F1':<20} {'rules P/R/F1':<20} {'doc acc':>7} {'must_flag':>9} {'not_facts':>9}"
    lines.append(head)
    lines.append("-" * len(head))
    for g in report.groups():
        s = report.summary(g)
        f, r = s["facts"], s["rules"]
        lines.append(
            f"{g:<8} {s['notices']:>3}  "
            f"{f['precision']:.3f}/{f['recall']:.3f}/{f['f1']:.3f}  "
            f"{r['precision']:.3f}/{r['recall']:.3f}/{r['f1']:.3f}  "
            f"{s['document']['accuracy']:>7.3f} {s['must_flag']['accuracy']:>9.3f} {s['not_facts']['accuracy']:>9.3f}"
        )
    s = report.summary("all")
    if s["rules_by_kind"]:
        lines.append("")
        lines.append("rules by kind (all)      P      R     F1   tp  fp  fn")
        for kind, c in s["rules_by_kind"].items():
            lines.append(
                f"  {kind:<22} {c['precision']:.3f}  {c['recall']:.3f}  {c['f1']:.3f}  {c['tp']:>3} {c['fp']:>3} {c['fn']:>3}"
            )
    lines.append("")
    lines.append("document fields (all): " + ", ".join(f"{k} {v:.2f}" for k, v in s["document"]["fields"].items()))
    c = s["conditions"]
    lines.append(f"conditions of matched rules (all): {c['accuracy']:.3f} over {c['n']} gold conditions; "
                 + ", ".join(f"{k} {v:.2f}" for k, v in c["keys"].items()))
    for d in report.docs:
        if d.error:
            lines.append(f"error: {d.error}")
    return "\n".join(lines)


def _load_floors(path: Path) -> dict:
    if not path.exists():
        return {"floors": {}, "history": []}
    return json.loads(path.read_text(encoding="utf-8"))


@click.command("eval")
@click.argument("corpus", required=False, default="corpus", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--details", is_flag=True, help="With --format json: per-notice scores and misses.")
@click.option("--check", is_flag=True, help="Exit 1 when a score is below its floor in CORPUS/floors.json.")
@click.option("--floors", "floors_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Floors file (default CORPUS/floors.json).")
@click.option("--update-floors", is_flag=True,
              help="Raise floors to the current scores (rounded down to 2 places). Floors never go down.")
def eval_command(corpus: Path, fmt: str, details: bool, check: bool, floors_path: Path | None, update_floors: bool) -> None:
    """Score `extract` against CORPUS/gold/*.json (default corpus/).

    Facts by type+value, rules by kind+policy_year+key params, document fields one by one;
    grouped by the folder each notice sits in (seeds, own …) and overall.

    Example: noticerules eval corpus/ --check
    """
    if not corpus.is_dir():
        raise click.BadParameter(f"{corpus} is not a folder", param_hint="CORPUS")
    try:
        report = corpus_to_report(corpus)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(details=details), ensure_ascii=False, indent=1))
    else:
        click.echo(_table(report))

    floors_path = floors_path or corpus / "floors.json"
    data = _load_floors(floors_path)
    if update_floors:
        raised = {}
        for group, metrics in data.get("floors", {}).items():
            for metric in metrics:
                now = math.floor(report.metric(group, metric) * 100) / 100
                if now > metrics[metric]:
                    raised[f"{group}.{metric}"] = (metrics[metric], now)
                    metrics[metric] = now
        if raised:
            data.setdefault("history", []).append(
                {"date": dt.date.today().isoformat(), "raised": {k: v[1] for k, v in raised.items()}}
            )
        data["corpus_sha256"] = report.corpus_sha256
        floors_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for k, (old, new) in sorted(raised.items()):
            click.echo(f"floor raised: {k} {old:.2f} -> {new:.2f}", err=True)
    if check:
        unknown = [f"{g}.{m}" for g, ms in data.get("floors", {}).items() for m in ms if m not in FLOOR_METRICS]
        if unknown:
            raise click.ClickException(f"{floors_path}: unknown metrics {unknown}; known: {list(FLOOR_METRICS)}")
        if data.get("corpus_sha256") and data["corpus_sha256"] != report.corpus_sha256:
            click.echo(f"note: the corpus changed since {floors_path} was written; "
                       "run `noticerules eval --update-floors` after checking the scores", err=True)
        failures = report_to_floor_failures(report, data.get("floors", {}))
        errors = [d.error for d in report.docs if d.error]
        for line in failures:
            click.echo(f"FLOOR: {line}", err=True)
        if failures or errors:
            sys.exit(1)
        click.echo(f"eval: all {sum(len(m) for m in data.get('floors', {}).values())} floors hold", err=True)


def register(group: click.Group) -> None:
    group.add_command(eval_command)
