"""Run each site on its cron schedule, as one long-lived process that is safe to stop and restart.

When a site is due is derived from the store alone (its last run's start time and its cron
expression), so a restarted scheduler neither repeats a run nor skips one it missed while
down: a missed tick runs once at start, and a run that was killed is resumed.

    >>> from datetime import datetime, timezone
    >>> next_due("0 6 * * *", None, now=datetime(2026, 1, 1, 12, tzinfo=timezone.utc)).isoformat()
    '2026-01-01T12:00:00+00:00'
    >>> next_due("0 6 * * *", datetime(2026, 1, 1, 6, 0, 5, tzinfo=timezone.utc),
    ...          now=datetime(2026, 1, 1, 12, tzinfo=timezone.utc)).isoformat()
    '2026-01-02T06:00:00+00:00'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from croniter import croniter

from rulestore.db import open_db

from .crawler import Progress, crawl_sites
from .report import SiteReport
from .sites import SiteConfig, load_sites
from .state import CrawlState

__all__ = ["due_sites", "next_due", "run_schedule"]

# How often a sleeping scheduler wakes to check for a stop request and re-read the config.
_TICK_SECONDS = 1.0
_RECHECK_SECONDS = 60.0


def next_due(cron: str, last_start: datetime | None, *, now: datetime) -> datetime:
    """When a site should next run: now if it never ran, else the first cron tick after its last start."""
    if last_start is None:
        return now
    return croniter(cron, last_start).get_next(datetime)  # type: ignore[no-any-return]


def _last_start(state: CrawlState, site: str) -> tuple[datetime | None, bool]:
    runs = state.runs(site, limit=1)
    if not runs:
        return None, False
    started = datetime.fromisoformat(runs[0]["started_at"]).astimezone()
    return started, runs[0]["status"] in ("running", "interrupted")


def due_sites(sites: dict[str, SiteConfig], state: CrawlState, *, now: datetime) -> tuple[list[SiteConfig], datetime | None]:
    """The scheduled sites due at ``now`` (unfinished runs first), and when the next one falls due."""
    due: list[SiteConfig] = []
    upcoming: datetime | None = None
    for site in sites.values():
        if not site.schedule:
            continue
        last, unfinished = _last_start(state, site.name)
        when = now if unfinished else next_due(site.schedule, last, now=now)
        if when <= now:
            due.append(site)
        elif upcoming is None or when < upcoming:
            upcoming = when
    return due, upcoming


def run_schedule(
    *,
    config: str | Path | None,
    db_path: str | Path,
    names: list[str] | None = None,
    once: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
    on_report: Callable[[list[SiteReport]], None] | None = None,
    on_wait: Callable[[datetime | None], None] | None = None,
    progress: Progress | None = None,
) -> list[SiteReport]:
    """Loop: run whatever is due, sleep until the next tick, until ``should_stop()``.

    The config is re-read on every wake-up, so an edited site file applies without a restart.
    ``once``: run what is due now and return (for cron / systemd timers).
    """
    done: list[SiteReport] = []
    while not should_stop():
        sites = load_sites(config)
        if names:
            sites = {n: s for n, s in sites.items() if n in names}
        db = open_db(db_path)
        try:
            state = CrawlState(db.conn)
            due, upcoming = due_sites(sites, state, now=datetime.now().astimezone())
        finally:
            db.conn.close()
        if due:
            reports = crawl_sites(due, db_path=db_path, progress=progress, should_stop=should_stop)
            done.extend(reports)
            if on_report is not None:
                on_report(reports)
            continue  # a long run may have made another site due
        if once:
            break
        if on_wait is not None:
            on_wait(upcoming)
        deadline = time.monotonic() + min(
            _RECHECK_SECONDS,
            max(0.0, (upcoming - datetime.now().astimezone()).total_seconds()) if upcoming else _RECHECK_SECONDS,
        )
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(min(_TICK_SECONDS, max(0.0, deadline - time.monotonic())))
    return done
