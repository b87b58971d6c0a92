"""Rule-store verbs: ingest, rules list|show|approve|reject|correct, query, export, db, calc,
users, tokens, changes. Each is a thin wrapper over one rulestore function.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import sqlite_utils

from rulestore.db import default_db_path, open_db
from rulestore.errors import InvalidValue, StoreError

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(fn: F) -> F:
    return click.option("--db", "db_path", default=None, metavar="FILE",
                        help="Store file (default: $NOTICERULES_DB, else ./noticerules.db).")(fn)


def _format_option(fn: F) -> F:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="json: an array of rule objects as in the contract.")(fn)


@contextmanager
def _store(db_path: str | None) -> Iterator[sqlite_utils.Database]:
    """Open the store and translate store errors: bad values exit 2 (usage), others exit 1."""
    try:
        db = open_db(db_path or default_db_path())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield db
    except InvalidValue as exc:
        raise click.UsageError(str(exc)) from None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _summary(params: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items() if v is not None)


def _rules_out(rules: list[Any], fmt: str) -> None:
    if fmt == "json":
        click.echo(_dump([r.model_dump(mode="json") for r in rules]))
        return
    for r in rules:
        origin = f" from {r.from_region}" if r.from_region and r.from_region != r.region.code else ""
        flags = f" [{','.join(r.flags)}]" if r.flags else ""
        click.echo(f"{r.id}@{r.version}\t{r.status}\t{r.kind}\t{r.region.code}\t{r.policy_year}\t"
                   f"{_summary(r.params)}\tdocs={r.corroboration}{flags}{origin}")
    if not rules:
        click.echo("(no rules)", err=True)


# ---- ingest --------------------------------------------------------------------------------

@click.command("ingest")
@click.argument("sources", nargs=-1, required=True, metavar="PATH_OR_URL...")
@_db_option
def ingest_command(sources: tuple[str, ...], db_path: str | None) -> None:
    """Fetch, parse and extract notices and store their rules as proposed.

    Inputs already stored (same bytes, same extractor version) are skipped. Exit status 1
    when some inputs failed; each failure is on stderr with its input.

    Example: noticerules ingest corpus/seeds/*.txt --db rules.db
    """
    from ingest.pipeline import sources_to_store

    def report(source: str, result: Any, error: str | None) -> None:
        if error is not None:
            click.echo(f"error: {error}", err=True)
        elif result.skipped:
            click.echo(f"{source}: already stored (document {result.document_id}), skipped")
        else:
            click.echo(f"{source}: document {result.document_id} (version {result.source_version}), "
                       f"{result.facts} facts, {result.versions_new} new rule versions, "
                       f"{result.corroborated} corroborated, {result.conflicts} conflicts")

    outcome = sources_to_store(sources, db_path=db_path or default_db_path(), on_result=report)
    if outcome.failures:
        click.echo(f"{len(outcome.failures)} of {len(sources)} inputs failed", err=True)
        sys.exit(1)


@click.command("reextract")
@_db_option
def reextract_command(db_path: str | None) -> None:
    """Run the current extractor over stored captures; changed values go back to review.

    Example: noticerules reextract --db rules.db
    """
    from ingest.pipeline import store_to_reextracted

    with _store(db_path) as db:
        report = store_to_reextracted(db)
    for r in report.results:
        click.echo(f"{r.source}: document {r.document_id}, {r.versions_new} new versions, {r.conflicts} conflicts")
    for _, message in report.failures:
        click.echo(f"error: {message}", err=True)
    if report.failures:
        sys.exit(1)


# ---- rules ---------------------------------------------------------------------------------

@click.group("rules")
def rules_group() -> None:
    """List, show and review stored rules.

    Example: noticerules rules list --status proposed --region 吉林省
    """


def _region_code(db: sqlite_utils.Database, region: str | None, year: int | None = None) -> str | None:
    from rulestore.regions import region_to_code

    return None if region is None else region_to_code(db, region, year)


@rules_group.command("list")
@click.option("--status", type=click.Choice(["proposed", "approved", "rejected", "superseded"]))
@click.option("--kind", help="A rule kind, e.g. personal_contribution.")
@click.option("--region", help="Region name or 6-digit code (only rules stored for exactly it).")
@click.option("--year", type=int, help="Policy year.")
@_format_option
@_db_option
def rules_list(status: str | None, kind: str | None, region: str | None, year: int | None, fmt: str,
               db_path: str | None) -> None:
    """List rule versions (one line, or one JSON object, per version).

    Example: noticerules rules list --status proposed --format json
    """
    from rulestore.store import list_rules

    with _store(db_path) as db:
        _rules_out(list_rules(db, status=status, kind=kind, region_code=_region_code(db, region, year), year=year), fmt)


@rules_group.command("show")
@click.argument("rule_id")
@_format_option
@_db_option
def rules_show(rule_id: str, fmt: str, db_path: str | None) -> None:
    """Show a rule: every version with its evidence, and its review history.

    Example: noticerules rules show 3f9a2c1b7d04
    """
    from rulestore.query import rule_history

    with _store(db_path) as db:
        history = rule_history(db, rule_id)
        if fmt == "json":
            click.echo(_dump(history.model_dump(mode="json")))
            return
        click.echo(f"rule {history.id}  {history.kind}  region {history.region_code}  year {history.policy_year}  "
                   f"revision {history.revision}")
        click.echo(f"  distinguishing conditions: {json.dumps(history.signature, ensure_ascii=False)}")
        for v in history.versions:
            click.echo(f"  version {v.version}: {v.status}  {_summary(v.params)}  conditions "
                       f"{json.dumps(v.conditions, ensure_ascii=False)}  flags {v.flags}  ({v.origin}"
                       f"{', by ' + v.created_by if v.created_by else ''})")
            for e in v.evidence:
                click.echo(f"    evidence {e.source} [{e.start}:{e.end}] {e.doc_number or ''} 「{e.quote}」")
        click.echo("  history:")
        for ev in history.events:
            click.echo(f"    {ev.at} {ev.actor} {ev.action} v{ev.version}" + (f" — {ev.comment}" if ev.comment else ""))


def _review_options(fn: F) -> F:
    fn = click.option("--seen-revision", type=int, help="The rule revision you reviewed; refuse if it changed.")(fn)
    fn = click.option("--version", type=int, help="Version to act on (default: the only proposed one).")(fn)
    fn = click.option("--comment", help="Why (kept in the audit trail).")(fn)
    fn = click.option("--by", "actor", required=True, help="Reviewer name.")(fn)
    return fn


@rules_group.command("approve")
@click.argument("rule_id")
@_review_options
@_db_option
def rules_approve(rule_id: str, actor: str, comment: str | None, version: int | None, seen_revision: int | None,
                  db_path: str | None) -> None:
    """Approve a proposed rule version (RULE_ID or RULE_ID@VERSION).

    The previously approved version of the rule is superseded.

    Example: noticerules rules approve 3f9a2c1b7d04 --by alice --comment "checked"
    """
    from rulestore.review import approve

    with _store(db_path) as db:
        v = approve(db, rule_id, actor=actor, version=version, seen_revision=seen_revision, comment=comment)
        click.echo(f"{v.id}@{v.version} {v.status}" + ("" if v.status == "approved" else
                                                        f" (approvals: {', '.join(v.approvals)}; needs another)"))


@rules_group.command("reject")
@click.argument("rule_id")
@_review_options
@_db_option
def rules_reject(rule_id: str, actor: str, comment: str | None, version: int | None, seen_revision: int | None,
                 db_path: str | None) -> None:
    """Reject a proposed version, or withdraw an approved one.

    Example: noticerules rules reject 3f9a2c1b7d04@2 --by alice --comment "misread the table"
    """
    from rulestore.review import reject

    with _store(db_path) as db:
        v = reject(db, rule_id, actor=actor, version=version, seen_revision=seen_revision, comment=comment)
        click.echo(f"{v.id}@{v.version} {v.status}")


def _pairs(values: tuple[str, ...], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r}; use NAME=VALUE, e.g. amount=380", param_hint=what)
        try:
            out[name] = json.loads(raw)
            if isinstance(out[name], float):  # money and percents stay decimal strings
                out[name] = raw
        except ValueError:
            out[name] = raw
        if isinstance(out[name], int) and name in ("amount", "percent", "net_personal_amount") and what == "--set":
            out[name] = raw
    return out


@rules_group.command("correct")
@click.argument("rule_id")
@_review_options
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE", help="A corrected param (repeatable).")
@click.option("--condition", "conds", multiple=True, metavar="NAME=JSON", help="A corrected condition (repeatable).")
@click.option("--approve", "and_approve", is_flag=True, help="Approve the correction at once.")
@_db_option
def rules_correct(rule_id: str, actor: str, comment: str | None, version: int | None, seen_revision: int | None,
                  sets: tuple[str, ...], conds: tuple[str, ...], and_approve: bool, db_path: str | None) -> None:
    """Add a corrected version of a rule (the audit trail records who changed what).

    Example: noticerules rules correct 3f9a2c1b7d04 --by alice --set amount=380 --comment "table says 380"
    """
    from rulestore.review import correct

    params = _pairs(sets, "--set") if sets else None
    conditions = _pairs(conds, "--condition") if conds else None
    with _store(db_path) as db:
        v = correct(db, rule_id, actor=actor, version=version, params=params, conditions=conditions,
                    seen_revision=seen_revision, comment=comment, approve=and_approve)
        click.echo(f"{v.id}@{v.version} {v.status} {_summary(v.params)}")


@rules_group.command("add")
@click.option("--document", "document_id", required=True, type=int, help="Stored document the rule is read from.")
@click.option("--kind", required=True, help="Rule kind, e.g. personal_contribution.")
@click.option("--year", required=True, type=int, help="Policy year.")
@click.option("--params", "params_json", required=True, metavar="JSON", help='e.g. \'{"amount": "380"}\'.')
@click.option("--conditions", "conditions_json", default="{}", metavar="JSON", help="Conditions as JSON.")
@click.option("--quote", required=True, help="The passage stating the rule (found in the document's text).")
@click.option("--by", "actor", required=True, help="Reviewer name.")
@click.option("--comment", help="Why (kept in the audit trail).")
@_db_option
def rules_add(document_id: int, kind: str, year: int, params_json: str, conditions_json: str, quote: str, actor: str,
              comment: str | None, db_path: str | None) -> None:
    """Add a rule the extractor missed, as proposed, with its evidence in a stored document.

    Example: noticerules rules add --document 5 --kind personal_contribution --year 2024
    --params '{"amount": "380", "currency": "CNY", "per": "person_year"}' --quote 每人每年380元 --by alice
    """
    from pydantic import ValidationError

    from extractors.contract import Evidence, Rule
    from rulestore.review import propose

    try:
        params, conditions = json.loads(params_json), json.loads(conditions_json)
        rule = Rule(kind=kind, policy_year=year, params=params, conditions=conditions,
                    evidence=Evidence(quote=quote, start=0, end=0), confidence=1.0)
    except ValueError as exc:  # JSON and pydantic errors: name the field
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})"
                           for e in exc.errors()) if isinstance(exc, ValidationError) else str(exc)
        raise click.UsageError(f"invalid rule: {detail}") from None
    with _store(db_path) as db:
        v = propose(db, rule, document_id=document_id, actor=actor, comment=comment)
        click.echo(f"{v.id}@{v.version} {v.status} {_summary(v.params)}")


# ---- query, changes, export, calc -----------------------------------------------------------

@click.command("query")
@click.option("--region", required=True, help="Region name or 6-digit code; falls back county → national.")
@click.option("--year", required=True, type=int, help="Policy year.")
@click.option("--kind", help="Only this rule kind.")
@click.option("--as-of", "as_of", metavar="ISO_DATETIME", help="What was approved at this time (default: now).")
@_format_option
@_db_option
def query_command(region: str, year: int, kind: str | None, as_of: str | None, fmt: str, db_path: str | None) -> None:
    """Approved rules for a region and policy year, as recorded at --as-of.

    Each answer says which region it came from (a county inherits its city's, province's
    and national rules where it has none of its own).

    Example: noticerules query --region 钦北区 --year 2023 --as-of 2024-01-01T00:00:00Z --format json
    """
    from rulestore.query import query_rules

    with _store(db_path) as db:
        _rules_out(query_rules(db, region, year, kind=kind, as_of=as_of), fmt)


@click.command("changes")
@click.option("--since", type=int, default=0, show_default=True, help="Last sequence number already seen.")
@click.option("--limit", type=int, default=1000, show_default=True)
@_format_option
@_db_option
def changes_command(since: int, limit: int, fmt: str, db_path: str | None) -> None:
    """The change feed: rule versions proposed/approved/rejected/superseded after --since.

    Example: noticerules changes --since 120 --format json
    """
    from rulestore.query import changes_since

    with _store(db_path) as db:
        changes = changes_since(db, since, limit=limit)
        if fmt == "json":
            click.echo(_dump([c.model_dump(mode="json") for c in changes]))
            return
        for c in changes:
            click.echo(f"{c.seq}\t{c.at}\t{c.rule_id}@{c.version}\t{c.action}\t{c.status}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "openfisca"]), required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--as-of", "as_of", metavar="ISO_DATETIME", help="Export what was approved at this time.")
@_db_option
def export_command(fmt: str, out_dir: str, as_of: str | None, db_path: str | None) -> None:
    """Export approved rules as JSON or as an OpenFisca parameter tree (YAML).

    Example: noticerules export --format openfisca --out build/openfisca
    """
    from rulestore.export import store_to_json, store_to_openfisca

    with _store(db_path) as db:
        written = (store_to_json if fmt == "json" else store_to_openfisca)(db, out_dir, as_of=as_of)
        click.echo(f"wrote {len(written)} files to {out_dir}")


@click.command("calc")
@click.option("--region", required=True, help="Region name or 6-digit code.")
@click.option("--year", required=True, type=int, help="Policy year.")
@click.option("--group", help="The person's group as the notices word it (低保对象, 特困人员 …).")
@click.option("--paid-on", "paid_on", required=True, metavar="YYYY-MM-DD", help="Date the contribution is paid.")
@click.option("--born", metavar="YYYY-MM-DD", help="Birth date (newborn rules).")
@click.option("--as-of", "as_of", metavar="ISO_DATETIME", help="Use the rules approved at this time.")
@_format_option
@_db_option
def calc_command(region: str, year: int, group: str | None, paid_on: str, born: str | None, as_of: str | None,
                 fmt: str, db_path: str | None) -> None:
    """Reference calculation from approved rules: amount due, assistance, benefit start.

    Example: noticerules calc --region 吉林省 --year 2024 --group 城乡低保对象 --paid-on 2023-11-02
    """
    from rulestore.calc import calculate

    with _store(db_path) as db:
        result = calculate(db, region, year, paid_on=paid_on, group=group, born=born, as_of=as_of)
        if fmt == "json":
            click.echo(_dump(result.model_dump(mode="json")))
            return
        click.echo(f"region {result.region}  policy year {result.policy_year}")
        due = f"{result.amount_due} 元" if result.amount_due is not None else "unknown"
        standard = f"{result.contribution} 元" if result.contribution is not None else "unknown"
        click.echo(f"amount due: {due}  (standard {standard})")
        if result.assistance:
            click.echo(f"assistance: {json.dumps(result.assistance, ensure_ascii=False)}")
        click.echo(f"benefits: {result.benefit_start or 'unknown'} to {result.benefit_end or 'unknown'}")
        for line in result.reasons:
            click.echo(f"  - {line}")
        click.echo("rule versions used: " + ", ".join(f"{u['id']}@{u['version']} ({u['kind']}, {u['from_region']})"
                                                      for u in result.used))


# ---- db, users, tokens -----------------------------------------------------------------------

@click.group("db")
def db_group() -> None:
    """Store maintenance: migrations and settings.

    Example: noticerules db migrate --list
    """


@db_group.command("migrate")
@click.option("--list", "list_only", is_flag=True, help="Only show applied and pending migrations.")
@_db_option
def db_migrate(list_only: bool, db_path: str | None) -> None:
    """Apply pending schema migrations (each in one transaction).

    Example: noticerules db migrate --db rules.db
    """
    from rulestore.migrations import applied, migrate, pending

    path = db_path or default_db_path()
    db = open_db(path, migrate=False)
    try:
        if list_only:
            for name in applied(db):
                click.echo(f"[x] {name}")
            for name in pending(db):
                click.echo(f"[ ] {name}")
            return
        try:
            done = migrate(db)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo("applied: " + ", ".join(done) if done else "nothing to apply")
    finally:
        db.conn.close()


@db_group.command("setting")
@click.argument("name")
@click.argument("value", required=False)
@_db_option
def db_setting(name: str, value: str | None, db_path: str | None) -> None:
    """Show or set a store setting (require_two_approvals true|false).

    Example: noticerules db setting require_two_approvals true
    """
    from rulestore.review import get_setting, set_setting

    with _store(db_path) as db:
        if value is not None:
            try:
                parsed = json.loads(value)
            except ValueError:
                raise click.BadParameter(f"{value!r} is not a JSON value (true, false, 3)", param_hint="VALUE") from None
            set_setting(db, name, parsed)
        click.echo(f"{name} = {json.dumps(get_setting(db, name))}")


@click.group("users")
def users_group() -> None:
    """Reviewer accounts (argon2 password hashes).

    Example: noticerules users add alice --role reviewer
    """


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "admin"]), default="reviewer", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="NOTICERULES_PASSWORD", help="Prompted for when not given ($NOTICERULES_PASSWORD).")
@_db_option
def users_add(name: str, role: str, password: str, db_path: str | None) -> None:
    """Add a reviewer or admin.

    Example: noticerules users add alice --role admin
    """
    from rulestore.accounts import add_user

    with _store(db_path) as db:
        user = add_user(db, name, password, role=role)
        click.echo(f"added {user.name} ({user.role})")


@users_group.command("list")
@_db_option
def users_list(db_path: str | None) -> None:
    """List users. Example: noticerules users list"""
    from rulestore.accounts import list_users

    with _store(db_path) as db:
        for u in list_users(db):
            click.echo(f"{u.name}\t{u.role}\t{u.created_at}" + ("\tdisabled" if u.disabled else ""))


@click.group("tokens")
def tokens_group() -> None:
    """API read tokens (stored hashed; shown once).

    Example: noticerules tokens create billing-engine --scope rules:read
    """


@tokens_group.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["read", "rules:read", "changes:read", "export:read"]),
              help="What the token may read (repeatable; default: read = everything).")
@click.option("--by", "created_by", help="Who creates it (audit).")
@_db_option
def tokens_create(name: str, scopes: tuple[str, ...], created_by: str | None, db_path: str | None) -> None:
    """Create a token and print it (the only time it is shown).

    Example: noticerules tokens create billing-engine --scope rules:read
    """
    from rulestore.accounts import create_token

    with _store(db_path) as db:
        click.echo(create_token(db, name, scopes=list(scopes) or None, created_by=created_by))


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@_db_option
def tokens_revoke(token_id: int, db_path: str | None) -> None:
    """Revoke a token by its id (see tokens list). Example: noticerules tokens revoke 3"""
    from rulestore.accounts import revoke_token

    with _store(db_path) as db:
        t = revoke_token(db, token_id)
        click.echo(f"token {t.id} ({t.name}) revoked at {t.revoked_at}")


@tokens_group.command("list")
@_db_option
def tokens_list(db_path: str | None) -> None:
    """List tokens (never their secret). Example: noticerules tokens list"""
    from rulestore.accounts import list_tokens

    with _store(db_path) as db:
        for t in list_tokens(db):
            click.echo(f"{t.id}\t{t.name}\t{','.join(t.scopes)}\t{t.created_at}" +
                       (f"\trevoked {t.revoked_at}" if t.revoked_at else ""))


def register(group: click.Group) -> None:
    for command in (ingest_command, reextract_command, rules_group, query_command, changes_command, export_command, calc_command,
                    db_group, users_group, tokens_group):
        group.add_command(command)


