"""`noticerules crawl`, `schedule` and `sites`: crawl notice sites into the store, on a schedule."""

from __future__ import annotations

import json
import signal
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import click

from ..crawl.crawler import crawl_sites
from ..crawl.errors import SiteConfigError
from ..crawl.report import SiteReport, report_to_text
from ..crawl.sites import SiteConfig, adhoc_site, load_sites


def _default_db() -> str:
    from rulestore.db import default_db_path

    return default_db_path()


_db_option = click.option(
    "--db", "db_path", default=None, metavar="FILE",
    help="The store's SQLite file (default: $NOTICERULES_DB, else ./noticerules.db).",
)
_config_option = click.option(
    "--config", default=None, metavar="FILE",
    help="A site file or a folder of *.toml site files (default: $NOTICERULES_SITES, ./sites, "
    "else the examples in ingest/sites).",
)


@contextmanager
def _stop_on_signals() -> Iterator[Callable[[], bool]]:
    """SIGTERM/SIGINT ask for a clean stop: in-flight pages finish, the run is closed, pending stays."""
    stop = {"asked": False}

    def ask(signum: int, _frame: object) -> None:
        if stop["asked"]:  # a second Ctrl-C: leave now (the store is still consistent)
            raise KeyboardInterrupt
        stop["asked"] = True
        click.echo(f"\n{signal.Signals(signum).name}: finishing pages in flight, then stopping", err=True)

    old = {s: signal.signal(s, ask) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield lambda: stop["asked"]
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _progress(enabled: bool) -> Callable[[SiteReport, str, int], None] | None:
    if not enabled:
        return None
    tty = sys.stderr.isatty()

    def show(r: SiteReport, url: str, queued: int) -> None:
        line = (f"[{r.site}] fetched {r.fetched}, not modified {r.not_modified}, new {r.new_documents}, "
                f"changed {r.changed_documents}, rules {r.rules_changed}, errors {len(r.errors)}, queued {queued}")
        if tty:
            click.echo("\r" + line[:150].ljust(150), err=True, nl=False)
        else:
            click.echo(f"{line} | {url}", err=True)

    return show


def _finish(reports: list[SiteReport], as_json: bool, progress: bool) -> None:
    if progress and sys.stderr.isatty():
        click.echo("", err=True)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1))
    else:
        click.echo(report_to_text(reports))
    for r in reports:
        for url, message in r.errors:
            click.echo(f"error: {message if url in message else url + ': ' + message}", err=True)
    if any(r.errors for r in reports):
        sys.exit(1)


@click.command("crawl")
@click.argument("start_url", required=False, metavar="[START_URL]")
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="A site from the config (repeatable).")
@click.option("--all", "all_sites", is_flag=True, help="Every site in the config.")
@_config_option
@click.option("--link-pattern", default=None, metavar="REGEX",
              help="With START_URL: follow only links whose absolute URL matches REGEX.")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, metavar="N",
              help="Fetch at most N pages this run (listing + notices + attachments); the rest stays "
              "queued for the next run.")
@_db_option
@click.option("--progress/--no-progress", default=None, help="Counters on stderr (default: when it is a terminal).")
@click.option("--json", "as_json", is_flag=True, help="The closing report as JSON on stdout.")
def crawl_command(start_url: str | None, site_names: tuple[str, ...], all_sites: bool, config: str | None,
                  link_pattern: str | None, max_pages: int | None, db_path: str | None, progress: bool | None,
                  as_json: bool) -> None:
    """Crawl notice sites: fetch politely, capture raw bytes, extract, store rules as proposed.

    Either START_URL (one listing page, same-host links, paging by its 下一页 link) or
    --site NAME / --all from the site config. Resumes a killed run; exit status 1 when
    some pages failed (each on stderr with its URL).

    Example: noticerules crawl --site jilin-ybj --db noticerules.db
    """
    if bool(start_url) + bool(site_names) + all_sites != 1:
        raise click.UsageError("give exactly one of START_URL, --site NAME or --all")
    if link_pattern and not start_url:
        raise click.UsageError("--link-pattern goes with START_URL; a site file sets [detail] link_pattern")
    try:
        if start_url:
            sites = [adhoc_site(start_url, link_pattern=link_pattern, max_pages=max_pages)]
        else:
            registry = load_sites(config)
            unknown = [n for n in site_names if n not in registry]
            if unknown:
                raise click.UsageError(f"no site named {', '.join(unknown)}; known: {', '.join(sorted(registry)) or '(none)'}")
            sites = list(registry.values()) if all_sites else [registry[n] for n in site_names]
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from None
    show = sys.stderr.isatty() if progress is None else progress
    with _stop_on_signals() as should_stop:
        reports = crawl_sites(sites, db_path=db_path or _default_db(), max_pages=max_pages,
                              progress=_progress(show), should_stop=should_stop)
    _finish(reports, as_json, show)


@click.command("schedule")
@_config_option
@_db_option
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="Only these sites (repeatable).")
@click.option("--once", is_flag=True, help="Run what is due now, then exit (for cron or a systemd timer).")
@click.option("--progress/--no-progress", default=False, help="Counters on stderr.")
def schedule_command(config: str | None, db_path: str | None, site_names: tuple[str, ...], once: bool,
                     progress: bool) -> None:
    """Run every site on its cron `schedule`, as a long-lived process; SIGTERM stops it cleanly.

    When a site is due comes from its last run in the store, so stopping and restarting never
    repeats a run, a tick missed while stopped runs once on start, and a killed run resumes.

    Example: noticerules schedule --config /etc/noticerules/sites --db /var/lib/noticerules/rules.db
    """
    from ..crawl.schedule import run_schedule

    def on_report(reports: list[SiteReport]) -> None:
        click.echo(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}")
        click.echo(report_to_text(reports))
        sys.stdout.flush()

    def on_wait(upcoming: datetime | None) -> None:
        when = upcoming.isoformat(timespec="seconds") if upcoming else "(no site has a schedule)"
        click.echo(f"waiting; next site due {when}", err=True)

    try:
        with _stop_on_signals() as should_stop:
            run_schedule(config=config, db_path=db_path or _default_db(), names=list(site_names) or None,
                         once=once, should_stop=should_stop, on_report=on_report, on_wait=on_wait,
                         progress=_progress(progress))
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _site_row(site: SiteConfig, state: Any) -> dict[str, Any]:
    runs = state.runs(site.name, limit=10)
    last = runs[0] if runs else None
    report = (last or {}).get("report") or {}
    fetched = report.get("fetched", 0)
    errors = len(report.get("errors", []))
    earlier = [r["listed_first_page"] for r in runs[1:] if r["status"] == "finished"]
    typical = statistics.median(earlier) if earlier else None
    listed = last["listed_first_page"] if last else None
    drop = typical is not None and listed is not None and typical > 0 and listed < typical / 2
    counts = state.counts(site.name)
    return {
        "site": site.name,
        "schedule": site.schedule,
        "last_run": last["started_at"] if last else None,
        "last_status": last["status"] if last else None,
        "fetched": fetched,
        "errors": errors,
        "error_rate": round(errors / fetched, 3) if fetched else (1.0 if errors else 0.0),
        "listed_first_page": listed,
        "listed_typical": typical,
        "listing_drop": drop,
        "notices": sum(n for k, n in counts.items() if k.startswith("detail:")),
        "attachments": sum(n for k, n in counts.items() if k.startswith("attachment:")),
        "gone": sum(n for k, n in counts.items() if k.endswith(":gone")),
        "pending": sum(n for k, n in counts.items() if k.endswith(":pending")),
        "url_errors": sum(n for k, n in counts.items() if k.endswith(":error")),
    }


@click.command("sites")
@_config_option
@_db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sites_command(config: str | None, db_path: str | None, fmt: str) -> None:
    """List the configured sites with their last run, error rate and item counts.

    A listing that suddenly shows far fewer notices than usual (DROP) usually means the site
    was redesigned and its selectors need updating.

    Example: noticerules sites --db noticerules.db
    """
    from rulestore.db import open_db

    from ..crawl.state import CrawlState

    try:
        registry = load_sites(config)
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from None
    db = open_db(db_path or _default_db())
    try:
        state = CrawlState(db.conn)
        rows = [_site_row(site, state) for site in registry.values()]
    finally:
        db.conn.close()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        rate = f"{r['error_rate']:.0%}"
        last = f"{r['last_run']} ({r['last_status']})" if r["last_run"] else "never run"
        drop = f"  DROP: {r['listed_first_page']} listed vs usually {r['listed_typical']:g}" if r["listing_drop"] else ""
        click.echo(
            f"{r['site']:<20} {r['schedule'] or '(no schedule)':<16} last {last}; fetched {r['fetched']}, "
            f"error rate {rate}; notices {r['notices']}, attachments {r['attachments']}, gone {r['gone']}, "
            f"pending {r['pending']}{drop}"
        )


def register(group: click.Group) -> None:
    group.add_command(crawl_command)
    group.add_command(schedule_command)
    group.add_command(sites_command)
